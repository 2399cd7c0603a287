"""The request id travels with the tasks a request queues; beat tasks record when they last ran."""

from __future__ import annotations

import time

from celery.signals import before_task_publish, setup_logging, task_postrun, task_prerun

from monitoring.context import request_id_var

HEADER = "portal_request_id"


@before_task_publish.connect
def _stamp_request_id(headers: dict | None = None, **kwargs) -> None:
    request_id = request_id_var.get()
    if headers is not None and request_id:
        headers[HEADER] = request_id


@task_prerun.connect
def _adopt_request_id(task=None, **kwargs) -> None:
    request = getattr(task, "request", None)
    if getattr(request, "is_eager", False):
        return  # run in the caller's thread (no broker): the caller's id is already current
    request_id = getattr(request, HEADER, None) or (getattr(request, "headers", None) or {}).get(HEADER)
    # A task queued by beat or by another task without an id gets none ("-" in the log).
    request_id_var.set(request_id or "")


@task_postrun.connect
def _record_beat_run(task=None, state=None, **kwargs) -> None:
    from monitoring.metrics import BEAT_LAST_RUN_KEY, beat_task_names

    name = getattr(task, "name", "")
    if name in beat_task_names():
        from accounts.throttle import shared_cache

        shared_cache().set(BEAT_LAST_RUN_KEY.format(task=name), time.time(), timeout=None)
    if not getattr(getattr(task, "request", None), "is_eager", False):
        request_id_var.set("")  # a worker process: the next task starts without an id


@setup_logging.connect
def _keep_django_logging(**kwargs) -> None:
    """The worker keeps settings.LOGGING (JSON lines, the request id filter) instead of Celery's own
    handlers: connecting this signal is how Celery is told not to configure logging itself."""
    import logging.config

    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)
