"""Debian's Chromium, on a phone and on a desktop: a citizen who filed a residence registration online
pays the online fee line only (10.000 đ, not 20.000 đ at the counter, never both)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from django.utils import timezone

from accounts.models import Agency, AgencyKind, Role
from applications.models import Channel, Status
from payments.models import AttemptState, PaymentAttempt
from payments.services import payment_request
from procedures.fees import fee_quote_for_dossier
from procedures.models import Fee, FeeChannel, FeeKind
from tests.conftest import PASSWORD, make_user
from tests.factories import make_dossier, make_procedure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"viewport": {"width": 1280, "height": 900}, "locale": "vi-VN"}


@pytest.fixture
def residence_dossier(settings):
    """Permanent residence (Circular 75/2022): 20.000đ filed in person, 10.000đ filed online; the
    officer assessed the fee of a dossier filed online."""
    settings.PAYMENT_PROVIDER = "sandbox"
    commune = Agency.objects.create(eid_code="H99.01.01", name="UBND xã An Phú", kind=AgencyKind.COMMUNE)
    citizen = make_user("citizen@example.vn", Role.CITIZEN, full_name="Nguyễn Văn An")
    officer = make_user("officer@example.vn", Role.OFFICER, commune, "Lê Thị Cúc")
    version = make_procedure(name="Đăng ký thường trú", agency=commune)
    Fee.objects.create(version=version, kind=FeeKind.CHARGE, name="Lệ phí đăng ký thường trú (nộp trực tiếp)",
                       amount=20_000, channel=FeeChannel.COUNTER, legal_basis="Thông tư số 75/2022/TT-BTC", order=1)
    Fee.objects.create(version=version, kind=FeeKind.CHARGE, name="Lệ phí đăng ký thường trú (nộp trực tuyến)",
                       amount=10_000, channel=FeeChannel.ONLINE, legal_basis="Thông tư số 75/2022/TT-BTC", order=2)
    dossier = make_dossier(version, commune, citizen, channel=Channel.ONLINE, status=Status.RECEIVED,
                           received_at=timezone.now())
    payment_request(dossier=dossier, actor=officer, expected_version=dossier.version,
                    quote=fee_quote_for_dossier(dossier), pages=1, copies=1)
    dossier.refresh_from_db()
    assert dossier.status == Status.AWAITING_PAYMENT
    return dossier


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_an_online_residence_filing_pays_the_online_line_only(live_server, browser, phone_context_args,
                                                              residence_dossier, screen):
    dossier = residence_dossier
    context = browser.new_context(**(phone_context_args if screen == "phone" else DESKTOP))
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/accounts/login/?next=/payments/dossier/{dossier.code}/pay/")
        page.fill("input[name=username]", "citizen@example.vn")
        page.fill("input[name=password]", PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()

        # The page shows one line, the online one, with the rule that picked it.
        lines = page.get_by_test_id("fee-line")
        expect(lines).to_have_count(1)
        expect(lines.first).to_contain_text("Lệ phí đăng ký thường trú (nộp trực tuyến)")
        expect(lines.first).to_contain_text("Mức thu khi nộp trực tuyến")
        expect(page.get_by_test_id("fee-line-amount")).to_have_text("10.000 đ")
        expect(page.get_by_test_id("fee-total")).to_have_text("10.000 đ")
        expect(page.get_by_text("20.000 đ")).to_have_count(0)
        expect(page.get_by_text("30.000 đ")).to_have_count(0)
        pay = page.get_by_role("button", name="Thanh toán 10.000 đ")
        expect(pay).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"] + 1

        pay.click()
        expect(page.get_by_role("heading", name="Ngân hàng thử nghiệm")).to_be_visible()
        page.get_by_role("button", name="Thanh toán thành công").click()

        expect(page.get_by_test_id("payment-outcome")).to_contain_text("Thanh toán thành công")
        attempt = PaymentAttempt.objects.get()
        assert (attempt.state, attempt.amount) == (AttemptState.SUCCEEDED, 10_000)
        assert [line["amount"] for line in attempt.lines] == [10_000]
    finally:
        context.close()
