"""Several mailboxes in one e-mail connector, against a real Dovecot on loopback: each
manager's and the shared sales@ synced at once, each letter once whatever mailboxes it is
in, on the person who sent it; a restart repeats nothing; the checkpoint keeps every
mailbox's marks."""
from __future__ import annotations

import json
import shutil

import pytest

import mail_samples as mail
from email_crm import MailCrm
from mail_servers import Dovecot

pytestmark = pytest.mark.skipif(not shutil.which("dovecot") and not __import__("os").path.exists("/usr/sbin/dovecot"),
                                reason="dovecot-imapd is not installed (run.sh installs it)")

ANNA, BORIS, SALES = "anna@example.com", "boris@example.com", "sales@example.com"


def test_a_managers_and_a_shared_mailbox_sync_together_each_letter_once(tmp_path):
    d = Dovecot({ANNA: "pw-a", BORIS: "pw-b", SALES: "pw-s"})
    try:
        secrets = tmp_path / "secrets"
        secrets.mkdir()
        (secrets / BORIS).write_text("pw-b\n")
        (secrets / SALES).write_text("pw-s\n")
        # Ivan writes to Anna and sales@ at once: the same letter in two mailboxes.
        both = mail.letter("Иван <ivan@romashka.ru>", f"{ANNA}, {SALES}", "Заявка на кирпич",
                           "Нужно 20 поддонов.\n".encode(), "both-1@romashka.ru")
        d.append(ANNA, both)
        d.append(SALES, both)
        # Boris's offer, in his Sent.
        d.append(BORIS, mail.letter("Борис <boris@example.com>", "ivan@romashka.ru", "Предложение от Бориса",
                                    "Цены ниже.\n".encode(), "boris-1@example.com"), folder="Sent")
        # A stranger writes to sales@.
        d.append(SALES, mail.letter("Незнакомец <who@gmail.com>", SALES, "Сколько стоит доставка?",
                                    "В Тверь.\n".encode(), "q-1@gmail.com"))
        crm = MailCrm(tmp_path / "crm", {"imap_host": "127.0.0.1", "imap_port": d.port, "imap_security": "plain",
                                         "login": ANNA, "password": "pw-a", "folders": "INBOX, Sent",
                                         "mailboxes": f"{BORIS}=boris, {SALES}", "secrets_dir": str(secrets)},
                      more_users=("boris",))
        try:
            def checkpoint():
                saved = json.loads(crm.sql("SELECT checkpoint FROM connector_state WHERE connector = 'email'")[0][0])
                # Dovecot offers CONDSTORE: each folder read to its end keeps its HIGHESTMODSEQ.
                read_to_end = all(box["folders"].get("INBOX", {}).get("modseq", 0) > 0
                                  for box in [saved, *saved.get("mailboxes", {}).values()])
                return saved if read_to_end and len(saved.get("mailboxes", {})) == 2 else None

            crm.wait_letters(3)
            # The three mailboxes sync on threads of their own: sales@'s copy of Ivan's letter
            # can land before Anna's, and the letter is the recorder's until hers is read. Once
            # her INBOX is read to its end (a watermark passes a page only when the page is
            # applied), it must be hers.
            crm.wait_for(checkpoint)
            rows = crm.letters()
            by_subject = {r[3]: r for r in rows}
            romashka = crm.client_ids["Ромашка"]
            assert len(rows) == 3, "the letter in two mailboxes is one interaction"
            assert by_subject["Заявка на кирпич"][1] == romashka
            assert by_subject["Заявка на кирпич"][5] == crm.user_ids["anna"], "a manager's copy names the manager"
            offer = by_subject["Предложение от Бориса"]
            assert offer[1] == romashka and offer[2] == "outbound" and offer[5] == crm.user_ids["boris"]
            # The shared mailbox is no manager's (the host records it as the connector's own user).
            assert by_subject["Сколько стоит доставка?"][5] not in crm.user_ids.values()

            # New mail in any mailbox arrives while they idle.
            d.append(BORIS, mail.small(1))
            d.append(SALES, mail.small(2))
            rows = crm.wait_letters(5)
            assert set(crm.wait_for(checkpoint)["mailboxes"]) == {BORIS, SALES}

            # A restart reads nothing twice.
            crm.stop()
            crm.start()
            d.append(ANNA, mail.small(3))
            rows = crm.wait_letters(6)
            assert len(rows) == 6 and len({r[0] for r in rows}) == 6
        finally:
            crm.stop()
    finally:
        d.remove()


def test_a_mailbox_without_its_password_file_is_a_config_error_naming_it(tmp_path):
    d = Dovecot({ANNA: "pw-a"})
    try:
        crm = MailCrm(tmp_path / "crm", {"imap_host": "127.0.0.1", "imap_port": d.port, "imap_security": "plain",
                                         "login": ANNA, "password": "pw-a", "mailboxes": BORIS,
                                         "secrets_dir": str(tmp_path)})
        try:
            crm.wait_for(lambda: f"mailboxes: {BORIS}: cannot read the password file" in crm.server_log())
        finally:
            crm.stop()
    finally:
        d.remove()
