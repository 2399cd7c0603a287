"""manage.py generate_history: a generated history is what the workflow would have written, and the
portal (queues, dossier page, tracking, the next real submission) works on it."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, Max, Sum
from django.urls import reverse

from accounts.models import Agency, Role, User
from applications import workflow
from applications.codes import dossier_code_format, dossier_code_next
from applications.deadlines import due_at_receipt, local_date
from applications.models import (
    CLOCK_PAUSED_STATES,
    Document,
    DocumentKind,
    Dossier,
    DossierCodeCounter,
    DossierEvent,
    Event,
    Pause,
    Status,
    TrackingBookCounter,
)
from payments.models import AttemptState, FeeAssessment, PaymentAttempt
from procedures.models import Fee, Procedure
from tests.factories import make_dossier, make_procedure

pytestmark = pytest.mark.django_db

C01_CODE = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.H\d{2}-\d{6}-\d{4}$")


@pytest.fixture(scope="module")
def history(django_db_setup, django_db_blocker):
    """2,000 dossiers over 60 days in 6 communes (generated once for the module, removed after it)."""
    if connection.vendor != "postgresql":
        pytest.skip("generate_history writes with PostgreSQL COPY")
    with django_db_blocker.unblock():
        before = _indexes_and_constraints()
        call_command("generate_history", dossiers=2000, agencies=6, procedures=12, days=60, seed=7, verbosity=0)
        yield {"before": before, "after": _indexes_and_constraints()}
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE applications_dossier, applications_dossiercodecounter, "
                           "applications_trackingbookcounter, applications_documentnumbercounter CASCADE")
        Procedure.objects.filter(code__startswith="9.").delete()
        User.objects.filter(email__endswith="@generated.invalid").delete()
        for depth in (2, 1, 0):  # communes, then districts, then provinces
            Agency.objects.filter(eid_code__regex=r"^H8[01]" + r"\.\d+" * depth + "$").delete()


def _indexes_and_constraints() -> set[tuple[str, ...]]:
    """Every index (name, table, whether valid, a definition normalised by PostgreSQL) and constraint of
    the generated tables."""
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT 'index', t.relname::text, i.relname::text, x.indisvalid::text, x.indisunique::text,
                   am.amname::text, x.indkey::text, coalesce(pg_get_expr(x.indexprs, x.indrelid), ''),
                   coalesce(pg_get_expr(x.indpred, x.indrelid), '')
            FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
            JOIN pg_am am ON am.oid = i.relam
            WHERE t.relname ~ '^(applications|payments)_'
            UNION ALL
            SELECT 'constraint', c.conrelid::regclass::text, c.conname::text, c.contype::text,
                   pg_get_constraintdef(c.oid), coalesce(i.relname::text, ''), '', '', ''
            FROM pg_constraint c LEFT JOIN pg_class i ON i.oid = c.conindid
            WHERE c.conrelid::regclass::text ~ '^(applications|payments)_'
        """)
        # A partial index built again from its definition reads back with its casts in other places
        # ('a'::varchar)::text rather than ARRAY['a'::varchar]::text[]: the same predicate once folded.
        return {(*row[:-1], re.sub(r"::[a-z ]+(\[\])?|[()]", "", row[-1])) for row in cursor.fetchall()}


def test_every_index_and_constraint_dropped_for_the_load_is_back_as_it_was(history):
    assert history["after"] == history["before"]
    names = {row[2] for row in history["after"]}
    # Among them the unique constraints dropped for the load, and the plain and partial indexes.
    assert {"applications_document_verify_token_key", "document_source_unique", "applications_dossier_code_key",
            "dossier_queue_idx", "dossier_clock_running_due_idx", "dossier_code_trgm"} <= names


def test_it_refuses_a_database_that_already_holds_dossiers(commune, citizen):
    if connection.vendor != "postgresql":
        pytest.skip("generate_history writes with PostgreSQL COPY")
    make_dossier(make_procedure(agency=commune), commune, citizen)
    with pytest.raises(CommandError, match="đã có hồ sơ"):
        call_command("generate_history", dossiers=10, agencies=1, verbosity=0)


