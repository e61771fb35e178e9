"""A real Medusa 2.21.2 shop (from npm) on a real PostgreSQL 15, for the web-shop
connector's test (test_webshop_medusa_real.py).

What costs minutes is done once per lockfile and kept outside the checkout, under
$SALESCORE_CACHE (default ~/.cache/salescore), in medusa-<hash of package-lock.json and
medusa-config.js>/:
  app/      the application: `npm ci` of tests/connectors/medusa/package-lock.json
  pgdata/   a PostgreSQL data directory, stopped, holding the database `medusa` after
            `medusa db:migrate` and the admin user: each run copies it instead of
            migrating again (the migration took 16 minutes on the loaded machine)
A second clean clone with the same lockfile reuses both; another lockfile gets its own
directory. `run.sh setup` prepares it (`/usr/bin/python3 tests/connectors/medusa_shop.py
prepare`), so CI's test run only copies the database and starts Medusa.

Each piece is built in a temporary directory beside it and renamed into place when
whole, so an interrupted preparation leaves nothing that looks ready.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = pathlib.Path(__file__).parent / "medusa"
ADMIN = ("admin@salescore.test", "secret-pass")
PG = pathlib.Path(os.environ.get("SALESCORE_PG_BIN", "/usr/lib/postgresql/15/bin"))
FILES = ("package.json", "package-lock.json", "medusa-config.js")


def say(*a):
    print("medusa_shop:", *a, file=sys.stderr, flush=True)


def missing_tools() -> str:
    """Why a real Medusa cannot run here ("" when it can): Node.js and npm are needed."""
    absent = [t for t in ("node", "npm", "npx") if not shutil.which(t)]
    return f"no {', '.join(absent)} on PATH (Node.js and npm run the real Medusa)" if absent else ""


def home() -> pathlib.Path:
    digest = hashlib.sha256()
    for name in FILES:
        digest.update((HERE / name).read_bytes())
    root = pathlib.Path(os.environ.get("SALESCORE_CACHE", pathlib.Path.home() / ".cache/salescore"))
    return root / f"medusa-{digest.hexdigest()[:16]}"


def run(cmd, cwd, env=None, timeout=3600):
    done = subprocess.run(cmd, cwd=cwd, env=env, timeout=timeout, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed ({done.returncode}):\n{done.stdout[-3000:]}"
                           f"\n{done.stderr[-3000:]}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def as_postgres(cmd: str):
    """initdb and postgres refuse root: as root they run as the postgres user."""
    argv = ["su", "postgres", "-s", "/bin/sh", "-c", cmd] if os.geteuid() == 0 else ["sh", "-c", cmd]
    run(argv, cwd="/", timeout=300)


class Postgres:
    """A PostgreSQL 15 server on a free loopback port over `data` (a directory of root's
    cache is not readable by the postgres user, so a run's data lives under /tmp)."""

    def __init__(self, data: pathlib.Path):
        self.data, self.port = data, 0

    def start(self):
        if os.geteuid() == 0:
            for path in [self.data.parent, self.data, *self.data.rglob("*")]:
                os.chown(path, *_postgres_ids(), follow_symlinks=False)
        # Durability off: the data is thrown away after the run.
        for _ in range(5):
            self.port = free_port()
            try:
                as_postgres(f"'{PG}/pg_ctl' -D '{self.data}' -l '{self.data.parent}/log' -w -t 120 -o "
                            f"\"-p {self.port} -k '{self.data.parent}' -c listen_addresses=127.0.0.1 -c fsync=off "
                            "-c synchronous_commit=off -c full_page_writes=off\" start")
                return self
            except RuntimeError:
                continue
        raise RuntimeError("PostgreSQL did not start: " + (self.data.parent / "log").read_text()[-2000:])

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/medusa"

    def stop(self):
        as_postgres(f"'{PG}/pg_ctl' -D '{self.data}' -m fast -w stop")


def _postgres_ids():
    import pwd
    p = pwd.getpwnam("postgres")
    return p.pw_uid, p.pw_gid


def _build(target: pathlib.Path, make):
    """Makes `target` with make(tmp) in a sibling temporary directory, then renames it."""
    if target.is_dir():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = pathlib.Path(tempfile.mkdtemp(prefix=target.name + ".", dir=target.parent))
    try:
        make(tmp)
        try:
            tmp.rename(target)
        except OSError:
            if not target.is_dir():  # else another run made it meanwhile: theirs is as good
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _install(app: pathlib.Path):
    for name in FILES:
        shutil.copy(HERE / name, app / name)
    started = time.monotonic()
    run(["npm", "ci", "--prefer-offline", "--no-audit", "--no-fund"], app)
    say(f"npm ci took {time.monotonic() - started:.0f} s")


def _migrate(app: pathlib.Path, pgdata: pathlib.Path):
    """A fresh cluster with the database `medusa` migrated and the admin user in it."""
    work = pathlib.Path(tempfile.mkdtemp(prefix="salescore-medusa-pg-"))
    try:
        if os.geteuid() == 0:
            os.chown(work, *_postgres_ids())
        as_postgres(f"'{PG}/initdb' -D '{work}/data' -A trust -U postgres --no-sync -E UTF8 --locale=C.UTF-8")
        pg = Postgres(work / "data").start()
        try:
            run(["psql", "-h", "127.0.0.1", "-p", str(pg.port), "-U", "postgres", "-c", "CREATE DATABASE medusa"], "/")
            env = dict(os.environ, DATABASE_URL=pg.url, NODE_ENV="development")
            started = time.monotonic()
            run(["npx", "medusa", "db:migrate"], app, env)
            run(["npx", "medusa", "user", "-e", ADMIN[0], "-p", ADMIN[1]], app, env)
            say(f"db:migrate and the admin user took {time.monotonic() - started:.0f} s")
        finally:
            pg.stop()
        shutil.copytree(work / "data", pgdata / "data", symlinks=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def prepare() -> pathlib.Path:
    """The cached application and migrated database, made now if missing."""
    base = home()
    _build(base / "app", _install)
    _build(base / "pgdata", lambda tmp: _migrate(base / "app", tmp))
    return base


@contextlib.contextmanager
def running(timeout_s: float = 600):
    """A Medusa started on a copy of the migrated database: yields (base URL, admin login)."""
    base = prepare()
    work = pathlib.Path(tempfile.mkdtemp(prefix="salescore-medusa-"))
    proc, pg = None, None
    try:
        shutil.copytree(base / "pgdata" / "data", work / "data", symlinks=True)
        pg = Postgres(work / "data").start()
        port = free_port()
        env = dict(os.environ, DATABASE_URL=pg.url, NODE_ENV="development", PORT=str(port))
        with open(work / "medusa.log", "wb") as log:
            proc = subprocess.Popen(["npx", "medusa", "start"], cwd=base / "app", env=env, stdout=log,
                                    stderr=subprocess.STDOUT, start_new_session=True)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + timeout_s
        while not _healthy(url):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("Medusa did not start:\n" + (work / "medusa.log").read_text()[-3000:])
            time.sleep(0.5)
        yield url, ADMIN
    finally:
        if proc:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, 15)
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, 9)
                proc.wait()
        if pg:
            pg.stop()
        shutil.rmtree(work, ignore_errors=True)


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/health", timeout=5) as r:
            return r.status == 200
    except OSError:
        return False


if __name__ == "__main__":
    if sys.argv[1:] == ["home"]:
        print(home())
        sys.exit(0)
    if sys.argv[1:] != ["prepare"]:
        sys.exit("usage: medusa_shop.py prepare|home")
    if why := missing_tools():
        say("not prepared:", why)
        sys.exit(0)
    started = time.monotonic()
    print(prepare())
    say(f"ready in {time.monotonic() - started:.0f} s")
