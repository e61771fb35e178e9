"""engine.kpi and engine.plans: KPIs, reports and monthly sales plans from Python."""

from __future__ import annotations

from decimal import Decimal

import pytest

import salescore


@pytest.fixture
def team(clocked_engine):
    e = clocked_engine
    head = e.users.add(login="orlova", name="Орлова", role="head")
    ivanov = e.users.add(login="ivanov", name="Иванов", role="manager", head_id=head.id)
    client = e.clients.add(name="Ромашка", owner_id=ivanov.id)
    return e, head, ivanov, client


def test_revenue_against_the_plan(team, start):
    e, head, ivanov, client = team
    month = start.strftime("%Y-%m")
    e.as_user(head).plans.set(ivanov, month, "1000")
    e.orders.add(client_id=client.id, number="SO-1", owner_id=ivanov.id, ordered_at=start,
                 lines=[{"sku": "TEA", "quantity": 2, "price": "125"}])

    revenue = e.kpi.get("orders.revenue", user=ivanov, period=month)
    assert (revenue.unit, revenue.value) == ("money", Decimal("250.00"))
    fulfilment = e.kpi.get("plan.fulfilment", user=ivanov, period=month)
    assert (fulfilment.unit, fulfilment.value) == ("bp", 2500)
    assert e.plans.get(ivanov, month).amount == salescore.Money(Decimal("1000.00"), "RUB")
    assert [k.id for k in e.kpi.all(team=head, period=month)] == [k["id"] for k in e.kpi.catalog()]

    report = e.kpi.report(month)
    assert report.kind == "monthly" and report.period == month
    assert report.total["revenue"] == Decimal("250.00") and report.total["orders"] == 1


def test_a_manager_reads_only_their_own_figures(team, start):
    e, head, ivanov, _ = team
    month = start.strftime("%Y-%m")
    with pytest.raises(salescore.AccessDenied):
        e.as_user(ivanov).kpi.get("orders.revenue", team=head, period=month)
    with pytest.raises(salescore.AccessDenied):
        e.as_user(ivanov).plans.set(ivanov, month, "1")


def test_bad_periods_and_targets_are_named(team):
    e, head, ivanov, _ = team
    with pytest.raises(salescore.ValidationError) as bad:
        e.kpi.get("orders.revenue", period="October")
    assert "period" in bad.value.fields
    with pytest.raises(salescore.ValidationError) as bad:
        e.kpi.get("orders.revenue", user=ivanov, team=head, period="2026-10")
    assert "team" in bad.value.fields
    with pytest.raises(salescore.ValidationError) as bad:
        e.kpi.report("2026-Q4")
    assert list(bad.value.fields) == ["period"]
