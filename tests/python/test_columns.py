"""Fast data out: to_numpy / to_pandas built in C++, and streaming exports."""

from __future__ import annotations

import csv
import json
from datetime import datetime, timedelta, timezone

import numpy as np
import pandas as pd
import pytest

import salescore


@pytest.fixture
def sales(engine, start):
    manager = engine.users.add(login="ivanov", name="Иванов", role="manager")
    a = engine.clients.add(name="Ромашка", owner_id=manager.id)
    b = engine.clients.add(name="Лютик")
    orders = [
        engine.orders.add(client_id=a.id, number="SO-1", ordered_at=start, owner_id=manager.id,
                          lines=[{"sku": "TEA", "quantity": 2, "price": "150.50"}]),
        engine.orders.add(client_id=b.id, number="SO-2", ordered_at=start + timedelta(days=1),
                          lines=[{"sku": "TEA", "quantity": 1, "price": "10"}]),
        engine.orders.add(client_id=a.id, number="SO-3", ordered_at=start + timedelta(days=2), status="confirmed",
                          lines=[{"sku": "TEA", "quantity": 1, "price": "99.99"}]),
    ]
    return manager, a, b, orders


def test_orders_come_as_numpy_columns(engine, sales, start):
    manager, a, b, orders = sales
    cols = engine.orders.to_numpy()

    assert cols["id"].dtype == np.int64 and cols["id"].tolist() == [o.id for o in orders]
    assert cols["number"].dtype == object and cols["number"].tolist() == ["SO-1", "SO-2", "SO-3"]
    assert cols["total_minor"].tolist() == [30100, 1000, 9999]
    assert cols["ordered_at"].dtype == np.dtype("datetime64[ms]")
    assert cols["ordered_at"][1] == np.datetime64(start.replace(tzinfo=None) + timedelta(days=1), "ms")
    assert isinstance(cols["owner_id"], np.ma.MaskedArray)
    assert cols["owner_id"].mask.tolist() == [False, True, False]
    assert cols["status"].tolist() == ["new", "new", "confirmed"]


def test_to_pandas_takes_the_find_filters(engine, sales, start):
    manager, a, _, orders = sales
    frame = engine.orders.to_pandas(client_id=a.id)

    assert frame["number"].tolist() == ["SO-1", "SO-3"]
    assert str(frame["owner_id"].dtype) == "Int64"
    assert frame["ordered_at"].iloc[0] == pd.Timestamp(start)
    assert str(frame["ordered_at"].dt.tz) == "UTC"
    assert engine.orders.to_pandas(since=start + timedelta(days=2))["number"].tolist() == ["SO-3"]
    with pytest.raises(salescore.ValidationError) as bad:
        engine.orders.to_pandas(colour="red")
    assert "colour" in bad.value.fields


def test_columns_follow_the_acting_users_scope(engine, sales):
    manager, a, b, _ = sales
    assert engine.as_user(manager).orders.to_pandas()["client_id"].tolist() == [a.id, a.id]
    assert engine.as_user(manager).clients.to_numpy()["name"].tolist() == ["Ромашка"]


def test_clients_interactions_and_payments_read_as_columns(engine, sales, start):
    manager, a, b, orders = sales
    engine.interactions.add(kind="call", direction="inbound", occurred_at=start, client_id=a.id,
                            user_id=manager.id, duration_s=65, subject="заказ")
    engine.payments.add(order_id=orders[0].id, amount="100", method="cash", received_at=start)

    clients = engine.clients.to_pandas()
    assert clients["name"].tolist() == ["Ромашка", "Лютик"] and clients["tier"].tolist() == ["regular"] * 2
    assert engine.interactions.count(kind="call") == 1 and engine.interactions.count(kind="email") == 0
    calls = engine.interactions.to_pandas()
    assert (calls["kind"].tolist(), calls["duration_s"].tolist()) == (["call"], [65])
    assert calls["contact_id"].isna().tolist() == [True]
    pays = engine.payments.to_numpy()
    assert (pays["amount_minor"].tolist(), pays["currency"].tolist()) == ([10000], ["RUB"])


def test_an_empty_table_gives_empty_columns(engine):
    frame = engine.orders.to_pandas()
    assert len(frame) == 0 and "total_minor" in frame.columns


def test_export_streams_csv_and_jsonl(engine, sales, tmp_path, start, monkeypatch):
    monkeypatch.setattr("salescore._columns._EXPORT_CHUNK", 2)  # several chunks from three rows
    _, a, _, orders = sales

    assert engine.export("orders", tmp_path / "o.csv") == 3
    with open(tmp_path / "o.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["number"] for r in rows] == ["SO-1", "SO-2", "SO-3"]
    # The units of REST and `salescore export`: decimal money beside its currency, ISO
    # 8601 UTC with milliseconds and Z.
    assert rows[1]["owner_id"] == "" and (rows[0]["total"], rows[0]["currency"]) == ("301.00", "RUB")
    assert rows[0]["ordered_at"].endswith(".000Z")
    assert datetime.fromisoformat(rows[0]["ordered_at"]) == start

    assert engine.export("orders", tmp_path / "o.jsonl", format="jsonl", client_id=a.id) == 2
    lines = [json.loads(line) for line in (tmp_path / "o.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [x["number"] for x in lines] == ["SO-1", "SO-3"] and lines[0]["deal_id"] is None


def test_export_shows_progress_only_when_asked_or_on_a_terminal(engine, sales, tmp_path, capsys):
    engine.export("clients", tmp_path / "c.csv", progress=True)
    assert "export clients" in capsys.readouterr().err
    engine.export("clients", tmp_path / "c.csv")
    assert capsys.readouterr().err == ""


def test_export_refuses_what_it_cannot_write(engine, tmp_path):
    with pytest.raises(salescore.ValidationError) as bad:
        engine.export("quotes", tmp_path / "d.csv")
    assert list(bad.value.fields) == ["entity"]
    with pytest.raises(salescore.ValidationError) as bad:
        engine.export("orders", tmp_path / "o.xml", format="xml")
    assert list(bad.value.fields) == ["format"]
