"""Review and submit: completeness is checked on the server, consent is recorded, one dossier per submit."""

import uuid

import pytest

from applications.filing import FilingError, dossier_file
from applications.models import Dossier, DossierEvent, Status
from tests.applications.filing.builders import draft_for, make_complete

pytestmark = pytest.mark.django_db


def review_post(token=None, consent="on"):
    data = {"submit_token": str(token or uuid.uuid4())}
    if consent:
        data["consent"] = consent
    return data


def test_the_review_page_lists_what_is_still_missing(client, citizen, commune, version):
    dossier = draft_for(version, commune, citizen)
    client.force_login(citizen)
    page = client.get(f"/dossiers/draft/{dossier.pk}/review/").content.decode()
    assert "Thiếu giấy tờ bắt buộc: Tờ khai đăng ký khai sinh." in page
    assert "Tờ khai điện tử chưa đầy đủ" in page
    assert 'name="submit_token"' in page


def test_an_incomplete_dossier_is_not_submitted(client, citizen, commune, version):
    dossier = draft_for(version, commune, citizen)
    client.force_login(citizen)
    response = client.post(f"/dossiers/draft/{dossier.pk}/review/", review_post())
    assert response.status_code == 400
    assert "Thiếu giấy tờ bắt buộc" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == Status.DRAFT and dossier.code is None and dossier.consent_at is None
    assert not DossierEvent.objects.exists()


def test_a_complete_dossier_is_submitted_with_consent_recorded(client, citizen, commune, version):
    dossier = make_complete(draft_for(version, commune, citizen), citizen)
    client.force_login(citizen)

    response = client.post(f"/dossiers/draft/{dossier.pk}/review/", review_post())

    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED and dossier.code
    assert dossier.consent_at is not None and dossier.consent_at <= dossier.submitted_at
    assert response["Location"] == f"/dossiers/{dossier.code}/submitted/"
    page = client.get(response["Location"]).content.decode()
    assert dossier.code in page and "Tiếp theo" in page and "chưa phải Giấy tiếp nhận" in page


def test_a_double_submit_with_the_same_token_makes_one_dossier(client, citizen, commune, version):
    dossier = make_complete(draft_for(version, commune, citizen), citizen)
    client.force_login(citizen)
    token = uuid.uuid4()

    first = client.post(f"/dossiers/draft/{dossier.pk}/review/", review_post(token))
    second = client.post(f"/dossiers/draft/{dossier.pk}/review/", review_post(token))

    assert Dossier.objects.count() == 1
    dossier.refresh_from_db()
    assert first["Location"] == second["Location"] == f"/dossiers/{dossier.code}/submitted/"
    assert DossierEvent.objects.filter(dossier=dossier, action="submitted").count() == 1
    assert dossier.version == 1


def test_the_service_returns_the_same_dossier_for_a_retried_token(citizen, commune, version):
    dossier = make_complete(draft_for(version, commune, citizen), citizen)
    token = uuid.uuid4()
    once = dossier_file(dossier, actor=citizen, submit_token=token, consent=True)
    again = dossier_file(Dossier.objects.get(pk=dossier.pk), actor=citizen, submit_token=token, consent=True)
    assert once.pk == again.pk and once.code == again.code
    with pytest.raises(FilingError):
        dossier_file(Dossier.objects.get(pk=dossier.pk), actor=citizen, submit_token=uuid.uuid4(), consent=True)


def test_a_dossier_sent_back_for_completion_is_edited_and_resubmitted_with_the_same_code(
    client, citizen, officer, commune, version
):
    from applications import workflow

    dossier = dossier_file(make_complete(draft_for(version, commune, citizen), citizen), actor=citizen,
                           submit_token=uuid.uuid4(), consent=True)
    code = dossier.code
    workflow.dossier_request_completion(dossier, actor=officer, expected_version=dossier.version,
                                        items=["Ghi rõ họ tên trẻ theo giấy chứng sinh"])
    client.force_login(citizen)

    page = client.get(f"/dossiers/{code}/").content.decode()
    assert "Ghi rõ họ tên trẻ theo giấy chứng sinh" in page
    assert f"/dossiers/draft/{dossier.pk}/applicant/" in page
    client.post(f"/dossiers/draft/{dossier.pk}/form/", {"child_name": "Nguyễn Văn Bé Hai", "birth_date": "2026-01-05"})
    response = client.post(f"/dossiers/draft/{dossier.pk}/review/", review_post())

    dossier.refresh_from_db()
    assert response.status_code == 302
    assert dossier.status == Status.SUBMITTED and dossier.code == code
    assert dossier.form_data["child_name"] == "Nguyễn Văn Bé Hai"
