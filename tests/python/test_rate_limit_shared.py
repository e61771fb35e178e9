"""The API rate limit is the deployment's, not each process's: two `salescore serve`
processes on one database each admit half of it (server/api/serve_heartbeat.h: a heartbeat
row per process in serve_processes every 2 s, no write per request), and a process that
stops hands its share back.

Runs on a SQLite file, and on PostgreSQL too under tests/postgres/with_postgres.sh.
"""

from __future__ import annotations

import os
import re
import subprocess
import time

import pytest

import salescore
from test_api import SALESCORE_BIN, Api, cli, start_server, stop_server

PG_URL = os.environ.get("SALESCORE_PG_URL")
PSQL = "/usr/lib/postgresql/15/bin/psql"
pytestmark = pytest.mark.skipif(not SALESCORE_BIN, reason="SALESCORE_BIN does not name the salescore executable")


def databases():
    """The kinds of database a multi-process test runs on here: a SQLite file, and
    PostgreSQL under tests/postgres/with_postgres.sh."""
    yield "sqlite"
    if PG_URL:
        yield "postgresql"


def fresh_database(kind, tmp_path, name):
    """The URL of an empty database of `kind` (databases()): a file in tmp_path, or a
    schema `name`_PID (dropped first) on the PostgreSQL server."""
    if kind == "sqlite":
        return f"sqlite:{tmp_path / 'crm.db'}"
    schema = f"{name}_{os.getpid()}"
    subprocess.run([PSQL, PG_URL, "-q", "-c", f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"],
                   check=True, capture_output=True)
    return f"{PG_URL}?options=-csearch_path%3D{schema}"


@pytest.fixture(params=list(databases()))
def database(request, tmp_path):
    """(url, token) of a database with one manager."""
    url = fresh_database(request.param, tmp_path, "sc_rate")
    with salescore.open(url) as e:
        e.users.add(login="m1", name="Менеджер 1", role="manager")
    token = cli("token", "create", "--db", url, "--user", "m1", "--name", "rate").stdout.strip()
    return url, token


def processes_seen(base):
    status, text, _ = Api(base).call("GET", "/metrics")
    assert status == 200
    return int(re.search(r"^salescore_serve_processes (\d+)$", text, re.MULTILINE).group(1))


def wait_for_processes(base, count):
    """Until the server's heartbeat has seen `count` live processes (it beats every 2 s)."""
    deadline = time.monotonic() + 30
    while processes_seen(base) != count:
        assert time.monotonic() < deadline, f"the heartbeat never saw {count} processes"
        time.sleep(0.2)


def test_two_processes_share_the_rate_limit(database):
    url, token = database
    base_a, a = start_server(url, "--rate-limit", "1")  # 1 a second, bursts of 2: for the deployment
    base_b, b = None, None
    try:
        assert processes_seen(base_a) == 1  # alone: the whole limit
        base_b, b = start_server(url, "--rate-limit", "1")
        wait_for_processes(base_a, 2)
        wait_for_processes(base_b, 2)
        # Each process now admits half: a burst of 1 and one request every 2 s. Twelve
        # requests, alternating: about 2 pass (plus one per second they take), where two
        # processes counting alone would pass 4 at once.
        started = time.monotonic()
        statuses = [Api(base).call("GET", "/api/v1/users", token=token)[0]
                    for _ in range(6) for base in (base_a, base_b)]
        took = time.monotonic() - started
        admitted = statuses.count(200)
        assert set(statuses) <= {200, 429}, statuses
        assert admitted <= 2 + int(took) + 1, (statuses, took)
        # B stops and leaves: A takes the whole limit again at its next beat.
        stop_server(b)
        b = None
        wait_for_processes(base_a, 1)
    finally:
        if b:
            stop_server(b)
        stop_server(a)
