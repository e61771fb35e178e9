"""Outbound webhooks: events POSTed by `salescore serve` to a receiver on loopback, signed
with HMAC-SHA256 over "<timestamp>.<body>", retried while the receiver fails and
dead-lettered past the retry limit."""
from __future__ import annotations

import hashlib
import hmac
import http.server
import json
import threading
import time

import pytest

from conftest import Server

SECRET = "s3cret-for-webhooks-0123456789"


class Receiver:
    """A web service of the customer's: records what it gets, answers `status`."""

    def __init__(self):
        self.requests: list[tuple[dict, bytes]] = []
        self.status = 200
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (the stdlib's name)
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/hook"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def wait_for(self, count: int, seconds: float = 20) -> None:
        deadline = time.monotonic() + seconds
        while len(self.requests) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(self.requests) >= count, self.requests

    def close(self):
        self.httpd.shutdown()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def hooked(tmp_path, receiver):
    s = Server(tmp_path, extra_config=(
        f"\n[connector.webhooks]\nurl = {receiver.url}\nsecret = {SECRET}\nevents = client.\n"
        "retry_base_ms = 50\nretry_cap_ms = 200\nretry_limit = 2\n"))
    yield s
    s.stop()


def test_events_are_posted_signed_and_only_the_configured_types(hooked, receiver):
    salescore = pytest.importorskip("salescore")
    with salescore.open(hooked.db) as crm:
        client = crm.clients.add(name="ООО Вебхук")
        crm.products.add(sku="NOT-SENT", name="Не клиент")
    receiver.wait_for(1)
    time.sleep(0.5)  # a product event, if it were sent, would be here by now
    assert len(receiver.requests) == 1
    headers, body = receiver.requests[0]
    event = json.loads(body)
    assert event["type"] == "client.created" and event["entity_id"] == client.id
    assert headers["x-salescore-event"] == "client.created"
    stamp = headers["x-salescore-timestamp"]
    expected = hmac.new(SECRET.encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers["x-salescore-signature"], "sha256=" + expected)
    assert abs(int(stamp) - time.time()) < 300
    assert headers["idempotency-key"]


def test_a_failing_receiver_gets_retries_then_the_event_is_a_dead_letter(hooked, receiver):
    salescore = pytest.importorskip("salescore")
    receiver.status = 503
    with salescore.open(hooked.db) as crm:
        crm.clients.add(name="ООО Недоступно")
        receiver.wait_for(3)  # the first attempt and retry_limit = 2 retries
        deadline = time.monotonic() + 20
        letters = []
        while not letters and time.monotonic() < deadline:
            letters = list(crm.dead_letters.find("webhooks"))
            time.sleep(0.1)
    assert letters and letters[0].direction == "outbound" and "503" in letters[0].reason
    bodies = {body for _, body in receiver.requests}
    assert len(bodies) == 1, "every attempt sends the same event"


def test_a_refused_request_is_dead_lettered_at_once(hooked, receiver):
    salescore = pytest.importorskip("salescore")
    receiver.status = 400
    with salescore.open(hooked.db) as crm:
        crm.clients.add(name="ООО Отказ")
        receiver.wait_for(1)
        deadline = time.monotonic() + 20
        letters = []
        while not letters and time.monotonic() < deadline:
            letters = list(crm.dead_letters.find("webhooks"))
            time.sleep(0.1)
    assert letters and "400" in letters[0].reason
    assert len(receiver.requests) == 1, "no retry for a request the receiver refuses"
