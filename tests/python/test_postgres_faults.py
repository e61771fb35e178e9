"""Faults of a deployment of several `salescore serve` processes on one PostgreSQL
database: one of two servers killed (-9) in the middle of writes, and the database server
itself stopped under load and started again.

What must hold: the other server carries on; the killed one's connector is taken over by
the other; a client that sends its writes again under the same Idempotency-Key gets each
applied exactly once, whole (an order with all its lines and its event) or not at all;
while PostgreSQL is down requests fail with 503 and the server recovers by itself when
it is back, losing nothing it had answered as done.

Runs under tests/postgres/with_postgres.sh (CTest's pytest_postgresql), which starts the
server and says how to stop and start it; skipped otherwise.
"""

from __future__ import annotations

import http.client
import itertools
import os
import subprocess
import threading
import time
import urllib.error
from pathlib import Path

import pytest

import salescore
from test_api import SALESCORE_BIN, Api, cli, start_server, stop_server

PG_URL = os.environ.get("SALESCORE_PG_URL")
PG_SERVER = os.environ.get("SALESCORE_PG_SERVER")
PSQL = "/usr/lib/postgresql/15/bin/psql"
pytestmark = pytest.mark.skipif(not (SALESCORE_BIN and PG_URL and PG_SERVER),
                                reason="needs tests/postgres/with_postgres.sh (SALESCORE_PG_URL, SALESCORE_PG_SERVER)")
TEST_CONNECTORS = Path(SALESCORE_BIN or ".").resolve().parents[1] / "plugins" / "test_connectors"
_schemas = itertools.count()


def fresh_database():
    """A URL of an empty database: a schema of its own on the test server."""
    schema = f"sc_fault_{os.getpid()}_{next(_schemas)}"
    subprocess.run([PSQL, PG_URL, "-q", "-c", f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"],
                   check=True, capture_output=True)
    return f"{PG_URL}?options=-csearch_path%3D{schema}"


def scalar(url, query):
    out = subprocess.run([PSQL, url, "-Atq", "-c", query], check=True, capture_output=True, text=True)
    return int(out.stdout.strip())


def company(url):
    """A manager with a client, and the manager's API token."""
    with salescore.open(url) as e:
        m1 = e.users.add(login="m1", name="Менеджер 1", role="manager")
        client = e.clients.add(name="ООО Ромашка", owner_id=m1.id)
    token = cli("token", "create", "--db", url, "--user", "m1", "--name", "faults").stdout.strip()
    return client.id, token


def post_order(api, token, client_id, key):
    """(status, body); status None when the server did not answer (killed, or gone)."""
    body = {"client_id": client_id,
            "lines": [{"sku": "A-1", "quantity": "2", "price": "10.00"},
                      {"sku": "B-2", "quantity": "1", "price": "5.00"}]}
    try:
        status, reply, _ = api.call("POST", "/api/v1/orders", token=token, body=body,
                                    headers={"Idempotency-Key": key})
        return status, reply
    except (urllib.error.URLError, http.client.HTTPException, ConnectionError, TimeoutError):
        return None, None


def assert_each_key_applied_once_and_whole(url, keys):
    assert scalar(url, "SELECT COUNT(*) FROM orders") == len(keys), "a key was applied twice, or not at all"
    assert scalar(url, "SELECT COUNT(*) FROM orders o WHERE (SELECT COUNT(*) FROM order_lines l "
                       "WHERE l.order_id = o.id) <> 2") == 0, "an order without all its lines"
    assert scalar(url, "SELECT COUNT(*) FROM events WHERE type = 'order.created'") == len(keys), \
        "an order without its event, or an event without its order"


def wait_for(condition, what, seconds=30.0):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.05)


def test_a_server_killed_mid_writes_leaves_the_other_carrying_on_and_its_connector(tmp_path):
    url = fresh_database()
    client_id, token = company(url)
    extra = ["--rate-limit", "0"]
    example = TEST_CONNECTORS / "salescore_connector_example.so"
    if example.exists():
        config = tmp_path / "salescore.ini"
        config.write_text(f"[plugins]\ndirs = {TEST_CONNECTORS}\n\n[connector.example]\napi_token = tok-123456\n"
                          "poll_interval_ms = 200\n")
        extra += ["--config", str(config)]
    first_base, first = start_server(url, *extra)
    second_base, second = start_server(url, *extra)
    apis = [Api(first_base), Api(second_base)]
    done, errors, lock = {}, [], threading.Lock()

    def writer(name, count):
        for i in range(count):
            key = f"{name}-{i}"
            # Every other write to the first server; a write it did not answer (it was
            # killed) goes again, under the same key, to the second.
            status, _ = post_order(apis[i % 2], token, client_id, key)
            while status is None or status == 503:
                status, _ = post_order(apis[1], token, client_id, key)
            if status not in (200, 201):
                errors.append(f"{key}: {status}")
                return
            with lock:
                done[key] = status

    try:
        threads = [threading.Thread(target=writer, args=(f"w{n}", 40)) for n in range(2)]
        for t in threads:
            t.start()
        wait_for(lambda: len(done) >= 16, "the first writes")
        first.kill()  # SIGKILL: no goodbye to the database or to the clients
        first.wait()
        for t in threads:
            t.join(timeout=120)
        assert not errors
        assert len(done) == 80
        assert second.poll() is None, "the other server went down too"
        assert_each_key_applied_once_and_whole(url, list(done))
        if example.exists():
            log = second.log_path
            wait_for(lambda: "runs in this process now" in log.read_text(), "the connector's takeover")
            assert "another process runs it for now" in log.read_text()
    finally:
        stop_server(first)
        stop_server(second)


def test_postgresql_restarted_under_load_gives_503_then_recovers_losing_nothing():
    url = fresh_database()
    client_id, token = company(url)
    base, proc = start_server(url)
    api = Api(base)
    done, unavailable, errors, stop = [], [], [], threading.Event()

    def writer():
        for i in itertools.count():
            if stop.is_set():
                return
            key = f"k-{i}"
            while True:
                status, _ = post_order(api, token, client_id, key)
                if status in (200, 201):
                    done.append(key)
                    break
                if status != 503:
                    errors.append(f"{key}: while the database was away the server answered {status}")
                    return
                unavailable.append(key)
                time.sleep(0.05)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        wait_for(lambda: len(done) >= 10, "the first writes")
        subprocess.run([PG_SERVER, "stop"], check=True, capture_output=True)
        try:
            wait_for(lambda: unavailable, "a 503 while PostgreSQL is down")
            status, _, _ = api.call("GET", "/api/v1/orders", token=token)
            assert status == 503
            assert proc.poll() is None, "the server died with its database"
        finally:
            subprocess.run([PG_SERVER, "start"], check=True, capture_output=True)
        answered = len(done)
        wait_for(lambda: len(done) >= answered + 10, "writes after PostgreSQL is back")
        status, _, _ = api.call("GET", "/api/v1/orders", token=token)
        assert status == 200
    finally:
        stop.set()
        thread.join(timeout=60)
        stop_server(proc)
    assert not errors
    assert_each_key_applied_once_and_whole(url, done)
