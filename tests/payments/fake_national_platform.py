"""A stand-in for a second, differently spoken payment platform on 127.0.0.1 (modelled on the
national public-service portal's payment messages: Vietnamese field names, a SHA-256 "MaXacThuc"
over "|"-joined fields plus the secret, a JSON POST notification answered with "MaLoi").

It is the outside world for tests/payments/test_second_gateway.py, which pairs it with a provider
class of its own; nothing in the portal knows this protocol.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlencode, urlparse

PAY_FIELDS = ("MaDoiTac", "MaThamChieu", "SoTien", "UrlTraVe")
RESULT_FIELDS = ("MaDoiTac", "MaThamChieu", "SoTien", "MaGiaoDich", "TrangThai")


def checksum(values: dict[str, str], fields: tuple[str, ...], secret: str) -> str:
    return hashlib.sha256(("|".join(str(values.get(name, "")) for name in fields) + "|" + secret).encode()).hexdigest()


class FakeNationalPlatform:
    def __init__(self, *, partner: str, secret: str):
        self.partner, self.secret = partner, secret
        self.notify_url = ""
        self.notifications: list[dict] = []
        self.replies: list[dict] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> FakeNationalPlatform:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def notify(self, body: dict) -> dict:
        request = urllib.request.Request(self.notify_url, data=json.dumps(body).encode(), method="POST",
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            reply = json.loads(response.read().decode())
        self.notifications.append(body)
        self.replies.append(reply)
        return reply

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def _send(self, status: int, body: bytes, headers=None) -> None:
                self.send_response(status)
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                params = dict(parse_qsl(urlparse(self.path).query))
                if params.get("MaXacThuc") != checksum(params, PAY_FIELDS, fake.secret):
                    self._send(400, b"MaXacThuc sai")
                    return
                self._send(200, f"<h1>Cong thanh toan quoc gia</h1><p>{params['SoTien']} VND</p>".encode())

            def do_POST(self) -> None:
                form = dict(parse_qsl(self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()))
                if form.get("MaXacThuc") != checksum(form, PAY_FIELDS, fake.secret):
                    self._send(400, b"MaXacThuc sai")
                    return
                result = {
                    "MaDoiTac": fake.partner, "MaThamChieu": form["MaThamChieu"], "SoTien": form["SoTien"],
                    "MaGiaoDich": "QG" + secrets.token_hex(6).upper(), "TrangThai": form.get("choice", "1"),
                }
                result["MaXacThuc"] = checksum(result, RESULT_FIELDS, fake.secret)
                fake.notify(result)
                self._send(302, b"", {"Location": f"{form['UrlTraVe']}?{urlencode(result)}"})

        return Handler
