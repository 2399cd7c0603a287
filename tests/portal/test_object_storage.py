"""Files in an S3-compatible bucket (moto's server over HTTP): stored by the real views, streamed back
only through the access-checked ones, never readable from the bucket without credentials, and deleted
from the bucket when retention deletes them."""

from __future__ import annotations

import io
import urllib.error
import urllib.request
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.utils import timezone

from applications.documents import document_request
from applications.filing import attachment_add
from applications.models import Attachment, DocumentKind, DossierEvent, Status
from retention.services import retention_run
from tests.applications.filing.builders import docx_bytes, draft_for, image_bytes, pdf_bytes, submitted, upload
from tests.factories import make_dossier, make_procedure
from tests.support.s3 import s3_client

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def bucket(s3_endpoint, s3_bucket):
    class Bucket:
        name = s3_bucket
        endpoint = s3_endpoint
        client = s3_client(s3_endpoint)

        def read(self, key: str) -> bytes:
            return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()

        def keys(self) -> list[str]:
            return [item["Key"] for item in self.client.list_objects_v2(Bucket=self.name).get("Contents", [])]

        def anonymous_status(self, key: str) -> int:
            try:
                with urllib.request.urlopen(f"{self.endpoint}/{self.name}/{key}", timeout=10) as answer:
                    return answer.status
            except urllib.error.HTTPError as exc:
                return exc.code

    return Bucket()


@pytest.fixture
def version(commune):
    return make_procedure(agency=commune)


def body(response) -> bytes:
    assert response.streaming, "files are streamed through the view"
    return b"".join(response.streaming_content)


def test_an_upload_through_the_filing_page_lands_in_the_private_bucket(client, citizen, commune, version, bucket,
                                                                        settings):
    dossier = draft_for(version, commune, citizen)
    component = version.components.get(is_required=True)
    client.force_login(citizen)
    picture = image_bytes("PNG")

    response = client.post(f"/dossiers/draft/{dossier.pk}/attachments/", {
        "upload": component.pk, f"c{component.pk}-files": [upload("giay-chung-sinh.png", picture, "image/png")],
    })

    assert response.status_code == 302
    attachment = dossier.attachments.get()
    assert bucket.keys() == [f"private/{attachment.file.name}"]
    assert bucket.read(f"private/{attachment.file.name}") == picture
    assert not settings.PRIVATE_MEDIA_ROOT.exists()  # nothing on this node's disk
    with pytest.raises(ValueError):
        attachment.file.url  # noqa: B018  (no URL of the bucket ever reaches a page)


def test_downloads_stream_from_the_bucket_to_the_owner_and_the_agency_only(client, citizen, other_citizen, officer,
                                                                          other_officer, commune, version, bucket):
    dossier = submitted(version, commune, citizen)
    attachment = dossier.attachments.get()
    key = f"private/{attachment.file.name}"
    # Changed behind the portal's back: what the views send must come from the bucket, not a local copy.
    bucket.client.put_object(Bucket=bucket.name, Key=key, Body=pdf_bytes() + b"%from-the-bucket\n")
    url = f"/attachments/{attachment.pk}/"

    client.force_login(citizen)
    owner = client.get(url)
    assert owner.status_code == 200 and owner["Cache-Control"] == "private, no-store"
    assert owner["Content-Length"] == str(len(pdf_bytes() + b"%from-the-bucket\n"))  # measured, not read first
    assert body(owner) == pdf_bytes() + b"%from-the-bucket\n"
    client.force_login(officer)
    assert body(client.get(url)) == pdf_bytes() + b"%from-the-bucket\n"

    client.force_login(other_citizen)
    assert client.get(url).status_code == 404
    client.force_login(other_officer)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 404


def test_an_object_lost_from_the_bucket_is_a_404_not_a_server_error(client, citizen, commune, version, bucket):
    dossier = submitted(version, commune, citizen)
    attachment = dossier.attachments.get()
    bucket.client.delete_object(Bucket=bucket.name, Key=f"private/{attachment.file.name}")
    client.force_login(citizen)
    assert client.get(f"/attachments/{attachment.pk}/").status_code == 404


def test_an_issued_document_round_trips_through_the_bucket(client, citizen, other_citizen, officer, other_officer,
                                                          commune, bucket, django_capture_on_commit_callbacks):
    dossier = make_dossier(
        make_procedure(agency=commune), commune, citizen, status=Status.RECEIVED, applicant_phone="0912000001",
        received_at=datetime(2026, 1, 5, 8, 30, tzinfo=HCM), due_current=datetime(2026, 1, 8, 17, 0, tzinfo=HCM),
        due_original=datetime(2026, 1, 8, 17, 0, tzinfo=HCM),
    )
    event = DossierEvent.objects.create(dossier=dossier, action="received", actor=officer, at=dossier.received_at,
                                        to_status=Status.RECEIVED)
    with django_capture_on_commit_callbacks(execute=True):  # rendered (in-process) and stored after the commit
        document = document_request(dossier, DocumentKind.RECEIPT, source_key=f"event:{event.pk}", issued_by=officer)
    document.refresh_from_db()
    key = f"private/{document.file.name}"
    stored = bucket.read(key)
    assert stored.startswith(b"%PDF")

    client.force_login(citizen)
    assert body(client.get(f"/dossiers/{dossier.code}/documents/{document.pk}/")) == stored
    client.force_login(officer)
    assert body(client.get(f"/officer/dossiers/{dossier.code}/documents/{document.pk}/")) == stored
    client.force_login(other_citizen)
    assert client.get(f"/dossiers/{dossier.code}/documents/{document.pk}/").status_code == 404
    client.force_login(other_officer)
    assert client.get(f"/officer/dossiers/{dossier.code}/documents/{document.pk}/").status_code == 404
    assert bucket.anonymous_status(key) == 403


