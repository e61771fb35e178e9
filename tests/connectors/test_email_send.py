"""The e-mail connector's SMTP side against a real aiosmtpd on loopback: letters queued in
the outbox go out once, rendered by GMime, logged on the client's timeline under the key
the IMAP sync gives their copy in Sent; a refused recipient is a dead letter."""
from __future__ import annotations

import email
import email.policy
import shutil

import pytest

import salescore
from email_crm import MailCrm
from mail_servers import Dovecot, Smtp

pytestmark = pytest.mark.skipif(not shutil.which("dovecot") and not __import__("os").path.exists("/usr/sbin/dovecot"),
                                reason="dovecot-imapd is not installed (run.sh installs it)")

ANNA = "anna@example.com"


@pytest.fixture
def servers():
    d = Dovecot({ANNA: "s3cret-2"})
    s = Smtp(refuse={"nobody@romashka.ru"})
    yield d, s
    s.stop()
    d.remove()


def start(tmp_path, d: Dovecot, s: Smtp, **more) -> MailCrm:
    # IDLE watches INBOX only; Sent is caught up at each wake or IDLE refresh, so a short
    # refresh lets the test see the Sent copy read back without waiting ten minutes
    # (whether the copy lands before or after the first pass is the machine's timing).
    return MailCrm(tmp_path, {"idle_refresh_seconds": 2, "imap_host": "127.0.0.1", "imap_port": d.port, "imap_security": "plain",
                              "login": ANNA, "password": d.users[ANNA], "folders": "INBOX, Sent",
                              "smtp_host": "127.0.0.1", "smtp_port": s.port, "smtp_security": "plain",
                              "smtp_login": "-", **more})


def enqueue(crm: MailCrm, payload: dict, key: str):
    with salescore.open(crm.db) as e:
        return e.outbox.enqueue("email", "email.send", payload, key=key)


def test_a_queued_letter_goes_out_once_and_threads_back_onto_the_client(tmp_path, servers):
    d, s = servers
    crm = start(tmp_path, d, s, append_sent="true")
    try:
        payload = {"to": "ivan@romashka.ru", "subject": "Счёт № 42 на кирпич", "text": "Здравствуйте! Счёт во вложении.",
                   "html": "<p>Здравствуйте! Счёт во вложении.</p>",
                   "attachments": [{"name": "Счёт 42.pdf", "content_type": "application/pdf",
                                    "base64": "JVBERi0xLjQgaW52b2ljZQ=="}]}
        assert enqueue(crm, payload, "invoice-42") is not None
        assert enqueue(crm, payload, "invoice-42") is None, "the same key is queued once"
        crm.wait_for(lambda: s.messages)
        sender, rcpts, raw = s.messages[0]
        assert sender == ANNA and rcpts == ["ivan@romashka.ru"]
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        assert msg["Subject"] == "Счёт № 42 на кирпич"
        assert msg["Message-ID"].startswith("<sc.") and msg["Message-ID"].endswith("@example.com>")
        names = [p.get_filename() for p in msg.iter_attachments()]
        assert names == ["Счёт 42.pdf"]
        # On Ромашка's timeline, once, although its copy in Sent is read back by the sync.
        rows = crm.wait_letters(1)
        assert rows[0][1] == crm.client_ids["Ромашка"] and rows[0][2] == "outbound"
        crm.wait_for(lambda: len(d.seen_flags(ANNA, "Sent")) == 1)
        crm.wait_for(lambda: "Sent: 1 of 1 new messages read" in crm.server_log())
        assert len(crm.letters()) == 1
        assert len(s.messages) == 1
    finally:
        crm.stop()


def test_a_refused_recipient_is_a_dead_letter_and_the_other_letters_still_go(tmp_path, servers):
    d, s = servers
    crm = start(tmp_path, d, s)
    try:
        enqueue(crm, {"to": "nobody@romashka.ru", "subject": "Лишнее", "text": "x"}, "bad-1")
        enqueue(crm, {"to": ["ivan@romashka.ru", "nobody@romashka.ru"], "subject": "Двоим", "text": "x"}, "two-1")
        enqueue(crm, {"to": "li@bjtrade.cn", "subject": "报价", "text": "您好"}, "zh-1")
        letters = crm.wait_for(lambda: crm.sql("SELECT kind, reason FROM dead_letters WHERE connector = 'email'"))
        assert letters[0][0] == "email.send" and "550" in letters[0][1] and "nobody@romashka.ru" in letters[0][1]
        crm.wait_for(lambda: len(s.messages) == 2)
        assert sorted(m[1][0] for m in s.messages) == ["ivan@romashka.ru", "li@bjtrade.cn"]
        crm.wait_for(lambda: "refused for nobody@romashka.ru" in crm.server_log())
        # A payload that is no letter is a dead letter that says why.
        enqueue(crm, {"subject": "без адреса", "text": "x"}, "bad-2")
        crm.wait_for(lambda: len(crm.sql("SELECT id FROM dead_letters WHERE reason LIKE '%at least one recipient%'")))
    finally:
        crm.stop()
