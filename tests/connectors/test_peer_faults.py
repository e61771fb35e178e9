"""Peers that misbehave (issue 23, docs/reliability.md): a webhook receiver that is down,
answers a byte a second, answers garbage or closes mid-reply gets retries with backoff
and, at the retry limit, a dead letter naming what went wrong; a 1C client that sends a
byte a second, garbage, or hangs up mid-file gets an error and nothing of what it sent
half-applied, while the server answers everybody else."""
from __future__ import annotations

import socket
import threading
import time

import pytest

from conftest import Server
from test_webhooks import SECRET

RETRY_LIMIT = 2  # so three attempts in all
TIMEOUT_MS = 1500


class BadReceiver:
    """A TCP peer standing in for a webhook receiver that misbehaves in one `mode`:
    down (nothing listens), slow (the reply a byte a second), garbage (bytes that are no
    HTTP), cut (half a reply head, then the connection closed)."""

    def __init__(self, mode: str):
        self.mode = mode
        self.attempts = 0
        self.stopping = threading.Event()
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/hook"
        if mode == "down":
            self.sock.close()  # the port refuses connections
            return
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while not self.stopping.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.attempts += 1
            threading.Thread(target=self.answer, args=(conn,), daemon=True).start()

    def answer(self, conn: socket.socket):
        with conn:
            try:
                conn.settimeout(5)
                conn.recv(65536)  # the request (small: one event)
                if self.mode == "slow":
                    for byte in b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n":
                        if self.stopping.wait(1.0):
                            return
                        conn.sendall(bytes([byte]))
                elif self.mode == "garbage":
                    conn.sendall(bytes(range(256)) * 4)
                elif self.mode == "cut":
                    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Le")
            except OSError:
                pass  # salescore gave up on it: what the test wants

    def close(self):
        self.stopping.set()
        self.sock.close()


def wait_for_letters(crm, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        letters = list(crm.dead_letters.find("webhooks"))
        if letters:
            return letters
        time.sleep(0.1)
    return []


@pytest.mark.parametrize("mode, reason", [
    ("down", "refused"),
    ("slow", f"no complete reply within {TIMEOUT_MS} ms"),
    ("garbage", "HTTP"),
    ("cut", ""),
])
def test_a_receiver_that_misbehaves_gets_retries_then_a_dead_letter(tmp_path, mode, reason):
    salescore = pytest.importorskip("salescore")
    receiver = BadReceiver(mode)
    server = Server(tmp_path, extra_config=(
        f"\n[connector.webhooks]\nurl = {receiver.url}\nsecret = {SECRET}\nevents = client.\n"
        f"timeout_ms = {TIMEOUT_MS}\nretry_base_ms = 100\nretry_cap_ms = 400\nretry_limit = {RETRY_LIMIT}\n"))
    try:
        with salescore.open(server.db) as crm:
            crm.clients.add(name="ООО Капризный")
            letters = wait_for_letters(crm)
        assert len(letters) == 1, f"{mode}: no dead letter"
        letter = letters[0]
        assert letter.direction == "outbound" and letter.attempts == RETRY_LIMIT + 1, letter
        assert f"gave up after {RETRY_LIMIT + 1} attempts" in letter.reason and reason in letter.reason, letter.reason
        if mode != "down":
            assert receiver.attempts == RETRY_LIMIT + 1, f"{mode}: {receiver.attempts} attempts"
        # The connector is not stuck on the peer: the server still answers.
        assert server.onec.text("catalog", "checkauth")[0] in (200, 401)
    finally:
        receiver.close()
        server.stop()


def test_a_1c_client_that_is_slow_garbled_or_cut_off_gets_an_error_and_nothing_half_applied(server):
    import commerceml_gen as gen
    onec = server.onec
    onec.checkauth()
    onec.init()
    host, port = server.base[len("http://"):].split(":")
    file_head = (f"POST /exchange/1c?type=catalog&mode=file&filename=slow.xml HTTP/1.1\r\nHost: x\r\n"
                 f"Cookie: {onec.cookie}\r\nContent-Length: 100\r\n\r\n").encode()

    # Slow: the head of a file request a byte a second (longer than the server's 10 s for
    # a request to arrive). Meanwhile a whole exchange of another 1C is served.
    slow_reply = []

    def dribble():
        with socket.create_connection((host, int(port)), timeout=30) as s:
            try:
                for byte in file_head:
                    s.sendall(bytes([byte]))
                    time.sleep(1.0)
            except OSError:
                pass  # the server hung up on it
            try:
                slow_reply.append(s.recv(4096))
            except OSError:
                slow_reply.append(b"")
    slow = threading.Thread(target=dribble, daemon=True)
    slow.start()
    other = type(onec)(onec.url)
    answers = other.exchange_catalog({"import.xml": gen.to_bytes(gen.write_import, range(1, 21))})
    assert answers[0].startswith("success"), answers
    slow.join(timeout=60)
    assert slow_reply and slow_reply[0].startswith(b"HTTP/1.1 408"), slow_reply

    # Garbage instead of a request: 400, the connection closed.
    with socket.create_connection((host, int(port)), timeout=30) as s:
        s.sendall(bytes(range(1, 256)) + b"\r\n\r\n")
        assert s.recv(4096).startswith(b"HTTP/1.1 400")

    # Cut off mid-file: 1,000 bytes of the 100,000 announced, then the connection closed.
    cut_head = (f"POST /exchange/1c?type=catalog&mode=file&filename=cut.xml HTTP/1.1\r\nHost: x\r\n"
                f"Cookie: {onec.cookie}\r\nContent-Length: 100000\r\n\r\n").encode()
    with socket.create_connection((host, int(port)), timeout=30) as s:
        s.sendall(cut_head + gen.to_bytes(gen.write_import, range(100, 200))[:1000])
    time.sleep(0.2)
    status, text = onec.text("catalog", "import", filename="cut.xml")
    assert status == 200 and text.startswith("failure") and "was not uploaded" in text, text
    assert server.sql("SELECT COUNT(*) FROM products")[0][0] == 20, "only the whole exchange's products"