def test_every_state_is_there_and_codes_are_unique_in_the_real_layout(history):
    statuses = set(Dossier.objects.values_list("status", flat=True).distinct())
    assert statuses == set(Status.values)
    assert Dossier.objects.count() == 2000
    rows = list(Dossier.objects.exclude(status=Status.DRAFT).select_related("agency")
                .values_list("code", "agency_id", "submitted_at"))
    codes = [code for code, _agency, _at in rows]
    assert len(codes) == len(set(codes))
    assert all(C01_CODE.match(code) for code in codes)
    agencies = {agency.pk: agency for agency in Agency.objects.all()}
    last: dict[tuple[int, object], int] = defaultdict(int)
    for code, agency_id, submitted in rows:
        day = local_date(submitted)
        sequence = int(code.rsplit("-", 1)[1])
        assert code == dossier_code_format(agencies[agency_id], day, sequence)
        last[(agency_id, day)] = max(last[(agency_id, day)], sequence)
    counters = {(row.agency_id, row.day): row.last_value for row in DossierCodeCounter.objects.all()}
    assert counters == dict(last)
    assert not Dossier.objects.filter(status=Status.DRAFT, code__isnull=False).exists()


def test_each_dossier_event_chain_ends_in_its_status(history):
    chains: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
    for dossier_id, action, from_status, to_status in DossierEvent.objects.order_by("dossier_id", "at", "pk") \
            .values_list("dossier_id", "action", "from_status", "to_status"):
        chains[dossier_id].append((action, from_status, to_status))
    for dossier_id, status, version in Dossier.objects.values_list("pk", "status", "version"):
        chain = chains.get(dossier_id, [])
        if status == Status.DRAFT:
            assert chain == [] and version == 0
            continue
        assert chain[0][:2] == (Event.SUBMITTED, Status.DRAFT), dossier_id
        for previous, current in zip(chain, chain[1:], strict=False):
            assert current[1] == previous[2], (dossier_id, chain)
        assert chain[-1][2] == status, (dossier_id, chain)
        assert version == len(chain)


def test_deadlines_pauses_and_slips_match_what_the_workflow_writes(history):
    received = Dossier.objects.filter(received_at__isnull=False).select_related("procedure_version")
    for dossier in received[:300]:
        assert dossier.due_original == due_at_receipt(dossier.procedure_version, dossier.received_at)
    numbers = list(received.values_list("agency_id", "book_year", "book_number"))
    assert len(numbers) == len(set(numbers))
    book = {(row.agency_id, row.year): row.last_value for row in TrackingBookCounter.objects.all()}
    for agency_id, year, number in numbers:
        assert number <= book[(agency_id, year)]
    open_pauses = set(Pause.objects.filter(ended_at__isnull=True).values_list("dossier_id", flat=True))
    paused = set(Dossier.objects.filter(status__in=CLOCK_PAUSED_STATES).values_list("pk", flat=True))
    assert open_pauses == paused
    slip_for = {Event.RECEIVED: DocumentKind.RECEIPT, Event.REFUSED: DocumentKind.REFUSAL,
                Event.APPROVED: DocumentKind.RESULT, Event.NOT_ELIGIBLE: DocumentKind.NOT_ELIGIBLE,
                Event.APOLOGISED: DocumentKind.APOLOGY, Event.STOPPED: DocumentKind.STOP}
    documents = set(Document.objects.values_list("kind", "source_key"))
    for pk, action in DossierEvent.objects.filter(action__in=slip_for).values_list("pk", "action"):
        assert (slip_for[action], f"event:{pk}") in documents
    assert Dossier.objects.filter(status=Status.RETURNED, returned_at__isnull=True).count() == 0
    assert Dossier.objects.filter(status__in=[Status.APPROVED, Status.NOT_ELIGIBLE, Status.RETURNED],
                                  timeliness="").count() == 0


