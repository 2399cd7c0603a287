"""A stand-in for the postal operator's servers on 127.0.0.1, for fault tests: it speaks the order
and tracking protocol (the sandbox app's operator logic keeps no faults), and `mode` makes it slow,
answer garbage, refuse, or accept an order and lose the reply."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeOperator:
    def __init__(self, *, api_key: str):
        self.api_key = api_key
        self.mode = "ok"  # ok | slow | garbage | reject | lose_reply | server_error
        self.slow_seconds = 2.0
        self.parcels: dict[str, dict] = {}
        self.creates = 0
        self.calls = 0
        self.events: dict[str, list[dict]] = {}
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/api"

    def start(self) -> FakeOperator:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _handler(self):
        operator = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def _send(self, status: int, body: bytes, content_type: str = "application/json") -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _json(self, status: int, payload: dict) -> None:
                self._send(status, json.dumps(payload).encode())

            def do_POST(self) -> None:  # noqa: N802
                operator.calls += 1
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                if self.headers.get("Authorization") != f"Bearer {operator.api_key}":
                    return self._json(401, {"error": "unauthorised"})
                if operator.mode == "slow":
                    time.sleep(operator.slow_seconds)
                if operator.mode == "garbage":
                    return self._send(200, b"<html>Bao tri he thong</html>", "text/html")
                if operator.mode == "server_error":
                    return self._json(503, {"error": "maintenance"})
                if operator.mode == "reject":
                    return self._json(422, {"error": "Địa chỉ ngoài vùng phục vụ"})
                ref = body["client_ref"]
                existing = ref in operator.parcels
                if not existing:
                    operator.creates += 1
                    operator.parcels[ref] = {"order_id": f"F{operator.creates:05d}", "client_ref": ref,
                                             "tracking_number": f"RF{operator.creates:09d}VN", "status": "accepted"}
                    operator.events[operator.parcels[ref]["order_id"]] = []
                if operator.mode == "lose_reply" and not existing:
                    return self._send(502, b"Bad gateway", "text/plain")
                return self._json(200 if existing else 201, operator.parcels[ref])

            def do_GET(self) -> None:  # noqa: N802
                operator.calls += 1
                order_id = self.path.rsplit("/", 1)[-1]
                parcel = next((p for p in operator.parcels.values() if p["order_id"] == order_id), None)
                if parcel is None:
                    return self._json(404, {"error": "not found"})
                return self._json(200, {**parcel, "events": operator.events[order_id]})

        return Handler
