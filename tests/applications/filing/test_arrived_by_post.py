"""Issue 17: a dossier that arrives by post is recorded at the counter with channel "post", the
envelope's arrival (the receipt date follows the legal rules: after hours or on a day off, the next
working day) and the scans of what was inside; Mẫu 01 is queued to be mailed back."""

from __future__ import annotations

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from django.urls import reverse

from applications.deadlines import receipt_moment
from applications.models import Channel, DocumentKind, Dossier, MailingState, SlipMailing, Status
from tests.applications.filing.builders import VALID_ID, pdf_bytes, upload

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY = datetime(2026, 11, 23, 10, 0, tzinfo=VN)


@pytest.mark.parametrize(("arrived", "received"), [
    (datetime(2026, 11, 25, 9, 15), datetime(2026, 11, 25, 9, 15)),  # Wednesday, office time
    (datetime(2026, 11, 25, 6, 50), datetime(2026, 11, 25, 7, 30)),  # before opening: that morning
    (datetime(2026, 11, 25, 17, 40), datetime(2026, 11, 26, 7, 30)),  # after hours: next working day
    (datetime(2026, 11, 21, 10, 0), datetime(2026, 11, 23, 7, 30)),  # Saturday: Monday
])
def test_the_receipt_moment_of_an_envelope(arrived, received):
    assert receipt_moment(arrived.replace(tzinfo=VN)) == received.replace(tzinfo=VN)


def file_by_post(client, version, review: dict) -> Dossier:
    client.post("/officer/guided/", {"action": "start", "version": version.pk, "channel": "post", "identifier": ""})
    dossier = Dossier.objects.order_by("-pk").first()
    component = version.components.get(is_required=True)
    client.post(f"/officer/guided/{dossier.pk}/applicant/", {
        "agency": dossier.agency_id, "applicant_name": "Đỗ Thị Lan", "applicant_id_number": VALID_ID,
        "applicant_phone": "0987654321", "applicant_address": "Thôn Đông, Xã An Phú, Ninh Bình",
        "subject_relation": "self", "result_delivery": "online",
    })
    client.post(f"/officer/guided/{dossier.pk}/form/", {"child_name": "Đỗ Minh Anh", "birth_date": "2026-11-20"})
    client.post(f"/officer/guided/{dossier.pk}/attachments/",
                {"continue": "", f"c{component.pk}-files": [upload("phong-bi.pdf", pdf_bytes())]})
    client.post(f"/officer/guided/{dossier.pk}/review/",
                {"submit_token": str(uuid.uuid4()), "receive_now": "on", **review})
    dossier.refresh_from_db()
    return dossier


def test_an_envelope_that_came_on_saturday_is_received_on_monday_and_its_slip_is_queued(
    client, officer, version, django_assert_max_num_queries
):
    client.force_login(officer)
    with time_machine.travel(MONDAY, tick=False):
        dossier = file_by_post(client, version, {"post_arrived_at": "2026-11-21T16:20"})
    assert dossier.channel == Channel.POST and dossier.status == Status.RECEIVED
    assert dossier.post_arrived_at == datetime(2026, 11, 21, 16, 20, tzinfo=VN)
    assert dossier.received_at == datetime(2026, 11, 23, 7, 30, tzinfo=VN)
    assert dossier.attachments.get().is_digitised  # the scan of what was inside
    receive = dossier.events.get(action="received")
    assert receive.data["post_arrived_at"].startswith("2026-11-21T16:20")
    mailing = SlipMailing.objects.get(dossier=dossier)
    assert mailing.document_kind == DocumentKind.RECEIPT and mailing.state == MailingState.TO_MAIL
    assert mailing.address == "Thôn Đông, Xã An Phú, Ninh Bình" and mailing.recipient_name == "Đỗ Thị Lan"

    with time_machine.travel(MONDAY, tick=False):
        with django_assert_max_num_queries(12):
            page = client.get(reverse("postal:mail-queue")).content.decode()
        assert f'data-code="{dossier.code}"' in page and "Thôn Đông, Xã An Phú, Ninh Bình" in page
        client.post(reverse("postal:mail-mailed", args=[mailing.pk]))
        mailing.refresh_from_db()
        assert mailing.state == MailingState.MAILED and mailing.mailed_by == officer
        assert f'data-code="{dossier.code}"' not in client.get(reverse("postal:mail-queue")).content.decode()


@pytest.mark.parametrize(("review", "message"), [
    ({}, "ngày giờ nhận bưu gửi"),
    ({"post_arrived_at": "2026-11-24T08:00"}, "không được sau thời điểm hiện tại"),
    ({"post_arrived_at": "2026-09-01T08:00"}, "đã quá 30 ngày"),
])
def test_without_a_valid_arrival_nothing_is_filed(client, officer, version, review, message):
    client.force_login(officer)
    with time_machine.travel(MONDAY, tick=False):
        dossier = file_by_post(client, version, review)
        page = client.post(f"/officer/guided/{dossier.pk}/review/",
                           {"submit_token": str(uuid.uuid4()), "receive_now": "on", **review})
    assert message in page.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == Status.DRAFT and dossier.received_at is None
    assert not SlipMailing.objects.exists()


def test_an_officer_of_another_commune_cannot_mark_the_slip_mailed(client, officer, other_officer, version):
    client.force_login(officer)
    with time_machine.travel(MONDAY, tick=False):
        dossier = file_by_post(client, version, {"post_arrived_at": "2026-11-23T08:00"})
        mailing = SlipMailing.objects.get(dossier=dossier)
        client.force_login(other_officer)
        page = client.get(reverse("postal:mail-queue"))
        assert page.status_code == 200 and f'data-code="{dossier.code}"' not in page.content.decode()
        assert client.post(reverse("postal:mail-mailed", args=[mailing.pk])).status_code == 404
    mailing.refresh_from_db()
    assert mailing.state == MailingState.TO_MAIL
