"""The VNPay code path over real HTTP: a fake VNPay on 127.0.0.1 serves the bank page, calls our
live server's IPN endpoint with a signed GET, and sends the browser back to our return URL."""

from __future__ import annotations

import urllib.request
from urllib.parse import parse_qsl, urlencode, urlparse

import pytest

from django.test import Client

from applications.models import Status
from payments.models import AgencyPaymentConfig, AttemptState, PaymentAttempt, ProviderId

pytestmark = pytest.mark.django_db(transaction=True)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_a_payment_at_the_fake_vnpay_is_notified_to_our_ipn_over_http(live_server, fake_vnpay, dossier, citizen):
    fake_vnpay.ipn_url = live_server.url + "/payments/vnpay/ipn/"
    AgencyPaymentConfig.objects.create(agency=dossier.agency, provider=ProviderId.VNPAY)
    browser = Client(SERVER_NAME=urlparse(live_server.url).hostname)
    browser.force_login(citizen)

    to_bank = urlparse(browser.post(f"/payments/dossier/{dossier.code}/pay/")["Location"])
    bank_page = urllib.request.urlopen(to_bank.geturl(), timeout=10).read().decode()
    assert "Fake VNPay" in bank_page
    form = {**dict(parse_qsl(to_bank.query)), "choice": "success"}
    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(fake_vnpay.base_url + "/pay", data=urlencode(form).encode(), timeout=10)
    except urllib.error.HTTPError as redirect:
        back = urlparse(redirect.headers["Location"])
    else:
        raise AssertionError("the fake bank must redirect back to us")

    assert fake_vnpay.ipn_replies == [{"RspCode": "00", "Message": "Confirm Success"}]
    attempt = PaymentAttempt.objects.get()
    dossier.refresh_from_db()
    assert attempt.state == AttemptState.SUCCEEDED and attempt.provider == "vnpay"
    assert dossier.status == Status.RECEIVED
    assert back.path == "/payments/return/vnpay/"
    page = browser.get(back.path, dict(parse_qsl(back.query)))
    assert page.status_code == 200 and "Thanh toán thành công" in page.content.decode()
    assert fake_vnpay.querydr_calls == 0  # already settled by the IPN: no need to ask
