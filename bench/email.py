# bench: e-mail first sync (10,000 letters from Dovecot, 50,000 clients) vs imaplib+email+sqlite3 vs fetch only
# apt: dovecot-imapd
# needs: salescore_connector_email
"""bench/run email [MESSAGES] [CLIENTS]

APPENDs MESSAGES (default 10,000) realistic letters to a Dovecot on loopback (Russian in
KOI8-R and windows-1251, Chinese in GBK, Bulgarian and English in UTF-8, some HTML-only, a
quarter with an attachment, one in fifty from a stranger), puts CLIENTS (default 50,000)
clients with e-mails in a salescore database, and in the same run measures:
  (a) salescore: `salescore serve` with the e-mail connector, its first sync of the
      mailbox until every letter is an interaction (matched, threaded, leads made);
  (b) a Python script as a user would write it: imaplib UID FETCH in pages of 100,
      email (policy.default) to decode subject, addresses and text, the same client
      matching (the sender's e-mail, then its company domain unless free-mail), rows
      inserted with sqlite3;
  (c) the fetch alone: the same UID FETCH of every message by imaplib, nothing parsed.
Last line: email: messages_per_s=.. python_per_s=.. fetch_only_per_s=.. ratio_python=..
peak_rss_mb=<salescore serve's peak RSS>. The serve's resident memory is also sampled when
a fifth and when all of the letters are in (stderr), to show whether it grows with them.
Targets (issue 18): ratio_python >= 3, messages_per_s >= fetch_only_per_s / 2, memory flat.
"""
from __future__ import annotations

import pathlib
import sys

# This file is bench/email.py: its own folder, first on the path, would shadow the
# standard library's email package that the Python baseline uses.
_HERE = pathlib.Path(__file__).resolve().parent
sys.path = [p for p in sys.path if pathlib.Path(p or ".").resolve() != _HERE]

import base64  # noqa: E402
import email  # noqa: E402
import email.policy  # noqa: E402
import imaplib  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import sqlite3  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "connectors"))
from mail_servers import Dovecot  # noqa: E402

BUILD = pathlib.Path(os.environ.get("BUILD_DIR", ROOT / "build"))
BIN = BUILD / "server" / "salescore"
USER = "anna@example.com"
FREE = {"gmail.com", "yandex.ru", "mail.ru", "qq.com"}
NOW = 1796630400000  # 2026-12-07


def say(*a):
    print(*a, file=sys.stderr, flush=True)


def b_word(text: str, charset: str) -> str:
    return f"=?{charset}?B?{base64.b64encode(text.encode(charset)).decode()}?="


def letter(n: int, sender: str, rnd: random.Random) -> bytes:
    kind = n % 5
    if kind == 0:
        subject, charset, body = b_word(f"Заказ {n} на поставку кирпича", "koi8-r"), "koi8-r", "Добрый день! Просим счёт.\n"
    elif kind == 1:
        subject, charset, body = b_word(f"Счёт {n}", "windows-1251"), "windows-1251", "Оплату гарантируем.\n" * 5
    elif kind == 2:
        subject, charset, body = b_word(f"询价单 {n}", "gbk"), "gbk", "您好，请报价。\n" * 4
    elif kind == 3:
        subject, charset, body = b_word(f"Оферта {n}", "utf-8"), "utf-8", "Здравейте, изпращам офертата.\n" * 3
    else:
        subject, charset, body = f"Re: Quote {n}", "us-ascii", "<html><body><p>We accept the quote.</p></body></html>"
    html = kind == 4
    head = (f"From: Sender {n} <{sender}>\r\nTo: {USER}\r\nSubject: {subject}\r\n"
            f"Date: Mon, 07 Dec 2026 09:{n % 60:02d}:00 +0300\r\nMessage-ID: <m{n}@bench.example>\r\nMIME-Version: 1.0\r\n")
    text_part = (f"Content-Type: text/{'html' if html else 'plain'}; charset={charset}\r\n"
                 f"Content-Transfer-Encoding: base64\r\n\r\n{base64.encodebytes(body.encode(charset)).decode()}")
    if n % 4:
        return (head + text_part).encode()
    blob = base64.encodebytes(rnd.randbytes(rnd.randrange(8_000, 40_000))).decode()
    return (head + 'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\n' + text_part +
            f"\r\n--b\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n"
            f"Content-Disposition: attachment; filename*=utf-8''%D1%81%D1%87%D1%91%D1%82-{n}.pdf\r\n\r\n"
            f"{blob}\r\n--b--\r\n").encode()


