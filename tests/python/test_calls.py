"""Calls as data (what a PBX says of each: caller, callee, manager, ring time, disposition,
hangup cause, recording, the PBX's id) and crm.calls.dial: click-to-call through core's
dial(), the same rule as REST's POST /api/v1/calls and `salescore telephony dial`."""
from __future__ import annotations

import json
import sqlite3

import pytest

import salescore

CALL = dict(kind="call", direction="inbound", occurred_at="2026-03-02T10:00:00Z", duration_s=0,
            caller="84959876543", callee="600", manager="", ring_s=12, disposition="no answer",
            hangup_cause="19 No user responding", recording="", pbx_call_id="1796607077.0",
            rang_not_answered="101,103", source="telephony", external_id="asterisk:1796607077.0")


def test_a_calls_facts_are_kept_and_read_back_as_data(engine):
    client = engine.clients.add(name="Ромашка")
    call = engine.interactions.upsert(client_id=client.id, **CALL)

    got = engine.interactions.get(call.id)
    assert (got.caller, got.callee, got.ring_s, got.disposition, got.hangup_cause, got.pbx_call_id,
            got.rang_not_answered) == ("84959876543", "600", 12, "no_answer", "19 No user responding",
                                       "1796607077.0", "101,103")
    assert engine.interactions.upsert(client_id=client.id, **CALL).outcome == "unchanged"
    columns = engine.interactions.to_numpy(kind="call")
    assert list(columns["disposition"]) == ["no_answer"]
    assert list(columns["ring_s"]) == [12]


def test_call_facts_are_refused_where_they_do_not_belong(engine):
    client = engine.clients.add(name="Ромашка")
    with pytest.raises(salescore.ValidationError) as raised:
        engine.interactions.add(kind="note", client_id=client.id, disposition="busy")
    assert list(raised.value.fields) == ["disposition"]
    with pytest.raises(salescore.ValidationError) as raised:
        engine.interactions.add(kind="call", client_id=client.id, disposition="hung up")
    assert "disposition" in raised.value.fields


@pytest.fixture
def office(file_engine):
    anna = file_engine.users.add(login="anna", name="Анна", role="manager")
    boris = file_engine.users.add(login="boris", name="Борис", role="manager")
    romashka = file_engine.clients.add(name="Ромашка", owner_id=anna.id, phones=["8 (495) 123-45-67"])
    buyer = file_engine.contacts.add(client_id=romashka.id, name="Иван", phones=["+7 916 000-11-22"])
    lilia = file_engine.clients.add(name="Лилия", owner_id=boris.id, phones=["+74957654321"])
    return file_engine, anna, romashka, buyer, lilia


def queued_calls(db_path):
    con = sqlite3.connect(db_path)
    try:
        return [json.loads(p) for (p,) in
                con.execute("SELECT payload FROM connector_outbox WHERE connector = 'telephony' ORDER BY id")]
    finally:
        con.close()


def test_a_manager_dials_their_client_once_per_click(office, db_path):
    e, anna, romashka, buyer, _ = office
    calls = e.as_user(anna).calls

    first = calls.dial(romashka)
    again = calls.dial(romashka.id)
    to_buyer = calls.dial(contact=buyer)

    assert (first.phone, first.queued) == ("+74951234567", True)
    assert isinstance(first.outbox_id, int)
    assert (again.queued, again.outbox_id) == (False, None), "a double click queues one call"
    assert to_buyer.phone == "+79160001122"
    assert queued_calls(db_path) == [
        {"login": "anna", "phone": "+74951234567", "client_id": romashka.id, "contact_id": 0},
        {"login": "anna", "phone": "+79160001122", "client_id": romashka.id, "contact_id": buyer.id},
    ]


def test_dial_refuses_what_rest_refuses(office, db_path):
    e, anna, romashka, buyer, lilia = office
    calls = e.as_user(anna).calls
    with pytest.raises(salescore.AccessDenied):
        calls.dial(lilia)
    with pytest.raises(salescore.ValidationError) as raised:
        calls.dial(romashka, phone="+74950000000")
    assert list(raised.value.fields) == ["phone"]
    with pytest.raises(salescore.ValidationError):
        calls.dial()  # neither client nor contact
    with pytest.raises(salescore.ValidationError) as raised:
        e.calls.dial(romashka)  # the system has no phone to ring first
    assert list(raised.value.fields) == ["user"]
    with pytest.raises(salescore.NotFound):
        calls.dial(contact=99999)
    assert queued_calls(db_path) == []
