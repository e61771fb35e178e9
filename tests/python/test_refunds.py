"""Refunds of orders from Python (crm.orders.refund / refunds): the engine's rules hold
here as in C++ (what is left to refund, one refund per reference, the order's access),
and a refund lowers the sales KPIs in its own period."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

import pytest

import salescore
from test_api import SALESCORE_BIN, Api, cli, start_server, stop_server


def _company(e):
    head = e.users.add(login="orlova", name="Орлова", role="head")
    anna = e.users.add(login="anna", name="Анна", role="manager", head_id=head.id)
    boris = e.users.add(login="boris", name="Борис", role="manager")
    client = e.clients.add(name="Ромашка", owner_id=anna.id)
    order = e.orders.add(client_id=client.id, owner_id=anna.id, ordered_at="2026-11-02T10:00:00Z",
                         lines=[{"sku": "SUGAR-50", "quantity": "10", "price": "100.00"}])
    return head, anna, boris, order


def test_a_partial_refund_is_kept_and_lowers_revenue_in_its_period():
    clock = salescore.ManualClock(datetime(2026, 12, 7, 12, 0, tzinfo=timezone.utc))
    with salescore.open("sqlite::memory:", clock=clock) as e:
        head, anna, boris, order = _company(e)
        me = e.as_user(anna)
        refund = me.orders.refund(order.id, "250.00", reference="credit-note-7", reason="damaged bags")
        assert isinstance(refund, salescore.Refund) and refund.outcome == "created"
        assert refund.amount == salescore.Money(Decimal("250.00"), "RUB")
        assert (refund.order_id, refund.reference, refund.recorded_by) == (order.id, "credit-note-7", anna.id)
        again = me.orders.refund(order.id, "250.00", reference="credit-note-7")
        assert again.outcome == "unchanged" and again.id == refund.id

        listed = e.as_user(head).orders.refunds(order.id)
        assert isinstance(listed, salescore.OrderRefunds)
        assert (listed.total, listed.refunded, listed.left) == (Decimal("1000.00"), Decimal("250.00"),
                                                                Decimal("750.00"))
        assert [r.id for r in listed.refunds] == [refund.id]

        assert e.kpi.get("orders.revenue", user=anna, period="2026-11").value == Decimal("1000.00")
        assert e.kpi.get("orders.revenue", user=anna, period="2026-12").value == Decimal("-250.00")
        assert e.kpi.get("orders.count", user=anna, period="2026-Q4").value == 1


def test_an_over_refund_a_reused_reference_and_another_manager_are_refused():
    with salescore.open("sqlite::memory:") as e:
        head, anna, boris, order = _company(e)
        me = e.as_user(anna)
        me.orders.refund(order.id, "800.00", reference="r1")
        with pytest.raises(salescore.ValidationError) as over:
            me.orders.refund(order.id, "300.00", reference="r2")
        text = str(over.value)
        assert f"order {order.number}" in text and "300.00" in text and "200.00" in text, text
        assert "amount" in over.value.fields
        with pytest.raises(salescore.FailedPrecondition):
            me.orders.refund(order.id, "10.00", reference="r1")
        with pytest.raises(salescore.ValidationError) as usd:
            me.orders.refund(order.id, salescore.Money(Decimal("1.00"), "USD"), reference="r3")
        assert "currency" in usd.value.fields
        with pytest.raises(salescore.AccessDenied):
            e.as_user(boris).orders.refund(order.id, "1.00", reference="b")
        with pytest.raises(salescore.AccessDenied):
            e.as_user(boris).orders.refunds(order.id)
        assert me.orders.refunds(order.id).refunded == Decimal("800.00")



@pytest.mark.skipif(not SALESCORE_BIN, reason="SALESCORE_BIN does not name the salescore executable")
def test_refunds_over_rest_follow_the_same_rules(tmp_path):
    url = f"sqlite:{tmp_path / 'crm.db'}"
    with salescore.open(url) as e:
        _, anna, boris, order = _company(e)
    token = cli("token", "create", "--db", url, "--user", "anna", "--name", "t").stdout.strip()
    other = cli("token", "create", "--db", url, "--user", "boris", "--name", "t").stdout.strip()
    base, proc = start_server(url)
    try:
        api = Api(base)
        path = f"/api/v1/orders/{order.id}/refunds"
        status, refund, _ = api.call("POST", path, token=token, body={"amount": "400.00", "reference": "КН-1",
                                                                      "reason": "брак"})
        assert status == 201 and refund["amount"] == "400.00" and refund["currency"] == "RUB", refund
        status, again, _ = api.call("POST", path, token=token, body={"amount": "400.00", "reference": "КН-1"})
        assert status == 201 and again["id"] == refund["id"]
        status, over, _ = api.call("POST", path, token=token, body={"amount": "700.00", "reference": "КН-2"})
        assert status == 400 and "600.00" in over["error"]["message"] and "amount" in over["error"]["fields"], over
        status, reused, _ = api.call("POST", path, token=token, body={"amount": "1.00", "reference": "КН-1"})
        assert status == 422 and "reference" in reused["error"]["fields"], reused
        status, missing, _ = api.call("POST", path, token=token, body={"amount": "1.00"})
        assert status == 400 and "reference" in missing["error"]["fields"], missing
        assert api.call("POST", path, token=other, body={"amount": "1.00", "reference": "b"})[0] == 403
        assert api.call("GET", path, token=other)[0] == 403
        status, listed, _ = api.call("GET", path, token=token)
        assert status == 200 and (listed["refunded"], listed["left"]) == ("400.00", "600.00"), listed
        assert [r["reference"] for r in listed["refunds"]] == ["КН-1"]
    finally:
        stop_server(proc)
