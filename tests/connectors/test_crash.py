"""Crash tests (issue 23, docs/reliability.md): `salescore serve` killed with SIGKILL at a
random moment of a storm of REST writes retried by Idempotency-Key, of a 1C catalog
import, and of an outbound webhook dispatch. After each restart: PRAGMA integrity_check is ok, every acknowledged write is
there exactly once (and so is every write retried under its key), the event log has no
gap, a KPI rebuild gives the aggregates the writes kept up incrementally, and a 1C file's
products are all there or none of them, and a receiver that de-duplicates by the
Idempotency-Key gets every event once.

Sizes: SALESCORE_CRASH_CYCLES (default 3) kills per test and SALESCORE_CRASH_PRODUCTS
(default 5000: more than one of the import's 2,000-product chunks) products in the catalog; the issue's full figures (20 cycles, 20,000
products) are `SALESCORE_CRASH_CYCLES=20 SALESCORE_CRASH_PRODUCTS=20000`."""
from __future__ import annotations

import http.client
import json
import os
import random
import re
import subprocess
import threading
import time

import pytest

import commerceml_gen as gen
from conftest import BIN, OneC, sql_rows, write_config

CYCLES = int(os.environ.get("SALESCORE_CRASH_CYCLES", "3"))
PRODUCTS = int(os.environ.get("SALESCORE_CRASH_PRODUCTS", "5000"))
CONNECTIONS = 32
SEED = int(os.environ.get("SALESCORE_CRASH_SEED", str(int(time.time()))))


class Serve:
    """`salescore serve` on a file database, restartable, killed with SIGKILL."""

    def __init__(self, tmp, config: str = ""):
        self.tmp = tmp
        self.db_path = tmp / "crm.db"
        self.db = f"sqlite:{self.db_path}"
        self.config = write_config(tmp, config)
        self.log = open(tmp / "serve.log", "ab")
        self.proc = None
        self.base = ""

    def init_with_director(self, login: str) -> str:
        """A new database with a director `login`; returns that director's API token."""
        subprocess.run([BIN, "init", "--db", self.db], check=True, capture_output=True)
        import salescore
        with salescore.open(self.db) as engine:
            engine.users.add(login=login, name=login.capitalize(), role="director")
        return subprocess.run([BIN, "token", "create", "--db", self.db, "--user", login], check=True,
                              capture_output=True, text=True).stdout.strip()

    def start(self):
        self.proc = subprocess.Popen([BIN, "serve", "--db", self.db, "--config", str(self.config), "--listen",
                                      "127.0.0.1:0", "--rate-limit", "0"],
                                     stdout=subprocess.PIPE, stderr=self.log, text=True)
        line = self.proc.stdout.readline()
        match = re.search(r"http://([\d.]+:\d+)", line)
        assert match, line + (self.tmp / "serve.log").read_text(errors="replace")
        self.base = match.group(1)

    def kill(self):
        self.proc.kill()
        self.proc.wait()
        self.proc.stdout.close()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=30)
            self.proc.stdout.close()

    def sql(self, query: str, *args):
        return sql_rows(self.db_path, query, *args)

    def check_integrity(self):
        assert self.sql("PRAGMA integrity_check") == [("ok",)]
        first, last, count = self.sql("SELECT MIN(seq), MAX(seq), COUNT(*) FROM events")[0]
        assert count == 0 or last - first + 1 == count, f"the event log has gaps: {first}..{last}, {count} events"

    def kpi_rebuild_equals_incremental(self):
        tables = ("kpi_daily", "kpi_monthly")
        before = {t: sorted(self.sql(f"SELECT * FROM {t}")) for t in tables}
        subprocess.run([BIN, "kpi", "rebuild", "--db", self.db], check=True, capture_output=True, timeout=300)
        after = {t: sorted(self.sql(f"SELECT * FROM {t}")) for t in tables}
        assert before == after, "a KPI rebuild differs from the incremental aggregates"


def call(base: str, method: str, path: str, token: str, body: dict, key: str):
    """(status, JSON) or None when the connection failed (the server is gone)."""
    data = json.dumps(body).encode()
    conn = http.client.HTTPConnection(base, timeout=30)
    try:
        conn.request(method, path, body=data, headers={"Authorization": f"Bearer {token}",
                                                        "Content-Type": "application/json", "Idempotency-Key": key})
        response = conn.getresponse()
        return response.status, json.loads(response.read() or b"null")
    except (OSError, http.client.HTTPException):
        return None
    finally:
        conn.close()


@pytest.fixture
def company(tmp_path):
    serve = Serve(tmp_path)
    token = serve.init_with_director("storm")
    import salescore
    with salescore.open(serve.db) as engine:
        engine.products.add(sku="TEA-1", name="Чай", prices={"retail": "10.00"})
    yield serve, token
    serve.stop()


