"""With DEBUG off the sandbox gateway does not exist: no URLs, no provider, no admin choice, no demo
configuration, and `check --deploy` fails when anything still names it. (The incident: with DEBUG
off and PAYMENT_PROVIDER=vnpay, an agency config set to "sandbox" let a citizen press "success" on
the sandbox page and the dossier moved on with no money.)"""

from __future__ import annotations

from datetime import timedelta

import pytest

from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import NoReverseMatch, reverse

from accounts.models import Role
from applications.models import Status
from payments import demo
from payments.checks import sandbox_in_production
from payments.models import AgencyPaymentConfig, AttemptState, PaymentAttempt, ProviderId
from payments.providers import registry
from payments.services import payment_start
from payments.tasks import payment_reconcile
from tests.conftest import make_user
from tests.payments.conftest import sandbox_result
from tests.payments.test_reconcile import payment_params

pytestmark = pytest.mark.django_db

SANDBOX_URLS = [
    "/sandbox/bank/", "/sandbox/bank/api/transaction",
    "/payments/sandbox/ipn/", "/payments/return/sandbox/",
    # Where the bank used to be.
    "/payments/sandbox/bank/", "/payments/sandbox/api/transaction",
]


@pytest.fixture
def sandbox_attempt(dossier):
    """An attempt made while the sandbox existed (a database that was once run with DEBUG on)."""
    return payment_start(dossier=dossier, provider_id="sandbox")


@pytest.mark.parametrize("url", SANDBOX_URLS)
def test_every_sandbox_url_answers_404_and_a_signed_success_changes_nothing(
    client, citizen, dossier, sandbox_attempt, production, url
):
    client.force_login(citizen)
    params = sandbox_result(sandbox_attempt)

    assert client.get(url, params).status_code == 404
    # The return page is GET-only for every gateway (405 before any lookup); the others took POSTs.
    assert client.post(url, {**params, "choice": "success"}).status_code == (405 if "/return/" in url else 404)

    sandbox_attempt.refresh_from_db()
    dossier.refresh_from_db()
    assert sandbox_attempt.state == AttemptState.PENDING and dossier.status == Status.AWAITING_PAYMENT


def test_the_sandbox_urls_are_not_even_routed(production):
    with pytest.raises(NoReverseMatch):
        reverse("sandbox:bank")


def test_an_agency_configured_for_the_sandbox_cannot_take_payments(client, citizen, dossier, settings, production):
    settings.PAYMENT_PROVIDER = "vnpay"
    AgencyPaymentConfig.objects.create(agency=dossier.agency, provider=ProviderId.SANDBOX)
    client.force_login(citizen)

    response = client.post(reverse("payments:pay", args=[dossier.code]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("applications:dossier", args=[dossier.code])
    assert "chưa sẵn sàng" in response.content.decode()
    assert not PaymentAttempt.objects.exists()
    dossier.refresh_from_db()
    assert dossier.status == Status.AWAITING_PAYMENT
    # Refused, not replaced by the default gateway: the money would reach another merchant account.
    with pytest.raises(ImproperlyConfigured):
        registry.provider_for_agency(dossier.agency)


def test_the_provider_registry_does_not_offer_the_sandbox(production):
    assert registry.provider_ids() == ["vnpay"]
    with pytest.raises(ImproperlyConfigured):
        registry.provider_get("sandbox")


def test_the_admin_neither_offers_nor_accepts_the_sandbox(client, commune, production):
    admin = make_user("root@example.vn", Role.ADMIN)
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    url = reverse("admin:payments_agencypaymentconfig_add")

    page = client.get(url)
    response = client.post(url, {"agency": commune.pk, "provider": "sandbox", "enabled": "on", "env_prefix": ""})

    assert page.status_code == 200
    assert 'value="vnpay"' in page.content.decode() and 'value="sandbox"' not in page.content.decode()
    assert response.status_code == 200 and "provider" in response.context["adminform"].form.errors
    assert not AgencyPaymentConfig.objects.exists()


def test_the_admin_offers_the_sandbox_in_development(client, commune):
    admin = make_user("root@example.vn", Role.ADMIN)
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)

    page = client.get(reverse("admin:payments_agencypaymentconfig_add"))

    assert 'value="sandbox"' in page.content.decode()


def test_seed_demo_configures_no_sandbox_in_production(db, production):
    call_command("seed_demo", verbosity=0)

    assert demo.seed() == []
    assert not AgencyPaymentConfig.objects.exists()


def test_check_deploy_errors_when_an_agency_config_names_the_sandbox(commune, settings):
    settings.PAYMENT_PROVIDER = "vnpay"
    assert sandbox_in_production(None) == []
    AgencyPaymentConfig.objects.create(agency=commune, provider=ProviderId.SANDBOX, enabled=False)

    with pytest.raises(SystemCheckError, match=r"payments\.E002.*H99\.01\.01"):
        call_command("check", deploy=True)


def test_check_deploy_errors_when_payment_provider_is_the_sandbox(settings):
    settings.PAYMENT_PROVIDER = "sandbox"

    with pytest.raises(SystemCheckError, match=r"payments\.E001"):
        call_command("check", deploy=True)


def test_reconciliation_skips_sandbox_attempts_and_still_reaches_the_others(dossier, sandbox_attempt, settings,
                                                                            production, fake_vnpay):
    vnpay_attempt = payment_start(dossier=dossier, provider_id="vnpay")
    fake_vnpay.decide(payment_params(vnpay_attempt), "success", notify=False)
    minutes = timedelta(minutes=settings.PAYMENT_RECONCILE_AFTER_MINUTES + 1)
    PaymentAttempt.objects.filter(pk=vnpay_attempt.pk).update(created_at=vnpay_attempt.created_at - minutes)
    PaymentAttempt.objects.filter(pk=sandbox_attempt.pk).update(created_at=vnpay_attempt.created_at - 2 * minutes)

    # The sandbox attempt comes first (oldest) and can be asked nothing: it waits, then runs out.
    assert payment_reconcile.delay().get() == {"unconfigured": 1, "settled": 1}
    PaymentAttempt.objects.filter(pk=sandbox_attempt.pk).update(expires_at=vnpay_attempt.created_at - minutes)
    assert payment_reconcile.delay().get() == {"expired": 1}
    sandbox_attempt.refresh_from_db()
    vnpay_attempt.refresh_from_db()
    assert sandbox_attempt.state == AttemptState.EXPIRED and vnpay_attempt.state == AttemptState.SUCCEEDED
