"""Write use-cases of the catalogue: publishing versions, drafting new ones, switching the version in force.

A Procedure's `current_version` and `search_text` are denormalised for fast lists; only these
services write them, so they can never drift from the published versions.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.lib.text import normalize_search
from procedures.cache import catalogue_changed
from procedures.models import Procedure, ProcedureVersion, VersionStatus


class ProcedureError(Exception):
    """A catalogue use-case refused; the message is for the admin."""


def procedure_search_text(procedure: Procedure) -> str:
    """The accent-free text search matches against: code, name in force, sector."""
    version = procedure.current_version
    parts = [procedure.code, version.name if version else "", procedure.sector.name]
    return normalize_search(" ".join(parts))


def procedure_refresh(*, procedure: Procedure, today: date | None = None) -> Procedure:
    """Point `current_version` at the latest published version already in effect and refresh `search_text`.

    Idempotent; writes only when something changed.
    """
    today = today or timezone.localdate()
    in_force = (
        procedure.versions.filter(status=VersionStatus.PUBLISHED, effective_from__lte=today)
        .order_by("-effective_from", "-number")
        .first()
    )
    changed: list[str] = []
    if in_force is not None and procedure.current_version_id != in_force.pk:
        procedure.current_version = in_force
        changed.append("current_version")
    search_text = procedure_search_text(procedure)
    if procedure.search_text != search_text:
        procedure.search_text = search_text
        changed.append("search_text")
    if changed:
        procedure.save(update_fields=[*changed, "updated_at"])
        catalogue_changed()
    return procedure


@transaction.atomic
def procedure_version_publish(version: ProcedureVersion, *, effective_from: date) -> ProcedureVersion:
    """Publish a draft. It becomes the version in force now if `effective_from` is today or earlier,
    otherwise `procedure_versions_activate()` switches to it on that day."""
    version = ProcedureVersion.objects.select_for_update().select_related("procedure").get(pk=version.pk)
    if version.status == VersionStatus.PUBLISHED:
        raise ProcedureError(_("Phiên bản %(number)s đã được công bố.") % {"number": version.number})
    version.status = VersionStatus.PUBLISHED
    version.effective_from = effective_from
    version.published_at = timezone.now()
    try:
        version.full_clean()
    except ValidationError as exc:
        # e.g. a full-process version whose online filing, payment or result is switched off.
        raise ProcedureError(" ".join(exc.messages)) from exc
    version.save(update_fields=["status", "effective_from", "published_at"])
    procedure = Procedure.objects.select_for_update().select_related("sector").get(pk=version.procedure_id)
    if not procedure.is_published and procedure.current_version_id is None:
        # The first published version makes the procedure public; later the admin decides.
        procedure.is_published = True
        procedure.save(update_fields=["is_published", "updated_at"])
    procedure_refresh(procedure=procedure)
    catalogue_changed()
    return version


@transaction.atomic
def procedure_version_new_draft(procedure: Procedure) -> ProcedureVersion:
    """A draft copying the version in force (or the latest one) with everything hanging off it.

    Idempotent: when a draft already exists, that draft is returned unchanged.
    """
    procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
    existing = procedure.versions.filter(status=VersionStatus.DRAFT).order_by("-number").first()
    if existing is not None:
        return existing
    source = procedure.current_version or procedure.versions.order_by("-number").first()
    if source is None:
        raise ProcedureError(_("Thủ tục chưa có phiên bản nào để sao chép."))
    next_number = (procedure.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    draft = _version_copy(source, number=next_number)
    return draft


def _version_copy(source: ProcedureVersion, *, number: int) -> ProcedureVersion:
    agencies = list(source.receiving_agencies.all())
    legal_documents = list(source.legal_documents.all())
    components = list(source.components.all())
    fees = list(source.fees.all())
    form_fields = list(source.form_fields.all())

    draft = ProcedureVersion.objects.get(pk=source.pk)
    draft.pk = None
    draft.id = None
    draft._state.adding = True
    draft.number = number
    draft.status = VersionStatus.DRAFT
    draft.published_at = None
    draft.effective_from = max(source.effective_from, timezone.localdate())
    draft.save()
    draft.receiving_agencies.set(agencies)
    draft.legal_documents.set(legal_documents)
    for rows in (components, fees, form_fields):
        for row in rows:
            row.pk = None
            row.id = None
            row._state.adding = True
            row.version = draft
        if rows:
            type(rows[0]).objects.bulk_create(rows)
    return draft


def procedure_versions_activate(*, today: date | None = None) -> list[str]:
    """Switch every procedure whose future-dated published version has become effective.

    Beat runs it daily (procedures.tasks.procedure_versions_activate); idempotent. Returns the codes switched.
    """
    today = today or timezone.localdate()
    # One query finds only the procedures with a newer published version now in effect.
    newer = Q(current_version__isnull=True) | Q(versions__effective_from__gt=F("current_version__effective_from"))
    candidates = Procedure.objects.filter(
        newer, versions__status=VersionStatus.PUBLISHED, versions__effective_from__lte=today
    ).distinct()
    switched = []
    for procedure in candidates.select_related("sector", "current_version"):
        with transaction.atomic():
            before = procedure.current_version_id
            procedure_refresh(procedure=procedure, today=today)
            if procedure.current_version_id != before:
                switched.append(procedure.code)
    return switched


def procedure_popularity_increment(*, procedure_id: int) -> None:
    """Count one more dossier filed for the procedure (the home page's "most used" order).

    For the filing services to call; an F() update, so concurrent filings never lose a count. Cached
    pages pick the new order up within their TTL rather than being invalidated on every filing.
    """
    Procedure.objects.filter(pk=procedure_id).update(popularity=F("popularity") + 1)
