"""The list page must not grow its query count with the catalogue (5,000 procedures)."""

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from procedures import demo
from procedures.models import Procedure

pytestmark = pytest.mark.django_db

BUDGET = 8  # session + user + count + page + sector/agency choices for the filter form
URLS = ["/procedures/?q=khai+sinh", "/procedures/?q=dang+ky&service_level=full&page=3",
        "/procedures/?agency={agency}&applicant=citizen", "/procedures/"]


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_list_and_search_run_the_same_few_queries_for_50_and_5000_procedures(
    client, commune, settings, django_assert_max_num_queries
):
    settings.PROCEDURE_CACHE_SECONDS = 0  # measure the cold path every time
    demo.bulk_catalogue(50, agencies=[commune], prefix="7")
    urls = [url.format(agency=commune.pk) for url in URLS]
    small = [_queries(client, url) for url in urls]

    demo.bulk_catalogue(4_950, agencies=[commune], prefix="8")
    assert Procedure.objects.count() == 5_000
    for url, count in zip(urls, small, strict=True):
        with django_assert_max_num_queries(BUDGET):
            assert _queries(client, url) == count


def test_home_page_query_count_does_not_grow_with_the_catalogue(
    client, commune, settings, django_assert_max_num_queries
):
    settings.PROCEDURE_CACHE_SECONDS = 0
    demo.bulk_catalogue(2_000, agencies=[commune])

    with django_assert_max_num_queries(5):
        response = client.get("/")

    assert len(response.context["popular_procedures"]) == 8


def _plan(cursor, query: str) -> str:
    from procedures.selectors import procedure_search_queryset

    sql, params = procedure_search_queryset(query).query.sql_with_params()
    cursor.execute("EXPLAIN " + sql, params)
    return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm exists on PostgreSQL only")
def test_search_uses_the_trigram_index_on_postgresql(commune):
    demo.bulk_catalogue(5_000, agencies=[commune])

    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'procedure_search_text_trgm'")
        assert "gin_trgm_ops" in cursor.fetchone()[0]
        cursor.execute("ANALYZE procedures_procedure")
        # A selective search: the planner picks the trigram index on its own.
        selective = _plan(cursor, "8.004321")
        # Common words on 5,000 rows: a sequential scan may rightly win on cost, so disable scans of
        # the table and of b-tree indexes to prove the trigram index serves these searches too.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plans = [selective] + [_plan(cursor, query) for query in ("khai sinh", "dang ky tam tru")]

    for plan in plans:
        assert "Bitmap Index Scan on procedure_search_text_trgm" in plan, plan
