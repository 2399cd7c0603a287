"""HTML or script typed into a text field is shown as text everywhere: citizen and officer pages."""

import uuid

import pytest

from applications.filing import dossier_file, draft_update
from tests.applications.filing.builders import draft_for, make_complete

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("xss")</script>'


@pytest.fixture
def hostile(version, commune, citizen):
    dossier = make_complete(draft_for(version, commune, citizen), citizen)
    draft_update(dossier, {
        "applicant_name": SCRIPT, "applicant_address": '"><img src=x onerror=alert(1)>',
        "subject_relation": "child", "subject_name": SCRIPT,
        "form_data": {"child_name": SCRIPT, "birth_date": "2026-01-05"},
    })
    return dossier


def assert_escaped(html: str) -> None:
    assert SCRIPT not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(" in html


def test_the_citizens_review_dossier_and_list_pages_escape_text_fields(client, citizen, hostile):
    client.force_login(citizen)
    assert_escaped(client.get(f"/dossiers/draft/{hostile.pk}/review/").content.decode())
    assert_escaped(client.get(f"/dossiers/draft/{hostile.pk}/applicant/").content.decode())
    assert_escaped(client.get(f"/dossiers/draft/{hostile.pk}/form/").content.decode())
    dossier_file(hostile, actor=citizen, submit_token=uuid.uuid4(), consent=True)
    assert_escaped(client.get(f"/dossiers/{hostile.code}/").content.decode())
    assert_escaped(client.get("/dossiers/").content.decode())


def test_the_officers_pages_escape_text_fields(client, citizen, officer, hostile):
    dossier_file(hostile, actor=citizen, submit_token=uuid.uuid4(), consent=True)
    client.force_login(officer)
    page = client.get(f"/officer/dossiers/{hostile.code}/")
    assert page.status_code == 200
    assert_escaped(page.content.decode())
    queue = client.get("/officer/").content.decode()
    assert SCRIPT not in queue and "<img src=x" not in queue


def test_the_guided_review_page_escapes_text_fields(client, officer, version, commune):
    from applications.filing import draft_create
    from applications.models import Channel

    dossier = draft_create(version, commune, owner=None, filed_by=officer, channel=Channel.IN_PERSON,
                           applicant_name=SCRIPT, form_data={"child_name": SCRIPT})
    client.force_login(officer)
    assert_escaped(client.get(f"/officer/guided/{dossier.pk}/review/").content.decode())
