"""Debian's Chromium against the live server, on a phone and on a desktop:

- a citizen asks to stop; the leader declines with a reason (the dossier goes back where it was); a
  second request is accepted and the citizen downloads the stop notice (Mẫu 05);
- a specialist records a legal extension for verification; after the original date the dossier is
  not shown as late and the result is classed against the extended date.
"""

from __future__ import annotations

import subprocess
from datetime import timedelta

import pytest
import time_machine
from playwright.sync_api import expect

from django.utils import timezone

from applications import workflow
from applications.models import Dossier, Status
from tests.conftest import PASSWORD
from tests.factories import make_dossier, make_procedure
from tests.support.two_factor import second_factor_pass

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = ["desktop", "phone"]


@pytest.fixture
def open_as(browser, phone_context_args, live_server):
    """A fresh browser context per person (a phone or a desktop screen), logged in."""
    contexts = []

    def as_user(user, viewport: str):
        args = phone_context_args if viewport == "phone" else {"viewport": {"width": 1280, "height": 900},
                                                               "locale": "vi-VN"}
        context = browser.new_context(**args)
        contexts.append(context)
        page = context.new_page()
        page.goto(live_server.url + "/accounts/login/")
        page.fill("input[name=username]", user.email)
        page.fill("input[name=password]", PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        second_factor_pass(page, user.email)
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        return page

    yield as_user
    for context in contexts:
        context.close()


def _act(page, action: str, button: str, **fields) -> None:
    page.locator(f'details[data-action="{action}"] > summary').click()
    for name, value in fields.items():
        page.fill(f'[name="{action}-{name}"]', str(value))
    page.get_by_role("button", name=f"Xác nhận: {button}").click()


def _processing(commune, citizen, officer, specialist, **procedure) -> Dossier:
    version = make_procedure(agency=commune, time_value=procedure.pop("time_value", 3), **procedure)
    dossier = make_dossier(version, commune, citizen, status=Status.DRAFT)
    workflow.dossier_submit(dossier, actor=citizen)
    workflow.dossier_receive(dossier, actor=officer, expected_version=dossier.version)
    workflow.dossier_transfer(dossier, actor=officer, expected_version=dossier.version, specialist=specialist)
    return dossier


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_stop_request_declined_then_accepted_with_the_notice(
    viewport, live_server, open_as, citizen, officer, specialist, leader, commune, tmp_path
):
    dossier = _processing(commune, citizen, officer, specialist, name="Cấp Giấy xác nhận tình trạng hôn nhân")
    dossier_url = f"{live_server.url}/dossiers/{dossier.code}/"
    officer_url = f"{live_server.url}/officer/dossiers/{dossier.code}/"

    # The citizen asks to stop.
    page = open_as(citizen, viewport)
    page.goto(dossier_url)
    stop_form = page.locator('form[action$="/stop/"]')
    stop_form.locator("textarea[name=reason]").fill("Tôi không còn nhu cầu sử dụng giấy xác nhận")
    stop_form.get_by_role("button", name="Gửi đề nghị dừng").click()
    expect(page.locator("[data-stop-pending]")).to_be_visible()

    # The leader declines with a reason: the dossier is back in processing.
    leader_page = open_as(leader, viewport)
    leader_page.goto(officer_url)
    expect(leader_page.locator("[data-stop-request]")).to_contain_text("Tôi không còn nhu cầu sử dụng giấy xác nhận")
    _act(leader_page, "decline_stop", "Không chấp thuận đề nghị dừng",
         reason="Hồ sơ đã xác minh xong, đang trình ký kết quả")
    expect(leader_page.locator("[data-status]")).to_have_text("Đang xử lý")
    assert Dossier.objects.get(pk=dossier.pk).status == Status.PROCESSING

    # The citizen reads why, and asks again.
    page.goto(dossier_url)
    expect(page.get_by_text("Không chấp thuận đề nghị dừng, tiếp tục giải quyết hồ sơ")).to_be_visible()
    expect(page.get_by_text("Hồ sơ đã xác minh xong, đang trình ký kết quả")).to_be_visible()
    stop_form = page.locator('form[action$="/stop/"]')
    stop_form.locator("textarea[name=reason]").fill("Gia đình đã quyết định không đăng ký nữa")
    stop_form.get_by_role("button", name="Gửi đề nghị dừng").click()
    expect(page.locator("[data-stop-pending]")).to_be_visible()

    # The leader accepts: the dossier stops and Mẫu 05 is issued.
    leader_page.goto(officer_url)
    _act(leader_page, "stop", "Đồng ý dừng giải quyết hồ sơ (Mẫu 05)")
    expect(leader_page.locator("[data-status]")).to_have_text("Dừng xử lý")
    assert page.evaluate("document.documentElement.scrollWidth") <= (360 if viewport == "phone" else 1280)

    page.goto(dossier_url)
    notice = page.locator("li.list-group-item", has_text="Thông báo dừng giải quyết hồ sơ")
    with page.expect_download() as download_info:
        notice.get_by_role("link", name="Tải PDF").click()
    target = tmp_path / "stop.pdf"
    download_info.value.save_as(target)
    text = " ".join(subprocess.run(["pdftotext", str(target), "-"], check=True, capture_output=True,
                                   text=True).stdout.split())
    assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in text.upper()
    assert dossier.code in text
    assert "Gia đình đã quyết định không đăng ký nữa" in text
    assert "Cấp Giấy xác nhận tình trạng hôn nhân" in text


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_legal_extension_moves_the_date_without_lateness(
    viewport, live_server, open_as, citizen, officer, specialist, leader, commune
):
    dossier = _processing(commune, citizen, officer, specialist, time_value=1,
                          name="Cấp Giấy xác nhận tình trạng hôn nhân")
    version = dossier.procedure_version
    version.extension_max_days = 20
    version.extension_basis = "Điều 22 Nghị định 123/2015/NĐ-CP"
    version.save(update_fields=["extension_max_days", "extension_basis"])
    officer_url = f"{live_server.url}/officer/dossiers/{dossier.code}/"
    original_due = dossier.due_current

    page = open_as(specialist, viewport)
    page.goto(officer_url)
    _act(page, "extend", "Gia hạn theo quy định để xác minh", days=2,
         reason="Xác minh tình trạng hôn nhân tại nơi cư trú trước đây")
    expect(page.get_by_text("Đã thực hiện: Gia hạn theo quy định để xác minh.")).to_be_visible()
    expect(page.locator("[data-extended]")).to_have_text("gia hạn theo quy định 2 ngày làm việc")
    dossier.refresh_from_db()
    assert dossier.due_original == original_due and dossier.due_current > original_due

    # One hour after the original date: not late on the clock, not in the overdue queue.
    with time_machine.travel(original_due + timedelta(hours=1), tick=True):
        page = open_as(specialist, viewport)
        page.goto(officer_url)
        clock = page.locator(".deadline-clock")
        expect(clock).to_contain_text(timezone.localtime(dossier.due_current).strftime("%d/%m/%Y"))
        expect(clock.locator("[data-extended]")).to_be_visible()
        expect(page.locator(".deadline-clock .text-bg-danger")).to_have_count(0)
        page.goto(f"{live_server.url}/officer/?queue=overdue")
        expect(page.get_by_role("link", name=dossier.code)).to_have_count(0)
        page.goto(officer_url)
        _act(page, "submit_for_approval", "Trình lãnh đạo phê duyệt")
        leader_page = open_as(leader, viewport)
        leader_page.goto(officer_url)
        _act(leader_page, "approve", "Phê duyệt kết quả", result_summary="Cấp giấy xác nhận")
        expect(leader_page.locator("[data-status]")).to_have_text("Đã có kết quả")
        expect(leader_page.locator(".deadline-clock")).to_contain_text("Trước hạn")
    dossier.refresh_from_db()
    assert dossier.timeliness == "early"
