"""Who may open a document: the owner downloads, the agency's staff print, everyone else gets 404."""

from __future__ import annotations

import pytest

from django.core.files.base import ContentFile

from applications import workflow
from applications.documents import document_request
from applications.models import Document, DocumentKind, DocumentState
from tests.documents.conftest import add_event, pdf_text
from tests.factories import make_dossier, make_procedure

pytestmark = pytest.mark.django_db


@pytest.fixture
def receipt(received_dossier, officer, django_capture_on_commit_callbacks) -> Document:
    event = add_event(received_dossier, "received", officer)
    with django_capture_on_commit_callbacks(execute=True):
        document = document_request(received_dossier, DocumentKind.RECEIPT, source_key=f"event:{event.pk}",
                                    issued_by=officer)
    document.refresh_from_db()
    return document


def citizen_url(document):
    return f"/dossiers/{document.dossier.code}/documents/{document.pk}/"


def staff_url(document):
    return f"/officer/dossiers/{document.dossier.code}/documents/{document.pk}/"


def test_the_owner_downloads_the_pdf(client, citizen, receipt):
    client.force_login(citizen)

    response = client.get(citizen_url(receipt))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert "no-store" in response["Cache-Control"]


def test_the_agencys_officer_opens_it_for_printing(client, officer, receipt):
    client.force_login(officer)

    response = client.get(staff_url(receipt))

    assert response.status_code == 200
    assert "inline" in response["Content-Disposition"]


def test_the_printable_page_shows_the_slip(client, officer, receipt):
    client.force_login(officer)

    page = client.get(staff_url(receipt) + "print/").content.decode()

    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in page.upper() or "Giấy tiếp nhận hồ sơ" in page
    assert "/static/css/print.css" in page
    assert "<style" not in page and "<script" not in page


@pytest.mark.parametrize("persona", ["other_citizen", "other_officer", "other_specialist"])
def test_another_citizen_or_another_communes_staff_get_404(client, request, receipt, persona):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(citizen_url(receipt)).status_code in (403, 404)
    assert client.get(staff_url(receipt)).status_code in (403, 404)
    assert client.get(staff_url(receipt) + "print/").status_code in (403, 404)


def test_wrong_owner_gets_404_not_403(client, other_citizen, receipt):
    client.force_login(other_citizen)

    assert client.get(citizen_url(receipt)).status_code == 404


def test_other_communes_officer_gets_404_not_403(client, other_officer, receipt):
    client.force_login(other_officer)

    assert client.get(staff_url(receipt)).status_code == 404


def test_a_pending_document_cannot_be_downloaded_yet(client, citizen, receipt):
    Document.objects.filter(pk=receipt.pk).update(state=DocumentState.PENDING)
    client.force_login(citizen)

    assert client.get(citizen_url(receipt)).status_code == 404


def test_the_documents_list_polls_while_a_document_is_being_made(client, citizen, receipt):
    client.force_login(citizen)
    url = f"/dossiers/{receipt.dossier.code}/documents/"
    Document.objects.filter(pk=receipt.pk).update(state=DocumentState.PENDING)

    pending = client.get(url).content.decode()
    Document.objects.filter(pk=receipt.pk).update(state=DocumentState.READY)
    ready = client.get(url).content.decode()

    assert "Đang tạo…" in pending and 'hx-trigger="every 2s"' in pending
    assert 'hx-trigger' not in ready and citizen_url(receipt) in ready


def test_an_officer_issues_the_control_sheet_on_demand_once_per_dossier_version(
    client, officer, received_dossier, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    url = f"/officer/dossiers/{received_dossier.code}/documents/issue/control_sheet/"

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url)
        client.post(url)

    assert first.status_code == 302
    sheets = Document.objects.filter(dossier=received_dossier, kind=DocumentKind.CONTROL_SHEET)
    assert sheets.count() == 1 and sheets.get().state == DocumentState.READY


