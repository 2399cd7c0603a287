"""Debian's Chromium against the live server: the officer receives a dossier; the citizen finds the
receipt (Mẫu 01) as a PDF on the dossier page and the notification behind the bell."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from applications import workflow
from applications.models import Status
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


def test_the_citizen_gets_the_receipt_pdf_and_a_notification_after_the_officer_receives(
    live_server, page, citizen, officer, commune
):
    dossier = make_dossier(make_procedure(agency=commune), commune, citizen, status=Status.DRAFT)
    workflow.dossier_submit(dossier, actor=citizen)

    # the officer receives it
    _log_in(page, live_server.url, officer.email)
    page.goto(f"{live_server.url}/officer/dossiers/{dossier.code}/")
    page.locator('details[data-action="receive"] > summary').click()
    page.get_by_role("button", name="Xác nhận: Tiếp nhận hồ sơ").click()
    expect(page.locator("[data-status]")).to_have_text("Đã tiếp nhận")
    expect(page.get_by_role("link", name="Xem, in PDF")).to_be_visible()
    page.get_by_role("button", name="Đăng xuất").click()

    # the citizen sees the bell, the message, and downloads the receipt
    _log_in(page, live_server.url, citizen.email)
    bell = page.locator("#notification-bell")
    expect(bell.locator("[data-unread]")).to_be_visible()
    bell.click()
    expect(page.get_by_text(f"Hồ sơ {dossier.code} đã được tiếp nhận")).to_be_visible()
    page.get_by_role("link", name="Xem hồ sơ").first.click()
    expect(page.get_by_text("Giấy tiếp nhận hồ sơ và hẹn trả kết quả")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải PDF").first.click()
    download = download_info.value
    assert download.suggested_filename == f"receipt-{dossier.code}.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"

    # marking it read empties the bell
    page.goto(live_server.url + "/notifications/")
    page.get_by_role("button", name="Đánh dấu tất cả đã đọc").click()
    expect(page.locator("#notification-bell [data-unread]")).to_have_count(0)
