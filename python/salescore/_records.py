"""The records salescore hands back: frozen snapshots with attributes and to_dict().

A record is what the engine held when the call returned; changing the database goes
through the collection (``engine.clients.update(client.id, ...)``), never through the
record. Money amounts and quantities are Decimal, instants aware UTC datetimes,
enumerations lower-case strings, an absent reference None.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, NamedTuple


class Money(NamedTuple):
    """An amount in a currency: ``Money(Decimal("10.00"), "RUB")``. Being a tuple, a
    plain ``("10.00", "RUB")`` is accepted wherever Money is."""

    amount: Decimal
    currency: str


_WRITE_RESULT = {"write_result": True}


@functools.cache
def _content_fields(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls) if not f.metadata.get("write_result"))


@dataclass(frozen=True, slots=True, kw_only=True)
class Record:
    """Base of all records."""

    def to_dict(self) -> dict[str, Any]:
        """The record's fields by name, as the engine stores them."""
        return {name: getattr(self, name) for name in _content_fields(type(self))}


@dataclass(frozen=True, slots=True, kw_only=True)
class _Written(Record):
    # What the write that returned this record did: "created", "updated" or "unchanged"
    # (an upsert that found the record identical). None on a record that was read.
    outcome: str | None = dataclasses.field(default=None, compare=False, repr=False, metadata=_WRITE_RESULT)

    @classmethod
    def _from_write(cls, fields: dict[str, Any], outcome: str, possible_duplicates: list[int]) -> Any:
        return cls(**fields, outcome=outcome)


@dataclass(frozen=True, slots=True, kw_only=True)
class User(_Written):
    id: int
    login: str
    name: str
    role: str
    manager_id: int | None
    head_id: int | None
    active: bool
    created_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class Client(_Written):
    id: int
    name: str
    legal_form: str
    inn: str
    kpp: str
    addresses: list[dict[str, str]]
    phones: list[str]
    emails: list[str]
    price_type: str
    payment_terms: str
    shipping_terms: str
    tier: str
    owner_id: int | None
    assistant_id: int | None
    notes: str
    custom: dict[str, str]
    source: str
    external_id: str
    created_at: datetime
    updated_at: datetime
    # The segment the rule last recorded (new, hot, warm, cooling, sleeping); None until
    # run_due or an order first classifies the client. Read-only.
    segment: str | None = None
    # Ids of other clients sharing a phone, email or INN with this one, reported by a
    # create or update. Reported, not refused: two branches may share an INN.
    possible_duplicates: list[int] = dataclasses.field(
        default_factory=list, compare=False, repr=False, metadata=_WRITE_RESULT
    )

    @classmethod
    def _from_write(cls, fields: dict[str, Any], outcome: str, possible_duplicates: list[int]) -> Client:
        return cls(**fields, outcome=outcome, possible_duplicates=possible_duplicates)


@dataclass(frozen=True, slots=True, kw_only=True)
class Contact(_Written):
    id: int
    client_id: int
    name: str
    role: str
    phones: list[str]
    emails: list[str]
    notes: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class Product(_Written):
    id: int
    sku: str
    name: str
    unit: str
    prices: dict[str, Money]
    stock: Decimal
    active: bool
    # where the supplier's catalog files it ("Tools / Drills") and its properties by name
    group: str
    properties: dict[str, str]
    source: str
    external_id: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class Deal(_Written):
    id: int
    client_id: int
    title: str
    stage: str
    expected_amount: Decimal
    currency: str
    expected_close: datetime | None
    owner_id: int | None
    lost_reason: str
    documents: list[str]
    custom: dict[str, str]
    source: str
    external_id: str
    stage_changed_at: datetime
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class Order(_Written):
    id: int
    number: str
    client_id: int
    deal_id: int | None
    owner_id: int | None
    status: str
    currency: str
    # {"sku", "product_id", "name", "quantity", "price", "discount", "amount"}; the
    # engine computes product_id and amount, and a line read here can be written back.
    lines: list[dict[str, Any]]
    total: Decimal
    ordered_at: datetime
    source: str
    external_id: str
    # what other systems know of it, e.g. 1C's "1c.number", "1c.posted", "1c.shipped_at"
    custom: dict[str, str]
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class Interaction(_Written):
    id: int
    kind: str
    direction: str
    occurred_at: datetime
    duration_s: int
    user_id: int | None
    client_id: int | None
    contact_id: int | None
    subject: str
    body: str
    source: str
    external_id: str
    created_at: datetime
    # what a PBX says of a call ("" and 0 for the other kinds); talk time is duration_s
    caller: str
    callee: str
    manager: str  # the extension that answered or placed it
    ring_s: int
    disposition: str  # "answered" | "busy" | "no_answer" | "failed"
    hangup_cause: str
    recording: str
    pbx_call_id: str
    rang_not_answered: str  # extensions that rang and did not answer: "101,103"


