"""The e-mail connector against a real Dovecot on loopback: every letter once, on the right
client, never marked read; drafts skipped, expunged letters kept; UIDVALIDITY resets,
crashes, a refused letter in a page and a server going away lose and repeat nothing; the
size cap and the date horizon; IDLE issued again at its refresh; XOAUTH2; a wrong
certificate is refused, STARTTLS works, plain only over loopback."""
from __future__ import annotations

import imaplib
import shutil
import time
from typing import Callable

import pytest

import mail_samples as mail
from email_crm import MailCrm
from held_proxy import HeldProxy
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
    dovecot.append(ANNA, mail.small(900), folder="Drafts")  # \Drafts: a revision, never a letter
    dovecot.append(ANNA, mail.small(901), folder='"All Mail"')  # \All (Gmail's): every letter again
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

        # A letter deleted from the mailbox (expunged) stays on the timeline: the next
        # catch-up neither loses it nor stumbles over the gap in the UIDs.
        c = dovecot.imap(ANNA)
        c.select("INBOX")
        typ, found = c.uid("SEARCH", None, "SUBJECT", '"Letter 2"')
        c.uid("STORE", found[0].decode(), "+FLAGS", "(\\Deleted)")
        c.expunge()
        c.logout()
        dovecot.append(ANNA, mail.small(4))
        assert "Letter 2" in [r[3] for r in crm.wait_letters(10)]

        # A restart reads nothing twice.
        crm.stop()
        crm.start()
        dovecot.append(ANNA, mail.small(3))
        rows = crm.wait_letters(11)
        assert len(rows) == 11 and len({r[0] for r in rows}) == 11
        assert "Letter 900" not in [r[3] for r in rows], "a draft is no letter"
        assert "Letter 901" not in [r[3] for r in rows], "\\All is never read"
        assert len(crm.sql("SELECT id FROM dead_letters WHERE connector = 'email'")) == 1
    finally:
        crm.stop()


def test_idle_is_issued_again_at_its_refresh_and_mail_after_that_still_lands(tmp_path):
    # Servers end an IDLE after 30 minutes (RFC 2177 asks clients to re-issue it within
    # 29). With idle_refresh_seconds = 1 the connector must end each IDLE with DONE and
    # start a new one on the same connection, and keep hearing new mail afterwards.
    d = Dovecot({ANNA: "s3cret-1"}, rawlog=True)
    try:
        d.append(ANNA, mail.small(1))
        crm = MailCrm(tmp_path, imap_settings(d, idle_refresh_seconds=1))
        try:
            crm.wait_letters(1)

            def verb_of(line: str) -> str:  # "<time> TAG VERB ..." or "<time> DONE"
                words = line.split(" ")[1:]
                return (words[1] if len(words) > 1 else words[0]).upper() if words else ""

            def idling_connection():
                for lines in d.commands_received():
                    verbs = [verb_of(line) for line in lines]
                    if verbs.count("IDLE") >= 3:
                        return verbs
                return None

            verbs = crm.wait_for(idling_connection, timeout=30)
            issued = [v for v in verbs if v in ("IDLE", "DONE")]
            # Each IDLE but the last is ended by DONE before the next one starts.
            assert issued[:5] == ["IDLE", "DONE", "IDLE", "DONE", "IDLE"], issued
            d.append(ANNA, mail.small(2))
            assert crm.wait_letters(2)[-1][3] == "Letter 2"
        finally:
            crm.stop()
    finally:
        d.remove()


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
    # 600 letters read 50 at a time. A proxy holds Dovecot's answer at letter 200, the
    # first of the fifth page, so the kill lands mid-sync however fast the machine is:
    # four pages committed (each one transaction), the fifth in the middle of its read.
    # After the restart the sync goes on from its watermark: nothing lost, nothing twice.
    total = 600
    c = dovecot.imap(ANNA)
    for n in range(total):
        c.append("INBOX", None, None, mail.small(n))
    c.logout()
    proxy = HeldProxy(dovecot.port, b"<bulk-200@romashka.ru>")
    crm = MailCrm(tmp_path, imap_settings(dovecot, page_size=50, imap_port=proxy.port))
    try:
        crm.wait_for(proxy.holding)
        crm.wait_letters(200)
        crm.kill()
        landed = crm.letters()
        assert len(landed) == 200, f"{len(landed)} letters before the kill; the proxy held letter 200 on"
        assert sorted(int(r[3].split()[1]) for r in landed) == list(range(200))
        proxy.release()
        crm.start()
        rows = crm.wait_letters(total)
        assert len(rows) == total and len({r[0] for r in rows}) == total
    finally:
        crm.stop()
        proxy.close()