def make_clients(db: pathlib.Path, clients: int) -> None:
    import salescore

    subprocess.run([BIN, "init", "--db", f"sqlite:{db}"], check=True, capture_output=True)
    with salescore.open(f"sqlite:{db}") as crm:
        anna = crm.users.add(login="anna", name="Анна", role="manager").id
    # 50,000 clients straight into the tables (the engine's own add would take minutes and
    # is not what is measured); only their e-mails matter to the sync.
    con = sqlite3.connect(db)
    con.executemany("INSERT INTO clients (id, name, name_key, tier, owner_id, created_at, updated_at) "
                    "VALUES (?, ?, ?, 'regular', ?, 0, 0)",
                    ((i, f"ООО Клиент {i}", f"ооо клиент {i}", anna) for i in range(1, clients + 1)))
    con.executemany("INSERT INTO contact_points (client_id, contact_id, kind, value, position) "
                    "VALUES (?, NULL, 'email', ?, 0)",
                    ((i, f"info@client{i}.example") for i in range(1, clients + 1)))
    con.commit()
    con.close()


def sender_of(n: int, clients: int) -> str:
    if n % 50 == 0:
        return f"stranger{n}@gmail.com"  # no client: a lead
    if n % 7 == 0:
        return f"buyer{n}@client{1 + n * 7919 % clients}.example"  # a colleague: by domain
    return f"info@client{1 + n * 7919 % clients}.example"


def fill_mailbox(d: Dovecot, messages: int, clients: int) -> None:
    rnd = random.Random(7)
    c = d.imap(USER)
    for n in range(messages):
        c.append("INBOX", None, None, letter(n, sender_of(n, clients), rnd))
    c.logout()


def proc_status_mb(pid: int, field: str) -> float:
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def peak_rss_mb(pid: int) -> float:
    return proc_status_mb(pid, "VmHWM")


def run_salescore(tmp: pathlib.Path, d: Dovecot, clients: int, messages: int) -> tuple[float, float]:
    db = tmp / "crm.db"
    make_clients(db, clients)
    config = tmp / "salescore.ini"
    config.write_text(f"[connector.email]\nimap_host = 127.0.0.1\nimap_port = {d.port}\nimap_security = plain\n"
                      f"login = {USER}\npassword = {d.users[USER]}\nuser = anna\npage_size = 100\n")
    con = sqlite3.connect(db, timeout=60)
    start = time.monotonic()
    proc = subprocess.Popen([BIN, "serve", "--db", f"sqlite:{db}", "--config", str(config), "--listen", "127.0.0.1:0"],
                            stdout=subprocess.DEVNULL, stderr=open(tmp / "serve.log", "w"))
    rss = 0.0
    fifth_rss = None
    try:
        while True:
            done = con.execute("SELECT count(*) FROM interactions WHERE source = 'email'").fetchone()[0]
            rss = max(rss, peak_rss_mb(proc.pid))
            if fifth_rss is None and done >= messages // 5:
                fifth_rss = proc_status_mb(proc.pid, "VmRSS")
                say(f"email: salescore RSS {fifth_rss:.0f} MB at {done} letters")
            if done >= messages:
                break
            if proc.poll() is not None:
                raise RuntimeError("salescore serve ended:\n" + (tmp / "serve.log").read_text()[-3000:])
            time.sleep(0.2)
        elapsed = time.monotonic() - start
        rss = max(rss, peak_rss_mb(proc.pid))
        say(f"email: salescore RSS {proc_status_mb(proc.pid, 'VmRSS'):.0f} MB at {messages} letters")
        matched = con.execute("SELECT count(*) FROM interactions WHERE source = 'email' AND client_id IS NOT NULL").fetchone()[0]
        leads = con.execute("SELECT count(*) FROM leads").fetchone()[0]
        say(f"email: salescore {messages} letters in {elapsed:.1f} s, {matched} on a client, {leads} leads, "
            f"peak RSS {rss:.0f} MB")
    finally:
        proc.terminate()
        proc.wait(timeout=60)
        con.close()
    return elapsed, rss