@dataclass(frozen=True, slots=True, kw_only=True)
class Task(_Written):
    id: int
    title: str
    due_at: datetime | None
    assignee_id: int | None
    client_id: int | None
    deal_id: int | None
    order_id: int | None
    status: str
    notes: str
    created_at: datetime
    updated_at: datetime
    done_at: datetime | None


@dataclass(frozen=True, slots=True, kw_only=True)
class ReplayAttempt(Record):
    """One replay of a dead letter: when, and its outcome ("applied", "duplicate",
    "failed" for a record; "requeued", then "delivered" or "failed" for a delivery),
    with the error's code and message when it failed ("ok" and "" otherwise)."""

    at: datetime
    outcome: str
    code: str
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DeadLetter(Record):
    """Something a connector or an automation gave up on, with why. ``code``,
    ``reason`` and ``failed_at`` stay what it was given up for; each replay is added to
    ``replays``. ``event_type`` names the event an event delivery or an automation's
    letter carries ("" for a record or an action)."""

    id: int
    connector: str
    direction: str  # "inbound" (a record from outside) or "outbound" (a delivery)
    kind: str
    source: str
    external_id: str
    idempotency_key: str
    payload: str
    code: str
    reason: str
    attempts: int
    failed_at: datetime
    replayed_at: datetime | None
    replays: list[ReplayAttempt]
    event_type: str

    @classmethod
    def _from_native(cls, fields: dict[str, Any]) -> DeadLetter:
        return cls(**{**fields, "replays": [ReplayAttempt(**r) for r in fields["replays"]]})


@dataclass(frozen=True, slots=True, kw_only=True)
class Event(Record):
    """One entry of the event log. ``payload`` is the record as created, or
    ``{"changed": {field: [old, new]}}`` for an update."""

    seq: int
    at: datetime
    actor_id: int | None
    type: str
    entity: str
    entity_id: int
    payload: dict[str, Any]


@dataclass(frozen=True, slots=True, kw_only=True)
class Lead(_Written):
    id: int
    channel: str
    contact_name: str
    company: str
    phone: str
    email: str
    inn: str
    request: str
    concrete: bool
    client_id: int | None
    assignee_id: int | None
    status: str
    received_at: datetime
    sla_due_at: datetime
    first_action_at: datetime | None
    reassignments: int
    escalated: bool
    deal_id: int | None
    lost_reason: str
    source: str
    external_id: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class LeadConversion(Record):
    """What converting a lead made: the client (matched or new) and the deal."""

    lead: Lead
    client_id: int
    client_created: bool
    deal_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Proposal(_Written):
    id: int
    kind: str
    client_id: int
    deal_id: int | None
    owner_id: int | None
    status: str
    currency: str
    # {"sku", "product_id", "name", "quantity", "price", "discount_percent", "amount"};
    # discount_percent is a Decimal percent (12.50), as REST has it.
    lines: list[dict[str, Any]]
    total: Decimal
    # {"payment_terms", "deferral_days", "shipping_terms", "valid_until", "special_terms"}
    terms: dict[str, Any]
    notes: str
    approval_id: int | None
    sent_at: datetime | None
    received_at: datetime | None
    answered_at: datetime | None
    decline_reason: str
    receipt_task_id: int | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class Approval(_Written):
    id: int
    subject: str
    subject_id: int
    client_id: int | None
    deal_id: int | None
    owner_id: int | None
    requester_id: int | None
    on_behalf_of_id: int | None
    rules: list[str]
    summary: str
    reason: str
    discount_percent: Decimal | None  # a deal discount asked for; None for other subjects
    visit_at: datetime | None
    approver_role: str
    approver_id: int | None
    status: str
    due_at: datetime | None
    escalations: int
    task_id: int | None
    decided_by: int | None
    decided_at: datetime | None
    comment: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class Contract(_Written):
    id: int
    type: str
    client_id: int
    deal_id: int | None
    owner_id: int | None
    number: str
    amount: Money
    deferral_days: int
    special_terms: str
    risk_note: str
    valid_from: datetime | None
    valid_to: datetime | None
    signed_at: datetime | None
    status: str
    approved: bool
    approval_id: int | None
    termination_reason: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class Shipment(_Written):
    id: int
    order_id: int
    planned_at: datetime
    shipped_at: datetime | None
    delivered_at: datetime | None
    status: str
    notes: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class Payment(_Written):
    id: int
    order_id: int
    client_id: int | None
    amount: Money
    received_at: datetime
    method: str
    reference: str
    source: str
    external_id: str
    recorded_by: int | None
    created_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class PaymentSchedule(Record):
    """An order's schedule in force. Each installment: {"id", "number", "term_start",
    "due_at", "amount" (Money), "paid" (Decimal), "paid_at", "status", "reminders_sent"}."""

    id: int
    order_id: int
    currency: str
    installments: list[dict[str, Any]]
    created_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class ReceivablesLine(Record):
    """ДЗ (receivable) and ПДЗ (overdue) of one client, manager or department in one
    currency; ``aging`` splits the overdue part: {"0-30", "31-60", "61-90", "90+"}."""

    key: int | None
    name: str
    currency: str
    receivable: Decimal
    overdue: Decimal
    aging: dict[str, Decimal]


