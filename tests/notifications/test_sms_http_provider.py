"""The HTTP SMS provider against a real local HTTP server: signed body, retry on 5xx, give up on 4xx."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from notifications.models import NotificationState
from notifications.providers import HttpProvider
from notifications.services import notification_deliver, notification_queue
from portal.lib.emails import PermanentDeliveryError, TransientDeliveryError

SECRET = "gateway-secret"


class Gateway:
    def __init__(self, status: int = 200):
        self.status = status
        self.requests: list[tuple[dict, bytes]] = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers["Content-Length"]))
                gateway.requests.append((dict(self.headers), body))
                expected = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
                status = gateway.status if hmac.compare_digest(self.headers.get("X-Signature", ""), expected) else 401
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(json.dumps({"id": "msg-1"}).encode())

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sms"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway():
    server = Gateway()
    yield server
    server.close()


def test_it_posts_a_json_body_signed_with_hmac_sha256(gateway, settings):
    settings.SMS_SENDER = "DVC"

    message_id = HttpProvider(url=gateway.url, secret=SECRET).send(to="0912000001", text="Hồ sơ đã tiếp nhận",
                                                                    reference="event:1:sms")

    headers, body = gateway.requests[0]
    assert message_id == "msg-1"
    assert json.loads(body) == {"to": "0912000001", "text": "Hồ sơ đã tiếp nhận", "sender": "DVC",
                                "reference": "event:1:sms"}
    assert headers["X-Signature"] == hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert headers["Idempotency-Key"] == "event:1:sms"


def test_a_wrong_secret_is_refused_by_the_gateway_and_not_retried(gateway):
    with pytest.raises(PermanentDeliveryError):
        HttpProvider(url=gateway.url, secret="wrong").send(to="0912000001", text="x", reference="r")


def test_a_5xx_answer_is_transient(gateway):
    gateway.status = 503
    with pytest.raises(TransientDeliveryError):
        HttpProvider(url=gateway.url, secret=SECRET).send(to="0912000001", text="x", reference="r")


def test_an_unreachable_gateway_is_transient():
    from tests.support.services import free_port

    with pytest.raises(TransientDeliveryError):
        HttpProvider(url=f"http://127.0.0.1:{free_port()}/sms", secret=SECRET, timeout=2).send(
            to="0912000001", text="x", reference="r")


@pytest.mark.django_db
def test_the_outbox_sends_sms_through_the_configured_gateway_once(gateway, settings, django_capture_on_commit_callbacks):
    settings.SMS_PROVIDER, settings.SMS_GATEWAY_URL, settings.SMS_GATEWAY_SECRET = "http", gateway.url, SECRET
    with django_capture_on_commit_callbacks(execute=False):
        row = notification_queue(event="received", channel="sms", dedupe_key="event:9:received:sms:user:1",
                                 to_address="0912000001", context={"dossier_code": "HS-9", "appointment": "08/01/2026"})

    assert notification_deliver(notification_id=row.pk) == NotificationState.SENT
    assert notification_deliver(notification_id=row.pk) == NotificationState.SENT
    assert len(gateway.requests) == 1
    assert "HS-9" in json.loads(gateway.requests[0][1])["text"]
