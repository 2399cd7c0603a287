"""Ten thousand characters in a text field must not hang the renderer (Open Forms #4255)."""

from __future__ import annotations

import subprocess
import time

import pytest

from applications.documents import document_request
from applications.models import DocumentKind, DocumentState
from applications.slips import MAX_TEXT_CHARS
from tests.documents.conftest import add_event, pdf_text

pytestmark = pytest.mark.django_db
HUGE_PROSE = ("Hồ sơ thiếu chữ ký của người yêu cầu và bản sao giấy tờ tùy thân. " * 160)[:10_000]
HUGE_WORD = "Đ" * 10_000  # no space anywhere: the worst case for line breaking


@pytest.mark.parametrize("text", [HUGE_PROSE, HUGE_WORD], ids=["prose", "one-word"])
@pytest.mark.parametrize(("kind", "action", "payload"), [
    (DocumentKind.REFUSAL, "refused", "reason"),
    (DocumentKind.SUPPLEMENT, "supplement_requested", "items"),
])
def test_a_10000_character_field_renders_quickly_and_says_it_was_shortened(
    received_dossier, officer, django_capture_on_commit_callbacks, text, kind, action, payload
):
    data = {"reason": text} if payload == "reason" else {"items": [text] * 100}
    event = add_event(received_dossier, action, officer, data=data)

    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        document = document_request(received_dossier, kind, source_key=f"event:{event.pk}", issued_by=officer)
    elapsed = time.monotonic() - started

    document.refresh_from_db()
    assert document.state == DocumentState.READY, document.error
    assert elapsed < 15, f"rendering took {elapsed:.1f}s"
    assert "Nội dung quá dài đã được rút gọn" in pdf_text(document.file.path)
    pages = subprocess.run(["pdfinfo", document.file.path], capture_output=True, text=True, check=True).stdout
    assert int(pages.split("Pages:")[1].split()[0]) <= 15
    stored = document.context.get("reason") or document.context["items"][0]
    assert len(stored) < MAX_TEXT_CHARS + 200


def test_a_huge_e_form_answer_is_capped_on_the_e_result(commune, citizen, leader, django_capture_on_commit_callbacks):
    from tests.factories import make_dossier, make_procedure

    dossier = make_dossier(make_procedure(agency=commune), commune, citizen, status="approved",
                           form_data={"child_name": HUGE_PROSE, "birth_date": "2026-01-05"},
                           result_summary=HUGE_WORD)
    event = add_event(dossier, "approved", leader)

    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        document = document_request(dossier, DocumentKind.RESULT, source_key=f"event:{event.pk}", issued_by=leader)

    document.refresh_from_db()
    assert document.state == DocumentState.READY, document.error
    assert time.monotonic() - started < 15
