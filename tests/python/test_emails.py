"""crm.emails.send: letters to clients queued for the e-mail connector, with core's rules
of who may mail whom (the same for REST's POST /api/v1/emails and automations)."""
from __future__ import annotations

import json
import sqlite3

import pytest

import salescore


@pytest.fixture
def office(file_engine, db_path):
    anna = file_engine.users.add(login="anna", name="Анна", role="manager")
    boris = file_engine.users.add(login="boris", name="Борис", role="manager")
    romashka = file_engine.clients.add(name="Ромашка", owner_id=anna.id, emails=["zakaz@romashka.ru"])
    buyer = file_engine.contacts.add(client_id=romashka.id, name="Иван", emails=["ivan@romashka.ru"])
    lilia = file_engine.clients.add(name="Лилия", owner_id=boris.id, emails=["info@lilia.ru"])
    return file_engine, anna, romashka, buyer, lilia


def queued(db_path):
    con = sqlite3.connect(db_path)
    try:
        return [(kind, json.loads(payload)) for kind, payload in
                con.execute("SELECT kind, payload FROM connector_outbox WHERE connector = 'email' ORDER BY id")]
    finally:
        con.close()


def test_a_manager_mails_their_client_and_its_contact_once_per_key(office, db_path):
    e, anna, romashka, buyer, _ = office
    mail = e.as_user(anna).emails
    assert mail.send(romashka, subject="Счёт", text="Добрый день", key="invoice-1") is not None
    assert mail.send(romashka, subject="Счёт", text="Добрый день", key="invoice-1") is None
    assert mail.send(romashka.id, contact=buyer, subject="Отгрузка", html="<p>Завтра</p>",
                     attachments=[("Счёт.pdf", "application/pdf", b"%PDF")]) is not None
    (kind, first), (_, second) = queued(db_path)
    assert kind == "email.send"
    assert first["to"] == ["zakaz@romashka.ru"] and first["client_id"] == romashka.id
    assert first["sent_by"] == anna.id
    assert second["to"] == ["ivan@romashka.ru"] and second["attachments"][0]["name"] == "Счёт.pdf"


def test_a_colleagues_client_a_strangers_address_and_an_empty_letter_are_refused(office, db_path):
    e, anna, romashka, _, lilia = office
    mail = e.as_user(anna).emails
    with pytest.raises(salescore.AccessDenied):
        mail.send(lilia, subject="Привет", text="x")
    with pytest.raises(salescore.ValidationError) as stranger:
        mail.send(romashka, to="someone@gmail.com", subject="x", text="y")
    assert "someone@gmail.com" in stranger.value.fields["to"]
    with pytest.raises(salescore.ValidationError) as empty:
        mail.send(romashka, subject="x")
    assert "text" in empty.value.fields
    with pytest.raises(salescore.NotFound):
        mail.send(999999, subject="x", text="y")
    assert queued(db_path) == []
