"""A local S3-compatible server for tests: moto's server mode, spoken to over HTTP like MinIO.

Never moto's in-process mocking: the portal's boto3 calls go over a real socket to a separate
process, with its signatures, status codes and streaming bodies.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from tests.support.services import free_port, port_open, unavailable

ACCESS_KEY = "portal-test-access"
SECRET_KEY = "portal-test-secret"
REGION = "us-east-1"


@contextmanager
def s3_server() -> Iterator[str]:
    """Start `python -m moto.server` on a free port; yields its endpoint URL."""
    if find_spec("moto") is None or find_spec("flask") is None:
        unavailable("moto[server] is not installed (requirements-dev.txt)")
    port = free_port()
    log = open(Path(os.getenv("TMPDIR", "/tmp")) / f"moto-{port}.log", "w+b")
    proc = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.time() + 30
        while not port_open("127.0.0.1", port):
            if proc.poll() is not None or time.time() > deadline:
                log.seek(0)
                unavailable(f"moto server did not start: {log.read().decode(errors='replace')[-500:]}")
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
        Path(log.name).unlink(missing_ok=True)


def s3_client(endpoint: str) -> Any:  # a boto3 S3 client (boto3 ships no type hints)
    """A boto3 client of our own, to look into the bucket behind the portal's back."""
    import boto3

    from portal.lib.storage import s3_client_config

    return boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=ACCESS_KEY,
                        aws_secret_access_key=SECRET_KEY, region_name=REGION, config=s3_client_config())


def new_bucket(endpoint: str) -> str:
    name = f"portal-{uuid.uuid4().hex[:20]}"
    s3_client(endpoint).create_bucket(Bucket=name)
    return name


def storages_setting(endpoint: str, bucket: str) -> dict:
    """STORAGES' file entries for the bucket, built as portal/settings.py builds them from S3_* variables."""
    options = {"bucket_name": bucket, "endpoint_url": endpoint, "access_key": ACCESS_KEY, "secret_key": SECRET_KEY,
               "region_name": REGION}
    return {
        "default": {"BACKEND": "portal.lib.storage.FormsS3Storage", "OPTIONS": {**options, "location": "public"}},
        "private": {"BACKEND": "portal.lib.storage.PrivateS3Storage", "OPTIONS": {**options, "location": "private"}},
    }


def s3_env(endpoint: str, bucket: str) -> dict[str, str]:
    """The environment variables a portal process (gunicorn, a worker) reads to use the same bucket."""
    return {"S3_BUCKET": bucket, "S3_ENDPOINT_URL": endpoint, "S3_ACCESS_KEY_ID": ACCESS_KEY,
            "S3_SECRET_ACCESS_KEY": SECRET_KEY, "S3_REGION": REGION}
