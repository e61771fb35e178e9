"""Partial shipments and the orders a contract covers, from Python and over REST: the
same rules (what remains to ship per line, a shipment of more than remains refused
naming the line, one contract per order) and the same access on both surfaces."""

from __future__ import annotations

from decimal import Decimal

import pytest

import salescore
from test_api import SALESCORE_BIN, Api, cli, start_server, stop_server


def _company(e):
    head = e.users.add(login="orlova", name="Орлова", role="head")
    anna = e.users.add(login="anna", name="Анна", role="manager", head_id=head.id)
    boris = e.users.add(login="boris", name="Борис", role="manager")
    client = e.clients.add(name="Ромашка", owner_id=anna.id)
    order = e.orders.add(client_id=client.id, owner_id=anna.id, lines=[
        {"sku": "SUGAR-50", "quantity": "10", "price": "100.00"},
        {"sku": "TEA-100", "quantity": "2.5", "price": "40.00"}])
    return head, anna, boris, client, order


def test_a_partial_shipment_leaves_the_rest_to_ship():
    with salescore.open("sqlite::memory:") as e:
        head, anna, boris, client, order = _company(e)
        me = e.as_user(anna)
        first = me.shipments.add(order_id=order.id, planned_at="2030-01-10")
        lines = me.shipments.set_lines(first.id, [{"line": 1, "quantity": 6}, {"sku": "TEA-100", "quantity": "2.5"}])
        assert lines == [salescore.ShippedLine(line=1, sku="SUGAR-50", quantity=Decimal("6")),
                         salescore.ShippedLine(line=2, sku="TEA-100", quantity=Decimal("2.5"))]
        assert me.shipments.lines(first.id) == lines
        me.shipments.ship(first.id)

        left = me.orders.to_ship(order.id)
        assert isinstance(left, salescore.OrderToShip) and not left.complete
        sugar = left.lines[0]
        assert (sugar.ordered, sugar.shipped, sugar.planned, sugar.remaining) == (
            Decimal("10"), Decimal("6"), Decimal("0"), Decimal("4"))
        assert left.lines[1].remaining == Decimal("0")

        second = me.shipments.add(order_id=order.id, planned_at="2030-01-12")
        with pytest.raises(salescore.ValidationError) as too_much:
            me.shipments.set_lines(second.id, [{"line": 1, "quantity": 5}])
        assert "line 1 (SUGAR-50)" in str(too_much.value) and "4 left to ship" in str(too_much.value)
        assert "lines[0].quantity" in too_much.value.fields
        assert me.shipments.lines(second.id) == []

        with pytest.raises(salescore.AccessDenied):
            e.as_user(boris).orders.to_ship(order.id)
        with pytest.raises(salescore.AccessDenied):
            e.as_user(boris).shipments.set_lines(second.id, [{"line": 1, "quantity": 1}])
        assert e.as_user(head).orders.to_ship(order.id) == left


def test_a_contract_names_the_orders_it_covers():
    with salescore.open("sqlite::memory:") as e:
        _, anna, boris, client, order = _company(e)
        me = e.as_user(anna)
        contract = me.contracts.add(client_id=client.id, number="Д-1")
        assert me.contracts.set_orders(contract.id, [order.id]) == [order.id]
        assert me.contracts.orders(contract.id) == [order.id]
        assert me.orders.contract(order.id) == contract.id
        other = me.contracts.add(client_id=client.id, number="Д-2")
        with pytest.raises(salescore.ValidationError) as taken:
            me.contracts.set_orders(other.id, [order.id])
        assert f"covered by contract {contract.id}" in str(taken.value)
        with pytest.raises(salescore.AccessDenied):
            e.as_user(boris).contracts.set_orders(contract.id, [])
        assert me.contracts.set_orders(contract.id, []) == []
        assert me.orders.contract(order.id) is None


@pytest.mark.skipif(not SALESCORE_BIN, reason="SALESCORE_BIN does not name the salescore executable")
def test_the_same_rules_hold_over_rest(tmp_path):
    url = f"sqlite:{tmp_path / 'crm.db'}"
    with salescore.open(url) as e:
        _, anna, boris, client, order = _company(e)
        shipment = e.shipments.add(order_id=order.id, planned_at="2030-01-10")
        contract = e.contracts.add(client_id=client.id, number="Д-1")
    token = cli("token", "create", "--db", url, "--user", "anna", "--name", "t").stdout.strip()
    other = cli("token", "create", "--db", url, "--user", "boris", "--name", "t").stdout.strip()
    base, proc = start_server(url)
    try:
        api = Api(base)
        status, reply, _ = api.call("POST", f"/api/v1/shipments/{shipment.id}/lines", token=token,
                                    body={"lines": [{"line": 1, "quantity": "11"}]})
        assert status == 400 and "line 1 (SUGAR-50)" in reply["error"]["message"], reply
        assert "lines[0].quantity" in reply["error"]["fields"]
        status, reply, _ = api.call("POST", f"/api/v1/shipments/{shipment.id}/lines", token=token,
                                    body={"lines": [{"sku": "SUGAR-50", "quantity": 7}]})
        assert status == 200 and reply == {"shipment_id": shipment.id,
                                           "lines": [{"line": 1, "sku": "SUGAR-50", "quantity": "7"}]}, reply
        status, reply, _ = api.call("GET", f"/api/v1/orders/{order.id}/to-ship", token=token)
        assert status == 200 and reply["lines"][0]["planned"] == "7" and reply["lines"][0]["remaining"] == "3"
        assert api.call("GET", f"/api/v1/orders/{order.id}/to-ship", token=other)[0] == 403

        status, reply, _ = api.call("POST", f"/api/v1/contracts/{contract.id}/orders", token=token,
                                    body={"order_ids": [order.id]})
        assert status == 200 and reply == {"contract_id": contract.id, "order_ids": [order.id]}, reply
        status, reply, _ = api.call("GET", f"/api/v1/orders/{order.id}/contract", token=token)
        assert reply == {"order_id": order.id, "contract_id": contract.id}
        assert api.call("POST", f"/api/v1/contracts/{contract.id}/orders", token=other,
                        body={"order_ids": []})[0] == 403
        status, reply, _ = api.call("POST", f"/api/v1/contracts/{contract.id}/orders", token=token,
                                    body={"order_ids": "x"})
        assert status == 400 and "order_ids" in reply["error"]["fields"]
    finally:
        stop_server(proc)
