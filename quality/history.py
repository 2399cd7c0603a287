"""A generated dossier history for the correctness tests, the bench and demos.

Rows are written in bulk, straight into the tables (no workflow, no notifications, no slips):
this is test data shaped like what the workflow records, covering every outcome, pause, apology,
extension, refusal and channel. Deterministic for a given seed.
"""

from __future__ import annotations

import io
import json
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, models, transaction

from accounts.models import Agency, User
from applications.models import (
    Apology,
    Attachment,
    Channel,
    Dossier,
    DossierEvent,
    Event,
    Extension,
    Pause,
    PauseReason,
    Status,
)
from procedures.models import ProcedureVersion
from workdays.constants import Timeliness

OUTCOMES = (
    # (weight, name)
    (8, "submitted"), (3, "withdrawn"), (5, "refused"), (10, "open"), (6, "paused_supplement"),
    (4, "awaiting_payment"), (3, "stopped"), (40, "approved"), (8, "not_eligible"), (13, "returned"),
)
CHANNELS = ((60, Channel.ONLINE), (30, Channel.IN_PERSON), (10, Channel.POST))


def _pick(rng: random.Random, table: tuple[tuple[int, str], ...]) -> str:
    return rng.choices([name for _weight, name in table], weights=[weight for weight, _name in table])[0]


@dataclass
class _Batch:
    dossiers: list[Dossier]
    events: list[tuple[int, str, datetime, str, str, dict]]  # (dossier index, action, at, from, to, data)
    attachments: list[tuple[int, datetime | None]]  # (dossier index, digitised at the counter at, or None)
    pauses: list[tuple[int, str, datetime, datetime | None]]
    apologies: list[tuple[int, datetime, datetime, datetime]]
    extensions: list[tuple[int, datetime, datetime, datetime]]


def _generate(agencies: list[Agency], versions: list[ProcedureVersion], count: int, start: datetime, days: int,
              seed: int, code_prefix: str) -> _Batch:
    rng = random.Random(seed)
    batch = _Batch([], [], [], [], [], [])
    for index in range(count):
        _one(rng, batch, index, rng.choice(agencies), rng.choice(versions), start, days, f"{code_prefix}-{seed}-{index:07d}")
    return batch


def history_generate(*, agencies: list[Agency], versions: list[ProcedureVersion], actor: User, count: int,
                     start: datetime, days: int, seed: int = 766, code_prefix: str = "GEN") -> int:
    """Write `count` dossiers submitted within `days` days after `start`, with their events. Returns count."""
    batch = _generate(agencies, versions, count, start, days, seed, code_prefix)
    with transaction.atomic():
        created = Dossier.objects.bulk_create(batch.dossiers, batch_size=2000)
        DossierEvent.objects.bulk_create(
            [DossierEvent(dossier=created[i], action=action, at=at, from_status=from_status, to_status=to_status,
                          data=data, actor=actor, actor_role="officer") for i, action, at, from_status, to_status, data
             in batch.events], batch_size=5000)
        Attachment.objects.bulk_create(
            [Attachment(dossier=created[i], file=f"attachments/generated/{i}", original_name="scan.pdf",
                        content_type="application/pdf", size=1000, sha256="0" * 64,
                        is_digitised=digitised_at is not None, digitised_at=digitised_at)
             for i, digitised_at in batch.attachments], batch_size=5000)
        Pause.objects.bulk_create(
            [Pause(dossier=created[i], reason=reason, started_at=started, ended_at=ended)
             for i, reason, started, ended in batch.pauses], batch_size=5000)
        Apology.objects.bulk_create(
            [Apology(dossier=created[i], reason="Chậm do xác minh", due_before=before, due_after=after,
                     issued_by=actor, issued_at=at) for i, at, before, after in batch.apologies], batch_size=5000)
        Extension.objects.bulk_create(
            [Extension(dossier=created[i], days=3, reason="Xác minh", due_before=before, due_after=after,
                       granted_by=actor, granted_at=at) for i, at, before, after in batch.extensions], batch_size=5000)
    return count


