"""A backup of a populated portal restores into a fresh database and folders, identically.

Real PostgreSQL throughout: the backup runs in this process against the test database (committed
data: pg_dump is another session), the restore runs as `manage.py restore` in a subprocess whose
DATABASE_URL and media roots point at a database created for the test and at empty folders.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import psycopg2
import pytest

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from applications.models import Document, DocumentKind, DocumentState, Dossier
from ops.backup import MAGIC, table_row_counts
from tests.applications.filing.builders import pdf_bytes

pytestmark = pytest.mark.django_db(transaction=True)

RESULT_PDF = pdf_bytes().replace(b"%%EOF", b"% ban sao luu\n%%EOF")


def new_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def file_hashes(root: Path) -> dict[str, str]:
    return {str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(root.rglob("*")) if path.is_file()}


def database_url(name: str) -> str:
    params = connection.settings_dict
    return f"postgres://{params['USER']}:{params['PASSWORD']}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{name}"


def connect(name: str):
    params = connection.settings_dict
    return psycopg2.connect(dbname=name, user=params["USER"], password=params["PASSWORD"],
                            host=params["HOST"] or "127.0.0.1", port=params["PORT"] or 5432)


def restored_row_counts(name: str) -> dict[str, int]:
    with connect(name) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        tables = [row[0] for row in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    return counts


class Target:
    """A fresh database and two empty media folders, and `manage.py` run against them."""

    def __init__(self, root: Path) -> None:
        self.database = f"restore_{uuid.uuid4().hex[:12]}"
        self.media = root / "media"
        self.private = root / "private"
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{self.database}"')

    def manage(self, *args: str, key: str = "", env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        env = {**os.environ, "DATABASE_URL": database_url(self.database), "MEDIA_ROOT": str(self.media),
               "PRIVATE_MEDIA_ROOT": str(self.private), "DEBUG": "1", "BACKUP_ENCRYPTION_KEY": key, **(env or {})}
        return subprocess.run([sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=env,
                              capture_output=True, text=True, timeout=300, check=False)

    def is_empty(self) -> bool:
        return not restored_row_counts(self.database) and not file_hashes(self.media) and not file_hashes(self.private)

    def drop(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')


@pytest.fixture
def target(tmp_path):
    made = Target(tmp_path / "restored")
    yield made
    made.drop()


@pytest.fixture
def issued_document() -> Document:
    """The demo portal plus an issued document with its PDF in private storage."""
    call_command("seed_demo", stdout=io.StringIO(), stderr=io.StringIO())
    document = Document(
        dossier=Dossier.objects.order_by("pk").first(), kind=DocumentKind.RESULT, source_key=f"test:{uuid.uuid4()}",
        state=DocumentState.READY, number="07/BK", issued_at=timezone.now(),
        sha256=hashlib.sha256(RESULT_PDF).hexdigest(),
    )
    document.file.save("result.pdf", ContentFile(RESULT_PDF), save=False)
    document.save()
    return document


def make_backup(tmp_path: Path, settings, *, key: str = "") -> Path:
    settings.BACKUP_ENCRYPTION_KEY = key
    out = tmp_path / "backups"
    call_command("backup", "--to", str(out), stdout=io.StringIO())
    (archive,) = out.iterdir()
    return archive


VERIFY_SCRIPT = """
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
client = Client(HTTP_HOST="localhost")
page = client.get("/verify/{token}/")
upload = SimpleUploadedFile("copy.pdf", open({pdf!r}, "rb").read(), content_type="application/pdf")
checked = client.post("/verify/{token}/", {{"file": upload}})
print(page.status_code, "{number}" in page.content.decode(), 'alert-success' in checked.content.decode())
"""


def test_a_backup_restores_into_a_fresh_database_and_folders_identically(
    tmp_path, settings, issued_document, target
):
    key = new_key()
    archive = make_backup(tmp_path, settings, key=key)
    source_counts = table_row_counts()
    source_files = {f"public/{name}": digest for name, digest in file_hashes(Path(settings.MEDIA_ROOT)).items()}
    source_files |= {f"private/{name}": digest for name, digest in file_hashes(Path(settings.PRIVATE_MEDIA_ROOT)).items()}

    restored = target.manage("restore", "--from", str(archive), key=key)

    assert restored.returncode == 0, restored.stderr
    assert archive.read_bytes().startswith(MAGIC)  # encrypted: nothing readable without the key
    assert restored_row_counts(target.database) == source_counts
    assert source_counts["applications_document"] >= 1 and source_counts["applications_dossier"] >= 1
    restored_files = {f"public/{name}": digest for name, digest in file_hashes(target.media).items()}
    restored_files |= {f"private/{name}": digest for name, digest in file_hashes(target.private).items()}
    assert restored_files == source_files
    assert f"private/{issued_document.file.name}" in restored_files

    pdf = tmp_path / "copy.pdf"
    pdf.write_bytes(RESULT_PDF)
    script = VERIFY_SCRIPT.format(token=issued_document.verify_token, number=issued_document.number, pdf=str(pdf))
    verified = target.manage("shell", "-c", script)
    assert verified.stdout.split()[-3:] == ["200", "True", "True"], verified.stderr

    again = target.manage("restore", "--from", str(archive), "--force", key=key)  # over itself: replaced, not doubled
    assert again.returncode == 0, again.stderr
    assert restored_row_counts(target.database) == source_counts
    assert {f"private/{name}" for name in file_hashes(target.private)} == {
        name for name in source_files if name.startswith("private/")}


def test_the_manifest_lists_every_member_with_its_hash_size_version_and_row_counts(tmp_path, settings, issued_document):
    archive = make_backup(tmp_path, settings)

    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
        members = {info.name: hashlib.sha256(tar.extractfile(info).read()).hexdigest()
                   for info in tar.getmembers() if info.name != "manifest.json"}

    assert names[0] == "database.dump" and names[-1] == "manifest.json"
    assert {entry["name"]: entry["sha256"] for entry in manifest["members"]} == members
    assert f"files/private/{issued_document.file.name}" in members
    assert manifest["database"]["tables"] == table_row_counts()
    assert manifest["portal_version"] and manifest["created_at"]


def test_a_tampered_archive_is_refused_and_nothing_is_written(tmp_path, settings, issued_document, target):
    archive = make_backup(tmp_path, settings)
    with tarfile.open(archive) as tar:
        member = tar.getmember(f"files/private/{issued_document.file.name}")
    data = bytearray(archive.read_bytes())
    data[member.offset_data + 10] ^= 0xFF
    archive.write_bytes(bytes(data))

    refused = target.manage("restore", "--from", str(archive))

    assert refused.returncode != 0
    assert "không khớp manifest" in refused.stderr and issued_document.file.name in refused.stderr
    assert target.is_empty()


def test_a_wrong_key_or_a_cut_encrypted_archive_is_refused_and_nothing_is_written(
    tmp_path, settings, issued_document, target
):
    archive = make_backup(tmp_path, settings, key=new_key())

    wrong = target.manage("restore", "--from", str(archive), key=new_key())
    without = target.manage("restore", "--from", str(archive))
    archive.write_bytes(archive.read_bytes()[:-100])
    cut = target.manage("restore", "--from", str(archive), key=settings.BACKUP_ENCRYPTION_KEY)

    assert wrong.returncode != 0 and "sai khoá" in wrong.stderr
    assert without.returncode != 0 and "đã được mã hoá" in without.stderr
    assert cut.returncode != 0 and ("sai khoá" in cut.stderr or "cắt cụt" in cut.stderr)
    assert target.is_empty()


def test_a_target_with_tables_or_files_is_refused_without_force(tmp_path, settings, issued_document, target):
    archive = make_backup(tmp_path, settings)

    with pytest.raises(CommandError, match="không trống"):  # this portal's own database has tables
        call_command("restore", "--from", str(archive), stdout=io.StringIO())
    target.media.mkdir(parents=True)
    (target.media / "left-over.txt").write_text("x")
    refused = target.manage("restore", "--from", str(archive))

    assert refused.returncode != 0 and "kho tệp public không trống" in refused.stderr
    assert not restored_row_counts(target.database)


def test_files_are_read_through_the_storage_so_a_non_local_storage_is_backed_up(tmp_path, settings):
    settings.STORAGES = {**settings.STORAGES, "private": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    from django.core.files.storage import storages

    storages["private"].save("attachments/9/scan.pdf", ContentFile(RESULT_PDF))

    archive = make_backup(tmp_path, settings)

    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        stored = tar.extractfile("files/private/attachments/9/scan.pdf").read()
    assert stored == RESULT_PDF
    assert {"name": "files/private/attachments/9/scan.pdf", "sha256": hashlib.sha256(RESULT_PDF).hexdigest(),
            "size": len(RESULT_PDF)} in manifest["members"]
    assert not (Path(settings.PRIVATE_MEDIA_ROOT) / "attachments").exists()


def test_the_database_password_goes_to_pg_dump_in_its_environment_never_on_its_command_line(
    tmp_path, settings, monkeypatch
):
    # A stand-in pg_dump (an outside program, not our code) that records what it was given, then fails.
    tools = tmp_path / "bin"
    tools.mkdir()
    record = tmp_path / "seen.txt"
    (tools / "pg_dump").write_text(
        f'#!/bin/sh\nprintf "%s\\n" "$@" > {record}\necho "PGPASSWORD=$PGPASSWORD" >> {record}\n'
        'echo "pg_dump: error: connection refused" >&2\nexit 1\n')
    (tools / "pg_dump").chmod(0o755)
    monkeypatch.setenv("PATH", f"{tools}:{os.environ['PATH']}")
    monkeypatch.setitem(connection.settings_dict, "PASSWORD", "mat-khau-bi-mat-42")

    with pytest.raises(CommandError) as refused:
        make_backup(tmp_path, settings)

    seen = record.read_text().splitlines()
    assert seen[-1] == "PGPASSWORD=mat-khau-bi-mat-42"
    assert not any("mat-khau" in argument for argument in seen[:-1]) and "--format=custom" in seen
    assert "connection refused" in str(refused.value) and "mat-khau" not in str(refused.value)
    assert not list((tmp_path / "backups").iterdir())  # no half-written archive left behind
