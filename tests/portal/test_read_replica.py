"""Reports read the replica (DATABASE_REPLICA_URL); the workflow and every write never do.

The replica is a second, migrated PostgreSQL database (tests/support/replica.py) that holds different
rows from the primary: the primary's summary says 3 dossiers received, the replica's 7, and the
replica has none of the primary's dossiers or payments. Each answer therefore says which database gave it,
and the queries captured on each connection say the same.
"""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from datetime import timedelta
from io import BytesIO

import pytest
import time_machine
from openpyxl import load_workbook

from django.core.cache import cache
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications.deadlines import local_date
from applications.models import Status
from payments.services import payment_record_counter
from portal.lib.replica import PIN_COOKIE, reading_from_replica
from quality.models import DailySummary, MonthlySummary
from tests.applications.workflow.conftest import Cast, drive, new_draft
from tests.factories import make_procedure
from tests.payments.conftest import awaiting_payment
from tests.support.replica import ALIAS, replica_database_create
from tests.support.services import REPO

pytestmark = [pytest.mark.services, pytest.mark.django_db(databases=["default", ALIAS])]

PRIMARY_RECEIVED, REPLICA_RECEIVED = 3, 7


@pytest.fixture(scope="session")
def replica_database(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        yield from replica_database_create()


@pytest.fixture
def replica(replica_database, settings, commune, leader, officer):
    """The replica switched on, holding the same agencies and procedure as the primary but other figures."""
    settings.DATABASE_REPLICA_ALIAS = replica_database
    settings.REPLICA_PIN_SECONDS = 15
    version = make_procedure(agency=commune, name="Đăng ký khai sinh", fee=8_000)
    procedure = version.procedure
    procedure.current_version = None
    for row in (commune.parent, commune, procedure.sector, procedure):
        copy.copy(row).save(using=ALIAS, force_insert=True)
    procedure.refresh_from_db()
    today = local_date(timezone.now())
    keys = {"day": today, "agency_id": commune.pk, "procedure_id": procedure.pk, "sector_id": procedure.sector_id}
    month = {**keys, "month": today.replace(day=1)}
    del month["day"]
    # The monthly roll-up is the daily rows summed; periods of whole months read it, loose days read the days.
    for alias, received in (("default", PRIMARY_RECEIVED), (ALIAS, REPLICA_RECEIVED)):
        DailySummary.objects.using(alias).create(**keys, received=received)
        MonthlySummary.objects.using(alias).create(**month, received=received)
    cache.clear()
    return version


def _queries(alias: str) -> CaptureQueriesContext:
    return CaptureQueriesContext(connections[alias])


def _transparency_received(client, commune) -> int:
    cache.clear()  # the page's figures are cached; each read here must compute them
    response = client.get(reverse("quality:transparency"))
    assert response.status_code == 200
    return next(row["received"] for row in response.context["board"]["agencies"] if row["name"] == commune.name)


def test_the_public_transparency_page_reads_the_replica(client, replica, commune):
    with _queries("default") as primary, _queries(ALIAS) as copy:
        assert _transparency_received(client, commune) == REPLICA_RECEIVED

    assert any("quality_dailysummary" in query["sql"] for query in copy.captured_queries)
    assert not any("quality_dailysummary" in query["sql"] for query in primary.captured_queries)


def test_the_quality_dashboard_and_its_reports_read_the_replica(client, replica, leader, commune):
    client.force_login(leader)
    with _queries(ALIAS) as copy:
        response = client.get(reverse("quality:dashboard"))
    assert response.status_code == 200
    assert response.context["board"].totals["received"] == REPLICA_RECEIVED
    assert copy.captured_queries

    workbook = client.get(reverse("quality:report", args=["xlsx"]))
    assert workbook.status_code == 200 and workbook["Content-Type"].startswith("application/vnd.openxml")
    result = workbook.content
    # The Excel report's total row holds the replica's figure (7), not the primary's (3).
    values = [cell for row in load_workbook(BytesIO(result)).active.iter_rows(values_only=True) for cell in row]
    assert REPLICA_RECEIVED in values and PRIMARY_RECEIVED not in values


def test_the_drill_down_lists_the_replicas_dossiers(client, replica, leader, commune, citizen, officer):
    """A dossier received on the primary only is not in the replica yet: the drill-down (replica) lists none."""
    cast = Cast(citizen, officer, None, leader)
    drive(new_draft(replica, commune, citizen), Status.RECEIVED, cast)
    client.force_login(leader)

    with _queries(ALIAS) as copy:
        response = client.get(reverse("quality:drill", args=["received"]))

    assert response.status_code == 200
    assert response.context["page"].paginator.count == 0
    assert any("applications_dossier" in query["sql"] for query in copy.captured_queries)


def test_the_payment_report_and_its_export_read_the_replica(client, replica, officer, commune, citizen):
    dossier = awaiting_payment(replica, commune, citizen, officer, amount=8_000)
    payment_record_counter(dossier=dossier, officer=officer, method="cash", receipt_number="BL-77", amount=8_000)
    client.force_login(officer)

    with _queries(ALIAS) as copy:
        page = client.get(reverse("payments:report"))
    assert page.status_code == 200
    assert page.context["rows"] == [] and "BL-77" not in page.content.decode()
    assert any("payments_" in query["sql"] for query in copy.captured_queries)

    export = client.get(reverse("payments:report"), {"format": "xlsx"})
    assert export.status_code == 200
    cells = [cell for row in load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True) for cell in row]
    assert cells and "BL-77" not in cells
    # Pinned after a write, the same report reads the primary and lists the receipt.
    client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    assert "BL-77" in client.get(reverse("payments:report")).content.decode()