def _one(rng: random.Random, batch: _Batch, index: int, agency: Agency, version: ProcedureVersion,
         start: datetime, days: int, code: str) -> None:
    channel = _pick(rng, CHANNELS)
    outcome = _pick(rng, OUTCOMES)
    submitted = start + timedelta(minutes=rng.randrange(days * 24 * 60))
    dossier = Dossier(code=code, procedure_version=version, agency=agency, channel=channel, status=Status.SUBMITTED,
                      applicant_name="Người nộp thử", submitted_at=submitted)
    batch.dossiers.append(dossier)
    events = batch.events

    def event(action: str, at: datetime, to_status: str, data: dict | None = None) -> None:
        events.append((index, action, at, "", to_status, data or {}))

    event(Event.SUBMITTED, submitted, Status.SUBMITTED)
    if outcome == "submitted":
        return
    if outcome in ("withdrawn", "refused"):
        at = submitted + timedelta(hours=rng.randrange(1, 72))
        action, status = (Event.WITHDRAWN, Status.WITHDRAWN) if outcome == "withdrawn" else (Event.REFUSED, Status.REFUSED)
        event(action, at, status, {"reason": "Thiếu giấy tờ"} if outcome == "refused" else None)
        dossier.status = status
        return
    received = submitted + timedelta(hours=rng.randrange(1, 48))
    due = received + timedelta(days=rng.randrange(1, 15))
    dossier.received_at, dossier.due_original, dossier.due_current = received, due, due
    dossier.status = Status.PROCESSING
    event(Event.RECEIVED, received, Status.RECEIVED)
    if channel != Channel.ONLINE and rng.random() < 0.6:
        batch.attachments.append((index, received))
    elif rng.random() < 0.5:
        batch.attachments.append((index, None))
    event(Event.TRANSFERRED, received + timedelta(hours=1), Status.PROCESSING)
    moment = received + timedelta(hours=2)
    if outcome == "paused_supplement" or rng.random() < 0.2:
        event(Event.SUPPLEMENT_REQUESTED, moment, Status.SUPPLEMENT_REQUESTED)
        if outcome == "paused_supplement":
            batch.pauses.append((index, PauseReason.SUPPLEMENT, moment, None))
            dossier.status = Status.SUPPLEMENT_REQUESTED
            return
        back = moment + timedelta(days=rng.randrange(1, 5))
        batch.pauses.append((index, PauseReason.SUPPLEMENT, moment, back))
        event(Event.SUPPLEMENTED, back, Status.PROCESSING)
        moment = back
    if outcome == "awaiting_payment" or rng.random() < 0.3:
        moment += timedelta(hours=1)
        event(Event.PAYMENT_REQUESTED, moment, Status.AWAITING_PAYMENT)
        if outcome == "awaiting_payment":
            batch.pauses.append((index, PauseReason.PAYMENT, moment, None))
            dossier.status = Status.AWAITING_PAYMENT
            return
        paid = moment + timedelta(hours=rng.randrange(1, 48))
        batch.pauses.append((index, PauseReason.PAYMENT, moment, paid))
        event(Event.PAYMENT_CONFIRMED, paid, Status.PROCESSING,
              {"channel": "online" if rng.random() < 0.7 else "counter", "reference": code})
        moment = paid
    if outcome == "open":
        return
    if outcome == "stopped":
        event(Event.STOP_REQUESTED, moment + timedelta(hours=1), Status.STOP_REQUESTED)
        event(Event.STOPPED, moment + timedelta(days=1), Status.STOPPED)
        dossier.status = Status.STOPPED
        return
    _resolve(rng, batch, index, dossier, outcome, moment, event)


