"""Real concurrency against PostgreSQL: the code counter, the tracking-book number and the two-officer race.

SQLite serialises every write, so these tests only mean something on PostgreSQL and are
skipped elsewhere (CI runs them with REQUIRE_SERVICES=1 and a PostgreSQL DATABASE_URL).
"""

from __future__ import annotations

import threading
from datetime import date

import pytest

from django.db import connection, connections

from applications import workflow
from applications.codes import dossier_code_next
from applications.models import Document, DocumentKind, Dossier, DossierEvent, Status
from tests.applications.workflow.conftest import drive, new_draft
from tests.support.services import unavailable

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        unavailable("needs PostgreSQL (set DATABASE_URL)")


def _run_in_threads(count: int, target) -> list:
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def worker(index: int) -> None:
        try:
            barrier.wait()
            results[index] = target(index)
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread got
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_concurrent_code_requests_never_collide(commune):
    results = _run_in_threads(12, lambda i: [dossier_code_next(commune, date(2026, 5, 4)) for _ in range(5)])
    codes = [code for batch in results for code in batch]
    assert len(codes) == 60 and len(set(codes)) == 60
    assert sorted(int(code.rsplit("-", 1)[1]) for code in codes) == list(range(1, 61))


def test_concurrent_submissions_get_distinct_codes(cast, version, commune, citizen):
    drafts = [new_draft(version, commune, citizen) for _ in range(8)]
    results = _run_in_threads(8, lambda i: workflow.dossier_submit(drafts[i], actor=citizen).code)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert len(set(results)) == 8


def test_two_officers_receiving_at_once_exactly_one_wins(cast, version, commune, citizen, officer):
    from tests.conftest import make_user

    second_officer = make_user("officer2@example.vn", "officer", commune)
    dossier = drive(new_draft(version, commune, citizen), Status.SUBMITTED, cast)
    expected = dossier.version
    officers = [officer, second_officer]

    def receive(index: int):
        from applications.models import Dossier

        fresh = Dossier.objects.get(pk=dossier.pk)
        return workflow.dossier_receive(fresh, actor=officers[index], expected_version=expected)

    results = _run_in_threads(2, receive)
    stale = [r for r in results if isinstance(r, workflow.StaleDossier)]
    won = [r for r in results if not isinstance(r, Exception)]
    assert len(won) == 1 and len(stale) == 1, results
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED and dossier.version == expected + 1
    assert DossierEvent.objects.filter(dossier=dossier, action="received").count() == 1


def test_officers_receiving_at_once_print_distinct_consecutive_book_numbers(cast, version, commune, citizen, officer):
    from tests.conftest import make_user

    officers = [officer] + [make_user(f"officer{i}@example.vn", "officer", commune) for i in range(2, 9)]
    submitted = [drive(new_draft(version, commune, citizen), Status.SUBMITTED, cast) for _ in officers]

    def receive(index: int) -> Dossier:
        fresh = Dossier.objects.get(pk=submitted[index].pk)
        return workflow.dossier_receive(fresh, actor=officers[index], expected_version=fresh.version)

    results = _run_in_threads(len(officers), receive)

    assert not [r for r in results if isinstance(r, Exception)], results
    expected = list(range(1, len(officers) + 1))
    # What each receipt (Mẫu 01) printed, snapshotted inside its own receive transaction.
    printed = Document.objects.filter(kind=DocumentKind.RECEIPT, dossier__in=submitted).values_list("context", flat=True)
    assert sorted(int(context["book_sequence"]) for context in printed) == expected
    stored = Dossier.objects.filter(pk__in=[d.pk for d in submitted]).values_list("book_number", flat=True)
    assert sorted(stored) == expected


def test_locking_a_dossier_leaves_its_agency_and_procedure_free_for_other_dossiers(version, commune, citizen):
    """A payment locks its dossier with the agency and procedure version joined in. Only the dossier row
    may be locked: another dossier's INSERT checks its foreign keys with KEY SHARE locks on that agency and
    version at COMMIT, and a lock on them deadlocked concurrent filings and payments of a commune."""
    from django.db import transaction

    from applications.rows import dossier_lock
    from tests.factories import make_dossier

    dossier = make_dossier(version, commune, citizen)
    locked = threading.Event()
    release = threading.Event()

    def hold() -> None:
        try:
            with transaction.atomic():
                dossier_lock(dossier, "procedure_version", "agency")
                locked.set()
                release.wait(30)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert locked.wait(30)

        def probe(sql: str, pk: int) -> str:
            try:
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute(sql, [pk])
                return "free"
            except Exception as exc:  # noqa: BLE001 - NOWAIT's "could not obtain lock" is the answer
                return type(exc).__name__
            finally:
                connections.close_all()

        results = _run_in_threads(1, lambda _i: [
            probe("SELECT 1 FROM accounts_agency WHERE id = %s FOR KEY SHARE NOWAIT", commune.pk),
            probe("SELECT 1 FROM procedures_procedureversion WHERE id = %s FOR KEY SHARE NOWAIT", version.pk),
            probe("SELECT 1 FROM applications_dossier WHERE id = %s FOR KEY SHARE NOWAIT", dossier.pk),
            probe("SELECT 1 FROM applications_dossier WHERE id = %s FOR NO KEY UPDATE NOWAIT", dossier.pk),
        ])[0]
        # The agency, the version and a child row's key check are free; a second locker of the dossier is not.
        assert results == ["free", "free", "free", "OperationalError"]
        # Another dossier of the same commune and procedure can be filed while the first is locked.
        other = _run_in_threads(1, lambda _i: make_dossier(version, commune, citizen).pk)[0]
        assert isinstance(other, int)
    finally:
        release.set()
        holder.join(30)
