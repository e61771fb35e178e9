"""The typed stubs as a type checker sees them: Debian's mypy is clean over
python/examples and tests/python/typed/typed_usage.py (which uses add/update/find with
their keyword parameters), and flags the deliberate mistakes of wrong_keyword.py, so this
test fails if the stubs stop catching a misspelt keyword or a wrong type."""

from __future__ import annotations

import importlib.util
import os
import subprocess
from pathlib import Path

import pytest

import salescore

ROOT = Path(__file__).resolve().parents[2]
TYPING = Path(__file__).resolve().parent / "typed"
HAS_MYPY = importlib.util.find_spec("mypy") is not None
needs_mypy = pytest.mark.skipif(not HAS_MYPY, reason="Debian's mypy is not installed (run.sh PACKAGES)")


def mypy(tmp_path: Path, *files: Path) -> subprocess.CompletedProcess[str]:
    """mypy over `files`, the package read from its stubs in the source tree (python/), not
    from a build; no cache kept between runs."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MYPYPATH")}
    env["MYPYPATH"] = str(ROOT / "python")
    return subprocess.run(
        ["/usr/bin/python3", "-m", "mypy", "--cache-dir", str(tmp_path / "mypy-cache"), "--check-untyped-defs",
         "--no-error-summary", "--show-error-codes", *map(str, files)],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)


@needs_mypy
def test_mypy_is_clean_on_the_examples_and_the_typed_usage(tmp_path):
    files = sorted((ROOT / "python" / "examples").glob("*.py")) + [TYPING / "typed_usage.py"]
    result = mypy(tmp_path, *files)
    assert result.returncode == 0, result.stdout + result.stderr


@needs_mypy
def test_mypy_flags_a_wrong_keyword_and_a_wrong_type(tmp_path):
    result = mypy(tmp_path, TYPING / "wrong_keyword.py")
    assert result.returncode == 1, result.stdout + result.stderr
    assert 'Unexpected keyword argument "nmae"' in result.stdout, result.stdout
    assert '"expected_close"' in result.stdout and "[arg-type]" in result.stdout, result.stdout


def test_the_typed_usage_runs():
    """The file mypy checks is real code: it runs on an in-memory engine."""
    spec = importlib.util.spec_from_file_location("typed_usage", TYPING / "typed_usage.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with salescore.open("sqlite::memory:") as engine:
        assert module.a_week_of_selling(engine) == 3600
