"""The postal order is an outbox row: written with the dossier's move to "sent by post", before the
operator is called, then placed, retried and swept. The operator down, slow, answering garbage,
refusing, or accepting and losing its reply: nothing is lost and there is one parcel per dossier."""

from __future__ import annotations

from datetime import timedelta

import pytest

from django.urls import reverse
from django.utils import timezone

from applications.models import DossierEvent, Event, ResultDelivery, Status
from postal.models import OrderState, PostalOrder
from postal.services import postal_order_place, postal_orders_sweep
from tests.postal.conftest import order_for

pytestmark = pytest.mark.django_db


def test_the_order_row_and_sent_by_post_are_written_before_the_operator_is_called(approved, officer,
                                                                                  django_capture_on_commit_callbacks):
    # given an operator that cannot be reached (nothing listens on the configured port)
    with django_capture_on_commit_callbacks(execute=True):
        order = order_for(approved, officer)

    order.refresh_from_db()
    approved.refresh_from_db()
    assert approved.status == Status.SENT_BY_POST and approved.returned_at is None
    assert order.state == OrderState.PENDING and order.attempts == 1
    assert "unreachable" in order.last_error and order.next_attempt_at > timezone.now()
    assert DossierEvent.objects.filter(dossier=approved, action=Event.RESULT_POSTED, actor=officer).count() == 1


def test_the_officer_sees_order_pending(client, approved, officer):
    order_for(approved, officer)
    client.force_login(officer)

    page = client.get(reverse("postal:order", args=[approved.code])).content.decode()

    assert "data-order-pending" in page and "order pending" in page


@pytest.mark.parametrize("mode", ["slow", "garbage", "server_error"])
def test_a_slow_or_broken_operator_leaves_the_order_pending_for_a_retry(approved, officer, operator, mode):
    operator.mode = mode
    order = order_for(approved, officer)

    assert postal_order_place(order_id=order.pk) == "retry"

    order.refresh_from_db()
    assert order.state == OrderState.PENDING and order.tracking_number == ""
    assert order.next_attempt_at > timezone.now()


def test_the_sweep_places_the_order_once_the_operator_is_back(approved, officer, operator,
                                                            django_capture_on_commit_callbacks):
    operator.mode = "server_error"
    order = order_for(approved, officer)
    postal_order_place(order_id=order.pk)
    operator.mode = "ok"

    # not yet due: the sweep leaves it alone
    with django_capture_on_commit_callbacks(execute=True):
        assert postal_orders_sweep() == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert postal_orders_sweep(now=timezone.now() + timedelta(minutes=5)) == 1

    order.refresh_from_db()
    assert order.state == OrderState.ACCEPTED and order.tracking_number == "RF000000001VN"
    assert operator.creates == 1


def test_an_order_accepted_twice_because_the_reply_was_lost_makes_one_parcel(approved, officer, operator):
    operator.mode = "lose_reply"
    order = order_for(approved, officer)

    assert postal_order_place(order_id=order.pk) == "retry"
    assert postal_order_place(order_id=order.pk) == "accepted"
    assert postal_order_place(order_id=order.pk) == "skipped"

    order.refresh_from_db()
    assert operator.creates == 1 and len(operator.parcels) == 1
    assert order.operator_order_id == "F00001" and order.tracking_number == "RF000000001VN"
    # the placing after acceptance never reached the operator
    assert operator.calls == 2


def test_an_order_the_operator_refuses_goes_back_to_the_officers_queue(approved, officer, operator):
    operator.mode = "reject"
    order = order_for(approved, officer)

    assert postal_order_place(order_id=order.pk) == "rejected"

    order.refresh_from_db()
    approved.refresh_from_db()
    assert order.state == OrderState.REJECTED
    assert approved.status == Status.APPROVED and approved.result_delivery == ResultDelivery.COUNTER
    event = DossierEvent.objects.get(dossier=approved, action=Event.POSTAL_UNDELIVERED)
    assert "Địa chỉ ngoài vùng phục vụ" in event.note


def test_a_second_order_for_the_same_dossier_is_refused(client, approved, officer):
    order_for(approved, officer)
    approved.refresh_from_db()
    client.force_login(officer)

    response = client.post(reverse("postal:order", args=[approved.code]), {
        "expected_version": approved.version, "recipient_name": "Nguyễn Văn An", "recipient_phone": "0912000001",
        "address": "Số 1 đường Hai Bà Trưng, Xã An Phú", "province": "Lâm Đồng", "commune": "Xã Đơn Dương",
        "weight_grams": 100,
    })

    assert response.status_code == 409
    assert PostalOrder.objects.count() == 1