def test_the_tracking_book_and_its_export_read_the_replica(client, replica, officer, commune, citizen, leader):
    """A dossier received on the primary only: the book (replica) does not list it yet; pinned, it does."""
    dossier = drive(new_draft(replica, commune, citizen), Status.RECEIVED, Cast(citizen, officer, None, leader))
    client.force_login(officer)

    with _queries(ALIAS) as copy:
        book = client.get("/officer/tracking-book/")
    assert book.status_code == 200 and book.context["rows"] == []
    assert any("applications_dossier" in query["sql"] for query in copy.captured_queries)
    export = client.get("/officer/tracking-book/export/")
    assert export.status_code == 200
    cells = [cell for row in load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True) for cell in row]
    assert cells and dossier.code not in cells

    client.post("/i18n/setlang/", {"language": "vi", "next": "/"})  # any write pins this browser to the primary
    assert [row for row in client.get("/officer/tracking-book/").context["rows"]
            if dossier.code in str(row)]
    pinned = client.get("/officer/tracking-book/export/").content
    assert dossier.code in [cell for row in load_workbook(BytesIO(pinned)).active.iter_rows(values_only=True)
                            for cell in row]


def test_a_workflow_post_never_touches_the_replica_and_pins_the_writer_to_the_primary(client, replica, officer,
                                                                                        commune, citizen, leader):
    cast = Cast(citizen, officer, None, leader)
    dossier = drive(new_draft(replica, commune, citizen), Status.SUBMITTED, cast)
    client.force_login(officer)

    with _queries(ALIAS) as copy:
        response = client.post(f"/officer/dossiers/{dossier.code}/actions/receive/",
                               {"receive-expected_version": dossier.version})

    assert response.status_code == 302, response.content.decode()[:500]
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED
    assert copy.captured_queries == []
    cookie = client.cookies[PIN_COOKIE]
    assert cookie["httponly"] and int(cookie["max-age"]) == 15

    # Just after the write, this browser reads the primary (read-after-write) ...
    with _queries(ALIAS) as copy:
        assert _transparency_received(client, commune) == PRIMARY_RECEIVED
    assert copy.captured_queries == []
    # ... another browser reads the replica ...
    other = type(client)()
    assert _transparency_received(other, commune) == REPLICA_RECEIVED
    # ... and once the pin has run out, so does this one.
    with time_machine.travel(timezone.now() + timedelta(seconds=20), tick=False):
        assert _transparency_received(client, commune) == REPLICA_RECEIVED


def test_a_forged_pin_is_ignored(client, replica, commune):
    client.cookies[PIN_COOKIE] = "1700000000"
    assert _transparency_received(client, commune) == REPLICA_RECEIVED


def test_tasks_read_the_primary_even_when_queued_from_a_report(replica, commune):
    """A task run in-process inside a replica read (development, eager tasks) still reads the primary."""
    from quality.tasks import quality_summary_refresh

    with reading_from_replica() as alias, _queries(ALIAS) as copy, _queries("default") as primary:
        assert alias == ALIAS
        quality_summary_refresh.apply()
        # The report's own reads, after the task, are on the replica again.
        assert DailySummary.objects.get(agency=commune).received == REPLICA_RECEIVED

    assert [query["sql"] for query in copy.captured_queries if "quality_dailysummary" not in query["sql"]] == []
    assert len(copy.captured_queries) == 1
    assert any("quality_dailysummary" in query["sql"] for query in primary.captured_queries)


def test_without_a_replica_everything_reads_the_one_database(client, replica, settings, officer, commune, citizen,
                                                             leader):
    settings.DATABASE_REPLICA_ALIAS = ""
    with _queries(ALIAS) as copy:
        assert _transparency_received(client, commune) == PRIMARY_RECEIVED
        client.force_login(leader)
        assert client.get(reverse("quality:dashboard")).context["board"].totals["received"] == PRIMARY_RECEIVED
        dossier = drive(new_draft(replica, commune, citizen), Status.SUBMITTED, Cast(citizen, officer, None, leader))
        client.force_login(officer)
        client.post(f"/officer/dossiers/{dossier.code}/actions/receive/", {"receive-expected_version": dossier.version})
        with reading_from_replica() as alias:
            assert alias == "default"
    assert copy.captured_queries == []
    assert PIN_COOKIE not in client.cookies


def _settings_databases(**env: str) -> subprocess.CompletedProcess:
    script = ("import django, json; django.setup(); from django.conf import settings; "
              "print(json.dumps({a: c.get('TEST', {}).get('MIRROR') for a, c in settings.DATABASES.items()}), "
              "settings.DATABASE_REPLICA_ALIAS or '-', settings.DATABASES.get('replica', {}).get('NAME', '-'))")
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_REPLICA_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    return subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120,
                          env={**clean, "DJANGO_SETTINGS_MODULE": "portal.settings", "DEBUG": "1",
                               "DATABASE_URL": "postgres://portal:portal@127.0.0.1:5432/portal", **env})


@pytest.mark.django_db(databases=["default"])  # no replica database needed: settings only
def test_the_replica_alias_exists_only_when_its_url_is_set():
    without = _settings_databases()
    assert without.returncode == 0, without.stderr
    assert without.stdout.split() == ['{"default":', "null}", "-", "-"]

    with_replica = _settings_databases(DATABASE_REPLICA_URL="postgres://reader:secret@replica.internal:5432/portal")
    assert with_replica.returncode == 0, with_replica.stderr
    # A test run against a real replica reads the primary's test database through it (a hot standby
    # cannot hold one).
    assert with_replica.stdout.split() == ['{"default":', 'null,', '"replica":', '"default"}', "replica", "portal"]
