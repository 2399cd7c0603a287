"""Issue 10 item 14: filing at the counter for walk-ins."""

import uuid
from datetime import timedelta

import pytest

from django.utils import timezone

from applications.models import Channel, DocumentKind, Dossier, ResultDelivery, Status
from tests.applications.filing.builders import VALID_ID, pdf_bytes, upload
from tests.factories import make_postal_units

pytestmark = pytest.mark.django_db


def start(client, version, channel="in_person", identifier=""):
    client.post("/officer/guided/", {"action": "start", "version": version.pk, "channel": channel,
                                     "identifier": identifier})
    return Dossier.objects.order_by("-pk").first()


def test_the_result_can_be_collected_at_the_counter_by_default_even_for_a_full_process_procedure(
    client, officer, version
):
    assert version.is_full_process
    client.force_login(officer)
    dossier = start(client, version)
    assert dossier.result_delivery == ResultDelivery.COUNTER
    field = client.get(f"/officer/guided/{dossier.pk}/applicant/").context["form"].fields["result_delivery"]
    assert [value for value, _label in field.choices] == ["counter", "online", "post"]


def test_online_filing_of_a_full_process_procedure_does_not_offer_the_counter(client, citizen, version):
    client.force_login(citizen)
    field = client.get(f"/procedures/{version.procedure.code}/apply/").context["form"].fields["result_delivery"]
    assert "counter" not in [value for value, _label in field.choices]


def test_help_text_speaks_to_the_officer_at_the_counter(client, officer, citizen, version):
    client.force_login(officer)
    dossier = start(client, version)
    page = client.get(f"/officer/guided/{dossier.pk}/applicant/").content.decode()
    assert "Đối chiếu với thẻ căn cước người nộp xuất trình." in page
    assert "khi bạn nộp thay" not in page
    client.force_login(citizen)
    assert "Đối chiếu với thẻ căn cước" not in client.get(f"/procedures/{version.procedure.code}/apply/").content.decode()


def complete_and_submit(client, dossier, delivery="counter", review=None, **extra):
    component = dossier.procedure_version.components.get(is_required=True)
    client.post(f"/officer/guided/{dossier.pk}/applicant/", {
        "agency": dossier.agency_id, "applicant_name": "Đỗ Thị Lan", "applicant_id_number": VALID_ID,
        "applicant_phone": "0987654321", "subject_relation": "self", "result_delivery": delivery, **extra,
    })
    client.post(f"/officer/guided/{dossier.pk}/form/", {"child_name": "Đỗ Minh Anh", "birth_date": "2026-11-20"})
    client.post(f"/officer/guided/{dossier.pk}/attachments/",
                {"continue": "", f"c{component.pk}-files": [upload("scan.pdf", pdf_bytes())]})
    return client.post(f"/officer/guided/{dossier.pk}/review/",
                       {"submit_token": str(uuid.uuid4()), "receive_now": "on", **(review or {})})


def test_the_done_page_has_a_print_button_for_the_receipt(
    client, officer, version, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    dossier = start(client, version)
    with django_capture_on_commit_callbacks(execute=True):
        done = complete_and_submit(client, dossier)
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED and dossier.result_delivery == ResultDelivery.COUNTER
    receipt = dossier.documents.get(kind=DocumentKind.RECEIPT)
    with django_assert_max_num_queries(12):
        page = client.get(done["Location"]).content.decode()
    assert f'href="/officer/dossiers/{dossier.code}/documents/{receipt.pk}/print/"' in page
    assert "In Giấy tiếp nhận hồ sơ và hẹn trả kết quả" in page


def test_a_filing_that_arrived_by_post_is_recorded_as_channel_post(client, officer, version):
    client.force_login(officer)
    dossier = start(client, version, channel="post")
    assert dossier.channel == Channel.POST and dossier.result_delivery == ResultDelivery.POST
    make_postal_units()
    arrived = timezone.localtime() - timedelta(hours=1)
    complete_and_submit(client, dossier, delivery="post", delivery_province="Huế", delivery_commune="Thuận Hóa",
                        delivery_street="5 Lê Lợi", review={"post_arrived_at": arrived.strftime("%Y-%m-%dT%H:%M")})
    dossier.refresh_from_db()
    assert dossier.channel == Channel.POST and dossier.status == Status.RECEIVED
    assert dossier.events.get(action="submitted").data["channel"] == Channel.POST


def test_a_walk_in_with_an_account_is_found_by_id_number_and_the_draft_starts_with_their_details(
    client, officer, citizen, version
):
    citizen.id_number = VALID_ID
    citizen.save(update_fields=["id_number"])
    client.force_login(officer)
    found = client.post("/officer/guided/", {"action": "search", "identifier": VALID_ID})
    assert found.context["found"] == citizen
    assert found.context["start_form"]["identifier"].value() == VALID_ID
    dossier = start(client, version, identifier=VALID_ID)
    assert dossier.owner == citizen and dossier.applicant_id_number == VALID_ID


def test_the_start_page_runs_a_fixed_number_of_queries(client, officer, version, django_assert_max_num_queries):
    client.force_login(officer)
    for _ in range(3):
        start(client, version)
    with django_assert_max_num_queries(10):
        assert client.get("/officer/guided/").status_code == 200
