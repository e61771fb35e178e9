"""Orders, their lines and totals: money is Decimal and adds up to the kopeck."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

import pytest

import salescore


@pytest.fixture
def client(engine):
    return engine.clients.add(name="Ромашка")


def test_an_order_computes_line_amounts_and_total_as_decimals(engine, client):
    engine.products.add(sku="TEA-100", name="Чай 100 г", prices={"retail": Decimal("250.00")})

    order = engine.orders.add(
        number="A-1",
        client_id=client.id,
        lines=[
            {"sku": "TEA-100", "quantity": 3, "price": Decimal("250.00"), "discount": "50"},
            {"sku": "CHEESE", "name": "Сыр, кг", "quantity": Decimal("0.25"), "price": "999.90"},
        ],
    )

    assert [line["amount"] for line in order.lines] == [Decimal("700.00"), Decimal("249.98")]
    assert order.total == Decimal("949.98")
    assert isinstance(order.total, Decimal)
    assert order.lines[0]["product_id"] == engine.products.by_sku("TEA-100").id
    assert order.lines[1]["product_id"] is None
    assert order.lines[1]["quantity"] == Decimal("0.25")
    assert order.currency == "RUB"
    assert order.status == "new"
    assert engine.orders.get(order.id) == order


def test_a_float_price_is_taken_only_when_it_is_exact_to_the_kopeck(engine, client):
    order = engine.orders.add(number="A-2", client_id=client.id, lines=[{"sku": "X", "quantity": 1, "price": 99.9}])
    assert order.total == Decimal("99.90")

    with pytest.raises(salescore.ValidationError) as raised:
        engine.orders.add(number="A-3", client_id=client.id, lines=[{"sku": "X", "quantity": 1, "price": 0.1 + 0.2}])
    assert list(raised.value.fields) == ["lines[0].price"]
    assert "0.30000000000000004" in raised.value.fields["lines[0].price"]


def test_bad_lines_are_reported_by_position(engine, client):
    with pytest.raises(salescore.ValidationError) as raised:
        engine.orders.add(
            number="A-4",
            client_id=client.id,
            lines=[{"sku": "X", "quantity": "two", "price": 1}, "not a line", {"sku": "Y", "qty": 1}],
        )

    assert set(raised.value.fields) == {"lines[0].quantity", "lines[1]", "lines[2].qty"}


def test_replacing_lines_recomputes_the_total_and_lines_read_back_can_be_written_back(engine, client):
    order = engine.orders.add(number="A-5", client_id=client.id, lines=[{"sku": "X", "quantity": 2, "price": "10.00"}])

    more = engine.orders.update(order.id, lines=order.lines + [{"sku": "Y", "quantity": 1, "price": "5.50"}])

    assert more.total == Decimal("25.50")
    assert [line["sku"] for line in more.lines] == ["X", "Y"]


def test_orders_are_found_by_client_status_and_period(engine, client):
    other = engine.clients.add(name="Лютик")
    march = datetime(2026, 3, 10, tzinfo=timezone.utc)
    april = datetime(2026, 4, 10, tzinfo=timezone.utc)
    o1 = engine.orders.add(number="1", client_id=client.id, ordered_at=march)
    o2 = engine.orders.add(number="2", client_id=client.id, ordered_at=april, status="confirmed")
    engine.orders.add(number="3", client_id=other.id, ordered_at=april)

    assert [o.id for o in engine.orders.find(client_id=client.id)] == [o1.id, o2.id]
    assert [o.id for o in engine.orders.find(status="confirmed")] == [o2.id]
    assert [o.number for o in engine.orders.find(since="2026-04-01", until="2026-05-01")] == ["2", "3"]
    assert engine.orders.count(client_id=client.id) == 2


def test_upserting_a_web_shop_order_twice_keeps_one_order(engine, client):
    fields = dict(number="WEB-77", client_id=client.id, source="webshop", external_id="77",
                  lines=[{"sku": "X", "quantity": 1, "price": "100"}])

    first = engine.orders.upsert(**fields)
    again = engine.orders.upsert(**fields)

    assert (first.outcome, again.outcome) == ("created", "unchanged")
    assert engine.orders.count(source="webshop") == 1


def test_product_prices_take_the_engine_currency_unless_one_is_given(engine):
    product = engine.products.add(
        sku="TEA-100", name="Чай", prices={"retail": Decimal("10.00"), "export": ("12.5", "USD")}
    )

    assert product.prices == {
        "retail": salescore.Money(Decimal("10.00"), "RUB"),
        "export": salescore.Money(Decimal("12.50"), "USD"),
    }
    assert product.prices["retail"].amount == Decimal("10.00")


def test_a_deal_keeps_its_amount_and_currency(engine, client):
    deal = engine.deals.add(client_id=client.id, title="Поставка чая", expected_amount="150000", currency="EUR")

    assert (deal.expected_amount, deal.currency) == (Decimal("150000.00"), "EUR")
    assert deal.stage == "new"
    assert [d.id for d in engine.deals.find(client_id=client.id)] == [deal.id]
