"""The back office's stop decision, the counter's stop request and the legal extension, through HTTP."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from applications.models import Event, Extension, Status
from tests.applications.officer.conftest import call, drive, new_draft

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def _url(dossier, action=None):
    base = f"/officer/dossiers/{dossier.code}/"
    return f"{base}actions/{action}/" if action else base


def _post(client, dossier, action, **data):
    dossier.refresh_from_db()
    return client.post(_url(dossier, action), {
        f"{action}-expected_version": dossier.version, **{f"{action}-{key}": value for key, value in data.items()}})


def test_the_leader_sees_the_request_and_declines_it_with_a_reason(login, leader, cast, version, commune, citizen):
    dossier = drive(new_draft(version, commune, citizen), Status.PENDING_APPROVAL, cast)
    call("request_stop", dossier, cast, reason="Tôi đã chuyển nơi cư trú")
    client = login(leader)

    page = client.get(_url(dossier)).content.decode()
    assert "data-stop-request" in page and "Tôi đã chuyển nơi cư trú" in page
    assert 'data-action="decline_stop"' in page and 'data-action="stop"' in page

    refused = _post(client, dossier, "decline_stop", reason="")
    assert refused.status_code == 400
    assert _post(client, dossier, "decline_stop", reason="Đã có kết quả xác minh").status_code == 302

    dossier.refresh_from_db()
    assert dossier.status == Status.PENDING_APPROVAL
    page = client.get(_url(dossier)).content.decode()
    assert "Không chấp thuận đề nghị dừng, tiếp tục giải quyết hồ sơ" in page and "Đã có kết quả xác minh" in page


def test_an_officer_records_a_walk_in_request_but_cannot_decide_it(login, officer, cast, version, commune, citizen):
    dossier = drive(new_draft(version, commune, citizen), Status.PROCESSING, cast)
    client = login(officer)

    assert _post(client, dossier, "request_stop", reason="Đơn đề nghị dừng nộp tại quầy").status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.STOP_REQUESTED
    assert dossier.events.latest("pk").on_behalf_of == dossier.applicant_name

    before = dossier.version
    assert _post(client, dossier, "stop").status_code == 403
    assert _post(client, dossier, "decline_stop", reason="x").status_code == 403
    dossier.refresh_from_db()
    assert (dossier.status, dossier.version) == (Status.STOP_REQUESTED, before)


def test_the_leader_stops_the_dossier_and_the_notice_is_issued(login, leader, cast, version, commune, citizen):
    dossier = drive(new_draft(version, commune, citizen), Status.STOP_REQUESTED, cast)
    assert _post(login(leader), dossier, "stop").status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.STOPPED
    assert dossier.documents.get(kind="stop").issued_by == leader


@pytest.fixture
def marital(version):
    version.extension_max_days = 20
    version.extension_basis = "Điều 22 Nghị định 123/2015/NĐ-CP"
    version.save(update_fields=["extension_max_days", "extension_basis"])
    return version


def test_a_specialist_records_an_extension_and_the_page_shows_the_new_date_not_lateness(
    login, specialist, cast, marital, commune, citizen, django_assert_max_num_queries
):
    with time_machine.travel(datetime(2026, 3, 10, 9, tzinfo=VN), tick=False):  # due Fri 13/03 17:00
        dossier = drive(new_draft(marital, commune, citizen), Status.PROCESSING, cast)
    client = login(specialist)
    with time_machine.travel(datetime(2026, 3, 12, 9, tzinfo=VN), tick=False):
        page = client.get(_url(dossier)).content.decode()
        assert 'data-action="extend"' in page and 'name="extend-days" value="20"' in page
        assert _post(client, dossier, "extend", days=30, reason="Xác minh").status_code == 400
        assert _post(client, dossier, "extend", days=3, reason="Xác minh tại nơi cư trú trước đây").status_code == 302
    with time_machine.travel(datetime(2026, 3, 16, 9, tzinfo=VN), tick=False):  # past the original date
        client = login(specialist)  # a new session: the idle timeout ended the old one
        with django_assert_max_num_queries(26):
            page = client.get(_url(dossier)).content.decode()
    dossier.refresh_from_db()
    assert dossier.due_current == datetime(2026, 3, 18, 17, tzinfo=VN)
    assert Extension.objects.get(dossier=dossier).days == 3
    assert "gia hạn theo quy định 3 ngày làm việc" in page and "18/03/2026" in page
    assert "Quá hạn" not in page
    assert dossier.events.filter(action=Event.EXTENDED).count() == 1
