"""With a real broker and a real worker process: a change is pushed by the worker after commit, and
a change made while the broker is down is pushed by the sweeper once it is back."""

from __future__ import annotations

import pytest

from django.db import connection

from applications import workflow
from national.models import NationalSync, SyncState
from national.services import sync_sweep
from sandbox.models import NationalPortalPush
from tests.national.conftest import submitted
from tests.support.services import celery_worker, publishing_to, redis_server, unavailable, wait_for, worker_env

pytestmark = [pytest.mark.services, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_the_worker_pushes_each_change_and_the_sweeper_catches_what_the_broker_lost(
    national_portal, version, commune, citizen, officer, specialist, settings
):
    if connection.vendor != "postgresql":
        unavailable("the worker must see the test's rows in PostgreSQL")
    with redis_server() as (url, stop, start), publishing_to(url):
        env = worker_env({
            "CELERY_BROKER_URL": url, "NATIONAL_PORTAL_URL": settings.NATIONAL_PORTAL_URL,
            "NATIONAL_PORTAL_TOKEN": settings.NATIONAL_PORTAL_TOKEN,
            "NATIONAL_PORTAL_SECRET": settings.NATIONAL_PORTAL_SECRET,
        })
        with celery_worker(env, queues="default"):
            dossier = submitted(version, commune, citizen)
            workflow.dossier_receive(dossier, actor=officer, expected_version=dossier.version)
            wait_for(lambda: NationalPortalPush.objects.filter(national_code=dossier.code).count() == 2,
                     timeout=60, message="the worker to push both changes")

            stop()
            workflow.dossier_transfer(dossier, actor=officer, expected_version=dossier.version, specialist=specialist)
            assert NationalSync.objects.filter(dossier=dossier, state=SyncState.PENDING).count() == 1
            start()
            sync_sweep()  # what beat runs every minute

        codes = list(NationalPortalPush.objects.filter(national_code=dossier.code).values_list("status_code",
                                                                                                  flat=True))
        assert codes == [1, 2, 4]
        assert not NationalSync.objects.filter(dossier=dossier).exclude(state=SyncState.DELIVERED).exists()
