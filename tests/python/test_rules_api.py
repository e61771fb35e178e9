"""The collections bound after the first ones, and the rules' actions as methods:
leads, deals advance/lose, proposals and approvals, contracts, shipments, payments,
claims, absences, routes and visits, tasks.today and run_due."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

import salescore


@pytest.fixture
def department(clocked_engine):
    """Head Orlova with managers Ivanov and Petrova; Ivanov owns a regular and a VIP client."""
    e = clocked_engine
    head = e.users.add(login="orlova", name="Орлова", role="head")
    ivanov = e.users.add(login="ivanov", name="Иванов", role="manager", head_id=head.id)
    petrova = e.users.add(login="petrova", name="Петрова", role="manager", head_id=head.id)
    client = e.clients.add(name="ООО Ромашка", owner_id=ivanov.id, emails=["buy@romashka.ru"])
    vip = e.clients.add(name="АО Гипермаркет", owner_id=ivanov.id, tier="vip")
    return {"engine": e, "head": head, "ivanov": ivanov, "petrova": petrova, "client": client, "vip": vip}


def test_a_lead_is_assigned_touched_and_converted(department, clock):
    e, ivanov = department["engine"], department["ivanov"]
    lead = e.leads.add(channel="phone", contact_name="Анна", phone="8 916 111-22-33", request="10 коробок чая",
                       assignee_id=ivanov.id)

    assert (lead.status, lead.assignee_id, lead.phone) == ("new", ivanov.id, "+79161112233")
    assert lead.sla_due_at > lead.received_at
    assert e.leads.count(status="new") == 1
    assert [l.id for l in e.leads.find(assignee_id=ivanov.id)] == [lead.id]
    assert [l.id for l in e.leads.queue()] == [lead.id]

    touched = e.leads.touch(lead.id, "call")
    assert touched.first_action_at == clock.now()
    done = e.leads.convert(lead.id, deal_title="Чай для Анны")
    assert isinstance(done, salescore.LeadConversion)
    assert done.lead.status == "converted" and done.client_created
    assert e.deals.get(done.deal_id).title == "Чай для Анны"
    with pytest.raises(salescore.ValidationError) as bad:
        e.leads.add(channel="pigeon")
    assert "channel" in bad.value.fields


def test_deals_advance_through_gates_and_are_lost_with_a_reason(department):
    e, client = department["engine"], department["client"]
    deal = e.deals.add(client_id=client.id, title="Поставка чая")

    with pytest.raises(salescore.StageGateError) as gate:
        e.deals.advance(deal.id, "won")
    assert gate.value.missing
    lost = e.deals.lose(deal.id, "price")
    assert (lost.stage, lost.lost_reason) == ("lost", "price")
    history = e.deals.stage_history(deal.id)
    assert [v.stage for v in history] == [deal.stage, "lost"]
    assert history[0].left_at is not None and history[-1].left_at is None


def test_an_individual_proposal_waits_for_the_heads_decision(department):
    e, head, ivanov, client = department["engine"], department["head"], department["ivanov"], department["client"]
    as_ivanov, as_head = e.as_user(ivanov), e.as_user(head)
    proposal = as_ivanov.proposals.add(
        kind="individual", client_id=client.id,
        lines=[{"sku": "TEA-1", "name": "Чай", "quantity": 10, "price": "100.00", "discount_percent": "5.00"}],
        terms={"payment_terms": "prepay", "special_terms": "доставка бесплатно"})
    assert proposal.total == Decimal("950.00")

    with pytest.raises(salescore.ApprovalRequired):
        as_ivanov.proposals.send(proposal.id)
    asked = as_ivanov.proposals.request_approval(proposal.id, "клиент сравнивает с конкурентом")
    assert (asked.status, asked.approver_id) == ("pending", head.id)
    assert as_head.approvals.count(status="pending", approver_id=head.id) == 1
    with pytest.raises(salescore.AccessDenied):
        as_ivanov.approvals.decide(asked.id, True)

    decided = as_head.approvals.decide(asked.id, True, "согласовано")
    assert (decided.status, decided.decided_by) == ("approved", head.id)
    sent = as_ivanov.proposals.send(proposal.id)
    assert sent.status == "sent"
    assert as_ivanov.proposals.accept(proposal.id).status == "accepted"
    with pytest.raises(salescore.ValidationError) as bad:
        e.proposals.add(client_id=client.id, terms={"deferral_days": "many"})
    assert "terms.deferral_days" in bad.value.fields


def test_contracts_are_drafted_signed_and_terminated(department, clock):
    e, client = department["engine"], department["client"]
    contract = e.contracts.add(client_id=client.id, number="Д-1", amount="100000", valid_to=clock.now() + timedelta(days=365))

    assert contract.amount == salescore.Money(Decimal("100000.00"), "RUB")
    assert e.contracts.update(contract.id, deferral_days=10).deferral_days == 10
    signed = e.contracts.sign(contract.id)
    assert (signed.status, signed.signed_at) == ("signed", clock.now())
    assert e.contracts.count(status="signed") == 1
    assert e.contracts.terminate(contract.id, "клиент закрылся").status == "terminated"


def test_an_order_ships_and_is_paid_by_its_schedule(department, clock):
    e, client = department["engine"], department["client"]
    order = e.orders.add(client_id=client.id, number="SO-1", ordered_at=clock.now(),
                         lines=[{"sku": "TEA-1", "name": "Чай", "quantity": 10, "price": "100"}])

    shipment = e.shipments.add(order_id=order.id, planned_at=clock.now() + timedelta(days=1))
    assert shipment.status == "planned"
    assert [s.id for s in e.shipments.find(order_id=order.id)] == [shipment.id]
    assert e.shipments.count(order_id=order.id) == 1
    clock.advance(timedelta(days=1))
    assert e.shipments.ship(shipment.id).status == "shipped"
    assert e.shipments.deliver(shipment.id).status == "delivered"
    assert e.shipments.count(status="delivered") == 1 and e.shipments.count(status="planned") == 0
    assert [s.id for s in e.as_user(department["ivanov"]).shipments.find()] == [shipment.id]
    assert e.as_user(department["petrova"]).shipments.count() == 0
    with pytest.raises(salescore.ValidationError) as bad:
        e.shipments.find(status="lost")
    assert list(bad.value.fields) == ["status"]

    schedule = e.payments.set_schedule(order.id, [
        {"due_at": clock.now() + timedelta(days=10), "amount": "400"},
        {"due_at": clock.now() + timedelta(days=40), "amount": "600"},
    ])
    assert [i["amount"].amount for i in schedule.installments] == [Decimal("400.00"), Decimal("600.00")]
    paid = e.payments.add(order_id=order.id, amount="500", method="bank_transfer", reference="п/п 12")
    assert paid.amount == salescore.Money(Decimal("500.00"), "RUB") and paid.client_id == client.id
    assert e.payments.count(order_id=order.id) == 1
    after = e.payments.schedule(order.id)
    assert [i["status"] for i in after.installments] == ["paid", "open"]
    (line,) = e.payments.receivables()
    assert (line.key, line.receivable, line.overdue) == (client.id, Decimal("500.00"), Decimal("0.00"))
    with pytest.raises(salescore.ValidationError):
        e.payments.add(order_id=order.id, amount="10000")


def test_claims_are_counted_by_cause(department):
    e, client = department["engine"], department["client"]
    order = e.orders.add(client_id=client.id, number="SO-2", lines=[{"sku": "A", "quantity": 1, "price": "1"}])
    first = e.claims.add(order_id=order.id, kind="quality", description="мятые коробки")
    e.claims.update(first.id, cause="Брак упаковки", measures="заменили", status="resolved")
    second = e.claims.add(order_id=order.id, kind="quality", description="снова")
    e.claims.update(second.id, cause="брак  упаковки ")

    assert e.claims.get(first.id).status == "resolved"
    assert e.claims.count(kind="quality") == 2
    assert e.claims.count(status="open") == 1
    assert e.claims.count_by_cause() == {"Брак упаковки": 2}


def test_an_absence_gives_the_deputy_the_clients_until_cancelled(department, clock):
    e, ivanov, petrova, client = (department[k] for k in ("engine", "ivanov", "petrova", "client"))
    as_petrova = e.as_user(petrova)
    with pytest.raises(salescore.AccessDenied):
        as_petrova.clients.get(client.id)

    away = e.absences.add(user_id=ivanov.id, deputy_id=petrova.id, starts_at=clock.now(),
                          ends_at=clock.now() + timedelta(days=7), reason="trip")
    assert as_petrova.clients.get(client.id).id == client.id
    assert e.absences.count(active_at=clock.now()) == 1
    assert e.absences.cancel(away.id).cancelled
    assert e.absences.count() == 0 and e.absences.count(include_cancelled=True) == 1


def test_a_rep_visits_the_outlets_of_the_route(department, clock):
    e, ivanov, client = department["engine"], department["ivanov"], department["client"]
    e.routes.set_channel(client.id, "supermarket")
    e.routes.set_must_have("supermarket", ["TEA-1", "TEA-2"])
    weekday = clock.now().isoweekday()
    route = e.routes.set(ivanov.id, weekday, [client.id])

    assert route == salescore.Route(rep_id=ivanov.id, weekday=weekday, outlet_ids=[client.id])
    assert e.routes.plan(ivanov.id, clock.now()).outlet_ids == [client.id]
    assert e.routes.channel(client.id) == "supermarket"
    visit = e.visits.check_in(ivanov.id, client.id)
    assert visit.planned and e.visits.open_visit(ivanov.id) == visit
    seen = e.visits.record_stock(visit.id, {"TEA-1": 3})
    assert seen.stock == {"TEA-1": Decimal("3.000")} and seen.missing_must_have == ["TEA-2"]
    assert e.visits.suggest_order(visit.id).visit_id == visit.id
    assert [v.id for v in e.visits.find(rep_id=ivanov.id, open=True)] == [visit.id]
    assert e.visits.check_out(visit.id).checked_out_at == clock.now()
    assert e.visits.open_visit(ivanov.id) is None
    assert e.visits.count(open=True) == 0 and e.visits.count(outlet_id=client.id) == 1
    assert e.as_user(department["petrova"]).visits.count() == 0
    assert [v.stock for v in e.as_user(department["head"]).visits.find()] == [{"TEA-1": Decimal("3.000")}]


def test_todays_tasks_and_the_timers_that_are_due(department, clock):
    e, ivanov = department["engine"], department["ivanov"]
    e.tasks.add(title="Позвонить", assignee_id=ivanov.id, due_at=clock.now() - timedelta(hours=1))
    lead = e.leads.add(channel="web", contact_name="Борис", assignee_id=ivanov.id)

    assert e.tasks.count(assignee_id=ivanov.id, status="open") == 2
    assert e.as_user(department["petrova"]).tasks.count() == 0
    today = e.tasks.today(ivanov)
    assert [i.section for i in today][0] == "overdue"
    assert {i.reason for i in today} >= {"manual", "lead.answer"}
    assert isinstance(today[0].task, salescore.Task)
    assert e.run_due().leads_reassigned == 0
    clock.advance(timedelta(days=2))
    report = e.run_due()
    assert isinstance(report, salescore.DueReport)
    assert report.leads_reassigned + report.leads_escalated >= 1 and report.actions
    assert e.leads.get(lead.id).reassignments + int(e.leads.get(lead.id).escalated) >= 1
