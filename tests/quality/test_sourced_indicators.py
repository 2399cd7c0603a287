"""The indicators whose figure comes from another app (ratings and petitions from feedback, reused papers
from the dossiers' attachments, deliveries to the national portal) equal a plain-Python count over the
raw rows, for a scope and a period of local days; another commune's rows and other periods never count."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from django.utils import timezone

from applications.models import Attachment, Dossier, DossierEvent, Event, Status
from feedback.models import PetitionStatus, Rating, RatingIndex
from national.models import NationalSync, SyncState
from procedures.models import Procedure, Sector
from quality.indicators import BY_KEY, Context
from quality.selectors import Scope, summary_totals
from quality.summary import summary_rebuild
from tests.factories import make_dossier, make_procedure
from tests.feedback.conftest import make_petition

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
MARCH = (date(2026, 3, 1), date(2026, 3, 31))
APRIL = (date(2026, 4, 1), date(2026, 4, 30))
# Moments around the March/April boundary in local time (17:00 UTC is already the next local day).
MOMENTS = [
    datetime(2026, 3, 1, 0, 5, tzinfo=VN),
    datetime(2026, 3, 15, 9, 0, tzinfo=VN),
    datetime(2026, 3, 31, 23, 50, tzinfo=VN),
    datetime(2026, 4, 1, 0, 10, tzinfo=VN),
    datetime(2026, 4, 20, 14, 0, tzinfo=VN),
    datetime(2026, 2, 28, 23, 59, tzinfo=VN),
]


def _figure(key, agency_ids, period, **filters):
    """The indicator as the dashboard computes it: over the summary's totals for the scope (built by the fixtures
    that write dossiers) plus what it reads itself."""
    totals = summary_totals(Scope(agency_ids, *period, filters.get("procedure_id"), filters.get("sector_id")))
    return BY_KEY[key].compute(Context(totals, agency_ids, *period, **filters))


def _in(moment, period) -> bool:
    return period[0] <= timezone.localtime(moment, VN).date() <= period[1]


def _percent(numerator, denominator):
    return round(100 * numerator / denominator, 2) if denominator else None


@pytest.fixture
def procedures(commune, other_commune):
    """Two procedures of two sectors, both received by both communes."""
    first = make_procedure(agency=commune)
    first.receiving_agencies.add(other_commune)
    second = make_procedure(agency=commune, name="Cấp phép xây dựng")
    second.receiving_agencies.add(other_commune)
    sector = Sector.objects.create(code="XD", name="Xây dựng")
    Procedure.objects.filter(pk=second.procedure_id).update(sector=sector)
    second.procedure.refresh_from_db()
    return [first, second]


def _received(version, agency, citizen, at):
    dossier = make_dossier(version, agency, citizen, status=Status.PROCESSING, received_at=at)
    DossierEvent.objects.create(dossier=dossier, action=Event.RECEIVED, at=at, to_status=Status.RECEIVED)
    return dossier


def _attach(dossier, *, reused):
    return Attachment.objects.create(dossier=dossier, file="attachments/t.pdf", original_name="t.pdf",
                                     content_type="application/pdf", size=10, sha256="0" * 64, is_reused=reused)


def _sync(dossier, state):
    event = dossier.events.first()
    return NationalSync.objects.create(dossier=dossier, event=event, version=1, status_code=2, state=state,
                                       next_attempt_at=event.at)


@pytest.fixture
def received_rows(commune, other_commune, procedures, citizen):
    """Dossiers received at every moment, in both communes and both procedures; about half of them with a
    reused paper, and delivered / dead / pending syncs. One is received again in April after a first
    receipt in February (it belongs to February)."""
    rows = []
    for number, (moment, agency, version) in enumerate(
            (moment, agency, version) for moment in MOMENTS for agency in (commune, other_commune)
            for version in procedures):
        dossier = _received(version, agency, citizen, moment)
        _attach(dossier, reused=number % 2 == 0)
        if number % 3 == 0:
            _attach(dossier, reused=False)
        _sync(dossier, (SyncState.DELIVERED, SyncState.DEAD, SyncState.PENDING, SyncState.RETRYING)[number % 4])
        if number % 5 == 0:
            _sync(dossier, SyncState.DELIVERED)
        rows.append(dossier)
    again = rows[-1]
    DossierEvent.objects.create(dossier=again, action=Event.RECEIVED, at=MOMENTS[4], to_status=Status.RECEIVED)
    summary_rebuild()
    return rows


def _expected_share(agency_ids, period, has, procedure=None, sector=None):
    """Plain Python over every dossier: first RECEIVED event in the period, in scope, and `has`."""
    received = having = 0
    for dossier in Dossier.objects.prefetch_related("events", "attachments", "national_syncs",
                                                    "procedure_version__procedure"):
        receipts = [event.at for event in dossier.events.all() if event.action == Event.RECEIVED]
        if not receipts or not _in(min(receipts), period):
            continue
        if agency_ids is not None and dossier.agency_id not in agency_ids:
            continue
        if procedure is not None and dossier.procedure_version.procedure_id != procedure:
            continue
        if sector is not None and dossier.procedure_version.procedure.sector_id != sector:
            continue
        received += 1
        having += bool(has(dossier))
    return having, received


def _reused(dossier):
    return any(attachment.is_reused for attachment in dossier.attachments.all())


def _delivered(dossier):
    return any(sync.state == SyncState.DELIVERED for sync in dossier.national_syncs.all())


@pytest.mark.parametrize(("key", "has"), [("reuse_rate", _reused), ("national_sync", _delivered)])
def test_shares_of_received_dossiers_equal_the_raw_rows(commune, other_commune, procedures, received_rows, key, has):
    for agency_ids in ([commune.pk], [other_commune.pk], None):
        for period in (MARCH, APRIL):
            # when
            figure = _figure(key, agency_ids, period)
            # then
            numerator, denominator = _expected_share(agency_ids, period, has)
            per_commune = 6 if period == MARCH else 4  # the February dossier received again in April is February's
            assert denominator == (per_commune if agency_ids else 2 * per_commune)
            assert 0 < numerator < denominator
            assert (figure.numerator, figure.denominator) == (numerator, denominator)
            assert figure.value == _percent(numerator, denominator)
    first, second = procedures
    assert _figure(key, [commune.pk], MARCH, procedure_id=second.procedure_id).denominator == 3
    for filters, expected in (({"procedure_id": first.procedure_id}, {"procedure": first.procedure_id}),
                              ({"sector_id": second.procedure.sector_id}, {"sector": second.procedure.sector_id})):
        figure = _figure(key, None, MARCH, **filters)
        assert (figure.numerator, figure.denominator) == _expected_share(None, MARCH, has, **expected)


def test_a_period_without_received_dossiers_has_no_reuse_or_sync_figure(commune, received_rows):
    assert _figure("reuse_rate", [commune.pk], (date(2026, 5, 1), date(2026, 5, 31))) is None
    assert _figure("national_sync", [commune.pk], (date(2026, 5, 1), date(2026, 5, 31))) is None


def test_no_sync_figure_when_the_national_link_is_off(commune, received_rows, settings):
    settings.NATIONAL_SYNC_ENABLED = False

    assert _figure("national_sync", [commune.pk], MARCH) is None
    assert _figure("reuse_rate", [commune.pk], MARCH) is not None


SCORES = [
    {"total_time": 2, "conduct": 2, "online": 1},
    {"total_time": 1, "contacts": 0},
    {"total_time": 0, "conduct": 1, "disclosure": 2, "petitions": 2},
    {},
    {"agencies": 2, "online": 2},
    {"total_time": 2},
]


@pytest.fixture
def ratings(commune, other_commune, procedures, citizen):
    rows = []
    for number, (moment, agency, version) in enumerate(
            (moment, agency, version) for moment in MOMENTS for agency in (commune, other_commune)
            for version in procedures):
        dossier = make_dossier(version, agency, citizen, status=Status.RETURNED)
        rows.append(Rating.objects.create(dossier=dossier, agency=agency, procedure=version.procedure,
                                          channel="link", overall=1 + number % 5, created_at=moment,
                                          **SCORES[number % len(SCORES)]))
    return rows


def _expected_points(rows, agency_ids, period, procedure=None):
    points = answers = 0
    for rating in rows:
        if agency_ids is not None and rating.agency_id not in agency_ids or not _in(rating.created_at, period):
            continue
        if procedure is not None and rating.procedure_id != procedure:
            continue
        scores = [getattr(rating, index) for index in RatingIndex.values if getattr(rating, index) is not None]
        points += sum(scores)
        answers += len(scores)
    return points, 2 * answers


def test_satisfaction_is_index_points_over_the_most_they_could_earn(commune, other_commune, procedures, ratings):
    for agency_ids in ([commune.pk], [other_commune.pk], None):
        for period in (MARCH, APRIL):
            figure = _figure("satisfaction", agency_ids, period)

            points, most = _expected_points(ratings, agency_ids, period)
            assert most > points > 0
            assert (figure.numerator, figure.denominator, figure.value) == (points, most, _percent(points, most))
    second = procedures[1]
    by_procedure = _figure("satisfaction", [commune.pk], APRIL, procedure_id=second.procedure_id)
    assert (by_procedure.numerator, by_procedure.denominator) == _expected_points(
        ratings, [commune.pk], APRIL, procedure=second.procedure_id)
    by_sector = _figure("satisfaction", [commune.pk], APRIL, sector_id=second.procedure.sector_id)
    assert (by_sector.numerator, by_sector.denominator) == (by_procedure.numerator, by_procedure.denominator)
    assert _figure("satisfaction", [commune.pk], (date(2026, 5, 1), date(2026, 5, 31))) is None


@pytest.fixture
def petitions(commune, other_commune, procedures):
    """At every moment and in both communes: an answer by its due time, a dismissal and one still open;
    every other time also a late answer."""
    rows = []
    for number, (moment, agency) in enumerate((moment, agency) for moment in MOMENTS
                                              for agency in (commune, other_commune)):
        received = moment - timedelta(days=10)
        rows.append(make_petition(agency, status=PetitionStatus.ANSWERED, received_at=received, answered_at=moment,
                                  due_at=moment + timedelta(hours=1), procedure=procedures[number % 2].procedure))
        if number % 2 == 0 or number % 3 == 0:
            rows.append(make_petition(agency, status=PetitionStatus.ANSWERED, received_at=received,
                                      answered_at=moment, due_at=moment - timedelta(minutes=1)))
        rows.append(make_petition(agency, status=PetitionStatus.DISMISSED, received_at=received, answered_at=moment,
                                  due_at=moment + timedelta(days=1)))
        rows.append(make_petition(agency, received_at=moment, due_at=moment + timedelta(days=1)))
    return rows


def test_petitions_on_time_are_answers_by_their_due_time_over_answers(commune, other_commune, petitions):
    for agency_ids in ([commune.pk], [other_commune.pk], None):
        for period in (MARCH, APRIL):
            figure = _figure("petitions_on_time", agency_ids, period)

            answered = [petition for petition in petitions
                        if petition.status == PetitionStatus.ANSWERED and _in(petition.answered_at, period)
                        and (agency_ids is None or petition.agency_id in agency_ids)]
            on_time = [petition for petition in answered if petition.answered_at <= petition.due_at]
            assert len(answered) > len(on_time) > 0
            assert (figure.numerator, figure.denominator) == (len(on_time), len(answered))
            assert figure.value == _percent(len(on_time), len(answered))
    first = [petition for petition in petitions if petition.procedure_id is not None][0].procedure_id
    by_procedure = _figure("petitions_on_time", None, MARCH, procedure_id=first)
    answered = [petition for petition in petitions if petition.status == PetitionStatus.ANSWERED
                and petition.procedure_id == first and _in(petition.answered_at, MARCH)]
    assert (by_procedure.numerator, by_procedure.denominator) == (len(answered), len(answered))  # all on time


# --- Drill-downs: from these figures to the rows behind them ------------------------------------------


def _month_query(period) -> str:
    return f"?period=month&year={period[0].year}&month={period[0].month}"


@pytest.mark.parametrize(("key", "drill", "has"), [("reuse_rate", "received_reused", _reused),
                                                    ("national_sync", "received_synced", _delivered)])
def test_reuse_and_sync_drill_downs_list_exactly_the_dossiers_counted(client, leader, commune, other_commune,
                                                                       procedures, received_rows, key, drill, has):
    from django.urls import reverse

    from quality.selectors import Scope, drill_dossiers

    for agency_ids in ([commune.pk], [other_commune.pk], None):
        for period in (MARCH, APRIL):
            figure = _figure(key, agency_ids, period)
            scope = Scope(agency_ids, *period)
            listed = list(drill_dossiers(scope, drill))
            assert len(listed) == figure.numerator
            assert drill_dossiers(scope, "received").count() == figure.denominator
            assert all(has(dossier) for dossier in listed)
    # The leader's page lists their commune's dossiers only, as many as the figure on the dashboard says.
    client.force_login(leader)
    dashboard = client.get(reverse("quality:dashboard") + _month_query(MARCH))
    result = next(result for result in dashboard.context["board"].results if result.indicator.key == key)
    assert result.indicator.drill_numerator == drill
    assert f'{reverse("quality:drill", args=[drill])}{_month_query(MARCH)}'.replace("&", "&amp;") in (
        dashboard.content.decode())
    response = client.get(reverse("quality:drill", args=[drill]) + _month_query(MARCH))
    assert response.status_code == 200
    page = response.context["page"]
    assert page.paginator.count == result.figure.numerator == _expected_share([commune.pk], MARCH, has)[0]
    assert {dossier.agency_id for dossier in page} == {commune.pk}


def test_feedback_drill_downs_list_exactly_the_ratings_and_petitions_counted(client, leader, commune, other_commune,
                                                                             procedures, ratings, petitions):
    from django.urls import reverse

    from feedback.selectors import petition_figures, satisfaction_figures
    from quality.periods import period_bounds
    from quality.selectors import Scope, drill_feedback

    for agency_ids in ([commune.pk], [other_commune.pk], None):
        for period in (MARCH, APRIL):
            scope = Scope(agency_ids, *period)
            stars = satisfaction_figures(agency_ids, *period_bounds(*period))
            counts = petition_figures(agency_ids, *period_bounds(*period))
            assert len(list(drill_feedback(scope, "ratings"))) == stars["ratings"] > 0
            for kind in ("received", "answered", "answered_on_time"):
                assert len(list(drill_feedback(scope, f"petitions_{kind}"))) == counts[kind] > 0, kind
    second = procedures[1]
    by_procedure = Scope([commune.pk], *APRIL, procedure_id=second.procedure_id)
    assert {rating.procedure_id for rating in drill_feedback(by_procedure, "ratings")} == {second.procedure_id}
    # The leader's dashboard counts them for their commune, and each count opens the list of as many rows.
    client.force_login(leader)
    dashboard = client.get(reverse("quality:dashboard") + _month_query(APRIL))
    board = dashboard.context["board"]
    on_time = next(result for result in board.results if result.indicator.key == "petitions_on_time").figure
    assert (board.feedback["petitions_answered_on_time"][0], board.feedback["petitions_answered"][0]) == (
        on_time.numerator, on_time.denominator)
    for key, (count, _previous) in board.feedback.items():
        response = client.get(reverse("quality:feedback-drill", args=[key]) + _month_query(APRIL))
        assert response.status_code == 200
        assert response.context["page"].paginator.count == count > 0, key
        assert {row.agency_id for row in response.context["page"]} == {commune.pk}
    page = client.get(reverse("quality:feedback-drill", args=["ratings"]) + _month_query(APRIL)).content.decode()
    rated = [rating for rating in ratings if rating.agency_id == commune.pk]
    assert not any(rating.dossier.code in page or rating.dossier.applicant_name in page for rating in rated)
    assert client.get(reverse("quality:feedback-drill", args=["dossiers"])).status_code == 404
