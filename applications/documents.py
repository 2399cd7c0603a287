"""Official documents (slips, e-results, receipts) as PDF rows. (Filled in by the documents issue.)"""

from __future__ import annotations

from django.conf import settings

from applications.models import Document, Dossier


def document_request(
    dossier: Dossier | None, kind: str, *, source_key: str, issued_by: settings.AUTH_USER_MODEL | None = None,
    context: dict | None = None,
) -> Document:
    """Record that a document must be made; call inside the transaction of its cause.

    Idempotent: a second call with the same (kind, source_key) returns the existing row.
    The PDF is rendered by a Celery task after commit.
    """
    document, _created = Document.objects.get_or_create(
        kind=kind, source_key=source_key,
        defaults={"dossier": dossier, "issued_by": issued_by, "context": context or {}},
    )
    return document
