"""The figures recomputed by plain Python over the raw rows, independently of quality.summary."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from applications.models import Attachment, Dossier, DossierEvent
from national.models import NationalSync
from workdays.services import local_time_zone


def reference_counters(agency_ids: set[int] | None, start: date, end: date, *,
                       procedure_id: int | None = None) -> dict[str, int]:
    zone = local_time_zone()
    dossiers = {row["pk"]: row for row in Dossier.objects.values(
        "pk", "agency_id", "channel", "due_original", "procedure_version__procedure_id")}
    digitised = set(Attachment.objects.filter(is_digitised=True).values_list("dossier_id", flat=True))
    reused = set(Attachment.objects.filter(is_reused=True).values_list("dossier_id", flat=True))
    synced = set(NationalSync.objects.filter(state="delivered").values_list("dossier_id", flat=True))
    history: dict[int, list[tuple]] = defaultdict(list)
    for row in DossierEvent.objects.values_list("dossier_id", "action", "at", "data", "pk"):
        history[row[0]].append(row)
    counts: dict[str, int] = defaultdict(int)

    def within(moment) -> bool:  # type: ignore[no-untyped-def]
        return start <= moment.astimezone(zone).date() <= end

    for pk, events in history.items():
        dossier = dossiers[pk]
        if agency_ids is not None and dossier["agency_id"] not in agency_ids:
            continue
        if procedure_id is not None and dossier["procedure_version__procedure_id"] != procedure_id:
            continue
        events.sort(key=lambda row: (row[2], row[4]))
        first: dict[str, tuple] = {}
        for row in events:
            first.setdefault(row[1], row)
        resolutions = [first[a] for a in ("approved", "not_eligible") if a in first]
        resolution = min(resolutions, key=lambda row: (row[2], row[4])) if resolutions else None
        if "received" in first and within(first["received"][2]):
            counts["received"] += 1
            counts[f"received_{dossier['channel']}"] += 1
            counts["received_reused"] += pk in reused
            counts["received_synced"] += pk in synced
            if dossier["channel"] != "online":
                counts["paper_received"] += 1
                counts["paper_digitised"] += pk in digitised
        for action, name in (("refused", "refused"), ("withdrawn", "withdrawn"), ("stopped", "stopped"),
                             ("apologised", "apologised"), ("extended", "extended")):
            if action in first and within(first[action][2]):
                counts[name] += 1
        if "payment_confirmed" in first and within(first["payment_confirmed"][2]):
            counts["paid"] += 1
            counts["paid_online"] += first["payment_confirmed"][3].get("channel") == "online"
        if resolution is not None and within(resolution[2]):
            timeliness = resolution[3].get("timeliness")
            counts["resolved"] += 1
            counts["resolved_early"] += timeliness == "early"
            counts["resolved_on_time"] += timeliness == "on_time"
            counts["resolved_late"] += timeliness == "late"
            counts["resolved_approved"] += resolution[1] == "approved"
            counts["resolved_with_supplement"] += "supplement_requested" in first
            received_at = first["received"][2]
            counts["processing_seconds"] += int((resolution[2] - received_at).total_seconds())
            counts["statutory_seconds"] += int((dossier["due_original"] - received_at).total_seconds())
    return counts
