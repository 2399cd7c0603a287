"""The operator's reports: a signed callback (bad signature, garbage, replays, out-of-order) and the
beat job that asks about parcels with no news. Delivered → returned at the delivery time; failed or
returned to sender → back to the officer's queue with the reason, the citizen told how to collect."""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

import pytest

from django.urls import reverse
from django.utils import timezone

from applications.models import DossierEvent, Event, ResultDelivery, Status
from notifications.models import Notification
from postal.models import OrderState, PostalOrder, PostalUpdate
from postal.services import postal_order_place, postal_orders_poll
from tests.postal.conftest import CALLBACK_SECRET, order_for, signed

pytestmark = pytest.mark.django_db


@pytest.fixture
def placed(approved, officer, operator) -> PostalOrder:
    order = order_for(approved, officer)
    assert postal_order_place(order_id=order.pk) == "accepted"
    order.refresh_from_db()
    return order


def report(order: PostalOrder, status: str, *, at=None, note: str = "") -> dict:
    at = at or timezone.now().replace(microsecond=0)
    return {"order_id": order.operator_order_id, "client_ref": order.reference,
            "tracking_number": order.tracking_number, "status": status,
            "at": timezone.localtime(at).isoformat(), "note": note}


def post_callback(client, payload: dict, *, secret: str | None = None):
    raw, signature = signed(payload) if secret is None else signed(payload, secret)
    return client.post(reverse("postal:callback", args=["sandbox"]), raw, content_type="application/json",
                       HTTP_X_POSTAL_SIGNATURE=signature)


def _sign(body: bytes) -> str:
    return "sha256=" + hmac.new(CALLBACK_SECRET.encode(), body, hashlib.sha256).hexdigest()


def test_in_transit_then_delivered_returns_the_dossier_at_the_delivery_time(client, placed, approved):
    delivered_at = (timezone.now() - timedelta(hours=1)).replace(microsecond=0)

    assert post_callback(client, report(placed, "in_transit")).status_code == 200
    approved.refresh_from_db()
    assert approved.status == Status.SENT_BY_POST
    assert post_callback(client, report(placed, "delivered", at=delivered_at)).status_code == 200

    approved.refresh_from_db()
    assert approved.status == Status.RETURNED and approved.returned_at == delivered_at
    actions = list(DossierEvent.objects.filter(dossier=approved).order_by("pk").values_list("action", flat=True))
    assert actions == [Event.RESULT_POSTED, Event.POSTAL_PROGRESS, Event.POSTAL_PROGRESS, Event.POSTAL_DELIVERED]
    assert Notification.objects.filter(event="postal_delivered", recipient=approved.owner).exists()
    # the control sheet's post row is closed at the delivery time
    assert approved.control_sheet.filter(completed_at__isnull=True).count() == 0


def test_a_replayed_callback_changes_nothing(client, placed, approved):
    payload = report(placed, "delivered")

    for _ in range(3):
        assert post_callback(client, payload).status_code == 200

    assert PostalUpdate.objects.filter(order=placed, status=OrderState.DELIVERED).count() == 1
    assert DossierEvent.objects.filter(dossier=approved, action=Event.POSTAL_DELIVERED).count() == 1
    channels = Notification.objects.filter(event="postal_delivered").values_list("channel", flat=True)
    assert len(channels) == len(set(channels)) > 0


def test_a_callback_with_a_wrong_signature_is_refused_and_changes_nothing(client, placed, approved):
    response = post_callback(client, report(placed, "delivered"), secret="someone-else")

    assert response.status_code == 403
    approved.refresh_from_db()
    assert approved.status == Status.SENT_BY_POST and not PostalUpdate.objects.exclude(status="accepted").exists()


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b'{"status": "teleported", "at": "2026-01-01T00:00:00+07:00"}',
                                  b'{"status": "delivered", "at": "yesterday"}'])
def test_a_signed_callback_with_garbage_is_answered_400_and_changes_nothing(client, placed, approved, body):
    response = client.post(reverse("postal:callback", args=["sandbox"]), body, content_type="application/json",
                           HTTP_X_POSTAL_SIGNATURE=_sign(body))

    assert response.status_code == 400
    approved.refresh_from_db()
    assert approved.status == Status.SENT_BY_POST


