"""salescore users and salescore absences: the people of the company from a terminal,
with Python's names (find, get, add; add, get, cancel, find, count) and the same access
rules as Python and REST."""

from __future__ import annotations

import json

import pytest

import salescore
from test_api import SALESCORE_BIN, cli

pytestmark = pytest.mark.skipif(not SALESCORE_BIN, reason="SALESCORE_BIN does not name the salescore executable")


@pytest.fixture
def company(tmp_path):
    url = f"sqlite:{tmp_path / 'crm.db'}"
    with salescore.open(url) as e:
        head = e.users.add(login="orlova", name="Орлова", role="head")
        e.users.add(login="ivanov", name="Иванов", role="manager", head_id=head.id)
        e.users.add(login="petrov", name="Петров", role="manager")
    return url


def test_users_are_found_shown_and_added(company):
    added = json.loads(cli("users", "add", "--db", company, "--login", "sidorova", "--name", "Сидорова",
                           "--role", "manager", "--head", "orlova").stdout)
    assert added["login"] == "sidorova" and added["role"] == "manager"
    with salescore.open(company) as e:
        assert e.users.by_login("sidorova").head_id == e.users.by_login("orlova").id
    logins = [json.loads(line)["login"] for line in cli("users", "find", "--db", company, "--format", "json")
              .stdout.splitlines()]
    assert logins == ["orlova", "ivanov", "petrov", "sidorova"]
    shown = cli("users", "get", "sidorova", "--db", company).stdout
    assert "sidorova" in shown and "manager" in shown

    refused = cli("users", "add", "--db", company, "--as", "ivanov", "--login", "x", "--name", "X", check=False)
    assert refused.returncode == 1 and "[permission_denied]" in refused.stderr, refused.stderr
    bad = cli("users", "add", "--db", company, "--login", "y", "--name", "Y", "--role", "boss", check=False)
    assert bad.returncode == 2 and "--role" in bad.stderr
    assert cli("users", "get", "--db", company, check=False).returncode == 2
    assert cli("users", "get", "nobody", "--db", company, check=False).returncode == 1


def test_absences_are_recorded_listed_counted_and_cancelled(company):
    args = ("--db", company, "--user", "ivanov", "--deputy", "petrov", "--starts-at", "2030-01-10T00:00:00+03:00",
            "--ends-at", "2030-01-20T00:00:00+03:00", "--reason", "trip", "--note", "Казань")
    absence = json.loads(cli("absences", "add", "--as", "orlova", *args).stdout)
    assert absence["reason"] == "trip" and absence["cancelled"] is False
    assert cli("absences", "count", "--db", company, "--user", "ivanov").stdout.strip() == "1"
    assert cli("absences", "count", "--db", company, "--active-at", "2030-01-15T12:00:00Z").stdout.strip() == "1"
    assert cli("absences", "count", "--db", company, "--active-at", "2030-02-15T12:00:00Z").stdout.strip() == "0"
    listed = cli("absences", "find", "--db", company, "--format", "json").stdout.splitlines()
    assert [json.loads(line)["id"] for line in listed] == [absence["id"]]
    assert "Казань" in cli("absences", "get", str(absence["id"]), "--db", company).stdout

    refused = cli("absences", "add", "--as", "petrov", *args[2:], "--db", company, check=False)
    assert refused.returncode == 1 and "[permission_denied]" in refused.stderr, refused.stderr
    overlap = cli("absences", "add", "--as", "orlova", *args, check=False)
    assert overlap.returncode == 1, overlap.stderr

    cancelled = json.loads(cli("absences", "cancel", str(absence["id"]), "--db", company, "--as", "orlova").stdout)
    assert cancelled["cancelled"] is True
    assert cli("absences", "count", "--db", company).stdout.strip() == "0"
    assert cli("absences", "count", "--db", company, "--include-cancelled").stdout.strip() == "1"
    bad = cli("absences", "add", "--db", company, "--starts-at", "tomorrow", check=False)
    assert bad.returncode == 2 and "--starts-at" in bad.stderr
    assert cli("absences", "cancel", "x", "--db", company, check=False).returncode == 2
