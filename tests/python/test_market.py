"""Market and competitor information from Python (engine.market) and the CLI
(salescore market add|list|report): the same service, the same access rules."""

from __future__ import annotations

import json
import os
import subprocess
from decimal import Decimal

import pytest

import salescore

SALESCORE_BIN = os.environ.get("SALESCORE_BIN")


@pytest.fixture
def team(clocked_engine):
    e = clocked_engine
    head = e.users.add(login="orlova", name="Орлова", role="head")
    ivanov = e.users.add(login="ivanov", name="Иванов", role="manager", head_id=head.id)
    petrov = e.users.add(login="petrov", name="Петров", role="manager")
    client = e.clients.add(name="Ромашка", owner_id=ivanov.id)
    return e, head, ivanov, petrov, client


def test_a_manager_records_prices_and_the_head_reads_the_report(team, start):
    e, head, ivanov, petrov, client = team
    me = e.as_user(ivanov)
    note = me.market.add(kind="competitor_price", competitor="Вектор", product_group="Дрели",
                         price=salescore.Money(Decimal("4990.00"), "RUB"), source="звонок", client_id=client.id)
    assert isinstance(note, salescore.MarketNote)
    assert note.price == salescore.Money(Decimal("4990.00"), "RUB") and note.recorded_by == ivanov.id
    assert note.observed_at == start
    me.market.add(kind="competitor_price", competitor="Вектор", product_group="Дрели", price="5010")
    me.market.add(kind="demand_change", product_group="Дрели", value="спрос +20 % перед сезоном")
    assert [n.id for n in e.as_user(head).market.find(kind="competitor_price")][:1] == [note.id]
    assert list(e.as_user(petrov).market.find()) == []
    with pytest.raises(salescore.AccessDenied):
        e.as_user(petrov).market.get(note.id)
    with pytest.raises(salescore.AccessDenied):
        e.as_user(petrov).market.add(kind="other", value="слух", client_id=client.id)

    report = e.as_user(head).market.report(start.strftime("%Y-%m"), by="competitor")
    assert isinstance(report, salescore.MarketReport) and report.by == "competitor"
    vector = report.lines[0]
    assert vector["key"] == "Вектор" and vector["competitor_prices"] == 2
    assert (vector["price_min"], vector["price_avg"], vector["price_max"]) == (
        Decimal("4990.00"), Decimal("5000.00"), Decimal("5010.00"))
    assert report.total["records"] == 3 and report.total["demand_changes"] == 1
    groups = e.market.report(start.strftime("%Y-%m"), by="product_group")
    assert [line["key"] for line in groups.lines] == ["Дрели"]


def test_bad_market_information_is_named(team):
    e, _, ivanov, _, _ = team
    with pytest.raises(salescore.ValidationError) as bad:
        e.as_user(ivanov).market.add(kind="competitor_price")
    assert {"competitor", "price", "product_id"} <= set(bad.value.fields)
    with pytest.raises(salescore.ValidationError) as bad:
        e.market.add(kind="gossip", value="x")
    assert "kind" in bad.value.fields
    with pytest.raises(salescore.ValidationError) as bad:
        e.market.report("2026-10", by="colour")
    with pytest.raises(salescore.ValidationError):
        e.market.report("October")


def run(*args, check=True):
    result = subprocess.run([SALESCORE_BIN, *args], capture_output=True, text=True, timeout=120)
    if check and result.returncode != 0:
        raise AssertionError(f"salescore {' '.join(args)} exited {result.returncode}:\n{result.stderr}")
    return result


@pytest.mark.skipif(not SALESCORE_BIN, reason="SALESCORE_BIN does not name the salescore executable")
def test_the_cli_adds_lists_and_reports(tmp_path):
    url = f"sqlite:{tmp_path / 'crm.db'}"
    with salescore.open(url) as e:
        ivanov = e.users.add(login="ivanov", name="Иванов", role="manager")
        e.users.add(login="petrov", name="Петров", role="manager")
        client = e.clients.add(name="Ромашка", owner_id=ivanov.id)
    added = run("market", "add", "--db", url, "--as", "ivanov", "--kind", "competitor_price", "--competitor",
                "Вектор", "--group", "Дрели", "--price", "4990", "--client", str(client.id), "--source", "звонок")
    note = json.loads(added.stdout)
    assert note["price"] == "4990.00" and note["currency"] == "RUB" and note["client_id"] == client.id
    listed = run("market", "list", "--db", url, "--as", "ivanov", "--format", "json").stdout.splitlines()
    assert [json.loads(line)["id"] for line in listed] == [note["id"]]
    assert run("market", "list", "--db", url, "--as", "petrov").stdout == ""
    text = run("market", "list", "--db", url).stdout
    assert "Вектор" in text and "4990.00 RUB" in text
    month = note["observed_at"][:7]
    report = json.loads(run("market", "report", "--db", url, "--period", month, "--format", "json").stdout)
    assert report["lines"][0]["key"] == "Вектор" and report["total"]["price_avg"] == "4990.00"
    by_group = run("market", "report", "--db", url, "--period", month, "--by", "product_group", "--as", "ivanov")
    assert "Дрели" in by_group.stdout and "4990.00" in by_group.stdout
    # Usage mistakes exit 2; the engine's refusals exit 1 with the reason.
    assert run("market", "add", "--db", url, "--kind", "other", "--value", "x", check=False).returncode == 2
    assert run("market", "add", "--db", url, "--as", "ivanov", "--kind", "gossip", check=False).returncode == 2
    assert run("market", "report", "--db", url, check=False).returncode == 2
    assert run("market", "shout", "--db", url, check=False).returncode == 2
    refused = run("market", "add", "--db", url, "--as", "petrov", "--kind", "other", "--value", "x", "--client",
                  str(client.id), check=False)
    assert refused.returncode == 1 and "may not" in refused.stderr, refused.stderr
    bad = run("market", "add", "--db", url, "--as", "ivanov", "--kind", "competitor_price", check=False)
    assert bad.returncode == 1 and "competitor" in bad.stderr
