"""Builders for the feedback tests: a dossier returned through the workflow (so the result
notification is the real one), and petitions in a given state."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from django.utils import timezone

from applications.models import ResultDelivery, Status
from applications.workflow import dossier_return_result
from feedback.models import Petition, PetitionStatus
from feedback.services import petition_answer_due
from notifications.models import Notification, NotificationChannel
from tests.factories import make_dossier, make_procedure

RATING_LINK = re.compile(r"https?://[^\s]+/danh-gia/([^\s/]+)/")


@pytest.fixture
def returned_dossier(citizen, officer, commune):
    return dossier_returned(citizen, officer, commune)


def dossier_returned(citizen, officer, commune):
    """A birth registration returned online by `officer` through the workflow."""
    version = make_procedure(agency=commune, name="Đăng ký khai sinh")
    dossier = make_dossier(version, commune, citizen, status=Status.APPROVED, applicant_name="Nguyễn Văn An",
                           result_delivery=ResultDelivery.ONLINE, received_at=timezone.now() - timedelta(days=3))
    return dossier_return_result(dossier, actor=officer, expected_version=dossier.version, method=ResultDelivery.ONLINE)


def rating_path(dossier) -> str:
    """The rating link of the dossier's result-returned SMS, as a site path."""
    sms = Notification.objects.get(event="result_returned", channel=NotificationChannel.SMS,
                                   dedupe_key__contains=f"event:{dossier.events.order_by('-pk').first().pk}")
    match = RATING_LINK.search(sms.body)
    assert match, sms.body
    return f"/danh-gia/{match.group(1)}/"


def make_petition(agency, *, status=PetitionStatus.RECEIVED, received_at=None, answered_at=None, rating=None,
                  code=None, sender_name="Trần Văn Gửi", **fields) -> Petition:
    received_at = received_at or timezone.now()
    values = {
        "code": code or f"PA-T{Petition.objects.count() + 1:05d}", "secret_hash": "x", "topic": "agency",
        "agency": agency, "title": "Cán bộ hẹn nhiều lần", "content": "Nội dung phản ánh",
        "sender_name": sender_name, "sender_email": "gui@example.vn", "received_at": received_at,
        "due_at": petition_answer_due(received_at), "status": status,
    }
    if answered_at is not None:
        values.update(answered_at=answered_at, answer="Đã chấn chỉnh.")
    values["answer_rating"] = rating
    values.update(fields)
    return Petition.objects.create(**values)
