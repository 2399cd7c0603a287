"""A citizen files a birth registration end to end (phone and desktop), then answers a supplement request."""

import uuid
from datetime import date

import pytest
from playwright.sync_api import expect

from applications import workflow
from applications.filing import dossier_file
from applications.models import Attachment, Dossier, Status
from portal.lib.text import normalize_search
from procedures.models import FieldType, FiledFor, FormField, ProfileBinding
from tests.applications.filing.builders import draft_for, make_complete, pdf_bytes
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
    # The step posts its form and the next page loads (or the same one with errors): wait for it, so that
    # a check right after never runs in the page being left.
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu và tiếp tục").click()


def birth_registration(commune):
    """Đăng ký khai sinh as the demo catalogue has it: filed for a child, the declaration is the
    e-form, the requester's fields are bound to the parent's details."""
    version = make_procedure(agency=commune, name="Đăng ký khai sinh")
    version.filed_for = FiledFor.CHILD
    version.save(update_fields=["filed_for"])
    version.components.filter(name="Tờ khai đăng ký khai sinh").update(filled_by_eform=True)
    for order, (key, label, kind, binding) in enumerate([
        ("requester_name", "Họ, chữ đệm, tên người yêu cầu", FieldType.TEXT, ProfileBinding.FULL_NAME),
        ("requester_id_number", "Số định danh cá nhân của người yêu cầu", FieldType.ID_NUMBER,
         ProfileBinding.ID_NUMBER),
        ("requester_address", "Nơi cư trú", FieldType.ADDRESS, ProfileBinding.PERMANENT_ADDRESS),
    ], start=10):
        FormField.objects.create(version=version, order=order, key=key, label=label, field_type=kind,
                                 is_required=True, prefill=binding, section="Người yêu cầu")
    procedure = version.procedure
    procedure.search_text = normalize_search(f"{procedure.code} {version.name}")
    procedure.save(update_fields=["search_text"])
    return version


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_a_parent_registers_a_birth_online_typing_nothing_the_profile_holds(
    live_server, browser, phone_context_args, citizen, commune, tmp_path, screen
):
    citizen.id_number = "001084000999"
    citizen.date_of_birth = date(1984, 3, 9)
    citizen.permanent_address = {"province": "Hà Nội", "commune": "Phường Ba Đình", "detail": "12 Phố Đội Cấn"}
    citizen.save()
    birth_registration(commune)
    certificate = tmp_path / "giay-chung-sinh.pdf"
    certificate.write_bytes(pdf_bytes())
    context = browser.new_context(**(phone_context_args if screen == "phone" else {"viewport": {"width": 1280,
                                                                                                 "height": 900}}))
    page = context.new_page()
    check = fits_the_phone if screen == "phone" else (lambda page: None)

    page.goto(live_server.url + "/procedures/?q=dang+ky+khai+sinh")
    page.get_by_role("link", name="Đăng ký khai sinh").first.click()
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    log_in(page, "citizen@example.vn")

    # Step 1: everything from the profile; a birth is registered for a child.
    expect(page.get_by_label("Họ và tên người nộp")).to_have_value("Nguyễn Văn An")
    expect(page.get_by_label("Số định danh cá nhân của người nộp")).to_have_value("001084000999")
    expect(page.get_by_label("Con, người được giám hộ")).to_be_checked()
    page.get_by_label("Họ và tên chủ hồ sơ").fill("Nguyễn Văn Bé")
    check(page)
    continue_step(page)

    # Step 2: the requester's part of the e-form is already filled, and can be changed.
    expect(page.get_by_label("Họ, chữ đệm, tên người yêu cầu")).to_have_value("Nguyễn Văn An")
    expect(page.get_by_label("Số định danh cá nhân của người yêu cầu")).to_have_value("001084000999")
    expect(page.locator("select[name=requester_address_0]")).to_have_value("Hà Nội")
    page.get_by_label("Họ, chữ đệm, tên của trẻ").fill("Nguyễn Văn Bé")
    page.get_by_label("Ngày sinh").fill("2026-01-05")
    check(page)
    continue_step(page)

    # Step 3: the declaration is the e-form; a file chosen and "Lưu và tiếp tục" pressed is uploaded.
    expect(page.locator("section", has_text="Tờ khai đăng ký khai sinh").get_by_text(
        "Đã khai bằng tờ khai điện tử")).to_be_visible()
    page.locator("section", has_text="Giấy chứng sinh").locator("input[type=file]").set_input_files(str(certificate))
    check(page)
    continue_step(page)

    # Step 4: review; nothing asks for a scan of the paper form; the processing notice is information.
    expect(page.get_by_role("heading", name="Bước 4. Xem lại và nộp hồ sơ")).to_be_visible()
    expect(page.get_by_role("link", name="giay-chung-sinh.pdf")).to_be_visible()
    expect(page.get_by_text("Tờ khai đăng ký khai sinh — khai bằng tờ khai điện tử")).to_be_visible()
    expect(page.get_by_text("Hồ sơ chưa đủ để nộp")).to_have_count(0)
    expect(page.get_by_text("Thông báo về xử lý dữ liệu cá nhân")).to_be_visible()
    check(page)
    page.get_by_role("button", name="Nộp hồ sơ").click()

    dossier = Dossier.objects.get()
    expect(page.get_by_text(dossier.code).first).to_be_visible()
    assert dossier.status == Status.SUBMITTED
    assert dossier.form_data["requester_id_number"] == "001084000999"
    assert Attachment.objects.filter(dossier=dossier).count() == 1

    # Back: the submitted dossier, not a 404.
    page.go_back()
    expect(page.locator(".status-badge")).to_have_text("Mới đăng ký")
    assert page.url.endswith(f"/dossiers/{dossier.code}/")
    check(page)
    context.close()


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
    expect(page.get_by_role("link", name="giay-chung-sinh.pdf", exact=True)).to_be_visible()
    page.get_by_label("Ghi chú gửi kèm").fill("Đã bổ sung bản sao có chứng thực")
    page.get_by_role("button", name="Gửi bổ sung").click()

    expect(page.get_by_text("Đã gửi bổ sung hồ sơ.")).to_be_visible()
    expect(page.locator(".status-badge")).to_have_text("Đang xử lý")
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    assert dossier.supplement_requests.get().answered_at is not None
