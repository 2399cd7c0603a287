"""Two web nodes, one journey: nothing a request leaves behind lives in one node's memory or disk.

Two gunicorn instances on two ports share only what production nodes share: PostgreSQL (this test's
database, committed rows: a transactional test), one Redis (the cache and the rate-limit counters), one
S3-compatible bucket (moto's server over HTTP), and SECRET_KEY. Each has its own empty media folders, so
a file that one node kept on its disk could not be found by the other. The citizen's requests
alternate between them; the gateway's payment notification reaches the node that did not start the
payment.
"""

from __future__ import annotations

import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib.parse import parse_qsl, urlparse

import pytest
import requests

from django.db import connection

from applications import workflow
from applications.filing import draft_update
from applications.models import Attachment, Document, DocumentKind, DocumentState, Dossier, Status
from payments.models import AttemptState, PaymentAttempt
from tests.applications.filing.builders import VALID_ID, draft_for, image_bytes
from tests.conftest import PASSWORD
from tests.factories import make_procedure
from tests.payments.conftest import signed_result
from tests.support.s3 import s3_client, s3_env
from tests.support.services import REPO, free_port, redis_server, unavailable, wait_for, worker_env

# In `make test` like every other file (the markers only describe it); with REQUIRE_SERVICES=1 a missing
# PostgreSQL, redis-server or moto server fails it instead of skipping.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services, pytest.mark.slow]

FEE = 50_000
PAYMENT_SECRET = "two-nodes-sandbox-secret"
SANDBOX_TMN_CODE = "SANDBOX1"


@contextmanager
def gunicorn(env: dict[str, str], name: str) -> Iterator[str]:
    """One web node: gunicorn serving portal.wsgi on a free port of its own; yields its base URL."""
    port = free_port()
    log_path = Path(env["PRIVATE_MEDIA_ROOT"]).parent / f"gunicorn-{name}.log"
    log = open(log_path, "w+b")
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "portal.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--timeout", "120", "--access-logfile", "-"],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        def answers() -> bool:
            if proc.poll() is not None:
                log.seek(0)
                raise AssertionError(f"gunicorn {name} exited: {log.read().decode(errors='replace')[-3000:]}")
            try:
                return requests.get(f"{base}/healthz", timeout=30).status_code in (200, 503)
            except requests.ConnectionError:
                return False

        wait_for(answers, timeout=90, interval=0.3, message=f"gunicorn {name} to answer")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def node_env(tmp_path: Path, name: str, shared: dict[str, str]) -> dict[str, str]:
    media = tmp_path / name
    env = worker_env({**shared, "MEDIA_ROOT": str(media / "media"), "PRIVATE_MEDIA_ROOT": str(media / "private")})
    media.mkdir(parents=True)
    return env


def status_on(session: requests.Session, base: str, code: str) -> str:
    page = session.get(f"{base}/dossiers/{code}/", timeout=60)
    assert page.status_code == 200, page.status_code
    return re.search(r"status-badge status-([a-z_]+)", page.text).group(1)


def local_files(tmp_path: Path) -> list[Path]:
    return [path for path in tmp_path.rglob("*") if path.is_file() and path.suffix != ".log"]


def sign_in(base: str, username: str, password: str) -> requests.Response:
    """A fresh browser's sign-in attempt; 302 when it succeeds, 200 (the form again) or 429 (locked out)."""
    session = requests.Session()
    session.get(f"{base}/accounts/login/", timeout=60)
    return session.post(f"{base}/accounts/login/", allow_redirects=False, timeout=60, data={
        "username": username, "password": password, "csrfmiddlewaretoken": session.cookies["csrftoken"],
    })


