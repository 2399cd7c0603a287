"""The citizen's dossier list reads only what it shows, and counts nothing when one page holds it all."""

from __future__ import annotations

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications.models import Status
from tests.factories import make_dossier

pytestmark = pytest.mark.django_db


def _counts(captured) -> list[str]:
    return [query["sql"] for query in captured if "COUNT(" in query["sql"].upper()]


def test_one_page_of_dossiers_and_the_drafts_in_two_queries_without_a_count(client, citizen, version, commune):
    for _ in range(20):
        make_dossier(version, commune, citizen, subject_id_number="001084000999")
    draft = make_dossier(version, commune, citizen, status=Status.DRAFT, subject_name="Trần Thị Nháp")
    client.force_login(citizen)
    client.get("/dossiers/")
    with CaptureQueriesContext(connection) as captured:
        html = client.get("/dossiers/").content.decode()
    assert _counts(captured.captured_queries) == []
    dossier_queries = [q["sql"] for q in captured.captured_queries if '"applications_dossier"' in q["sql"]]
    assert len(dossier_queries) == 2
    assert html.count('data-label="Mã hồ sơ"') == 20 and "?page=2" not in html
    assert html.count("•••••••••999") == 20 and version.name in html
    assert "Trần Thị Nháp" in html and f"/dossiers/draft/{draft.pk}/applicant/" in html


def test_a_second_page_is_counted_and_linked(client, citizen, version, commune):
    for _ in range(21):
        make_dossier(version, commune, citizen)
    client.force_login(citizen)
    first = client.get("/dossiers/")
    assert len(first.context["dossiers"]) == 20 and "1 / 2" in first.content.decode()
    assert "?page=2" in first.content.decode()
    second = client.get("/dossiers/?page=2")
    assert len(second.context["dossiers"]) == 1 and "2 / 2" in second.content.decode()
