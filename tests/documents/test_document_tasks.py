"""Documents are rows first: requesting twice or rendering twice makes one document, a ready one
never changes, failures are retried and then recorded, lost tasks are swept up."""

from __future__ import annotations

from datetime import timedelta

import pytest

from django.db import transaction
from django.utils import timezone

from applications.documents import MAX_ATTEMPTS, document_generate, document_request, documents_sweep
from applications.models import Document, DocumentKind, DocumentState
from applications.tasks import document_render
from tests.documents.conftest import add_event
from tests.support.services import publishing_to

pytestmark = pytest.mark.django_db


def request_receipt(dossier, officer, capture, execute=False):
    event = add_event(dossier, "received", officer)
    with capture(execute=execute):
        return document_request(dossier, DocumentKind.RECEIPT, source_key=f"event:{event.pk}", issued_by=officer)


def test_requesting_the_same_document_twice_makes_one_row(received_dossier, officer, django_capture_on_commit_callbacks):
    event = add_event(received_dossier, "received", officer)
    with django_capture_on_commit_callbacks() as callbacks:
        first = document_request(received_dossier, DocumentKind.RECEIPT, source_key=f"event:{event.pk}")
        second = document_request(received_dossier, DocumentKind.RECEIPT, source_key=f"event:{event.pk}")

    assert first.pk == second.pk
    assert Document.objects.count() == 1
    renders = [callback for callback in callbacks if "dispatch_on_commit" in callback.__qualname__]
    assert len(renders) == 1  # one render task, not two


def test_rendering_twice_keeps_the_first_file_and_hash(received_dossier, officer, django_capture_on_commit_callbacks):
    document = request_receipt(received_dossier, officer, django_capture_on_commit_callbacks)

    assert document_generate(document_id=document.pk) == DocumentState.READY
    document.refresh_from_db()
    name, digest = document.file.name, document.sha256
    assert document_render(document.pk) == DocumentState.READY

    document.refresh_from_db()
    assert (document.file.name, document.sha256, document.attempts) == (name, digest, 1)


def test_a_render_failure_is_retried_then_recorded(received_dossier, officer, django_capture_on_commit_callbacks):
    document = request_receipt(received_dossier, officer, django_capture_on_commit_callbacks)
    Document.objects.filter(pk=document.pk).update(legal_basis="no_such_circular")

    states = [document_generate(document_id=document.pk) for _attempt in range(MAX_ATTEMPTS)]

    document.refresh_from_db()
    assert states == [DocumentState.PENDING] * (MAX_ATTEMPTS - 1) + [DocumentState.FAILED]
    assert document.attempts == MAX_ATTEMPTS
    assert "KeyError" in document.error
    assert not document.file


def test_a_broker_outage_at_commit_does_not_undo_the_transaction(
    received_dossier, officer, caplog, django_capture_on_commit_callbacks
):
    # A real broker that is not there (nothing listens on port 1): publishing genuinely fails.
    with publishing_to("redis://127.0.0.1:1/0"), django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            document = request_receipt(received_dossier, officer, django_capture_on_commit_callbacks)

    assert Document.objects.get(pk=document.pk).state == DocumentState.PENDING
    assert "the sweeper will retry" in caplog.text


def test_the_sweeper_renders_documents_whose_task_was_lost(received_dossier, officer, django_capture_on_commit_callbacks):
    document = request_receipt(received_dossier, officer, django_capture_on_commit_callbacks)
    fresh = request_receipt(received_dossier, officer, django_capture_on_commit_callbacks)
    Document.objects.filter(pk=document.pk).update(created_at=timezone.now() - timedelta(minutes=10))

    with django_capture_on_commit_callbacks(execute=True):
        assert documents_sweep() == 1

    assert Document.objects.get(pk=document.pk).state == DocumentState.READY
    assert Document.objects.get(pk=fresh.pk).state == DocumentState.PENDING
