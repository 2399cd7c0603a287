"""Recording staff reads of a dossier's personal data."""

from __future__ import annotations

from accounts.models import STAFF_ROLES, User
from applications.models import AccessKind, DossierAccess


def dossier_access_record(
    *, dossier_id: int, user: User, kind: str, object_id: int | None = None, via_admin: bool = False
) -> None:
    """Log that a member of staff opened a dossier, one of its files or documents.

    Citizens reading their own dossier are not logged: the record is about officials' access.
    Reads through the Django admin are always logged, whatever the reader's role (any user with
    admin access can open a dossier there). Written in autocommit (views run outside a
    transaction), so the entry survives whatever the request does next.
    """
    if user.role not in STAFF_ROLES and not via_admin:
        return
    dossier_access_write(dossier_id=dossier_id, user_id=user.pk, kind=kind, object_id=object_id)


def dossier_access_write(*, dossier_id: int, user_id: int, kind: str, object_id: int | None = None) -> None:
    """The row itself, for a reader already known to be logged: also written when a kept officer's page
    is served again (applications/page_versions.py), whose reader passed the role check when it was kept."""
    DossierAccess.objects.create(dossier_id=dossier_id, user_id=user_id, kind=AccessKind(kind), object_id=object_id)
