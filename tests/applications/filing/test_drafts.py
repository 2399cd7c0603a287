"""Filing online step by step: a draft is saved at every step and can be resumed."""

import pytest

from applications.models import Dossier, Status
from procedures.models import ServiceLevel
from tests.applications.filing.builders import EXE, VALID_ID, draft_for, pdf_bytes, upload
from tests.factories import make_postal_units, make_procedure

pytestmark = pytest.mark.django_db


def applicant_post(commune, **overrides):
    data = {
        "agency": commune.pk, "applicant_name": "Nguyễn Văn An", "applicant_id_number": VALID_ID,
        "applicant_phone": "0912000001", "applicant_email": "citizen@example.vn", "applicant_address": "Thôn 1",
        "subject_relation": "self", "subject_name": "", "subject_id_number": "", "result_delivery": "online",
    }
    data.update(overrides)
    return data


def test_applying_requires_a_citizen_login_and_comes_back_after_it(client, version):
    response = client.get(f"/procedures/{version.procedure.code}/apply/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/procedures/")


def test_the_applicant_step_is_prefilled_from_the_profile(client, citizen, version):
    client.force_login(citizen)
    page = client.get(f"/procedures/{version.procedure.code}/apply/").content.decode()
    assert 'value="Nguyễn Văn An"' in page and 'value="0912000001"' in page and 'value="citizen@example.vn"' in page
    assert Dossier.objects.count() == 0  # nothing is created by looking


def test_a_valid_first_step_creates_a_draft_and_moves_on(client, citizen, commune, version):
    client.force_login(citizen)
    response = client.post(f"/procedures/{version.procedure.code}/apply/", applicant_post(commune))

    dossier = Dossier.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/dossiers/draft/{dossier.pk}/form/"
    assert dossier.status == Status.DRAFT and dossier.code is None
    assert dossier.owner == citizen and dossier.filed_by == citizen and dossier.agency == commune
    assert dossier.applicant_id_number == VALID_ID
    assert dossier.subject_name == "Nguyễn Văn An"  # filing for oneself: the owner is the applicant


