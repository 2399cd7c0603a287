"""Bad input at scale: page numbers that are not pages, pages deeper than a list is served, huge page sizes
and forged cursors are refused with a Vietnamese message (before any list query) or answered fast, and
counting a long list stops at LIST_MAX_ROWS (portal/lib/pagination.py; the API pages by keyset)."""

from __future__ import annotations

import base64
import re

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications.models import Dossier, Status
from applications.queues import dossiers_changed
from tests.factories import make_procedure

pytestmark = pytest.mark.django_db

NOT_A_PAGE = "Số trang không hợp lệ: hãy dùng một số nguyên dương, ví dụ page=2."


@pytest.fixture
def version(commune):
    return make_procedure(agency=commune)


def _dossiers(version, commune, citizen, count: int) -> None:
    Dossier.objects.bulk_create([
        Dossier(procedure_version=version, agency=commune, owner=citizen, filed_by=citizen, status=Status.SUBMITTED,
                code=f"{commune.legacy_code()}-260101-{7000 + n:04d}", applicant_name="Nguyễn Văn An",
                submitted_at=timezone.now(), form_data={})
        for n in range(count)
    ])


def _dossier_queries(queries) -> list[str]:
    return [query["sql"] for query in queries.captured_queries if '"applications_dossier"' in query["sql"]]


@pytest.mark.parametrize("page", ["abc", "-1", "0", "1.5", "２", "99999999999999999999"])
def test_a_page_that_is_not_a_positive_number_is_refused_before_any_query(client, officer, version, commune,
                                                                          citizen, page):
    _dossiers(version, commune, citizen, 3)
    client.force_login(officer)
    client.get("/officer/")  # the session's first request writes it; not what is measured
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/officer/", {"page": page})
    assert response.status_code == 400
    assert NOT_A_PAGE in response.content.decode()
    assert _dossier_queries(queries) == []


