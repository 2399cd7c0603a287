"""Issue 10 item 13: uploads cannot be lost silently."""

import pytest

from applications import workflow
from applications.filing import attachment_add
from applications.models import Attachment
from tests.applications.filing.builders import EXE, draft_for, pdf_bytes, submitted, upload

pytestmark = pytest.mark.django_db


def test_a_file_chosen_before_save_and_continue_is_uploaded(client, citizen, commune, version):
    dossier = draft_for(version, commune, citizen)
    component = version.components.get(is_required=True)
    client.force_login(citizen)

    response = client.post(f"/dossiers/draft/{dossier.pk}/attachments/", {
        "continue": "", f"c{component.pk}-files": [upload("to-khai.pdf", pdf_bytes())],
    })

    assert response.status_code == 302 and response["Location"] == f"/dossiers/draft/{dossier.pk}/review/"
    assert list(dossier.attachments.values_list("component_id", "original_name")) == [(component.pk, "to-khai.pdf")]


def test_save_and_continue_with_a_refused_file_stays_with_a_clear_message_and_stores_nothing(
    client, citizen, commune, version
):
    dossier = draft_for(version, commune, citizen)
    required, optional = version.components.order_by("order")
    client.force_login(citizen)

    response = client.post(f"/dossiers/draft/{dossier.pk}/attachments/", {
        "continue": "", f"c{required.pk}-files": [upload("to-khai.pdf", pdf_bytes())],
        f"c{optional.pk}-files": [upload("giay-to.pdf", EXE)],
    })

    assert response.status_code == 400
    page = response.content.decode()
    assert "Chưa lưu tệp nào" in page and "giay-to.pdf" in page
    assert not Attachment.objects.exists()


def test_papers_outside_the_list_go_in_the_other_papers_slot(client, citizen, commune, version):
    dossier = draft_for(version, commune, citizen)
    client.force_login(citizen)

    client.post(f"/dossiers/draft/{dossier.pk}/attachments/", {
        "upload": "other", "other-files": [upload("so-ho-khau.pdf", pdf_bytes())],
    })

    attachment = dossier.attachments.get()
    assert attachment.component is None and attachment.supplement_request is None
    page = client.get(f"/dossiers/draft/{dossier.pk}/attachments/").content.decode()
    assert "Giấy tờ khác" in page and "Trang 1: so-ho-khau.pdf" in page
    assert "Giấy tờ khác — trang 1" in client.get(f"/dossiers/draft/{dossier.pk}/review/").content.decode()


def test_no_upload_slot_is_starred_as_required_to_the_browser(client, citizen, commune, version):
    dossier = draft_for(version, commune, citizen)
    client.force_login(citizen)
    page = client.get(f"/dossiers/draft/{dossier.pk}/attachments/").content.decode()
    assert "asteriskField" not in page
    assert page.count("Không bắt buộc") == 2  # "Giấy chứng sinh" and "Giấy tờ khác"


def test_removing_a_page_asks_first(client, citizen, commune, version):
    dossier = draft_for(version, commune, citizen)
    attachment = attachment_add(dossier, version.components.first(), upload("1.pdf", pdf_bytes()), by=citizen)
    client.force_login(citizen)
    url = f"/dossiers/draft/{dossier.pk}/attachments/{attachment.pk}/remove/"

    question = client.get(url)

    assert question.status_code == 200
    assert "Xóa tệp đã tải lên?" in question.content.decode() and "1.pdf" in question.content.decode()
    assert dossier.attachments.count() == 1
    assert f'href="{url}"' in client.get(f"/dossiers/draft/{dossier.pk}/attachments/").content.decode()
    client.post(url)
    assert dossier.attachments.count() == 0


def test_completing_before_receipt_repeats_the_officers_list_and_note(client, citizen, officer, commune, version):
    dossier = submitted(version, commune, citizen)
    workflow.dossier_request_completion(
        dossier, actor=officer, expected_version=dossier.version,
        items=["Bản sao giấy chứng sinh có chứng thực"], note="Mang bản chính khi nhận kết quả.",
    )
    client.force_login(citizen)

    for url in (f"/dossiers/{dossier.code}/", f"/dossiers/draft/{dossier.pk}/attachments/",
                f"/dossiers/draft/{dossier.pk}/review/"):
        page = client.get(url).content.decode()
        assert "Bản sao giấy chứng sinh có chứng thực" in page, url
        assert "Mang bản chính khi nhận kết quả." in page, url


def test_the_attachments_step_runs_a_fixed_number_of_queries(
    client, citizen, commune, version, django_assert_max_num_queries
):
    dossier = draft_for(version, commune, citizen)
    for name in ("1.pdf", "2.pdf", "3.pdf"):
        attachment_add(dossier, version.components.first(), upload(name, pdf_bytes()), by=citizen)
    client.force_login(citizen)
    with django_assert_max_num_queries(16):
        assert client.get(f"/dossiers/draft/{dossier.pk}/attachments/").status_code == 200
