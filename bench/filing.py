"""Benchmark: filing and tracking costs that grow with files and dossiers.

    DEBUG=1 .venv/bin/python bench/filing.py            # SQLite (in-memory test database)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/eng_c DEBUG=1 .venv/bin/python bench/filing.py

Prints: the content check (type sniffing + SHA-256) of a 10 MB upload in ms and MB/s, one page
stored (check + private storage + row), the queries of "my dossiers" with 10 and 200 dossiers
(must not grow), of the dossier page, of a complete submit, and the median time of a public
tracking lookup.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.files.storage import FileSystemStorage  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402


def _median_ms(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _queries(action) -> int:
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured)


def main() -> None:
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.TRACKING_RATE_LIMIT = 10**9
    old_name = connection.creation.create_test_db(verbosity=0)
    storage_dir = tempfile.mkdtemp(prefix="bench-filing-")
    try:
        run(storage_dir)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(storage_dir: str) -> None:
    from accounts.models import Agency, AgencyKind, Role, User
    from applications.filing import attachment_add, dossier_file, draft_create, draft_update
    from applications.models import Attachment
    from applications.uploads import upload_check
    from tests.factories import make_dossier, make_procedure

    Attachment._meta.get_field("file").storage = FileSystemStorage(location=storage_dir)
    province = Agency.objects.create(eid_code="H99", name="Tỉnh", kind=AgencyKind.PROVINCE)
    commune = Agency.objects.create(eid_code="H99.01.01", name="Xã An Phú", kind=AgencyKind.COMMUNE, parent=province)
    citizen = User.objects.create_user(email="c@bench.vn", password="x", full_name="Nguyễn Văn An", role=Role.CITIZEN,
                                       phone="0912000001")
    version = make_procedure(agency=commune)
    component = version.components.get(is_required=True)

    big = b"%PDF-1.7\n" + os.urandom(10 * 1024 * 1024 - 9)
    check_ms = _median_ms(lambda: upload_check(SimpleUploadedFile("a.pdf", big), allows_docx=False), 5)
    print(f"content check of a 10 MB PDF: {check_ms:.1f} ms ({10 / (check_ms / 1000):.0f} MB/s)")

    draft = draft_create(version, commune, owner=citizen, filed_by=citizen)
    page = b"%PDF-1.7\n" + os.urandom(300 * 1024)
    store_ms = _median_ms(lambda: attachment_add(draft, component, SimpleUploadedFile("p.pdf", page), by=citizen), 10)
    print(f"one 300 KB page checked, stored privately and recorded: {store_ms:.1f} ms")

    draft_update(draft, {"applicant_id_number": "001084000999",
                         "form_data": {"child_name": "Nguyễn Văn Bé", "birth_date": "2026-01-05"}})
    submit_queries = _queries(lambda: dossier_file(draft, actor=citizen, submit_token=uuid.uuid4(), consent=True))
    print(f"queries of a complete submit (checks + code + event): {submit_queries}")

    client = Client()
    client.force_login(citizen)
    for _ in range(9):
        make_dossier(version, commune, citizen)
    small = _queries(lambda: client.get("/dossiers/"))
    for _ in range(190):
        make_dossier(version, commune, citizen)
    large = _queries(lambda: client.get("/dossiers/"))
    print(f"queries of 'my dossiers': {small} with 10 dossiers, {large} with 200 (ratio {large / small:.2f})")
    print(f"queries of the dossier page: {_queries(lambda: client.get(f'/dossiers/{draft.code}/'))}")

    anonymous = Client()
    track_ms = _median_ms(lambda: anonymous.post("/track/", {"code": draft.code}), 50)
    print(f"public tracking lookup: {track_ms:.1f} ms median, "
          f"{_queries(lambda: anonymous.post('/track/', {'code': draft.code}))} queries")


if __name__ == "__main__":
    main()
