"""A new online dossier tells the citizen and every one-stop officer in one batch: the same queries
whatever the number of officers, nothing left by a rollback, nothing written or sent twice."""

from __future__ import annotations

from datetime import timedelta

import pytest

from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Role
from applications.models import Channel, Dossier
from applications.notifications import dossier_notify
from notifications.models import Notification, NotificationState, NotificationTemplate
from notifications.services import Message, notification_queue_many, outbox_sweep_run, unread_count
from notifications.tasks import notification_send_batch
from tests.conftest import make_user
from tests.notifications.conftest import event_for

pytestmark = pytest.mark.django_db


def add_officers(agency, count: int, start: int = 2) -> list:
    return [make_user(f"officer{i}@example.vn", Role.OFFICER, agency, f"Cán bộ {i}") for i in range(start, start + count)]


def notify_submitted(dossier, citizen) -> None:
    dossier.channel = Channel.ONLINE
    dossier_notify(dossier, "submitted", event_for(dossier, "submitted", citizen))


def references(messages) -> list[str]:
    return sorted(message.extra_headers["X-Portal-Reference"] for message in messages)


def test_the_rows_of_a_new_dossier_take_the_same_queries_for_one_officer_as_for_ten(
    dossier, officer, citizen, django_capture_on_commit_callbacks
):
    def written() -> tuple[int, int]:
        fresh = Dossier.objects.get(pk=dossier.pk)  # nothing cached from the previous cause
        with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks() as callbacks:
            notify_submitted(fresh, citizen)
        # Kept pages' version bumps (portal/lib/personal_pages.py) are not this module's work.
        return len(queries), len([c for c in callbacks if "versions_changed" not in c.__qualname__])

    one = written()
    add_officers(dossier.agency, 9)
    ten = written()

    # The two causes are two events: each wrote its rows, the second for ten officers.
    assert Notification.objects.filter(event="staff_new_dossier", channel="email").count() == 1 + 10
    assert Notification.objects.filter(event="staff_new_dossier", channel="in_app").count() == 1 + 10
    assert ten == one
    # One publish for every email and SMS row, one cache call for every inbox.
    assert one[1] == 2


