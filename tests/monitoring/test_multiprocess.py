"""PROMETHEUS_MULTIPROC_DIR: two separate processes answer requests; a scrape from a third adds them up."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.support.services import worker_env

pytestmark = pytest.mark.django_db(transaction=True)

SCRIPT = """
import os, sys, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
django.setup()
from django.test import Client
client = Client(SERVER_NAME="localhost")
if sys.argv[1] == "serve":
    client.get("/healthz")
else:
    sys.stdout.write(client.get("/metrics", HTTP_AUTHORIZATION="Bearer multi-token").content.decode())
"""


def run(env, action: str) -> str:
    done = subprocess.run([sys.executable, "-c", SCRIPT, action], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_request_counts_from_several_processes_are_added_up(tmp_path):
    env = worker_env({"PROMETHEUS_MULTIPROC_DIR": str(tmp_path), "METRICS_TOKEN": "multi-token", "LOG_LEVEL": "WARNING"})
    run(env, "serve")
    run(env, "serve")
    text = run(env, "scrape")
    [count] = re.findall(r'portal_http_request_duration_seconds_count\{[^}]*view="portal:healthz"[^}]*\} ([0-9.]+)', text)
    assert float(count) == 2
    assert "portal_notifications" in text  # the backlog gauges are still computed at scrape time
