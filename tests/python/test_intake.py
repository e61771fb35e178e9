"""Intake from Python: a session acting as an integration user upserts the records of its
own source by `external_id`, with the same names as the REST API; people cannot key
their records as a connector's."""

from __future__ import annotations

import pytest

import salescore


@pytest.fixture
def company(engine):
    m1 = engine.users.add(login="m1", name="Менеджер 1", role="manager")
    m2 = engine.users.add(login="m2", name="Менеджер 2", role="manager")
    shop = engine.users.add(login="shop", name="Интернет-магазин", role="integration")
    return {"m1": m1, "m2": m2, "shop": engine.as_user(shop)}


def test_an_integration_session_upserts_its_sources_orders_by_external_id(engine, company):
    shop = company["shop"]
    client = shop.clients.upsert(name="Покупатель", external_id="cust-1")
    assert client.source == "shop" and client.owner_id in (company["m1"].id, company["m2"].id)
    order = dict(external_id="web-1001", client_id=client.id, lines=[{"sku": "TEA-1", "quantity": 2, "price": "150"}])
    first = shop.orders.upsert(**order)
    again = shop.orders.upsert(**order)
    assert (first.outcome, again.outcome) == ("created", "unchanged")
    assert first.id == again.id and first.source == "shop" and first.owner_id == client.owner_id
    assert engine.orders.count(source="shop") == 1


def test_a_person_cannot_key_a_record_as_a_connectors(engine, company):
    m1 = engine.as_user(company["m1"])
    with pytest.raises(salescore.ValidationError) as refused:
        m1.clients.add(name="ООО Подделка", source="shop", external_id="cust-9")
    assert {"source", "external_id"} <= set(refused.value.fields)
    with pytest.raises(salescore.ValidationError) as refused:
        m1.clients.upsert(name="ООО Подделка", external_id="cust-9")
    assert "external_id" in refused.value.fields
