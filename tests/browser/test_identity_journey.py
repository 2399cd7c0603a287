"""A citizen signs in through the sandbox e-identity provider (phone and desktop), files with the
verified details pre-filled, then signs out of the portal and of the provider."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accounts.models import User
from applications.models import Dossier, Status
from tests.accounts.oidc_support import sandbox_provider_at
from tests.applications.filing.builders import pdf_bytes
from tests.browser.test_filing_journey import birth_registration, continue_step, fits_the_phone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def idp(live_server, settings):
    return sandbox_provider_at(live_server, settings)


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_a_citizen_signs_in_with_vneid_files_with_verified_details_and_signs_out(
    live_server, idp, browser, phone_context_args, commune, tmp_path, screen
):
    birth_registration(commune)
    certificate = tmp_path / "giay-chung-sinh.pdf"
    certificate.write_bytes(pdf_bytes())
    context = browser.new_context(**(phone_context_args if screen == "phone" else {"viewport": {"width": 1280,
                                                                                                 "height": 900}}))
    page = context.new_page()
    check = fits_the_phone if screen == "phone" else (lambda page: None)

    # The procedure's "file online" asks for a sign-in; the login page offers VNeID first.
    page.goto(live_server.url + "/procedures/?q=dang+ky+khai+sinh")
    page.get_by_role("link", name="Đăng ký khai sinh").first.click()
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    check(page)
    page.get_by_role("link", name="Đăng nhập bằng VNeID (thử nghiệm)").click()

    # At the provider: pick a demo citizen (a level-2 account) and confirm.
    expect(page.get_by_role("heading", name="Đăng nhập bằng VNeID thử nghiệm")).to_be_visible()
    check(page)
    page.get_by_label("Trần Thị Bình — 1990-11-02").check()
    page.get_by_role("button", name="Xác nhận đăng nhập").click()

    # Back on the portal, on the filing page asked for, with the verified details already in.
    expect(page.get_by_text("Đã đăng nhập bằng VNeID (thử nghiệm).")).to_be_visible()
    expect(page.get_by_label("Họ và tên người nộp")).to_have_value("Trần Thị Bình")
    expect(page.get_by_label("Số định danh cá nhân của người nộp")).to_have_value("001190012345")
    page.get_by_label("Họ và tên chủ hồ sơ").fill("Nguyễn Minh Khôi")
    check(page)
    continue_step(page)
    expect(page.get_by_label("Họ, chữ đệm, tên người yêu cầu")).to_have_value("Trần Thị Bình")
    expect(page.get_by_label("Số định danh cá nhân của người yêu cầu")).to_have_value("001190012345")
    expect(page.locator("select[name=requester_address_0]")).to_have_value("Hà Nội")
    page.get_by_label("Họ, chữ đệm, tên của trẻ").fill("Nguyễn Minh Khôi")
    page.get_by_label("Ngày sinh").fill("2026-01-05")
    continue_step(page)
    page.locator("section", has_text="Giấy chứng sinh").locator("input[type=file]").set_input_files(str(certificate))
    continue_step(page)
    check(page)
    page.get_by_role("button", name="Nộp hồ sơ").click()

    dossier = Dossier.objects.get()
    expect(page.get_by_text(dossier.code).first).to_be_visible()
    assert dossier.status == Status.SUBMITTED
    assert (dossier.applicant_id_number, dossier.applicant_eid_verified, dossier.applicant_eid_level) == (
        "001190012345", True, 2)
    assert dossier.owner == User.objects.get(id_number="001190012345", identity_verified_at__isnull=False)

    # The profile shows the verified details, locked.
    page.goto(live_server.url + "/accounts/profile/")
    expect(page.locator("input[name=id_number]")).to_be_disabled()
    expect(page.locator("input[name=id_number]")).to_have_value("001190012345")

    # Signing out ends the provider's session too, and comes back to the portal.
    if screen == "phone":
        page.locator(".navbar-toggler").click()
        # Bootstrap marks the menu "show" once it has finished opening: a click during the animation
        # can land on nothing (seen once on a loaded CI machine: no sign-out request was ever sent).
        expect(page.locator(".navbar-collapse.show")).to_be_visible()
    page.get_by_role("button", name="Đăng xuất").click()
    # Three navigations (logout POST, the refresh to the provider, its redirect back): give a loaded
    # machine more than the default 5 s.
    expect(page.get_by_text("Bạn đã đăng xuất khỏi Cổng Dịch vụ công và hệ thống định danh điện tử.")).to_be_visible(
        timeout=20_000)
    check(page)
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_role("link", name="Đăng nhập bằng VNeID (thử nghiệm)").click()
    expect(page.get_by_role("heading", name="Đăng nhập bằng VNeID thử nghiệm")).to_be_visible()
    expect(page.get_by_test_id("idp-current")).to_have_count(0)
    context.close()
