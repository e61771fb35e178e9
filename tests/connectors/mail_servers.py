"""Real mail servers on loopback for the e-mail connector's tests: Dovecot IMAP (started
from ../shared/testing/dovecot.conf.in's settings, written here) and aiosmtpd in-process."""
from __future__ import annotations

import imaplib
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import tempfile
import time

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"

CONFIG = """protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
ssl = {ssl}
{ssl_files}
disable_plaintext_auth = no
auth_mechanisms = plain login xoauth2
mail_location = maildir:{root}/mail/%u
default_login_user = dovenull
default_internal_user = dovecot
default_internal_group = dovecot
first_valid_uid = 0
service imap-login {{
  inet_listener imap {{
    port = {port}
  }}
  inet_listener imaps {{
    port = {tls_port}
    ssl = yes
  }}
  user = dovenull
  chroot =
}}
service anvil {{
  chroot =
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = static
  args = uid=dovecot gid=dovecot home={root}/mail/%u
}}
namespace inbox {{
  inbox = yes
  mailbox Sent {{
    special_use = \\Sent
    auto = create
  }}
  mailbox Trash {{
    special_use = \\Trash
    auto = create
  }}
  mailbox Drafts {{
    special_use = \\Drafts
    auto = create
  }}
  mailbox "All Mail" {{
    special_use = \\All
    auto = create
  }}
}}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Dovecot:
    """A Dovecot on free loopback ports (plain and implicit TLS) with the given users."""

    def __init__(self, users: dict[str, str], cert: tuple[str, str] | None = None, rawlog: bool = False):
        # Its own directory in /tmp: Dovecot's users must reach it, and pytest's tmp_path
        # sits under directories only root may enter.
        root = self.root = pathlib.Path(tempfile.mkdtemp(prefix="salescore-dovecot-"))
        self.users = users
        os.chmod(root, 0o755)
        (root / "users").write_text("".join(f"{u}:{{PLAIN}}{p}\n" for u, p in users.items()))
        (root / "mail").mkdir(exist_ok=True)
        self.port, self.tls_port = free_port(), free_port()
        if cert:  # copied beside the config, where Dovecot may read them
            shutil.copy(cert[0], root / "cert.pem")
            shutil.copy(cert[1], root / "key.pem")
        ssl_files = f"ssl_cert = <{root}/cert.pem\nssl_key = <{root}/key.pem" if cert else ""
        config = CONFIG.format(root=root, port=self.port, tls_port=self.tls_port, ssl="yes" if cert else "no",
                               ssl_files=ssl_files)
        if rawlog:  # every IMAP connection's input and output in files, for tests that check the commands sent
            (root / "rawlog").mkdir()
            config += f"protocol imap {{\n  rawlog_dir = {root}/rawlog\n}}\n"
        (root / "dovecot.conf").write_text(config)
        self.start()

    def start(self):
        for owned in ("mail", "rawlog"):
            if (self.root / owned).exists():
                subprocess.run(["chown", "-R", "dovecot:dovecot", str(self.root / owned)], check=True)
        subprocess.run([DOVECOT, "-c", str(self.root / "dovecot.conf")], check=True)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("dovecot did not start: " + (self.root / "dovecot.log").read_text())

    def stop(self):
        pid_file = self.root / "run" / "master.pid"
        if not pid_file.exists():
            return
        pid = int(pid_file.read_text().strip())
        os.kill(pid, signal.SIGTERM)
        for _ in range(200):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)
        for _ in range(100):  # the listeners close with the master
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                time.sleep(0.05)
            except OSError:
                return

    def commands_received(self) -> list[list[str]]:
        """With rawlog: the lines each IMAP connection sent to the server, one list per connection."""
        return [f.read_text(errors="replace").splitlines() for f in sorted((self.root / "rawlog").glob("*.in"))]

    def remove(self):
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def imap(self, user: str) -> imaplib.IMAP4:
        c = imaplib.IMAP4("127.0.0.1", self.port)
        c.login(user, self.users[user])
        return c

    def append(self, user: str, message: bytes, folder: str = "INBOX") -> None:
        c = self.imap(user)
        try:
            typ, data = c.append(folder, None, None, message)
            assert typ == "OK", data
        finally:
            c.logout()

    def seen_flags(self, user: str, folder: str = "INBOX") -> list[bytes]:
        c = self.imap(user)
        try:
            typ, count = c.select(folder, readonly=True)
            if int(count[0]) == 0:
                return []  # "1:*" of an empty folder is a BAD (a letter not filed there yet)
            typ, data = c.fetch("1:*", "(FLAGS)")
            return [d for d in data if d]
        finally:
            c.logout()


def make_certificate(root: pathlib.Path, name: str, host: str = "127.0.0.1") -> tuple[str, str, str]:
    """A CA and a server certificate it signed for `host`: (ca.pem, cert.pem, key.pem)."""
    root.mkdir(parents=True, exist_ok=True)
    ca_key, ca, key, csr, cert = (root / f"{name}-{x}" for x in ("ca.key", "ca.pem", "key.pem", "csr", "cert.pem"))
    run = lambda *a: subprocess.run(list(a), check=True, capture_output=True)  # noqa: E731
    run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", f"/CN={name} test CA",
        "-keyout", str(ca_key), "-out", str(ca))
    run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", f"/CN={host}", "-keyout", str(key), "-out", str(csr))
    ext = root / f"{name}-ext.cnf"
    ext.write_text(f"subjectAltName = IP:{host}\n" if host[0].isdigit() else f"subjectAltName = DNS:{host}\n")
    run("openssl", "x509", "-req", "-in", str(csr), "-CA", str(ca), "-CAkey", str(ca_key), "-CAcreateserial", "-days", "2",
        "-extfile", str(ext), "-out", str(cert))
    os.chmod(key, 0o644)
    return str(ca), str(cert), str(key)


class Smtp:
    """aiosmtpd on a free loopback port, keeping what it received; refuses RCPT for
    addresses in `refuse`."""

    def __init__(self, refuse: set[str] | None = None):
        from aiosmtpd.controller import Controller

        self.messages: list[tuple[str, list[str], bytes]] = []
        self.refuse = refuse or set()
        outer = self

        class Handler:
            async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
                if address in outer.refuse:
                    return "550 5.1.1 no such user here"
                envelope.rcpt_tos.append(address)
                return "250 OK"

            async def handle_DATA(self, server, session, envelope):
                outer.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
                return "250 Message accepted"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        self.controller.stop()
