"""Every status change reaches the local national portal over HTTP, in order per dossier, once,
whatever the portal does meanwhile (down, slow, 500, garbage, back)."""

from __future__ import annotations

import json
import time
from datetime import timedelta

import pytest

from django.utils import timezone

from applications import workflow
from applications.models import NATIONAL_STATUS, Attachment, Status
from national.models import NationalSync, SyncState
from national.services import sync_drain, sync_sweep
from sandbox.models import NationalPortalPush
from tests.national.conftest import client_with, submitted

pytestmark = pytest.mark.django_db(transaction=True)


def _walk_to_returned(dossier, officer, specialist, leader):
    workflow.dossier_receive(dossier, actor=officer, expected_version=dossier.version)
    workflow.dossier_transfer(dossier, actor=officer, expected_version=dossier.version, specialist=specialist)
    workflow.dossier_submit_for_approval(dossier, actor=specialist, expected_version=dossier.version)
    workflow.dossier_approve(dossier, actor=leader, expected_version=dossier.version, result_summary="Đồng ý")
    workflow.dossier_return_result(dossier, actor=officer, expected_version=dossier.version, method="online")


def _assert_record_complete(dossiers):
    """The national record holds every change of every dossier exactly once, in version order."""
    for dossier in dossiers:
        rows = NationalSync.objects.filter(dossier=dossier).order_by("pk")
        assert {row.state for row in rows} == {SyncState.DELIVERED}, [(row.pk, row.state, row.error) for row in rows]
        pushes = list(NationalPortalPush.objects.filter(national_code=dossier.code).order_by("pk"))
        assert [push.sync_id for push in pushes] == [str(row.sync_id) for row in rows]  # none lost, none twice
        assert [push.version for push in pushes] == sorted(push.version for push in pushes)  # never overtaken
        assert not any(push.is_stale for push in pushes)


def test_every_status_change_is_pushed_in_order_with_the_national_fields(
    national_portal, version, commune, citizen, officer, specialist, leader
):
    dossier = submitted(version, commune, citizen)
    Attachment.objects.create(dossier=dossier, file="attachments/x", original_name="to-khai.pdf",
                              content_type="application/pdf", size=10, sha256="0" * 64, is_digitised=True,
                              digitised_at=timezone.now())
    # A paper taken from the citizen's document store instead of uploaded again (DuocTaiSuDung).
    Attachment.objects.create(dossier=dossier, file="attachments/y", original_name="giay-khai-sinh.pdf",
                              content_type="application/pdf", size=10, sha256="1" * 64, is_reused=True)

    _walk_to_returned(dossier, officer, specialist, leader)

    pushes = list(NationalPortalPush.objects.filter(national_code=dossier.code).order_by("pk"))
    assert [push.status_code for push in pushes] == [1, 2, 4, 4, 9, 10]
    last = pushes[-1].body
    assert last["PhienBan"] == dossier.version and last["TrangThaiHoSo"] == NATIONAL_STATUS[Status.RETURNED]
    assert len(last["NgayTiepNhan"]) == 14 and last["NgayTiepNhan"].isdigit() and len(last["NgayTra"]) == 14
    # The history is the public timeline (internal hand-overs, like the submission for approval, stay out).
    assert [step["TrangThai"] for step in last["QuaTrinhXuLy"]] == [1, 2, 4, 9, 10]
    assert len(pushes[1].body["QuaTrinhXuLy"]) == 2  # each push stops its history at its own change
    assert last["HoSoCoThanhPhanSoHoa"] == 1 and last["DuocThanhToanTrucTuyen"] == 3
    assert [(paper["DuocSoHoa"], paper["DuocTaiSuDung"]) for paper in last["TaiLieuNop"]] == [(1, 0), (0, 1)]
    assert last["TaiKhoanDuocXacThucVoiVNeID"] == 0 and last["KenhThucHien"] == 2
    assert last["MaTTHC"] == version.procedure.code and last["MaDonVi"] == commune.eid_code
    _assert_record_complete([dossier])


def test_the_national_date_is_vietnam_time():
    from datetime import UTC, datetime

    from national.protocol import national_date

    assert national_date(datetime(2026, 1, 5, 17, 30, 0, tzinfo=UTC)) == "20260106003000"


def test_a_refused_transition_owes_the_national_portal_nothing(national_portal, version, commune, citizen, officer):
    dossier = submitted(version, commune, citizen)
    before = NationalSync.objects.count()

    with pytest.raises(workflow.StaleDossier):
        workflow.dossier_receive(dossier, actor=officer, expected_version=dossier.version - 1)

    assert NationalSync.objects.count() == before


@pytest.mark.parametrize("fault", ["down", "error", "garbage"])
def test_changes_made_while_the_portal_fails_all_arrive_once_and_in_order_when_it_is_back(
    national_portal, version, commune, citizen, officer, specialist, settings, fault
):
    settings.NATIONAL_SYNC_RETRY_BASE_SECONDS = 0
    national_portal.switch(fault)
    dossiers = [submitted(version, commune, citizen) for _ in range(3)]
    for dossier in dossiers:
        workflow.dossier_receive(dossier, actor=officer, expected_version=dossier.version)
        workflow.dossier_transfer(dossier, actor=officer, expected_version=dossier.version, specialist=specialist)

    assert not NationalPortalPush.objects.exists()
    assert NationalSync.objects.filter(state=SyncState.DELIVERED).count() == 0
    assert NationalSync.objects.filter(state=SyncState.RETRYING).exists()

    national_portal.switch("up")
    sync_sweep()

    _assert_record_complete(dossiers)
    assert [p.status_code for p in NationalPortalPush.objects.filter(national_code=dossiers[0].code)] == [1, 2, 4]


