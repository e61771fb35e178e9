"""Database files: what persists, and what a file the engine may not write does."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

import salescore


def test_a_database_file_keeps_its_records_after_reopening(db_path):
    with salescore.open(f"sqlite:{db_path}") as engine:
        client_id = engine.clients.add(name="Ромашка", phones=["8 (495) 123-45-67"]).id

    with salescore.open(f"sqlite:{db_path}") as engine:
        assert engine.clients.get(client_id).phones == ["+74951234567"]
        assert engine.events.last_seq() == 1


def test_the_file_engine_fixture_writes_to_disk(file_engine, db_path):
    file_engine.clients.add(name="Ромашка")

    assert db_path.stat().st_size > 0


# The scenario of the read-only test, run in a fresh interpreter so that it can drop
# root's privileges (root writes to a 0444 file regardless).
_WRITE_TO_READ_ONLY_FILE = """
import sys, salescore
with salescore.open("sqlite:" + sys.argv[1]) as engine:
    assert engine.clients.count() == 1
    try:
        engine.clients.add(name="Лютик")
    except salescore.Error as error:
        print(type(error).__name__, error.code, error.message, sep="|")
    else:
        print("written")
"""


def test_writing_to_a_read_only_database_file_raises_a_clear_error():
    folder = Path(tempfile.mkdtemp(prefix="salescore-ro-"))
    try:
        os.chmod(folder, 0o777)  # SQLite may still create its lock files beside the db
        path = folder / "crm.db"
        with salescore.open(f"sqlite:{path}") as engine:
            engine.clients.add(name="Ромашка")
        os.chmod(path, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)

        package_root = str(Path(salescore.__file__).parent.parent)
        nobody = 65534 if os.geteuid() == 0 else None
        run = subprocess.run(
            [sys.executable, "-c", _WRITE_TO_READ_ONLY_FILE, str(path)],
            env={**os.environ, "PYTHONPATH": package_root},
            capture_output=True,
            text=True,
            user=nobody,
            group=nobody,
            timeout=60,
        )
        assert run.returncode == 0, run.stderr

        kind, code, message = run.stdout.strip().split("|")
        assert (kind, code) == ("FailedPrecondition", "failed_precondition")  # reason read_only
        assert "read-only" in message
    finally:
        for p in folder.iterdir():
            p.unlink()
        folder.rmdir()


def test_an_engine_opened_read_only_refuses_writes(db_path):
    with salescore.open(f"sqlite:{db_path}") as engine:
        engine.clients.add(name="Ромашка")

    with salescore.open(f"sqlite:{db_path}", read_only=True) as engine:
        assert engine.clients.count() == 1
        with pytest.raises(salescore.Error) as raised:
            engine.clients.add(name="Лютик")

    assert raised.value.code == "failed_precondition"
    assert "read-only" in raised.value.message


def test_a_closed_engine_says_so(engine):
    engine.close()

    assert engine.closed
    with pytest.raises(salescore.Error) as raised:
        engine.clients.count()
    assert "closed" in raised.value.message
    engine.close()  # closing twice is harmless


def test_an_unknown_url_is_a_validation_error():
    with pytest.raises(salescore.ValidationError) as raised:
        salescore.open("mysql://localhost/crm")

    assert "sqlite:" in raised.value.message
