"""A second gateway with its own protocol plugs in as one provider class: start → notification →
reply → paid runs through the unchanged services and views (the national payment platform, in a
later issue, must need nothing more)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from urllib.parse import parse_qsl, urlencode, urlparse

import pytest

from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from applications.models import Document, DocumentKind, Status
from payments.models import AttemptState, PaymentAttempt
from payments.providers import registry
from payments.providers.base import GatewayMessage, GatewayReply, GatewayRequest, PaymentProvider, SettleResult
from tests.payments.conftest import FEE
from tests.payments.fake_national_platform import PAY_FIELDS, RESULT_FIELDS, FakeNationalPlatform, checksum

pytestmark = pytest.mark.django_db(transaction=True)

PARTNER, SECRET = "DVC-H99", "national-platform-test-secret"
REPLIES = {
    SettleResult.CONFIRMED: "00", SettleResult.ALREADY_CONFIRMED: "02", SettleResult.INVALID_SIGNATURE: "03",
    SettleResult.NOT_FOUND: "04", SettleResult.INVALID_AMOUNT: "05", SettleResult.ERROR: "99",
}


class NationalPlatformProvider(PaymentProvider):
    """The provider side of the fake's protocol: amounts in đồng, JSON POST notifications."""

    id = "national"
    name = "Nền tảng thanh toán quốc gia (thử)"
    notification_methods = ("POST",)
    base_url = ""

    @classmethod
    def from_settings(cls, env_prefix: str = "") -> NationalPlatformProvider:
        if not cls.base_url:
            raise ImproperlyConfigured("no platform")
        return cls()

    @classmethod
    def _fields(cls, message: GatewayRequest) -> dict[str, str]:
        if message.method == "POST":
            return json.loads(message.body or b"{}")
        return message.params

    @classmethod
    def reference(cls, message: GatewayRequest) -> str:
        return str(cls._fields(message).get("MaThamChieu", ""))

    @classmethod
    def notification_reply(cls, result: SettleResult) -> GatewayReply:
        return GatewayReply(json.dumps({"MaLoi": REPLIES[result]}))

    def start_payment(self, attempt, request) -> str:
        params = {"MaDoiTac": PARTNER, "MaThamChieu": attempt.txn_ref, "SoTien": str(attempt.amount),
                  "UrlTraVe": request.build_absolute_uri(reverse("payments:return", args=[self.id]))}
        params["MaXacThuc"] = checksum(params, PAY_FIELDS, SECRET)
        return f"{self.base_url}/pay?{urlencode(params)}"

    def form_action_origin(self, request) -> str:
        return self.base_url

    def _parse(self, message: GatewayRequest) -> GatewayMessage:
        fields = self._fields(message)
        if fields.get("MaXacThuc") != checksum(fields, RESULT_FIELDS, SECRET):
            return GatewayMessage(signature_valid=False)
        return GatewayMessage(
            signature_valid=True, txn_ref=fields["MaThamChieu"], amount=int(fields["SoTien"]),
            state="succeeded" if fields["TrangThai"] == "1" else "failed", provider_txn_no=fields["MaGiaoDich"],
            response_code=fields["TrangThai"], raw=fields,
        )

    parse_return = _parse
    parse_notification = _parse


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def platform(live_server, settings):
    fake = FakeNationalPlatform(partner=PARTNER, secret=SECRET).start()
    fake.notify_url = live_server.url + "/payments/national/ipn/"
    NationalPlatformProvider.base_url = fake.base_url
    previous = registry.register(NationalPlatformProvider)
    settings.PAYMENT_PROVIDER = "national"
    yield fake
    registry.unregister(NationalPlatformProvider.id, previous)
    fake.stop()


def test_a_second_gateway_runs_start_notification_reply_paid_through_the_same_services(platform, live_browser, dossier):
    # start: our pay page sends the browser to the platform, allowing it in the form's CSP
    page = live_browser.get(reverse("payments:pay", args=[dossier.code]))
    assert f"form-action 'self' {platform.base_url}" in page["Content-Security-Policy"]
    assert "Nền tảng thanh toán quốc gia (thử)" in page.content.decode()
    to_platform = urlparse(live_browser.post(reverse("payments:pay", args=[dossier.code]))["Location"])
    assert f"{to_platform.scheme}://{to_platform.netloc}" == platform.base_url
    assert "Cong thanh toan quoc gia" in urllib.request.urlopen(to_platform.geturl(), timeout=10).read().decode()

    # the payer pays; the platform POSTs its JSON notification to us over HTTP, then redirects back
    form = {**dict(parse_qsl(to_platform.query)), "choice": "1"}
    no_redirect = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as redirect:
        no_redirect.open(platform.base_url + "/pay", data=urlencode(form).encode(), timeout=10)
    back = urlparse(redirect.value.headers["Location"])

    # reply: in the platform's own format
    assert platform.replies == [{"MaLoi": "00"}]
    attempt = PaymentAttempt.objects.get()
    dossier.refresh_from_db()
    assert attempt.provider == "national" and attempt.state == AttemptState.SUCCEEDED
    assert attempt.provider_txn_no == platform.notifications[0]["MaGiaoDich"] and attempt.amount == FEE
    assert dossier.status == Status.RECEIVED
    assert Document.objects.filter(kind=DocumentKind.PAYMENT_RECEIPT, source_key=f"payment:{attempt.pk}").exists()

    # paid: the return page shows it
    assert back.path == reverse("payments:return", args=["national"])
    result = live_browser.get(back.path, dict(parse_qsl(back.query)))
    assert result.status_code == 200 and "Thanh toán thành công" in result.content.decode()

    # a replay and a forgery get the platform's codes for "already confirmed" and "bad checksum"
    assert platform.notify(platform.notifications[0]) == {"MaLoi": "02"}
    assert platform.notify({**platform.notifications[0], "SoTien": "1"}) == {"MaLoi": "03"}
    # the platform notifies by POST only: a GET is refused before anything is read
    assert live_browser.get(reverse("payments:notification", args=["national"])).status_code == 405
