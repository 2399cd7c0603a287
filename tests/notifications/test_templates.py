"""Every event has a template on each of its channels, in Vietnamese and English, and each renders."""

from __future__ import annotations

import pytest

from applications.notifications import ROUTES, STAFF_TEMPLATE_EVENTS, TEMPLATE_EVENTS
from notifications.models import NotificationTemplate
from notifications.services import render_template

SAMPLE = {
    "dossier_code": "000.01.01.H99-260105-0001", "procedure_name": "Đăng ký khai sinh", "agency_name": "UBND xã An Phú",
    "applicant_name": "Nguyễn Văn An", "recipient_name": "Nguyễn Văn An", "received_at": "08:30 05/01/2026",
    "appointment": "17:00 08/01/2026", "items": ["Bản sao Giấy chứng sinh", "Sửa ngày sinh"],
    "reason": "Hồ sơ thiếu chữ ký", "note": "Bổ sung ý kiến", "amount": 50000, "new_date": "17:00 13/01/2026",
    "return_method": "trực tuyến", "result_delivery_note": "Tải trên cổng.", "result_delivery_note_en": "Download it.",
    "today": "05/01/2026", "due_soon": [{"code": "A-1", "procedure": "Khai sinh", "due": "17:00 06/01/2026"}],
    "overdue": [{"code": "A-2", "procedure": "Khai tử", "due": "17:00 02/01/2026"}],
    "link": "https://dichvucong.example.vn/dossiers/A-1/",
}
CITIZEN_EVENTS = sorted({template for routes in ROUTES.values() for audience, template in routes if audience == "citizen"})


def test_the_brief_events_all_have_routes():
    assert set(ROUTES) == {
        "submitted", "withdrawn", "received", "completion_requested", "refused", "transferred", "supplement_requested",
        "supplemented", "payment_requested", "payment_confirmed", "submitted_for_approval", "sent_back", "approved",
        "not_eligible", "apologised", "stop_requested", "stopped", "result_returned", "extended", "stop_declined",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("event", TEMPLATE_EVENTS)
@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_template_renders_in_both_languages(event, language):
    channels = ("email", "sms", "in_app") if event in CITIZEN_EVENTS else ("email", "in_app")
    templates = {row.channel: row for row in NotificationTemplate.objects.filter(event=event, language=language)}

    assert set(templates) == set(channels)
    for channel in channels:
        subject, body = render_template(templates[channel], SAMPLE)
        assert "{{" not in subject + body and "{%" not in subject + body
        assert body
        if channel != "sms":
            assert subject
        if event not in STAFF_TEMPLATE_EVENTS:
            assert "000.01.01.H99-260105-0001" in subject + body


@pytest.mark.django_db
def test_vietnamese_templates_keep_their_diacritics_and_list_every_item():
    template = NotificationTemplate.objects.get(event="supplement_requested", channel="email", language="vi")

    subject, body = render_template(template, SAMPLE)

    assert subject == "[Cổng Dịch vụ công] Hồ sơ 000.01.01.H99-260105-0001 cần bổ sung giấy tờ"
    assert "- Bản sao Giấy chứng sinh\n- Sửa ngày sinh" in body
    assert "Kính gửi Nguyễn Văn An," in body


@pytest.mark.django_db
def test_a_broken_admin_edit_queues_nothing_instead_of_failing_the_transition(citizen):
    from notifications.models import Notification
    from notifications.services import notification_queue

    NotificationTemplate.objects.filter(event="received", channel="in_app", language="vi").update(body="{% if %}")

    row = notification_queue(event="received", channel="in_app", dedupe_key="k", context=SAMPLE, recipient=citizen)

    assert row is None
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_a_missing_template_row_falls_back_to_the_built_in_wording_but_a_disabled_one_stays_off(citizen):
    from notifications.services import notification_queue

    NotificationTemplate.objects.filter(event="received", channel="in_app").delete()
    NotificationTemplate.objects.filter(event="refused", channel="in_app").update(is_active=False)

    received = notification_queue(event="received", channel="in_app", dedupe_key="a", context=SAMPLE, recipient=citizen)
    refused = notification_queue(event="refused", channel="in_app", dedupe_key="b", context=SAMPLE, recipient=citizen)

    assert received.subject == "Hồ sơ 000.01.01.H99-260105-0001 đã được tiếp nhận"
    assert received.template_version == 0
    assert refused is None
