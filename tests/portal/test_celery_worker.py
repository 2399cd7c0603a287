"""A real Celery worker process, against a real Redis, runs our task."""

import uuid

import pytest
import redis

from tests.support.services import celery_worker, redis_url_or_skip, wait_for, worker_env

pytestmark = [pytest.mark.services, pytest.mark.django_db]


def test_a_real_worker_runs_a_task_sent_through_redis():
    broker = redis_url_or_skip()
    # A database of Redis of its own for the worker's cache, so the test can read what it wrote.
    cache_url = broker.rsplit("/", 1)[0] + "/14"
    env = worker_env({"CELERY_BROKER_URL": broker, "REDIS_URL": cache_url})
    token = uuid.uuid4().hex

    from portal.celery import app

    with celery_worker(env, queues="default") as proc:
        with app.connection_for_write(broker) as conn:
            app.send_task("portal.tasks.ping", args=[token], queue="default", connection=conn)
        client = redis.Redis.from_url(cache_url)
        try:
            wait_for(lambda: any(token in key.decode() for key in client.keys("*ping*")), timeout=60,
                     message="the worker to run portal.tasks.ping")
        except AssertionError:
            proc.terminate()
            raise
