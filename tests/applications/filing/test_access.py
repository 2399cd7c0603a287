"""Every dossier and attachment URL, tried by someone who must not see it: always 404, nothing changes."""

import pytest

from applications.filing import attachment_add, draft_create
from applications.models import Attachment, Channel, Dossier, Status
from tests.applications.filing.builders import draft_for, image_bytes, pdf_bytes, submitted, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def filed(version, commune, citizen):
    return submitted(version, commune, citizen)


@pytest.fixture
def draft(version, commune, citizen):
    dossier = draft_for(version, commune, citizen)
    attachment_add(dossier, version.components.first(), upload("1.pdf", pdf_bytes()), by=citizen)
    return dossier


def citizen_urls(filed, draft):
    attachment = draft.attachments.get()
    return [
        ("get", f"/dossiers/{filed.code}/"),
        ("get", f"/dossiers/{filed.code}/submitted/"),
        ("post", f"/dossiers/{filed.code}/withdraw/"),
        ("post", f"/dossiers/{filed.code}/stop/"),
        ("post", f"/dossiers/{filed.code}/supplement/"),
        ("post", f"/dossiers/{filed.code}/supplement/upload/"),
        ("post", f"/dossiers/{filed.code}/supplement/{filed.attachments.first().pk}/remove/"),
        ("get", f"/dossiers/draft/{draft.pk}/applicant/"),
        ("get", f"/dossiers/draft/{draft.pk}/form/"),
        ("get", f"/dossiers/draft/{draft.pk}/attachments/"),
        ("get", f"/dossiers/draft/{draft.pk}/review/"),
        ("post", f"/dossiers/draft/{draft.pk}/review/"),
        ("post", f"/dossiers/draft/{draft.pk}/delete/"),
        ("post", f"/dossiers/draft/{draft.pk}/attachments/{attachment.pk}/remove/"),
        ("get", f"/attachments/{attachment.pk}/"),
        ("get", f"/attachments/{filed.attachments.first().pk}/"),
    ]


def snapshot():
    return list(Dossier.objects.order_by("pk").values_list("pk", "status", "version")), Attachment.objects.count()


def test_another_citizen_gets_404_on_every_dossier_and_attachment_url(client, other_citizen, filed, draft):
    client.force_login(other_citizen)
    before = snapshot()
    for method, url in citizen_urls(filed, draft):
        response = getattr(client, method)(url, {"expected_version": 1, "reason": "x", "note": "x"} if method == "post" else None)
        assert response.status_code == 404, (method, url, response.status_code)
    assert snapshot() == before


def test_the_owner_reaches_the_same_urls(client, citizen, filed, draft):
    client.force_login(citizen)
    for method, url in citizen_urls(filed, draft):
        if method == "get":
            assert client.get(url).status_code in (200, 302), url


def test_the_other_communes_officer_gets_404_for_attachments_and_dossiers(client, other_officer, filed, draft):
    client.force_login(other_officer)
    for attachment in Attachment.objects.all():
        assert client.get(f"/attachments/{attachment.pk}/").status_code == 404
    assert client.get(f"/officer/dossiers/{filed.code}/").status_code == 404


def test_citizen_pages_are_refused_to_staff_without_revealing_anything(client, other_officer, filed):
    client.force_login(other_officer)
    response = client.get(f"/dossiers/{filed.code}/")
    assert response.status_code == 403
    assert filed.applicant_name not in response.content.decode()


def test_the_handling_communes_officer_opens_the_attachment(client, officer, filed):
    client.force_login(officer)
    attachment = filed.attachments.first()
    response = client.get(f"/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_an_attachment_is_served_with_its_sniffed_type_inline_and_nosniff(client, citizen, version, commune):
    dossier = draft_for(version, commune, citizen)
    image = attachment_add(dossier, version.components.first(), upload("anh.pdf", image_bytes("PNG")), by=citizen)
    client.force_login(citizen)
    response = client.get(f"/attachments/{image.pk}/")
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline") and "anh.png" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]


def test_anonymous_visitors_get_404_for_attachments(client, filed):
    assert client.get(f"/attachments/{filed.attachments.first().pk}/").status_code == 404


def test_guided_drafts_are_404_for_the_other_communes_officer(client, officer, other_officer, version, commune):
    dossier = draft_create(version, commune, owner=None, filed_by=officer, channel=Channel.IN_PERSON)
    attachment = attachment_add(dossier, version.components.first(), upload("1.pdf", pdf_bytes()), by=officer,
                                is_digitised=True)
    client.force_login(other_officer)
    for step in ("applicant", "form", "attachments", "review"):
        assert client.get(f"/officer/guided/{dossier.pk}/{step}/").status_code == 404
    assert client.post(f"/officer/guided/{dossier.pk}/delete/").status_code == 404
    assert client.post(f"/officer/guided/{dossier.pk}/attachments/{attachment.pk}/remove/").status_code == 404
    assert client.get(f"/attachments/{attachment.pk}/").status_code == 404
    assert Dossier.objects.filter(pk=dossier.pk, status=Status.DRAFT).exists() and dossier.attachments.count() == 1
