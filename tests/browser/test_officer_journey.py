"""Debian's Chromium against the live server: an officer receives a dossier and hands it on; the
specialist asks for a supplement; the officer finds it in the "waiting for the citizen" queue."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from applications import workflow
from applications.models import Dossier, Status
from tests.conftest import PASSWORD
from tests.factories import make_dossier, make_procedure
from tests.support.two_factor import second_factor_pass

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, base_url: str, email: str) -> None:
    page.goto(base_url + "/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    second_factor_pass(page, email)
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()


def _act(page, action: str, button: str) -> None:
    page.locator(f'details[data-action="{action}"] > summary').click()
    page.get_by_role("button", name=f"Xác nhận: {button}").click()


def test_officer_receives_transfers_and_finds_the_supplement_request_in_its_queue(
    live_server, page, citizen, officer, specialist, commune
):
    version = make_procedure(agency=commune, time_value=3, name="Cấp Giấy xác nhận tình trạng hôn nhân")
    dossier = make_dossier(version, commune, citizen, status=Status.DRAFT)
    workflow.dossier_submit(dossier, actor=citizen)

    _log_in(page, live_server.url, officer.email)
    page.get_by_role("link", name="Xử lý hồ sơ").first.click()
    expect(page.locator('[data-count="new"]')).to_have_text("1")
    page.get_by_role("link", name=dossier.code).click()
    expect(page.locator("[data-status]")).to_have_text("Mới đăng ký")

    _act(page, "receive", "Tiếp nhận hồ sơ")
    expect(page.get_by_text("Đã thực hiện: Tiếp nhận hồ sơ.")).to_be_visible()
    expect(page.locator("[data-status]")).to_have_text("Đã tiếp nhận")
    expect(page.get_by_text("Hồ sơ được tiếp nhận, có giấy hẹn trả kết quả")).to_be_visible()

    page.locator('details[data-action="transfer"] > summary').click()
    page.select_option("select[name=transfer-specialist]", str(specialist.pk))
    page.get_by_role("button", name="Xác nhận: Chuyển chuyên viên xử lý").click()
    expect(page.locator("[data-status]")).to_have_text("Đang xử lý")
    page.get_by_role("button", name="Đăng xuất").click()

    _log_in(page, live_server.url, specialist.email)
    page.goto(live_server.url + "/officer/")
    expect(page.locator('[data-count="mine"]')).to_have_text("1")
    page.get_by_role("link", name=dossier.code).click()
    page.locator('details[data-action="request_supplement"] > summary').click()
    page.fill("textarea[name=request_supplement-items]", "Bản chụp căn cước của người yêu cầu\nGiấy ủy quyền")
    page.get_by_role("button", name="Xác nhận: Yêu cầu bổ sung hồ sơ (Mẫu 02)").click()
    expect(page.locator("[data-status]")).to_have_text("Yêu cầu bổ sung giấy tờ")
    expect(page.get_by_text("Tạm dừng tính thời hạn", exact=True)).to_be_visible()
    page.get_by_role("button", name="Đăng xuất").click()

    _log_in(page, live_server.url, officer.email)
    page.goto(live_server.url + "/officer/")
    page.locator('a[data-queue="supplement"]').click()
    expect(page.get_by_role("link", name=dossier.code)).to_be_visible()
    expect(page.locator('[data-count="supplement"]')).to_have_text("1")
    assert Dossier.objects.get(pk=dossier.pk).status == Status.SUPPLEMENT_REQUESTED


def test_the_queue_page_fits_a_360_pixel_phone(live_server, browser, phone_context_args, officer, citizen, commune):
    version = make_procedure(agency=commune)
    dossier = make_dossier(version, commune, citizen, status=Status.DRAFT)
    workflow.dossier_submit(dossier, actor=citizen)
    context = browser.new_context(**phone_context_args)
    page = context.new_page()
    _log_in_phone(page, live_server.url, officer.email)
    for path in ["/officer/", f"/officer/dossiers/{dossier.code}/", "/officer/tracking-book/"]:
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
    context.close()


def _log_in_phone(page, base_url: str, email: str) -> None:
    page.goto(base_url + "/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    second_factor_pass(page, email)
    page.wait_for_load_state()
