"""Access-scoped lookups. Every view fetches dossiers through these, never with a bare query:
a citizen gets only their own dossiers, staff only their agency's (and the agencies below)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from accounts.access import staff_agency_ids
from accounts.models import User
from applications.models import Attachment, Dossier


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
