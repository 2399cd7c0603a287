"""Public tracking: the status of a dossier by its code, nothing personal, rate-limited per IP."""

import pytest

from django.utils.timezone import localtime

from applications import workflow
from tests.applications.filing.builders import VALID_ID, draft_for, submitted, to_supplement_requested

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(version, commune, citizen):
    return submitted(version, commune, citizen)


def test_anyone_with_the_code_sees_procedure_status_and_dates(client, dossier):
    response = client.post("/track/", {"code": dossier.code})
    page = response.content.decode()
    assert response.status_code == 200
    assert dossier.procedure_version.name in page and "Mới đăng ký" in page
    assert localtime(dossier.submitted_at).strftime("%d/%m/%Y") in page
    assert "Nguyễn V. A." in page
    assert response["Cache-Control"] == "no-store"


def test_a_code_in_the_query_string_works_too_for_printed_qr_codes(client, dossier):
    page = client.get(f"/track/?code={dossier.code}").content.decode()
    assert "Mới đăng ký" in page


def test_nothing_personal_beyond_a_masked_name_is_shown(client, dossier):
    dossier.applicant_phone = "0912000001"
    dossier.applicant_email = "citizen@example.vn"
    dossier.applicant_id_number = VALID_ID
    dossier.subject_id_number = VALID_ID
    dossier.applicant_address = "Số 7 ngõ 9 Thôn Đông"
    dossier.save()
    page = client.post("/track/", {"code": dossier.code}).content.decode()
    for secret in ("0912000001", "citizen@example.vn", VALID_ID, VALID_ID[-3:] + "<", "Số 7 ngõ 9", "Nguyễn Văn An",
                   "Bé"):
        assert secret not in page, secret


def test_the_received_and_due_dates_and_a_supplement_show(client, dossier, officer, specialist):
    to_supplement_requested(dossier, officer, specialist)
    dossier.refresh_from_db()
    page = client.post("/track/", {"code": dossier.code}).content.decode()
    assert "Yêu cầu bổ sung giấy tờ" in page
    assert localtime(dossier.received_at).strftime("%d/%m/%Y") in page
    assert localtime(dossier.due_current).strftime("%d/%m/%Y") in page
    assert "Cần bổ sung hồ sơ" in page and "Có" in page


def test_an_unknown_code_says_not_found_without_an_error_page(client, db):
    response = client.post("/track/", {"code": "000.00.00.H99-260101-9999"})
    assert response.status_code == 200
    assert "Không tìm thấy hồ sơ" in response.content.decode()


def test_drafts_are_never_found(client, version, commune, citizen):
    draft = draft_for(version, commune, citizen)
    assert draft.code is None
    assert "Không tìm thấy hồ sơ" in client.post("/track/", {"code": "None"}).content.decode()


def test_lookups_are_rate_limited_per_ip_with_a_vietnamese_429(client, settings, dossier):
    settings.TRACKING_RATE_LIMIT = 3
    for _ in range(3):
        assert client.post("/track/", {"code": dossier.code}).status_code == 200
    limited = client.post("/track/", {"code": dossier.code})
    assert limited.status_code == 429
    assert "quá nhiều lần" in limited.content.decode()
    assert dossier.procedure_version.name not in limited.content.decode()
    other_ip = client.post("/track/", {"code": dossier.code}, REMOTE_ADDR="10.0.0.9")
    assert other_ip.status_code == 200


def test_showing_the_empty_form_does_not_count(client, settings, db):
    settings.TRACKING_RATE_LIMIT = 1
    for _ in range(5):
        assert client.get("/track/").status_code == 200


def test_a_withdrawn_dossier_is_tracked_in_plain_words(client, citizen, dossier):
    workflow.dossier_withdraw(dossier, actor=citizen, expected_version=dossier.version)
    assert "Công dân yêu cầu rút hồ sơ" in client.post("/track/", {"code": dossier.code}).content.decode()
