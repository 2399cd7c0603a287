"""Issue 17, the whole way in Debian's Chromium: a citizen files a full-process procedure asking for
the result by post (structured address, postage quoted before submitting), pays the fee and the
postage online through the sandbox gateway, the officer sends the result by post, the sandbox
operator reports in transit then delivered over HTTP, and the citizen sees each step."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from applications import workflow
from applications.models import Dossier, Status
from payments.models import AttemptState, PaymentAttempt
from payments.services import payment_request
from postal.models import PostalOrder
from procedures.fees import fee_quote_for_dossier
from tests.applications.filing.builders import VALID_ID, pdf_bytes
from tests.browser.test_lifecycle_journey import open_as  # noqa: F401 (fixture)
from tests.factories import make_postal_units, make_procedure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _outside_systems_on_live_server(settings, live_server, transactional_db):
    make_postal_units(settings)
    settings.PAYMENT_PROVIDER = "sandbox"
    settings.POSTAL_PROVIDER = "sandbox"
    settings.SITE_URL = live_server.url
    settings.SANDBOX_POSTAL_API_URL = live_server.url + "/sandbox/post/api"


def _continue(page) -> None:
    page.get_by_role("button", name="Lưu và tiếp tục").click()


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_filed_with_delivery_by_post_paid_online_and_followed_to_delivery(
    viewport, live_server, open_as, citizen, officer, specialist, leader, commune, tmp_path,  # noqa: F811
):
    version = make_procedure(agency=commune, name="Đăng ký khai sinh", fee=50_000)
    scan = tmp_path / "giay-chung-sinh.pdf"
    scan.write_bytes(pdf_bytes())

    # Filing: the result by post, to an address that resolves to a known commune.
    home = open_as(citizen, viewport)
    home.goto(f"{live_server.url}/procedures/{version.procedure.code}/apply/")
    home.get_by_label("Số định danh cá nhân của người nộp").fill(VALID_ID)
    home.get_by_label("Nhận qua bưu chính công ích").check()
    home.get_by_label("Tỉnh, thành phố").select_option("Huế")
    home.get_by_label("Xã, phường, đặc khu").fill("Phường Không Có")
    home.get_by_label("Số nhà, đường, thôn, tổ").fill("5 Lê Lợi")
    _continue(home)
    expect(home.get_by_text("Không tìm thấy xã, phường “Phường Không Có” thuộc Huế")).to_be_visible()
    assert not Dossier.objects.exists()
    home.get_by_label("Xã, phường, đặc khu").fill("Thuận Hóa")
    _continue(home)
    home.get_by_label("Họ, chữ đệm, tên của trẻ").fill("Nguyễn Văn Bé")
    home.get_by_label("Ngày sinh").fill("2026-11-20")
    _continue(home)
    home.locator("section", has_text="Tờ khai đăng ký khai sinh").locator("input[type=file]").set_input_files(str(scan))
    _continue(home)

    # Before submitting: the address as resolved and the postage quoted from the tariff.
    expect(home.get_by_text("5 Lê Lợi, Phường Thuận Hóa, Huế").first).to_be_visible()
    expect(home.get_by_test_id("postage")).to_contain_text("18.000 đ")
    home.get_by_role("button", name="Nộp hồ sơ").click()
    dossier = Dossier.objects.get()
    expect(home.get_by_text(dossier.code).first).to_be_visible()
    assert dossier.postage_amount == 18_000 and dossier.delivery_commune == "Phường Thuận Hóa"

    # The officer receives it and asks for the fees: the postage is a line of its own.
    workflow.dossier_receive(dossier, actor=officer, expected_version=dossier.version)
    payment_request(dossier=dossier, actor=officer, expected_version=dossier.version,
                    quote=fee_quote_for_dossier(dossier), pages=1, copies=1)

    # The citizen pays fee + postage online through the sandbox gateway.
    home.goto(f"{live_server.url}/dossiers/{dossier.code}/")
    home.get_by_role("link", name="Thanh toán").click()
    expect(home.get_by_text("Cước bưu chính công ích trả kết quả").first).to_be_visible()
    home.get_by_role("button", name="Thanh toán 68.000 đ").click()
    expect(home.get_by_role("heading", name="Ngân hàng thử nghiệm")).to_be_visible()
    home.get_by_role("button", name="Thanh toán thành công").click()
    expect(home.get_by_test_id("payment-outcome")).to_contain_text("Thanh toán thành công")
    attempt = PaymentAttempt.objects.get(dossier=dossier)
    assert attempt.state == AttemptState.SUCCEEDED and attempt.amount == 68_000 and attempt.postage_amount == 18_000

    dossier.refresh_from_db()
    workflow.dossier_transfer(dossier, actor=officer, expected_version=dossier.version, specialist=specialist)
    workflow.dossier_submit_for_approval(dossier, actor=specialist, expected_version=dossier.version)
    workflow.dossier_approve(dossier, actor=leader, expected_version=dossier.version)

    # The officer sends the result by post; the order starts from what the citizen gave.
    desk = open_as(officer, viewport)
    desk.goto(f"{live_server.url}/officer/post/{dossier.code}/")
    expect(desk.locator('select[name="province"]')).to_have_value("Huế")
    expect(desk.locator('input[name="commune"]')).to_have_value("Phường Thuận Hóa")
    expect(desk.locator('input[name="address"]')).to_have_value("5 Lê Lợi")
    desk.get_by_role("button", name="Tạo yêu cầu gửi kết quả qua bưu chính").click()
    expect(desk.locator("[data-postal-order]")).to_have_attribute("data-state", "accepted")
    order = PostalOrder.objects.get(dossier=dossier)
    assert order.postage_amount == 18_000 and not order.postage_paid_by_agency

    home.goto(f"{live_server.url}/dossiers/{dossier.code}/")
    expect(home.get_by_text(order.tracking_number).first).to_be_visible()
    for step, seen in (("in_transit", "Đang vận chuyển"), ("delivered", "Bưu điện đã phát kết quả cho người nhận")):
        desk.goto(live_server.url + "/sandbox/post/")
        desk.locator(f'[data-parcel="{order.tracking_number}"] [data-report="{step}"]').click()
        expect(desk.locator(f'[data-parcel="{order.tracking_number}"]')).to_have_attribute("data-status", step)
        home.reload()
        expect(home.get_by_text(seen).first).to_be_visible()
    expect(home.locator(".status-badge")).to_have_text("Đã trả kết quả")
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED and dossier.timeliness in ("early", "on_time")
    assert home.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