def a_letter_appended_before(tmp_path, dovecot, sent: Callable[[bytes], bool], nth: int, quiet_after: bool):
    """Letter 1 in INBOX; the connector behind a proxy that appends letter 2 right before
    the `nth` of its commands that `sent` picks reaches Dovecot. Letter 2 must come long
    before the IDLE refresh (600 s); with `quiet_after`, a quiet mailbox must then not wake
    the connector again and again."""
    dovecot.append(ANNA, mail.small(1))
    picked = []

    def before_client_sends(data: bytes):
        if sent(data.upper()):
            picked.append(data)
            if len(picked) == nth:
                dovecot.append(ANNA, mail.small(2))

    proxy = HeldProxy(dovecot.port, before_client_sends=before_client_sends)
    crm = MailCrm(tmp_path, imap_settings(dovecot, folders="INBOX", imap_port=proxy.port))
    try:
        crm.wait_letters(1)
        crm.wait_for(lambda: len(picked) >= nth)
        rows = crm.wait_letters(2, timeout=30)
        assert [r[3] for r in rows] == ["Letter 1", "Letter 2"]
        if quiet_after:
            seen = len(picked)
            time.sleep(3)
            assert len(picked) - seen <= 1, f"{len(picked) - seen} more in 3 s of a quiet mailbox"
    finally:
        crm.stop()
        proxy.close()


def test_a_letter_arriving_between_the_catch_up_and_idle_is_read_at_once(tmp_path, dovecot):
    # The connector catches INBOX up (SELECT, nothing new), SELECTs it again and IDLEs. A
    # letter that lands between the two SELECTs is in the second one's EXISTS, so IDLE
    # never announces it: it waited for the IDLE refresh, ten minutes. The proxy appends it
    # right before the second SELECT reaches Dovecot, every time.
    a_letter_appended_before(tmp_path, dovecot, lambda data: b" SELECT " in data, nth=2, quiet_after=False)


def test_a_letter_arriving_as_idle_starts_is_read_at_once(tmp_path, dovecot):
    # Dovecot answers IDLE with "+ idling" and at once the EXISTS of a letter that came in
    # since the SELECT, often in one segment: libetpan reads both with the continuation, so
    # the EXISTS sat in its buffer while the connector polled the socket, until the IDLE
    # refresh. The proxy appends the letter right before IDLE reaches Dovecot; afterwards a
    # quiet mailbox must not make the connector issue IDLE in a loop.
    a_letter_appended_before(tmp_path, dovecot, lambda data: data.endswith(b" IDLE\r\n"), nth=1, quiet_after=True)


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


