# bench: soak: 64 connections of reads and writes for minutes, with automations, 1C and webhooks active
"""bench/run soak [SECONDS] [CONNECTIONS]

`salescore serve` on a fresh database under a mixed load for SECONDS (default 600, the
issue's ten minutes): CONNECTIONS (default 64) clients, each writing a client and its
order under Idempotency-Keys and reading them back (half reads, half writes); the
automation runner (`python -m salescore.automate`) adding a task for every order; a 1C
exchange of a 200-product catalog every 5 s; the webhooks connector posting every client
and order event to a receiver that de-duplicates by Idempotency-Key.

After the load the bench waits for the webhooks and the automation to catch up, with a
progress line every 30 s, as long as they make progress and at most DRAIN_BOUND_S (30 min);
an event not at the receiver by then counts as lost. Then: every acknowledged client and
order is in the database once (lost /
duplicated), every client/order event reached the receiver (lost) and no key named two
events (duplicated), every 1C product is there, the automation made one task per order.
RSS is sampled each second: rss_start_mb after the first minute (the first tenth of a
shorter run), rss_end_mb at the end. Targets (issue 23): errors_5xx=0, lost=0,
duplicated=0, rss_end_mb within 10% of rss_start_mb.

Last line: soak: requests=<> errors_5xx=<> p99_ms=<> rss_start_mb=<> rss_end_mb=<> lost=<> duplicated=<>
"""
from __future__ import annotations

import atexit
import http.client
import json
import multiprocessing
import os
import pathlib
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
BUILD = pathlib.Path(os.environ.get("BUILD_DIR", ROOT / "build"))
BIN = str(BUILD / "server" / "salescore")
sys.path.insert(0, str(ROOT / "tests" / "connectors"))
import commerceml_gen as gen  # noqa: E402 (the tests' catalog generator)
from conftest import OneC, LOGIN, PASSWORD  # noqa: E402
# The webhook receiver of bench/webhooks.py. Appended, not put first: bench/email.py must
# not stand in for the standard library's email package (why bench/run passes -P).
sys.path.append(str(ROOT / "bench"))
from webhooks import receive  # noqa: E402

SECRET = "soak-secret-0123456789abcdef"
# The longest wait for the webhooks and automations to catch up after the load (the
# 10-minute load leaves about 580,000 events; delivered at ~2,000 a second that is 5 min).
DRAIN_BOUND_S = 1800
AUTOMATION = '''
import salescore


@salescore.on("order.created")
def call_about_the_order(event, engine):
    order = engine.orders.get(event.entity_id)
    engine.tasks.add(title=f"Soak: call about order {order.number}", client_id=order.client_id)
'''


def say(*a):
    print(*a, file=sys.stderr, flush=True)


def rss_mb(pid: int) -> float:
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Arrivals:
    """The receiver's log read as it grows (a full read of 500,000 lines every half
    second would take the CPU the drain needs): the event seqs that arrived."""

    def __init__(self, log_path: pathlib.Path):
        self.path, self.offset, self.seqs = log_path, 0, set()

    def update(self) -> set[int]:
        with open(self.path, "rb") as f:
            f.seek(self.offset)
            chunk = f.read()
        whole = chunk[:chunk.rfind(b"\n") + 1]  # a line still being written waits
        self.offset += len(whole)
        self.seqs.update(int(line.rsplit(b" ", 1)[1]) for line in whole.splitlines())
        return self.seqs


def deliveries(log_path: pathlib.Path) -> tuple[dict[str, set[int]], int]:
    """Each key's event seqs, and how many deliveries came."""
    seqs: dict[str, set[int]] = {}
    count = 0
    for line in log_path.read_text().splitlines():
        key, seq = line.rsplit(" ", 1)
        seqs.setdefault(key, set()).add(int(seq))
        count += 1
    return seqs, count


class Client:
    """One connection's loop: write a client, then its order, read one back; again."""

    def __init__(self, base: str, token: str, n: int, stats: dict, lock: threading.Lock):
        self.base, self.token, self.n, self.stats, self.lock = base, token, n, stats, lock
        self.conn = http.client.HTTPConnection(base, timeout=30)
        self.clients: dict[str, int] = {}  # name -> id acknowledged
        self.orders: list[str] = []
        self.latencies: list[float] = []

    def request(self, method: str, path: str, body: dict | None = None, key: str | None = None):
        headers = {"Authorization": f"Bearer {self.token}"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if key:
            headers["Idempotency-Key"] = key
        for _ in range(5):  # a connection the server closed (idle) is opened again
            began = time.perf_counter()
            try:
                self.conn.request(method, path, body=data, headers=headers)
                response = self.conn.getresponse()
                payload = response.read()
            except (OSError, http.client.HTTPException):
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.base, timeout=30)
                continue
            self.latencies.append((time.perf_counter() - began) * 1000)
            with self.lock:
                self.stats["requests"] += 1
                if response.status >= 500:
                    self.stats["errors_5xx"] += 1
            return response.status, json.loads(payload or b"null")
        raise RuntimeError(f"{method} {path}: no answer after 5 connections")

    def run(self, stop: threading.Event, rng: random.Random):
        i = 0
        while not stop.is_set():
            if self.clients and rng.random() < 0.5:
                name = rng.choice(list(self.clients))
                self.request("GET", f"/api/v1/clients/{self.clients[name]}")
                continue
            name = f"Soak {self.n}-{i}"
            status, reply = self.request("POST", "/api/v1/clients", {"name": name}, f"c{self.n}-{i}")
            if status == 201:
                self.clients[name] = reply["id"]
                number = f"SOAK-{self.n}-{i}"
                status, reply = self.request("POST", "/api/v1/orders", {
                    "client_id": reply["id"], "number": number,
                    "lines": [{"sku": "TEA-1", "quantity": "1", "price": "10.00"}]}, f"o{self.n}-{i}")
                if status == 201:
                    self.orders.append(number)
            i += 1


