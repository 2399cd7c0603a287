"""Access-scoped lookups. Every view fetches dossiers through these, never with a bare query:
a citizen gets only their own dossiers, staff only their agency's (and the agencies below)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from accounts.access import staff_agency_ids
from accounts.models import User
from applications.models import Attachment, Document, DocumentKind, DocumentState, Dossier

# The papers addressed to the applicant. The control sheet (Mẫu 06) and the tracking-book extract
# (Mẫu 07) are the agency's internal records: they copy internal notes (submit-for-approval,
# send-back) and other people's hand-overs, so the citizen never gets them.
CITIZEN_DOCUMENT_KINDS = frozenset({
    DocumentKind.RECEIPT, DocumentKind.SUPPLEMENT, DocumentKind.REFUSAL, DocumentKind.APOLOGY, DocumentKind.STOP,
    DocumentKind.NOT_ELIGIBLE, DocumentKind.RESULT, DocumentKind.PAYMENT_RECEIPT,
})


def dossiers_for_citizen(user: User) -> QuerySet[Dossier]:
    if not user.is_authenticated:
        return Dossier.objects.none()
    return Dossier.objects.filter(owner=user)


def dossiers_for_staff(user: User) -> QuerySet[Dossier]:
    return Dossier.objects.filter(agency_id__in=staff_agency_ids(user))


def dossier_get_for_citizen(user: User, code: str) -> Dossier:
    """The citizen's own dossier by code; 404 (not 403) otherwise, so codes cannot be probed."""
    dossier = dossiers_for_citizen(user).select_related("procedure_version__procedure", "agency").filter(code=code).first()
    if dossier is None:
        raise Http404("Không tìm thấy hồ sơ.")
    return dossier


def dossier_get_for_staff(user: User, code: str) -> Dossier:
    dossier = (
        dossiers_for_staff(user)
        .select_related("procedure_version__procedure", "agency", "owner", "assigned_to", "filed_by")
        .filter(code=code)
        .first()
    )
    if dossier is None:
        raise Http404("Không tìm thấy hồ sơ.")
    return dossier


def attachment_get_for_user(user: User, pk: int) -> Attachment:
    """An attachment the user may open: the dossier's owner, or staff of the handling agency."""
    attachments = Attachment.objects.select_related("dossier")
    attachment = attachments.filter(pk=pk, dossier__owner=user).first() if user.is_authenticated else None
    if attachment is None and user.is_authenticated:
        attachment = attachments.filter(pk=pk, dossier__agency_id__in=staff_agency_ids(user)).first()
    if attachment is None:
        raise Http404("Không tìm thấy tệp.")
    return attachment


def documents_for_citizen(dossier: Dossier) -> QuerySet[Document]:
    """The documents of the citizen's own dossier (from dossier_get_for_citizen) they may see."""
    return dossier.documents.filter(kind__in=CITIZEN_DOCUMENT_KINDS).order_by("created_at", "pk")


def document_get_for_citizen(user: User, code: str, pk: int) -> Document:
    """A ready document of the citizen's own dossier, of a kind addressed to them; 404 otherwise."""
    dossier = dossier_get_for_citizen(user, code)
    document = documents_for_citizen(dossier).filter(pk=pk, state=DocumentState.READY).first()
    if document is None:
        raise Http404("Không tìm thấy văn bản.")
    return document