@dataclass(frozen=True, slots=True, kw_only=True)
class MarketNote(_Written):
    """Market or competitor information: kind is "competitor_price",
    "competitor_offer", "demand_change", "customer_requirement" or "other"; a
    competitor's price as Money."""

    id: int
    kind: str
    competitor: str
    product_id: int | None
    product_group: str
    region: str
    value: str
    price: Money | None
    source: str
    observed_at: datetime
    client_id: int | None
    recorded_by: int | None
    created_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class MarketReport(Record):
    """Market information of a period by "competitor" or "product_group". Each line:
    {"key", "records", "competitor_prices", "competitor_offers", "demand_changes",
    "customer_requirements", "others", "prices", "price_min", "price_avg",
    "price_max"}; prices as Decimal in the company currency (None without prices)."""

    period: str
    by: str
    currency: str
    lines: list[dict[str, Any]]
    total: dict[str, Any]


@dataclass(frozen=True, slots=True, kw_only=True)
class Claim(_Written):
    id: int
    client_id: int | None
    order_id: int | None
    contract_id: int | None
    kind: str
    description: str
    cause: str
    measures: str
    status: str
    resolved_at: datetime | None
    owner_id: int | None
    registered_by: int | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class Absence(_Written):
    id: int
    user_id: int
    deputy_id: int
    starts_at: datetime
    ends_at: datetime
    reason: str
    note: str
    cancelled: bool
    created_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class Route(Record):
    """A rep's outlets (clients) for one ISO weekday (1 Monday .. 7 Sunday), in order."""

    rep_id: int
    weekday: int
    outlet_ids: list[int]


@dataclass(frozen=True, slots=True, kw_only=True)
class Visit(Record):
    id: int
    rep_id: int
    outlet_id: int
    planned: bool
    checked_in_at: datetime
    checked_out_at: datetime | None
    stock: dict[str, Decimal]
    stock_recorded_at: datetime | None
    missing_must_have: list[str]
    order_id: int | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class SuggestedOrder(Record):
    """What to offer an outlet at a visit. Each line: {"sku", "product_id", "quantity",
    "sold", "stock_seen", "must_have", "price", "amount"}."""

    visit_id: int
    outlet_id: int
    price_type: str
    currency: str
    lines: list[dict[str, Any]]
    total: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentAttestation(Record):
    """A document a person vouched for on a deal; ``by_migration``: kept by migration 15
    from a list typed in by hand, with no record behind it (``attested_by`` is None)."""

    deal_id: int
    document: str
    attested_by: int | None
    by_migration: bool
    note: str
    attested_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class StageVisit(Record):
    """Time a deal spent in one stage; ``left_at`` is None while it is still there."""

    stage: str
    entered_at: datetime
    left_at: datetime | None


@dataclass(frozen=True, slots=True, kw_only=True)
class ClientSegment(Record):
    """A client's segment by the recency of its last order (new, hot, warm, cooling,
    sleeping), since when, and when it moves on by itself if no order comes."""

    client_id: int
    segment: str
    last_order_at: datetime | None
    since: datetime
    next_change_at: datetime | None


