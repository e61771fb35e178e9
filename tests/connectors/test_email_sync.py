"""The e-mail connector against a real Dovecot on loopback: every letter once, on the right
client, never marked read; UIDVALIDITY resets, crashes and a server going away lose and
repeat nothing; a wrong certificate is refused."""
from __future__ import annotations

import shutil

import pytest

import mail_samples as mail
from email_crm import MailCrm
from mail_servers import Dovecot, make_certificate

pytestmark = pytest.mark.skipif(not shutil.which("dovecot") and not __import__("os").path.exists("/usr/sbin/dovecot"),
                                reason="dovecot-imapd is not installed (run.sh installs it)")

ANNA = "anna@example.com"


@pytest.fixture
def dovecot():
    d = Dovecot({ANNA: "s3cret-1"})
    yield d
    d.remove()


def imap_settings(d: Dovecot, **more) -> dict:
    return {"imap_host": "127.0.0.1", "imap_port": d.port, "imap_security": "plain", "login": ANNA,
            "password": d.users[ANNA], **more}


def test_each_letter_lands_once_on_its_client_in_its_language_and_stays_unread(tmp_path, dovecot):
    for m in (mail.russian_koi8(), mail.chinese_gb2312(), mail.bulgarian_split(), mail.english_html_only(),
              mail.auto_reply(), mail.bounce(), mail.not_a_message(), mail.small(1)):
        dovecot.append(ANNA, m)
    dovecot.append(ANNA, mail.sent_by_anna(), folder="Sent")
    dovecot.append(ANNA, mail.russian_koi8(), folder="Sent")  # the same letter in a second folder
    crm = MailCrm(tmp_path, imap_settings(dovecot, folders="all"))
    try:
        rows = crm.wait_letters(8)
        by_subject = {r[3]: r for r in rows}
        ids = crm.client_ids
        assert by_subject["Заказ на поставку кирпича М150"][1] == ids["Ромашка"]
        assert "Просим выставить счёт на 20 поддонов." in by_subject["Заказ на поставку кирпича М150"][4]
        zh = by_subject["游采樺询价单"]
        assert zh[1] == ids["Beijing Trade"] and "您好，请报价。" in zh[4]
        assert "[attachment] 报价单.pdf (application/pdf, 19 bytes, sha256 " in zh[4]
        assert by_subject["Оферта за пъстър мрамор"][1] == ids["Балкан ООД"]
        en = by_subject["Re: Quote for 40 pallets"]
        assert en[1] == ids["Acme"] and en[4] == "Hello Anna,\nWe accept the quote & terms."
        sent = by_subject["Счёт 42"]
        assert sent[1] == ids["Ромашка"] and sent[2] == "outbound"
        assert by_subject["Automatic reply: out of office"][1] is None
        assert by_subject["Letter 1"][1] == ids["Ромашка"]
        assert all(r[5] is not None for r in rows), "each letter is on anna's timeline too"
        # The same letter in INBOX and Sent is one interaction.
        assert len(rows) == 8 and len({r[0] for r in rows}) == 8
        letters = crm.wait_for(lambda: crm.sql("SELECT reason FROM dead_letters WHERE connector = 'email'"))
        assert "message UID 7 in INBOX: not an e-mail message" in letters[0][0]
        # BODY.PEEK: nothing was marked read.
        assert not any(b"\\Seen" in f for f in dovecot.seen_flags(ANNA))

        # New mail while the connector idles arrives without a restart.
        dovecot.append(ANNA, mail.small(2))
        assert crm.wait_letters(9)[-1][3] == "Letter 2"

        # A restart reads nothing twice.
        crm.stop()
        crm.start()
        dovecot.append(ANNA, mail.small(3))
        rows = crm.wait_letters(10)
        assert len(rows) == 10 and len({r[0] for r in rows}) == 10
        assert len(crm.sql("SELECT id FROM dead_letters WHERE connector = 'email'")) == 1
    finally:
        crm.stop()


