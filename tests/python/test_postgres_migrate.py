"""`salescore migrate --from sqlite:... --to postgresql://...` (issue 21): the demo
department copied into PostgreSQL with its ids, events, KPI aggregates, tokens and
accounts; a non-empty target refused unless --force; the verification at the end; the
copy working on as a database of its own (ids and event numbers go on after the copied).

Runs under tests/postgres/with_postgres.sh (CTest's pytest_postgresql); skipped otherwise.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess

import pytest

import salescore
from test_api import SALESCORE_BIN, cli
from test_postgres_faults import fresh_database, scalar

PG_URL = os.environ.get("SALESCORE_PG_URL")
pytestmark = pytest.mark.skipif(not (SALESCORE_BIN and PG_URL), reason="needs tests/postgres/with_postgres.sh")


def migrate(source, target, *extra):
    return subprocess.run([SALESCORE_BIN, "migrate", "--from", source, "--to", target, *extra],
                          capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("migrate") / "crm.db"
    url = f"sqlite:{path}"
    done = subprocess.run([SALESCORE_BIN, "demo", "--db", url, "--clients", "30", "--orders", "300", "--seed", "7",
                           "--today", "2026-11-20"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    cli("token", "create", "--db", url, "--user", "admin", "--name", "migrated")
    return url, path


def test_the_demo_department_is_copied_whole_and_verified(demo):
    url, path = demo
    target = fresh_database()
    done = migrate(url, target)
    assert done.returncode == 0, done.stderr + done.stdout
    assert "verified" in done.stdout and "equal to a rebuild" in done.stdout
    with sqlite3.connect(path) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                                           "'sqlite_%' AND name <> 'schema_version'")]
        for table in tables:
            # The verification's KPI rebuild leaves out the cells at zero that incremental
            # updates leave behind (the non-empty cells are compared, and equal).
            if table in ("kpi_daily", "kpi_monthly"):
                continue
            assert scalar(target, f'SELECT COUNT(*) FROM "{table}"') == \
                db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0], table
        last_seq = db.execute("SELECT MAX(seq) FROM events").fetchone()[0]
        last_client = db.execute("SELECT MAX(id) FROM clients").fetchone()[0]
        kpi = db.execute("SELECT SUM(value) FROM kpi_monthly").fetchone()[0]
    assert scalar(target, "SELECT MAX(seq) FROM events") == last_seq
    assert scalar(target, "SELECT SUM(value) FROM kpi_monthly") == kpi
    # The copy is a database of its own: the next id and event number follow the copied.
    with salescore.open(target) as e:
        client = e.clients.add(name="После переезда")
        assert client.id == last_client + 1
    assert scalar(target, "SELECT MIN(seq) FROM events WHERE type = 'client.created' AND entity_id = "
                          f"{client.id}") == last_seq + 1
    # The token made on SQLite lets its user in on PostgreSQL (only its hash was copied).
    assert scalar(target, "SELECT COUNT(*) FROM api_tokens WHERE name = 'migrated'") == 1


def test_a_target_holding_data_is_refused_unless_forced(demo):
    url, _ = demo
    target = fresh_database()
    with salescore.open(target) as e:
        e.clients.add(name="Уже здесь")
    refused = migrate(url, target)
    assert refused.returncode == 1
    assert "holds data already" in refused.stderr and "1 in clients" in refused.stderr and "--force" in refused.stderr
    assert scalar(target, "SELECT COUNT(*) FROM clients") == 1, "nothing was copied"
    forced = migrate(url, target, "--force")
    assert forced.returncode == 0, forced.stderr
    assert scalar(target, "SELECT COUNT(*) FROM clients WHERE name = 'Уже здесь'") == 0


def test_wrong_urls_and_a_missing_source_are_refused(demo, tmp_path):
    url, _ = demo
    target = fresh_database()
    assert migrate("sqlite::memory:", target).returncode == 2
    assert migrate(url, f"sqlite:{tmp_path / 'other.db'}").returncode == 2
    missing = migrate(f"sqlite:{tmp_path / 'absent.db'}", target)
    assert missing.returncode == 1 and "there is no database" in missing.stderr
    assert not (tmp_path / "absent.db").exists()
