"""The officer confirms or adjusts the fee (pages, copies, exemption) and asks for payment."""

from __future__ import annotations

import pytest

from django.urls import reverse
from django.utils import timezone

from applications.models import Status
from payments.models import FeeAssessment
from payments.services import payment_lines
from procedures.models import Fee, FeeBasis, FeeKind
from tests.factories import make_dossier, make_procedure

pytestmark = pytest.mark.django_db


@pytest.fixture
def certification(commune):
    version = make_procedure(name="Chứng thực bản sao từ bản chính", agency=commune)
    Fee.objects.create(version=version, kind=FeeKind.FEE, name="Trang 1–2", amount=2_000, basis=FeeBasis.PER_PAGE,
                       page_from=1, page_to=2, order=1)
    Fee.objects.create(version=version, kind=FeeKind.FEE, name="Từ trang 3", amount=1_000, basis=FeeBasis.PER_PAGE,
                       page_from=3, cap=200_000, order=2)
    return version


@pytest.fixture
def received(certification, commune, citizen):
    return make_dossier(certification, commune, citizen, status=Status.RECEIVED, received_at=timezone.now())


def post(client, dossier, **data):
    payload = {"pages": 5, "copies": 2, "exemption_reason": "", "amount": "", "adjust_reason": "",
               "version": dossier.version, "confirm": "1", **data}
    return client.post(reverse("payments:request", args=[dossier.code]), payload)


def test_the_officer_asks_for_the_quoted_amount(client, officer, received):
    client.force_login(officer)

    assert post(client, received).status_code == 302

    received.refresh_from_db()
    assert received.status == Status.AWAITING_PAYMENT and received.fee_amount == 14_000
    assessment = FeeAssessment.objects.get()
    assert (assessment.pages, assessment.copies, assessment.amount) == (5, 2, 14_000)
    lines, _reason = payment_lines(received)
    assert sum(line["amount"] for line in lines) == 14_000


def test_an_adjusted_amount_needs_a_reason_and_shows_as_a_line(client, officer, received):
    client.force_login(officer)
    assert post(client, received, amount=10_000).status_code == 400
    received.refresh_from_db()
    assert received.status == Status.RECEIVED

    assert post(client, received, amount=10_000, adjust_reason="Một trang trắng không tính").status_code == 302

    received.refresh_from_db()
    assert received.fee_amount == 10_000
    lines, _reason = payment_lines(received)
    assert sum(line["amount"] for line in lines) == 10_000
    assert "Một trang trắng không tính" in lines[-1]["name"]


def test_an_exemption_records_the_reason_and_asks_for_nothing(client, officer, received):
    client.force_login(officer)

    assert post(client, received, exemption_reason="Người khuyết tật").status_code == 302

    received.refresh_from_db()
    assert received.status == Status.RECEIVED and received.fee_amount is None
    assert FeeAssessment.objects.get().exemption_reason == "Người khuyết tật"


def test_a_preview_changes_nothing(client, officer, received):
    client.force_login(officer)
    payload = {"pages": 500, "copies": 1, "version": received.version, "preview": "1"}

    response = client.post(reverse("payments:request", args=[received.code]), payload)

    assert response.status_code == 200
    assert "200.000 đ" in response.content.decode()
    received.refresh_from_db()
    assert received.status == Status.RECEIVED and not FeeAssessment.objects.exists()


def test_a_stale_page_is_refused(client, officer, received):
    client.force_login(officer)

    response = post(client, received, version=received.version + 1)

    assert response.status_code == 409
    received.refresh_from_db()
    assert received.status == Status.RECEIVED
    assert not FeeAssessment.objects.exists()


def test_the_other_communes_officer_gets_404(client, other_officer, received):
    client.force_login(other_officer)

    assert post(client, received).status_code == 404
    assert not FeeAssessment.objects.exists()


# --- Checks before anything is written -------------------------------------------------------------


@pytest.mark.parametrize("data", [
    {"amount": "0", "adjust_reason": "Không thu", "version": "99"},
    {"exemption_reason": "Người khuyết tật", "version": "99"},
    {"exemption_reason": "Người khuyết tật"},
])
def test_an_unassigned_specialist_writes_no_assessment(client, specialist, certification, commune, citizen, data):
    # given: a submitted dossier nobody assigned to this specialist
    submitted = make_dossier(certification, commune, citizen, status=Status.SUBMITTED)
    client.force_login(specialist)

    # when
    response = post(client, submitted, **data)

    # then: refused for the role/assignment, and nothing stored
    assert response.status_code == 403
    assert not FeeAssessment.objects.exists()
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED and submitted.fee_amount is None


@pytest.mark.parametrize("data", [
    {"exemption_reason": "Người khuyết tật"},
    {"amount": "0", "adjust_reason": "Không thu"},
])
def test_an_exemption_on_a_dossier_not_yet_received_is_refused(client, officer, certification, commune, citizen, data):
    submitted = make_dossier(certification, commune, citizen, status=Status.SUBMITTED)
    client.force_login(officer)

    response = post(client, submitted, **data)

    assert response.status_code == 409
    assert not FeeAssessment.objects.exists()


def test_a_stale_exemption_is_refused_before_it_is_stored(client, officer, received):
    client.force_login(officer)

    response = post(client, received, exemption_reason="Hộ nghèo", version=received.version + 5)

    assert response.status_code == 409
    assert not FeeAssessment.objects.exists()


def test_the_service_checks_before_it_writes(specialist, received):
    from payments.services import PaymentError, payment_request
    from procedures.fees import Quote

    with pytest.raises(PaymentError) as refused:
        payment_request(dossier=received, actor=specialist, expected_version=99, quote=Quote(), pages=1, copies=1,
                        amount=0)

    assert refused.value.status == 403
    assert not FeeAssessment.objects.exists()
