"""The Celery wiring: every beat entry runs a real task, slow work lands on its own queue."""

from django.conf import settings

from portal.celery import app


def _registered() -> set[str]:
    app.loader.import_default_modules()
    return set(app.tasks)


def test_every_beat_entry_names_a_registered_task():
    registered = _registered()
    missing = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()} - registered
    assert not missing, f"beat would send tasks no worker knows: {missing}"


def test_documents_and_notifications_go_to_their_own_queues():
    router = app.amqp.router
    assert router.route({}, "applications.tasks.document_render")["queue"].name == "documents"
    assert router.route({}, "notifications.tasks.notification_send")["queue"].name == "notifications"
    assert router.route({}, "portal.tasks.ping")["queue"].name == "default"


def test_reliability_settings_are_on():
    assert app.conf.task_acks_late is True
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.task_soft_time_limit < app.conf.task_time_limit
    render = app.tasks["applications.tasks.document_render"]
    assert render.soft_time_limit and render.time_limit and render.soft_time_limit < render.time_limit
