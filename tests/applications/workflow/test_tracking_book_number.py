"""The dossier's number in its agency's yearly tracking book (số thứ tự, quyển số) is taken at
receipt, stored, and printed the same on Mẫu 01, Mẫu 07 and the book."""

from __future__ import annotations

import importlib
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import time_machine

from django.apps import apps

from applications import migrations
from applications.models import DocumentKind, Dossier, Status, TrackingBookCounter
from applications.slips import legal_basis_for, slip_context
from applications.tracking_book import tracking_book_rows
from tests.applications.workflow.conftest import drive, new_draft
from tests.factories import make_dossier

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def _receive_at(moment: datetime, cast, version, agency, citizen) -> Dossier:
    with time_machine.travel(moment, tick=False):
        return drive(new_draft(version, agency, citizen), Status.RECEIVED, cast)


def _receipt_context(dossier: Dossier) -> dict:
    return slip_context(DocumentKind.RECEIPT, dossier,
                        legal_basis=legal_basis_for(dossier, DocumentKind.RECEIPT))


def _book(agency, start: date, end: date) -> dict[str, int | None]:
    return {row.code: row.number for row in tracking_book_rows([agency.pk], start, end)}


def test_receiving_numbers_the_dossier_in_the_agency_book_for_the_year(cast, version, commune, citizen):
    first = _receive_at(datetime(2026, 3, 2, 9, tzinfo=VN), cast, version, commune, citizen)
    second = _receive_at(datetime(2026, 3, 2, 10, tzinfo=VN), cast, version, commune, citizen)
    submitted_only = drive(new_draft(version, commune, citizen), Status.SUBMITTED, cast)

    assert (first.book_year, first.book_number) == (2026, 1)
    assert (second.book_year, second.book_number) == (2026, 2)
    assert submitted_only.book_number is None
    assert TrackingBookCounter.objects.get(agency=commune, year=2026).last_value == 2
    context = _receipt_context(second)
    assert (context["book_volume"], context["book_sequence"]) == ("2026", "2")


def test_each_agency_keeps_its_own_book(cast, version, commune, other_commune, citizen, other_officer):
    from tests.applications.workflow.conftest import Cast

    ours = _receive_at(datetime(2026, 3, 2, 9, tzinfo=VN), cast, version, commune, citizen)
    other_cast = Cast(cast.citizen, other_officer, cast.specialist, cast.leader)
    theirs = _receive_at(datetime(2026, 3, 2, 9, 30, tzinfo=VN), other_cast, version, other_commune, citizen)

    assert ours.book_number == 1 and theirs.book_number == 1


def test_a_corrected_receipt_time_does_not_renumber_the_book(cast, version, commune, citizen):
    first = _receive_at(datetime(2026, 3, 2, 9, tzinfo=VN), cast, version, commune, citizen)
    second = _receive_at(datetime(2026, 3, 3, 9, tzinfo=VN), cast, version, commune, citizen)
    printed = _receipt_context(first)["book_sequence"]

    # An admin corrects the first dossier's receipt time to after the second one's.
    Dossier.objects.filter(pk=first.pk).update(received_at=datetime(2026, 3, 4, 9, tzinfo=VN))
    first.refresh_from_db()

    assert printed == "1"
    assert _receipt_context(first)["book_sequence"] == "1"
    book = _book(commune, date(2026, 3, 1), date(2026, 3, 31))
    assert book == {first.code: 1, second.code: 2}
    extract = slip_context(DocumentKind.TRACKING_BOOK, first,
                           legal_basis=legal_basis_for(first, DocumentKind.TRACKING_BOOK))
    assert (extract["book_volume"], extract["sequence"]) == ("2026", "1")


def test_the_book_starts_again_at_1_on_new_year_in_vietnam_time(cast, version, commune, citizen):
    last_of_2026 = _receive_at(datetime(2026, 12, 31, 16, tzinfo=VN), cast, version, commune, citizen)
    # 00:30 on 1/1/2027 in Vietnam is still 31/12/2026 in UTC: the book follows Vietnam's calendar.
    moment = datetime(2027, 1, 1, 0, 30, tzinfo=VN)
    assert moment.astimezone(ZoneInfo("UTC")).year == 2026
    first_of_2027 = _receive_at(moment, cast, version, commune, citizen)
    second_of_2027 = _receive_at(moment + timedelta(hours=9), cast, version, commune, citizen)

    assert (last_of_2026.book_year, last_of_2026.book_number) == (2026, 1)
    assert (first_of_2027.book_year, first_of_2027.book_number) == (2027, 1)
    assert (second_of_2027.book_year, second_of_2027.book_number) == (2027, 2)
    assert _receipt_context(first_of_2027)["book_volume"] == "2027"
    assert _book(commune, date(2027, 1, 1), date(2027, 1, 31)) == {first_of_2027.code: 1, second_of_2027.code: 2}


def test_the_migration_numbers_earlier_dossiers_in_receipt_order(version, commune, other_commune, citizen, cast):
    def received(agency, when: datetime) -> Dossier:
        return make_dossier(version, agency, citizen, status=Status.RECEIVED, received_at=when)

    # Created out of receipt order, so the numbering cannot simply follow the ids.
    late = received(commune, datetime(2026, 5, 2, 9, tzinfo=VN))
    early = received(commune, datetime(2026, 5, 1, 9, tzinfo=VN))
    tie_a = received(commune, datetime(2026, 5, 3, 9, tzinfo=VN))
    tie_b = received(commune, datetime(2026, 5, 3, 9, tzinfo=VN))
    last_year = received(commune, datetime(2026, 1, 1, 6, tzinfo=VN) - timedelta(hours=8))  # 31/12/2025 22:00
    elsewhere = received(other_commune, datetime(2026, 5, 1, 8, tzinfo=VN))
    not_received = make_dossier(version, commune, citizen, status=Status.SUBMITTED)

    # Found by name, not number: migration numbers change when branches are merged.
    path = next(Path(migrations.__file__).parent.glob("*_tracking_book_number_backfill.py"))
    migration = importlib.import_module(f"applications.migrations.{path.stem}")
    migration.number_received_dossiers(apps, None)

    def number(dossier: Dossier) -> tuple[int | None, int | None]:
        dossier.refresh_from_db()
        return dossier.book_year, dossier.book_number

    assert [number(d) for d in (early, late, tie_a, tie_b)] == [(2026, 1), (2026, 2), (2026, 3), (2026, 4)]
    assert number(last_year) == (2025, 1)
    assert number(elsewhere) == (2026, 1)
    assert number(not_received) == (None, None)
    # The next receipt continues the series instead of starting again at 1.
    with time_machine.travel(datetime(2026, 5, 4, 9, tzinfo=VN), tick=False):
        nxt = drive(new_draft(version, commune, citizen), Status.RECEIVED, cast)
    assert (nxt.book_year, nxt.book_number) == (2026, 5)
