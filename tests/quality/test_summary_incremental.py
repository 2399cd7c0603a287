"""The summary kept up to date event by event equals the one rebuilt from scratch."""

from __future__ import annotations

from datetime import timedelta

import pytest

from django.core.management import call_command
from django.utils import timezone

from applications.models import Dossier, DossierEvent, Event, Status
from quality.history import history_generate
from quality.models import COUNTERS, DailySummary, MonthlySummary
from quality.summary import summary_refresh
from tests.quality.conftest import HISTORY_START


def _snapshot() -> dict:
    return {(row["day"], row["agency_id"], row["procedure_id"]): row
            for row in DailySummary.objects.values("day", "agency_id", "procedure_id", "sector_id", *COUNTERS)}


def _months() -> dict:
    return {(row["month"], row["agency_id"], row["procedure_id"]): row
            for row in MonthlySummary.objects.values("month", "agency_id", "procedure_id", "sector_id", *COUNTERS)}


def _days_summed_by_month() -> dict:
    """The monthly roll-ups recomputed in Python from the daily rows."""
    months: dict = {}
    for key, row in _snapshot().items():
        month = key[0].replace(day=1)
        total = months.setdefault((month, key[1], key[2]), {"month": month, "agency_id": key[1],
                                                             "procedure_id": key[2], "sector_id": row["sector_id"],
                                                             **dict.fromkeys(COUNTERS, 0)})
        for name in COUNTERS:
            total[name] += row[name]
    return months


@pytest.mark.django_db
def test_incremental_summary_equals_the_rebuilt_one(commune, other_commune, hamlet, versions, officer):
    # given: a first history, summarised incrementally
    agencies = [commune, other_commune, hamlet]
    history_generate(agencies=agencies, versions=versions, actor=officer, count=600, start=HISTORY_START, days=200,
                     seed=1)
    assert summary_refresh() > 0
    # when: new dossiers arrive and older open dossiers are resolved on days already summarised
    history_generate(agencies=agencies, versions=versions, actor=officer, count=600, start=HISTORY_START, days=250,
                     seed=2, code_prefix="NEW")
    open_dossiers = list(Dossier.objects.filter(status=Status.PROCESSING).order_by("pk")[:40])
    for dossier in open_dossiers:
        DossierEvent.objects.create(dossier=dossier, action=Event.APPROVED, at=dossier.received_at + timedelta(days=2),
                                    to_status=Status.APPROVED, data={"timeliness": "on_time"})
    summary_refresh()
    incremental, incremental_months = _snapshot(), _months()
    # then
    call_command("rebuild_quality_summary", verbosity=0)
    rebuilt = _snapshot()
    assert incremental == rebuilt
    assert sum(row["resolved"] for row in rebuilt.values()) > 40
    # The monthly roll-ups kept up incrementally equal the rebuilt ones and the sums of their days.
    assert len(incremental_months) > 10
    assert incremental_months == _months() == _days_summed_by_month()


@pytest.mark.django_db
def test_a_second_refresh_changes_nothing(commune, other_commune, hamlet, versions, officer):
    history_generate(agencies=[commune, other_commune, hamlet], versions=versions, actor=officer, count=300,
                     start=HISTORY_START, days=100, seed=3)
    summary_refresh()
    # Events from the last few minutes: the mark stays before them, so the next run sees them again.
    for dossier in Dossier.objects.filter(status=Status.PROCESSING).order_by("pk")[:10]:
        DossierEvent.objects.create(dossier=dossier, action=Event.STOPPED, at=timezone.now(), to_status=Status.STOPPED)
    summary_refresh()
    first = _snapshot()
    assert sum(row["stopped"] for row in first.values()) >= 10

    months = _months()
    summary_refresh()

    assert _snapshot() == first
    assert _months() == months == _days_summed_by_month()


@pytest.mark.django_db
def test_the_sql_rebuild_equals_the_python_derivation_bucket_for_bucket(commune, other_commune, hamlet, versions,
                                                                         officer):
    from quality.summary import _aggregate, dossier_facts

    history_generate(agencies=[commune, other_commune, hamlet], versions=versions, actor=officer, count=800,
                     start=HISTORY_START, days=300, seed=4)
    call_command("rebuild_quality_summary", verbosity=0)

    python = _aggregate(dossier_facts(list(Dossier.objects.values_list("pk", flat=True))).values())

    assert _snapshot() == {
        key: {"day": key[0], "agency_id": key[1], "procedure_id": key[2], **row} for key, row in python.items()
    }


@pytest.mark.django_db
def test_a_delivery_to_the_national_portal_is_folded_in_without_a_dossier_event(commune, other_commune, hamlet,
                                                                               versions, officer):
    from national.models import NationalSync, SyncState

    history_generate(agencies=[commune, other_commune, hamlet], versions=versions, actor=officer, count=200,
                     start=HISTORY_START, days=100, seed=5)
    summary_refresh()
    assert sum(row["received_synced"] for row in _snapshot().values()) == 0
    # when: the sync job delivers three received dossiers' status (it writes no DossierEvent)
    received = DossierEvent.objects.filter(action=Event.RECEIVED).order_by("pk")[:3]
    for event in received:
        NationalSync.objects.create(dossier_id=event.dossier_id, event=event, version=1, status_code=2,
                                    state=SyncState.DELIVERED, next_attempt_at=event.at, delivered_at=timezone.now())
    summary_refresh()
    # then
    incremental, months = _snapshot(), _months()
    assert sum(row["received_synced"] for row in incremental.values()) == 3
    call_command("rebuild_quality_summary", verbosity=0)
    assert (_snapshot(), _months()) == (incremental, months)
