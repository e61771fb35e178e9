"""crm.emails.send: letters to clients queued for the e-mail connector, with core's rules
of who may mail whom (the same for REST's POST /api/v1/emails and automations)."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess

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
    assert first["sent_by"] == anna.id and first["sent_by_login"] == anna.login  # her mailbox sends it
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


def test_an_attachment_without_a_name_is_refused_naming_it(office, db_path):
    e, anna, romashka, _, _ = office
    with pytest.raises(salescore.ValidationError) as unnamed:
        e.as_user(anna).emails.send(romashka, subject="x", text="y", attachments=[("", "application/pdf", b"%PDF")])
    assert "attachments[0].name" in unnamed.value.fields
    assert queued(db_path) == []


@pytest.mark.skipif(not os.environ.get("SALESCORE_BIN"), reason="SALESCORE_BIN does not name the salescore executable")
def test_the_cli_queues_a_letter_with_the_senders_access(office, db_path, tmp_path):
    e, anna, romashka, _, lilia = office
    price = tmp_path / "прайс.pdf"
    price.write_bytes(b"%PDF-1.4 price")
    send = [os.environ["SALESCORE_BIN"], "emails", "send", "--db", f"sqlite:{db_path}", "--user", "anna",
            "--subject", "Прайс", "--text", "Во вложении.", "--attach", str(price)]
    done = subprocess.run([*send, "--client", str(romashka.id)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "Queued letter" in done.stdout, done.stderr
    (kind, letter), = queued(db_path)
    assert letter["to"] == ["zakaz@romashka.ru"] and letter["sent_by_login"] == "anna"
    assert letter["attachments"][0]["name"] == "прайс.pdf"
    refused = subprocess.run([*send, "--client", str(lilia.id)], capture_output=True, text=True, timeout=60)
    assert refused.returncode != 0 and "cannot send the letter" in refused.stderr
    assert len(queued(db_path)) == 1
