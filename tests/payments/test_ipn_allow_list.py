"""PAYMENT_IPN_ALLOWED_IPS: notifications only from the gateway's published addresses, over real HTTP."""

from __future__ import annotations

import json
import logging
import urllib.request
from urllib.parse import urlencode

import pytest

from django.urls import reverse

from payments.models import AttemptState, PaymentAttempt
from payments.services import payment_start
from tests.payments.conftest import sandbox_result, vnpay_result

pytestmark = pytest.mark.django_db(transaction=True)


def notify_over_http(live_server, provider_id: str, params: dict[str, str]) -> dict:
    url = live_server.url + reverse("payments:notification", args=[provider_id]) + "?" + urlencode(params)
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.status == 200
        return json.loads(response.read().decode())


@pytest.mark.parametrize("provider_id, signed", [("sandbox", sandbox_result), ("vnpay", vnpay_result)])
def test_a_notification_from_an_unlisted_address_is_refused_with_rspcode_99_and_logged(
    live_server, settings, dossier, caplog, provider_id, signed,
):
    attempt = payment_start(dossier=dossier, provider_id=provider_id, payer_ip="203.0.113.5")
    params = signed(attempt)
    settings.PAYMENT_IPN_ALLOWED_IPS = ["113.160.92.202", "203.205.17.0/24"]  # the live server sees 127.0.0.1

    with caplog.at_level(logging.WARNING, logger="payments.views"):
        assert notify_over_http(live_server, provider_id, params) == {
            "RspCode": "99", "Message": "Source IP not allowed",
        }
    assert PaymentAttempt.objects.get(pk=attempt.pk).state == AttemptState.PENDING
    assert any(getattr(record, "source_ip", "") == "127.0.0.1" for record in caplog.records)

    settings.PAYMENT_IPN_ALLOWED_IPS = ["113.160.92.202", "127.0.0.0/8"]
    assert notify_over_http(live_server, provider_id, params)["RspCode"] == "00"
    assert PaymentAttempt.objects.get(pk=attempt.pk).state == AttemptState.SUCCEEDED


def test_without_an_allow_list_the_signature_alone_decides(live_server, settings, dossier):
    settings.PAYMENT_IPN_ALLOWED_IPS = []
    attempt = payment_start(dossier=dossier, provider_id="vnpay", payer_ip="203.0.113.5")
    assert notify_over_http(live_server, "vnpay", vnpay_result(attempt))["RspCode"] == "00"


def test_the_source_is_read_behind_trusted_proxies_as_the_rate_limits_read_it(client, settings, dossier):
    attempt = payment_start(dossier=dossier, provider_id="vnpay", payer_ip="203.0.113.5")
    params = vnpay_result(attempt)
    ipn = reverse("payments:notification", args=["vnpay"])
    settings.PAYMENT_IPN_ALLOWED_IPS = ["113.160.92.202"]
    settings.TRUSTED_PROXY_HOPS = 1
    # A forged left-most entry does not help: the address the proxy saw is the last one.
    forged = client.get(ipn, params, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="113.160.92.202, 198.51.100.7")
    assert forged.json()["RspCode"] == "99"
    genuine = client.get(ipn, params, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7, 113.160.92.202")
    assert genuine.json() == {"RspCode": "00", "Message": "Confirm Success"}
