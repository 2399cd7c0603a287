"""Postal fixtures: a full-process dossier approved with delivery by post, the sandbox operator's
credentials, and a fake operator for faults."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import date, timedelta

import pytest

from django.utils import timezone

from applications.models import Dossier, ResultDelivery, Status
from postal.services import postal_order_create
from procedures.models import PostageRate, PostageZone
from tests.factories import make_dossier, make_postal_units, make_procedure
from tests.postal.fake_operator import FakeOperator

API_KEY = "test-post-key"
CALLBACK_SECRET = "test-post-callback-secret"
ADDRESS = "Số 12 đường Lê Lợi, Xã An Phú, Tỉnh Thử Nghiệm"


@pytest.fixture(autouse=True)
def _postal_settings(settings):
    settings.POSTAL_PROVIDER = "sandbox"
    settings.SANDBOX_POSTAL_API_KEY = API_KEY
    settings.SANDBOX_POSTAL_CALLBACK_SECRET = CALLBACK_SECRET
    settings.POSTAL_API_TIMEOUT = 1.0
    # Nothing listens there: tests that need an operator start one.
    settings.SANDBOX_POSTAL_API_URL = "http://127.0.0.1:9/api"


@pytest.fixture(autouse=True)
def tariff(db, settings):
    """An illustrative tariff (admin data): within the province 13.000 đ up to 250 g, 20.000 đ up to 2 kg;
    between provinces 18.000 đ and 30.000 đ."""
    settings.POSTAL_HOME_PROVINCE = "Lâm Đồng"
    rates = [(PostageZone.INTRA, 0, 250, 13_000), (PostageZone.INTRA, 250, 2000, 20_000),
             (PostageZone.INTER, 0, 250, 18_000), (PostageZone.INTER, 250, 2000, 30_000)]
    for zone, low, high, amount in rates:
        PostageRate.objects.create(zone=zone, weight_from=low, weight_to=high, amount=amount,
                                   effective_from=date(2025, 7, 1))
    make_postal_units()  # the commune list an order's address must resolve to


@pytest.fixture
def post_version(commune):
    return make_procedure(name="Đăng ký khai sinh", agency=commune)


@pytest.fixture
def approved(post_version, commune, citizen) -> Dossier:
    now = timezone.now()
    return make_dossier(post_version, commune, citizen, status=Status.APPROVED, result_delivery=ResultDelivery.POST,
                        delivery_address=ADDRESS, applicant_phone="0912000001", received_at=now,
                        due_original=now + timedelta(days=3), due_current=now + timedelta(days=3),
                        resolved_at=now)


@pytest.fixture
def operator(settings):
    fake = FakeOperator(api_key=API_KEY).start()
    settings.SANDBOX_POSTAL_API_URL = fake.api_url
    yield fake
    fake.stop()


def order_for(dossier, officer):
    return postal_order_create(dossier, actor=officer, expected_version=dossier.version,
                               recipient_name="Nguyễn Văn An", recipient_phone="0912000001", address=ADDRESS,
                               weight_grams=100, province="Lâm Đồng", postage_amount=13_000)


def signed(payload: dict, secret: str = CALLBACK_SECRET) -> tuple[bytes, str]:
    body = json.dumps(payload).encode()
    return body, "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
