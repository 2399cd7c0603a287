"""/metrics: never public, a token or an allowed address opens it, and the backlog gauges it shows."""

from __future__ import annotations

import re

import pytest

from django.urls import reverse
from django.utils import timezone

from accounts.throttle import shared_cache
from applications.models import Dossier, Status
from monitoring.metrics import BEAT_LAST_RUN_KEY
from notifications.models import Notification
from payments.models import PaymentAttempt
from payments.services import payment_start

pytestmark = pytest.mark.django_db
METRICS = reverse("monitoring:metrics")
TOKEN = "s3cret-scrape-token"


def sample(text: str, name: str, **labels) -> float:
    label_text = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
    pattern = re.escape(f"{name}{{{label_text}}}" if labels else name) + r" ([0-9.e+-]+)$"
    match = re.search(pattern, text, re.MULTILINE)
    assert match, f"{name} {labels} not in the scrape"
    return float(match.group(1))


@pytest.fixture
def scrape(client, settings):
    settings.METRICS_TOKEN = TOKEN

    def get() -> str:
        response = client.get(METRICS, HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
        assert response.status_code == 200
        return response.content.decode()

    return get


def test_metrics_do_not_exist_unless_a_token_or_an_allow_list_is_configured(client, settings):
    settings.METRICS_TOKEN, settings.METRICS_ALLOWED_IPS = "", []
    assert client.get(METRICS).status_code == 404
    assert client.get(METRICS, HTTP_AUTHORIZATION="Bearer ").status_code == 404


def test_a_wrong_or_missing_token_is_refused(client, settings):
    settings.METRICS_TOKEN = TOKEN
    assert client.get(METRICS).status_code == 403
    assert client.get(METRICS, HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    assert client.get(METRICS, HTTP_AUTHORIZATION=f"Basic {TOKEN}").status_code == 403
    assert client.get(METRICS, HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200


def test_the_allow_list_reads_the_client_address_behind_trusted_proxies(client, settings):
    settings.METRICS_TOKEN, settings.METRICS_ALLOWED_IPS = "", ["10.0.0.0/8"]
    settings.TRUSTED_PROXY_HOPS = 0
    assert client.get(METRICS, REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get(METRICS, REMOTE_ADDR="203.0.113.9").status_code == 403
    # The client cannot claim an allowed address itself...
    assert client.get(METRICS, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="10.1.2.3").status_code == 403
    # ...but behind one trusted proxy, the address that proxy saw counts.
    settings.TRUSTED_PROXY_HOPS = 1
    assert client.get(METRICS, REMOTE_ADDR="172.17.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 10.1.2.3").status_code == 200
    assert client.get(METRICS, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="10.1.2.3, 203.0.113.9").status_code == 403


def test_requests_are_counted_by_view_name_and_status_class(client, scrape):
    before = scrape()
    status = client.get(reverse("portal:home")).status_code
    client.get("/no-such-page-9f2c/")
    after = scrape()
    key = {"view": "portal:home", "method": "GET", "status": f"{status // 100}xx"}
    name = "portal_http_request_duration_seconds_count"
    previous = sample(before, name, **key) if 'view="portal:home"' in before else 0
    assert sample(after, name, **key) == previous + 1
    assert sample(after, name, view="<unresolved>", method="GET", status="4xx") >= 1
    assert "no-such-page" not in after


def test_backlog_gauges(scrape, dossier, commune, citizen):
    before = scrape()
    Notification.objects.create(event="x", channel="email", dedupe_key="m1", state="pending")
    Notification.objects.create(event="x", channel="sms", dedupe_key="m2", state="failed")
    Notification.objects.create(event="x", channel="sms", dedupe_key="m3", state="sent")
    attempt = payment_start(dossier=dossier, provider_id="vnpay", payer_ip="203.0.113.5")
    PaymentAttempt.objects.filter(pk=attempt.pk).update(created_at=timezone.now() - timezone.timedelta(hours=1))
    Dossier.objects.filter(pk=dossier.pk).update(status=Status.PROCESSING, due_current=timezone.now() - timezone.timedelta(days=1))
    shared_cache().set(BEAT_LAST_RUN_KEY.format(task="notifications.tasks.outbox_sweep"), 1_700_000_000, timeout=None)

    text = scrape()

    def grew(name, **labels):
        return sample(text, name, **labels) - sample(before, name, **labels)

    assert grew("portal_notifications", channel="email", state="pending") == 1
    assert grew("portal_notifications", channel="sms", state="failed") == 1
    assert grew("portal_notifications", channel="sms", state="pending") == 0
    assert sample(text, "portal_payment_attempts_pending") == 1
    assert sample(text, "portal_payment_attempts_unreconciled") == 1
    assert sample(text, "portal_dossiers_overdue", agency=commune.eid_code) == 1
    assert sample(text, "portal_national_sync", state="dead") == 0
    assert sample(text, "portal_documents", state="failed") == 0
    assert sample(text, "portal_postal_orders", state="pending") == 0
    assert sample(text, "portal_attachments_quarantined") == 0
    assert sample(text, "portal_beat_task_last_run_timestamp_seconds", task="notifications.tasks.outbox_sweep") == 1.7e9
    assert sample(text, "portal_beat_task_last_run_timestamp_seconds", task="payments.tasks.payment_reconcile") == 0


def test_a_scrape_costs_a_fixed_handful_of_queries(scrape, dossier, django_assert_max_num_queries):
    for n in range(30):
        Notification.objects.create(event="x", channel=("email", "sms")[n % 2], dedupe_key=f"q{n}", state="pending")
    with django_assert_max_num_queries(7):  # one grouped query per gauge family
        scrape()


def test_a_finished_beat_task_records_its_last_run():
    from notifications.tasks import outbox_sweep

    key = BEAT_LAST_RUN_KEY.format(task=outbox_sweep.name)
    shared_cache().delete(key)
    outbox_sweep.apply()
    assert shared_cache().get(key) > 1_700_000_000
