"""Debian's Chromium against the live server, on a phone and on a desktop: the officer sends a
full-process dossier's result by public post, the sandbox operator (over HTTP) reports in transit
then delivered by signed callbacks, and the citizen sees each step on the dossier page."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from applications import workflow
from applications.models import Dossier, ResultDelivery, Status
from postal.models import PostalOrder
from procedures.models import PostageRate, PostageZone
from tests.browser.test_lifecycle_journey import open_as  # noqa: F401 (fixture)
from tests.factories import make_dossier, make_postal_units, make_procedure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADDRESS = "Số 12 đường Lê Lợi, Xã An Phú, Tỉnh Thử Nghiệm"


@pytest.fixture(autouse=True)
def _operator_on_live_server(settings, live_server, transactional_db):
    PostageRate.objects.create(zone=PostageZone.INTER, weight_from=0, weight_to=2000, amount=18_000,
                               effective_from=date(2025, 7, 1))
    make_postal_units()
    settings.POSTAL_PROVIDER = "sandbox"
    settings.SITE_URL = live_server.url
    settings.SANDBOX_POSTAL_API_URL = live_server.url + "/sandbox/post/api"


def _approved_by_post(commune, citizen, officer, specialist, leader) -> Dossier:
    version = make_procedure(agency=commune, name="Đăng ký khai sinh")
    dossier = make_dossier(version, commune, citizen, status=Status.DRAFT, result_delivery=ResultDelivery.POST,
                           delivery_address=ADDRESS, applicant_phone="0912000001")
    workflow.dossier_submit(dossier, actor=citizen)
    workflow.dossier_receive(dossier, actor=officer, expected_version=dossier.version)
    workflow.dossier_transfer(dossier, actor=officer, expected_version=dossier.version, specialist=specialist)
    workflow.dossier_submit_for_approval(dossier, actor=specialist, expected_version=dossier.version)
    workflow.dossier_approve(dossier, actor=leader, expected_version=dossier.version)
    return dossier


def _operator_reports(page, live_server, tracking: str, step: str) -> None:
    page.goto(live_server.url + "/sandbox/post/")
    page.locator(f'[data-parcel="{tracking}"] [data-report="{step}"]').click()
    expect(page.locator(f'[data-parcel="{tracking}"]')).to_have_attribute("data-status", step)


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_a_result_sent_by_post_is_followed_to_delivery(viewport, live_server, open_as,  # noqa: F811
                                                       citizen, officer, specialist, leader, commune):
    dossier = _approved_by_post(commune, citizen, officer, specialist, leader)

    # The officer hands the result to the post from the dossier page.
    desk = open_as(officer, viewport)
    desk.goto(f"{live_server.url}/officer/dossiers/{dossier.code}/")
    desk.locator("[data-postal-link]").click()
    expect(desk.locator('input[name="address"]')).to_have_value(ADDRESS)
    desk.select_option('select[name="province"]', "Lâm Đồng")
    desk.fill('input[name="commune"]', "Xã Đơn Dương")
    desk.get_by_role("button", name="Tạo yêu cầu gửi kết quả qua bưu chính").click()
    order = PostalOrder.objects.get(dossier=dossier)
    expect(desk.locator("[data-tracking-number]")).to_have_text(order.tracking_number)
    expect(desk.locator("[data-postal-order]")).to_have_attribute("data-state", "accepted")

    # The citizen sees the result on its way, not yet returned.
    home = open_as(citizen, viewport)
    home.goto(f"{live_server.url}/dossiers/{dossier.code}/")
    expect(home.locator(".status-badge")).to_have_text("Đã xử lý xong")  # the national name: not yet returned
    expect(home.get_by_text("Gửi kết quả qua bưu chính công ích").first).to_be_visible()
    expect(home.get_by_text(order.tracking_number).first).to_be_visible()

    # The operator reports in transit: the citizen sees the step.
    _operator_reports(desk, live_server, order.tracking_number, "in_transit")
    home.reload()
    expect(home.get_by_text("Đang vận chuyển").first).to_be_visible()

    # Delivered: the dossier is returned.
    _operator_reports(desk, live_server, order.tracking_number, "delivered")
    home.reload()
    expect(home.get_by_text("Bưu điện đã phát kết quả cho người nhận").first).to_be_visible()
    expect(home.locator(".status-badge")).to_have_text("Đã trả kết quả")
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED
    assert home.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
