"""The citizen's download of their own data: every dossier they own with its answers, events, payments and
documents, their notifications, petitions and stored files; nothing of another citizen; a fixed query
budget whatever the number of dossiers; rate-limited."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from accounts.identity.models import IdentityLink
from applications.models import Attachment, Document, DocumentKind, DocumentState, DossierEvent, Event, Status
from feedback.models import Petition, PetitionStatus
from notifications.models import Notification
from payments.models import PaymentAttempt
from portal.lib.storage import private_storage
from tests.factories import make_dossier, make_procedure

URL = "retention:my-data-export"


def _export(client) -> tuple[dict, dict[str, bytes]]:
    response = client.get(reverse(URL))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    return json.loads(files.pop("du-lieu-ca-nhan.json")), files


def _dossiers(owner, commune, version, count: int, tag: str) -> list:
    made = []
    for n in range(count):
        dossier = make_dossier(version, commune, owner, status=Status.RETURNED, subject_name=f"{tag} {n}",
                               form_data={"child_name": f"{tag} bé {n}"})
        DossierEvent.objects.create(dossier=dossier, action=Event.SUBMITTED, at=timezone.now(),
                                    to_status=Status.SUBMITTED)
        DossierEvent.objects.create(dossier=dossier, action=Event.TRANSFERRED, at=timezone.now(),
                                    note=f"nội bộ {tag}", is_public=False)
        Attachment.objects.create(dossier=dossier, original_name=f"{tag}-{n}.pdf", content_type="application/pdf",
                                  size=3, sha256=f"{n:064d}", in_store=True,
                                  file=private_storage().save(f"attachments/{dossier.pk}/x", ContentFile(b"PDF")))
        Document.objects.create(dossier=dossier, kind=DocumentKind.RESULT, source_key=f"{tag}:{n}",
                                state=DocumentState.READY, issued_at=timezone.now(),
                                file=private_storage().save(f"documents/{tag}{n}.pdf", ContentFile(b"RESULT")))
        PaymentAttempt.objects.create(dossier=dossier, agency=commune, txn_ref=f"{tag}{n}", provider="sandbox",
                                      amount=10_000, created_at=timezone.now())
        made.append(dossier)
    return made


@pytest.mark.django_db
def test_the_export_holds_every_own_dossier_and_nothing_of_another_citizen(client, citizen, other_citizen, commune):
    version = make_procedure(agency=commune)
    mine = _dossiers(citizen, commune, version, 3, "CỦA TÔI")
    theirs = _dossiers(other_citizen, commune, version, 2, "NGƯỜI KHÁC")
    draft = make_dossier(version, commune, citizen, status=Status.DRAFT)
    IdentityLink.objects.create(user=citizen, provider="vneid", subject="sub-secret-123", assurance_level=2)
    Notification.objects.create(event="received", channel="inapp", recipient=citizen, dedupe_key="n1",
                                body="Thông báo của tôi")
    Notification.objects.create(event="received", channel="inapp", recipient=other_citizen, dedupe_key="n2",
                                body="Thông báo NGƯỜI KHÁC")
    Petition.objects.create(code="PA-1", secret_hash="x", topic="agency", agency=commune, title="Phản ánh của tôi",
                            content="...", sender_name=citizen.full_name, submitted_by=citizen,
                            received_at=timezone.now(), due_at=timezone.now(), status=PetitionStatus.RECEIVED)
    client.force_login(citizen)

    data, files = _export(client)

    assert {d["code"] for d in data["dossiers"]} == {d.code for d in mine} | {draft.code}
    first = next(d for d in data["dossiers"] if d["code"] == mine[0].code)
    assert first["form_answers"] == {"child_name": "CỦA TÔI bé 0"}
    assert [e["action"] for e in first["events"]] == [Event.SUBMITTED]  # staff-only notes are not the citizen's
    assert first["payments"][0]["amount"] == 10_000 and first["documents"][0]["kind"] == DocumentKind.RESULT
    assert data["profile"]["email"] == citizen.email
    assert data["identity_links"] == [{"provider": "vneid", "assurance_level": 2, "linked_at": data["identity_links"][0]
                                       ["linked_at"], "last_sign_in_at": None}]
    assert [n["body"] for n in data["notifications"]] == ["Thông báo của tôi"]
    assert [p["title"] for p in data["petitions"]] == ["Phản ánh của tôi"]
    assert len(data["stored_documents"]) == 6 and len(files) == 6
    assert set(files.values()) == {b"PDF", b"RESULT"}
    text = json.dumps(data, ensure_ascii=False)
    assert "NGƯỜI KHÁC" not in text and "sub-secret-123" not in text and "password" not in text
    assert all(d.code not in text for d in theirs)


@pytest.mark.django_db
def test_the_query_budget_does_not_grow_with_the_dossiers(client, citizen, commune, django_assert_max_num_queries):
    version = make_procedure(agency=commune)
    _dossiers(citizen, commune, version, 2, "A")
    client.force_login(citizen)
    with django_assert_max_num_queries(25) as few:
        _export(client)
    _dossiers(citizen, commune, version, 10, "B")
    with django_assert_max_num_queries(len(few.captured_queries)):
        _export(client)


@pytest.mark.django_db
def test_the_export_is_rate_limited(client, citizen, settings):
    settings.PERSONAL_EXPORT_LIMIT_PER_HOUR = 2
    client.force_login(citizen)
    assert client.get(reverse(URL)).status_code == 200
    assert client.get(reverse(URL)).status_code == 200
    response = client.get(reverse(URL))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:profile")


@pytest.mark.django_db
def test_the_profile_page_links_to_the_export(client, citizen):
    client.force_login(citizen)
    assert reverse(URL) in client.get(reverse("accounts:profile")).content.decode()
