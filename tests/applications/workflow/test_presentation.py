"""Plain-Vietnamese timeline lines: citizens see what concerns them, staff see the internal notes too."""

from __future__ import annotations

from django.template.loader import render_to_string

from applications.models import Status
from tests.applications.workflow.conftest import call, drive, new_draft


def test_the_timeline_speaks_plainly_and_keeps_internal_notes_for_staff(cast, version, commune, citizen):
    dossier = drive(new_draft(version, commune, citizen), Status.PENDING_APPROVAL, cast)
    call("send_back", dossier, cast, note="Ghi chú nội bộ: kiểm tra lại chữ ký")
    call("request_supplement", dossier, cast, items=["Bản chụp căn cước"])
    events = list(dossier.events.all())

    public = [event for event in events if event.is_public]
    citizen_html = render_to_string("applications/includes/_timeline.html", {"events": public})
    assert "Hồ sơ được tiếp nhận, có giấy hẹn trả kết quả" in citizen_html
    assert "Yêu cầu bổ sung giấy tờ (tạm dừng tính thời hạn)" in citizen_html
    assert "Bản chụp căn cước" in citizen_html
    assert "Ghi chú nội bộ" not in citizen_html
    assert cast.officer.full_name not in citizen_html  # citizens see roles, not officers' names
    assert "Cán bộ Một cửa" in citizen_html

    staff_html = render_to_string("applications/includes/_timeline.html", {"events": events, "viewer": "staff"})
    assert "Ghi chú nội bộ: kiểm tra lại chữ ký" in staff_html
    assert cast.officer.full_name in staff_html and "nội bộ" in staff_html


def test_the_deadline_clock_shows_a_pause(cast, version, commune, citizen):
    dossier = drive(new_draft(version, commune, citizen), Status.SUPPLEMENT_REQUESTED, cast)
    html = render_to_string("applications/includes/_deadline_clock.html", {"dossier": dossier})
    assert "Tạm dừng tính thời hạn" in html and "Hẹn trả ban đầu" in html
    assert "Chờ bổ sung hồ sơ" in html
