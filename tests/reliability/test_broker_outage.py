"""Redis is down while an officer receives a dossier: the receipt and the notifications are not lost."""

from __future__ import annotations

import time

import pytest

from applications.documents import documents_sweep
from applications.models import Document, DocumentKind, DocumentState, Status
from applications.workflow import dossier_receive
from notifications.models import Notification, NotificationState
from notifications.services import outbox_sweep_run
from tests.factories import make_dossier, make_procedure
from tests.notifications.test_sms_http_provider import SECRET, Gateway
from tests.support.services import celery_worker, publishing_to, redis_server, wait_for, worker_env

pytestmark = [pytest.mark.services, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_the_receipt_and_notifications_are_made_once_after_redis_comes_back(postgres_only, commune, citizen, officer):
    dossier = make_dossier(make_procedure(agency=commune), commune, citizen, status=Status.SUBMITTED,
                           applicant_phone="0912000001")
    gateway = Gateway()
    with redis_server() as (url, stop, start), publishing_to(url):
        env = worker_env({"CELERY_BROKER_URL": url, "SMS_PROVIDER": "http", "SMS_GATEWAY_URL": gateway.url,
                          "SMS_GATEWAY_SECRET": SECRET, "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"})
        # given: Redis is down
        stop()

        # when: the officer receives the dossier
        started = time.monotonic()
        dossier_receive(dossier, actor=officer, expected_version=dossier.version)
        elapsed = time.monotonic() - started

        # then: the transition is committed, with its rows waiting
        dossier.refresh_from_db()
        assert dossier.status == Status.RECEIVED
        assert elapsed < 15, f"publishing with Redis down blocked the request for {elapsed:.1f}s"
        receipt = Document.objects.get(dossier=dossier, kind=DocumentKind.RECEIPT)
        assert receipt.state == DocumentState.PENDING
        outbox = Notification.objects.filter(event="received").exclude(channel="in_app")
        assert set(outbox.values_list("channel", flat=True)) == {"email", "sms"}
        assert set(outbox.values_list("state", flat=True)) == {NotificationState.PENDING}

        # when: Redis is back, the sweepers run (twice, as beat would) and a worker is up
        start()
        with celery_worker(env, queues="notifications,documents") as worker:
            assert documents_sweep(older_than_seconds=0) == 1
            assert outbox_sweep_run(older_than_seconds=0) == 2
            documents_sweep(older_than_seconds=0)
            outbox_sweep_run(older_than_seconds=0)
            try:
                wait_for(lambda: Document.objects.get(pk=receipt.pk).state == DocumentState.READY, timeout=60,
                         message="the receipt PDF")
                wait_for(lambda: not outbox.filter(state=NotificationState.PENDING).exists(), timeout=60,
                         message="the notifications to be sent")
            except AssertionError:
                worker.terminate()
                raise
    gateway.close()

    # then: exactly one receipt and one message per channel
    assert Document.objects.filter(dossier=dossier, kind=DocumentKind.RECEIPT).count() == 1
    assert set(outbox.values_list("state", flat=True)) == {NotificationState.SENT}
    assert list(outbox.values_list("attempts", flat=True)) == [1, 1]
    assert len(gateway.requests) == 1
