"""What the dossier pages kept by portal.lib.personal_pages depend on, and the writes that change it.

- a dossier's pages (the citizen's and the officers'): `pp:dossier:<id>`, dropped by every save or
  delete of the dossier and of any row that points at it (events, attachments, documents, fees,
  payments, the post...: every model with a foreign key to Dossier, found when the app loads, so a
  new one is covered without a line here), and by the queryset updates that change what the pages
  show and send no signal (documents.py, digitisation.py, payments, the national portal's intake);
- the citizen's list: `pp:owner:<user id>`, dropped by every save of one of their dossiers (the list
  shows the dossier's own columns only);
- the officers' queues: their agencies' badge versions (applications/queues.py), which every dossier
  write already changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.http import HttpRequest

from accounts.access import staff_agency_ids
from portal.lib.personal_pages import versions_changed

# Rows pointing at a dossier that no page shows: writing them must not throw the pages away. The
# access log is written by every view of the officer's dossier page.
NOT_SHOWN = {"applications.DossierAccess"}


def dossier_key(dossier_id: Any) -> str:
    return f"pp:dossier:{dossier_id}"


def owner_key(owner_id: Any) -> str:
    return f"pp:owner:{owner_id}"


def dossier_pages_changed(*dossier_ids: Any) -> None:
    versions_changed([dossier_key(pk) for pk in dossier_ids if pk is not None])


def dossier_saved(instance: Any, **_signal_kwargs: object) -> None:
    keys = [dossier_key(instance.pk)]
    if instance.owner_id is not None:
        keys.append(owner_key(instance.owner_id))
    versions_changed(keys)


def dossier_row_saved_handler(attname: str):
    def handler(instance: Any, **_signal_kwargs: object) -> None:
        dossier_pages_changed(getattr(instance, attname))

    return handler


def rows_pointing_at(dossier_model: type[models.Model]) -> Iterable[tuple[type[models.Model], str]]:
    """(model, foreign key attname) for every model whose rows name a dossier."""
    from django.apps import apps

    for model in apps.get_models():
        if model._meta.label in NOT_SHOWN:
            continue
        for field in model._meta.concrete_fields:
            if field.many_to_one or field.one_to_one:
                if field.related_model is dossier_model:
                    yield model, field.attname


# --- Scopes for @personal_page --------------------------------------------------------------------


def dossier_by_code(request: HttpRequest, kwargs: dict[str, Any]) -> list[str] | None:
    from applications.models import Dossier

    pk = Dossier.objects.filter(code=kwargs.get("code", "")).values_list("pk", flat=True).first()
    request.personal_page_dossier_id = pk  # type: ignore[attr-defined]
    return None if pk is None else [dossier_key(pk)]


def own_dossiers(request: HttpRequest, _kwargs: dict[str, Any]) -> list[str]:
    return [owner_key(request.user.pk)]


def staff_agencies(request: HttpRequest, _kwargs: dict[str, Any]) -> list[str]:
    from applications.queues import agency_version_key

    return [agency_version_key(pk) for pk in staff_agency_ids(request.user)]  # type: ignore[arg-type]


def dossier_access_args(request: HttpRequest, _kwargs: dict[str, Any]) -> tuple:
    """The officer's dossier page logs every view (access_log.py): the stored page keeps the id to log
    (found by dossier_by_code, which runs first)."""
    return (request.personal_page_dossier_id,)  # type: ignore[attr-defined]


def dossier_access_on_hit(user_id: int, dossier_id: int) -> None:
    from applications.access_log import dossier_access_write
    from applications.models import AccessKind

    dossier_access_write(dossier_id=dossier_id, user_id=user_id, kind=AccessKind.DOSSIER)
