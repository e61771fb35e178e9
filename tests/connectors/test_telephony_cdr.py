"""`salescore telephony import-cdr`: the Master.csv recorded from a real Asterisk 22
(../shared/fixtures/cdr) imported as calls, each once, however often it is imported."""
from __future__ import annotations

import json
import os
import pathlib
import sqlite3
import subprocess

import pytest

BIN = os.environ.get("SALESCORE_BIN", str(pathlib.Path(__file__).parents[2] / "build/server/salescore"))
SHARED = pathlib.Path(os.environ.get("SALESCORE_SHARED_FIXTURES", "/nonexistent"))
CDR = SHARED / "cdr" / "Master-asterisk-22.csv"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=120)


@pytest.fixture()
def office(tmp_path):
    if not CDR.is_file():
        pytest.skip(f"{CDR} is absent (the shared fixtures live beside the repository)")
    db = tmp_path / "crm.db"
    assert run("init", "--db", f"sqlite:{db}").returncode == 0
    config = tmp_path / "salescore.ini"
    config.write_text("[connector.telephony]\nami_user = salescore\ntrunks = Local/*@trunk-in\n"
                      "outbound_contexts = outside\n")
    return db, config


def counts(db):
    with sqlite3.connect(db) as c:
        return (c.execute("SELECT COUNT(*) FROM interactions WHERE kind = 'call'").fetchone()[0],
                c.execute("SELECT COUNT(*) FROM leads").fetchone()[0])


def test_import_cdr_records_each_call_once_and_again_changes_nothing(office):
    db, config = office
    first = run("telephony", "import-cdr", str(CDR), "--db", f"sqlite:{db}", "--config", str(config))
    assert first.returncode == 0, first.stderr
    answer = json.loads(first.stdout.split(": ", 1)[1])
    assert answer == {"rows": 30, "calls": 7, "recorded": 7, "internal": 0, "errors": []}
    # Three missed calls from numbers no client has: three leads.
    assert counts(db) == (7, 3)
    again = run("telephony", "import-cdr", str(CDR), "--db", f"sqlite:{db}", "--config", str(config))
    assert again.returncode == 0, again.stderr
    assert counts(db) == (7, 3)


def test_a_row_that_does_not_fit_is_named_and_the_rest_imported(office, tmp_path):
    db, config = office
    bad = tmp_path / "Master.csv"
    bad.write_bytes(CDR.read_bytes() + b'"only","three","columns"\n')
    done = run("telephony", "import-cdr", str(bad), "--db", f"sqlite:{db}", "--config", str(config))
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout.split(": ", 1)[1])
    assert answer["errors"] == [{"line": 31, "reason": "3 columns; Master.csv rows have 16 to 21"}]
    assert answer["recorded"] == 7


def test_import_cdr_without_the_section_says_what_is_missing(tmp_path):
    config = tmp_path / "empty.ini"
    config.write_text("")
    done = run("telephony", "import-cdr", "x.csv", "--db", f"sqlite:{tmp_path / 'crm.db'}", "--config", str(config))
    assert done.returncode == 2
    assert "no [connector.telephony] section" in done.stderr
