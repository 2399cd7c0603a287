"""The leader dashboard: figures with their formula, scope by agency sub-tree, drill-down to dossiers."""

from __future__ import annotations

import pytest

from django.urls import reverse

from quality.history import history_generate
from quality.selectors import Scope, summary_totals
from quality.summary import summary_rebuild
from tests.quality.conftest import HISTORY_START

YEAR = {"period": "year", "year": 2026}


@pytest.fixture
def small_history(commune, other_commune, hamlet, versions, officer):
    history_generate(agencies=[commune, other_commune, hamlet], versions=versions, actor=officer, count=400,
                     start=HISTORY_START, days=300, seed=15)
    summary_rebuild()


def test_leader_sees_the_figures_of_their_sub_tree_with_formulas(client, leader, commune, hamlet, small_history,
                                                                 django_assert_max_num_queries):
    client.force_login(leader)

    with django_assert_max_num_queries(25):
        response = client.get(reverse("quality:dashboard"), YEAR)

    assert response.status_code == 200
    totals = summary_totals(Scope([commune.pk, hamlet.pk], HISTORY_START.date(), HISTORY_START.date().replace(month=12, day=31)))
    counters = {key: value for key, _label, value, _previous in response.context["counters"]}
    assert counters["received"] == totals["received"] > 0
    page = response.content.decode()
    assert "Hồ sơ giải quyết trước hạn + đúng hạn" in page  # the formula beside the figure
    assert "chưa có dữ liệu" in page  # no ratings in the history, and no source yet for publication on time
    assert "Số liệu tính lúc" in page


def test_a_commune_leader_cannot_ask_for_another_communes_figures(client, leader, other_commune, small_history):
    client.force_login(leader)

    response = client.get(reverse("quality:dashboard"), dict(YEAR, agency=other_commune.pk))

    assert response.status_code == 400


def test_the_drill_down_lists_the_dossiers_behind_a_figure_within_scope(client, leader, commune, hamlet,
                                                                        small_history, django_assert_max_num_queries):
    client.force_login(leader)

    with django_assert_max_num_queries(20):
        response = client.get(reverse("quality:drill", args=["resolved_late"]), YEAR)

    assert response.status_code == 200
    page = response.context["page"]
    assert page.paginator.count > 0
    assert {dossier.agency_id for dossier in page} <= {commune.pk, hamlet.pk}
    assert all(dossier.timeliness == "late" for dossier in page)


def test_an_unknown_counter_is_not_found(client, leader, small_history):
    client.force_login(leader)

    assert client.get(reverse("quality:drill", args=["nonsense"]), YEAR).status_code == 404


@pytest.mark.parametrize("persona", ["officer", "specialist", "citizen"])
def test_only_leaders_and_admins_open_the_dashboard(client, request, persona):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("quality:dashboard")).status_code == 403


def test_an_admin_sees_every_agency(client, admin_user, small_history):
    client.force_login(admin_user)

    response = client.get(reverse("quality:dashboard"), YEAR)

    counters = {key: value for key, _label, value, _previous in response.context["counters"]}
    assert counters["received"] == summary_totals(Scope(None, HISTORY_START.date(),
                                                        HISTORY_START.date().replace(month=12, day=31)))["received"]


def test_a_bad_period_is_refused_in_vietnamese(client, leader):
    client.force_login(leader)

    response = client.get(reverse("quality:dashboard"), {"period": "custom", "start": "2026-05-01", "end": "2026-04-01"})

    assert response.status_code == 400
    assert "Ngày kết thúc phải sau ngày bắt đầu." in response.content.decode()


def test_the_dossiers_behind_a_figure_export_to_excel(client, leader, commune, hamlet, small_history):
    import io

    from openpyxl import load_workbook

    from quality.selectors import drill_dossiers

    client.force_login(leader)

    response = client.get(reverse("quality:drill", args=["received_online"]), dict(YEAR, format="xlsx"))

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    codes = {row[0].value for row in sheet.iter_rows(min_row=4)}
    scope = Scope([commune.pk, hamlet.pk], HISTORY_START.date(), HISTORY_START.date().replace(month=12, day=31))
    assert codes == set(drill_dossiers(scope, "received_online").values_list("code", flat=True))
    assert len(codes) > 0
