"""Fixtures for the salescore Python tests.

Run from the repository root with the built package on the path:
    PYTHONPATH=build-py/python /usr/bin/python3 -m pytest -q tests/python
"""

from __future__ import annotations

import textwrap
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

import pytest

try:
    import salescore
except ModuleNotFoundError as missing:
    # The Python module is not built (SALESCORE_BUILD_PYTHON=OFF): the executable's tests
    # in test_cli.py can still run; the rest need the module. A module that is there but
    # fails to load is an error, not a reason to skip.
    if missing.name != "salescore":
        raise
    collect_ignore = [p.name for p in Path(__file__).parent.glob("test_*.py") if p.name != "test_cli.py"]

# A fixed, recognisable start for clock-driven tests: 1 March 2026, 09:00 UTC.
START = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def engine() -> Iterator[salescore.Engine]:
    """A private in-memory database, gone when the test ends."""
    with salescore.open("sqlite::memory:") as e:
        yield e


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "crm.db"


@pytest.fixture
def file_engine(db_path: Path) -> Iterator[salescore.Engine]:
    """An engine on a database file in the test's temporary directory."""
    with salescore.open(f"sqlite:{db_path}") as e:
        yield e


@pytest.fixture
def start() -> datetime:
    return START


@pytest.fixture
def clock(start: datetime) -> salescore.ManualClock:
    return salescore.ManualClock(start)


@pytest.fixture
def clocked_engine(clock: salescore.ManualClock) -> Iterator[salescore.Engine]:
    """An in-memory engine whose time moves only when the test moves `clock`."""
    with salescore.open("sqlite::memory:", clock=clock) as e:
        yield e


@pytest.fixture
def write_config(tmp_path: Path) -> Callable[[str], Path]:
    """Writes an INI configuration file and returns its path."""

    def write(text: str) -> Path:
        path = tmp_path / "salescore.ini"
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write
