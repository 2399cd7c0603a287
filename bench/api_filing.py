"""Benchmark: filing through the API against filing through the web form, in the same run.

    DATABASE_URL=postgres://… DEBUG=1 .venv/bin/python bench/api_filing.py [count]

Files `count` (default 100) dossiers each way for one citizen: the web form's four steps as a
browser posts them (applicant, e-form, attachments, review and submit) and one API call
(POST /api/v1/me/dossiers/ with the same answers and the same PDF, base64). Both use Django's test
client in-process, so the figure is the server's work, not the network. Prints the median and
total per way and the ratio API / web (target ≤ 1.10).
"""

from __future__ import annotations

import base64
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
from django.test.utils import setup_test_environment  # noqa: E402

PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n") + b"%" + os.urandom(64 * 1024).hex().encode()[:100_000] + b"\n"
APPLICANT = {"applicant_name": "Nguyễn Văn An", "applicant_id_number": "001084000999",
             "applicant_phone": "0912000001", "result_delivery": "online", "subject_relation": "self"}
ANSWERS = {"child_name": "Nguyễn Văn Bé", "birth_date": "2026-01-05"}


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.API_RATE_USER = "1000000/minute"
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        run(count, tempfile.mkdtemp(prefix="bench-api-filing-"))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def file_by_web(client: Client, version, commune, component) -> None:
    code = version.procedure.code
    step = client.post(f"/procedures/{code}/apply/", {**APPLICANT, "agency": commune.pk})
    assert step.status_code == 302, step.content[:500]
    pk = step["Location"].rstrip("/").split("/")[-2]
    assert client.post(f"/dossiers/draft/{pk}/form/", ANSWERS).status_code == 302
    upload = SimpleUploadedFile("to-khai.pdf", PDF, content_type="application/pdf")
    assert client.post(f"/dossiers/draft/{pk}/attachments/", {f"c{component.pk}-files": upload}).status_code == 302
    done = client.post(f"/dossiers/draft/{pk}/review/", {"submit_token": str(uuid.uuid4())})
    assert done.status_code == 302 and "/submitted/" in done["Location"], done.content[:500]


def file_by_api(client: Client, version, commune, component) -> None:
    body = {
        "procedure": version.procedure.code, "applicant": {**APPLICANT, "agency": commune.pk}, "answers": ANSWERS,
        "attachments": [{"component": component.pk, "name": "to-khai.pdf",
                         "content_base64": base64.b64encode(PDF).decode()}],
        "processing_notice_acknowledged": True,
    }
    response = client.post("/api/v1/me/dossiers/", body, content_type="application/json")
    assert response.status_code == 201, response.content[:500]


def run(count: int, storage_dir: str) -> None:
    from accounts.models import Agency, AgencyKind, Role, User
    from applications.models import Attachment, Dossier, Status
    from tests.factories import make_procedure

    Attachment._meta.get_field("file").storage = FileSystemStorage(location=storage_dir)
    province = Agency.objects.create(eid_code="H99", name="Tỉnh", kind=AgencyKind.PROVINCE)
    commune = Agency.objects.create(eid_code="H99.01.01", name="Xã An Phú", kind=AgencyKind.COMMUNE, parent=province)
    citizen = User.objects.create_user(email="c@bench.vn", password="x", full_name="Nguyễn Văn An", role=Role.CITIZEN,
                                       phone="0912000001")
    version = make_procedure(agency=commune)
    component = version.components.get(is_required=True)
    client = Client()
    client.force_login(citizen)

    timings: dict[str, list[float]] = {"web": [], "api": []}
    ways = {"web": file_by_web, "api": file_by_api}
    for _warm in range(3):  # first requests load templates and code paths
        for way in ways.values():
            way(client, version, commune, component)
    for _n in range(count):
        for name, way in ways.items():  # interleaved, so load on the machine hits both alike
            start = time.perf_counter()
            way(client, version, commune, component)
            timings[name].append((time.perf_counter() - start) * 1000)
    filed = Dossier.objects.filter(status=Status.SUBMITTED).count()
    assert filed == 2 * count + 6, filed
    for name, values in timings.items():
        print(f"{name}: {count} dossiers filed, median {statistics.median(values):.1f} ms, total {sum(values) / 1000:.2f} s")
    ratio = statistics.median(timings["api"]) / statistics.median(timings["web"])
    total_ratio = sum(timings["api"]) / sum(timings["web"])
    print(f"API / web: {ratio:.2f} (median), {total_ratio:.2f} (total); target ≤ 1.10")


if __name__ == "__main__":
    main()
