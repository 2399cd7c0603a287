"""Fee lines per channel (online / counter) and statutory conditions evaluated from the dossier, each
line explaining itself; and the demo catalogue carrying them as the law sets them."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from django.urls import reverse
from django.utils import timezone

from applications.models import Channel, Status
from procedures import demo
from procedures.fees import fee_quote_for_dossier
from procedures.models import Fee, FeeBasis, FeeChannel, FeeCondition, FeeKind, Procedure
from tests.factories import make_dossier, make_procedure

pytestmark = pytest.mark.django_db
FILED = timezone.make_aware(datetime(2026, 11, 10, 9, 0))


@pytest.fixture
def residence(commune):
    """Circular 75/2022: permanent residence 20.000đ filed in person, 10.000đ filed online."""
    version = make_procedure(name="Đăng ký thường trú", agency=commune)
    Fee.objects.create(version=version, kind=FeeKind.CHARGE, name="Lệ phí (nộp trực tiếp)", amount=20_000,
                       channel=FeeChannel.COUNTER, order=1)
    Fee.objects.create(version=version, kind=FeeKind.CHARGE, name="Lệ phí (nộp trực tuyến)", amount=10_000,
                       channel=FeeChannel.ONLINE, order=2)
    return version


@pytest.fixture
def birth(commune):
    """On-time birth registration (60 days) is free; a late one pays 8.000đ."""
    version = make_procedure(name="Đăng ký khai sinh", agency=commune)
    Fee.objects.create(version=version, kind=FeeKind.CHARGE, name="Lệ phí đăng ký khai sinh (quá hạn)", amount=8_000,
                       condition=FeeCondition.LATE_REGISTRATION, condition_field="birth_date", condition_days=60)
    return version


@pytest.mark.parametrize(("channel", "total", "name"), [
    (Channel.ONLINE, 10_000, "Lệ phí (nộp trực tuyến)"),
    (Channel.IN_PERSON, 20_000, "Lệ phí (nộp trực tiếp)"),
    (Channel.POST, 20_000, "Lệ phí (nộp trực tiếp)"),
])
def test_the_quote_takes_only_the_line_for_the_dossiers_channel(residence, commune, citizen, channel, total, name):
    dossier = make_dossier(residence, commune, citizen, channel=channel)

    quote = fee_quote_for_dossier(dossier)

    assert quote.total == total
    assert [line.name for line in quote.lines] == [name]
    assert "Mức thu khi nộp" in quote.lines[0].rules[0]


def test_a_line_for_any_channel_is_charged_on_every_channel(residence, commune, citizen):
    Fee.objects.create(version=residence, kind=FeeKind.FEE, name="Phí chung", amount=1_000)

    online = fee_quote_for_dossier(make_dossier(residence, commune, citizen, channel=Channel.ONLINE))
    counter = fee_quote_for_dossier(make_dossier(residence, commune, citizen, channel=Channel.IN_PERSON))

    assert (online.total, counter.total) == (11_000, 21_000)


@pytest.mark.parametrize(("born", "amount", "words"), [
    (date(2026, 11, 1), 0, "Đăng ký đúng hạn"),
    (date(2026, 9, 11), 0, "Đăng ký đúng hạn"),       # the 60th day after birth is 10/11: still on time
    (date(2026, 9, 10), 8_000, "Đăng ký quá hạn"),    # the 61st day: late
    (date(2020, 1, 1), 8_000, "Đăng ký quá hạn"),
])
def test_an_on_time_birth_registration_is_exempt_and_says_why(birth, commune, citizen, born, amount, words):
    dossier = make_dossier(birth, commune, citizen, submitted_at=FILED,
                           form_data={"child_name": "Bé", "birth_date": born.isoformat()})

    quote = fee_quote_for_dossier(dossier, on=FILED.date())

    assert quote.total == amount
    [line] = quote.lines
    assert line.amount == amount
    assert any(words in rule and born.strftime("%d/%m/%Y") in rule for rule in line.rules), line.rules


def test_without_a_date_in_the_form_the_fee_is_charged_and_the_officer_is_told(birth, commune, citizen):
    dossier = make_dossier(birth, commune, citizen, submitted_at=FILED, form_data={"child_name": "Bé"})

    quote = fee_quote_for_dossier(dossier)

    assert quote.total == 8_000
    assert any("chưa có ngày" in rule for rule in quote.lines[0].rules)


def test_page_lines_name_their_band_and_cap(commune, citizen):
    version = make_procedure(name="Chứng thực bản sao", agency=commune)
    Fee.objects.create(version=version, kind=FeeKind.FEE, name="Trang 1–2", amount=2_000, basis=FeeBasis.PER_PAGE,
                       page_from=1, page_to=2, order=1)
    Fee.objects.create(version=version, kind=FeeKind.FEE, name="Từ trang 3", amount=1_000, basis=FeeBasis.PER_PAGE,
                       page_from=3, cap=200_000, order=2)
    dossier = make_dossier(version, commune, citizen)

    small = fee_quote_for_dossier(dossier, pages=5)
    big = fee_quote_for_dossier(dossier, pages=500)

    assert "trang 1–2" in small.lines[0].rules[0] and "từ trang 3" in small.lines[1].rules[0]
    assert "chưa đến mức tối đa" in small.lines[1].rules[-1]
    assert big.total == 200_000 and "Đã áp dụng mức thu tối đa 200.000 đ" in big.lines[1].rules[-1]


def test_a_late_registration_line_needs_its_field_and_days():
    from django.core.exceptions import ValidationError

    version = make_procedure()
    fee = Fee(version=version, kind=FeeKind.CHARGE, name="Lệ phí", amount=8_000,
              condition=FeeCondition.LATE_REGISTRATION)

    with pytest.raises(ValidationError):
        fee.full_clean()


# --- What the officer and the citizen see -----------------------------------------------------------


def test_the_officer_sees_the_online_line_and_its_rule(client, officer, residence, commune, citizen):
    dossier = make_dossier(residence, commune, citizen, channel=Channel.ONLINE, status=Status.RECEIVED,
                           received_at=timezone.now())
    client.force_login(officer)

    response = client.get(reverse("payments:request", args=[dossier.code]))

    body = response.content.decode()
    assert response.context["quote"].total == 10_000
    lines = body[body.index('data-testid="fee-lines"'):body.index('data-testid="fee-total"')]
    assert "Lệ phí (nộp trực tuyến)" in lines and "Lệ phí (nộp trực tiếp)" not in lines
    assert "Mức thu khi nộp trực tuyến" in lines
    assert "Lệ phí (nộp trực tiếp) (20.000 đ): chỉ áp dụng khi nộp trực tiếp hoặc qua bưu chính" in body
    assert "30.000" not in body


def test_an_on_time_birth_registration_asks_for_nothing_and_keeps_why(client, officer, birth, commune, citizen):
    # given: an on-time birth registration and a late one, both assessed by the officer
    on_time = make_dossier(birth, commune, citizen, status=Status.RECEIVED, received_at=timezone.now(),
                           form_data={"birth_date": (timezone.localdate() - timedelta(days=5)).isoformat()})
    client.force_login(officer)
    client.post(reverse("payments:request", args=[on_time.code]),
                {"pages": 1, "copies": 1, "version": on_time.version, "confirm": "1"})
    on_time.refresh_from_db()

    # then: nothing to pay, and the reason is kept on the assessment
    assert on_time.status == Status.RECEIVED and on_time.fee_amount is None
    assessment = on_time.fee_assessments.get()
    assert assessment.amount == 0 and "Đăng ký đúng hạn" in " ".join(assessment.lines[0]["rules"])


def test_the_citizen_pay_page_shows_the_rules_of_a_late_registration(client, officer, birth, commune, citizen):
    late = make_dossier(birth, commune, citizen, status=Status.RECEIVED, received_at=timezone.now(),
                        form_data={"birth_date": "2024-01-02"})
    client.force_login(officer)
    client.post(reverse("payments:request", args=[late.code]),
                {"pages": 1, "copies": 1, "version": late.version, "confirm": "1"})
    late.refresh_from_db()
    assert late.status == Status.AWAITING_PAYMENT and late.fee_amount == 8_000
    client.force_login(citizen)

    body = client.get(reverse("payments:pay", args=[late.code])).content.decode()

    assert "Đăng ký quá hạn" in body and "02/01/2024" in body
    assert "8.000 đ" in body


# --- The demo catalogue carries the law ----------------------------------------------------------------


def test_the_demo_residence_and_birth_fees_carry_channels_and_conditions(commune, other_commune):
    demo.seed()
    residence = Procedure.objects.get(code="1.004222").current_version
    birth_version = Procedure.objects.get(code="1.001193").current_version

    assert sorted(residence.fees.values_list("channel", "amount")) == [
        (FeeChannel.COUNTER, 20_000), (FeeChannel.ONLINE, 10_000)]
    temporary = Procedure.objects.get(code="1.004194").current_version
    assert {fee.channel for fee in temporary.fees.all()} == {FeeChannel.COUNTER, FeeChannel.ONLINE}
    [birth_fee] = birth_version.fees.all()
    assert (birth_fee.condition, birth_fee.condition_field, birth_fee.condition_days) == (
        FeeCondition.LATE_REGISTRATION, "child_birth_date", 60)
    assert birth_version.form_fields.filter(key="child_birth_date").exists()
    death_fee = Procedure.objects.get(code="1.000656").current_version.fees.get()
    assert (death_fee.condition_field, death_fee.condition_days) == ("death_date", 15)
