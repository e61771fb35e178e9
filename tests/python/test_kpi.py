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


def test_a_table_by_user_and_by_month_is_each_figure_read_alone(team, start):
    e, head, ivanov, client = team
    petrov = e.users.add(login="petrov", name="Петров", role="manager", head_id=head.id)
    other = e.clients.add(name="Василёк", owner_id=petrov.id)
    month = start.strftime("%Y-%m")
    e.orders.add(client_id=client.id, number="SO-1", owner_id=ivanov.id, ordered_at=start,
                 lines=[{"sku": "TEA", "quantity": 2, "price": "125"}])
    e.orders.add(client_id=other.id, number="SO-2", owner_id=petrov.id, ordered_at=start,
                 lines=[{"sku": "TEA", "quantity": 1, "price": "40"}])
    ids = ["orders.revenue", "orders.count"]
    table = e.as_user(head).kpi.table(ids, team=head, period=month, by="user")
    assert isinstance(table, salescore.KpiTable) and table.by == "user"
    assert [r.label for r in table.rows] == ["Иванов", "Орлова", "Петров"]
    for row in table.rows:
        assert [v.id for v in row.values] == ids
        for v in row.values:
            assert v.value == e.kpi.get(v.id, user=row.user_id, period=month).value, (row.label, v.id)
    assert table.total[0].value == Decimal("290.00") and table.total[1].value == 2

    by_month = e.kpi.table(["orders.count"], period=start.strftime("%Y-01-01..%Y-12-31"), by="month")
    assert [r.label for r in by_month.rows] == [f"{start.year}-{m:02d}" for m in range(1, 13)]
    assert sum(r.values[0].value for r in by_month.rows) == by_month.total[0].value == 2

    assert e.kpi.table(period=month).rows == [] and len(e.kpi.table(period=month).total) == len(e.kpi.catalog())
    with pytest.raises(salescore.AccessDenied):
        e.as_user(ivanov).kpi.table(ids, team=head, period=month, by="user")
    with pytest.raises(salescore.ValidationError) as bad:
        e.kpi.table(ids, period=month, by="week")
    assert "by" in bad.value.fields
    with pytest.raises(salescore.ValidationError) as bad:
        e.kpi.table(["orders.magic"], period=month)
    assert "kpi" in bad.value.fields
