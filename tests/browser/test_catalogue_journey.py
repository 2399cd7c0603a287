"""A citizen finds a procedure typing without diacritics, reads it and downloads the blank form."""

import pytest
from playwright.sync_api import expect

from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_without_diacritics_open_the_detail_and_download_the_form(live_server, page, tmp_path):
    call_command("seed_demo", verbosity=0)
    page.goto(live_server.url + "/")

    page.get_by_label("Nhập tên hoặc mã thủ tục (có dấu hoặc không dấu)").fill("dang ky khai sinh")
    page.get_by_role("button", name="Tìm kiếm").click()

    expect(page.get_by_role("status")).to_contain_text("Tìm thấy 3 thủ tục")
    page.get_by_role("link", name="Đăng ký khai sinh", exact=True).click()

    expect(page).to_have_url(live_server.url + "/procedures/1.001193/")
    expect(page.get_by_role("heading", name="Đăng ký khai sinh")).to_be_visible()
    expect(page.locator(".processing-time")).to_have_text(
        "Trong ngày; nếu tiếp nhận sau 15 giờ thì trả kết quả trong ngày làm việc tiếp theo"
    )
    expect(page.get_by_role("link", name="Nộp hồ sơ trực tuyến")).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải mẫu").first.click()
    download = download_info.value
    assert download.suggested_filename == "Tờ_khai_đăng_ký_khai_sinh.docx"
    target = tmp_path / "form.docx"
    download.save_as(target)
    assert target.read_bytes()[:2] == b"PK"


def test_the_list_works_on_a_360_pixel_phone(live_server, browser, phone_context_args):
    call_command("seed_demo", verbosity=0)
    context = browser.new_context(**phone_context_args)
    page = context.new_page()

    page.goto(live_server.url + "/procedures/?q=chung+thuc")

    expect(page.get_by_role("status")).to_contain_text("Tìm thấy 4 thủ tục")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.goto(live_server.url + "/procedures/2.000815/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()
