"""At the counter: an officer finds a walk-in's account by ID number, files a birth registration for
them with the result to be collected at the counter, receives it and prints the receipt
(phone and desktop)."""

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from applications.models import Attachment, Channel, Dossier, ResultDelivery, Status
from tests.applications.filing.builders import pdf_bytes
from tests.browser.test_filing_journey import birth_registration, fits_the_phone
from tests.conftest import PASSWORD, make_user
from tests.support.two_factor import second_factor_pass

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_an_officer_files_for_a_walk_in_found_by_id_number_and_prints_the_receipt(
    live_server, browser, phone_context_args, officer, commune, tmp_path, screen
):
    walk_in = make_user("lan@example.vn", Role.CITIZEN, full_name="Đỗ Thị Lan", phone="0987654321")
    walk_in.id_number = "001196000123"
    walk_in.permanent_address = {"province": "Huế", "commune": "Phường Thuận Hóa", "detail": "5 Lê Lợi"}
    walk_in.save()
    version = birth_registration(commune)
    scan = tmp_path / "giay-chung-sinh-scan.pdf"
    scan.write_bytes(pdf_bytes())
    context = browser.new_context(**(phone_context_args if screen == "phone" else {"viewport": {"width": 1280,
                                                                                                 "height": 900}}))
    page = context.new_page()
    check = fits_the_phone if screen == "phone" else (lambda page: None)

    page.goto(live_server.url + "/officer/guided/")
    page.fill("input[name=username]", "officer@example.vn")
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    second_factor_pass(page, "officer@example.vn")

    # Found by the number on the card the walk-in shows.
    page.get_by_label("Số định danh cá nhân hoặc số điện thoại của người nộp").fill("001 196 000 123")
    page.get_by_role("button", name="Tìm", exact=True).click()
    expect(page.locator(".found-citizen")).to_contain_text("Đỗ Thị Lan")
    expect(page.get_by_label("Người nộp mang đến Bộ phận Một cửa")).to_be_checked()
    page.get_by_label("Thủ tục").select_option(str(version.pk))
    check(page)
    page.get_by_role("button", name="Bắt đầu hồ sơ").click()

    # Step 1: the account's details; the result is collected at the counter unless asked otherwise.
    expect(page.get_by_label("Họ và tên người nộp")).to_have_value("Đỗ Thị Lan")
    expect(page.get_by_label("Số định danh cá nhân của người nộp")).to_have_value("001196000123")
    expect(page.get_by_label("Nhận tại Bộ phận Một cửa")).to_be_checked()
    expect(page.get_by_text("Đối chiếu với thẻ căn cước người nộp xuất trình.")).to_be_visible()
    page.get_by_label("Họ và tên chủ hồ sơ").fill("Đỗ Minh Anh")
    check(page)
    page.get_by_role("button", name="Lưu và tiếp tục").click()

    # Step 2: the requester's details are not typed again.
    expect(page.get_by_label("Họ, chữ đệm, tên người yêu cầu")).to_have_value("Đỗ Thị Lan")
    expect(page.locator("select[name=requester_address_0]")).to_have_value("Huế")
    page.get_by_label("Họ, chữ đệm, tên của trẻ").fill("Đỗ Minh Anh")
    page.get_by_label("Ngày sinh").fill("2026-11-20")
    page.get_by_role("button", name="Lưu và tiếp tục").click()

    # Step 3: scan the birth certificate; the declaration was typed as the e-form.
    page.locator("section", has_text="Giấy chứng sinh").locator("input[type=file]").set_input_files(str(scan))
    page.locator("section", has_text="Giấy chứng sinh").get_by_role("button", name="Tải lên").click()
    expect(page.get_by_role("link", name="Trang 1: giay-chung-sinh-scan.pdf")).to_be_visible()
    check(page)
    page.get_by_role("button", name="Lưu và tiếp tục").click()

    expect(page.get_by_text("Đọc hoặc đưa người nộp xem thông báo này")).to_be_visible()
    expect(page.get_by_label("Tiếp nhận hồ sơ ngay")).to_be_checked()
    page.get_by_role("button", name="Nộp hồ sơ").click()

    expect(page.get_by_role("heading", name="Đã nộp và tiếp nhận hồ sơ")).to_be_visible()
    dossier = Dossier.objects.get()
    expect(page.locator(".alert .dossier-code")).to_have_text(dossier.code)
    assert dossier.status == Status.RECEIVED and dossier.owner == walk_in and dossier.filed_by == officer
    assert (dossier.channel, dossier.result_delivery) == (Channel.IN_PERSON, ResultDelivery.COUNTER)
    assert Attachment.objects.get(dossier=dossier).is_digitised
    check(page)

    # The receipt is printed from the done page; it lists what was handed in.
    page.get_by_role("link", name="In Giấy tiếp nhận hồ sơ và hẹn trả kết quả").click()
    expect(page.get_by_text("Giấy chứng sinh").first).to_be_visible()
    expect(page.get_by_text(dossier.code).first).to_be_visible()
    context.close()