def test_a_slow_portal_times_out_and_the_resend_is_recorded_once(
    national_portal, version, commune, citizen, officer, settings
):
    settings.NATIONAL_SYNC_RETRY_BASE_SECONDS = 0
    settings.NATIONAL_PORTAL_TIMEOUT = 0.5
    national_portal.switch("slow", 1.5)
    dossier = submitted(version, commune, citizen)

    first = NationalSync.objects.get(dossier=dossier)
    assert first.state == SyncState.RETRYING and "unreachable" in first.error

    time.sleep(1.5)  # the slow portal handles the first send after all; we never heard its answer
    national_portal.switch("up")
    sync_sweep()

    push = NationalPortalPush.objects.get(national_code=dossier.code)  # the slow answer got there, then the resend
    assert push.resends == 1
    _assert_record_complete([dossier])


@pytest.mark.parametrize("outage_seconds", [10, 60, 300])
def test_an_outage_replayed_with_beat_sweeps_loses_nothing(
    national_portal, version, commune, citizen, officer, specialist, outage_seconds
):
    """The outage is replayed on the sweeper's clock: a change every 10 s, a sweep every minute as
    the beat runs it, the portal back at the end; nothing is parked dead and nothing is lost."""
    national_portal.switch("down")
    start = timezone.now()
    dossiers = [submitted(version, commune, citizen) for _ in range(2)]
    moves = [lambda d: workflow.dossier_receive(d, actor=officer, expected_version=d.version),
             lambda d: workflow.dossier_transfer(d, actor=officer, expected_version=d.version, specialist=specialist)]
    for second in range(0, outage_seconds, 10):
        if moves and second % 20 == 0:
            move = moves.pop(0)
            for dossier in dossiers:
                move(dossier)
        if second % 60 == 0:
            sync_sweep(now=start + timedelta(seconds=second))
    assert not NationalPortalPush.objects.exists()

    national_portal.switch("up")
    sync_sweep(now=start + timedelta(seconds=outage_seconds + 3600))

    assert not NationalSync.objects.filter(state=SyncState.DEAD).exists()
    _assert_record_complete(dossiers)


def test_a_refused_push_is_parked_with_the_answer_holds_later_changes_and_the_admin_retries_it(
    national_portal, version, commune, citizen, officer, client, admin_user, settings
):
    right_token = settings.NATIONAL_PORTAL_TOKEN
    settings.NATIONAL_PORTAL_TOKEN = "wrong-token"
    dossier = submitted(version, commune, citizen)
    workflow.dossier_receive(dossier, actor=officer, expected_version=dossier.version)

    first, second = NationalSync.objects.filter(dossier=dossier).order_by("pk")
    assert first.state == SyncState.DEAD and first.response_status == 401
    assert json.loads(first.response_body)["message"] == "Sai mã xác thực"
    assert second.state == SyncState.PENDING  # held: a later status never overtakes an earlier one
    sync_drain()
    second.refresh_from_db()
    assert second.state == SyncState.PENDING and not NationalPortalPush.objects.exists()

    settings.NATIONAL_PORTAL_TOKEN = right_token
    client.force_login(admin_user)
    listing = client.get("/admin/national/nationalsync/?state__exact=dead")
    assert listing.status_code == 200 and dossier.code in listing.content.decode()
    response = client.post("/admin/national/nationalsync/", {"action": "retry", "_selected_action": [first.pk]})
    assert response.status_code == 302
    sync_drain()

    _assert_record_complete([dossier])


def test_a_portal_answering_many_failures_parks_the_row_after_the_last_attempt(
    national_portal, version, commune, citizen, settings
):
    settings.NATIONAL_SYNC_RETRY_BASE_SECONDS = 0
    settings.NATIONAL_SYNC_MAX_ATTEMPTS = 3
    national_portal.switch("error")
    dossier = submitted(version, commune, citizen)
    sync_drain()
    sync_drain()

    row = NationalSync.objects.get(dossier=dossier)
    assert row.state == SyncState.DEAD and row.attempts == 3 and row.response_status == 500
    sync_drain()
    row.refresh_from_db()
    assert row.attempts == 3  # parked, kept, not tried again until an administrator says so


def test_the_portal_checks_the_signature(national_portal, version, commune, citizen, settings):
    settings.NATIONAL_SYNC_ENABLED = False
    dossier = submitted(version, commune, citizen)
    settings.NATIONAL_SYNC_ENABLED = True
    from applications.models import DossierEvent

    row = NationalSync.objects.create(dossier=dossier, event=DossierEvent.objects.filter(dossier=dossier).last(),
                                      version=dossier.version, status_code=1, next_attempt_at=timezone.now())
    result = sync_drain(client=client_with(secret="not-the-secret"))

    row.refresh_from_db()
    assert result.dead == 1 and row.response_status == 401 and not NationalPortalPush.objects.exists()
