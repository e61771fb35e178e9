"""Runs `salescore serve` with the 1C connector on a loopback port and talks to it as
1C does: Basic auth, the cookie, init, files in chunks, import until success."""
from __future__ import annotations

import base64
import os
import pathlib
import re
import sqlite3
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).parent))

BIN = os.environ.get("SALESCORE_BIN", str(pathlib.Path(__file__).parents[2] / "build/server/salescore"))
# How long a SIGTERM'd `serve` may take to exit: its connectors end the page or the
# delivery in hand first, which under ASan at load 12 can pass 30 s (`./run.sh sanitize
# asan` names the sanitizer in SALESCORE_SANITIZER).
STOP_WAIT = 300 if os.environ.get("SALESCORE_SANITIZER") else 30
# The project's own CommerceML files (written for its tests), and the public samples,
# which stay outside the repository in ../shared/fixtures beside it (CMake passes the
# path as SALESCORE_SHARED_FIXTURES; a test needing one skips where it is absent).
OWN_FIXTURES = pathlib.Path(__file__).parents[1] / "fixtures" / "commerceml"
SHARED_FIXTURES = pathlib.Path(os.environ.get("SALESCORE_SHARED_FIXTURES",
                                              pathlib.Path(__file__).parents[3] / "shared" / "fixtures"))


def public_sample(name: str) -> bytes:
    """A public CommerceML sample from ../shared/fixtures/commerceml; skips the test without it."""
    path = SHARED_FIXTURES / "commerceml" / name
    if not path.is_file():
        pytest.skip(f"public sample {path} is absent (the shared fixtures live beside the repository, not in it)")
    return path.read_bytes()


def own_fixture(name: str) -> bytes:
    return (OWN_FIXTURES / name).read_bytes()
LOGIN, PASSWORD = "exchange", "s3cret-пароль"


class OneC:
    """The site side of 1C's exchange, as 1C:Enterprise calls it."""

    def __init__(self, url: str):
        self.url = url
        self.cookie: str | None = None

    def call(self, type_: str, mode: str, body: bytes | None = None, auth=None, **params):
        query = urllib.parse.urlencode({"type": type_, "mode": mode, **params})
        req = urllib.request.Request(f"{self.url}?{query}", data=body, method="POST" if body is not None else "GET")
        if auth:
            req.add_header("Authorization", "Basic " + base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode())
        if self.cookie:
            req.add_header("Cookie", self.cookie)
        try:
            with urllib.request.urlopen(req, timeout=120) as r:
                return r.status, r.read(), r.headers
        except urllib.error.HTTPError as e:
            return e.code, e.read(), e.headers

    def text(self, *a, **kw) -> tuple[int, str]:
        status, body, _ = self.call(*a, **kw)
        return status, body.decode("utf-8")

    def checkauth(self, type_: str = "catalog", login: str = LOGIN, password: str = PASSWORD) -> str:
        status, text = self.text(type_, "checkauth", auth=(login, password))
        assert status == 200, text
        lines = text.split("\n")
        assert lines[0] == "success"
        self.cookie = f"{lines[1]}={lines[2]}"
        return text

    def init(self, type_: str = "catalog") -> dict:
        status, text = self.text(type_, "init")
        assert status == 200, text
        return dict(line.split("=", 1) for line in text.strip().split("\n"))

    def upload(self, name: str, data: bytes, type_: str = "catalog", chunk: int | None = None) -> str:
        chunk = chunk or max(len(data), 1)
        view = memoryview(data)  # chunks sent as views of the file, not copied
        text = ""
        for start in range(0, max(len(data), 1), chunk):
            status, text = self.text(type_, "file", body=view[start:start + chunk], filename=name)
            assert status == 200, text
        return text

    def import_file(self, name: str) -> str:
        """mode=import until it stops answering progress; returns the last answer."""
        for _ in range(1000):
            status, text = self.text("catalog", "import", filename=name)
            assert status == 200, text
            if not text.startswith("progress"):
                return text
        raise AssertionError("import never finished")

    def exchange_catalog(self, files: dict[str, bytes]) -> list[str]:
        self.checkauth()
        self.init()
        for name, data in files.items():
            self.upload(name, data)
        return [self.import_file(name) for name in files]


def sql_rows(db_path: pathlib.Path, query: str, *args) -> list:
    """The rows of one query on the database file, read by a connection of its own."""
    con = sqlite3.connect(db_path)
    try:
        return con.execute(query, args).fetchall()
    finally:
        con.close()


def write_config(tmp: pathlib.Path, extra_config: str = "") -> pathlib.Path:
    """salescore.ini in `tmp`: the 1C connector with the tests' login, and `extra_config`."""
    config = tmp / "salescore.ini"
    config.write_text(
        "[connector.onec]\n"
        f"login = {LOGIN}\npassword = {PASSWORD}\nwork_dir = {tmp / 'exchange'}\n"
        "import_step_seconds = 1\n" + extra_config, encoding="utf-8")
    return config


class Server:
    def __init__(self, tmp: pathlib.Path, extra_config: str = "", demo: bool = False):
        self.tmp = tmp
        self.db_path = tmp / "crm.db"
        self.db = f"sqlite:{self.db_path}"
        self.config = write_config(tmp, extra_config)
        # `demo` fills the database with the demo company, as a new user first tries it.
        subprocess.run([BIN, "demo" if demo else "init", "--db", self.db], check=True, capture_output=True)
        self.proc = subprocess.Popen([BIN, "serve", "--db", self.db, "--config", str(self.config), "--listen",
                                      "127.0.0.1:0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        match = re.search(r"http://([\d.]+:\d+)", line)
        assert match, line + self.proc.stderr.read()
        self.base = f"http://{match.group(1)}"
        self.onec = OneC(self.base + "/exchange/1c")

    def sql(self, query: str, *args):
        return sql_rows(self.db_path, query, *args)

    def stop(self) -> str:
        """Stops the server (again: a no-op) and returns what it wrote to stderr."""
        if self.proc.returncode is None:
            self.proc.terminate()
            _, self.stderr = self.proc.communicate(timeout=STOP_WAIT)
        return self.stderr


@pytest.fixture
def server(tmp_path):
    s = Server(tmp_path)
    yield s
    s.stop()
