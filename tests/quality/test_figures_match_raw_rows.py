"""Every figure on the dashboard equals the same figure recomputed by plain Python over the raw rows."""

from __future__ import annotations

from datetime import date

import pytest

from accounts.access import agency_subtree_ids
from quality.indicators import BY_KEY
from quality.models import COUNTERS
from quality.selectors import DRILLS, Scope, dashboard_build, drill_dossiers, summary_totals
from quality.summary import summary_rebuild
from tests.quality.reference import reference_counters

PERIODS = [
    (date(2026, 1, 1), date(2026, 12, 31)),  # year
    (date(2026, 4, 1), date(2026, 6, 30)),  # quarter
    (date(2026, 3, 1), date(2026, 3, 31)),  # month
    (date(2026, 2, 14), date(2026, 9, 2)),  # custom
]


def _percent(numerator: int, denominator: int) -> float | None:
    return round(100 * numerator / denominator, 2) if denominator else None


@pytest.mark.django_db
@pytest.mark.parametrize(("start", "end"), PERIODS)
def test_summary_totals_equal_the_raw_rows_for_every_scope(history, start, end):
    # given
    commune, other_commune, _hamlet = history
    summary_rebuild()
    scopes = [None, set(agency_subtree_ids(commune.pk)), {other_commune.pk}]

    for agency_ids in scopes:
        # when
        totals = summary_totals(Scope(sorted(agency_ids) if agency_ids else None, start, end))
        # then
        expected = reference_counters(agency_ids, start, end)
        assert totals == {name: expected.get(name, 0) for name in COUNTERS}
    assert totals["received"] > 50 and totals["resolved_late"] > 5 and totals["paid_online"] > 5


@pytest.mark.django_db
def test_summary_totals_per_procedure_equal_the_raw_rows(history, versions):
    summary_rebuild()
    procedure = versions[1].procedure
    start, end = date(2026, 1, 1), date(2026, 12, 31)

    totals = summary_totals(Scope(None, start, end, procedure_id=procedure.pk))

    expected = reference_counters(None, start, end, procedure_id=procedure.pk)
    assert totals == {name: expected.get(name, 0) for name in COUNTERS}
    assert summary_totals(Scope(None, start, end, sector_id=procedure.sector_id))["received"] >= totals["received"] > 0


@pytest.mark.django_db
def test_indicator_values_equal_their_formula_over_raw_rows(history):
    commune = history[0]
    summary_rebuild()
    agency_ids = agency_subtree_ids(commune.pk)
    scope = Scope(agency_ids, date(2026, 1, 1), date(2026, 6, 30))

    dashboard = dashboard_build(scope, scope.shifted(date(2025, 7, 1), date(2025, 12, 31)))

    raw = reference_counters(set(agency_ids), scope.start, scope.end)
    values = {result.indicator.key: result.figure.value if result.figure else None for result in dashboard.results}
    assert values["on_time_rate"] == _percent(raw["resolved_early"] + raw["resolved_on_time"], raw["resolved"])
    assert values["late_rate"] == _percent(raw["resolved_late"], raw["resolved"])
    assert values["online_rate"] == _percent(raw["received_online"], raw["received"])
    assert values["counter_rate"] == _percent(raw["received_in_person"], raw["received"])
    assert values["post_rate"] == _percent(raw["received_post"], raw["received"])
    assert values["online_payment_rate"] == _percent(raw["paid_online"], raw["paid"])
    assert values["digitised_rate"] == _percent(raw["paper_digitised"], raw["paper_received"])
    assert values["e_result_rate"] == _percent(raw["resolved_approved"], raw["resolved"])
    assert values["supplement_rate"] == _percent(raw["resolved_with_supplement"], raw["resolved"])
    assert values["refusal_rate"] == _percent(raw["refused"], raw["received"] + raw["refused"])
    assert values["processing_time"] == _percent(raw["processing_seconds"], raw["statutory_seconds"])
    # The generated history has no ratings, petitions, reused papers or deliveries: those sources give
    # no figure (never a made-up zero) except the two shares of dossiers received, which are really 0%
    # (tests/quality/test_sourced_indicators.py counts them with rows).
    assert values["satisfaction"] is None and values["petitions_on_time"] is None
    assert values["reuse_rate"] == values["national_sync"] == _percent(0, raw["received"]) == 0.0
    # A source the portal does not hold yet shows no figure, never a made-up one.
    assert values["published_on_time"] is None
    # The previous period has no dossiers: its dossier-based scores are absent, not zero.
    previous = {group.group.number: group.previous for group in dashboard.groups}
    assert previous[2] is None and previous[4] is None and previous[5] is None
    assert BY_KEY["on_time_rate"].formula


@pytest.mark.django_db
def test_each_drill_down_lists_exactly_the_dossiers_counted(history):
    commune = history[0]
    summary_rebuild()
    scope = Scope(agency_subtree_ids(commune.pk), date(2026, 3, 1), date(2026, 8, 31))
    totals = summary_totals(scope)

    totals["resolved_in_time"] = totals["resolved_early"] + totals["resolved_on_time"]
    for drill in DRILLS:
        assert drill_dossiers(scope, drill).count() == totals[drill], drill
