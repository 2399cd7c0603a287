"""Work queues: contents per role and state, counts, search and filters, constant query budgets."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from applications.models import Status
from applications.queues import dossiers_changed
from tests.applications.officer.conftest import call, drive, new_draft
from tests.factories import make_dossier, make_procedure

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def _counts(html: str) -> dict[str, int]:
    return {key: int(value) for key, value in re.findall(r'data-count="(\w+)">(\d+)<', html)}


def _codes(html: str) -> set[str]:
    return set(re.findall(r'href="/officer/dossiers/([^/"]+)/"', html))


@pytest.fixture
def spread(cast, version, commune, citizen, other_commune, other_citizen):
    """One dossier in each interesting state, plus one of the other commune."""
    made = {state: drive(new_draft(version, commune, citizen), state, cast) for state in [
        Status.SUBMITTED, Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT_REQUESTED, Status.AWAITING_PAYMENT,
        Status.PENDING_APPROVAL, Status.APPROVED, Status.STOP_REQUESTED, Status.NEEDS_COMPLETION,
    ]}
    made["draft"] = new_draft(version, commune, citizen)
    other_version = make_procedure(agency=other_commune)
    made["other"] = make_dossier(other_version, other_commune, other_citizen, status=Status.SUBMITTED)
    return made


def test_an_officer_sees_the_one_stop_shop_queues_of_the_own_commune(login, officer, spread):
    html = login(officer).get("/officer/").content.decode()
    counts = _counts(html)
    assert counts == {"new": 1, "received": 1, "processing": 2, "supplement": 2, "payment": 1, "due_soon": counts[
        "due_soon"], "overdue": 0, "stop": 1, "to_return": 1, "post": 0, "all": 9,
        "transfer_late": 0}
    assert _codes(html) == {spread[Status.SUBMITTED].code}
    assert spread["other"].code not in html


@pytest.mark.parametrize(("queue", "states"), [
    ("received", [Status.RECEIVED]),
    ("processing", [Status.PROCESSING, Status.PENDING_APPROVAL]),
    ("supplement", [Status.SUPPLEMENT_REQUESTED, Status.NEEDS_COMPLETION]),
    ("payment", [Status.AWAITING_PAYMENT]),
    ("stop", [Status.STOP_REQUESTED]),
    ("to_return", [Status.APPROVED]),
])
def test_each_officer_queue_lists_its_dossiers(login, officer, spread, queue, states):
    html = login(officer).get(f"/officer/?queue={queue}").content.decode()
    assert _codes(html) == {spread[state].code for state in states}


def test_specialists_see_their_own_work_and_leaders_what_waits_for_approval(login, client, specialist, leader, spread):
    html = login(specialist).get("/officer/").content.decode()
    assert "mine" in _counts(html) and "new" not in _counts(html)
    assert _codes(html) == {spread[Status.PROCESSING].code, spread[Status.STOP_REQUESTED].code} - {
        spread[Status.STOP_REQUESTED].code}
    client.logout()
    html = login(leader).get("/officer/").content.decode()
    assert _codes(html) == {spread[Status.PENDING_APPROVAL].code}


def test_the_other_communes_officer_sees_only_the_own_dossier(login, other_officer, spread):
    html = login(other_officer).get("/officer/?queue=all").content.decode()
    assert _codes(html) == {spread["other"].code}


def test_search_by_code_or_applicant_name_and_filter_by_status(login, officer, spread, cast, version, commune,
                                                               other_citizen):
    stranger = drive(new_draft(version, commune, other_citizen), Status.SUBMITTED, cast)
    client = login(officer)
    assert _codes(client.get("/officer/", {"queue": "all", "q": "Trần Thị"}).content.decode()) == {stranger.code}
    code = spread[Status.RECEIVED].code
    assert _codes(client.get("/officer/", {"queue": "all", "q": code}).content.decode()) == {code}
    html = client.get("/officer/", {"queue": "all", "status": Status.AWAITING_PAYMENT}).content.decode()
    assert _codes(html) == {spread[Status.AWAITING_PAYMENT].code}
    html = client.get("/officer/", {"queue": "all", "procedure": version.procedure_id, "sort": "code"}).content.decode()
    assert len(_codes(html)) == 10


def test_a_whole_code_is_looked_up_exactly_in_either_case(login, officer, spread, other_officer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    code = spread[Status.RECEIVED].code
    client = login(officer)
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/officer/", {"queue": "all", "q": code.lower()}).content.decode()
    assert _codes(html) == {code}
    listed = [query["sql"] for query in queries if 'FROM "applications_dossier"' in query["sql"] and "LIKE" not in
              query["sql"] and '"applications_dossier"."code" =' in query["sql"]]
    assert listed, "a whole code is an equality on the unique index, not a %…% scan"
    # Part of a code still searches within codes, also a tail that looks like a whole code.
    assert _codes(client.get("/officer/", {"queue": "all", "q": code[-9:]}).content.decode()) == {code}
    tail = code.split(".")[-1]  # "H99-261202-0004"
    assert _codes(client.get("/officer/", {"queue": "all", "q": tail}).content.decode()) == {code}
    # Another commune's code, even whole, finds nothing here.
    client.logout()
    assert _codes(login(other_officer).get("/officer/", {"queue": "all", "q": code}).content.decode()) == set()


def test_date_filters_use_the_submission_day(login, officer, cast, version, commune, citizen):
    with time_machine.travel(datetime(2026, 3, 2, 9, tzinfo=VN), tick=False):
        early = drive(new_draft(version, commune, citizen), Status.SUBMITTED, cast)
    with time_machine.travel(datetime(2026, 3, 10, 9, tzinfo=VN), tick=False):
        late = drive(new_draft(version, commune, citizen), Status.SUBMITTED, cast)
    client = login(officer)
    html = client.get("/officer/", {"queue": "all", "date_from": "2026-03-05"}).content.decode()
    assert _codes(html) == {late.code}
    html = client.get("/officer/", {"queue": "all", "date_to": "2026-03-02"}).content.decode()
    assert _codes(html) == {early.code}


def test_due_soon_and_overdue_follow_the_working_day_clock(login, officer, cast, version, commune, citizen):
    with time_machine.travel(datetime(2026, 3, 9, 9, tzinfo=VN), tick=False):  # Monday, 3 working days → Thu
        dossier = drive(new_draft(version, commune, citizen), Status.PROCESSING, cast)
    client = login(officer)
    with time_machine.travel(datetime(2026, 3, 10, 9, tzinfo=VN), tick=False):
        assert _counts(client.get("/officer/").content.decode())["due_soon"] == 0
    with time_machine.travel(datetime(2026, 3, 11, 9, tzinfo=VN), tick=False):  # due on the next working day
        html = client.get("/officer/?queue=due_soon").content.decode()
        assert _codes(html) == {dossier.code}
    with time_machine.travel(datetime(2026, 3, 12, 17, 1, tzinfo=VN), tick=False):
        html = client.get("/officer/?queue=overdue").content.decode()
        assert _codes(html) == {dossier.code} and _counts(html)["overdue"] == 1
        # a paused dossier is neither due soon nor overdue: the clock stands still
        call("request_supplement", dossier, cast)
        assert _counts(client.get("/officer/").content.decode())["overdue"] == 0


def test_queues_are_paginated(login, officer, version, commune, citizen):
    for _ in range(30):
        make_dossier(version, commune, citizen, status=Status.SUBMITTED)
    client = login(officer)
    first = client.get("/officer/").content.decode()
    assert len(_codes(first)) == 25 and "Trang 1/2" in first
    assert len(_codes(client.get("/officer/?queue=new&page=2").content.decode())) == 5


def _bulk(version, commune, citizen, count):
    now = datetime.now(VN)
    for index in range(count):
        make_dossier(version, commune, citizen, status=[Status.SUBMITTED, Status.PROCESSING][index % 2],
                     received_at=now, due_original=now,
                     # every other processing dossier is overdue, so each queue has rows at both sizes
                     due_current=now + timedelta(days=-1 if index % 4 == 1 else index % 5))


@pytest.mark.parametrize("queue", ["new", "processing", "overdue", "all"])
def test_the_queue_page_runs_the_same_queries_for_3_or_60_dossiers(login, officer, version, commune, citizen,
                                                                   django_assert_num_queries, queue):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(officer)
    _bulk(version, commune, citizen, 3)
    client.get(f"/officer/?queue={queue}")  # warm the session
    dossiers_changed(commune.pk)  # each measured page counts its badges (none cached)
    with CaptureQueriesContext(connection) as small:
        assert client.get(f"/officer/?queue={queue}").status_code == 200
    _bulk(version, commune, citizen, 57)
    dossiers_changed(commune.pk)
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(f"/officer/?queue={queue}&q=&sort=due").status_code == 200
    # session, user, second-factor device, agency tree, working calendar, tab counts (2), agency name,
    # procedure choices, the page's rows; the page's own COUNT is the tab's count when nothing is filtered
    assert len(small.captured_queries) <= 10


def _listed_total(html: str) -> int:
    return int(re.search(r'<h2 class="h5">[^<]*<span class="text-muted small">\((\d+)\)</span>', html).group(1))


@pytest.mark.parametrize("role", ["officer", "specialist", "leader"])
def test_every_unfiltered_queue_lists_as_many_dossiers_as_its_tab_counts(request, login, spread, role):
    """The page reuses the tab's count for its own total: both must describe the same rows, in every queue."""
    client = login(request.getfixturevalue(role))
    counts = _counts(client.get("/officer/").content.decode())
    assert counts["all"] == 9
    for key, count in counts.items():
        html = client.get(f"/officer/?queue={key}").content.decode()
        assert _listed_total(html) == count == len(_codes(html)), key


