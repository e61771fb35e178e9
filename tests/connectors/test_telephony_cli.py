"""`salescore telephony`: import-cdr of the Master.csv recorded from a real Asterisk 22
(../shared/fixtures/cdr), each call once however often it is imported; dial, a
click-to-call queued with the caller's access."""
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


def test_export_calls_gives_each_calls_facts_as_columns(office, tmp_path):
    db, config = office
    assert run("telephony", "import-cdr", str(CDR), "--db", f"sqlite:{db}", "--config", str(config)).returncode == 0
    out = tmp_path / "calls.jsonl"
    done = run("export", "calls", "--db", f"sqlite:{db}", "--format", "jsonl", "--out", str(out))
    assert done.returncode == 0, done.stderr
    calls = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(calls) == 7, "one row per call, as the KPI counts them"
    assert {c["disposition"] for c in calls} == {"answered", "busy", "no_answer", "failed"}
    ring_group = [c for c in calls if c["pbx_call_id"] == "1796607077.0"]
    assert len(ring_group) == 1
    assert (ring_group[0]["caller"], ring_group[0]["callee"], ring_group[0]["manager"],
            ring_group[0]["rang_not_answered"]) == ("84959876543", "600", "102", "101,103")
    csv = run("export", "calls", "--db", f"sqlite:{db}", "--format", "csv")
    assert csv.returncode == 0 and "disposition" in csv.stdout.splitlines()[0]


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


def test_dial_queues_one_call_for_a_client_the_caller_may_see(tmp_path):
    import salescore
    db = tmp_path / "crm.db"
    assert run("init", "--db", f"sqlite:{db}").returncode == 0
    with salescore.open(f"sqlite:{db}") as e:
        m1 = e.users.add(login="m1", name="Менеджер 1", role="manager")
        m2 = e.users.add(login="m2", name="Менеджер 2", role="manager")
        mine = e.clients.add(name="ООО Ромашка", owner_id=m1.id, phones=["8 (495) 123-45-67"])
        theirs = e.clients.add(name="ООО Лютик", owner_id=m2.id, phones=["+74957654321"])
    first = run("telephony", "dial", "--db", f"sqlite:{db}", "--user", "m1", "--client", str(mine.id))
    assert first.returncode == 0, first.stderr
    assert "Queued a call to +74951234567" in first.stdout
    again = run("telephony", "dial", "--db", f"sqlite:{db}", "--user", "m1", "--client", str(mine.id))
    assert "Already queued" in again.stdout, "a double click queues one call"
    refused = run("telephony", "dial", "--db", f"sqlite:{db}", "--user", "m1", "--client", str(theirs.id))
    assert refused.returncode == 1
    assert "may not read client" in refused.stderr, refused.stderr
    with sqlite3.connect(db) as c:
        rows = c.execute("SELECT kind, payload FROM connector_outbox WHERE connector = 'telephony'").fetchall()
    assert len(rows) == 1 and rows[0][0] == "call"
    assert json.loads(rows[0][1])["login"] == "m1"