def test_payments_match_the_fees(history):
    fees = dict(Fee.objects.values("version_id").annotate(total=Sum("amount")).values_list("version_id", "total"))
    succeeded = PaymentAttempt.objects.filter(state=AttemptState.SUCCEEDED).select_related("dossier")
    assert succeeded.count() > 50
    for attempt in succeeded:
        assert attempt.amount == attempt.dossier.fee_amount == fees[attempt.dossier.procedure_version_id]
        assert Document.objects.filter(kind=DocumentKind.PAYMENT_RECEIPT, source_key=f"payment:{attempt.pk}").exists()
    confirmed = DossierEvent.objects.filter(action=Event.PAYMENT_CONFIRMED)
    assert set(confirmed.values_list("dossier_id", flat=True)) == set(succeeded.values_list("dossier_id", flat=True))
    for dossier in Dossier.objects.filter(status=Status.AWAITING_PAYMENT):
        assert dossier.fee_amount == fees[dossier.procedure_version_id]
        assert FeeAssessment.objects.filter(dossier=dossier, amount=dossier.fee_amount).exists()
    assert set(PaymentAttempt.objects.values_list("channel", flat=True)) == {"online", "counter"}
    assert set(Dossier.objects.values_list("channel", flat=True)) >= {"online", "in_person", "post"}


def test_the_portal_works_on_it_and_the_next_real_dossier_continues_the_sequences(history, client):
    dossier = Dossier.objects.filter(status=Status.SUBMITTED).select_related("agency").order_by("-submitted_at").first()
    officer = User.objects.get(role=Role.OFFICER, agency=dossier.agency)
    client.force_login(officer)
    for queue in ("new", "processing", "overdue", "supplement", "payment", "to_return", "all"):
        assert client.get(f"/officer/?queue={queue}").status_code == 200
    page = client.get(f"/officer/dossiers/{dossier.code}/")
    assert page.status_code == 200 and dossier.applicant_name in page.content.decode()
    returned = Dossier.objects.filter(status=Status.RETURNED).first()
    assert returned.code in client.get(reverse("applications:track"), {"code": returned.code}).content.decode()
    # Receiving takes the next tracking-book number; a new submission the next code of the day.
    received = workflow.dossier_receive(dossier, actor=officer, expected_version=dossier.version)
    assert received.book_number == TrackingBookCounter.objects.get(
        agency=dossier.agency, year=received.book_year).last_value
    day = local_date(dossier.submitted_at)
    taken = Dossier.objects.filter(agency=dossier.agency, code__contains=f"-{day:%y%m%d}-").aggregate(n=Count("pk"))
    code = dossier_code_next(dossier.agency, day)
    assert not Dossier.objects.filter(code=code).exists()
    assert int(code.rsplit("-", 1)[1]) == DossierCodeCounter.objects.filter(
        agency=dossier.agency, day=day).aggregate(last=Max("last_value"))["last"] == taken["n"] + 1


def test_the_clock_running_due_index_covers_exactly_the_running_states():
    from applications.models import CLOCK_RUNNING_STATES

    index = next(index for index in Dossier._meta.indexes if index.name == "dossier_clock_running_due_idx")
    assert set(dict(index.condition.children)["status__in"]) == set(CLOCK_RUNNING_STATES)


def test_appending_continues_the_gateway_and_receipt_numbers(db):
    """A second run with --append (and another seed) writes beside the first without a duplicate."""
    if connection.vendor != "postgresql":
        pytest.skip("generate_history writes with PostgreSQL COPY")
    from applications.history_scale import generate_history

    for seed in (3, 4):
        generate_history(dossiers=400, agencies=2, procedures=4, days=30, seed=seed, append=True, workers=1)
    numbers = list(PaymentAttempt.objects.exclude(provider_txn_no=None).values_list("provider_txn_no", flat=True))
    receipts = list(PaymentAttempt.objects.exclude(receipt_number=None).values_list("agency_id", "receipt_number"))
    assert len(numbers) > 10 and len(numbers) == len(set(numbers))
    assert len(receipts) > 10 and len(receipts) == len(set(receipts))