def test_a_batch_is_written_in_a_fixed_number_of_queries(
    dossier, officer, citizen, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    add_officers(dossier.agency, 29)
    event = event_for(dossier, "submitted", citizen)
    dossier.channel = Channel.ONLINE

    # The owner, the officers, two templates, the rows already written, the insert, the new ids.
    with django_assert_max_num_queries(7), django_capture_on_commit_callbacks():
        dossier_notify(dossier, "submitted", event)

    assert Notification.objects.count() == 3 + 30 * 2


def test_the_emails_go_out_after_commit_in_one_task_and_the_inboxes_are_told(
    dossier, officer, citizen, django_capture_on_commit_callbacks
):
    officers = [officer, *add_officers(dossier.agency, 2)]
    for user in officers:
        assert unread_count(user) == 0  # cached

    with django_capture_on_commit_callbacks() as callbacks:
        notify_submitted(dossier, citizen)
        assert mail.outbox == []  # nothing is sent before the commit
    for callback in callbacks:
        callback()

    email_rows = Notification.objects.exclude(channel="in_app")
    assert references(mail.outbox) == sorted(email_rows.filter(channel="email").values_list("dedupe_key", flat=True))
    assert len(mail.outbox) == 4
    assert set(email_rows.values_list("state", flat=True)) == {NotificationState.SENT}
    assert [unread_count(user) for user in officers] == [1, 1, 1]
    assert [message.to for message in mail.outbox if message.to != ["citizen@example.vn"]] == [
        [user.email] for user in officers
    ]


def test_a_rolled_back_cause_leaves_no_row_and_publishes_nothing(
    dossier, officer, citizen, django_capture_on_commit_callbacks
):
    add_officers(dossier.agency, 9)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            notify_submitted(dossier, citizen)
            assert Notification.objects.count() == 3 + 10 * 2  # written with their cause…
            raise RuntimeError("the transition failed after notifying")

    assert not Notification.objects.exists()  # …and gone with it
    assert callbacks == []
    assert mail.outbox == []


def test_notifying_the_same_submission_twice_writes_and_sends_nothing_more(
    dossier, officer, citizen, django_capture_on_commit_callbacks
):
    add_officers(dossier.agency, 9)
    dossier.channel = Channel.ONLINE
    event = event_for(dossier, "submitted", citizen)

    with django_capture_on_commit_callbacks(execute=True):
        dossier_notify(dossier, "submitted", event)
    rows = set(Notification.objects.values_list("pk", "dedupe_key", "state"))
    with CaptureQueriesContext(connection) as again, django_capture_on_commit_callbacks(execute=True) as callbacks:
        dossier_notify(dossier, "submitted", event)

    assert set(Notification.objects.values_list("pk", "dedupe_key", "state")) == rows
    assert callbacks == []
    assert not [sql for sql in again.captured_queries if sql["sql"].startswith("INSERT")]
    assert len(mail.outbox) == 1 + 10
    assert len(set(references(mail.outbox))) == 1 + 10


def test_a_batch_returns_the_rows_already_written_as_they_are(django_capture_on_commit_callbacks):
    messages = [Message(event="received", channel="email", dedupe_key=f"k:{i}", to_address=f"a{i}@example.vn",
                        context={"dossier_code": f"HS-{i}"}) for i in range(3)]

    with django_capture_on_commit_callbacks():
        first = notification_queue_many(messages[:2])
    with django_capture_on_commit_callbacks() as callbacks:
        second = notification_queue_many([messages[2], messages[0], messages[0]])

    assert [row.dedupe_key for row in second] == ["k:2", "k:0"]
    assert second[1].pk == first[0].pk
    assert Notification.objects.count() == 3
    assert len(callbacks) == 1  # the new row alone is published


def test_a_broken_admin_template_is_logged_and_the_rest_of_the_batch_is_written(
    dossier, officer, citizen, caplog, django_capture_on_commit_callbacks
):
    add_officers(dossier.agency, 2)
    NotificationTemplate.objects.update_or_create(event="staff_new_dossier", channel="email", language="vi",
                                                  defaults={"subject": "{% if %}", "body": "x"})

    with django_capture_on_commit_callbacks(execute=True):
        notify_submitted(dossier, citizen)

    assert "is broken; nothing queued" in caplog.text
    assert not Notification.objects.filter(event="staff_new_dossier", channel="email").exists()
    assert Notification.objects.filter(event="staff_new_dossier", channel="in_app").count() == 3
    assert mail.outbox[0].to == ["citizen@example.vn"] and len(mail.outbox) == 1


def test_the_sweeper_sends_a_batch_whose_task_was_lost_once(dossier, officer, citizen, django_capture_on_commit_callbacks):
    add_officers(dossier.agency, 4)
    with django_capture_on_commit_callbacks(execute=False):  # committed, but the publish never happened
        notify_submitted(dossier, citizen)
    outbox = Notification.objects.exclude(channel="in_app")
    outbox.update(created_at=timezone.now() - timedelta(minutes=10))

    assert outbox_sweep_run() == 1 + 1 + 5  # the citizen's email and SMS, the officers' emails
    assert outbox_sweep_run() == 0

    assert set(outbox.values_list("state", flat=True)) == {NotificationState.SENT}
    assert references(mail.outbox) == sorted(outbox.filter(channel="email").values_list("dedupe_key", flat=True))


def test_the_batch_task_goes_to_the_notifications_queue_with_room_for_a_full_batch():
    from portal.celery import app

    assert app.amqp.router.route({}, notification_send_batch.name)["queue"].name == "notifications"
    assert notification_send_batch.acks_late and notification_send_batch.reject_on_worker_lost
    assert notification_send_batch.soft_time_limit < notification_send_batch.time_limit