def test_a_page_deeper_than_the_list_is_served_is_refused_with_a_way_out(client, officer, version, commune, citizen,
                                                                        django_assert_max_num_queries):
    client.force_login(officer)
    client.get("/officer/")
    with django_assert_max_num_queries(4), CaptureQueriesContext(connection) as queries:
        response = client.get("/officer/", {"page": "999999"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Danh sách chỉ mở được 400 trang đầu (10.000 dòng)." in page
    assert "Hãy dùng bộ lọc (thủ tục, trạng thái, khoảng ngày, từ khóa) để thu hẹp danh sách." in page
    assert _dossier_queries(queries) == []


def test_counting_a_long_queue_stops_at_the_bound(client, officer, version, commune, citizen, settings):
    settings.LIST_MAX_ROWS = 30
    _dossiers(version, commune, citizen, 40)
    client.force_login(officer)
    client.get("/officer/?queue=new")
    dossiers_changed(commune.pk)  # the badges are counted again, not read from their short-lived cache
    with CaptureQueriesContext(connection) as queries:
        first = client.get("/officer/?queue=new")
    html = first.content.decode()
    assert first.status_code == 200 and "(30+)" in html and "Trang 1/2" in html
    # Unfiltered, the page count is the tab's badge: the badges' one bounded query, no second COUNT.
    assert len([sql for sql in _dossier_queries(queries) if "LIMIT 31" in sql]) == 1
    dossiers_changed(commune.pk)
    with CaptureQueriesContext(connection) as queries:
        filtered = client.get("/officer/?queue=new&status=submitted")
    assert filtered.status_code == 200 and "(30+)" in filtered.content.decode()
    counts = [sql for sql in _dossier_queries(queries) if "COUNT(" in sql.upper() and "LIMIT 31" in sql]
    assert len(counts) == 2, "the badges and the filtered list, each counted within LIST_MAX_ROWS + 1 rows"
    second = client.get("/officer/?queue=new&page=2").content.decode()
    assert len(set(re.findall(r'href="/officer/dossiers/([^/"]+)/"', second))) == 5 and "Trang 2/2" in second
    assert client.get("/officer/?queue=new&page=3").status_code == 400


def test_a_page_after_the_last_shows_the_last_page_as_before(client, officer, version, commune, citizen):
    _dossiers(version, commune, citizen, 3)
    client.force_login(officer)
    response = client.get("/officer/?queue=new&page=7")
    assert response.status_code == 200 and response.context["page"].number == 1


def test_the_quality_drill_down_refuses_bad_pages_and_says_when_it_stops_counting(client, leader, settings, version,
                                                                                 commune, citizen):
    client.force_login(leader)
    url = reverse("quality:drill", args=["received"])
    refused = client.get(url, {"page": "abc"})
    assert refused.status_code == 400 and NOT_A_PAGE in refused.content.decode()
    assert client.get(url, {"page": "201"}).status_code == 400  # 10 000 rows at 50 a page

    settings.LIST_MAX_ROWS = 2
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["page"].paginator.limit == 2


def test_the_public_petition_list_refuses_deep_pages_cheaply(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = client.get(reverse("feedback:petitions"), {"page": "999999"})
    assert response.status_code == 400
    assert "Danh sách chỉ mở được" in response.content.decode()
    assert client.get(reverse("feedback:petitions"), {"page": "-1"}).status_code == 400
    assert client.get(reverse("feedback:petitions")).status_code == 200


# --- The API: keyset pages ------------------------------------------------------------------------------


@pytest.fixture
def officer_key(officer, commune) -> str:
    from api.keys import api_key_issue

    return api_key_issue(name="Phần mềm một cửa An Phú", agency=commune, user=officer)[1]


def _queue(api_client, key: str, **params):
    return api_client.get(reverse("api:agency-queue", args=["new"]), params, HTTP_X_API_KEY=key)


def test_a_huge_page_size_is_served_as_100_within_a_query_budget(version, commune, citizen, officer_key,
                                                                 django_assert_max_num_queries):
    from rest_framework.test import APIClient

    api_client = APIClient()
    _dossiers(version, commune, citizen, 105)
    with django_assert_max_num_queries(6):
        body = _queue(api_client, officer_key, page_size="1000000").json()
    assert len(body["results"]) == 100 and body["next"]
    for odd in ("abc", "-1", "0"):
        assert len(_queue(api_client, officer_key, page_size=odd).json()["results"]) == 25


def test_the_next_page_is_a_keyset_query_not_an_offset(version, commune, citizen, officer_key):
    from rest_framework.test import APIClient

    api_client = APIClient()
    _dossiers(version, commune, citizen, 30)
    first = _queue(api_client, officer_key, page_size=10).json()
    with CaptureQueriesContext(connection) as queries:
        second = api_client.get(first["next"], HTTP_X_API_KEY=officer_key).json()
    assert len(second["results"]) == 10
    assert not {row["code"] for row in first["results"]} & {row["code"] for row in second["results"]}
    listing = [sql for sql in _dossier_queries(queries) if "ORDER BY" in sql]
    assert listing and all("OFFSET" not in sql for sql in listing)
    assert any(re.search(r'"applications_dossier"\."id" < \d+', sql) for sql in listing)


@pytest.mark.parametrize("cursor", [
    "not-a-cursor",
    base64.b64encode(b"p=abc").decode(),  # a position that is not an id would have failed the query (500)
    base64.b64encode(b"p=" + b"9" * 40).decode(),
])
def test_a_forged_cursor_is_a_vietnamese_400_problem(version, commune, citizen, officer_key, cursor):
    from rest_framework.test import APIClient

    _dossiers(version, commune, citizen, 2)
    response = _queue(APIClient(), officer_key, cursor=cursor)
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["detail"] == (
        "Tham số cursor không hợp lệ: hãy dùng nguyên liên kết next hoặc previous của trang trước.")


def test_a_cursor_asking_to_skip_a_billion_rows_is_answered_from_the_cut_off(version, commune, citizen, officer_key,
                                                                            django_assert_max_num_queries):
    from rest_framework.test import APIClient

    _dossiers(version, commune, citizen, 2)
    newest = Dossier.objects.order_by("-pk").first()
    cursor = base64.b64encode(f"o=999999999&p={newest.pk + 1}".encode()).decode()
    with CaptureQueriesContext(connection) as queries, django_assert_max_num_queries(6):
        response = _queue(APIClient(), officer_key, cursor=cursor)
    assert response.status_code == 200 and response.json()["results"] == []
    offsets = [int(n) for sql in _dossier_queries(queries) for n in re.findall(r"OFFSET (\d+)", sql)]
    assert offsets and max(offsets) <= 100
