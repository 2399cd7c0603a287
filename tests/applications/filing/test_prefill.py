"""Issue 10 item 12: personal data is typed once (profile → step 1 → bound e-form fields)."""

from datetime import date

import pytest

from applications.models import Dossier, OwnerRelation
from procedures.models import FieldType, FiledFor, FormField, ProfileBinding
from tests.applications.filing.builders import VALID_ID, draft_for

pytestmark = pytest.mark.django_db

HOME = {"province": "Hà Nội", "commune": "Phường Ba Đình", "detail": "12 Phố Đội Cấn"}


@pytest.fixture
def bound_version(version):
    """The requester section of a real e-form, bound to the applicant's details."""
    version.filed_for = FiledFor.CHILD
    version.save(update_fields=["filed_for"])
    for order, (key, label, kind, binding) in enumerate([
        ("requester_name", "Họ, chữ đệm, tên người yêu cầu", FieldType.TEXT, ProfileBinding.FULL_NAME),
        ("requester_id_number", "Số định danh của người yêu cầu", FieldType.ID_NUMBER, ProfileBinding.ID_NUMBER),
        ("requester_birth_date", "Ngày sinh người yêu cầu", FieldType.DATE, ProfileBinding.DATE_OF_BIRTH),
        ("requester_phone", "Số điện thoại liên hệ", FieldType.PHONE, ProfileBinding.PHONE),
        ("requester_address", "Nơi cư trú", FieldType.ADDRESS, ProfileBinding.PERMANENT_ADDRESS),
    ], start=10):
        FormField.objects.create(version=version, order=order, key=key, label=label, field_type=kind,
                                 is_required=False, prefill=binding, section="Người yêu cầu")
    return version


@pytest.fixture
def profiled(citizen):
    citizen.id_number = VALID_ID
    citizen.date_of_birth = date(1984, 3, 9)
    citizen.permanent_address = HOME
    citizen.save()
    return citizen


def test_the_profile_keeps_identity_details(client, citizen):
    client.force_login(citizen)
    response = client.post("/accounts/profile/", {
        "full_name": "Nguyễn Văn An", "address": "", "preferred_language": "vi", "id_number": "001 084 000 999",
        "date_of_birth": "1984-03-09", "permanent_province": "Hà Nội", "permanent_commune": "Phường Ba Đình",
        "permanent_detail": "12 Phố Đội Cấn",
    })
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert (citizen.id_number, citizen.date_of_birth, citizen.permanent_address) == (VALID_ID, date(1984, 3, 9), HOME)


def test_an_id_number_held_by_another_account_is_refused_without_naming_it(client, citizen, other_citizen):
    other_citizen.id_number = VALID_ID
    other_citizen.save(update_fields=["id_number"])
    client.force_login(citizen)
    response = client.post("/accounts/profile/", {
        "full_name": "Nguyễn Văn An", "preferred_language": "vi", "id_number": VALID_ID,
    })
    page = response.content.decode()
    assert response.status_code == 200 and "đã gắn với một tài khoản khác" in page
    assert other_citizen.full_name not in page
    citizen.refresh_from_db()
    assert citizen.id_number is None


def test_details_verified_by_vneid_cannot_be_edited(client, profiled):
    from django.utils import timezone

    profiled.identity_verified_at = timezone.now()
    profiled.save(update_fields=["identity_verified_at"])
    client.force_login(profiled)
    client.post("/accounts/profile/", {
        "full_name": "Nguyễn Văn An", "preferred_language": "vi", "id_number": "001196000123",
        "date_of_birth": "1990-01-01", "permanent_province": "Huế", "permanent_commune": "Phường X",
    })
    profiled.refresh_from_db()
    assert profiled.id_number == VALID_ID and profiled.permanent_address == HOME


def test_step_one_starts_with_the_profile_and_whom_the_procedure_is_filed_for(client, profiled, bound_version):
    client.force_login(profiled)
    form = client.get(f"/procedures/{bound_version.procedure.code}/apply/").context["form"]
    assert form["applicant_id_number"].value() == VALID_ID
    assert form["applicant_name"].value() == "Nguyễn Văn An"
    assert form["subject_relation"].value() == OwnerRelation.CHILD  # a birth is registered for a child


def test_bound_e_form_fields_are_prefilled_and_stay_editable(client, profiled, commune, bound_version):
    dossier = draft_for(bound_version, commune, profiled)
    assert dossier.applicant_id_number == VALID_ID and dossier.subject_relation == OwnerRelation.CHILD
    client.force_login(profiled)

    form = client.get(f"/dossiers/draft/{dossier.pk}/form/").context["form"]

    assert form["requester_name"].value() == "Nguyễn Văn An"
    assert form["requester_id_number"].value() == VALID_ID
    assert form["requester_phone"].value() == "0912000001"
    assert str(form["requester_birth_date"].value()) == "1984-03-09"
    assert form["requester_address"].value() == HOME
    # Edited, saved, and kept as edited (a cleared field is not filled again).
    client.post(f"/dossiers/draft/{dossier.pk}/form/", {
        "child_name": "Nguyễn Văn Bé", "birth_date": "2026-01-05", "requester_name": "Nguyễn Văn Ân",
        "requester_id_number": "", "requester_address_0": "Hà Nội", "requester_address_1": "Phường Ba Đình",
    })
    again = client.get(f"/dossiers/draft/{dossier.pk}/form/").context["form"]
    assert again["requester_name"].value() == "Nguyễn Văn Ân" and again["requester_id_number"].value() == ""


def test_a_walk_ins_details_typed_in_step_one_fill_the_e_form(client, officer, bound_version):
    client.force_login(officer)
    client.post("/officer/guided/", {"action": "start", "version": bound_version.pk, "channel": "in_person"})
    dossier = Dossier.objects.get()
    client.post(f"/officer/guided/{dossier.pk}/applicant/", {
        "agency": dossier.agency_id, "applicant_name": "Đỗ Thị Lan", "applicant_id_number": "001196000123",
        "applicant_phone": "0987654321", "subject_relation": "child", "subject_name": "Đỗ Minh Anh",
        "result_delivery": "counter",
    })
    form = client.get(f"/officer/guided/{dossier.pk}/form/").context["form"]
    assert (form["requester_name"].value(), form["requester_id_number"].value(), form["requester_phone"].value()) == (
        "Đỗ Thị Lan", "001196000123", "0987654321")
    # The residence typed in the e-form becomes the contact address of step 1: typed once.
    client.post(f"/officer/guided/{dossier.pk}/form/", {
        "child_name": "Đỗ Minh Anh", "birth_date": "2026-11-20", "requester_name": "Đỗ Thị Lan",
        "requester_address_0": "Huế", "requester_address_1": "Phường Thuận Hóa", "requester_address_2": "5 Lê Lợi",
    })
    dossier.refresh_from_db()
    assert dossier.applicant_address == "5 Lê Lợi, Phường Thuận Hóa, Huế"


def test_the_e_form_step_runs_a_fixed_number_of_queries(
    client, profiled, commune, bound_version, django_assert_max_num_queries
):
    dossier = draft_for(bound_version, commune, profiled)
    client.force_login(profiled)
    with django_assert_max_num_queries(12):
        assert client.get(f"/dossiers/draft/{dossier.pk}/form/").status_code == 200


def test_the_profile_page_runs_a_fixed_number_of_queries(client, profiled, django_assert_max_num_queries):
    client.force_login(profiled)
    with django_assert_max_num_queries(6):
        page = client.get("/accounts/profile/").content.decode()
    assert VALID_ID in page and "Phường Ba Đình" in page
