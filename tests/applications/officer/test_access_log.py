"""Staff reads of a dossier's personal data leave a record; citizens' own reads do not."""

import pytest

from django.core.files.base import ContentFile

from applications.models import AccessKind, Attachment, DossierAccess, Status
from tests.factories import make_dossier, make_procedure

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(commune, citizen):
    return make_dossier(make_procedure(agency=commune), commune, citizen, status=Status.RECEIVED)


def _attachment(dossier) -> Attachment:
    attachment = Attachment(dossier=dossier, original_name="to-khai.pdf", content_type="application/pdf",
                            size=9, sha256="0" * 64)
    attachment.file.save("x", ContentFile(b"%PDF-1.4\n"), save=False)
    attachment.save()
    return attachment


def test_an_officer_opening_the_dossier_and_a_file_is_recorded(client, officer, dossier):
    attachment = _attachment(dossier)
    client.force_login(officer)

    assert client.get(f"/officer/dossiers/{dossier.code}/").status_code == 200
    assert client.get(f"/attachments/{attachment.pk}/").status_code == 200

    log = list(DossierAccess.objects.order_by("pk").values_list("user", "kind", "object_id"))
    assert log == [(officer.pk, AccessKind.DOSSIER, None), (officer.pk, AccessKind.ATTACHMENT, attachment.pk)]


def test_the_owner_reading_their_own_dossier_is_not_logged(client, citizen, dossier):
    attachment = _attachment(dossier)
    client.force_login(citizen)

    assert client.get(f"/dossiers/{dossier.code}/").status_code == 200
    assert client.get(f"/attachments/{attachment.pk}/").status_code == 200
    assert not DossierAccess.objects.exists()


def test_a_refused_read_leaves_no_record(client, other_officer, dossier):
    client.force_login(other_officer)
    assert client.get(f"/officer/dossiers/{dossier.code}/").status_code == 404
    assert not DossierAccess.objects.exists()


def test_admins_can_read_the_access_log(client, admin_user, officer, dossier):
    DossierAccess.objects.create(dossier=dossier, user=officer, kind=AccessKind.DOSSIER)
    client.force_login(admin_user)
    response = client.get("/admin/applications/dossieraccess/")
    assert response.status_code == 200
    assert dossier.code in response.content.decode()

