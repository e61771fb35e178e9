"""The clock jumping (issue 23, docs/reliability.md): a day forward, then an hour back and
forward again. Every timer of the sales rules (`run_due`) fires once for the day it
missed, not once per missed minute, and nothing fires a second time when the clock comes
back over time it has already seen. The engine's Clock is a ManualClock here: the jump
is the same one an administrator's `date -s` or an NTP step makes on SystemClock."""
from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest

# The timers of run_due and the event each writes when it fires.
TIMERS = {
    "leads_reassigned": "lead.sla_breached",
    "approvals_escalated": "approval.escalated",
    "contracts_expired": "contract.expired",
    "installments_overdue": "installment.overdue",
    "overdue_tasks_reported": "task.overdue_while_away",
}


def fired(report) -> dict[str, int]:
    return {name: getattr(report, name) for name in TIMERS}


@pytest.fixture
def company(clocked_engine, clock, start):
    """One of every timer, each due within the next day."""
    e = clocked_engine
    e.users.add(login="orlov", name="Орлов", role="director")  # an escalated approval goes to him
    head = e.users.add(login="orlova", name="Орлова", role="head")
    ivanov = e.users.add(login="ivanov", name="Иванов", role="manager", head_id=head.id)
    petrova = e.users.add(login="petrova", name="Петрова", role="manager", head_id=head.id)
    client = e.clients.add(name="ООО Ромашка", owner_id=ivanov.id)
    as_ivanov = e.as_user(ivanov)
    # A lead nobody answers: its SLA (minutes) passes.
    e.leads.add(channel="web", contact_name="Борис", assignee_id=ivanov.id)
    # A discount nobody decides: it goes up a level after escalate_after_hours (24).
    proposal = as_ivanov.proposals.add(
        kind="individual", client_id=client.id,
        lines=[{"sku": "TEA-1", "name": "Чай", "quantity": 10, "price": "100.00", "discount_bp": 500}])
    as_ivanov.proposals.request_approval(proposal.id, "клиент сравнивает с конкурентом")
    # A contract valid for twelve hours.
    contract = e.contracts.add(client_id=client.id, number="Д-1", amount="1000",
                               valid_to=start + timedelta(hours=12))
    e.contracts.sign(contract.id)
    # An installment due in twenty hours (its day-before reminder is due at once).
    order = e.orders.add(client_id=client.id, number="SO-1", ordered_at=start,
                         lines=[{"sku": "TEA", "name": "Чай", "quantity": 1, "price": "100"}])
    e.payments.set_schedule(order.id, [{"due_at": start + timedelta(hours=20), "amount": "100"}])
    # A task that falls overdue in an hour while its manager is away.
    e.tasks.add(title="Перезвонить", assignee_id=ivanov.id, client_id=client.id,
                due_at=start + timedelta(hours=1))
    e.absences.add(user_id=ivanov.id, deputy_id=petrova.id, starts_at=start,
                   ends_at=start + timedelta(days=5), reason="sickness")
    return e


def event_counts(e) -> Counter:
    return Counter(event.type for event in e.events.since(0, limit=10_000))


def test_a_day_forward_fires_every_timer_once_and_an_hour_back_fires_nothing_again(company, clock):
    e = company
    assert sum(fired(e.run_due()).values()) == 0, "nothing is due yet but the day-before reminder"
    before = event_counts(e)

    clock.advance(timedelta(days=1))
    day = fired(e.run_due())
    assert day == {name: 1 for name in TIMERS}, day
    after_day = event_counts(e)
    for event_type in TIMERS.values():
        assert after_day[event_type] - before[event_type] == 1, (event_type, after_day)
    assert e.run_due().actions == [], "the same instant again: nothing"

    # Back an hour: every timer already fired for the time it comes back over.
    clock.advance(timedelta(hours=-1))
    assert e.run_due().actions == []
    # And forward over that hour again: still nothing a second time.
    for _ in range(4):
        clock.advance(timedelta(minutes=15))
        assert e.run_due().actions == []
    assert event_counts(e) == after_day


def test_the_clock_stepping_back_before_a_timer_then_past_it_fires_it_once(company, clock):
    e = company
    e.run_due()
    clock.advance(timedelta(hours=13))  # past the contract's validity only (and the task's, the lead's)
    first = fired(e.run_due())
    assert first["contracts_expired"] == 1 and first["approvals_escalated"] == 0, first
    clock.advance(timedelta(hours=-2))  # back before the contract's end
    assert e.run_due().contracts_expired == 0, "an expired contract does not come back to life"
    clock.advance(timedelta(days=1))
    second = fired(e.run_due())
    assert second["contracts_expired"] == 0 and second["approvals_escalated"] == 1, second
    counts = event_counts(e)
    assert counts["contract.expired"] == 1 and counts["approval.escalated"] == 1, counts
