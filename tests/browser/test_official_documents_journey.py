"""Debian's Chromium against the live server, on a desktop and on a 360 px phone: the demo birth
registration goes from the one-stop shop to the leader's approval, and the citizen downloads each paper
it issued (Mẫu 01 receipt, the e-result). The PDFs are read back with pdftotext."""

from __future__ import annotations

import subprocess

import pytest
from playwright.sync_api import expect

from applications import workflow
from applications.demo import demo_form_data
from applications.models import Status
from procedures import demo as procedures_demo
from procedures.models import Procedure
from tests.conftest import PASSWORD
from tests.factories import make_dossier
from tests.support.two_factor import second_factor_pass

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"viewport": {"width": 1280, "height": 900}, "locale": "vi-VN"}


@pytest.fixture(params=["desktop", "phone"])
def open_session(request, browser, phone_context_args, live_server):
    """A signed-in browser tab per person (separate contexts: separate sessions), in one viewport."""
    options = phone_context_args if request.param == "phone" else DESKTOP
    contexts = []

    def session(email: str):
        context = browser.new_context(**options, accept_downloads=True)
        contexts.append(context)
        page = context.new_page()
        page.goto(live_server.url + "/accounts/login/")
        page.fill("input[name=username]", email)
        page.fill("input[name=password]", PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        second_factor_pass(page, email)
        page.wait_for_load_state()
        assert "/accounts/login/" not in page.url
        return page

    session.width = options["viewport"]["width"]
    yield session
    for context in contexts:
        context.close()


def act(page, action: str, label: str) -> None:
    page.locator(f'details[data-action="{action}"] > summary').click()
    page.get_by_role("button", name=f"Xác nhận: {label}").click()


def pdf_text_and_pages(path) -> tuple[str, int]:
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    return " ".join(text.split()), pages


def download(page, kind: str):
    row = page.locator(f'li[data-kind="{kind}"]')
    expect(row.get_by_role("link", name="Tải PDF")).to_be_visible()
    with page.expect_download() as info:
        row.get_by_role("link", name="Tải PDF").click()
    return pdf_text_and_pages(info.value.path())


def test_a_birth_registration_walks_to_its_result_and_every_paper_reads_right(
    open_session, live_server, citizen, officer, specialist, leader, commune
):
    commune.head_title, commune.head_name = "Chủ tịch", "Trương Thị Hằng"
    commune.save()
    procedures_demo.seed()
    version = Procedure.objects.get(code="1.001193").current_version
    dossier = make_dossier(version, commune, citizen, status=Status.DRAFT, form_data=demo_form_data(version),
                           applicant_address="Thôn Đông, Xã An Phú, Ninh Bình")
    workflow.dossier_submit(dossier, actor=citizen)
    dossier_url = f"{live_server.url}/officer/dossiers/{dossier.code}/"

    # the one-stop shop receives it (Mẫu 01 is issued) and hands it to the specialist
    page = open_session(officer.email)
    page.goto(dossier_url)
    act(page, "receive", "Tiếp nhận hồ sơ")
    expect(page.locator("[data-status]")).to_have_text("Đã tiếp nhận")
    page.locator('details[data-action="transfer"] > summary').click()
    page.select_option("select[name=transfer-specialist]", str(specialist.pk))
    page.get_by_role("button", name="Xác nhận: Chuyển chuyên viên xử lý").click()
    expect(page.locator("[data-status]")).to_have_text("Đang xử lý")

    # the specialist proposes, the leader approves (the e-result is issued)
    page = open_session(specialist.email)
    page.goto(dossier_url)
    act(page, "submit_for_approval", "Trình lãnh đạo phê duyệt")
    expect(page.locator("[data-status]")).to_have_text("Chờ lãnh đạo phê duyệt")
    page = open_session(leader.email)
    page.goto(dossier_url)
    act(page, "approve", "Phê duyệt kết quả")
    expect(page.locator("[data-status]")).to_have_text("Đã có kết quả")
    expect(page.locator('li[data-kind="result"] [data-result-badge]')).to_be_visible()

    # the citizen sees which paper is the result and downloads both
    page = open_session(citizen.email)
    page.goto(f"{live_server.url}/dossiers/{dossier.code}/")
    expect(page.locator('li[data-kind="result"] [data-result-badge]')).to_have_text("Kết quả giải quyết")
    expect(page.locator('li[data-kind="receipt"] [data-result-badge]')).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= open_session.width

    receipt, receipt_pages = download(page, "receipt")
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in receipt and dossier.code in receipt
    assert "Địa chỉ: Thôn Đông, Xã An Phú, Ninh Bình" in receipt
    assert "ngay trong ngày" not in receipt and "5. Thời gian trả kết quả giải quyết hồ sơ: 17 giờ 00 phút" in receipt
    assert "Quyển số: " in receipt and "Số thứ tự: 1" in receipt
    assert receipt_pages == 1

    result, result_pages = download(page, "result")
    assert "GIẤY KHAI SINH" in result and "nếu có yêu cầu" not in result
    assert "Nơi cư trú: Thôn Đông, Xã An Phú, Ninh Bình" in result and "{'province'" not in result
    assert "Giới tính: Nam" in result and "Ngày, tháng, năm sinh: 02/11/2026" in result
    assert "CHỦ TỊCH" in result and "Trương Thị Hằng" in result
    assert "có giá trị pháp lý" not in result and "chưa được ký số" in result
    assert result_pages == 1