def _resolve(rng, batch, index, dossier, outcome, moment, event) -> None:  # type: ignore[no-untyped-def]
    timeliness = rng.choice((Timeliness.EARLY, Timeliness.ON_TIME, Timeliness.LATE))
    due = dossier.due_current
    if rng.random() < 0.15:
        extended = due + timedelta(days=3)
        batch.extensions.append((index, moment + timedelta(hours=1), due, extended))
        event(Event.EXTENDED, moment + timedelta(hours=1), dossier.status)
        due = dossier.due_current = extended
    if timeliness == Timeliness.LATE and rng.random() < 0.5:
        apology_at = moment + timedelta(hours=2)
        batch.apologies.append((index, apology_at, due, due + timedelta(days=5)))
        event(Event.APOLOGISED, apology_at, dossier.status)
        dossier.due_current = due + timedelta(days=5)
    resolved = {
        Timeliness.EARLY: due - timedelta(days=1, hours=rng.randrange(1, 20)),
        Timeliness.ON_TIME: due - timedelta(hours=rng.randrange(0, 8)),
        Timeliness.LATE: due + timedelta(days=rng.randrange(1, 10)),
    }[timeliness]
    resolved = max(resolved, moment + timedelta(hours=3))
    dossier.resolved_at, dossier.timeliness = resolved, timeliness
    action, status = (Event.NOT_ELIGIBLE, Status.NOT_ELIGIBLE) if outcome == "not_eligible" else (Event.APPROVED, Status.APPROVED)
    event(Event.SUBMITTED_FOR_APPROVAL, resolved - timedelta(hours=1), Status.PENDING_APPROVAL)
    event(action, resolved, status, {"timeliness": timeliness})
    dossier.status = status
    if outcome == "returned":
        returned = resolved + timedelta(days=rng.randrange(0, 3))
        event(Event.RESULT_RETURNED, returned, Status.RETURNED, {"method": "online"})
        dossier.status, dossier.returned_at = Status.RETURNED, returned


# --- COPY, for the bench's million dossiers ---------------------------------------------------------


def _copy_text(value: object) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    text = value.isoformat() if isinstance(value, datetime) else str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _copy_rows(model: type[models.Model], instances: list[models.Model], first_id: int) -> None:
    """COPY `instances` into the model's table with ids from `first_id` (the caller moves the sequence)."""
    fields = [field for field in model._meta.concrete_fields]
    buffer = io.StringIO()
    for offset, instance in enumerate(instances):
        instance.pk = first_id + offset
        values = []
        for field in fields:
            value = field.pre_save(instance, True)
            if not isinstance(field, models.JSONField):
                value = field.get_db_prep_save(value, connection)
            values.append(_copy_text(value))
        buffer.write("\t".join(values) + "\n")
    buffer.seek(0)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {model._meta.db_table} ({columns}) FROM STDIN", buffer)


def _reserve_ids(model: type[models.Model], count: int) -> int:
    """Move the table's id sequence past `count` new ids; returns the first."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                       f"nextval(pg_get_serial_sequence('{table}', 'id')) + %s - 1)", [count])
        last = cursor.fetchone()[0]
    return last - count + 1


def history_copy(*, agencies: list[Agency], versions: list[ProcedureVersion], actor: User, count: int,
                 start: datetime, days: int, seed: int = 766, code_prefix: str = "GEN") -> int:
    """history_generate through PostgreSQL COPY (several times faster, for the bench)."""
    batch = _generate(agencies, versions, count, start, days, seed, code_prefix)
    with transaction.atomic():
        first = _reserve_ids(Dossier, len(batch.dossiers))
        _copy_rows(Dossier, batch.dossiers, first)
        events = [DossierEvent(dossier_id=first + i, action=action, at=at, from_status=from_status,
                               to_status=to_status, data=data, actor=actor, actor_role="officer")
                  for i, action, at, from_status, to_status, data in batch.events]
        _copy_rows(DossierEvent, events, _reserve_ids(DossierEvent, len(events)))
        attachments = [Attachment(dossier_id=first + i, file=f"attachments/generated/{i}", original_name="scan.pdf",
                                  content_type="application/pdf", size=1000, sha256="0" * 64,
                                  is_digitised=digitised_at is not None, digitised_at=digitised_at)
                       for i, digitised_at in batch.attachments]
        _copy_rows(Attachment, attachments, _reserve_ids(Attachment, len(attachments)))
        pauses = [Pause(dossier_id=first + i, reason=reason, started_at=started, ended_at=ended)
                  for i, reason, started, ended in batch.pauses]
        _copy_rows(Pause, pauses, _reserve_ids(Pause, len(pauses)))
    return count
