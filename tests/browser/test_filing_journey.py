"""A citizen on a 360 px phone files a dossier end to end, then answers a supplement request."""

import uuid

import pytest
from playwright.sync_api import expect

from applications import workflow
from applications.filing import dossier_file
from applications.models import Attachment, Dossier, Status
from portal.lib.text import normalize_search
from tests.applications.filing.builders import EXE, draft_for, make_complete, pdf_bytes
from tests.conftest import PASSWORD
from tests.factories import make_procedure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser, phone_context_args):
    context = browser.new_context(**phone_context_args)
    page = context.new_page()
    yield page
    context.close()


def fits_the_phone(page) -> None:
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, page.url


def log_in(page, email: str) -> None:
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def continue_step(page) -> None:
    page.get_by_role("button", name="Lưu và tiếp tục").click()


def test_a_citizen_files_online_from_search_to_the_dossier_page_on_a_phone(live_server, phone, citizen, commune,
                                                                           tmp_path):
    version = make_procedure(agency=commune, name="Đăng ký khai sinh")
    procedure = version.procedure
    procedure.search_text = normalize_search(f"{procedure.code} {version.name}")
    procedure.save(update_fields=["search_text"])
    scan = tmp_path / "to-khai.pdf"
    scan.write_bytes(pdf_bytes())
    fake = tmp_path / "giay-to.pdf"
    fake.write_bytes(EXE)
    page = phone

    page.goto(live_server.url + "/procedures/?q=dang+ky+khai+sinh")
    page.get_by_role("link", name="Đăng ký khai sinh").first.click()
    fits_the_phone(page)
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    log_in(page, "citizen@example.vn")

    # Step 1: applicant prefilled from the profile; only the ID number is typed.
    expect(page.get_by_label("Họ và tên người nộp")).to_have_value("Nguyễn Văn An")
    fits_the_phone(page)
    page.get_by_label("Số định danh cá nhân của người nộp").fill("001084000999")
    continue_step(page)

    # Step 2: the e-form; a bad date first, then a good one.
    page.get_by_label("Họ, chữ đệm, tên của trẻ").fill("Nguyễn Văn Bé")
    continue_step(page)
    expect(page.get_by_text("Vui lòng nhập thông tin này.")).to_be_visible()
    page.get_by_label("Ngày sinh").fill("2026-01-05")
    fits_the_phone(page)
    continue_step(page)

    # Step 3: upload (with the progress bar script) the required paper; a renamed program first.
    component = page.locator("section", has_text="Tờ khai đăng ký khai sinh")
    component.locator("input[type=file]").set_input_files(str(fake))
    component.get_by_role("button", name="Tải lên").click()
    expect(page.get_by_text("chương trình hoặc mã chạy được")).to_be_visible()
    assert Attachment.objects.count() == 0
    component = page.locator("section", has_text="Tờ khai đăng ký khai sinh")
    component.locator("input[type=file]").set_input_files(str(scan))
    component.get_by_role("button", name="Tải lên").click()
    expect(page.get_by_role("link", name="Trang 1: to-khai.pdf")).to_be_visible()
    fits_the_phone(page)
    continue_step(page)

    # Step 4: review, consent, submit.
    expect(page.get_by_text("Nguyễn Văn Bé")).to_be_visible()
    page.get_by_label("Tôi đồng ý").check()
    fits_the_phone(page)
    page.get_by_role("button", name="Nộp hồ sơ").click()

    dossier = Dossier.objects.get()
    expect(page.get_by_text(dossier.code)).to_be_visible()
    assert dossier.status == Status.SUBMITTED and dossier.consent_at is not None
    page.get_by_role("link", name="Xem hồ sơ").click()
    expect(page.locator(".status-badge")).to_have_text("Mới đăng ký")
    fits_the_phone(page)


def test_the_citizen_answers_the_specialists_supplement_request_in_the_browser(
    live_server, phone, citizen, officer, specialist, commune, tmp_path
):
    version = make_procedure(agency=commune)
    dossier = make_complete(draft_for(version, commune, citizen), citizen)
    dossier_file(dossier, actor=citizen, submit_token=uuid.uuid4(), consent=True)
    workflow.dossier_receive(dossier, actor=officer, expected_version=dossier.version)
    workflow.dossier_transfer(dossier, actor=officer, expected_version=dossier.version, specialist=specialist)
    workflow.dossier_request_supplement(dossier, actor=specialist, expected_version=dossier.version,
                                        items=["Bản sao giấy chứng sinh có chứng thực"])
    copy = tmp_path / "giay-chung-sinh.pdf"
    copy.write_bytes(pdf_bytes())
    page = phone

    page.goto(live_server.url + "/dossiers/")
    log_in(page, "citizen@example.vn")
    page.get_by_role("link", name=dossier.code).click()
    expect(page.locator("#supplement").get_by_text("Bản sao giấy chứng sinh có chứng thực")).to_be_visible()
    fits_the_phone(page)

    page.locator("#supplement input[type=file]").set_input_files(str(copy))
    page.get_by_role("button", name="Tải lên giấy tờ bổ sung").click()
    expect(page.get_by_role("link", name="giay-chung-sinh.pdf")).to_be_visible()
    page.get_by_label("Ghi chú gửi kèm").fill("Đã bổ sung bản sao có chứng thực")
    page.get_by_role("button", name="Gửi bổ sung").click()

    expect(page.get_by_text("Đã gửi bổ sung hồ sơ.")).to_be_visible()
    expect(page.locator(".status-badge")).to_have_text("Đang xử lý")
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    assert dossier.supplement_requests.get().answered_at is not None
