"""The dossier page and its action buttons, through HTTP."""

from __future__ import annotations

import pytest

from applications.models import DossierEvent, Status
from tests.applications.officer.conftest import drive, new_draft


def _url(dossier, action=None):
    base = f"/officer/dossiers/{dossier.code}/"
    return f"{base}actions/{action}/" if action else base


def test_the_dossier_page_shows_applicant_answers_timeline_clock_and_allowed_actions(login, officer, submitted):
    response = login(officer).get(_url(submitted))
    assert response.status_code == 200
    html = response.content.decode()
    assert submitted.code in html
    assert "Nguyễn Văn An" in html
    assert "Họ, chữ đệm, tên của trẻ" in html and "Nguyễn Văn Bé" in html
    assert "Nộp hồ sơ" in html  # timeline
    assert "Thời hạn giải quyết" in html
    assert 'data-action="receive"' in html and 'data-action="refuse"' in html
    assert 'data-action="approve"' not in html
    assert f'value="{submitted.version}"' in html


def test_receiving_through_the_page_redirects_and_changes_the_dossier(login, officer, submitted):
    client = login(officer)
    response = client.post(_url(submitted, "receive"), {"receive-expected_version": submitted.version})
    assert response.status_code == 302 and response["Location"] == _url(submitted)
    submitted.refresh_from_db()
    assert submitted.status == Status.RECEIVED and submitted.due_current is not None
    page = client.get(_url(submitted)).content.decode()
    assert "Đã thực hiện: Tiếp nhận hồ sơ." in page


def test_a_stale_form_is_refused_with_409_and_nothing_changes(login, officer, submitted):
    client = login(officer)
    stale = submitted.version
    client.post(_url(submitted, "receive"), {"receive-expected_version": stale})
    events = DossierEvent.objects.filter(dossier=submitted).count()
    response = client.post(_url(submitted, "refuse"), {"refuse-expected_version": stale, "refuse-reason": "Sai"})
    assert response.status_code == 409
    assert "Hồ sơ vừa được người khác thay đổi. Vui lòng tải lại trang." in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == Status.RECEIVED
    assert DossierEvent.objects.filter(dossier=submitted).count() == events


def test_a_role_that_may_not_act_gets_403_and_nothing_changes(login, leader, submitted):
    response = login(leader).post(_url(submitted, "receive"), {"receive-expected_version": submitted.version})
    assert response.status_code == 403
    assert "Vai trò của bạn không được tiếp nhận hồ sơ." in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_a_missing_reason_is_refused_with_400(login, officer, submitted):
    response = login(officer).post(_url(submitted, "refuse"), {"refuse-expected_version": submitted.version,
                                                               "refuse-reason": ""})
    assert response.status_code == 400
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_a_completion_request_lists_every_item(login, officer, submitted):
    login(officer).post(_url(submitted, "request_completion"), {
        "request_completion-expected_version": submitted.version,
        "request_completion-items": "Tờ khai chưa ký\n\n- Thiếu bản sao giấy chứng sinh",
    })
    submitted.refresh_from_db()
    assert submitted.status == Status.NEEDS_COMPLETION
    assert submitted.supplement_requests.get().items == ["Tờ khai chưa ký", "Thiếu bản sao giấy chứng sinh"]


def test_the_whole_way_through_the_back_office(client, login, cast, officer, specialist, leader, version, commune,
                                               citizen):
    dossier = drive(new_draft(version, commune, citizen), "received", cast)

    def post(user, action, **data):
        client.logout()
        login(user)
        dossier.refresh_from_db()
        payload = {f"{action}-expected_version": dossier.version, **{f"{action}-{k}": v for k, v in data.items()}}
        response = client.post(_url(dossier, action), payload)
        assert response.status_code == 302, response.content.decode()[:2000]

    post(officer, "transfer", specialist=specialist.pk)
    post(specialist, "request_supplement", items="Bản sao căn cước của người yêu cầu")
    post(officer, "supplement", note="Công dân bổ sung tại quầy")
    post(specialist, "submit_for_approval")
    post(leader, "send_back", note="Bổ sung ý kiến xác minh")
    post(specialist, "submit_for_approval")
    post(leader, "approve", result_summary="Cấp giấy xác nhận")
    post(officer, "return_result", method="online")
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED
    assert dossier.supplement_requests.get().answered_at is not None
    assert dossier.timeliness in ("early", "on_time")


@pytest.mark.parametrize("action", ["nonsense", "confirm_payment", "submit", "withdraw"])
def test_unknown_or_citizen_only_actions_are_404(login, officer, submitted, action):
    assert login(officer).post(_url(submitted, action), {}).status_code == 404


def test_the_page_needs_a_post_for_actions_and_a_staff_login(client, login, citizen, submitted, officer):
    assert client.get(_url(submitted)).status_code == 302  # to the login page
    login(citizen)
    assert client.get(_url(submitted)).status_code == 403
    client.logout()
    assert login(officer).get(_url(submitted, "receive")).status_code == 405


def test_a_full_process_dossier_with_fees_prompts_for_payment_after_receipt(login, officer, cast, commune, citizen):
    from tests.factories import make_procedure

    version = make_procedure(agency=commune, fee=3_000)
    dossier = drive(new_draft(version, commune, citizen), Status.RECEIVED, cast)
    html = login(officer).get(_url(dossier)).content.decode()
    assert "Thủ tục toàn trình có phí, lệ phí (3.000 đ)" in html
    assert 'name="request_payment-amount" value="3000"' in html


def test_a_partial_process_dossier_awaiting_payment_links_to_the_counter(login, officer, cast, commune, citizen):
    from procedures.models import ServiceLevel
    from tests.factories import make_procedure

    version = make_procedure(agency=commune, fee=8_000, service_level=ServiceLevel.PARTIAL)
    dossier = drive(new_draft(version, commune, citizen), Status.AWAITING_PAYMENT, cast)
    html = login(officer).get(_url(dossier)).content.decode()
    assert f"/payments/dossier/{dossier.code}/counter/" in html and "Thu phí tại quầy" in html
    assert 'data-action="record_in_person_step"' in html


def test_an_apology_through_the_page_and_the_refusal_after_the_last_day(login, specialist, cast, version, commune,
                                                                         citizen):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    import time_machine

    vn = ZoneInfo("Asia/Ho_Chi_Minh")
    with time_machine.travel(datetime(2026, 3, 9, 9, tzinfo=vn), tick=False):  # due Thu 12/03 17:00
        dossier = drive(new_draft(version, commune, citizen), Status.PROCESSING, cast)
    client = login(specialist)
    payload = {"apologise-expected_version": dossier.version, "apologise-reason": "Cần xác minh nơi cư trú cũ",
               "apologise-new_due": "2026-03-19"}
    with time_machine.travel(datetime(2026, 3, 12, 8, tzinfo=vn), tick=False):
        assert 'data-action="apologise"' not in client.get(_url(dossier)).content.decode()
        refused = client.post(_url(dossier, "apologise"), payload)
    assert refused.status_code == 409 and "11/03/2026" in refused.content.decode()
    with time_machine.travel(datetime(2026, 3, 11, 10, tzinfo=vn), tick=False):
        assert client.post(_url(dossier, "apologise"), payload).status_code == 302
        page = client.get(_url(dossier)).content.decode()
    dossier.refresh_from_db()
    assert dossier.due_current == datetime(2026, 3, 19, 17, tzinfo=vn)
    assert "Đã xin lỗi và hẹn lại ngày trả: 19/03/2026." in page
    assert 'data-action="apologise"' not in page  # only once
