from __future__ import annotations

import base64

import pytest
from rest_framework.test import APIClient

from api.keys import api_key_issue
from tests.applications.filing.builders import VALID_ID, pdf_bytes
from tests.factories import make_procedure


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def officer_key(officer, commune) -> str:
    return api_key_issue(name="Phần mềm một cửa An Phú", agency=commune, user=officer)[1]


@pytest.fixture
def other_officer_key(other_officer, other_commune) -> str:
    return api_key_issue(name="Phần mềm một cửa Bình Minh", agency=other_commune, user=other_officer)[1]


@pytest.fixture
def version(commune):
    return make_procedure(agency=commune)


def filing_body(version, agency, **overrides) -> dict:
    component = version.components.order_by("order").first()
    body = {
        "procedure": version.procedure.code,
        "applicant": {
            "agency": agency.pk, "applicant_name": "Nguyễn Văn An", "applicant_id_number": VALID_ID,
            "applicant_phone": "0912000001", "result_delivery": "online",
        },
        "answers": {"child_name": "Nguyễn Văn Bé", "birth_date": "2026-01-05"},
        "attachments": [{"component": component.pk, "name": "to-khai.pdf",
                         "content_base64": base64.b64encode(pdf_bytes()).decode()}],
        "processing_notice_acknowledged": True,
    }
    body.update(overrides)
    return body
