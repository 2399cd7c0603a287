"""Debian's Chromium against the live server: a leader reads the quality dashboard, sees its charts and
drills down from a figure to the dossiers behind it; anyone reads the public counters on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from quality.history import history_generate
from quality.selectors import Scope, summary_totals
from quality.summary import summary_rebuild
from tests.conftest import PASSWORD
from tests.factories import make_procedure
from tests.quality.conftest import HISTORY_START
from tests.support.two_factor import second_factor_pass

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def history(commune, other_commune, officer):
    versions = [make_procedure(agency=commune), make_procedure(agency=other_commune, name="Chứng thực bản sao")]
    history_generate(agencies=[commune, other_commune], versions=versions, actor=officer, count=150,
                     start=HISTORY_START, days=300, seed=9)
    summary_rebuild()


def test_leader_drills_down_from_a_figure_to_the_dossiers(live_server, page, leader, commune, history):
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", leader.email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    second_factor_pass(page, leader.email)

    page.goto(live_server.url + "/officer/quality/?period=year&year=2026")
    late = summary_totals(Scope([commune.pk], HISTORY_START.date(), HISTORY_START.date().replace(month=12, day=31)))[
        "resolved_late"]
    row = page.locator('[data-counter="resolved_late"]')
    expect(row).to_contain_text(str(late))
    expect(page.locator('[data-indicator="on_time_rate"]')).to_contain_text("%")
    expect(page.locator('[data-indicator="satisfaction"]')).to_contain_text("chưa có dữ liệu")
    # The charts were drawn by the vendored Chart.js (no CDN).
    assert page.evaluate("typeof window.Chart") == "function"
    assert page.evaluate("window.Chart.getChart(document.getElementById('chart-groups')) !== undefined")

    row.get_by_role("link").click()
    expect(page.get_by_role("heading", name="Giải quyết quá hạn")).to_be_visible()
    expect(page.locator('[data-testid="drill-count"]')).to_contain_text(f"{late} hồ sơ")
    expect(page.locator("tbody tr").first.get_by_role("link")).to_contain_text("GEN-9-")


def test_the_public_page_shows_the_counts(live_server, screen_page, commune, history):
    screen_page.goto(live_server.url + "/minh-bach/")

    expect(screen_page.get_by_role("heading", level=1)).to_contain_text("Kết quả giải quyết hồ sơ năm")
    expect(screen_page.locator('[data-testid="agencies"]')).to_contain_text(commune.name)
    expect(screen_page.locator('[data-testid="agencies"]')).to_contain_text("chưa có dữ liệu")
