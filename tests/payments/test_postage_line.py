"""Issue 17: the postage of a result by post is a line of the dossier's fees, paid online or at the
counter with them, printed on the e-receipt and shown apart in the fee report; postage the agency
pays is not charged to the applicant."""

from __future__ import annotations

import pytest

from django.urls import reverse
from django.utils import timezone

from applications.documents import document_generate
from applications.models import Document, DocumentKind, ResultDelivery, Status
from payments.models import PaymentAttempt
from payments.services import payment_record_counter, payment_request, payment_start
from procedures.fees import POSTAGE_KIND, fee_quote_for_dossier
from tests.documents.conftest import pdf_text
from tests.factories import make_dossier
from tests.payments.conftest import FEE, notify, sandbox_result

pytestmark = pytest.mark.django_db
POSTAGE = 18_000


def by_post(version, commune, citizen, **extra):
    return make_dossier(version, commune, citizen, status=Status.RECEIVED, received_at=timezone.now(),
                        result_delivery=ResultDelivery.POST, delivery_province="Huế",
                        delivery_commune="Phường Thuận Hóa", delivery_street="5 Lê Lợi",
                        delivery_address="5 Lê Lợi, Phường Thuận Hóa, Huế", delivery_recipient_name="Nguyễn Văn An",
                        delivery_recipient_phone="0912000001", postage_amount=POSTAGE, **extra)


def assess(dossier, officer):
    payment_request(dossier=dossier, actor=officer, expected_version=dossier.version,
                    quote=fee_quote_for_dossier(dossier), pages=1, copies=1)
    dossier.refresh_from_db()
    return dossier


def test_the_quote_has_the_postage_as_its_own_line(fee_version, commune, citizen):
    quote = fee_quote_for_dossier(by_post(fee_version, commune, citizen))
    assert [(line.kind, line.amount) for line in quote.lines][-1] == (POSTAGE_KIND, POSTAGE)
    assert quote.total == FEE + POSTAGE


def test_a_fee_exemption_does_not_waive_the_postage(fee_version, commune, citizen):
    quote = fee_quote_for_dossier(by_post(fee_version, commune, citizen), exempt_reason="Hộ nghèo")
    assert quote.total == POSTAGE


def test_postage_the_agency_pays_is_shown_at_zero_and_not_charged(fee_version, commune, citizen):
    quote = fee_quote_for_dossier(by_post(fee_version, commune, citizen, postage_paid_by_agency=True))
    postage = quote.lines[-1]
    assert postage.kind == POSTAGE_KIND and postage.amount == 0 and "Cơ quan giải quyết trả cước" in postage.rules[0]
    assert quote.total == FEE


def test_paid_online_the_postage_is_on_the_attempt_and_the_e_receipt(fee_version, commune, citizen, officer):
    dossier = assess(by_post(fee_version, commune, citizen), officer)
    assert dossier.status == Status.AWAITING_PAYMENT and dossier.fee_amount == FEE + POSTAGE
    attempt = payment_start(dossier=dossier, provider_id="sandbox")
    assert attempt.amount == FEE + POSTAGE and attempt.postage_amount == POSTAGE
    notify("sandbox", sandbox_result(attempt))
    receipt = Document.objects.get(kind=DocumentKind.PAYMENT_RECEIPT, source_key=f"payment:{attempt.pk}")
    assert document_generate(document_id=receipt.pk) == "ready"
    receipt.refresh_from_db()
    text = pdf_text(receipt.file.path)
    assert "Cước bưu chính công ích trả kết quả" in text and "18.000" in text and "68.000" in text


def test_paid_at_the_counter_the_postage_is_on_the_receipt_and_in_the_report(
    client, fee_version, commune, citizen, officer, django_assert_max_num_queries
):
    dossier = assess(by_post(fee_version, commune, citizen), officer)
    attempt = payment_record_counter(dossier=dossier, officer=officer, method="cash", receipt_number="BL-17",
                                     amount=FEE + POSTAGE)
    assert attempt.postage_amount == POSTAGE
    assert [line["kind"] for line in attempt.lines][-1] == POSTAGE_KIND
    # An ordinary payment next to it: the report's postage line counts only the postage.
    other = assess(make_dossier(fee_version, commune, citizen, status=Status.RECEIVED, received_at=timezone.now()),
                   officer)
    payment_record_counter(dossier=other, officer=officer, method="cash", receipt_number="BL-18", amount=FEE)
    client.force_login(officer)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("payments:report")).content.decode()
    assert "Trong đó cước bưu chính công ích" in page and "gồm cước bưu chính 18.000 đ" in page
    assert PaymentAttempt.objects.filter(postage_amount__gt=0).count() == 1
