"""Feedback and petitions (PAKN): sending with attachments, tracking by code + secret, flood limits,
staff handling with notifications, publishing with personal data removed, reminders."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from applications.models import Status
from feedback.models import Petition, PetitionAttachment, PetitionStatus
from feedback.notifications import petition_reminders_send
from feedback.services import petition_answer_due
from notifications.models import Notification
from tests.factories import make_dossier, make_procedure
from tests.feedback.conftest import make_petition
from workdays.services import add_working_days

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _form(agency, **extra):
    return {"topic": "agency", "agency": agency.pk, "title": "Cán bộ hẹn nhiều lần",
            "content": "Tôi phải đến ba lần mới nộp được hồ sơ. Liên hệ 0912 345 678.",
            "sender_name": "Trần Văn Gửi", "sender_email": "gui@example.vn", **extra}


def _send(client, data, **kwargs):
    return client.post(reverse("feedback:petition-new"), data, **kwargs)


def _code_and_secret(client) -> tuple[str, str]:
    page = client.get(reverse("feedback:petition-sent")).content.decode()
    code = re.search(r"data-petition-code>([^<]+)<", page).group(1)
    secret = re.search(r"data-petition-secret><code>([^<]+)<", page).group(1)
    return code, secret


def test_anyone_sends_feedback_with_an_attachment_and_follows_it_with_code_and_secret(client, commune, officer):
    response = _send(client, _form(commune, files=[SimpleUploadedFile("bien-ban.pdf", PDF)]))
    assert response.status_code == 302
    code, secret = _code_and_secret(client)
    petition = Petition.objects.get(code=code)
    assert petition.agency == commune and petition.status == PetitionStatus.RECEIVED
    assert petition.due_at == petition_answer_due(petition.received_at)
    assert PetitionAttachment.objects.get().content_type == "application/pdf"
    assert Notification.objects.filter(event="petition_received", to_address="gui@example.vn").exists()
    assert Notification.objects.filter(event="staff_petition_new", recipient=officer).exists()
    # The secret is shown once only.
    assert client.get(reverse("feedback:petition-sent")).status_code == 302

    found = client.post(reverse("feedback:track"), {"code": code.lower(), "secret": secret}).content.decode()
    assert "Mới tiếp nhận" in found and "gui@example.vn" not in found and "Trần Văn Gửi" not in found
    wrong = client.post(reverse("feedback:track"), {"code": code, "secret": secret + "x"}).content.decode()
    assert "Không tìm thấy" in wrong and "Cán bộ hẹn nhiều lần" not in wrong


def test_the_answer_deadline_is_ten_working_days_by_default(commune):
    petition = make_petition(commune)
    received = timezone.localtime(petition.received_at).date()
    assert timezone.localtime(petition.due_at).date() in {add_working_days(received, 10),
                                                           add_working_days(received, 11)}


def test_an_executable_attachment_is_refused_and_nothing_is_written(client, commune):
    response = _send(client, _form(commune, files=[SimpleUploadedFile("anh.pdf", b"MZ\x90\x00 fake exe")]))
    assert response.status_code == 200
    assert "chương trình" in response.content.decode()
    assert not Petition.objects.exists() and not PetitionAttachment.objects.exists()


def test_a_citizen_cannot_send_feedback_about_someone_elses_dossier(client, citizen, other_citizen, commune):
    version = make_procedure(agency=commune)
    victims = make_dossier(version, commune, citizen, status=Status.PROCESSING)
    own = make_dossier(version, commune, other_citizen, status=Status.PROCESSING)
    client.force_login(other_citizen)
    refused = _send(client, _form(commune, topic="dossier", dossier=victims.pk))
    assert refused.status_code == 200 and not Petition.objects.exists()
    assert _send(client, _form(commune, topic="dossier", dossier=own.pk)).status_code == 302
    assert Petition.objects.get().dossier == own


def test_a_contact_is_required(client, commune):
    response = _send(client, _form(commune, sender_email=""))
    assert "thư điện tử hoặc số điện thoại" in response.content.decode()
    assert not Petition.objects.exists()


def test_floods_are_throttled_per_ip(client, settings, commune):
    settings.FEEDBACK_PETITION_IP_LIMIT = 2
    assert [_send(client, _form(commune)).status_code for _i in range(3)] == [302, 302, 429]
    assert Petition.objects.count() == 2
    # Another address is not affected.
    assert _send(client, _form(commune), REMOTE_ADDR="10.0.0.9").status_code == 302


def test_floods_are_throttled_per_account_across_addresses(client, settings, citizen, commune):
    settings.FEEDBACK_PETITION_ACCOUNT_LIMIT = 1
    client.force_login(citizen)
    assert _send(client, _form(commune), REMOTE_ADDR="10.0.0.1").status_code == 302
    assert _send(client, _form(commune), REMOTE_ADDR="10.0.0.2").status_code == 429
    assert Petition.objects.count() == 1


def test_tracking_lookups_are_throttled(client, settings, commune):
    settings.FEEDBACK_LOOKUP_RATE_LIMIT = 2
    statuses = [client.post(reverse("feedback:track"), {"code": "PA1", "secret": "x"}).status_code for _i in range(3)]
    assert statuses == [200, 200, 429]


def _act(client, petition, action, data):
    return client.post(reverse("feedback:officer-petition-action", args=[petition.code, action]), data)


def test_staff_assign_answer_and_publish_without_personal_data(client, officer, specialist, commune):
    petition = make_petition(commune, content="Tôi là Trần Văn Gửi, số 0912345678, gui@example.vn: phải đi lại ba lần.",
                             sender_phone="0912345678")
    client.force_login(officer)
    assert _act(client, petition, "assign", {"assignee": specialist.pk}).status_code == 302
    assert Notification.objects.filter(event="staff_petition_assigned", recipient=specialist).exists()

    assert _act(client, petition, "answer", {"answer": "Đã chấn chỉnh cán bộ; xin lỗi ông Trần Văn Gửi."}).status_code == 302
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.ANSWERED and petition.answered_by == officer
    assert Notification.objects.filter(event="petition_answered", to_address="gui@example.vn").exists()
    assert Notification.objects.filter(event="petition_answered", to_address="0912345678").exists()

    # The publish form comes pre-filled with the personal data removed.
    page = client.get(reverse("feedback:officer-petition", args=[petition.code])).content.decode()
    publish_part = page[page.index('name="public_question"'):]
    assert "0912345678" not in publish_part and "gui@example.vn" not in publish_part

    leaking = _act(client, petition, "publish", {"public_question": petition.content, "public_answer": "Đã xử lý."})
    assert leaking.status_code == 400 and "thông tin cá nhân" in leaking.content.decode()
    assert _act(client, petition, "publish", {"public_question": "Phải đi lại ba lần mới nộp được hồ sơ.",
                                              "public_answer": "Đã chấn chỉnh cán bộ."}).status_code == 302

    public = client.get(reverse("feedback:petitions")).content.decode()
    assert "Phải đi lại ba lần" in public and "Đã chấn chỉnh cán bộ." in public
    assert "Trần Văn Gửi" not in public and "gui@example.vn" not in public


def test_the_sender_rates_the_answer_once(client, commune):
    from feedback.services import petition_submit

    petition, secret = petition_submit(topic="agency", agency=commune, title="T", content="C", sender_name="A",
                                       sender_email="a@example.vn")
    Petition.objects.filter(pk=petition.pk).update(status=PetitionStatus.ANSWERED, answer="Trả lời",
                                                   answered_at=timezone.now())
    url = reverse("feedback:track-rate")
    client.post(url, {"code": petition.code, "secret": secret, "level": 4})
    client.post(url, {"code": petition.code, "secret": secret, "level": 1})
    client.post(url, {"code": petition.code, "secret": "wrong", "level": 1})
    petition.refresh_from_db()
    assert petition.answer_rating == 4


def test_another_communes_officer_cannot_see_or_act_on_a_petition(client, other_officer, officer, commune):
    petition = make_petition(commune)
    client.force_login(other_officer)
    assert client.get(reverse("feedback:officer-petition", args=[petition.code])).status_code == 404
    assert _act(client, petition, "answer", {"answer": "x"}).status_code == 404
    assert petition.code not in client.get(reverse("feedback:officer-petitions")).content.decode()
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.RECEIVED


def test_a_petition_cannot_be_assigned_outside_the_agency(client, officer, other_specialist, commune):
    petition = make_petition(commune)
    client.force_login(officer)
    assert _act(client, petition, "assign", {"assignee": other_specialist.pk}).status_code == 400
    petition.refresh_from_db()
    assert petition.assigned_to is None


def test_reminders_go_to_handlers_of_due_soon_and_overdue_petitions_once_a_day(officer, leader, specialist, commune):
    now = timezone.now()
    overdue = make_petition(commune, due_at=now - timedelta(days=1))
    due_soon = make_petition(commune, due_at=now + timedelta(hours=20), assigned_to=specialist,
                             status=PetitionStatus.ASSIGNED)
    make_petition(commune, due_at=now + timedelta(days=30))  # far away: no reminder
    make_petition(commune, due_at=now - timedelta(days=1), status=PetitionStatus.ANSWERED, answered_at=now)

    written = petition_reminders_send(now=now)

    rows = Notification.objects.filter(event="staff_petition_reminder")
    assert written == rows.count() > 0
    assert {(row.recipient_id, row.context["petition_code"]) for row in rows if row.channel == "in_app"} == {
        (officer.pk, overdue.code), (leader.pk, overdue.code), (specialist.pk, due_soon.code)}
    assert petition_reminders_send(now=now) == 0  # idempotent the same day
    assert rows.count() == written


def test_the_reminder_task_is_scheduled_by_beat(settings):
    assert any(entry["task"] == "feedback.tasks.petition_reminders" for entry in settings.CELERY_BEAT_SCHEDULE.values())


def test_the_beat_task_writes_the_reminders_through_the_service(officer, commune):
    from feedback.tasks import petition_reminders

    make_petition(commune, due_at=timezone.now() - timedelta(days=2))
    assert petition_reminders.delay().get() == 2  # in-app + email to the one officer
    assert petition_reminders.delay().get() == 0


def test_a_province_leader_sees_the_petitions_of_every_commune_below(client, province, commune, other_commune):
    from accounts.models import Role
    from tests.conftest import make_user

    first, second = make_petition(commune), make_petition(other_commune)
    client.force_login(make_user("leader.province@example.vn", Role.LEADER, province, "Lãnh đạo tỉnh"))
    page = client.get(reverse("feedback:officer-petitions")).content.decode()
    assert first.code in page and second.code in page


def test_the_answer_deadline_follows_the_setting(settings, commune):
    from feedback.services import petition_submit

    settings.FEEDBACK_ANSWER_WORKING_DAYS = 3
    short, _secret = petition_submit(topic="agency", agency=commune, title="T", content="C", sender_name="A",
                                     sender_email="a@example.vn")
    settings.FEEDBACK_ANSWER_WORKING_DAYS = 10
    long, _secret = petition_submit(topic="agency", agency=commune, title="T", content="C", sender_name="A",
                                    sender_email="a@example.vn")
    start = timezone.localtime(short.received_at).date()
    assert timezone.localtime(long.due_at).date() == add_working_days(timezone.localtime(short.due_at).date(), 7)
    assert timezone.localtime(short.due_at).date() > start