def test_a_filtered_queue_counts_only_what_the_filter_keeps(login, officer, spread):
    client = login(officer)
    wanted = spread[Status.RECEIVED]
    html = client.get(f"/officer/?queue=all&q={wanted.code}").content.decode()
    assert _counts(html)["all"] == 9
    assert _listed_total(html) == 1 and _codes(html) == {wanted.code}
    html = client.get("/officer/?queue=all&status=submitted").content.decode()
    assert _listed_total(html) == 1 == len(_codes(html))


def test_the_dossier_page_runs_the_same_queries_however_long_its_history(login, officer, cast, version, commune,
                                                                         citizen, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    short = drive(new_draft(version, commune, citizen), Status.RECEIVED, cast)
    long = drive(new_draft(version, commune, citizen), Status.PROCESSING, cast)
    for step in ["request_supplement", "supplement", "submit_for_approval", "send_back", "submit_for_approval",
                 "approve"]:
        call(step, long, cast)
    client = login(officer)
    client.get(f"/officer/dossiers/{short.code}/")
    with CaptureQueriesContext(connection) as small:
        client.get(f"/officer/dossiers/{short.code}/")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(f"/officer/dossiers/{long.code}/").status_code == 200
    assert len(small.captured_queries) <= 25


def test_the_leader_who_decides_stop_requests_has_them_in_a_queue(login, leader, spread):
    html = login(leader).get("/officer/?queue=stop").content.decode()
    assert _counts(html)["stop"] == 1
    assert _codes(html) == {spread[Status.STOP_REQUESTED].code}


def test_the_procedure_filter_offers_only_what_the_officers_communes_receive(login, officer, spread, version,
                                                                              other_commune):
    # A province's catalogue holds thousands of procedures; listing them all in every queue page's filter
    # was most of the page's rendering time, and offered procedures the commune never receives.
    elsewhere = make_procedure(agency=other_commune, name="Thủ tục chỉ của xã khác")
    html = login(officer).get("/officer/?queue=all").content.decode()
    offered = set(re.findall(r'<option value="(\d+)"', html.split('name="procedure"', 1)[1].split("</select>", 1)[0]))
    assert str(version.procedure_id) in offered
    assert str(elsewhere.procedure_id) not in offered
