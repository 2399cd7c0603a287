"""Who is told about a dossier event, on which channels, in which language: exactly once."""

from __future__ import annotations

from django.core import mail

from accounts.models import Role
from applications.models import Channel
from applications.notifications import dossier_notify
from notifications.models import Notification, NotificationState
from tests.conftest import make_user
from tests.notifications.conftest import event_for


def test_a_received_dossier_tells_the_owner_by_email_sms_and_in_app_with_the_appointment(
    dossier, officer, django_capture_on_commit_callbacks
):
    event = event_for(dossier, "received", officer)

    with django_capture_on_commit_callbacks(execute=True):
        dossier_notify(dossier, "received", event)

    rows = {row.channel: row for row in Notification.objects.all()}
    assert set(rows) == {"email", "sms", "in_app"}
    assert rows["in_app"].recipient == dossier.owner and rows["in_app"].state == NotificationState.SENT
    assert "17:00 08/01/2026" in rows["in_app"].body
    assert rows["sms"].to_address == "0912000001" and rows["sms"].state == NotificationState.SENT
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["citizen@example.vn"]
    assert mail.outbox[0].subject == f"[Cổng Dịch vụ công] Hồ sơ {dossier.code} đã được tiếp nhận"
    # Emails carry the full address; the inbox keeps the site-relative link.
    assert f"http://127.0.0.1:8000/dossiers/{dossier.code}/" in mail.outbox[0].body
    assert rows["in_app"].link == f"/dossiers/{dossier.code}/"


def test_notifying_the_same_event_twice_writes_and_sends_nothing_more(dossier, officer, django_capture_on_commit_callbacks):
    event = event_for(dossier, "received", officer)

    with django_capture_on_commit_callbacks(execute=True):
        dossier_notify(dossier, "received", event)
    with django_capture_on_commit_callbacks(execute=True):
        dossier_notify(dossier, "received", event)

    assert Notification.objects.count() == 3
    assert len(mail.outbox) == 1


def test_a_citizen_who_chose_english_gets_english_messages(dossier, officer, django_capture_on_commit_callbacks):
    dossier.owner.preferred_language = "en"
    dossier.owner.save()
    event = event_for(dossier, "received", officer)

    with django_capture_on_commit_callbacks(execute=True):
        dossier_notify(dossier, "received", event)

    assert mail.outbox[0].subject == f"[Cổng Dịch vụ công] Dossier {dossier.code} has been received"
    assert set(Notification.objects.values_list("language", flat=True)) == {"en"}


def test_the_supplement_request_lists_every_item(dossier, specialist, django_capture_on_commit_callbacks):
    event = event_for(dossier, "supplement_requested", specialist, items=["Giấy chứng sinh bản chính", "Ảnh 4x6"])

    with django_capture_on_commit_callbacks(execute=True):
        dossier_notify(dossier, "supplement_requested", event)

    body = Notification.objects.get(channel="in_app").body
    assert "- Giấy chứng sinh bản chính\n- Ảnh 4x6" in body


def test_a_walk_in_applicant_without_an_account_is_told_by_email_and_sms_only(
    dossier, officer, django_capture_on_commit_callbacks
):
    dossier.owner = None
    dossier.applicant_email = "khach@example.vn"
    dossier.save()
    event = event_for(dossier, "received", officer)

    with django_capture_on_commit_callbacks(execute=True):
        dossier_notify(dossier, "received", event)

    assert sorted(Notification.objects.values_list("channel", flat=True)) == ["email", "sms"]
    assert mail.outbox[0].to == ["khach@example.vn"]


def test_an_online_submission_tells_the_agencys_officers_but_not_other_communes(
    dossier, officer, other_officer, citizen, django_capture_on_commit_callbacks
):
    second_officer = make_user("officer2@example.vn", Role.OFFICER, dossier.agency, "Đỗ Văn Khải")
    dossier.channel = Channel.ONLINE
    event = event_for(dossier, "submitted", citizen)

    with django_capture_on_commit_callbacks(execute=True):
        dossier_notify(dossier, "submitted", event)

    staff_rows = Notification.objects.filter(event="staff_new_dossier", channel="in_app")
    assert set(staff_rows.values_list("recipient", flat=True)) == {officer.pk, second_officer.pk}
    assert not Notification.objects.filter(recipient=other_officer).exists()


def test_a_counter_submission_does_not_announce_itself_to_the_officer_who_is_filing_it(
    dossier, officer, django_capture_on_commit_callbacks
):
    dossier.channel = Channel.IN_PERSON
    event = event_for(dossier, "submitted", officer)

    with django_capture_on_commit_callbacks(execute=True):
        dossier_notify(dossier, "submitted", event)

    assert not Notification.objects.filter(event="staff_new_dossier").exists()
    assert Notification.objects.filter(event="submitted", recipient=dossier.owner).exists()


def test_events_without_a_route_write_nothing(dossier, officer):
    dossier_notify(dossier, "in_person_step", event_for(dossier, "in_person_step", officer))

    assert not Notification.objects.exists()
