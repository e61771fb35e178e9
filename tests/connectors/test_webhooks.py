"""Outbound webhooks: events POSTed by `salescore serve` to a receiver on loopback, signed
with HMAC-SHA256 over "<timestamp>.<body>", retried while the receiver fails and
dead-lettered past the retry limit."""
from __future__ import annotations

import hashlib
import hmac
import http.server
import json
import ssl
import subprocess
import threading
import time

import pytest

from conftest import Server

SECRET = "s3cret-for-webhooks-0123456789"


class Receiver:
    """A web service of the customer's: records what it gets, answers `status`."""

    def __init__(self, tls: tuple[str, str] | None = None):
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
        scheme = "http"
        if tls:  # (certificate chain file, key file)
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
            scheme = "https"
        self.url = f"{scheme}://127.0.0.1:{self.httpd.server_address[1]}/hook"
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


# ---- several receivers, https ----------------------------------------------------------


def letters_of(crm, seconds: float = 20):
    deadline = time.monotonic() + seconds
    letters = []
    while not letters and time.monotonic() < deadline:
        letters = list(crm.dead_letters.find("webhooks"))
        time.sleep(0.1)
    return letters


@pytest.fixture
def receivers():
    """Makes receivers (Receiver's arguments) and closes them after the test."""
    made = []

    def make(**kwargs):
        made.append(Receiver(**kwargs))
        return made[-1]
    yield make
    for r in made:
        r.close()


@pytest.fixture
def serve(tmp_path):
    """Starts `salescore serve` with a [connector.webhooks] section, in a directory of its
    own per call, and stops every one after the test."""
    started = []

    def start(webhooks_config: str) -> Server:
        home = tmp_path / f"server{len(started)}"
        home.mkdir()
        started.append(Server(home, extra_config=f"\n[connector.webhooks]\nsecret = {SECRET}\n{webhooks_config}"))
        return started[-1]
    yield start
    for s in started:
        s.stop()


def test_each_subscription_gets_only_its_event_types(receivers, serve):
    salescore = pytest.importorskip("salescore")
    clients, products = receivers(), receivers()
    s = serve(f"subscriptions = client. > {clients.url}; product.created, deal.lost > {products.url}\n")
    with salescore.open(s.db) as crm:
        crm.clients.add(name="ООО Двое")
        crm.products.add(sku="TWO-1", name="Товар")
    clients.wait_for(1)
    products.wait_for(1)
    time.sleep(0.5)
    assert [json.loads(b)["type"] for _, b in clients.requests] == ["client.created"]
    assert [json.loads(b)["type"] for _, b in products.requests] == ["product.created"]


def test_events_no_receiver_wants_take_no_outbox_row(receivers, serve):
    """The connector receives only the types its receivers want (ABI 1.5's subscribe): a
    product event must not wait in the outbox behind a client event being retried."""
    salescore = pytest.importorskip("salescore")
    clients = receivers()
    clients.status = 503  # the client event stays in the outbox, retried in a minute
    s = serve(f"url = {clients.url}\nevents = client.\nretry_base_ms = 60000\nretry_cap_ms = 60000\n")
    with salescore.open(s.db) as crm:
        crm.clients.add(name="ООО Ждёт")
        crm.products.add(sku="NO-ROW", name="Товар без строки")
    clients.wait_for(1)
    last = s.sql("SELECT MAX(seq) FROM events")[0][0]
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:  # the offset moves in the transaction that queues
        offset = s.sql("SELECT event_offset FROM connector_state WHERE connector = 'webhooks'")
        if offset and offset[0][0] is not None and offset[0][0] >= last:
            break
        time.sleep(0.05)
    assert offset[0][0] >= last, "the connector never read the product's event"
    queued = s.sql("SELECT payload FROM connector_outbox WHERE connector = 'webhooks'")
    assert [json.loads(p)["type"] for (p,) in queued] == ["client.created"]


def test_a_retry_goes_only_to_the_receiver_that_missed_the_event(receivers, serve):
    salescore = pytest.importorskip("salescore")
    up, down = receivers(), receivers()
    down.status = 503
    s = serve(f"url = {up.url}\nevents = client.\nsubscriptions = client. > {down.url}\n"
              "retry_base_ms = 100\nretry_cap_ms = 300\nretry_limit = 20\n")
    with salescore.open(s.db) as crm:
        crm.clients.add(name="ООО Повтор")
    down.wait_for(2)  # refused twice: retried
    down.status = 200
    down.wait_for(3)
    time.sleep(0.5)
    assert len(up.requests) == 1, "the receiver that took it is not sent it again"
    assert up.requests[0][1] == down.requests[-1][1]
    assert up.requests[0][0]["idempotency-key"] == down.requests[-1][0]["idempotency-key"]


@pytest.fixture
def certificates(tmp_path):
    """A private CA and a certificate it signed for 127.0.0.1, made with openssl."""
    def run(*args):
        subprocess.run(["openssl", *args], check=True, capture_output=True, cwd=tmp_path)
    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
        "-subj", "/CN=salescore test CA")
    run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "receiver.key", "-out", "receiver.csr",
        "-subj", "/CN=127.0.0.1")
    (tmp_path / "san.ext").write_text("subjectAltName=IP:127.0.0.1\n")
    run("x509", "-req", "-in", "receiver.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
        "-out", "receiver.pem", "-days", "2", "-extfile", "san.ext")
    return tmp_path


def test_https_receivers_are_checked_against_the_trusted_authorities(certificates, receivers, serve):
    salescore = pytest.importorskip("salescore")
    receiver = receivers(tls=(str(certificates / "receiver.pem"), str(certificates / "receiver.key")))
    assert receiver.url.startswith("https://")
    trusted = serve(f"url = {receiver.url}\nevents = client.\nca_file = {certificates / 'ca.pem'}\n")
    with salescore.open(trusted.db) as crm:
        crm.clients.add(name="ООО Шифр")
    receiver.wait_for(1)
    headers, body = receiver.requests[0]
    stamp = headers["x-salescore-timestamp"]
    expected = hmac.new(SECRET.encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    assert headers["x-salescore-signature"] == "sha256=" + expected

    # Without the private CA the receiver's certificate does not check out: nothing is
    # sent to it, and the event is a dead letter saying why, at once.
    untrusted = serve(f"url = {receiver.url}\nevents = client.\nretry_limit = 5\n")
    with salescore.open(untrusted.db) as crm:
        crm.clients.add(name="ООО Подделка")
        letters = letters_of(crm)
    assert letters and "TLS" in letters[0].reason, letters
    assert len(receiver.requests) == 1


def test_a_subscription_that_is_not_one_is_refused_naming_it(serve):
    s = serve("subscriptions = client. http://nowhere\n")
    err = s.stop()
    assert "subscriptions: 'client. http://nowhere' is not" in err, err