def test_a_blank_form_round_trips_through_the_bucket_and_the_procedure_page(client, version, bucket):
    component = version.components.get(is_required=True)
    form = docx_bytes()  # once: a zip carries the time it was made
    component.template_file.save("to-khai-khai-sinh.docx", ContentFile(form))

    key = f"public/{component.template_file.name}"
    assert bucket.keys() == [key] and bucket.read(key) == form
    response = client.get(f"/procedures/{version.procedure.code}/components/{component.pk}/template/")
    assert response.status_code == 200 and "to-khai-khai-sinh.docx" in response["Content-Disposition"]
    assert body(response) == form
    assert bucket.anonymous_status(key) == 403  # public information, still only through the portal's view


def test_nothing_in_the_bucket_is_readable_without_credentials(citizen, commune, version, bucket):
    submitted(version, commune, citizen)
    version.components.first().template_file.save("mau.docx", ContentFile(docx_bytes()))
    storages["private"].save("exports/report.csv", ContentFile(b"ma,ten\n"))
    keys = bucket.keys()

    assert len(keys) == 3
    assert {key: bucket.anonymous_status(key) for key in keys} == {key: 403 for key in keys}
    # The probe itself can tell: an object made public on purpose answers anonymously.
    bucket.client.put_object(Bucket=bucket.name, Key="probe", Body=b"x", ACL="public-read")
    assert bucket.anonymous_status("probe") == 200


def test_retention_deletes_the_objects_from_the_bucket(citizen, commune, version, bucket, settings,
                                                      django_capture_on_commit_callbacks):
    settings.DRAFT_RETENTION_DAYS = 30
    stale = draft_for(version, commune, citizen)
    kept = draft_for(version, commune, citizen)
    for draft in (stale, kept):
        attachment_add(draft, version.components.first(), upload("1.pdf", pdf_bytes()), by=citizen)
    stale_key = f"private/{stale.attachments.get().file.name}"
    kept_key = f"private/{kept.attachments.get().file.name}"
    ended = submitted(version, commune, citizen)
    ended_key = f"private/{ended.attachments.get().file.name}"
    long_ago = timezone.now() - timedelta(days=365 * 12)
    DossierEvent.objects.create(dossier=ended, action="withdrawn", at=long_ago, to_status=Status.WITHDRAWN)
    type(ended).objects.filter(pk=ended.pk).update(status=Status.WITHDRAWN)
    type(stale).objects.filter(pk=stale.pk).update(updated_at=timezone.now() - timedelta(days=31))
    assert {stale_key, kept_key, ended_key} <= set(bucket.keys())

    with django_capture_on_commit_callbacks(execute=True):  # files leave storage after the commit
        run = retention_run()

    assert run.drafts_deleted == 1 and run.dossiers_anonymised == 1
    keys = set(bucket.keys())
    assert stale_key not in keys and ended_key not in keys
    assert kept_key in keys
    assert not Attachment.objects.get(dossier=ended).file  # the row stays, without its file


@pytest.mark.django_db(transaction=True)  # pg_dump is another session: it sees committed rows only
def test_a_backup_copies_the_bucket_and_a_restore_fills_an_empty_one(tmp_path, settings, citizen, commune, version,
                                                                     bucket):
    from django.core.management import call_command

    from tests.ops.test_backup_restore import Target
    from tests.support.s3 import new_bucket, s3_env

    dossier = submitted(version, commune, citizen)
    version.components.first().template_file.save("mau.docx", ContentFile(docx_bytes()))
    source = {key: bucket.read(key) for key in bucket.keys()}
    settings.BACKUP_ENCRYPTION_KEY = ""
    call_command("backup", "--to", str(tmp_path / "backups"), stdout=io.StringIO())
    (archive,) = (tmp_path / "backups").iterdir()
    empty = new_bucket(bucket.endpoint)
    target = Target(tmp_path / "restored")
    try:
        restored = target.manage("restore", "--from", str(archive), env=s3_env(bucket.endpoint, empty))
        assert restored.returncode == 0, restored.stderr
        copies = {item["Key"]: bucket.client.get_object(Bucket=empty, Key=item["Key"])["Body"].read()
                  for item in bucket.client.list_objects_v2(Bucket=empty).get("Contents", [])}
    finally:
        target.drop()
    assert copies == source
    assert f"private/{dossier.attachments.get().file.name}" in copies and len(copies) == 2
    assert not (target.private.exists() or target.media.exists())  # nothing restored to the folders


def test_a_file_opened_again_after_reading_is_read_from_its_first_byte(citizen, commune, version, bucket):
    attachment = submitted(version, commune, citizen).attachments.get()
    field = Attachment.objects.get(pk=attachment.pk).file
    with field.open("rb") as handle:
        first = handle.read(10) + handle.read()
    with field.open("rb") as handle:  # the same FieldFile, as the malware rescan and digitisation reuse it
        second = b"".join(handle.chunks(chunk_size=7))
    assert first == second == pdf_bytes()
    assert field.size == len(pdf_bytes())