def main() -> int:
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 600
    connections = int(sys.argv[2]) if len(sys.argv) > 2 else 64
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="salescore-soak-"))
    db = f"sqlite:{tmp / 'crm.db'}"
    subprocess.run([BIN, "init", "--db", db], check=True, capture_output=True)
    sys.path.insert(0, str(BUILD / "python"))
    import salescore
    with salescore.open(db) as engine:
        engine.users.add(login="soak", name="Soak", role="director")
        engine.products.add(sku="TEA-1", name="Чай", prices={"retail": "10.00"})
    token = subprocess.run([BIN, "token", "create", "--db", db, "--user", "soak"], check=True,
                           capture_output=True, text=True).stdout.strip()
    hooks = tmp / "hooks.log"
    hooks.touch()
    parent, child = multiprocessing.Pipe()
    receiver = multiprocessing.Process(target=receive, args=(child, str(hooks)), daemon=True)
    receiver.start()
    receiver_url = f"http://127.0.0.1:{parent.recv()}/hook"
    config = tmp / "salescore.ini"
    config.write_text(f"[connector.onec]\nlogin = {LOGIN}\npassword = {PASSWORD}\nwork_dir = {tmp / 'exchange'}\n"
                      f"\n[connector.webhooks]\nurl = {receiver_url}\nsecret = {SECRET}\nevents = client.created, "
                      "order.created\n", encoding="utf-8")
    automations = tmp / "automations"
    automations.mkdir()
    (automations / "soak_tasks.py").write_text(AUTOMATION, encoding="utf-8")
    log = open(tmp / "serve.log", "wb")
    serve = subprocess.Popen([BIN, "serve", "--db", db, "--config", str(config), "--listen", "127.0.0.1:0",
                              "--rate-limit", "0"], stdout=subprocess.PIPE, stderr=log, text=True)
    base = re.search(r"http://([\d.]+:\d+)", serve.stdout.readline()).group(1)
    runner = subprocess.Popen([sys.executable, "-m", "salescore.automate", str(automations), "--db", db,
                               "--poll", "0.2", "--from-start"], stderr=open(tmp / "automate.log", "wb"),
                              env={**os.environ, "PYTHONPATH": str(BUILD / "python")})

    def cleanup():  # also when the bench is stopped: nothing left running
        for proc in (runner, serve):
            if proc.poll() is None:
                proc.terminate()
        receiver.terminate()
    atexit.register(cleanup)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    say(f"soak: {connections} connections for {seconds} s on {base}; files in {tmp}")

    stats, lock, stop = {"requests": 0, "errors_5xx": 0}, threading.Lock(), threading.Event()
    clients = [Client(base, token, n, stats, lock) for n in range(connections)]
    threads = [threading.Thread(target=c.run, args=(stop, random.Random(n)), daemon=True)
               for n, c in enumerate(clients)]
    catalog = {"import.xml": gen.to_bytes(gen.write_import, range(1, 201))}
    exchanges = {"done": 0, "failed": 0}

    def one_c():
        while not stop.wait(5):
            answers = OneC(f"http://{base}/exchange/1c").exchange_catalog(catalog)
            exchanges["done" if answers[0].startswith("success") else "failed"] += 1
    threads.append(threading.Thread(target=one_c, daemon=True))
    began = time.monotonic()
    for t in threads:
        t.start()
    rss_start, rss_end, first = None, 0.0, min(60.0, seconds / 10)
    wal = tmp / "crm.db-wal"
    wal_peak_mb = 0.0  # the WAL stays short only if checkpoints can start it over
    while (elapsed := time.monotonic() - began) < seconds:
        time.sleep(1)
        rss_end = rss_mb(serve.pid)
        wal_peak_mb = max(wal_peak_mb, wal.stat().st_size / 2**20 if wal.exists() else 0.0)
        if rss_start is None and elapsed >= first:
            rss_start = rss_end
            say(f"soak: RSS after {first:.0f} s: {rss_start:.1f} MB")
        if int(elapsed) % 60 == 0:
            say(f"soak: {elapsed:.0f} s, {stats['requests']} requests, RSS {rss_end:.1f} MB, "
                f"WAL peak {wal_peak_mb:.0f} MB")
    stop.set()
    for t in threads:
        t.join(timeout=120)

    # Drain: the webhooks and the automation catch up with what was written, while they
    # make progress (a minute without any ends it), for at most DRAIN_BOUND_S. What has not
    # arrived by then counts as lost in the last line: the bench never waits for ever, and
    # never calls an event delivered that the receiver did not log.
    expected_events = {seq for (seq,) in sql(tmp, "SELECT seq FROM events WHERE type IN "
                                                  "('client.created', 'order.created')")}
    arrivals = Arrivals(hooks)
    drain_began = time.monotonic()
    deadline, progress, shown = drain_began + 60, None, drain_began
    caught_up = False
    while time.monotonic() < min(deadline, drain_began + DRAIN_BOUND_S):
        delivered = arrivals.update()
        tasks = sql(tmp, "SELECT COUNT(*) FROM tasks WHERE title LIKE 'Soak: call about order %'")[0][0]
        orders_in_db = sql(tmp, "SELECT COUNT(*) FROM orders WHERE number LIKE 'SOAK-%'")[0][0]
        if expected_events <= delivered and tasks >= orders_in_db:
            caught_up = True
            break
        if (len(delivered), tasks) != progress:  # still catching up: give it another minute
            progress, deadline = (len(delivered), tasks), time.monotonic() + 60
        if time.monotonic() - shown >= 30:
            shown = time.monotonic()
            say(f"soak: draining, {shown - drain_began:.0f} s: {len(expected_events & delivered)} of "
                f"{len(expected_events)} events at the receiver, {tasks} of {orders_in_db} automation tasks")
        time.sleep(1)
    say(f"soak: webhooks and automations {'caught up' if caught_up else 'NOT caught up'} "
        f"{time.monotonic() - drain_began:.0f} s after the load")
    runner.terminate()
    runner.wait(timeout=60)
    serve.terminate()
    serve.wait(timeout=60)

    acked_clients = {name for c in clients for name in c.clients}
    acked_orders = {number for c in clients for number in c.orders}
    client_rows = dict(sql(tmp, "SELECT name, COUNT(*) FROM clients WHERE name LIKE 'Soak %' GROUP BY name"))
    order_rows = dict(sql(tmp, "SELECT number, COUNT(*) FROM orders WHERE number LIKE 'SOAK-%' GROUP BY number"))
    task_rows = dict(sql(tmp, "SELECT title, COUNT(*) FROM tasks WHERE title LIKE 'Soak: %' GROUP BY title"))
    products = sql(tmp, "SELECT COUNT(*) FROM products WHERE sku != 'TEA-1'")[0][0]
    received, delivery_count = deliveries(hooks)
    delivered = {s for seqs in received.values() for s in seqs}
    lost = (len(acked_clients - client_rows.keys()) + len(acked_orders - order_rows.keys()) +
            len(expected_events - delivered) + len(set(order_rows) - {t.rsplit(" ", 1)[1] for t in task_rows}) +
            (0 if exchanges["done"] == 0 or products == 200 else abs(200 - products)))
    duplicated = (sum(n - 1 for n in client_rows.values()) + sum(n - 1 for n in order_rows.values()) +
                  sum(n - 1 for n in task_rows.values()) + sum(len(s) - 1 for s in received.values()))
    latencies = sorted(x for c in clients for x in c.latencies)
    p99 = latencies[int(len(latencies) * 0.99)] if latencies else 0.0
    say(f"soak: {len(acked_clients)} clients and {len(acked_orders)} orders acknowledged, {len(task_rows)} "
        f"automation tasks, {len(expected_events)} events, {delivery_count} webhook deliveries, "
        f"{exchanges['done']} 1C exchanges ({exchanges['failed']} failed), {products} products; "
        f"WAL at most {wal_peak_mb:.0f} MB during the load")
    print(f"soak: requests={stats['requests']} errors_5xx={stats['errors_5xx']} p99_ms={p99:.1f} "
          f"rss_start_mb={rss_start or 0:.1f} rss_end_mb={rss_end:.1f} lost={lost} duplicated={duplicated}")
    receiver.terminate()
    if not os.environ.get("SOAK_KEEP"):  # the database and logs, for a look: SOAK_KEEP=1
        shutil.rmtree(tmp, ignore_errors=True)
    ok = stats["errors_5xx"] == 0 and lost == 0 and duplicated == 0 and exchanges["failed"] == 0
    return 0 if ok else 1


def sql(tmp: pathlib.Path, query: str):
    import sqlite3
    con = sqlite3.connect(tmp / "crm.db", timeout=30)
    try:
        return con.execute(query).fetchall()
    finally:
        con.close()


if __name__ == "__main__":
    sys.exit(main())
