"""Dead letters keep what they know, the same through the CLI, REST and Python: the
reason a letter was given up on stays, every replay is recorded on it (time, result),
a refused replay changes nothing, and a letter carrying an event names its type."""

from __future__ import annotations

import json
import sqlite3

import pytest

import salescore
from test_api import SALESCORE_BIN, Api, cli, start_server, stop_server

pytestmark = pytest.mark.skipif(not SALESCORE_BIN, reason="SALESCORE_BIN does not name the salescore executable")

INSERT = ("INSERT INTO dead_letters (connector, direction, kind, source, external_id, idempotency_key, payload, "
          "code, reason, attempts, failed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")


@pytest.fixture
def letters(tmp_path):
    """A database with three letters: an outbound event the webhooks connector gave up
    on, an automation's, and an inbound client that still cannot be applied."""
    path = tmp_path / "crm.db"
    url = f"sqlite:{path}"
    with salescore.open(url) as e:
        e.users.add(login="dir", name="Директор", role="director")
        e.users.add(login="shop", name="Интернет-магазин", role="integration")
    event = json.dumps({"seq": 7, "type": "client.created", "entity": "client", "entity_id": 1, "data": {}})
    automation = json.dumps({"seq": 8, "type": "deal.lost", "traceback": "Traceback (most recent call last): ..."})
    with sqlite3.connect(path) as db:
        ids = {
            "event": db.execute(INSERT, ("webhooks", "outbound", "event", "", "", "event:7", event, "unavailable",
                                         "gave up after 5 attempts: 503", 5, 1000)).lastrowid,
            "automation": db.execute(INSERT, ("automation.mail.notify", "inbound", "deal.lost", "events", "8",
                                              "automation.mail.notify:8", automation, "internal",
                                              "RuntimeError: smtp down", 5, 2000)).lastrowid,
            "client": db.execute(INSERT, ("shop", "inbound", "client", "shop", "c-1", "k-1", '{"inn":"12"}',
                                          "unavailable", "gave up after 5 attempts: database is locked", 5,
                                          3000)).lastrowid,
        }
    token = cli("token", "create", "--db", url, "--user", "dir", "--name", "test").stdout.strip()
    return url, ids, token


def stored(url, letter_id):
    with salescore.open(url) as e:
        return e.dead_letters.get(letter_id)


def test_the_list_shows_the_event_type_not_event(letters):
    url, ids, _ = letters
    out = cli("deadletters", "list", "--db", url).stdout
    line = next(l for l in out.splitlines() if l.startswith(f"{ids['event']} "))
    assert "client.created" in line, out
    assert stored(url, ids["event"]).event_type == "client.created"
    assert stored(url, ids["automation"]).event_type == "deal.lost"
    assert stored(url, ids["client"]).event_type == ""


def test_a_refused_replay_changes_nothing_through_the_cli_rest_and_python(letters):
    url, ids, token = letters
    before = stored(url, ids["automation"])
    result = cli("deadletters", "replay", "--db", url, str(ids["automation"]), check=False)
    assert result.returncode == 1 and "automation" in result.stderr, result.stderr
    with salescore.open(url) as e:
        with pytest.raises(salescore.Error, match="automation"):
            e.dead_letters.replay(ids["automation"])
        with pytest.raises(salescore.NotFound):  # no integration user made up for it
            e.users.by_login("automation.mail.notify")
    base, proc = start_server(url)
    try:
        status, body, _ = Api(base).call("POST", f"/api/v1/dead-letters/{ids['automation']}/replay", token=token,
                                         body={})
    finally:
        stop_server(proc)
    assert status == 422 and body["error"]["code"] == "failed_precondition", body
    assert stored(url, ids["automation"]) == before


def test_a_failed_replay_keeps_the_reason_and_records_each_attempt(letters):
    url, ids, token = letters
    # Through the CLI, then REST: the client has no name, so it fails both times.
    result = cli("deadletters", "replay", "--db", url, str(ids["client"]), check=False)
    assert result.returncode == 1 and "name" in result.stderr, result.stderr
    base, proc = start_server(url)
    try:
        api = Api(base)
        status, body, _ = api.call("POST", f"/api/v1/dead-letters/{ids['client']}/replay", token=token, body={})
        assert status == 400 and "name" in body["error"]["message"], body
        status, letter, _ = api.call("GET", f"/api/v1/dead-letters/{ids['client']}", token=token)
    finally:
        stop_server(proc)
    assert status == 200, letter
    assert letter["reason"] == "gave up after 5 attempts: database is locked"
    assert letter["code"] == "unavailable" and letter["replayed_at"] is None
    assert [a["outcome"] for a in letter["replays"]] == ["failed", "failed"]
    assert all(a["code"] == "invalid_argument" and "name" in a["reason"] and a["at"] for a in letter["replays"])
    python_view = stored(url, ids["client"])
    assert python_view.reason == letter["reason"]
    assert [a.outcome for a in python_view.replays] == ["failed", "failed"]
    listed = cli("deadletters", "list", "--db", url).stdout
    assert "database is locked" in listed and "replay" in listed, listed