def test_one_journey_across_two_gunicorn_nodes(tmp_path, settings, citizen, other_citizen, officer, commune,
                                               s3_endpoint, s3_bucket):
    if connection.vendor != "postgresql":
        unavailable("two nodes share one database server: PostgreSQL (DATABASE_URL)")
    # The nodes run the production hashers, not the fast one the test settings use.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    for person in (citizen, other_citizen):
        person.set_password(PASSWORD)
        person.save(update_fields=["password"])
    version = make_procedure(agency=commune, fee=FEE)
    draft = draft_for(version, commune, citizen)
    draft_update(draft, {
        "applicant_name": "Nguyễn Văn An", "applicant_id_number": VALID_ID, "applicant_phone": "0912000001",
        "form_data": {"child_name": "Nguyễn Văn Bé", "birth_date": "2026-01-05"},
    })
    component = version.components.get(is_required=True)
    bucket = s3_bucket  # the test process (the officer's actions) stores in the same bucket
    store = s3_client(s3_endpoint)

    with ExitStack() as stack:
        redis_url, _stop, _start = stack.enter_context(redis_server(appendonly=False))
        # The officer's actions run in this process, a third node: it shares the nodes' Redis, where the
        # versions of the kept signed-in pages live (portal/lib/personal_pages.py).
        settings.CACHES = {**settings.CACHES, "default": {"BACKEND": "portal.lib.cache.ResilientRedisCache",
                                                          "LOCATION": redis_url}}
        shared = {
            **s3_env(s3_endpoint, bucket), "REDIS_URL": redis_url,
            # Tasks run in the process that queues them (no broker): the receipt is rendered by the
            # node that received the notification, and must be stored where the other node finds it.
            "CELERY_BROKER_URL": "",
            "SECRET_KEY": f"two-nodes-{uuid.uuid4().hex}-0123456789abcdefghijklmnopqrstuvwxyz",
            "PAYMENT_PROVIDER": "sandbox", "SANDBOX_PAYMENT_SECRET": PAYMENT_SECRET,
            "SANDBOX_PAYMENT_TMN_CODE": SANDBOX_TMN_CODE,
            "NATIONAL_PORTAL_URL": "http://127.0.0.1:9/national", "CLAMAV_SOCKET": "", "LOGIN_IP_FAILURE_LIMIT": "4",
        }
        a = stack.enter_context(gunicorn(node_env(tmp_path, "a", shared), "a"))
        b = stack.enter_context(gunicorn(node_env(tmp_path, "b", shared), "b"))
        browser = requests.Session()  # cookies are per host, not per port: one browser for both nodes

        # Signed in on A.
        browser.get(f"{a}/accounts/login/", timeout=60)
        signed_in = browser.post(f"{a}/accounts/login/", allow_redirects=False, timeout=60, data={
            "username": citizen.email, "password": PASSWORD, "csrfmiddlewaretoken": browser.cookies["csrftoken"],
        })
        assert signed_in.status_code == 302, signed_in.text[-2000:]
        csrf = {"X-CSRFToken": browser.cookies["csrftoken"]}

        # The session opened on A is known to B (database sessions, one SECRET_KEY).
        assert browser.get(f"{b}/dossiers/draft/{draft.pk}/attachments/", timeout=60).status_code == 200

        # Uploaded through A: stored in the bucket, not on A's disk.
        scan = image_bytes("PNG")
        uploaded = browser.post(f"{a}/dossiers/draft/{draft.pk}/attachments/", headers=csrf, timeout=60,
                                allow_redirects=False,
                                data={"upload": component.pk},
                                files={f"c{component.pk}-files": ("giay-chung-sinh.png", scan, "image/png")})
        assert uploaded.status_code == 302, uploaded.text[-2000:]
        attachment = Attachment.objects.get(dossier=draft)
        assert store.get_object(Bucket=bucket, Key=f"private/{attachment.file.name}")["Body"].read() == scan

        # Downloaded through B.
        downloaded = browser.get(f"{b}/attachments/{attachment.pk}/", timeout=60)
        assert downloaded.status_code == 200 and downloaded.content == scan

        # Submitted through B.
        submitted = browser.post(f"{b}/dossiers/draft/{draft.pk}/review/", headers=csrf, timeout=60,
                                 allow_redirects=False, data={"submit_token": str(uuid.uuid4()), "consent": "on"})
        assert submitted.status_code == 302, submitted.text[-2000:]
        dossier = Dossier.objects.get(pk=draft.pk)
        assert status_on(browser, a, dossier.code) == status_on(browser, b, dossier.code) == Status.SUBMITTED

        # The officer receives it and asks for the fee (the services an officer's page calls).
        workflow.dossier_receive(dossier, actor=officer, expected_version=dossier.version)
        dossier.refresh_from_db()
        workflow.dossier_request_payment(dossier, actor=officer, expected_version=dossier.version, amount=FEE)
        assert status_on(browser, a, dossier.code) == status_on(browser, b, dossier.code) == Status.AWAITING_PAYMENT

        # The payment starts on A; the gateway's server-to-server notification reaches B.
        started = browser.post(f"{a}/payments/dossier/{dossier.code}/pay/", headers=csrf, timeout=60,
                               allow_redirects=False)
        assert started.status_code == 302, started.text[-2000:]
        to_bank = dict(parse_qsl(urlparse(started.headers["Location"]).query))
        attempt = PaymentAttempt.objects.get(dossier=dossier)
        assert to_bank["vnp_TxnRef"] == attempt.txn_ref
        notified = requests.get(f"{b}/payments/sandbox/ipn/", timeout=60,
                                params=signed_result(attempt, secret=PAYMENT_SECRET, tmn_code=SANDBOX_TMN_CODE))
        assert notified.json()["RspCode"] == "00", notified.text
        attempt.refresh_from_db()
        assert attempt.state == AttemptState.SUCCEEDED

        # Both nodes see the same dossier, and the receipt B rendered is downloaded through A.
        assert status_on(browser, a, dossier.code) == status_on(browser, b, dossier.code) == Status.RECEIVED
        receipt = Document.objects.get(dossier=dossier, kind=DocumentKind.PAYMENT_RECEIPT)
        assert receipt.state == DocumentState.READY
        from_a = browser.get(f"{a}/dossiers/{dossier.code}/documents/{receipt.pk}/", timeout=60)
        assert from_a.status_code == 200 and from_a.content.startswith(b"%PDF")
        assert from_a.content == store.get_object(Bucket=bucket, Key=f"private/{receipt.file.name}")["Body"].read()

        # Failed sign-ins from one address, counted half on each node, lock it out on both (shared Redis).
        for node in (a, b, a, b):
            assert sign_in(node, "khong-co@example.vn", "wrong-password").status_code == 200
        assert sign_in(a, other_citizen.email, PASSWORD).status_code == 429
        assert sign_in(b, other_citizen.email, PASSWORD).status_code == 429

        # Neither node kept a file of its own.
        assert local_files(tmp_path) == []
