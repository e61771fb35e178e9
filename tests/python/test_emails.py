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


def file_as_letter(db_path, interaction_id, message_id, thread_id=None):
    """Files an interaction in email_letters as the e-mail rules would (a letter the
    connector read), so that it can be answered with reply_to."""
    con = sqlite3.connect(db_path)
    try:
        con.execute("INSERT INTO email_letters (interaction_id, message_id, thread_id, subject_key, counterpart) "
                    "VALUES (?, ?, ?, '', 'ivan@romashka.ru')", (interaction_id, message_id, thread_id or interaction_id))
        con.commit()
    finally:
        con.close()


def test_reply_to_answers_a_letter_in_its_thread_and_only_a_letter_of_the_client(office, db_path):
    e, anna, romashka, buyer, lilia = office
    offer = e.interactions.add(kind="email", direction="outbound", client_id=romashka.id, user_id=anna.id,
                               subject="Коммерческое предложение")
    answer = e.interactions.add(kind="email", direction="inbound", client_id=romashka.id, user_id=anna.id,
                                subject="Re: Коммерческое предложение")
    file_as_letter(db_path, offer.id, "sc.offer@example.com")
    file_as_letter(db_path, answer.id, "ivan.1@romashka.ru", thread_id=offer.id)
    mail = e.as_user(anna).emails
    assert mail.send(romashka, reply_to=answer, text="Спасибо!") is not None
    (_, letter), = queued(db_path)
    assert letter["in_reply_to"] == "ivan.1@romashka.ru"
    assert letter["references"] == ["sc.offer@example.com", "ivan.1@romashka.ru"]
    assert letter["subject"] == "Re: Коммерческое предложение"
    assert letter["to"] == ["ivan@romashka.ru"]  # the sender of the letter answered
    call = e.interactions.add(kind="call", client_id=romashka.id, user_id=anna.id, subject="звонок")
    with pytest.raises(salescore.ValidationError) as not_a_letter:
        mail.send(romashka, reply_to=call.id, text="x")
    assert "reply_to" in not_a_letter.value.fields
    other = e.clients.add(name="Другой", owner_id=anna.id, emails=["x@drugoy.ru"])
    with pytest.raises(salescore.ValidationError) as elsewhere:
        mail.send(other, reply_to=answer.id, text="x")
    assert "reply_to" in elsewhere.value.fields
    assert len(queued(db_path)) == 1


@pytest.mark.skipif(not os.environ.get("SALESCORE_BIN"), reason="SALESCORE_BIN does not name the salescore executable")
def test_rest_takes_attachments_and_reply_to_with_the_same_names_and_checks(office, db_path):
    from test_api import Api, cli, start_server, stop_server

    e, anna, romashka, buyer, lilia = office
    answer = e.interactions.add(kind="email", direction="inbound", client_id=romashka.id, user_id=anna.id,
                                subject="Счёт")
    file_as_letter(db_path, answer.id, "ivan.2@romashka.ru")
    url = f"sqlite:{db_path}"
    token = cli("token", "create", "--db", url, "--user", "anna", "--name", "test").stdout.strip()
    base, proc = start_server(url)
    try:
        api = Api(base)
        status, body, _ = api.call("POST", "/api/v1/emails", token=token, body={
            "client_id": romashka.id, "reply_to": answer.id, "text": "Во вложении.",
            "attachments": [{"name": "Счёт.pdf", "content_type": "application/pdf", "base64": "JVBERi0xLjQ="}]})
        assert status == 202, body
        (_, letter), = queued(db_path)
        assert letter["in_reply_to"] == "ivan.2@romashka.ru" and letter["subject"] == "Re: Счёт"
        assert letter["attachments"] == [{"name": "Счёт.pdf", "content_type": "application/pdf",
                                          "base64": "JVBERi0xLjQ="}]
        status, body, _ = api.call("POST", "/api/v1/emails", token=token, body={
            "client_id": romashka.id, "subject": "x", "text": "y",
            "attachments": [{"name": "", "base64": "JVBERi0xLjQ="}, {"name": "a.pdf", "base64": "not base64!"}]})
        assert status == 400, body
        assert {"attachments[0].name", "attachments[1].base64"} <= set(body["error"]["fields"]), body
        status, body, _ = api.call("POST", "/api/v1/emails", token=token, body={
            "client_id": romashka.id, "text": "y", "attachments": [{"name": "a.pdf", "base64": "AA==", "size": 1}]})
        assert status == 400 and "attachments[0].size" in body["error"]["fields"], body
        status, body, _ = api.call("POST", "/api/v1/emails", token=token, body={
            "client_id": lilia.id, "reply_to": answer.id, "text": "y"})
        assert status == 403, body  # a colleague's client: refused before anything else
        assert len(queued(db_path)) == 1
    finally:
        stop_server(proc)
