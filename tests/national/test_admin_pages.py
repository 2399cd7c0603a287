"""The admin's lists of failed syncs and parked national dossiers: bounded queries, and the day's counts."""

from __future__ import annotations

import pytest

from django.utils import timezone

from applications.models import DossierEvent, Status
from national.models import InboundDossier, InboundState, NationalSync, SyncState
from national.services import sync_daily_counts
from tests.factories import make_dossier, make_procedure

pytestmark = pytest.mark.django_db


@pytest.fixture
def syncs(commune, citizen):
    version = make_procedure(agency=commune)
    now = timezone.now()
    for n in range(12):
        dossier = make_dossier(version, commune, citizen, status=Status.SUBMITTED)
        event = DossierEvent.objects.create(dossier=dossier, action="submitted", at=now, to_status="submitted")
        state = [SyncState.DEAD, SyncState.DELIVERED, SyncState.RETRYING][n % 3]
        NationalSync.objects.create(dossier=dossier, event=event, version=1, status_code=1, state=state,
                                    next_attempt_at=now, delivered_at=now if state == SyncState.DELIVERED else None,
                                    response_status=500, response_body="x" * 500)
        InboundDossier.objects.create(national_code=f"G22-{n}", payload={"MaHoSo": f"G22-{n}"},
                                      state=InboundState.PARKED, reason="Không tìm thấy thủ tục")


def test_the_failed_sync_list_stays_within_its_query_budget(client, admin_user, syncs, django_assert_max_num_queries):
    client.force_login(admin_user)
    with django_assert_max_num_queries(14):
        response = client.get("/admin/national/nationalsync/?state__exact=dead")
    assert response.status_code == 200 and response.content.decode().count("/admin/national/nationalsync/") >= 4


def test_the_parked_dossier_list_stays_within_its_query_budget(client, admin_user, syncs,
                                                               django_assert_max_num_queries):
    client.force_login(admin_user)
    with django_assert_max_num_queries(12):
        response = client.get("/admin/national/inbounddossier/?state__exact=parked")
    assert response.status_code == 200 and "G22-11" in response.content.decode()


def test_the_days_counts_for_the_digest(syncs):
    assert sync_daily_counts() == {"delivered": 4, "retrying": 4, "pending": 0, "dead": 4}


def test_the_morning_digest_tells_the_administrators_yesterdays_count(syncs, admin_user):
    from datetime import timedelta

    from national.services import sync_digest_send
    from notifications.models import Notification

    today = timezone.localdate()
    NationalSync.objects.filter(state=SyncState.DELIVERED).update(delivered_at=timezone.now() - timedelta(days=1))

    assert sync_digest_send() >= 1
    rows = Notification.objects.count()
    sync_digest_send()
    assert Notification.objects.count() == rows  # one row per channel and day, however often beat runs it
    note = Notification.objects.get(recipient=admin_user, channel="in_app", event="national_sync_digest")
    day = (today - timedelta(days=1)).strftime("%d/%m/%Y")
    assert note.body.startswith(f"Ngày {day}: 4 lượt đồng bộ thành công") and "4 lượt đang chờ" in note.body
    assert "4 lượt đồng bộ thất bại" in note.body
