"""The e-mail connector's letters through core's e-mail rules, against a real Dovecot on
loopback: a reply to a letter salescore sent lands on that client from any address, a
colleague at the client's company by its domain, a stranger's request is a lead, and
automated mail (auto-replies, bounces, mailing lists) never is."""
from __future__ import annotations

import shutil

import pytest

import mail_samples as mail
from email_crm import MailCrm
from mail_servers import Dovecot

pytestmark = pytest.mark.skipif(not shutil.which("dovecot") and not __import__("os").path.exists("/usr/sbin/dovecot"),
                                reason="dovecot-imapd is not installed (run.sh installs it)")

ANNA = "anna@example.com"


def test_replies_colleagues_and_strangers_land_where_the_rules_say(tmp_path):
    d = Dovecot({ANNA: "pw"})
    try:
        # Anna's offer to Ромашка, filed in Sent by her mail program.
        d.append(ANNA, mail.letter("Anna <anna@example.com>", "ivan@romashka.ru", "Коммерческое предложение",
                                   "Цены во вложении.\n".encode(), "offer-1@example.com"), folder="Sent")
        # The buyer's purchasing office answers from an address nobody typed in.
        d.append(ANNA, mail.letter("Отдел закупок <zakupki@romashka-group.example>", ANNA,
                                   "Re: Коммерческое предложение", "Согласны.\n".encode(), "re-1@romashka-group.example",
                                   headers="In-Reply-To: <offer-1@example.com>\r\n"
                                           "References: <offer-1@example.com>\r\n"))
        # A colleague of Ivan's at romashka.ru.
        d.append(ANNA, mail.letter("Ольга <olga@romashka.ru>", ANNA, "Доставка", "Когда доставка?\n".encode(),
                                   "olga-1@romashka.ru"))
        # A stranger at a free-mail domain asks for a price; later writes again.
        d.append(ANNA, mail.letter("Пётр Сидоров <petr.sidorov@gmail.com>", ANNA, "Цена на кирпич М150",
                                   "Сколько стоят 20 поддонов?\n".encode(), "q-1@gmail.com"))
        d.append(ANNA, mail.letter("Пётр Сидоров <petr.sidorov@gmail.com>", ANNA, "Ещё вопрос",
                                   "А доставка?\n".encode(), "q-2@gmail.com"))
        # Automated mail from strangers: none of it is a lead.
        d.append(ANNA, mail.auto_reply())
        d.append(ANNA, mail.bounce())
        d.append(ANNA, mail.letter("news@shop.example", ANNA, "Скидки недели", b"Sale!\n", "list-1@shop.example",
                                   headers="List-Id: <deals.shop.example>\r\n"
                                           "List-Unsubscribe: <mailto:leave@shop.example>\r\n"))
        crm = MailCrm(tmp_path, {"imap_host": "127.0.0.1", "imap_port": d.port, "imap_security": "plain",
                                 "login": ANNA, "password": "pw", "folders": "INBOX, Sent"})
        try:
            rows = crm.wait_letters(8)
            by_subject = {r[3]: r for r in rows}
            romashka = crm.client_ids["Ромашка"]
            assert by_subject["Коммерческое предложение"][1] == romashka
            assert by_subject["Re: Коммерческое предложение"][1] == romashka, "the reply threads back"
            assert by_subject["Доставка"][1] == romashka, "a colleague at the client's domain"
            assert by_subject["Цена на кирпич М150"][1] is None
            threads = dict(crm.sql("SELECT i.subject, l.thread_id FROM email_letters l JOIN interactions i "
                                   "ON i.id = l.interaction_id"))
            assert threads["Re: Коммерческое предложение"] == threads["Коммерческое предложение"]
            assert threads["Доставка"] != threads["Коммерческое предложение"]
            leads = crm.wait_for(lambda: crm.sql("SELECT channel, email, contact_name, request, assignee_id "
                                                 "FROM leads"))
            assert len(leads) == 1, leads
            channel, email, name, request, assignee = leads[0]
            assert (channel, email, name) == ("email", "petr.sidorov@gmail.com", "Пётр Сидоров")
            assert "Сколько стоят 20 поддонов?" in request and assignee is not None
        finally:
            crm.stop()
    finally:
        d.remove()


BORIS = "boris@example.com"


def test_a_thread_across_two_mailboxes_is_one_whichever_is_read_first_and_the_first_sync_shows_progress(tmp_path):
    """Anna's offer is in her Sent; the buyer's answer (copied to Boris) and the answer to
    that are in Boris's INBOX. The mailboxes sync at once, so either may come first: the
    three letters end in one thread on Ромашка either way. Anna's INBOX holds more than a
    page, so her first sync reports its progress (ABI 1.4) while it lasts."""
    d = Dovecot({ANNA: "pw-a", BORIS: "pw-b"})
    try:
        secrets = tmp_path / "secrets"
        secrets.mkdir()
        (secrets / BORIS).write_text("pw-b\n")
        d.append(ANNA, mail.letter("Anna <anna@example.com>", "ivan@romashka.ru", "Отгрузка в декабре",
                                   "Отгрузим 15-го.\n".encode(), "ship-1@example.com"), folder="Sent")
        d.append(BORIS, mail.letter("Склад Ромашки <sklad@romashka-logistics.example>", f"{ANNA}, {BORIS}",
                                    "Re: Отгрузка в декабре", "Подходит.\n".encode(), "ship-2@romashka-logistics.example",
                                    headers="In-Reply-To: <ship-1@example.com>\r\n"
                                            "References: <ship-1@example.com>\r\n"))
        d.append(BORIS, mail.letter("Склад Ромашки <sklad@romashka-logistics.example>", BORIS,
                                    "Re: Re: Отгрузка в декабре", "И ещё: въезд с 9:00.\n".encode(),
                                    "ship-3@romashka-logistics.example",
                                    headers="In-Reply-To: <ship-2@romashka-logistics.example>\r\n"
                                            "References: <ship-1@example.com> <ship-2@romashka-logistics.example>\r\n"))
        for n in range(12):
            d.append(ANNA, mail.small(n))
        crm = MailCrm(tmp_path / "crm", {"imap_host": "127.0.0.1", "imap_port": d.port, "imap_security": "plain",
                                         "login": ANNA, "password": "pw-a", "folders": "INBOX, Sent",
                                         "mailboxes": f"{BORIS}=boris", "secrets_dir": str(secrets),
                                         "page_size": 5},
                      more_users=("boris",))
        try:
            crm.wait_letters(15)
            threads = crm.wait_for(lambda: (lambda rows: rows if len({t for _, t, _ in rows}) == 1 else None)(
                crm.sql("SELECT i.subject, l.thread_id, i.client_id FROM email_letters l JOIN interactions i "
                        "ON i.id = l.interaction_id WHERE i.subject LIKE '%Отгрузка%'")))
            assert len(threads) == 3
            offer = crm.sql("SELECT id FROM interactions WHERE subject = 'Отгрузка в декабре'")[0][0]
            assert {t for _, t, _ in threads} == {offer}, "the thread is the offer's, its first letter"
            assert crm.sql("SELECT client_id FROM interactions WHERE id = ?", offer)[0][0] == crm.client_ids["Ромашка"]
            log = crm.server_log()
            assert "INBOX: 5 of 12 new messages read" in log
            # Progress lines go to the host too; the last page cleared them, so plugins list
            # shows the connector running with no progress left.
            listed = crm.wait_for(lambda: (lambda out: out if "running" in out and "first sync" not in out else None)(
                crm.plugins_list()))
            assert "email" in listed
        finally:
            crm.stop()
    finally:
        d.remove()
