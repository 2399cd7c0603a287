"""Row helpers every service that changes a dossier shares: lock it, then hand the saved state back.

Services lock the dossier row (SELECT … FOR UPDATE) inside their transaction, work on the locked
copy, and copy its fields back onto the caller's object so the caller sees the new status, code
and version without reloading.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import IntegrityError, models, transaction

from applications.models import Dossier

CounterT = TypeVar("CounterT", bound=models.Model)


def dossier_lock(dossier: Dossier, *related: str) -> Dossier:
    """The dossier's row, locked until the transaction ends (must run inside atomic()).

    `related` are select_related paths loaded in the same query; only the dossier's row is locked
    (`of=("self",)`). Locking the joined agency and procedure version too serialised every payment of a
    commune and deadlocked against other dossiers' INSERTs, whose foreign-key checks take a KEY SHARE lock
    on those same rows at COMMIT (seen under bench/load.py). FOR NO KEY UPDATE still excludes every
    other locker of this dossier but lets rows that merely reference it (events, documents) be inserted.
    """
    rows = Dossier.objects.select_for_update(of=("self",), no_key=True)
    if related:
        rows = rows.select_related(*related)
    return rows.get(pk=dossier.pk)


def dossier_sync(original: Dossier, locked: Dossier) -> Dossier:
    """Copy the locked (saved) row's fields onto `original`; returns `original`."""
    if original is not locked:
        for field in Dossier._meta.concrete_fields:
            setattr(original, field.attname, getattr(locked, field.attname))
    return original


def counter_row_locked(model: type[CounterT], **key: Any) -> CounterT:
    """The counter row `model(**key)` (dossier codes per day, tracking-book numbers per year), created
    at 0 on first use and locked until the transaction ends (must run inside atomic())."""
    counter = model._default_manager.select_for_update().filter(**key).first()
    if counter is not None:
        return counter
    try:
        # A savepoint: if a concurrent transaction created the row first, only this insert is
        # rolled back and we wait for the winner's lock instead.
        with transaction.atomic():
            model._default_manager.create(**key, last_value=0)
    except IntegrityError:
        pass
    return model._default_manager.select_for_update().get(**key)
