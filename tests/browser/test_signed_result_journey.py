"""Debian's Chromium against the live server: the leader approves, the worker signs the e-result
with the leader's (demo) certificate; the citizen downloads it, pdfsig finds a valid signature by
the leader, and the public verification page confirms it."""

from __future__ import annotations

import subprocess

import pytest
from playwright.sync_api import expect

from applications.models import Document, DocumentKind, Status
from tests.conftest import PASSWORD
from tests.factories import make_dossier, make_procedure
from tests.support.two_factor import second_factor_pass
from tests.vault.conftest import VIETNAMESE_NAME, demo_ca  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, base_url: str, email: str) -> None:
    page.goto(base_url + "/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    second_factor_pass(page, email)
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()


def test_the_leader_signs_the_result_and_anyone_can_check_it(
    demo_ca, live_server, page, citizen, leader, commune, tmp_path,  # noqa: F811
):
    dossier = make_dossier(make_procedure(agency=commune, name="Đăng ký khai sinh"), commune, citizen,
                           status=Status.PENDING_APPROVAL)

    # the leader approves: the result is rendered and signed in the worker
    _log_in(page, live_server.url, leader.email)
    page.goto(f"{live_server.url}/officer/dossiers/{dossier.code}/")
    page.locator('details[data-action="approve"] > summary').click()
    page.get_by_role("button", name="Xác nhận: Phê duyệt kết quả").click()
    expect(page.locator("[data-status]")).to_have_text("Đã có kết quả")
    expect(page.locator('li[data-kind="result"] [data-signed]')).to_have_text(f"Đã ký số: {VIETNAMESE_NAME}")
    page.get_by_role("button", name="Đăng xuất").click()

    # the citizen downloads the signed result
    _log_in(page, live_server.url, citizen.email)
    page.goto(f"{live_server.url}/dossiers/{dossier.code}/")
    with page.expect_download() as download_info:
        page.locator('li[data-kind="result"]').get_by_role("link", name="Tải PDF").click()
    path = tmp_path / "ket-qua.pdf"
    download_info.value.save_as(path)
    pdfsig = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout
    assert "Signature is Valid" in pdfsig and VIETNAMESE_NAME in pdfsig

    # the verification page (the QR code's address) confirms it
    document = Document.objects.get(dossier=dossier, kind=DocumentKind.RESULT)
    page.goto(f"{live_server.url}/verify/{document.verify_token}/")
    expect(page.locator("#verify-signed-by")).to_contain_text(VIETNAMESE_NAME)
    page.set_input_files("input[type=file]", str(path))
    page.get_by_role("button", name="Kiểm tra", exact=True).click()
    expect(page.locator("#verify-result")).to_contain_text("Trùng khớp")
    report = page.locator('#signature-reports [data-signature-ok="true"]')
    expect(report).to_contain_text("Chữ ký số hợp lệ.")
    expect(report).to_contain_text(f"Người ký: {VIETNAMESE_NAME}")