def test_on_demand_issue_refuses_other_kinds_get_and_other_communes(client, officer, other_officer, received_dossier):
    client.force_login(officer)
    base = f"/officer/dossiers/{received_dossier.code}/documents/issue/"

    assert client.post(base + "receipt/").status_code == 404
    assert client.get(base + "control_sheet/").status_code == 405
    client.force_login(other_officer)
    assert client.post(base + "control_sheet/").status_code == 404
    assert not Document.objects.filter(kind=DocumentKind.CONTROL_SHEET).exists()


# --- Which papers the citizen may see -------------------------------------------------------------

CITIZEN_KINDS = [
    DocumentKind.RECEIPT, DocumentKind.SUPPLEMENT, DocumentKind.REFUSAL, DocumentKind.APOLOGY, DocumentKind.STOP,
    DocumentKind.NOT_ELIGIBLE, DocumentKind.RESULT, DocumentKind.PAYMENT_RECEIPT,
]
INTERNAL_KINDS = [DocumentKind.CONTROL_SHEET, DocumentKind.TRACKING_BOOK]


def ready_document(dossier, kind) -> Document:
    document = Document(dossier=dossier, kind=kind, source_key=f"test:{kind}", state=DocumentState.READY,
                        context={"title": f"Văn bản {kind}"})
    document.file.save(f"{kind}.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    return document


@pytest.mark.parametrize("kind", CITIZEN_KINDS)
def test_the_owner_may_download_each_paper_addressed_to_them(client, citizen, received_dossier, kind):
    document = ready_document(received_dossier, kind)
    client.force_login(citizen)

    assert client.get(citizen_url(document)).status_code == 200
    assert citizen_url(document) in client.get(f"/dossiers/{received_dossier.code}/documents/").content.decode()


@pytest.mark.parametrize("kind", INTERNAL_KINDS)
def test_the_agencys_internal_registers_are_hidden_from_the_owner(client, citizen, officer, received_dossier, kind):
    document = ready_document(received_dossier, kind)
    client.force_login(citizen)

    assert client.get(citizen_url(document)).status_code == 404
    assert f"Văn bản {kind}" not in client.get(f"/dossiers/{received_dossier.code}/documents/").content.decode()
    assert f"Văn bản {kind}" not in client.get(f"/dossiers/{received_dossier.code}/").content.decode()
    client.force_login(officer)
    assert client.get(staff_url(document)).status_code == 200


def test_an_internal_note_on_the_control_sheet_never_reaches_the_citizen(
    client, citizen, officer, specialist, commune, django_capture_on_commit_callbacks
):
    dossier = make_dossier(make_procedure(agency=commune), commune, citizen)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.dossier_receive(dossier, actor=officer, expected_version=dossier.version)
        workflow.dossier_transfer(dossier, actor=officer, expected_version=dossier.version, specialist=specialist)
        workflow.dossier_submit_for_approval(dossier, actor=specialist, expected_version=dossier.version,
                                             note="Nội bộ: hộ này còn nợ thuế đất")
        document_request(dossier, DocumentKind.CONTROL_SHEET, source_key=f"control_sheet:{dossier.pk}",
                         issued_by=officer)
    sheet = Document.objects.get(dossier=dossier, kind=DocumentKind.CONTROL_SHEET)
    assert "Nội bộ: hộ này còn nợ thuế đất" in pdf_text(sheet.file.path)  # the agency's own record keeps it

    client.force_login(citizen)
    assert client.get(citizen_url(sheet)).status_code == 404
    assert citizen_url(sheet) not in client.get(f"/dossiers/{dossier.code}/").content.decode()


def test_the_dossier_page_marks_which_pdf_is_the_result(client, citizen, officer, received_dossier):
    ready_document(received_dossier, DocumentKind.RECEIPT)
    result = ready_document(received_dossier, DocumentKind.RESULT)

    for user, url in ((citizen, f"/dossiers/{received_dossier.code}/"),
                      (officer, f"/officer/dossiers/{received_dossier.code}/")):
        client.force_login(user)
        page = client.get(url).content.decode()
        marked = page.split("data-result-badge", 1)
        assert len(marked) == 2 and page.count("data-result-badge") == 1
        # the badge sits in the result's own row
        row_start = marked[0].rfind("<li")
        assert 'data-kind="result"' in marked[0][row_start:]
        assert str(result.pk) in marked[1].split("</li>", 1)[0]
