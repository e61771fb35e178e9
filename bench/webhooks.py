# bench: webhooks: a backlog of events drained by `salescore serve` to a receiver, against a plain POST loop
"""bench/run webhooks [EVENTS]

How fast the webhooks connector drains a backlog: EVENTS (default 20,000) `client.created`
events are written while `salescore serve` is stopped, then `serve` starts and its
webhooks connector sends them to a receiver on loopback (a process of its own, HTTP/1.1
with keep-alive as a real web service answers, taking each delivery as a line
"<Idempotency-Key> <seq>"). The drain is timed from the start of `serve` to the last
event at the receiver. Baseline: the same number of signed bodies POSTed to the same
receiver by a Python loop over one keep-alive connection, which is about what the
receiver can take.

Checked: every event arrives, each key names one event, and the events come in log order.

Last line: webhooks: events=<> salescore_per_s=<> python_per_s=<> ratio=<> lost=<> duplicated=<> out_of_order=<>
"""
from __future__ import annotations

import hashlib
import hmac
import http.client
import http.server
import json
import multiprocessing
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
BUILD = pathlib.Path(os.environ.get("BUILD_DIR", ROOT / "build"))
BIN = str(BUILD / "server" / "salescore")
SECRET = "bench-webhooks-0123456789abcdef"


def say(*a):
    print(*a, file=sys.stderr, flush=True)


def receive(port_out, log_path: str):
    """The receiver: HTTP/1.1, so a client may keep its connection; each POST a line."""
    log = open(log_path, "a", buffering=1)

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):  # noqa: N802 (the stdlib's name)
            body = self.rfile.read(int(self.headers["Content-Length"]))
            log.write(f"{self.headers['Idempotency-Key']} {json.loads(body)['seq']}\n")
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port_out.send(httpd.server_address[1])
    httpd.serve_forever()


def start_receiver(log_path: pathlib.Path):
    log_path.write_text("")
    parent, child = multiprocessing.Pipe()
    proc = multiprocessing.Process(target=receive, args=(child, str(log_path)), daemon=True)
    proc.start()
    return proc, parent.recv()


def lines(log_path: pathlib.Path) -> list[tuple[str, int]]:
    out = []
    for line in log_path.read_text().splitlines():
        key, seq = line.rsplit(" ", 1)
        out.append((key, int(seq)))
    return out


def wait_for(log_path: pathlib.Path, count: int, proc=None, bound_s: float = 1800) -> None:
    deadline = time.monotonic() + bound_s
    while time.monotonic() < deadline:
        with open(log_path, "rb") as f:
            if sum(1 for _ in f) >= count:
                return
        if proc is not None and proc.poll() is not None:
            raise RuntimeError("salescore serve stopped")
        time.sleep(0.05)
    raise RuntimeError(f"not {count} deliveries within {bound_s} s")


def serve(db: str, config: pathlib.Path, err) -> subprocess.Popen:
    proc = subprocess.Popen([BIN, "serve", "--db", db, "--config", str(config), "--listen", "127.0.0.1:0"],
                            stdout=subprocess.PIPE, stderr=err, text=True)
    if not re.search(r"http://", proc.stdout.readline()):
        raise RuntimeError("salescore serve did not start")
    return proc


def python_baseline(port: int, bodies: list[tuple[str, bytes]]) -> None:
    """What a script POSTing the same signed events one after another does."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for key, body in bodies:
        stamp = str(int(time.time()))
        signature = hmac.new(SECRET.encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
        conn.request("POST", "/hook", body=body, headers={
            "Content-Type": "application/json; charset=utf-8", "X-Salescore-Event": "client.created",
            "X-Salescore-Timestamp": stamp, "X-Salescore-Signature": "sha256=" + signature,
            "Idempotency-Key": key})
        reply = conn.getresponse()
        reply.read()
        if reply.status != 200:
            raise RuntimeError(f"the receiver answered {reply.status}")
    conn.close()


def main() -> int:
    events = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="salescore-webhooks-"))
    try:
        db = f"sqlite:{tmp / 'crm.db'}"
        subprocess.run([BIN, "init", "--db", db], check=True, capture_output=True)
        hooks = tmp / "hooks.log"
        receiver, port = start_receiver(hooks)
        config = tmp / "salescore.ini"
        config.write_text(f"[connector.webhooks]\nurl = http://127.0.0.1:{port}/hook\nsecret = {SECRET}\n"
                          "events = client.created\n", encoding="utf-8")
        err = open(tmp / "serve.log", "wb")
        # A first start puts the connector's place at the end of the log; what is written
        # while serve is down is then its backlog.
        first = serve(db, config, err)
        first.terminate()
        first.wait(timeout=60)
        sys.path.insert(0, str(BUILD / "python"))
        import salescore
        say(f"webhooks: writing {events} clients (serve stopped)")
        with salescore.open(db) as engine:
            for i in range(events):
                engine.clients.add(name=f"Webhook client {i}")
        import sqlite3
        con = sqlite3.connect(tmp / "crm.db")
        expected = [seq for (seq,) in con.execute("SELECT seq FROM events WHERE type = 'client.created' ORDER BY seq")]
        con.close()

        began = time.monotonic()
        proc = serve(db, config, err)
        try:
            wait_for(hooks, len(expected), proc)
        finally:
            drained_s = time.monotonic() - began
            proc.terminate()
            proc.wait(timeout=60)
        got = lines(hooks)
        receiver.terminate()
        seqs = [seq for _, seq in got]
        keys: dict[str, set[int]] = {}
        for key, seq in got:
            keys.setdefault(key, set()).add(seq)
        lost = len(set(expected) - set(seqs))
        duplicated = sum(len(s) - 1 for s in keys.values())
        out_of_order = sum(1 for a, b in zip(seqs, seqs[1:]) if b < a)
        salescore_rate = len(expected) / drained_s
        say(f"webhooks: salescore drained {len(expected)} events in {drained_s:.2f} s ({len(got)} deliveries)")

        base_log = tmp / "baseline.log"
        receiver, port = start_receiver(base_log)
        bodies = [(f"event:{seq}", json.dumps({"seq": seq, "type": "client.created", "entity": "client",
                                               "entity_id": seq, "data": {"name": f"Webhook client {seq}"}}).encode())
                  for seq in expected]
        began = time.monotonic()
        python_baseline(port, bodies)
        wait_for(base_log, len(bodies))
        python_s = time.monotonic() - began
        receiver.terminate()
        python_rate = len(bodies) / python_s
        say(f"webhooks: the Python loop posted {len(bodies)} in {python_s:.2f} s")
        print(f"webhooks: events={len(expected)} salescore_per_s={salescore_rate:.0f} python_per_s={python_rate:.0f} "
              f"ratio={salescore_rate / python_rate:.2f} lost={lost} duplicated={duplicated} "
              f"out_of_order={out_of_order}")
        return 0 if lost == 0 and duplicated == 0 and out_of_order == 0 else 1
    finally:
        if not os.environ.get("WEBHOOKS_KEEP"):
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
