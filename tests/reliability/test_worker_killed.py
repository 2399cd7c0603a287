"""A worker is killed (SIGKILL) in the middle of rendering: the task is delivered again and exactly
one document exists (late acknowledgement + a Redis visibility timeout)."""

from __future__ import annotations

import os
import signal
import time

import pytest

from django.db import DatabaseError, transaction

from applications.documents import document_request
from applications.models import Document, DocumentKind, DocumentState, DossierEvent, Status
from tests.factories import make_dossier, make_procedure
from tests.support.services import celery_worker, publishing_to, redis_server, wait_for, worker_env

pytestmark = [pytest.mark.services, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
VISIBILITY_TIMEOUT = 3


def is_being_rendered(document_id: int) -> bool:
    """The worker holds the row lock while it renders."""
    try:
        with transaction.atomic():
            list(Document.objects.select_for_update(nowait=True).filter(pk=document_id))
    except DatabaseError:
        return True
    return False


def test_a_document_task_killed_mid_render_runs_again_and_makes_one_document(
    postgres_only, commune, citizen, officer, django_capture_on_commit_callbacks
):
    dossier = make_dossier(make_procedure(agency=commune), commune, citizen, status=Status.RECEIVED)
    event = DossierEvent.objects.create(dossier=dossier, action="received", actor=officer, at=dossier.submitted_at)
    with redis_server() as (url, _stop, _start), publishing_to(url):
        slow = worker_env({"CELERY_BROKER_URL": url, "PDF_RENDER_DELAY_SECONDS": "30",
                           "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT)})
        with celery_worker(slow, queues="documents") as doomed:
            # given: a worker is rendering the receipt
            with transaction.atomic():
                document = document_request(dossier, DocumentKind.RECEIPT, source_key=f"event:{event.pk}",
                                            issued_by=officer)
            wait_for(lambda: is_being_rendered(document.pk), timeout=60, message="the worker to start rendering")

            # when: the worker and its children are killed without warning
            os.killpg(doomed.pid, signal.SIGKILL)
            doomed.wait(timeout=10)

        assert Document.objects.get(pk=document.pk).state == DocumentState.PENDING
        killed_at = time.monotonic()

        # then: a new worker gets the unacknowledged task again (no sweeper involved)
        fast = worker_env({"CELERY_BROKER_URL": url, "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
                           "CELERY_UNACKED_RESTORE_INTERVAL": "1", "CELERY_UNACKED_RESTORE_THROTTLE": "1"})
        with celery_worker(fast, queues="documents") as worker:
            try:
                wait_for(lambda: Document.objects.get(pk=document.pk).state == DocumentState.READY, timeout=60,
                         message="the redelivered task to render the receipt")
            except AssertionError:
                worker.terminate()
                raise
    redelivered_after = time.monotonic() - killed_at

    document.refresh_from_db()
    assert Document.objects.filter(kind=DocumentKind.RECEIPT, source_key=f"event:{event.pk}").count() == 1
    assert document.attempts == 1  # the killed run left no trace; the second one rendered it
    assert len(document.sha256) == 64
    assert redelivered_after >= VISIBILITY_TIMEOUT - 1
