"""Issue 17: choosing the result by post when filing: a structured address that resolves to a known
commune, the recipient, and the postage quoted from the tariff before submitting."""

import pytest

from applications.models import Dossier
from procedures.models import PostageRate
from tests.applications.filing.builders import VALID_ID
from tests.factories import make_postal_units, make_procedure

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def units(db, settings):
    make_postal_units(settings)


def by_post(commune, **overrides):
    data = {
        "agency": commune.pk, "applicant_name": "Nguyễn Văn An", "applicant_id_number": VALID_ID,
        "applicant_phone": "0912000001", "applicant_email": "", "applicant_address": "",
        "subject_relation": "self", "result_delivery": "post", "delivery_province": "Huế",
        "delivery_commune": "thuan hoa", "delivery_street": " 5  Lê Lợi ", "delivery_recipient_name": "",
        "delivery_recipient_phone": "+84 987 654 321",
    }
    data.update(overrides)
    return data


def test_a_post_address_is_resolved_quoted_and_stored(client, citizen, commune, version):
    client.force_login(citizen)
    response = client.post(f"/procedures/{version.procedure.code}/apply/", by_post(commune))
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    # "thuan hoa" typed without diacritics or "Phường" resolves to the unit's own name.
    assert (dossier.delivery_province, dossier.delivery_commune, dossier.delivery_street) == (
        "Huế", "Phường Thuận Hóa", "5 Lê Lợi")
    assert dossier.delivery_address == "5 Lê Lợi, Phường Thuận Hóa, Huế"
    assert dossier.delivery_recipient_name == "Nguyễn Văn An"  # empty: the applicant receives it
    assert dossier.delivery_recipient_phone == "0987654321"
    assert dossier.postage_amount == 18_000 and not dossier.postage_paid_by_agency  # Huế: between provinces


def test_within_the_home_province_the_intra_zone_rate_applies(client, citizen, commune, version):
    client.force_login(citizen)
    client.post(f"/procedures/{version.procedure.code}/apply/",
                by_post(commune, delivery_province="Lâm Đồng", delivery_commune="Xã Đơn Dương"))
    assert Dossier.objects.get().postage_amount == 13_000


def test_the_quote_and_who_pays_are_shown_on_the_review_page_before_submitting(
    client, citizen, commune, django_assert_max_num_queries
):
    version = make_procedure(agency=commune)
    type(version).objects.filter(pk=version.pk).update(postage_paid_by_agency=True)
    client.force_login(citizen)
    client.post(f"/procedures/{version.procedure.code}/apply/", by_post(commune))
    dossier = Dossier.objects.get()
    assert dossier.postage_paid_by_agency
    with django_assert_max_num_queries(25):
        page = client.get(f"/dossiers/draft/{dossier.pk}/review/").content.decode()
    assert "18.000" in page and "cơ quan trả, bạn không phải nộp" in page


def test_a_weight_outside_the_tariff_refuses_the_post_and_files_nothing(client, citizen, commune, version):
    PostageRate.objects.filter(zone="inter").delete()  # no line for other provinces
    client.force_login(citizen)
    response = client.post(f"/procedures/{version.procedure.code}/apply/", by_post(commune))
    assert response.status_code == 200
    assert "nằm ngoài biểu cước bưu chính" in " ".join(response.context["form"].errors["result_delivery"])
    assert not Dossier.objects.exists()


def test_switching_back_to_online_clears_the_postal_fields(client, citizen, commune, version):
    client.force_login(citizen)
    client.post(f"/procedures/{version.procedure.code}/apply/", by_post(commune))
    dossier = Dossier.objects.get()
    client.post(f"/dossiers/draft/{dossier.pk}/applicant/", by_post(commune, result_delivery="online"))
    dossier.refresh_from_db()
    assert dossier.result_delivery == "online"
    assert (dossier.delivery_address, dossier.delivery_commune, dossier.postage_amount) == ("", "", None)


def test_the_first_step_with_the_commune_suggestions_keeps_its_query_budget(
    client, citizen, commune, version, django_assert_max_num_queries
):
    client.force_login(citizen)
    with django_assert_max_num_queries(12):
        page = client.get(f"/procedures/{version.procedure.code}/apply/").content.decode()
    assert '<datalist id="communes">' in page and '<option value="Phường Thuận Hóa">Huế</option>' in page
