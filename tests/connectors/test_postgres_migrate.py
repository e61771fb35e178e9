"""A database after a 1C catalog import moves to PostgreSQL (`salescore migrate`, issue
21) and verifies: products, prices, the connector's inbox keys and state, events.

Runs under tests/postgres/with_postgres.sh (CTest's connectors_pytest_postgresql);
skipped otherwise.
"""
from __future__ import annotations

import itertools
import os
import subprocess

import pytest

from conftest import BIN, public_sample

PG_URL = os.environ.get("SALESCORE_PG_URL")
PSQL = "/usr/lib/postgresql/15/bin/psql"
pytestmark = pytest.mark.skipif(not PG_URL, reason="needs tests/postgres/with_postgres.sh")
_schemas = itertools.count()


def test_a_database_after_a_1c_import_moves_to_postgresql_and_verifies(server):
    answers = server.onec.exchange_catalog({"import.xml": public_sample("umi-cms_import.xml"),
                                           "offers.xml": public_sample("umi-cms_offers.xml")})
    assert all(a.startswith("success") for a in answers), answers
    server.stop()
    schema = f"sc_onec_{os.getpid()}_{next(_schemas)}"
    subprocess.run([PSQL, PG_URL, "-q", "-c", f"CREATE SCHEMA {schema}"], check=True, capture_output=True)
    target = f"{PG_URL}?options=-csearch_path%3D{schema}"
    done = subprocess.run([BIN, "migrate", "--from", server.db, "--to", target], capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr + done.stdout
    assert "verified" in done.stdout
    for table in ("products", "product_prices", "connector_inbox", "connector_state", "events"):
        local = server.sql(f"SELECT COUNT(*) FROM {table}")[0][0]
        # A catalog keeps no inbox keys (its records are keyed by external id).
        assert local > 0 or table == "connector_inbox", table
        copied = subprocess.run([PSQL, target, "-Atq", "-c", f"SELECT COUNT(*) FROM {table}"], check=True,
                                capture_output=True, text=True).stdout.strip()
        assert int(copied) == local, table
