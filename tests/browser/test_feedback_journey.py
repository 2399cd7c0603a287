"""Debian's Chromium against the live server: a citizen rates a returned dossier through the link of
the result notification on a 360 px phone, without signing in, and sends feedback; an officer
answers and publishes it; the public page shows the answer and the citizen reads it by code + secret."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from feedback.models import Petition, PetitionStatus, Rating
from tests.conftest import PASSWORD
from tests.feedback.conftest import dossier_returned, rating_path
from tests.support.two_factor import second_factor_pass

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_citizen_rates_on_the_phone_sends_feedback_and_reads_the_published_answer(
    live_server, browser, page, phone_context_args, citizen, officer, commune
):
    returned_dossier = dossier_returned(citizen, officer, commune)
    phone = browser.new_context(**phone_context_args).new_page()
    phone.goto(live_server.url + rating_path(returned_dossier))
    expect(phone.get_by_role("heading", name="Đánh giá mức độ hài lòng")).to_be_visible()
    expect(phone.get_by_text(returned_dossier.applicant_name)).to_have_count(0)
    assert _fits(phone)
    serious = [v["id"] for v in Axe().run(phone).response["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, serious
    for index, points in {"total_time": 2, "contacts": 2, "conduct": 2, "disclosure": 1}.items():
        phone.locator(f"input[name={index}][value='{points}']").check()
    phone.locator("input[name=overall][value='4']").check()
    phone.get_by_role("button", name="Gửi đánh giá").click()
    expect(phone.get_by_role("heading", name="Cảm ơn bạn đã đánh giá!")).to_be_visible()
    rating = Rating.objects.get()
    assert (rating.overall, rating.conduct, rating.agencies) == (4, 2, None)

    phone.get_by_role("link", name="Gửi phản ánh, kiến nghị").click()
    phone.locator("input[name=topic][value=agency]").check()
    phone.select_option("select[name=agency]", str(commune.pk))
    phone.fill("input[name=title]", "Khu vực chờ thiếu ghế")
    phone.fill("textarea[name=content]", "Buổi sáng đông người, khu vực chờ tại Bộ phận Một cửa thiếu ghế ngồi.")
    phone.fill("input[name=sender_name]", "Nguyễn Văn An")
    phone.fill("input[name=sender_email]", "an@example.vn")
    assert _fits(phone)
    phone.get_by_role("button", name="Gửi phản ánh").click()
    code = phone.locator("[data-petition-code]").inner_text().strip()
    secret = phone.locator("[data-petition-secret]").inner_text().strip()
    assert Petition.objects.get(code=code).status == PetitionStatus.RECEIVED

    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", officer.email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    second_factor_pass(page, officer.email)
    page.get_by_role("link", name="Xử lý phản ánh").first.click()
    page.get_by_role("link", name=code).click()
    page.fill("textarea[name=answer]", "Xã đã bổ sung 20 ghế chờ từ ngày hôm nay. Cảm ơn ông đã phản ánh.")
    page.get_by_role("button", name="Gửi trả lời").click()
    expect(page.locator("[data-petition-status]")).to_have_text("Đã trả lời")
    page.get_by_role("button", name="Công khai trả lời").click()
    expect(page.get_by_text("Đã công khai ngày")).to_be_visible()

    phone.goto(live_server.url + "/phan-anh-kien-nghi/")
    expect(phone.locator(f'[data-petition="{code}"]')).to_contain_text("Xã đã bổ sung 20 ghế chờ")
    expect(phone.get_by_text("Nguyễn Văn An")).to_have_count(0)

    phone.get_by_role("link", name="Tra cứu phản ánh").click()
    phone.fill("input[name=code]", code)
    phone.fill("input[name=secret]", secret)
    phone.get_by_role("button", name="Tra cứu").click()
    expect(phone.locator("[data-petition-answer]")).to_contain_text("20 ghế chờ")
    phone.locator("input[name=level][value='5']").check()
    phone.get_by_role("button", name="Gửi đánh giá trả lời").click()
    expect(phone.get_by_text("Cảm ơn bạn đã đánh giá trả lời.")).to_be_visible()
    assert Petition.objects.get(code=code).answer_rating == 5
    phone.context.close()
