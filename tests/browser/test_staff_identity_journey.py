"""An officer signs in through the agency's identity provider (the sandbox's staff client) in Chromium:
with the provider's second factor trusted, straight to the queue; without, our code is asked next."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.accounts.oidc_support import staff_provider_at
from tests.support.two_factor import second_factor_pass

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("enforces_mfa", [True, False])
def test_an_officer_signs_in_through_the_agency_provider(live_server, settings, page, officer, enforces_mfa):
    staff_provider_at(live_server, settings, enforces_mfa=enforces_mfa)

    page.goto(live_server.url + "/accounts/login/")
    page.get_by_role("link", name="Cán bộ đăng nhập bằng Hệ thống định danh cơ quan (thử nghiệm)").click()
    page.get_by_label("Lê Thị Cúc — officer@example.vn").check()
    page.get_by_role("button", name="Xác nhận đăng nhập").click()

    if not enforces_mfa:
        # The agency's provider is not trusted for a second factor: the authenticator app's code comes next.
        expect(page.get_by_label("Mã xác thực")).to_be_visible()
        second_factor_pass(page, officer.email)
    expect(page.get_by_role("heading", name="Xử lý hồ sơ")).to_be_visible()
