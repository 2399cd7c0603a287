"""Everything the portal holds about one citizen, as a machine-readable export (the data subject's right
to obtain their personal data, Law 91/2025/QH15). A fixed number of queries whatever the number of
dossiers: each kind of row is read once for all of them.

Left out on purpose: password hashes, second-factor secrets, the identity provider's tokens (never
stored), staff-only notes (internal events), and other people's data.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from accounts.models import User
from applications.models import Attachment, Document, DocumentState, Dossier, DossierEvent
from docstore.selectors import RESULT, store_items
from feedback.models import Petition
from notifications.models import Notification
from payments.models import PaymentAttempt

EXPORT_NAME = "du-lieu-ca-nhan.json"


def _profile(user: User) -> dict[str, Any]:
    return {
        "full_name": user.full_name, "email": user.email, "phone": user.phone, "id_number": user.id_number,
        "date_of_birth": user.date_of_birth, "sex": user.sex, "address": user.address,
        "permanent_address": user.permanent_address, "preferred_language": user.preferred_language,
        "date_joined": user.date_joined, "identity_verified_at": user.identity_verified_at,
        "identity_level": user.identity_level,
    }


def _dossier(dossier: Dossier) -> dict[str, Any]:
    return {
        "code": dossier.code, "status": dossier.status, "status_label": str(dossier.get_status_display()),
        "procedure": dossier.procedure_version.name, "agency": dossier.agency.name, "channel": dossier.channel,
        "created_at": dossier.created_at, "submitted_at": dossier.submitted_at, "received_at": dossier.received_at,
        "due": dossier.due_current, "resolved_at": dossier.resolved_at, "returned_at": dossier.returned_at,
        "applicant": {"name": dossier.applicant_name, "id_number": dossier.applicant_id_number,
                      "phone": dossier.applicant_phone, "email": dossier.applicant_email,
                      "address": dossier.applicant_address},
        "subject": {"name": dossier.subject_name, "id_number": dossier.subject_id_number,
                    "relation": dossier.subject_relation},
        "form_answers": dossier.form_data,
        "result_delivery": dossier.result_delivery,
        "delivery": {"address": dossier.delivery_address, "province": dossier.delivery_province,
                     "commune": dossier.delivery_commune, "street": dossier.delivery_street,
                     "recipient_name": dossier.delivery_recipient_name,
                     "recipient_phone": dossier.delivery_recipient_phone},
        "fee_amount": dossier.fee_amount, "result_summary": dossier.result_summary,
        "consent_at": dossier.consent_at,
        "events": [{"action": e.action, "at": e.at, "from_status": e.from_status, "to_status": e.to_status,
                    "note": e.note} for e in dossier.public_events],  # type: ignore[attr-defined]  # set by Prefetch(to_attr=)
        "attachments": [{"name": a.original_name, "content_type": a.content_type, "size": a.size,
                         "sha256": a.sha256, "uploaded_at": a.uploaded_at, "digitised": a.is_digitised}
                        for a in dossier.attachments.all()],
        "documents": [{"kind": d.kind, "number": d.number, "issued_at": d.issued_at, "signed_by": d.signed_by,
                       "sha256": d.sha256} for d in dossier.ready_documents],  # type: ignore[attr-defined]  # set by Prefetch(to_attr=)
        "payments": [{"reference": p.txn_ref, "amount": p.amount, "state": p.state, "channel": p.channel,
                      "receipt_number": p.receipt_number, "created_at": p.created_at}
                     for p in dossier.payment_attempts.all()],
    }


def personal_data(user: User) -> dict[str, Any]:
    """The export as one JSON-safe dict (after `_json`)."""
    dossiers = (
        Dossier.objects.filter(owner=user).select_related("procedure_version", "agency").order_by("created_at", "pk")
        .prefetch_related(
            Prefetch("events", DossierEvent.objects.filter(is_public=True).order_by("at", "pk"),
                     to_attr="public_events"),
            Prefetch("attachments", Attachment.objects.order_by("pk")),
            Prefetch("documents", Document.objects.filter(state=DocumentState.READY).order_by("pk"),
                     to_attr="ready_documents"),
            Prefetch("payment_attempts", PaymentAttempt.objects.order_by("pk")),
        )
    )
    return {
        "exported_at": timezone.now(),
        "profile": _profile(user),
        "identity_links": [{"provider": link.provider, "assurance_level": link.assurance_level,
                            "linked_at": link.created_at, "last_sign_in_at": link.last_sign_in_at}
                           for link in user.identity_links.all()],
        "dossiers": [_dossier(dossier) for dossier in dossiers],
        "notifications": [{"channel": n.channel, "to": n.to_address, "subject": n.subject, "body": n.body,
                           "created_at": n.created_at, "sent_at": n.sent_at}
                          for n in Notification.objects.filter(recipient=user).order_by("created_at", "pk")],
        "petitions": [{"code": p.code, "title": p.title, "content": p.content, "sender_name": p.sender_name,
                       "sender_email": p.sender_email, "sender_phone": p.sender_phone, "status": p.status,
                       "received_at": p.received_at, "answer": p.answer, "answered_at": p.answered_at}
                      for p in Petition.objects.filter(submitted_by=user).order_by("received_at", "pk")],
    }


def _default(value: object) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def export_zip(user: User) -> bytes:
    """A ZIP of the JSON and the citizen's stored documents (results and kept papers)."""
    buffer = io.BytesIO()
    items = store_items(user)
    data = personal_data(user)
    data["stored_documents"] = [{"file": f"giay-to/{item.source}-{item.pk}", "name": item.name,
                                 "issuer": item.issuer, "issued_at": item.issued_at, "dossier": item.dossier_code,
                                 "sha256": item.sha256} for item in items]
    documents = {d.pk: d for d in Document.objects.filter(pk__in=[i.pk for i in items if i.source == RESULT])}
    files = {a.pk: a for a in Attachment.objects.filter(pk__in=[i.pk for i in items if i.source != RESULT])}
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(EXPORT_NAME, json.dumps(data, ensure_ascii=False, indent=2, default=_default))
        for item in items:
            row = documents.get(item.pk) if item.source == RESULT else files.get(item.pk)
            if row is None or not row.file:
                continue
            try:
                with row.file.open("rb") as handle:
                    archive.writestr(f"giay-to/{item.source}-{item.pk}", handle.read())
            except OSError:  # a file missing from storage: the JSON still lists it
                continue
    return buffer.getvalue()