class Writer:
    """One connection's writes: a client, its order, the order's payment, again and again.
    A write whose reply never came stays `pending` and is sent again, under the same
    key, once the server is back."""

    def __init__(self, serve: Serve, token: str, n: int, acked: dict):
        self.serve, self.token, self.n, self.acked = serve, token, n, acked
        self.step = 0
        self.pending = None  # (method, path, body, key)
        self.failure = None

    def next_write(self):
        i, kind = divmod(self.step, 3)
        key = f"w{self.n}-{i}-{kind}"
        if kind == 0:
            return "POST", "/api/v1/clients", {"name": f"Шторм {self.n}-{i}"}, key
        if kind == 1:
            client = self.acked[f"w{self.n}-{i}-0"]["id"]
            return "POST", "/api/v1/orders", {"client_id": client, "number": f"S-{self.n}-{i}",
                                             "lines": [{"sku": "TEA-1", "quantity": "2", "price": "10.00"}]}, key
        order = self.acked[f"w{self.n}-{i}-1"]["id"]
        return "POST", "/api/v1/payments", {"order_id": order, "amount": "20.00", "method": "card"}, key

    def send(self, write) -> bool:
        method, path, body, key = write
        answer = call(self.serve.base, method, path, self.token, body, key)
        if answer is None:
            self.pending = write
            return False
        status, reply = answer
        if status not in (200, 201):
            self.failure = (write, status, reply)
            return False
        self.acked[key] = reply
        self.pending = None
        self.step += 1
        return True

    def run(self, stop: threading.Event):
        while not stop.is_set() and self.failure is None:
            if not self.send(self.pending or self.next_write()):
                return


def test_acknowledged_rest_writes_survive_kill_9_exactly_once(company):
    serve, token = company
    rng = random.Random(SEED)
    acked: dict[str, dict] = {}
    writers = [Writer(serve, token, n, acked) for n in range(CONNECTIONS)]
    for _ in range(CYCLES):
        serve.start()
        stop = threading.Event()
        threads = [threading.Thread(target=w.run, args=(stop,), daemon=True) for w in writers]
        for t in threads:
            t.start()
        time.sleep(rng.uniform(0.3, 2.0))
        serve.kill()
        stop.set()
        for t in threads:
            t.join(timeout=60)
        assert not [w.failure for w in writers if w.failure], f"seed {SEED}"
        serve.check_integrity()
    # The writes the last kill cut off, sent again under their keys.
    serve.start()
    for w in writers:
        if w.pending:
            assert w.send(w.pending), f"seed {SEED}: a retried write failed: {w.failure}"
    serve.stop()

    # Every acknowledged write is there exactly once, and nothing else is.
    clients = {k for k in acked if k.endswith("-0")}
    orders = {k for k in acked if k.endswith("-1")}
    payments = {k for k in acked if k.endswith("-2")}
    assert clients, f"seed {SEED}: no write was acknowledged"
    names = serve.sql("SELECT name, COUNT(*) FROM clients WHERE name LIKE 'Шторм %' GROUP BY name")
    assert all(n == 1 for _, n in names), f"seed {SEED}: a client written twice"
    assert {name for name, _ in names} == {"Шторм " + k[1:].rsplit("-", 1)[0] for k in clients}, f"seed {SEED}"
    numbers = serve.sql("SELECT number, COUNT(*) FROM orders WHERE number LIKE 'S-%' GROUP BY number")
    assert all(n == 1 for _, n in numbers) and len(numbers) == len(orders), f"seed {SEED}"
    assert serve.sql("SELECT COUNT(*) FROM payments")[0][0] == len(payments), f"seed {SEED}"
    serve.check_integrity()
    serve.kpi_rebuild_equals_incremental()
    print(f"REST storm (seed {SEED}): {len(clients)} clients, {len(orders)} orders, {len(payments)} payments "
          f"acknowledged over {CYCLES} kills")


def fresh_database(serve: Serve):
    for suffix in ("", "-wal", "-shm"):
        (serve.tmp / f"crm.db{suffix}").unlink(missing_ok=True)
    subprocess.run([BIN, "init", "--db", serve.db], check=True, capture_output=True)


def upload_catalog(serve: Serve, files: dict[str, bytes]) -> OneC:
    onec = OneC(f"http://{serve.base}/exchange/1c")
    onec.checkauth()
    onec.init()
    for name, data in files.items():
        onec.upload(name, data, chunk=1 << 20)  # 1C's pieces, under file_limit
    return onec


