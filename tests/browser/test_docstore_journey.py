"""Debian's Chromium: the citizen finds an earlier result in "Giấy tờ của tôi", files a new dossier
reusing it instead of uploading, and the officer sees the paper was reused and from where."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from applications.models import Attachment, Dossier, Status
from tests.applications.filing.builders import draft_for, make_complete
from tests.conftest import PASSWORD, VIEWPORTS
from tests.docstore.builders import returned_with_result, typed_procedure
from tests.support.two_factor import second_factor_pass

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, base_url: str, email: str, *, staff: bool = False) -> None:
    page.goto(base_url + "/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    if staff:
        second_factor_pass(page, email)
        expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()
    else:
        expect(page.get_by_role("heading", name="Hồ sơ của tôi")).to_be_visible()


def _fits(page) -> None:
    if page.is_phone:
        page.wait_for_load_state("load")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, page.url


def test_the_citizen_reuses_an_earlier_result_and_the_officer_sees_it_reused(
    live_server, screen_page, browser, citizen, officer, commune,
):
    marital = typed_procedure(commune, name="Cấp Giấy xác nhận tình trạng hôn nhân", result_type="marital")
    earlier, result = returned_with_result(marital, commune, citizen)
    marriage = typed_procedure(commune, name="Đăng ký kết hôn")
    wanted = marriage.components.get(order=2)
    wanted.name = "Giấy xác nhận tình trạng hôn nhân"
    wanted.document_type = marital.result_document_type
    wanted.save()
    draft = make_complete(draft_for(marriage, commune, citizen), citizen)  # steps 1–2 and the declaration
    page = screen_page

    _log_in(page, live_server.url, citizen.email)
    if page.is_phone:
        page.get_by_role("button", name="Mở menu").click()
    page.get_by_role("link", name="Giấy tờ của tôi").click()
    expect(page.get_by_role("heading", name="Giấy tờ của tôi")).to_be_visible()
    expect(page.get_by_text(earlier.code)).to_be_visible()
    expect(page.get_by_text("Kết quả do cơ quan nhà nước cấp")).to_be_visible()
    _fits(page)

    page.goto(live_server.url + f"/dossiers/draft/{draft.pk}/attachments/")
    section = page.locator(f"#component-{wanted.pk}")
    section.get_by_role("link", name="Chọn từ Giấy tờ của tôi").click()
    offer = page.locator(f"#reuse-{wanted.pk}")
    expect(offer.get_by_text(f"từ hồ sơ {earlier.code}")).to_be_visible()
    _fits(page)
    offer.get_by_role("button", name="Dùng giấy tờ này").click()

    expect(page.get_by_text("không cần tải lên lại")).to_be_visible()
    expect(page.locator(f"#component-{wanted.pk}").get_by_text("tái sử dụng")).to_be_visible()
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    page.get_by_role("button", name="Nộp hồ sơ").click()
    dossier = Dossier.objects.get(pk=draft.pk)
    expect(page.get_by_text(dossier.code).first).to_be_visible()
    assert dossier.status == Status.SUBMITTED
    reused = Attachment.objects.get(dossier=dossier, component=wanted)
    assert reused.reused_from_document == result and reused.sha256 == result.sha256

    context = browser.new_context(**VIEWPORTS["desktop"])
    officer_page = context.new_page()
    _log_in(officer_page, live_server.url, officer.email, staff=True)
    officer_page.goto(live_server.url + f"/officer/dossiers/{dossier.code}/")
    expect(officer_page.get_by_test_id("reused")).to_have_text("tái sử dụng")
    expect(officer_page.get_by_text(f"kết quả số {result.number}")).to_be_visible()
    context.close()
