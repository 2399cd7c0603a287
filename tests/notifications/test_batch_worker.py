"""Real Redis, a real Celery worker, a local SMTP server: a new dossier's emails leave in one task,
each exactly once, even when the task is delivered twice; a rolled-back cause publishes nothing."""

from __future__ import annotations

import socketserver
import threading

import pytest
from celery.signals import before_task_publish

from django.db import connection, transaction

from accounts.models import Role
from applications.models import Channel
from applications.notifications import dossier_notify
from notifications.models import Notification, NotificationState
from notifications.services import notification_queue
from notifications.tasks import notification_send_batch
from tests.conftest import make_user
from tests.notifications.conftest import event_for
from tests.support.services import celery_worker, publishing_to, redis_server, unavailable, wait_for, worker_env

pytestmark = [pytest.mark.services, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


class SmtpServer:
    """Accepts every message and keeps it (the mail relay production hands messages to)."""

    def __init__(self) -> None:
        self.messages: list[bytes] = []
        server = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                self.wfile.write(b"220 test relay\r\n")
                while line := self.rfile.readline():
                    verb = line[:4].upper()
                    if verb == b"DATA":
                        self.wfile.write(b"354 end with .\r\n")
                        data = []
                        while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                            data.append(chunk)
                        server.messages.append(b"".join(data))
                        self.wfile.write(b"250 queued\r\n")
                    elif verb == b"QUIT":
                        self.wfile.write(b"221 bye\r\n")
                        return
                    else:  # EHLO, MAIL, RCPT, RSET, NOOP
                        self.wfile.write(b"250 ok\r\n")

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def references(self) -> list[str]:
        found = []
        for message in self.messages:
            for line in message.decode(errors="replace").splitlines():
                if line.startswith("X-Portal-Reference: "):
                    found.append(line.split(": ", 1)[1].strip())
        return sorted(found)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def postgres_only() -> None:
    # The worker is another process: it must see the test's committed rows in a real database.
    if connection.vendor != "postgresql":
        unavailable("needs DATABASE_URL=postgres://… (a worker cannot share SQLite's test DB)")


@pytest.fixture
def published():
    names: list[str] = []

    def record(sender=None, **_kwargs) -> None:
        names.append(sender)

    before_task_publish.connect(record, weak=False)
    yield names
    before_task_publish.disconnect(record)


def test_a_new_dossiers_emails_leave_in_one_task_and_each_is_sent_once(
    postgres_only, published, dossier, officer, citizen
):
    for i in range(2, 11):
        make_user(f"officer{i}@example.vn", Role.OFFICER, dossier.agency, f"Cán bộ {i}")
    dossier.channel = Channel.ONLINE
    event = event_for(dossier, "submitted", citizen)
    relay = SmtpServer()
    with redis_server() as (url, _stop, _start), publishing_to(url):
        env = worker_env({"CELERY_BROKER_URL": url, "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                          "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(relay.port)})
        with celery_worker(env, queues="notifications") as worker:
            with transaction.atomic():
                dossier_notify(dossier, "submitted", event)
                assert published == []  # nothing before the commit
            assert published == ["notifications.tasks.notification_send_batch"]
            ids = sorted(Notification.objects.exclude(channel="in_app").values_list("pk", flat=True))
            outbox = Notification.objects.filter(pk__in=ids)
            # The same batch delivered again (a redelivery after a lost ack), then a later row: once that
            # one is sent, the single worker process has run the duplicate before it.
            notification_send_batch.delay(ids)
            last = notification_queue(event="received", channel="email", dedupe_key="after-the-duplicate",
                                      to_address="an@example.vn", context={"dossier_code": dossier.code})
            try:
                wait_for(lambda: Notification.objects.get(pk=last.pk).state == NotificationState.SENT, timeout=60,
                         message="the batches to be sent")
            except AssertionError:
                worker.terminate()
                raise
    relay.close()

    emails = sorted(outbox.filter(channel="email").values_list("dedupe_key", flat=True))
    assert len(emails) == 1 + 10
    assert relay.references() == sorted([*emails, "after-the-duplicate"])
    assert set(outbox.values_list("state", flat=True)) == {NotificationState.SENT}
    assert set(outbox.values_list("attempts", flat=True)) == {1}
    assert "notifications.tasks.notification_send_batch" in worker.log_text


def test_a_rolled_back_cause_publishes_nothing(postgres_only, published, dossier, officer, citizen):
    dossier.channel = Channel.ONLINE
    event = event_for(dossier, "submitted", citizen)
    with redis_server() as (url, _stop, _start), publishing_to(url):
        with pytest.raises(RuntimeError), transaction.atomic():
            dossier_notify(dossier, "submitted", event)
            raise RuntimeError("the transition failed after notifying")

    assert not Notification.objects.exists()
    assert published == []
