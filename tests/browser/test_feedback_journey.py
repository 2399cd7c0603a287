"""Debian's Chromium against the live server: a citizen rates a returned dossier through the link of
the result notification on a 360 px phone, without signing in, and sends feedback with an attachment; an
officer answers and publishes it; the commune's leader sees the new rating and the petition on the quality
dashboard and in its lists (never the citizen next to the rating); the public page shows the answer and the
new counts, and the citizen reads the answer by code + secret."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from django.utils import timezone

from feedback.models import Petition, PetitionStatus, Rating
from quality.tasks import quality_summary_refresh
from tests.conftest import PASSWORD
from tests.feedback.conftest import dossier_returned, rating_path
from tests.support.two_factor import second_factor_pass

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def _sign_in(page, base_url: str, user) -> None:
    page.goto(base_url + "/accounts/login/")
    page.fill("input[name=username]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    second_factor_pass(page, user.email)


def test_a_citizen_rates_on_the_phone_sends_feedback_and_reads_the_published_answer(
    live_server, browser, page, phone_context_args, citizen, officer, leader, commune, tmp_path
):
    returned_dossier = dossier_returned(citizen, officer, commune)
    this_month = timezone.localdate()
    dashboard_url = f"{live_server.url}/officer/quality/?period=month&year={this_month.year}&month={this_month.month}"
    # Before: the leader's dashboard has no satisfaction figure, and the public page no row for the commune.
    desk = browser.new_context().new_page()
    _sign_in(desk, live_server.url, leader)
    desk.goto(dashboard_url)
    expect(desk.locator('[data-indicator="satisfaction"]')).to_contain_text("chưa có dữ liệu")
    expect(desk.locator('[data-feedback="ratings"] td').nth(1)).to_have_text("0")
    expect(desk.locator('[data-feedback="petitions_received"] td').nth(1)).to_have_text("0")
    phone = browser.new_context(**phone_context_args).new_page()
    phone.goto(live_server.url + "/minh-bach/")
    expect(phone.locator(f'[data-agency="{commune.name}"]')).to_have_count(0)
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
    minutes = tmp_path / "anh-khu-cho.pdf"
    minutes.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    phone.set_input_files("input[name=files]", str(minutes))
    assert _fits(phone)
    phone.get_by_role("button", name="Gửi phản ánh").click()
    code = phone.locator("[data-petition-code]").inner_text().strip()
    secret = phone.locator("[data-petition-secret]").inner_text().strip()
    assert Petition.objects.get(code=code).status == PetitionStatus.RECEIVED
    assert Petition.objects.get(code=code).attachments.get().original_name == "anh-khu-cho.pdf"

    _sign_in(page, live_server.url, officer)
    page.get_by_role("link", name="Xử lý phản ánh").first.click()
    page.get_by_role("link", name=code).click()
    expect(page.get_by_role("link", name="anh-khu-cho.pdf")).to_be_visible()
    page.fill("textarea[name=answer]", "Xã đã bổ sung 20 ghế chờ từ ngày hôm nay. Cảm ơn ông đã phản ánh.")
    page.get_by_role("button", name="Gửi trả lời").click()
    expect(page.locator("[data-petition-status]")).to_have_text("Đã trả lời")
    page.get_by_role("button", name="Công khai trả lời").click()
    expect(page.get_by_text("Đã công khai ngày")).to_be_visible()

    # The leader's dashboard: the satisfaction figure (2+2+2+1 of 8 points) and the petition counts changed,
    # and each count opens the list behind it.
    desk.goto(dashboard_url)
    expect(desk.locator('[data-indicator="satisfaction"]')).to_contain_text("87,5%")
    expect(desk.locator('[data-indicator="petitions_on_time"]')).to_contain_text("100")
    for key in ("ratings", "petitions_received", "petitions_answered", "petitions_answered_on_time"):
        expect(desk.locator(f'[data-feedback="{key}"] td').nth(1)).to_have_text("1")
    desk.locator('[data-feedback="ratings"]').get_by_role("link").click()
    expect(desk.get_by_role("heading", name="Phiếu đánh giá mức độ hài lòng")).to_be_visible()
    expect(desk.locator("[data-rating]")).to_have_count(1)
    expect(desk.locator("[data-rating]")).to_contain_text("Hài lòng")
    expect(desk.get_by_text(returned_dossier.applicant_name)).to_have_count(0)
    expect(desk.get_by_text(returned_dossier.code)).to_have_count(0)
    desk.go_back()
    desk.locator('[data-feedback="petitions_received"]').get_by_role("link").click()
    expect(desk.locator(f'[data-petition="{code}"]')).to_contain_text("Khu vực chờ thiếu ghế")
    expect(desk.locator("[data-petition]")).to_have_count(1)
    desk.context.close()

    # The public counters, once the beat job has folded the day in and warmed the page.
    quality_summary_refresh()
    phone.goto(live_server.url + "/minh-bach/")
    row = phone.locator(f'[data-agency="{commune.name}"]')
    expect(row).to_contain_text("87,5%")
    expect(row.locator('[data-column="ratings"]')).to_have_text("1")
    expect(row.locator('[data-column="petitions-received"]')).to_have_text("1")
    expect(row.locator('[data-column="petitions-answered"]')).to_have_text("1")
    expect(phone.get_by_text("Nguyễn Văn An")).to_have_count(0)

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