def test_a_letter_refused_in_a_page_is_a_dead_letter_and_its_neighbours_land(tmp_path, dovecot):
    # A page of letters is applied in one transaction; one the engine refuses (here: the
    # company requires a subject on every interaction) must not take the page with it.
    for n in range(3):
        dovecot.append(ANNA, mail.small(n))
    dovecot.append(ANNA, mail.letter("ivan@romashka.ru", ANNA, "", b"No subject\n", "nosubject@romashka.ru"))
    for n in range(3, 6):
        dovecot.append(ANNA, mail.small(n))
    crm = MailCrm(tmp_path, imap_settings(dovecot), engine_config="[mandatory]\ninteraction = subject\n\n")
    try:
        rows = crm.wait_letters(6)
        assert sorted(r[3] for r in rows) == [f"Letter {n}" for n in range(6)]
        letters = crm.wait_for(lambda: crm.sql("SELECT reason FROM dead_letters WHERE connector = 'email'"))
        assert len(letters) == 1 and "subject" in letters[0][0], letters
        # Taken: the watermark passed it, and a restart neither repeats the page nor the refusal.
        crm.stop()
        crm.start()
        dovecot.append(ANNA, mail.small(6))
        assert len(crm.wait_letters(7)) == 7
        assert len(crm.sql("SELECT id FROM dead_letters WHERE connector = 'email'")) == 1
    finally:
        crm.stop()


def test_a_letter_over_the_size_cap_keeps_its_header_and_one_past_the_horizon_is_skipped(tmp_path, dovecot):
    c = dovecot.imap(ANNA)
    c.append("INBOX", None, imaplib.Time2Internaldate(time.mktime((2020, 1, 6, 9, 0, 0, 0, 0, -1))), mail.small(1))
    c.append("INBOX", None, None, mail.letter("ivan@romashka.ru", ANNA, "Прайс-лист целиком", b"price line\n" * 6000,
                                              "big@romashka.ru"))
    c.append("INBOX", None, None, mail.small(2))
    c.logout()
    crm = MailCrm(tmp_path, imap_settings(dovecot, size_cap=20000, horizon_days=365))
    try:
        rows = crm.wait_letters(2)
        assert sorted(r[3] for r in rows) == ["Letter 2", "Прайс-лист целиком"], "the 2020 letter is past the horizon"
        big = next(r for r in rows if r[3] == "Прайс-лист целиком")
        assert big[1] == crm.client_ids["Ромашка"] and "over the size cap" in big[4] and "price line" not in big[4]
    finally:
        crm.stop()


def test_an_oauth2_token_from_its_file_logs_in_by_xoauth2_and_a_wrong_one_is_refused(tmp_path):
    # Dovecot checks the XOAUTH2 bearer token against its passdb (here: the token is the
    # user's secret), which is enough to show the connector speaks XOAUTH2 and reads the
    # token from password_file (a token helper refreshes that file).
    d = Dovecot({ANNA: "ya29.token-1"})
    try:
        d.append(ANNA, mail.small(1))
        for name, token, expect_letter in (("wrong", "ya29.expired", False), ("right", "ya29.token-1", True)):
            token_file = tmp_path / f"{name}.token"
            token_file.write_text(token + "\n")
            settings = {**imap_settings(d), "auth": "xoauth2", "password_file": str(token_file)}
            del settings["password"]
            crm = MailCrm(tmp_path / name, settings)
            try:
                if expect_letter:
                    assert crm.wait_letters(1)[0][3] == "Letter 1"
                else:
                    crm.wait_for(lambda: f"login as {ANNA} refused" in crm.server_log())
                    assert crm.letters() == [] and token not in crm.server_log()
            finally:
                crm.stop()
    finally:
        d.remove()


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
        for name, settings in (("trusted", tls), ("starttls", {"imap_security": "starttls"})):
            crm = MailCrm(tmp_path / name, {**imap_settings(d), **settings, "tls_ca_file": ca})
            try:
                assert crm.wait_letters(1)[0][3] == "Letter 1"
            finally:
                crm.stop()
        # A password in the clear goes to loopback only.
        crm = MailCrm(tmp_path / "plain", {**imap_settings(d), "imap_host": "192.0.2.1"})
        try:
            crm.wait_for(lambda: "imap_security = plain: only for a loopback imap_host" in crm.server_log())
        finally:
            crm.stop()
    finally:
        d.remove()