def test_a_report_after_delivery_is_recorded_but_changes_nothing(client, placed, approved):
    post_callback(client, report(placed, "delivered"))
    post_callback(client, report(placed, "returned_to_sender", at=timezone.now() + timedelta(minutes=1)))

    approved.refresh_from_db()
    placed.refresh_from_db()
    assert approved.status == Status.RETURNED and placed.state == OrderState.DELIVERED


@pytest.mark.parametrize("status", ["failed", "returned_to_sender"])
def test_an_undelivered_parcel_goes_back_to_the_officer_with_the_reason(client, placed, approved, officer, status):
    response = post_callback(client, report(placed, status, note="Người nhận vắng nhà 3 lần"))

    assert response.status_code == 200
    approved.refresh_from_db()
    assert approved.status == Status.APPROVED and approved.result_delivery == ResultDelivery.COUNTER
    assert approved.returned_at is None
    event = DossierEvent.objects.get(dossier=approved, action=Event.POSTAL_UNDELIVERED)
    assert "Người nhận vắng nhà 3 lần" in event.note
    citizen_message = Notification.objects.filter(event="postal_undelivered", recipient=approved.owner).first()
    assert citizen_message is not None and "Bộ phận Một cửa" in citizen_message.body
    assert Notification.objects.filter(event="staff_postal_undelivered", recipient=officer).exists()
    # the officer can now return it at the counter
    client.force_login(officer)
    page = client.get(reverse("applications:officer-home") + "?queue=to_return").content.decode()
    assert approved.code in page


def test_the_poll_asks_about_quiet_parcels_and_applies_what_the_callbacks_missed(placed, approved, operator):
    delivered_at = timezone.now().replace(microsecond=0)
    operator.events[placed.operator_order_id] = [
        {"status": "in_transit", "at": timezone.localtime(delivered_at - timedelta(hours=5)).isoformat(), "note": ""},
        {"status": "delivered", "at": timezone.localtime(delivered_at).isoformat(), "note": ""},
    ]

    assert postal_orders_poll()["asked"] == 0  # fresh news: not asked yet
    counts = postal_orders_poll(now=timezone.now() + timedelta(hours=7))
    again = postal_orders_poll(now=timezone.now() + timedelta(hours=14))

    assert counts == {"asked": 1, "applied": 2, "errors": 0}
    assert again["asked"] == 0  # delivered parcels are not asked about
    approved.refresh_from_db()
    assert approved.status == Status.RETURNED and approved.returned_at == delivered_at


def test_the_poll_survives_an_operator_that_is_down(placed, approved, settings):
    settings.SANDBOX_POSTAL_API_URL = "http://127.0.0.1:9/api"

    counts = postal_orders_poll(now=timezone.now() + timedelta(hours=7))

    assert counts == {"asked": 1, "applied": 0, "errors": 1}
    approved.refresh_from_db()
    assert approved.status == Status.SENT_BY_POST


def test_the_citizen_sees_each_step_on_the_dossier_page(client, placed, approved, citizen):
    post_callback(client, report(placed, "in_transit"))
    client.force_login(citizen)

    page = client.get(reverse("applications:dossier", args=[approved.code])).content.decode()

    assert "Gửi kết quả qua bưu chính công ích" in page
    assert "Đang vận chuyển" in page and placed.tracking_number in page


def test_the_delivery_time_decides_timeliness_for_a_result_by_post(client, placed, approved):
    """Approved early, but the envelope reached the applicant after the due moment: late."""
    due = timezone.now() - timedelta(hours=2)
    type(approved).objects.filter(pk=approved.pk).update(due_current=due, due_original=due, timeliness="early")
    post_callback(client, report(placed, "delivered", at=timezone.now() - timedelta(minutes=5)))
    approved.refresh_from_db()
    assert approved.status == Status.RETURNED and approved.timeliness == "late"
    event = DossierEvent.objects.get(dossier=approved, action=Event.POSTAL_DELIVERED)
    assert event.data["timeliness"] == "late" and event.data["timeliness_at_resolution"] == "early"


def test_delivered_before_the_due_day_the_result_by_post_is_early(client, placed, approved):
    delivered_at = (timezone.now() - timedelta(minutes=5)).replace(microsecond=0)
    type(approved).objects.filter(pk=approved.pk).update(timeliness="")
    post_callback(client, report(placed, "delivered", at=delivered_at))
    approved.refresh_from_db()
    assert approved.timeliness == "early"  # due in three days
