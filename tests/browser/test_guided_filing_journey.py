"""At the counter: an officer files for a walk-in citizen without an account, scans the paper form,
and receives the dossier in the same visit."""

import pytest
from playwright.sync_api import expect

from applications.models import Attachment, Dossier, Status
from tests.applications.filing.builders import pdf_bytes
from tests.conftest import PASSWORD
from tests.factories import make_procedure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_files_and_receives_for_a_walk_in_citizen(live_server, page, officer, commune, tmp_path):
    version = make_procedure(agency=commune, name="Đăng ký khai sinh")
    scan = tmp_path / "to-khai-scan.pdf"
    scan.write_bytes(pdf_bytes())

    page.goto(live_server.url + "/officer/guided/")
    page.fill("input[name=username]", "officer@example.vn")
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()

    # The walk-in has no account: the officer picks the procedure and starts.
    page.get_by_label("Người nộp không có tài khoản").check()
    page.get_by_label("Thủ tục").select_option(str(version.pk))
    page.get_by_role("button", name="Bắt đầu hồ sơ").click()

    page.get_by_label("Họ và tên người nộp").fill("Đỗ Thị Lan")
    page.get_by_label("Số định danh cá nhân của người nộp").fill("001196000123")
    page.get_by_label("Số điện thoại").fill("0987 654 321")
    page.get_by_role("button", name="Lưu và tiếp tục").click()

    page.get_by_label("Họ, chữ đệm, tên của trẻ").fill("Đỗ Minh Anh")
    page.get_by_label("Ngày sinh").fill("2026-11-20")
    page.get_by_role("button", name="Lưu và tiếp tục").click()

    component = page.locator("section", has_text="Tờ khai đăng ký khai sinh")
    component.locator("input[type=file]").set_input_files(str(scan))
    component.get_by_role("button", name="Tải lên").click()
    expect(page.get_by_role("link", name="Trang 1: to-khai-scan.pdf")).to_be_visible()
    page.get_by_role("button", name="Lưu và tiếp tục").click()

    page.get_by_label("Người nộp đã được thông báo và đồng ý").check()
    expect(page.get_by_label("Tiếp nhận hồ sơ ngay")).to_be_checked()
    page.get_by_role("button", name="Nộp hồ sơ").click()

    expect(page.get_by_role("heading", name="Đã nộp và tiếp nhận hồ sơ")).to_be_visible()
    dossier = Dossier.objects.get()
    expect(page.locator(".dossier-code")).to_have_text(dossier.code)
    assert dossier.status == Status.RECEIVED
    assert dossier.owner is None and dossier.filed_by == officer
    assert dossier.applicant_phone == "0987654321"
    assert Attachment.objects.get(dossier=dossier).is_digitised
    # The timeline says who filed for whom.
    submitted = dossier.events.get(action="submitted")
    assert submitted.actor == officer and submitted.on_behalf_of == "Đỗ Thị Lan"