@dataclass(frozen=True, slots=True, kw_only=True)
class ShippedLine(Record):
    """One order line and how much of it left with a shipment: ``line`` is its number
    in the order (from 1), ``quantity`` a Decimal."""

    line: int
    sku: str
    quantity: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class LineToShip(Record):
    """One order line as the warehouse sees it: ``shipped`` left with shipments shipped
    or delivered, ``planned`` is held by planned ones, ``remaining`` = ordered - shipped
    - planned (what no shipment covers yet)."""

    line: int
    sku: str
    name: str
    ordered: Decimal
    shipped: Decimal
    planned: Decimal
    remaining: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class Refund(_Written):
    """Money given back on an order: in the order's currency, at most what is left
    unrefunded, one per (order, reference)."""

    id: int
    order_id: int
    amount: Money
    refunded_at: datetime
    reason: str
    reference: str
    recorded_by: int | None
    created_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderRefunds(Record):
    """An order's refunds, oldest first, and what they add up to: ``left`` = ``total``
    - ``refunded``, in the order's ``currency``."""

    order_id: int
    currency: str
    total: Decimal
    refunded: Decimal
    left: Decimal
    refunds: list[Refund]


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderToShip(Record):
    """What is still to ship of an order, per line; ``complete`` once every line has
    left in full."""

    order_id: int
    lines: list[LineToShip]
    complete: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class TodayItem(Record):
    """One line of a user's day: ``section`` "overdue", "due_today" or "reminder";
    ``reason`` why the task exists ("lead.answer", "installment.reminder", "manual", ...)."""

    section: str
    task: Task
    client_name: str
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Dialled(Record):
    """What Calls.dial() queued: the number dialled (E.164) and whether this click queued
    the call (False: the same call was queued already, a double click)."""

    phone: str
    queued: bool
    outbox_id: int | None


@dataclass(frozen=True, slots=True, kw_only=True)
class DueReport(Record):
    """What Engine.run_due() did: counts by kind and one line per action."""

    leads_reassigned: int
    leads_escalated: int
    approvals_escalated: int
    contracts_expired: int
    installment_reminders: int
    installments_overdue: int
    segment_moves: int
    overdue_tasks_reported: int
    actions: list[str]


@dataclass(frozen=True, slots=True, kw_only=True)
class KpiValue(Record):
    """One KPI over a period. ``unit`` is "money" (``value`` a Decimal in the company
    currency), "count", "ms", "s" or "bp" (basis points; ints; 8512 is 85.12 %).
    ``value`` is None where it is undefined (an average of nothing, a plan fulfilment
    without a plan); ``breakdown`` splits it where the KPI has parts (by currency, lost
    reason, direction, stage, cause, aging bucket)."""

    id: str
    unit: str
    value: Decimal | int | None
    breakdown: dict[str, Decimal | int]


@dataclass(frozen=True, slots=True, kw_only=True)
class KpiRow(Record):
    """One row of a KPI table: a manager's figures (``user_id``, ``label`` their name)
    or a month's (``label`` and ``period`` the month, cut to the period asked)."""

    user_id: int | None
    label: str
    period: str
    values: list[KpiValue]


@dataclass(frozen=True, slots=True, kw_only=True)
class KpiTable(Record):
    """Some KPIs of a target over a period (``total``) and the same split ``by`` "user"
    or "month" (``rows``; empty when not split)."""

    period: str
    by: str | None
    total: list[KpiValue]
    rows: list[KpiRow]


@dataclass(frozen=True, slots=True, kw_only=True)
class KpiReport(Record):
    """A daily, weekly or monthly sales report: one line per manager, head and assistant
    in scope, an "others" line (role "others") for anyone else's figures, and the total,
    which equals the KPIs. Each line: {"user_id", "name", "role", "calls", "meetings", "emails", "orders",
    "revenue", "payments", "plan", "plan_bp", "deals_won", "deals_lost", "leads",
    "leads_converted", "overdue_tasks", "receivables", "overdue_receivables",
    "prev_orders", "prev_revenue", "prev_calls", "prev_meetings"}; money as Decimal."""

    kind: str
    period: str
    previous: str
    currency: str
    generated_at: datetime
    lines: list[dict[str, Any]]
    total: dict[str, Any]


@dataclass(frozen=True, slots=True, kw_only=True)
class SalesPlan(Record):
    """A manager's plan for a month ("2026-10"); a replaced one has ``replaced_at``."""

    id: int
    user_id: int
    month: str
    amount: Money
    set_by: int | None
    set_at: datetime
    replaced_at: datetime | None
