"""Debian's Chromium: a citizen pays a full-process dossier through the sandbox gateway (on a desktop
and on a phone), the dossier moves on, and the e-receipt appears on the dossier page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from django.utils import timezone

from accounts.models import Agency, AgencyKind, Role
from applications import workflow
from applications.models import Document, DocumentKind, Status
from payments.models import AttemptState, PaymentAttempt
from tests.conftest import PASSWORD, make_user
from tests.factories import make_dossier, make_procedure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def awaiting(settings):
    settings.PAYMENT_PROVIDER = "sandbox"
    commune = Agency.objects.create(eid_code="H99.01.01", name="UBND xã An Phú", kind=AgencyKind.COMMUNE)
    citizen = make_user("citizen@example.vn", Role.CITIZEN, full_name="Nguyễn Văn An")
    officer = make_user("officer@example.vn", Role.OFFICER, commune, "Lê Thị Cúc")
    version = make_procedure(name="Đăng ký khai sinh", agency=commune, fee=50_000)
    assert version.is_full_process
    dossier = make_dossier(version, commune, citizen, status=Status.PROCESSING, received_at=timezone.now())
    workflow.dossier_request_payment(dossier, actor=officer, expected_version=dossier.version, amount=50_000)
    return dossier


@pytest.fixture(params=["desktop", "phone"])
def screen(request, browser, phone_context_args):
    """The page on a desktop window and on a 360 px phone."""
    context = browser.new_context(**(phone_context_args if request.param == "phone" else {"locale": "vi-VN"}))
    yield context.new_page(), request.param == "phone"
    context.close()


def test_the_citizen_pays_through_the_sandbox_and_the_dossier_moves_on(live_server, screen, awaiting):
    """The simulated bank is its own app (DEBUG only): it notifies our IPN over HTTP, then sends the
    browser back."""
    page, is_phone = screen
    dossier = awaiting
    page.goto(f"{live_server.url}/accounts/login/?next=/dossiers/{dossier.code}/")
    page.fill("input[name=username]", "citizen@example.vn")
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()

    page.get_by_role("link", name="Thanh toán").click()
    expect(page.get_by_test_id("fee-total")).to_have_text("50.000 đ")
    page.get_by_role("button", name="Thanh toán 50.000 đ").click()

    expect(page.get_by_role("heading", name="Ngân hàng thử nghiệm")).to_be_visible()
    assert page.url.startswith(f"{live_server.url}/sandbox/bank/?")
    if is_phone:
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("button", name="Thanh toán thành công").click()

    expect(page.get_by_test_id("payment-outcome")).to_contain_text("Thanh toán thành công")
    attempt = PaymentAttempt.objects.get()
    assert attempt.state == AttemptState.SUCCEEDED
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    receipt = Document.objects.get(kind=DocumentKind.PAYMENT_RECEIPT, source_key=f"payment:{attempt.pk}")

    page.goto(f"{live_server.url}/dossiers/{dossier.code}/")
    expect(page.get_by_role("link", name="Thanh toán", exact=True)).to_have_count(0)
    expect(page.get_by_text("Biên lai thu phí, lệ phí")).to_be_visible()
    # The PDF is rendered after commit (in-process here); the page polls until the link is there.
    expect(page.get_by_role("link", name="Tải PDF")).to_be_visible(timeout=20_000)
    receipt.refresh_from_db()
    assert receipt.state == "ready" and receipt.file


def test_the_citizen_pays_at_an_external_vnpay_compatible_gateway(live_server, page, awaiting, settings):
    """Chromium leaves our origin for a fake VNPay (CSP form-action must allow it), which notifies
    our IPN over HTTP and sends the browser back to the return page."""
    from payments.models import AgencyPaymentConfig, ProviderId
    from tests.payments.fake_vnpay import FakeVnpay

    settings.VNPAY_TMN_CODE, settings.VNPAY_HASH_SECRET = "DEMO0001", "TESTSECRETKEY1234567890ABCDEFGHI"
    fake = FakeVnpay(tmn_code="DEMO0001", secret="TESTSECRETKEY1234567890ABCDEFGHI").start()
    try:
        settings.VNPAY_PAYMENT_URL, settings.VNPAY_API_URL = fake.payment_url, fake.api_url
        fake.ipn_url = live_server.url + "/payments/vnpay/ipn/"
        dossier = awaiting
        AgencyPaymentConfig.objects.create(agency=dossier.agency, provider=ProviderId.VNPAY)
        page.goto(f"{live_server.url}/accounts/login/?next=/payments/dossier/{dossier.code}/pay/")
        page.fill("input[name=username]", "citizen@example.vn")
        page.fill("input[name=password]", PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()

        page.get_by_role("button", name="Thanh toán 50.000 đ").click()
        expect(page.get_by_role("heading", name="Fake VNPay")).to_be_visible()
        page.get_by_role("button", name="success").click()

        expect(page.get_by_test_id("payment-outcome")).to_contain_text("Thanh toán thành công")
        assert fake.ipn_replies == [{"RspCode": "00", "Message": "Confirm Success"}]
        dossier.refresh_from_db()
        assert dossier.status == Status.PROCESSING
    finally:
        fake.stop()