def test_uidvalidity_reset_rereads_the_folder_without_doubles_or_losses(tmp_path, dovecot):
    c = dovecot.imap(ANNA)
    c.create("Orders")
    c.logout()
    for n in range(3):
        dovecot.append(ANNA, mail.small(n), folder="Orders")
    crm = MailCrm(tmp_path, imap_settings(dovecot, folders="INBOX, Orders"))
    try:
        crm.wait_letters(3)
        # The folder is deleted and made again (a server-side cleanup): new UIDVALIDITY,
        # UIDs from 1 again, the old letters back and one new.
        c = dovecot.imap(ANNA)
        c.delete("Orders")
        c.create("Orders")
        c.logout()
        for n in (0, 1, 2, 100):
            dovecot.append(ANNA, mail.small(n), folder="Orders")
        dovecot.append(ANNA, mail.small(200))  # wakes the IDLE on INBOX
        rows = crm.wait_letters(5)
        assert sorted(r[3] for r in rows) == ["Letter 0", "Letter 1", "Letter 100", "Letter 2", "Letter 200"]
        assert "UIDVALIDITY changed" in crm.server_log()
    finally:
        crm.stop()


def test_kill_9_mid_sync_then_restart_brings_every_letter_exactly_once(tmp_path, dovecot):
    # Enough letters, read 5 at a time, that the kill after the first 10 lands mid-sync
    # on a quiet machine too (120 were read whole before the kill there).
    total = 600
    c = dovecot.imap(ANNA)
    for n in range(total):
        c.append("INBOX", None, None, mail.small(n))
    c.logout()
    crm = MailCrm(tmp_path, imap_settings(dovecot, page_size=5))
    try:
        crm.wait_letters(10)
        crm.kill()
        assert len(crm.letters()) < total, "the kill came before the sync ended"
        crm.start()
        rows = crm.wait_letters(total)
        assert len(rows) == total and len({r[0] for r in rows}) == total
    finally:
        crm.stop()


def test_the_server_going_away_mid_sync_loses_and_repeats_nothing(tmp_path, dovecot):
    total = 80
    c = dovecot.imap(ANNA)
    for n in range(total):
        c.append("INBOX", None, None, mail.small(n))
    c.logout()
    crm = MailCrm(tmp_path, imap_settings(dovecot, page_size=4))
    try:
        crm.wait_letters(5)
        dovecot.stop()
        dovecot.start()
        rows = crm.wait_letters(total)
        assert len(rows) == total and len({r[0] for r in rows}) == total
    finally:
        crm.stop()


def test_a_certificate_for_another_host_or_from_an_unknown_ca_is_refused(tmp_path):
    ca, cert, key = make_certificate(tmp_path / "certs", "good", host="127.0.0.1")
    other_ca, _, _ = make_certificate(tmp_path / "certs", "other", host="127.0.0.1")
    d = Dovecot({ANNA: "pw"}, cert=(cert, key))
    try:
        d.append(ANNA, mail.small(1))
        tls = {"imap_port": d.tls_port, "imap_security": "tls"}
        for name, settings, why in (
                ("unknown-ca", {"tls_ca_file": other_ca}, "certificate verify failed for 127.0.0.1"),
                ("wrong-host", {"tls_ca_file": ca, "imap_host": "localhost"}, "certificate verify failed for localhost")):
            crm = MailCrm(tmp_path / name, {**imap_settings(d), **tls, **settings})
            try:
                crm.wait_for(lambda: why in crm.server_log())
                assert crm.letters() == []
            finally:
                crm.stop()
        crm = MailCrm(tmp_path / "trusted", {**imap_settings(d), **tls, "tls_ca_file": ca})
        try:
            assert crm.wait_letters(1)[0][3] == "Letter 1"
        finally:
            crm.stop()
    finally:
        d.remove()
