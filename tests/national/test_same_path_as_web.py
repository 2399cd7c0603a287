"""A national dossier walks the same path as a web filing: the same services write the same rows."""

from __future__ import annotations

import uuid

import pytest

from django.core.files.uploadedfile import SimpleUploadedFile

from applications.filing import attachments_add_batch, dossier_file, draft_create, draft_save_eform
from applications.models import Channel
from national.inbound import inbound_receive
from tests.factories import make_procedure
from tests.national.test_inbound import PDF, national_dossier

pytestmark = pytest.mark.django_db


def _rows(dossier) -> dict:
    return {
        "status": dossier.status, "version": dossier.version, "has_code": bool(dossier.code),
        "events": [(e.action, e.from_status, e.to_status) for e in dossier.events.order_by("pk")],
        "papers": [(a.component.order if a.component else None, a.content_type, a.size, a.sha256, a.page)
                   for a in dossier.attachments.order_by("pk")],
        "syncs": [(s.version, s.status_code) for s in dossier.national_syncs.order_by("pk")],
        "form": dossier.form_data, "consent": dossier.consent_at is not None,
    }


def test_web_and_national_filings_write_the_same_rows(commune, citizen, settings):
    settings.NATIONAL_INBOUND_TOKEN = "t"
    version = make_procedure(agency=commune)
    answers = {"child_name": "Trần Văn An", "birth_date": "2026-11-20"}
    web = draft_create(version, commune, owner=citizen, filed_by=citizen, applicant_name="Trần Thị Bình",
                       applicant_id_number="001090000123", applicant_phone="0912345678")
    draft_save_eform(web, answers)
    component = version.components.get(order=1)
    attachments_add_batch(web, [(component, SimpleUploadedFile("to-khai.pdf", PDF))], by=citizen)
    dossier_file(web, actor=citizen, submit_token=uuid.uuid4())

    row, filed = inbound_receive(national_dossier(version, commune, DuLieuToKhai=answers))

    national = row.dossier
    assert filed and national.channel == Channel.NATIONAL and web.channel == Channel.ONLINE
    web_rows, national_rows = _rows(web), _rows(national)
    assert national_rows == web_rows
