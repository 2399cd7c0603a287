"""LOG_FORMAT=json: one line per request, the request id in every record and inside the tasks a
request queues (a real worker)."""

from __future__ import annotations

import json
import logging
import os

import pytest

from django.db import connection
from django.urls import reverse

from monitoring.context import request_id_var
from tests.support.services import celery_worker, publishing_to, redis_server, unavailable, wait_for, worker_env


@pytest.mark.django_db
def test_one_line_per_request_without_the_query_string(client, citizen, json_log):
    client.force_login(citizen)
    response = client.get(reverse("applications:track") + "?code=SECRET-CODE-123", HTTP_X_REQUEST_ID="req-abc-12345")
    [line] = [line for line in json_log() if line["logger"] == "portal.access"]
    assert line["method"] == "GET" and line["path"] == reverse("applications:track")
    assert line["status"] == response.status_code and line["user_id"] == citizen.pk
    assert line["request_id"] == "req-abc-12345" == response["X-Request-ID"]
    assert isinstance(line["duration_ms"], float)
    assert "SECRET-CODE" not in json.dumps(json_log())


@pytest.mark.django_db
@pytest.mark.parametrize("header", [None, "", "short", "bad id with spaces\nforged", "x" * 65])
def test_a_missing_or_malformed_request_id_is_replaced(client, json_log, header):
    extra = {} if header is None else {"HTTP_X_REQUEST_ID": header}
    response = client.get(reverse("portal:healthz"), **extra)
    assert response["X-Request-ID"] != header and len(response["X-Request-ID"]) == 32
    [line] = [line for line in json_log() if line["logger"] == "portal.access"]
    assert line["request_id"] == response["X-Request-ID"]


def test_every_record_carries_the_current_request_id(json_log):
    token = request_id_var.set("req-inner-0001")
    try:
        logging.getLogger("applications.anything").warning("something happened")
    finally:
        request_id_var.reset(token)
    assert json_log()[-1]["request_id"] == "req-inner-0001"


@pytest.mark.services
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_request_id_travels_into_a_task_on_a_real_worker():
    if connection.vendor != "postgresql":
        unavailable("the worker must see the test's database")
    from notifications.tasks import outbox_sweep

    with redis_server() as (url, _stop, _start), publishing_to(url):
        env = worker_env({"CELERY_BROKER_URL": url, "LOG_FORMAT": "json"})
        with celery_worker(env, queues="default,notifications,documents") as worker:
            token = request_id_var.set("req-to-worker-42")
            try:
                outbox_sweep.apply_async(queue="notifications")
            finally:
                request_id_var.reset(token)
            wait_for(lambda: "succeeded" in open_log(worker), timeout=60, message="the task to run")
    lines = [json.loads(line) for line in worker.log_text.splitlines() if line.startswith("{")]
    finished = [line for line in lines if "outbox_sweep" in line["message"] and "succeeded" in line["message"]]
    assert finished and finished[0]["request_id"] == "req-to-worker-42"


def open_log(worker) -> str:
    """What the worker wrote so far (its stdout is a file; Linux names it under /proc)."""
    with open(os.readlink(f"/proc/{worker.pid}/fd/1"), errors="replace") as handle:
        return handle.read()



def test_a_task_run_in_the_callers_thread_keeps_the_callers_request_id(json_log):
    """Without a broker (development), tasks run eagerly inside the request: its id must survive them."""
    from notifications.tasks import outbox_sweep

    token = request_id_var.set("req-eager-0001")
    try:
        outbox_sweep.apply()
        logging.getLogger("portal.anything").warning("after the task")
    finally:
        request_id_var.reset(token)
    assert json_log()[-1]["request_id"] == "req-eager-0001"