def test_a_1c_catalog_killed_mid_import_is_applied_whole_or_not_at_all(tmp_path):
    serve = Serve(tmp_path)
    rng = random.Random(SEED)
    ids = range(1, PRODUCTS + 1)
    files = {"import.xml": gen.to_bytes(gen.write_import, ids), "offers.xml": gen.to_bytes(gen.write_offers, ids)}
    outcomes: list[int] = []  # products found after each kill: 0 or all
    try:
        # How long the import takes uninterrupted: the kills fall inside it.
        fresh_database(serve)
        serve.start()
        onec = upload_catalog(serve, files)
        began = time.monotonic()
        assert onec.import_file("import.xml").startswith("success")
        took = time.monotonic() - began
        assert onec.import_file("offers.xml").startswith("success")
        assert serve.sql("SELECT COUNT(*) FROM products")[0][0] == PRODUCTS
        serve.stop()
        for _ in range(CYCLES):
            fresh_database(serve)
            serve.start()
            onec = upload_catalog(serve, files)

            def import_until_killed():
                try:
                    while not onec.text("catalog", "import", filename="import.xml")[1].startswith("success"):
                        pass
                except OSError:  # the kill
                    pass
            importer = threading.Thread(target=import_until_killed, daemon=True)
            importer.start()
            time.sleep(rng.uniform(0.0, took))
            serve.kill()
            importer.join(timeout=60)
            serve.check_integrity()
            count = serve.sql("SELECT COUNT(*) FROM products")[0][0]
            assert count in (0, PRODUCTS), f"seed {SEED}: {count} of {PRODUCTS} products after a kill"
            outcomes.append(count)
            # 1C sends the file again at its next exchange: now it is applied whole.
            serve.start()
            onec = upload_catalog(serve, files)
            assert onec.import_file("import.xml").startswith("success")
            assert serve.sql("SELECT COUNT(*) FROM products")[0][0] == PRODUCTS
            serve.stop()
            serve.check_integrity()
        print(f"1C kills (seed {SEED}, import {took:.2f} s): products after each: {outcomes}")
    finally:
        serve.stop()


def test_webhooks_killed_mid_dispatch_reach_a_deduplicating_receiver_once_each(tmp_path):
    from test_webhooks import SECRET, Receiver
    import salescore
    receiver = Receiver()
    serve = Serve(tmp_path, config=(
        f"\n[connector.webhooks]\nurl = {receiver.url}\nsecret = {SECRET}\nevents = client.\n"
        "retry_base_ms = 50\nretry_cap_ms = 200\n"))
    subprocess.run([BIN, "init", "--db", serve.db], check=True, capture_output=True)
    rng = random.Random(SEED)
    try:
        for cycle in range(CYCLES):
            serve.start()
            # Events written by another process while the connector dispatches.
            with salescore.open(serve.db) as crm:
                for i in range(100):
                    crm.clients.add(name=f"Хук {cycle}-{i}")
            time.sleep(rng.uniform(0.0, 0.5))
            serve.kill()
            serve.check_integrity()
        serve.start()
        expected = {seq for (seq,) in serve.sql("SELECT seq FROM events WHERE type = 'client.created'")}
        assert len(expected) == 100 * CYCLES
        # Waits while deliveries keep coming: 60 s without a new one ends it. Known to fail
        # when a kill lands while a batch is claimed (seen under ASan, where a batch takes
        # longer; the seed does not repeat it): events the killed process had claimed
        # wait out its 5-minute lease (RuntimeOptions::delivery_lease_ms) before the
        # restarted process sends them, late but once (docs/reliability.md, crash tests).
        deadline, seen = time.monotonic() + 60, 0
        while time.monotonic() < deadline:
            keys = {headers["idempotency-key"] for headers, _ in list(receiver.requests)}
            if len(keys) >= len(expected):
                break
            if len(keys) > seen:
                deadline, seen = time.monotonic() + 60, len(keys)
            time.sleep(0.1)
        time.sleep(0.5)  # a late duplicate, if any, is here by now
        serve.stop()
        seq_of_key: dict[str, set[int]] = {}
        for headers, body in list(receiver.requests):
            seq_of_key.setdefault(headers["idempotency-key"], set()).add(json.loads(body)["seq"])
        assert all(len(seqs) == 1 for seqs in seq_of_key.values()), "one key named two events"
        delivered = {next(iter(seqs)) for seqs in seq_of_key.values()}
        assert delivered == expected, (f"seed {SEED}: lost {sorted(expected - delivered)[:10]}, "
                                       f"unexpected {sorted(delivered - expected)[:10]}")
        print(f"webhooks (seed {SEED}): {len(receiver.requests)} deliveries of {len(expected)} events")
    finally:
        serve.stop()
        receiver.close()
