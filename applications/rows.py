"""Row helpers every service that changes a dossier shares: lock it, then hand the saved state back.

Services lock the dossier row (SELECT … FOR UPDATE) inside their transaction, work on the locked
copy, and copy its fields back onto the caller's object so the caller sees the new status, code
and version without reloading.
"""

from __future__ import annotations

from applications.models import Dossier


def dossier_lock(dossier: Dossier, *related: str) -> Dossier:
    """The dossier's row, locked until the transaction ends (must run inside atomic()).

    `related` are select_related paths loaded in the same query (they are locked too).
    """
    rows = Dossier.objects.select_for_update()
    if related:
        rows = rows.select_related(*related)
    return rows.get(pk=dossier.pk)


def dossier_sync(original: Dossier, locked: Dossier) -> Dossier:
    """Copy the locked (saved) row's fields onto `original`; returns `original`."""
    if original is not locked:
        for field in Dossier._meta.concrete_fields:
            setattr(original, field.attname, getattr(locked, field.attname))
    return original
