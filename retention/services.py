"""The retention job: anonymise ended dossiers past their retention period, delete stale drafts, and
anonymise old petitions. Each run is one `RetentionRun` row with its counts; every step is idempotent
(a dossier is marked once anonymised) and batched; files leave storage only after the commit.

What is kept, and why: the quality figures (Decision 766) count from dates, agency, procedure, channel,
timeliness, fees, status and the events' actions and times, so those stay. What goes: everything that
names, identifies or locates a person (Law 91/2025/QH15: data kept no longer than the purpose needs).
Results issued by the state are archived, not deleted, when a `RetentionRule` for their kind says
"permanent" (Law on Archives 33/2024/QH15; retention tables of Circular 13/2023/TT-BNV).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.db.models.deletion import ProtectedError
from django.utils import timezone

from applications.models import (
    FINAL_STATES,
    Apology,
    Attachment,
    ControlSheetEntry,
    Document,
    Dossier,
    DossierEvent,
    Extension,
    SlipMailing,
    Status,
    SupplementRequest,
)
from feedback.models import OPEN_PETITION_STATES, Petition, PetitionAttachment, PetitionEvent, Rating
from national.models import InboundDossier, NationalSync
from notifications.models import Notification
from payments.models import FeeAssessment
from portal.lib.storage import private_storage
from postal.models import PostalOrder, PostalUpdate
from retention.models import AnonymisedDossier, AnonymisedPetition, RetentionRule, RetentionRun

logger = logging.getLogger(__name__)

# What replaces a required text that held personal data.
ANONYMISED = "[đã ẩn danh]"
BATCH = 200
# Event data the figures, deadlines and the timeline read; every other key (names, phones, addresses,
# reasons, defect lists) is dropped.
EVENT_DATA_KEPT = frozenset({
    "timeliness", "channel", "due_after", "due_before", "due", "transfer_due", "amount", "method", "days",
    "legal_basis", "kind", "supplement_request", "status_label", "national_status", "step", "reference",
})


@dataclass
class Rules:
    """The retention rules of one run, looked up without a query per dossier."""

    by_key: dict[tuple[int | None, int | None, str], int | None]
    default_years: int

    @classmethod
    def load(cls) -> Rules:
        rows = RetentionRule.objects.values_list("procedure_id", "sector_id", "document_kind", "years")
        return cls({(p, s, k): y for p, s, k, y in rows}, settings.RETENTION_DEFAULT_YEARS)

    def years(self, procedure_id: int, sector_id: int | None, kind: str = "") -> int | None:
        """The most specific period: procedure, then sector, then the default row; None = permanent."""
        for key in ((procedure_id, None, kind), (None, sector_id, kind), (None, None, kind)):
            if key in self.by_key:
                return self.by_key[key]
        if kind:
            return self.years(procedure_id, sector_id)  # a kind with no rule follows the dossier
        return self.default_years

    def shortest(self) -> int:
        spans = [y for (_p, _s, kind), y in self.by_key.items() if not kind and y is not None]
        return min([*spans, self.default_years])


@dataclass
class Counts:
    dossiers: int = 0
    drafts: int = 0
    petitions: int = 0
    files: list[str] = field(default_factory=list)
    archived: int = 0


def _years_ago(now: datetime, years: int) -> datetime:
    return now - timedelta(days=365 * years + years // 4)


def retention_run(now: datetime | None = None) -> RetentionRun:
    """One run of the job; safe to run twice (the second finds nothing to do)."""
    now = now or timezone.now()
    run = RetentionRun.objects.create(started_at=now)
    counts = Counts()
    rules = Rules.load()
    _anonymise_due_dossiers(run, rules, now, counts)
    _delete_stale_drafts(now, counts)
    _anonymise_old_petitions(run, now, counts)
    run.dossiers_anonymised = counts.dossiers
    run.drafts_deleted = counts.drafts
    run.petitions_anonymised = counts.petitions
    run.files_deleted = len(counts.files)
    run.documents_archived = counts.archived
    run.finished_at = timezone.now()
    run.save()
    logger.info("retention run %s: %s dossiers, %s drafts, %s petitions, %s files", run.pk, counts.dossiers,
                counts.drafts, counts.petitions, len(counts.files))
    return run


def _anonymise_due_dossiers(run: RetentionRun, rules: Rules, now: datetime, counts: Counts) -> None:
    # Dossiers in a final state with the moment they ended: the last event that led into that state.
    candidates = (Dossier.objects.filter(status__in=FINAL_STATES)
                  .annotate(ended_at=Max("events__at", filter=Q(events__to_status__in=FINAL_STATES)))
                  .filter(ended_at__lt=_years_ago(now, rules.shortest()))
                  .exclude(pk__in=AnonymisedDossier.objects.values("dossier_id"))
                  .values_list("pk", "procedure_version__procedure_id", "procedure_version__procedure__sector_id",
                               "ended_at").order_by("pk"))
    last = 0
    while True:
        batch = list(candidates.filter(pk__gt=last)[:BATCH])
        if not batch:
            return
        last = batch[-1][0]
        for pk, procedure_id, sector_id, ended_at in batch:
            years = rules.years(procedure_id, sector_id)
            if years is None or ended_at >= _years_ago(now, years):
                continue
            _anonymise_one(pk, run, rules, now, counts, procedure_id, sector_id)


@transaction.atomic
def _anonymise_one(pk: int, run: RetentionRun, rules: Rules, now: datetime, counts: Counts, procedure_id: int,
                   sector_id: int | None) -> None:
    dossier = Dossier.objects.select_for_update().filter(pk=pk, status__in=FINAL_STATES).first()
    if dossier is None or AnonymisedDossier.objects.filter(dossier_id=pk).exists():
        return
    files: list[str] = []
    Dossier.objects.filter(pk=pk).update(
        applicant_name=ANONYMISED, applicant_id_number="", applicant_phone="", applicant_email="",
        applicant_address="", subject_name=ANONYMISED if dossier.subject_name else "", subject_id_number="",
        form_data={}, delivery_address="", delivery_street="", delivery_recipient_name="",
        delivery_recipient_phone="", result_summary="",
    )
    # Events keep action, actor, time and states (the figures and the audit trail); notes may hold names.
    for event in DossierEvent.objects.filter(dossier_id=pk).only("pk", "data"):
        kept = {key: value for key, value in (event.data or {}).items() if key in EVENT_DATA_KEPT}
        DossierEvent.objects.filter(pk=event.pk).update(note="", on_behalf_of="", data=kept)
    SupplementRequest.objects.filter(dossier_id=pk).update(items=[], answer_note="")
    Apology.objects.filter(dossier_id=pk).update(reason=ANONYMISED)
    Extension.objects.filter(dossier_id=pk).update(reason=ANONYMISED)
    SlipMailing.objects.filter(dossier_id=pk).update(recipient_name=ANONYMISED, address=ANONYMISED)
    Rating.objects.filter(dossier_id=pk).update(comment="")
    FeeAssessment.objects.filter(dossier_id=pk).update(exemption_reason="", adjust_reason="")
    PostalOrder.objects.filter(dossier_id=pk).update(recipient_name=ANONYMISED, recipient_phone="",
                                                     address=ANONYMISED)
    PostalUpdate.objects.filter(order__dossier_id=pk).update(note="")
    NationalSync.objects.filter(dossier_id=pk).update(response_body="", error="")
    InboundDossier.objects.filter(dossier_id=pk).update(payload={}, reason="")
    # The process control sheet (Mẫu 06) names the applicant on its first hand-over; staff names stay.
    for entry in ControlSheetEntry.objects.filter(dossier_id=pk).only("pk", "from_party", "to_party"):
        ControlSheetEntry.objects.filter(pk=entry.pk).update(
            from_party=_without(entry.from_party, dossier), to_party=_without(entry.to_party, dossier), note="",
        )
    # The messages sent about it: rendered texts, addresses and their context.
    Notification.objects.filter(_notifications_of(dossier)).update(subject="", body="", context={}, to_address="")
    # Papers handed in: rows stay (digitised and reuse figures count them), bytes and names go.
    for attachment in Attachment.objects.filter(dossier_id=pk).exclude(file=""):
        files.append(attachment.file.name)
    # Out of the owner's document store too, so it never lists a paper whose bytes are gone.
    Attachment.objects.filter(dossier_id=pk).update(file="", original_name=ANONYMISED, in_store=False)
    # Issued papers: a kind kept permanently (the e-result, by default) is archived as issued; the
    # others (slips, notices) lose their file once past their own period.
    for document in Document.objects.filter(dossier_id=pk).only("pk", "kind", "file", "issued_at", "created_at"):
        years = rules.years(procedure_id, sector_id, document.kind)
        if years is None:
            counts.archived += 1
            continue
        if document.file and (document.issued_at or document.created_at) < _years_ago(now, years):
            files.append(document.file.name)
            Document.objects.filter(pk=document.pk).update(file="")
    Document.objects.filter(dossier_id=pk).update(context={})
    AnonymisedDossier.objects.create(dossier_id=pk, run=run, at=now)
    counts.dossiers += 1
    counts.files.extend(files)
    transaction.on_commit(partial(_delete_files, files))


def _without(text: str, dossier: Dossier) -> str:
    for value in (dossier.applicant_name, dossier.subject_name, dossier.delivery_recipient_name):
        if value and value != ANONYMISED:
            text = text.replace(value, ANONYMISED)
    return text


def _notifications_of(dossier: Dossier) -> Q:
    """The notifications caused by the dossier: keyed by one of its events, its reminders, or naming its code."""
    event_ids = list(DossierEvent.objects.filter(dossier_id=dossier.pk).values_list("pk", flat=True))
    match = Q(dedupe_key__startswith=f"apology-reminder:{dossier.pk}:")
    if dossier.code:
        match |= Q(context__dossier_code=dossier.code)
    if event_ids:
        match |= Q(dedupe_key__regex=r"^event:(" + "|".join(str(pk) for pk in event_ids) + r"):")
    return match


def _delete_stale_drafts(now: datetime, counts: Counts) -> None:
    """Drafts never submitted, untouched for DRAFT_RETENTION_DAYS: deleted with their files."""
    cutoff = now - timedelta(days=settings.DRAFT_RETENTION_DAYS)
    stale = Dossier.objects.filter(status=Status.DRAFT, updated_at__lt=cutoff).order_by("pk").values_list("pk", flat=True)
    last = 0
    while True:
        batch = list(stale.filter(pk__gt=last)[:BATCH])
        if not batch:
            return
        last = batch[-1]
        for pk in batch:
            try:
                with transaction.atomic():
                    draft = Dossier.objects.select_for_update().filter(pk=pk, status=Status.DRAFT,
                                                                       updated_at__lt=cutoff).first()
                    if draft is None:
                        continue
                    files = [name for name in Attachment.objects.filter(dossier_id=pk).values_list("file", flat=True)
                             if name]
                    draft.delete()
                    transaction.on_commit(partial(_delete_files, files))
            except ProtectedError:
                logger.warning("draft %s is referenced elsewhere; kept", pk)
                continue
            counts.drafts += 1
            counts.files.extend(files)


def _anonymise_old_petitions(run: RetentionRun, now: datetime, counts: Counts) -> None:
    """Petitions (phản ánh, kiến nghị) answered more than PETITION_RETENTION_YEARS ago lose the sender's
    details, the text and its files; the published question and answer (already edited for the public)
    and the dates and rating the figures count stay."""
    cutoff = _years_ago(now, settings.PETITION_RETENTION_YEARS)
    due = (Petition.objects.filter(answered_at__lt=cutoff).exclude(status__in=OPEN_PETITION_STATES)
           .exclude(pk__in=AnonymisedPetition.objects.values("petition_id")).order_by("pk")
           .values_list("pk", flat=True))
    for pk in list(due[:BATCH * 10]):
        with transaction.atomic():
            files = [name for name in PetitionAttachment.objects.filter(petition_id=pk).values_list("file", flat=True)
                     if name]
            PetitionAttachment.objects.filter(petition_id=pk).delete()
            Petition.objects.filter(pk=pk).update(sender_name=ANONYMISED, sender_email="", sender_phone="",
                                                  title=ANONYMISED, content=ANONYMISED, answer=ANONYMISED)
            PetitionEvent.objects.filter(petition_id=pk).update(note="")
            AnonymisedPetition.objects.create(petition_id=pk, run=run, at=now)
            transaction.on_commit(partial(_delete_files, files))
        counts.petitions += 1
        counts.files.extend(files)


def _delete_files(names: list[str]) -> None:
    storage = private_storage()
    for name in names:
        try:
            storage.delete(name)
        except OSError:  # already gone: the next run has nothing to redo
            logger.warning("retention: could not delete a stored file")
