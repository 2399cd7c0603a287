"""Tab badges stay cheap at a province's size: each tab is counted up to the list's own bound
(LIST_MAX_ROWS), exactly below it, "10.000+" beyond, in one query."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from accounts.models import Role, User
from applications.models import Status
from applications.queues import TabCount, queue_counts
from tests.conftest import make_user
from tests.factories import make_dossier, make_procedure

pytestmark = pytest.mark.django_db


def _badges(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-count="(\w+)">([^<]*)<', html))


def _listed(html: str) -> str:
    return re.search(r'<h2 class="h5">[^<]*<span class="text-muted small">\(([^)]*)\)</span>', html).group(1)


@pytest.fixture
def province_leader(province):
    return make_user("leader.province@example.vn", Role.LEADER, province, "Lãnh đạo tỉnh")


@pytest.fixture
def spread(commune, other_commune, citizen):
    """Five dossiers in processing over two communes, two awaiting approval, one draft."""
    version = make_procedure(agency=commune)
    for index in range(5):
        make_dossier(version, [commune, other_commune][index % 2], citizen, status=Status.PROCESSING)
    for _ in range(2):
        make_dossier(version, other_commune, citizen, status=Status.PENDING_APPROVAL)
    make_dossier(version, commune, citizen, status=Status.DRAFT)


def test_a_badge_is_exact_up_to_the_bound_and_says_more_beyond_it(client, settings, province_leader, spread):
    settings.LIST_MAX_ROWS = 5
    client.force_login(province_leader)
    html = client.get("/officer/?queue=processing").content.decode()
    badges = _badges(html)
    # processing = processing + pending approval = 7 > 5; "all" leaves the draft out: 7 > 5.
    assert badges["processing"] == "5+" and badges["all"] == "5+"
    assert badges["approval"] == "2" and badges["stop"] == "0"
    # The list says the same as its tab, without counting again.
    assert _listed(html) == "5+"
    settings.LIST_MAX_ROWS = 7
    html = client.get("/officer/?queue=processing").content.decode()
    assert _badges(html)["processing"] == "7" == _listed(html)


def test_a_commune_officer_gets_exact_counts_in_one_query(officer, spread, settings):
    settings.LIST_MAX_ROWS = 10_000
    now = timezone.now()
    with CaptureQueriesContext(connection) as queries:
        counts = queue_counts(officer, now)
    # Besides the working calendar (for "due within a working day"), one query counts every tab.
    assert len([query for query in queries.captured_queries if "applications_dossier" in query["sql"]]) == 1
    # Three of the five in processing are the officer's commune's; the draft is nobody's business.
    assert counts["processing"] == 3 and counts["all"] == 3 and counts["new"] == 0
    assert not any(count.capped for count in counts.values())


def test_a_capped_count_reads_as_the_bound_plus_in_the_page_language():
    capped, exact = TabCount(123_456, 10_000), TabCount(9_999, 10_000)
    assert capped == 10_001 and capped.capped and not exact.capped
    # What the page's paginator counts to (LIST_MAX_ROWS + 1 means "more"), so it reuses the badge.
    rendered = Template("{{ capped }}|{{ exact }}|{% if capped %}yes{% endif %}").render(
        Context({"capped": capped, "exact": exact}))
    assert rendered == "10.000+|9999|yes"
    with translation.override("en"):
        assert str(capped) == "10,000+"


def test_staff_without_an_agency_get_empty_tabs(spread):
    # The database refuses such staff; an account caught half-way (no agency in scope) still counts nothing.
    clerk = User(email="clerk@example.vn", role=Role.OFFICER, agency=None)
    counts = queue_counts(clerk, timezone.now())
    assert counts["all"] == 0 and counts["new"] == 0 and str(counts["all"]) == "0"


def _dossier_reads(queries) -> list[str]:
    return [query["sql"] for query in queries.captured_queries if "applications_dossier" in query["sql"]]


def test_badges_are_kept_until_a_dossier_of_the_scope_is_written(officer, commune, other_commune, citizen):
    version = make_procedure(agency=commune)
    make_dossier(version, commune, citizen, status=Status.SUBMITTED)
    now = timezone.now()
    first = queue_counts(officer, now)
    with CaptureQueriesContext(connection) as queries:
        assert queue_counts(officer, now) == first
    assert _dossier_reads(queries) == []  # the next page reads the badges from the cache

    # Another commune's dossier is outside the officer's scope: the cached badges still hold.
    make_dossier(version, other_commune, citizen, status=Status.SUBMITTED)
    with CaptureQueriesContext(connection) as queries:
        assert queue_counts(officer, now) == first
    assert _dossier_reads(queries) == []

    dossier = make_dossier(version, commune, citizen, status=Status.SUBMITTED)
    assert queue_counts(officer, now)["new"] == first["new"] + 1 == 2
    dossier.status = Status.RECEIVED
    dossier.save(update_fields=["status"])
    counts = queue_counts(officer, now)
    assert (counts["new"], counts["received"]) == (first["new"], first["received"] + 1)


def test_a_receipt_through_the_page_shows_on_the_next_page(client, officer, commune, citizen,
                                                           django_capture_on_commit_callbacks):
    version = make_procedure(agency=commune)
    dossier = make_dossier(version, commune, citizen, status=Status.SUBMITTED)
    client.force_login(officer)
    assert _badges(client.get("/officer/").content.decode())["new"] == "1"

    with django_capture_on_commit_callbacks(execute=True):
        dossier.status = Status.NEEDS_COMPLETION
        dossier.save()

    badges = _badges(client.get("/officer/").content.decode())
    assert badges["new"] == "0" and badges["supplement"] == "1"


def test_what_only_the_clock_changes_shows_within_the_cache_lifetime(officer, commune, citizen, settings):
    version = make_procedure(agency=commune)
    now = timezone.now()
    make_dossier(version, commune, citizen, status=Status.PROCESSING, received_at=now - timedelta(days=2),
                 due_original=now + timedelta(seconds=5), due_current=now + timedelta(seconds=5))
    assert queue_counts(officer, now)["overdue"] == 0

    assert queue_counts(officer, now + timedelta(seconds=settings.QUEUE_COUNTS_SECONDS + 1))["overdue"] == 1


def test_without_redis_the_badges_are_counted_every_time(officer, commune, citizen, settings):
    settings.QUEUE_COUNTS_SECONDS = 0
    make_dossier(make_procedure(agency=commune), commune, citizen, status=Status.SUBMITTED)
    now = timezone.now()
    queue_counts(officer, now)
    with CaptureQueriesContext(connection) as queries:
        assert queue_counts(officer, now)["new"] == 1
    assert len(_dossier_reads(queries)) == 1
