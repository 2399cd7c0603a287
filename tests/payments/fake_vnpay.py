"""A stand-in for VNPay's servers on 127.0.0.1, for tests: the payment page (the "bank"), the
signed IPN it sends to our live server over real HTTP, and the querydr JSON API. The gateway-side
signing is the sandbox app's (an implementation independent of the merchant code under test).

It keeps its own ledger (what the bank decided), so a test can make the bank decide without
notifying us (a lost IPN) and let reconciliation find out through querydr.
"""

from __future__ import annotations

import json
import secrets
import threading
import urllib.request
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlencode, urlparse

from sandbox.gateway import query_answer, result_params
from sandbox.gateway import verify as vnp_verify

CHOICES = {"success": ("00", "00"), "failure": ("51", "02"), "cancel": ("24", "02"), "unfinished": ("00", "01")}


class FakeVnpay:
    def __init__(self, *, tmn_code: str, secret: str):
        self.tmn_code = tmn_code
        self.secret = secret
        self.ledger: dict[str, dict] = {}
        self.ipn_url = ""
        self.ipn_replies: list[dict] = []
        self.querydr_calls = 0
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def payment_url(self) -> str:
        return self.base_url + "/paymentv2/vpcpay.html"

    @property
    def api_url(self) -> str:
        return self.base_url + "/merchant_webapi/api/transaction"

    def start(self) -> FakeVnpay:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def decide(self, payment_params: dict[str, str], choice: str, *, notify: bool = True) -> dict[str, str]:
        """The bank's decision for a payment request; sends the IPN over HTTP unless `notify` is False."""
        response_code, transaction_status = CHOICES[choice]
        row = self.ledger.setdefault(payment_params["vnp_TxnRef"], {
            "amount": int(payment_params["vnp_Amount"]), "transaction_no": str(secrets.randbelow(10**8)).zfill(8),
            "response_code": response_code, "transaction_status": transaction_status, "bank_code": "NCB",
            "pay_date": "20260105102030", "order_info": payment_params.get("vnp_OrderInfo", ""),
        })
        result = result_params(payment_params, row, self.secret)
        if notify and self.ipn_url:
            with urllib.request.urlopen(f"{self.ipn_url}?{urlencode(result)}", timeout=10) as response:
                self.ipn_replies.append(json.loads(response.read().decode()))
        return result

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def _send(self, status: int, body: bytes, content_type: str = "text/html; charset=utf-8", headers=None):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                url = urlparse(self.path)
                params = dict(parse_qsl(url.query))
                if url.path != "/paymentv2/vpcpay.html" or not vnp_verify(params, fake.secret):
                    self._send(400, b"<p>Sai chu ky</p>")
                    return
                hidden = "".join(
                    f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">' for k, v in params.items()
                )
                buttons = "".join(
                    f'<button type="submit" name="choice" value="{c}">{c}</button>' for c in ("success", "failure", "cancel")
                )
                page = f'<html><body><h1>Fake VNPay</h1><form method="post" action="/pay">{hidden}{buttons}</form></body></html>'
                self._send(200, page.encode())

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length).decode()
                if self.path == "/merchant_webapi/api/transaction":
                    fake.querydr_calls += 1
                    request = json.loads(body or "{}")
                    answer = query_answer(fake.ledger.get(request.get("vnp_TxnRef", "")), request,
                                            tmn_code=fake.tmn_code, secret=fake.secret)
                    self._send(200, json.dumps(answer).encode(), "application/json")
                    return
                form = dict(parse_qsl(body))
                choice = form.pop("choice", "success")
                if not vnp_verify(form, fake.secret):
                    self._send(400, b"<p>Sai chu ky</p>")
                    return
                result = fake.decide(form, choice)
                self._send(302, b"", headers={"Location": f"{form['vnp_ReturnUrl']}?{urlencode(result)}"})

        return Handler