def uid_pages(c: imaplib.IMAP4, page: int) -> list[str]:
    c.select("INBOX", readonly=True)
    typ, data = c.uid("SEARCH", None, "ALL")
    uids = data[0].split()
    return [b",".join(uids[i:i + page]).decode() for i in range(0, len(uids), page)]


def fetched(data) -> list[bytes]:
    return [part[1] for part in data if isinstance(part, tuple)]


def run_fetch_only(d: Dovecot) -> tuple[float, int]:
    c = d.imap(USER)
    start = time.monotonic()
    n = 0
    for page in uid_pages(c, 100):
        typ, data = c.uid("FETCH", page, "(UID RFC822.SIZE INTERNALDATE BODY.PEEK[])")
        n += len(fetched(data))
    elapsed = time.monotonic() - start
    c.logout()
    return elapsed, n


def run_python(tmp: pathlib.Path, d: Dovecot, clients: int) -> tuple[float, int]:
    db = tmp / "python.db"
    make_clients(db, clients)
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE letters (id INTEGER PRIMARY KEY, message_id TEXT UNIQUE, client_id INTEGER, "
                "sender TEXT, subject TEXT, body TEXT, occurred_at TEXT)")
    start = time.monotonic()
    by_email = dict(con.execute("SELECT value, client_id FROM contact_points WHERE kind = 'email'"))
    by_domain: dict[str, int | None] = {}
    for address, client in by_email.items():
        domain = address.rsplit("@", 1)[1]
        by_domain[domain] = None if domain in by_domain else client  # a shared domain names nobody
    c = d.imap(USER)
    n = 0
    for page in uid_pages(c, 100):
        typ, data = c.uid("FETCH", page, "(BODY.PEEK[])")
        rows = []
        for raw in fetched(data):
            m = email.message_from_bytes(raw, policy=email.policy.default)
            sender = m["From"].addresses[0].addr_spec.lower() if m["From"] else ""
            body = m.get_body(preferencelist=("plain", "html"))
            text = body.get_content() if body else ""
            if body is not None and body.get_content_type() == "text/html":
                text = re.sub(r"<[^>]+>", "", text)
            domain = sender.rsplit("@", 1)[-1]
            client = by_email.get(sender) or (by_domain.get(domain) if domain not in FREE else None)
            rows.append((m["Message-ID"], client, sender, str(m["Subject"]), text, m["Date"]))
        con.executemany("INSERT OR IGNORE INTO letters (message_id, client_id, sender, subject, body, occurred_at) "
                        "VALUES (?, ?, ?, ?, ?, ?)", rows)
        con.commit()
        n += len(rows)
    elapsed = time.monotonic() - start
    c.logout()
    con.close()
    return elapsed, n


def main() -> int:
    messages = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    clients = int(sys.argv[2]) if len(sys.argv) > 2 else 50_000
    d = Dovecot({USER: "bench-pw"})
    try:
        with tempfile.TemporaryDirectory(prefix="bench-email-") as tmp_name:
            tmp = pathlib.Path(tmp_name)
            say(f"email: appending {messages:,} letters to Dovecot; {clients:,} clients")
            fill_mailbox(d, messages, clients)
            fetch_s, fetched_n = run_fetch_only(d)
            say(f"email: fetch only {fetched_n} letters in {fetch_s:.1f} s")
            python_s, python_n = run_python(tmp, d, clients)
            say(f"email: python {python_n} letters in {python_s:.1f} s")
            salescore_s, rss = run_salescore(tmp, d, clients, messages)
    finally:
        d.remove()
    ours, python, fetch = messages / salescore_s, python_n / python_s, fetched_n / fetch_s
    print(f"email: messages_per_s={ours:.0f} python_per_s={python:.0f} fetch_only_per_s={fetch:.0f} "
          f"ratio_python={ours / python:.2f} peak_rss_mb={rss:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
