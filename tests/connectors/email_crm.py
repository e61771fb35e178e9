"""salescore serve with the e-mail connector pointed at a loopback Dovecot and aiosmtpd."""
from __future__ import annotations

import os
import pathlib
import re
import signal
import sqlite3
import subprocess
import time

BIN = os.environ.get("SALESCORE_BIN", str(pathlib.Path(__file__).parents[2] / "build/server/salescore"))

CLIENTS = {  # name -> e-mails
    "Ромашка": ["ivan@romashka.ru"],
    "Beijing Trade": ["li@bjtrade.cn"],
    "Балкан ООД": ["petar@balkan.bg"],
    "Acme": ["john@acme.example"],
}


class MailCrm:
    def __init__(self, tmp: pathlib.Path, settings: dict[str, object], more_users: tuple[str, ...] = (),
                 engine_config: str = ""):
        import salescore

        self.tmp = tmp
        tmp.mkdir(parents=True, exist_ok=True)
        self.db_path = tmp / "crm.db"
        self.db = f"sqlite:{self.db_path}"
        subprocess.run([BIN, "init", "--db", self.db], check=True, capture_output=True)
        with salescore.open(self.db) as crm:
            anna = crm.users.add(login="anna", name="Анна", role="manager")
            self.user_ids = {"anna": anna.id}
            self.user_ids.update({login: crm.users.add(login=login, name=login, role="manager").id
                                  for login in more_users})
            self.client_ids = {name: crm.clients.add(name=name, emails=emails, owner_id=anna.id).id
                               for name, emails in CLIENTS.items()}
        self.config = tmp / "salescore.ini"
        options = {"retry_base_ms": 50, "retry_cap_ms": 500, "user": "anna", **settings}
        self.config.write_text(engine_config + "[connector.email]\n" +
                               "".join(f"{k} = {v}\n" for k, v in options.items()), encoding="utf-8")
        self.proc: subprocess.Popen | None = None
        self.start()

    def start(self):
        self.log = open(self.tmp / "serve.log", "a")
        self.proc = subprocess.Popen([BIN, "serve", "--db", self.db, "--config", str(self.config), "--listen",
                                      "127.0.0.1:0"], stdout=subprocess.PIPE, stderr=self.log, text=True)
        line = self.proc.stdout.readline()
        assert re.search(r"http://[\d.]+:\d+", line), line + (self.tmp / "serve.log").read_text()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=30)
        self.log.close()

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)
        self.log.close()

    def sql(self, query: str, *args):
        con = sqlite3.connect(self.db_path, timeout=30)
        try:
            return con.execute(query, args).fetchall()
        finally:
            con.close()

    def letters(self) -> list[tuple]:
        return self.sql("SELECT external_id, client_id, direction, subject, body, user_id FROM interactions "
                        "WHERE source = 'email' ORDER BY id")

    def wait_for(self, what, timeout: float = 60.0):
        """Polls `what()` until it is truthy; returns it."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            got = what()
            if got:
                return got
            time.sleep(0.1)
        raise AssertionError("timed out; server log:\n" + (self.tmp / "serve.log").read_text()[-4000:])

    def wait_letters(self, n: int, timeout: float = 60.0) -> list[tuple]:
        return self.wait_for(lambda: (lambda rows: rows if len(rows) >= n else None)(self.letters()), timeout)

    def plugins_list(self) -> str:
        return subprocess.run([BIN, "plugins", "list", "--db", self.db, "--config", str(self.config)],
                              capture_output=True, text=True, check=True).stdout

    def server_log(self) -> str:
        return (self.tmp / "serve.log").read_text()