@pytest.mark.parametrize("overrides, field, message", [
    ({"applicant_id_number": "999084000999"}, "applicant_id_number", "mã tỉnh"),
    ({"applicant_id_number": "12345"}, "applicant_id_number", "12 chữ số"),
    ({"applicant_phone": "", "applicant_email": ""}, "applicant_phone", "ít nhất một cách liên hệ"),
    ({"subject_relation": "child", "subject_name": ""}, "subject_name", "họ và tên chủ hồ sơ"),
    ({"result_delivery": "post", "delivery_province": ""}, "delivery_province", "tỉnh, thành phố nhận kết quả"),
    ({"result_delivery": "post", "delivery_province": "Huế", "delivery_commune": "Phường Không Có",
      "delivery_street": "5 Lê Lợi"}, "delivery_commune", "Không tìm thấy xã, phường"),
    ({"result_delivery": "post", "delivery_province": "Huế", "delivery_commune": "Phường Thuận Hóa",
      "delivery_street": "5 Lê Lợi", "delivery_recipient_phone": "+1 415 555 0100"}, "delivery_recipient_phone",
     "Số điện thoại không hợp lệ"),
    ({"result_delivery": "post", "delivery_province": "Huế", "delivery_commune": "Phường Thuận Hóa",
      "delivery_street": ""}, "delivery_street", "số nhà"),
    ({"result_delivery": "counter"}, "result_delivery", "lựa chọn hợp lệ"),  # full-process: no counter
])
def test_bad_input_on_the_first_step_shows_an_error_and_stores_nothing(
    client, citizen, commune, version, overrides, field, message, settings
):
    make_postal_units(settings)
    client.force_login(citizen)
    response = client.post(f"/procedures/{version.procedure.code}/apply/", applicant_post(commune, **overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert f'id="error_1_id_{field}"' in response.content.decode() or "invalid-feedback" in response.content.decode()
    assert Dossier.objects.count() == 0


def test_a_partial_process_procedure_also_offers_the_counter(client, citizen, commune):
    partial = make_procedure(agency=commune, service_level=ServiceLevel.PARTIAL)
    client.force_login(citizen)
    page = client.get(f"/procedures/{partial.procedure.code}/apply/").content.decode()
    assert 'value="counter"' in page
    full = client.get(f"/procedures/{make_procedure(agency=commune).procedure.code}/apply/").content.decode()
    assert 'value="counter"' not in full and 'value="post"' in full


def test_filing_for_a_child_keeps_applicant_and_owner_apart(client, citizen, commune, version):
    client.force_login(citizen)
    client.post(f"/procedures/{version.procedure.code}/apply/", applicant_post(
        commune, subject_relation="child", subject_name="Nguyễn Văn Bé", subject_id_number=""))
    dossier = Dossier.objects.get()
    assert (dossier.applicant_name, dossier.subject_name, dossier.subject_relation) == (
        "Nguyễn Văn An", "Nguyễn Văn Bé", "child")


def test_a_bad_e_form_step_keeps_what_the_draft_already_had(client, citizen, commune, version):
    dossier = draft_for(version, commune, citizen)
    dossier.form_data = {"child_name": "Bé Na", "birth_date": "2026-01-05"}
    dossier.save()
    client.force_login(citizen)

    response = client.post(f"/dossiers/draft/{dossier.pk}/form/", {"child_name": "", "birth_date": "2026-02-31"})

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"child_name", "birth_date"}
    dossier.refresh_from_db()
    assert dossier.form_data == {"child_name": "Bé Na", "birth_date": "2026-01-05"}


def test_a_good_e_form_step_is_saved_and_resumable(client, citizen, commune, version):
    dossier = draft_for(version, commune, citizen)
    client.force_login(citizen)
    response = client.post(f"/dossiers/draft/{dossier.pk}/form/",
                           {"child_name": "Nguyễn Thị Na", "birth_date": "05/01/2026", "save_draft": ""})
    assert response.status_code == 302 and response["Location"] == "/dossiers/"
    dossier.refresh_from_db()
    assert dossier.form_data == {"child_name": "Nguyễn Thị Na", "birth_date": "2026-01-05"}

    listing = client.get("/dossiers/").content.decode()
    assert f"/dossiers/draft/{dossier.pk}/applicant/" in listing
    resumed = client.get(f"/dossiers/draft/{dossier.pk}/form/").content.decode()
    assert 'value="Nguyễn Thị Na"' in resumed and 'value="2026-01-05"' in resumed


def test_the_apply_page_offers_to_resume_an_existing_draft(client, citizen, commune, version):
    dossier = draft_for(version, commune, citizen)
    client.force_login(citizen)
    page = client.get(f"/procedures/{version.procedure.code}/apply/").content.decode()
    assert f"/dossiers/draft/{dossier.pk}/applicant/" in page


def test_uploading_on_the_attachments_step_adds_pages(client, citizen, commune, version):
    dossier = draft_for(version, commune, citizen)
    component = version.components.get(is_required=True)
    client.force_login(citizen)

    response = client.post(f"/dossiers/draft/{dossier.pk}/attachments/", {
        "upload": component.pk, f"c{component.pk}-files": [upload("1.pdf", pdf_bytes()), upload("2.pdf", pdf_bytes())],
    })

    assert response.status_code == 302
    assert list(dossier.attachments.values_list("page", flat=True)) == [1, 2]


def test_a_failed_upload_shows_the_error_on_the_field_and_stores_nothing(client, citizen, commune, version):
    dossier = draft_for(version, commune, citizen)
    component = version.components.get(is_required=True)
    client.force_login(citizen)

    response = client.post(f"/dossiers/draft/{dossier.pk}/attachments/", {
        "upload": component.pk, f"c{component.pk}-files": [upload("giay-to.pdf", EXE)],
    })

    assert response.status_code == 400
    assert "chương trình hoặc mã chạy được" in response.content.decode()
    assert dossier.attachments.count() == 0


def test_an_upload_through_javascript_gets_json_with_where_to_go(client, citizen, commune, version):
    dossier = draft_for(version, commune, citizen)
    component = version.components.get(is_required=True)
    client.force_login(citizen)
    response = client.post(f"/dossiers/draft/{dossier.pk}/attachments/", {
        "upload": component.pk, f"c{component.pk}-files": [upload("1.pdf", pdf_bytes())],
    }, headers={"X-Requested-With": "XMLHttpRequest"})
    assert response.json() == {"redirect": f"/dossiers/draft/{dossier.pk}/attachments/#component-{component.pk}"}


def test_a_page_can_be_removed_while_drafting(client, citizen, commune, version):
    from applications.filing import attachment_add

    dossier = draft_for(version, commune, citizen)
    attachment = attachment_add(dossier, version.components.first(), upload("1.pdf", pdf_bytes()), by=citizen)
    client.force_login(citizen)
    response = client.post(f"/dossiers/draft/{dossier.pk}/attachments/{attachment.pk}/remove/")
    assert response.status_code == 302
    assert dossier.attachments.count() == 0


def test_a_draft_can_be_deleted(client, citizen, commune, version):
    dossier = draft_for(version, commune, citizen)
    client.force_login(citizen)
    assert client.post(f"/dossiers/draft/{dossier.pk}/delete/").status_code == 302
    assert not Dossier.objects.filter(pk=dossier.pk).exists()


def test_a_procedure_without_online_filing_sends_the_citizen_back(client, citizen, commune, version):
    version.channel_online = False
    version.save()
    client.force_login(citizen)
    response = client.get(f"/procedures/{version.procedure.code}/apply/")
    assert response.status_code == 302 and response["Location"] == f"/procedures/{version.procedure.code}/"


def test_every_filing_page_renders_in_english_too(client, citizen, commune, version):
    from tests.applications.filing.builders import submitted

    dossier = draft_for(version, commune, citizen)
    filed = submitted(version, commune, citizen)
    client.force_login(citizen)
    client.cookies["portal_language"] = "en"
    for url in (f"/procedures/{version.procedure.code}/apply/", f"/dossiers/draft/{dossier.pk}/applicant/",
                f"/dossiers/draft/{dossier.pk}/form/", f"/dossiers/draft/{dossier.pk}/attachments/",
                f"/dossiers/draft/{dossier.pk}/review/", "/dossiers/", f"/dossiers/{filed.code}/",
                f"/dossiers/{filed.code}/submitted/", "/track/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Language"] == "en"
