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
        "result_posted", "postal_delivered", "postal_undelivered", "attachment_infected", "attachment_infected_draft",
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


# --- Plain text: quotes, "&" and "<" arrive as typed ------------------------------------------

TRICKY_NAME = 'Nguyễn "Bé" & <Con>'
TRICKY_TEXT = {
    "applicant_name": TRICKY_NAME, "recipient_name": TRICKY_NAME, "agency_name": 'UBND xã "An" & <Phú>',
    "procedure_name": 'Khai sinh "A" & <B>', "reason": 'Thiếu "bản gốc" & <chữ ký>', "note": 'Xem "mục 2" & <3>',
    "return_method": '"bưu điện" & <VNPost>', "result_delivery_note": 'Nhận "tại" & <quầy>',
    "result_delivery_note_en": 'At "the" & <counter>', "portal_name": 'Cổng "DVC" & <Hòa An>',
}
TRICKY_ITEMS = ['Bản sao "Giấy chứng sinh" & <CMND>', "Sửa <ngày> sinh"]
TRICKY_ROWS = [{"code": "A-1", "procedure": 'Khai "sinh" & <x>', "due": "17:00 06/01/2026"}]
EVERY_TEMPLATE = [
    (event, channel, language) for event, channel, language, _subject, _body in __import__(
        "notifications.defaults", fromlist=["default_templates"]).default_templates()
]


def _context(text: dict, items: list, rows: list) -> dict:
    return {**SAMPLE, **text, "items": items, "due_soon": rows, "overdue": rows, "valid_minutes": 60,
            "link": "https://dichvucong.example.vn/r/?a=1&b=2"}


@pytest.mark.django_db
@pytest.mark.parametrize("event, channel, language", EVERY_TEMPLATE)
def test_every_template_renders_names_with_quotes_ampersands_and_angles_exactly(event, channel, language):
    """Rendered once with markers and once with tricky text: the two differ only by the substitution,
    so nothing was escaped (no `&quot;`, `&amp;`, `&lt;`) in subjects, emails or SMS."""
    template = NotificationTemplate(**dict(zip(
        ("event", "channel", "language", "subject", "body"),
        next(row for row in __import__("notifications.defaults", fromlist=["x"]).default_templates()
             if row[:3] == (event, channel, language)), strict=True)))
    markers = {key: f"@{key}@" for key in TRICKY_TEXT}
    marked_subject, marked_body = render_template(
        template, _context(markers, ["@item0@", "@item1@"], [{**TRICKY_ROWS[0], "procedure": "@row@"}]))

    subject, body = render_template(template, _context(TRICKY_TEXT, TRICKY_ITEMS, TRICKY_ROWS))

    def substitute(text: str) -> str:
        for key, value in TRICKY_TEXT.items():
            text = text.replace(markers[key], value)
        text = text.replace("@item0@", TRICKY_ITEMS[0]).replace("@item1@", TRICKY_ITEMS[1])
        return text.replace("@row@", TRICKY_ROWS[0]["procedure"])

    assert (subject, body) == (substitute(marked_subject), substitute(marked_body))
    assert "&quot;" not in subject + body and "&amp;" not in subject + body and "&lt;" not in subject + body
    assert "@" not in substitute(marked_subject + marked_body).replace("@example", "")


@pytest.mark.django_db
def test_the_exact_text_of_an_email_an_sms_and_an_in_app_message_with_a_tricky_name():
    context = _context(TRICKY_TEXT, TRICKY_ITEMS, TRICKY_ROWS)

    email = render_template(NotificationTemplate.objects.get(event="refused", channel="email", language="vi"), context)
    sms = render_template(NotificationTemplate.objects.get(event="refused", channel="sms", language="en"), context)
    in_app = render_template(NotificationTemplate.objects.get(event="refused", channel="in_app", language="vi"), context)

    assert email == (
        '[Cổng "DVC" & <Hòa An>] Hồ sơ 000.01.01.H99-260105-0001 không được tiếp nhận',
        'Kính gửi Nguyễn "Bé" & <Con>,\n\n'
        'UBND xã "An" & <Phú> từ chối tiếp nhận hồ sơ 000.01.01.H99-260105-0001 (Khai sinh "A" & <B>). '
        'Lý do: Thiếu "bản gốc" & <chữ ký>\n\n'
        "Xem chi tiết: https://dichvucong.example.vn/r/?a=1&b=2\n\n"
        'Thư này được gửi tự động từ Cổng "DVC" & <Hòa An>, vui lòng không trả lời.',
    )
    assert sms == (
        "",
        'DVC: UBND xã "An" & <Phú> refused to receive your dossier 000.01.01.H99-260105-0001 (Khai sinh "A" & <B>). '
        'Reason: Thiếu "bản gốc" & <chữ ký> https://dichvucong.example.vn/r/?a=1&b=2',
    )
    assert in_app == (
        "Hồ sơ 000.01.01.H99-260105-0001 không được tiếp nhận",
        'UBND xã "An" & <Phú> từ chối tiếp nhận hồ sơ 000.01.01.H99-260105-0001 (Khai sinh "A" & <B>). '
        'Lý do: Thiếu "bản gốc" & <chữ ký>',
    )


@pytest.mark.django_db
def test_the_sent_email_and_sms_carry_the_plain_text(citizen, django_capture_on_commit_callbacks):
    from django.core import mail

    from notifications.models import Notification
    from notifications.services import notification_queue

    with django_capture_on_commit_callbacks(execute=True):
        notification_queue(event="password_reset", channel="email", dedupe_key="t1", to_address="a@example.vn",
                           context={"recipient_name": TRICKY_NAME, "valid_minutes": 60}, link="/x/?a=1&b=2")
        notification_queue(event="password_reset", channel="sms", dedupe_key="t2", to_address="0912000001",
                           context={"recipient_name": TRICKY_NAME, "valid_minutes": 60}, link="/x/?a=1&b=2")

    [sent] = mail.outbox
    assert sent.body.startswith('Kính gửi Nguyễn "Bé" & <Con>,\n\n')
    assert "/x/?a=1&b=2" in sent.body
    sms = Notification.objects.get(dedupe_key="t2")
    assert sms.body.endswith("/x/?a=1&b=2") and "&amp;" not in sms.body


@pytest.mark.django_db
def test_the_inbox_page_still_escapes_what_it_shows(client, citizen):
    from notifications.services import notification_queue

    notification_queue(event="refused", channel="in_app", dedupe_key="t3", recipient=citizen,
                       context={**SAMPLE, "reason": "<script>alert(1)</script>"})
    client.force_login(citizen)

    page = client.get("/notifications/").content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_an_admin_edit_of_a_template_is_used_at_once_though_wording_is_compiled_once(citizen):
    from notifications.models import NotificationTemplate
    from notifications.services import _compiled, render_template

    template = NotificationTemplate(event="received", channel="email", language="vi", subject="Hồ sơ {{ dossier_code }}",
                                    body="Đã tiếp nhận {{ dossier_code }}.", version=1)
    assert render_template(template, {"dossier_code": "A-1"}) == ("Hồ sơ A-1", "Đã tiếp nhận A-1.")
    hits = _compiled.cache_info().hits
    assert render_template(template, {"dossier_code": "B-2"}) == ("Hồ sơ B-2", "Đã tiếp nhận B-2.")
    assert _compiled.cache_info().hits == hits + 2  # subject and body, not parsed again

    template.body = "Cơ quan đã nhận hồ sơ {{ dossier_code }}."  # the admin edits the wording
    assert render_template(template, {"dossier_code": "C-3"})[1] == "Cơ quan đã nhận hồ sơ C-3."
