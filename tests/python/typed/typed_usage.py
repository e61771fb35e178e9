"""Typed use of the salescore API, checked with mypy (tests/python/test_typing.py): the
stubs' keyword parameters let an editor complete them and mypy flag a wrong name or type.
It also runs (the test executes it on an in-memory engine), so it stays true code."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

import salescore


def a_week_of_selling(engine: salescore.Engine) -> Decimal:
    head = engine.users.add(login="head.t", name="Руководитель", role="head")
    manager = engine.users.add(login="manager.t", name="Менеджер", role="manager", head_id=head.id)
    client = engine.clients.add(name="ООО «Ромашка»", inn="7707083893", phones=["+74951234567"],
                                emails=["zakupki@romashka.ru"], tier="vip", owner_id=manager.id,
                                custom={"region": "Москва"})
    client = engine.clients.update(client.id, notes="звонить до обеда")
    contact = engine.contacts.add(client_id=client.id, name="Анна Петрова", role="закупки")
    engine.contacts.update(contact.id, phones=["+74957654321"])
    engine.products.add(sku="PAINT-10", name="Краска белая 10 л", prices={"wholesale": "1200.00"},
                        stock=Decimal("12"), group="Краски")
    deal = engine.deals.add(client_id=client.id, title="Поставка красок", expected_amount="150000.00",
                            currency="RUB", owner_id=manager.id,
                            expected_close=datetime(2030, 1, 31, tzinfo=timezone.utc))
    engine.deals.update(deal.id, title="Поставка красок на год")
    order = engine.orders.add(client_id=client.id, deal_id=deal.id, owner_id=manager.id, number="З-1",
                              lines=[{"sku": "PAINT-10", "quantity": 3, "price": "1200.00"}])
    engine.payments.add(order_id=order.id, amount=Decimal("1000.00"), reference="п/п 1")
    task = engine.tasks.add(title="Позвонить по счёту", assignee_id=manager.id, client_id=client.id,
                            due_at="2030-01-10T09:00:00+03:00")
    engine.tasks.update(task.id, status="done")
    engine.interactions.add(kind="call", client_id=client.id, user_id=manager.id, duration_s=120)
    engine.leads.add(channel="web", contact_name="Сергей", phone="+79161234567", concrete=True)
    engine.absences.add(user_id=manager.id, deputy_id=head.id, starts_at="2030-02-01T00:00:00Z",
                        ends_at="2030-02-05T00:00:00Z", reason="leave")
    shipment = engine.shipments.add(order_id=order.id, planned_at="2030-01-10")
    shipped: list[salescore.ShippedLine] = engine.shipments.set_lines(shipment.id, [{"line": 1, "quantity": 2}])
    left: Decimal = engine.orders.to_ship(order.id).lines[0].remaining
    assert shipped[0].quantity + left == Decimal(3)
    contract = engine.contracts.add(client_id=client.id, number="Д-1")
    assert engine.contracts.set_orders(contract.id, [order.id]) == [order.id]
    assert engine.orders.contract(order.id) == contract.id
    open_deals = [d.title for d in engine.deals.find(client_id=client.id, owner_id=manager.id)]
    assert open_deals == ["Поставка красок на год"]
    return sum((o.total for o in engine.orders.find(client_id=client.id)), Decimal(0))


if __name__ == "__main__":
    with salescore.open("sqlite::memory:") as e:
        print(a_week_of_selling(e))
