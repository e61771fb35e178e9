# Typed surface of the salescore package. Keep in step with __init__.py:
# tests/python/test_stubs.py checks that both name the same things.
import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Callable, Iterator, Mapping, NamedTuple, TypeVar

_H = TypeVar("_H", bound=Callable[..., Any])

__version__: str

# ---- errors -------------------------------------------------------------------------

class Error(Exception):
    retryable: bool
    code: str
    reason: str
    message: str
    fields: dict[str, str]
    def __init__(
        self, message: str, *, code: str = ..., fields: Mapping[str, str] | None = ..., reason: str = ...
    ) -> None: ...

class NotFound(Error): ...
class ValidationError(Error): ...
class AccessDenied(Error): ...

class FailedPrecondition(Error): ...

class StageGateError(FailedPrecondition):
    @property
    def missing(self) -> list[str]: ...

class ApprovalRequired(FailedPrecondition): ...
class Conflict(Error): ...
class AlreadyExists(Conflict): ...
class Unavailable(Error): ...
class InternalError(Error): ...

# ---- values and records -------------------------------------------------------------

class Money(NamedTuple):
    amount: Decimal
    currency: str

class ManualClock:
    def __init__(self, start: datetime | str) -> None: ...
    def now(self) -> datetime: ...
    def set(self, t: datetime | str) -> None: ...
    def advance(self, delta: timedelta) -> None: ...

@dataclass(frozen=True, slots=True, kw_only=True)
class Record:
    def to_dict(self) -> dict[str, Any]: ...

@dataclass(frozen=True, slots=True, kw_only=True)
class _Written(Record):
    outcome: str | None = ...

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
    segment: str | None = ...
    possible_duplicates: list[int] = ...

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
    # derived from the deal's records (proposal_sent, proposal_received, contract_signed,
    # discount_approved) or attested with Deals.attest; update/add refuse a list of their own
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
    at: datetime
    outcome: str
    code: str
    reason: str

@dataclass(frozen=True, slots=True, kw_only=True)
class DeadLetter(Record):
    id: int
    connector: str
    direction: str
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

@dataclass(frozen=True, slots=True, kw_only=True)
class Event(Record):
    seq: int
    at: datetime
    actor_id: int | None
    type: str
    entity: str
    entity_id: int
    payload: dict[str, Any]

# Fields and filters are keyword arguments named as the record's attributes; an unknown
# name raises ValidationError naming it.

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
    lines: list[dict[str, Any]]
    total: Decimal
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
    discount_percent: Decimal | None
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
    id: int
    order_id: int
    currency: str
    installments: list[dict[str, Any]]
    created_at: datetime

@dataclass(frozen=True, slots=True, kw_only=True)
class ReceivablesLine(Record):
    key: int | None
    name: str
    currency: str
    receivable: Decimal
    overdue: Decimal
    aging: dict[str, Decimal]

@dataclass(frozen=True, slots=True, kw_only=True)
class MarketNote(_Written):
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
    visit_id: int
    outlet_id: int
    price_type: str
    currency: str
    lines: list[dict[str, Any]]
    total: Decimal

@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentAttestation(Record):
    deal_id: int
    document: str
    attested_by: int | None
    by_migration: bool
    note: str
    attested_at: datetime

@dataclass(frozen=True, slots=True, kw_only=True)
class ClientSegment(Record):
    client_id: int
    segment: str
    last_order_at: datetime | None
    since: datetime
    next_change_at: datetime | None

@dataclass(frozen=True, slots=True, kw_only=True)
class ShippedLine(Record):
    line: int
    sku: str
    quantity: Decimal

@dataclass(frozen=True, slots=True, kw_only=True)
class LineToShip(Record):
    line: int
    sku: str
    name: str
    ordered: Decimal
    shipped: Decimal
    planned: Decimal
    remaining: Decimal

@dataclass(frozen=True, slots=True, kw_only=True)
class Refund(_Written):
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
    order_id: int
    currency: str
    total: Decimal
    refunded: Decimal
    left: Decimal
    refunds: list[Refund]

@dataclass(frozen=True, slots=True, kw_only=True)
class OrderToShip(Record):
    order_id: int
    lines: list[LineToShip]
    complete: bool

@dataclass(frozen=True, slots=True, kw_only=True)
class StageVisit(Record):
    stage: str
    entered_at: datetime
    left_at: datetime | None

@dataclass(frozen=True, slots=True, kw_only=True)
class TodayItem(Record):
    section: str
    task: Task
    client_name: str
    reason: str

@dataclass(frozen=True, slots=True, kw_only=True)
class Dialled(Record):
    phone: str
    queued: bool
    outbox_id: int | None

@dataclass(frozen=True, slots=True, kw_only=True)
class DueReport(Record):
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
    id: str
    unit: str
    value: Decimal | int | None
    breakdown: dict[str, Decimal | int]

@dataclass(frozen=True, slots=True, kw_only=True)
class KpiRow(Record):
    user_id: int | None
    label: str
    period: str
    values: list[KpiValue]

@dataclass(frozen=True, slots=True, kw_only=True)
class KpiTable(Record):
    period: str
    by: str | None
    total: list[KpiValue]
    rows: list[KpiRow]

@dataclass(frozen=True, slots=True, kw_only=True)
class KpiReport(Record):
    kind: str
    period: str
    previous: str
    currency: str
    generated_at: datetime
    lines: list[dict[str, Any]]
    total: dict[str, Any]

@dataclass(frozen=True, slots=True, kw_only=True)
class SalesPlan(Record):
    id: int
    user_id: int
    month: str
    amount: Money
    set_by: int | None
    set_at: datetime
    replaced_at: datetime | None

# ---- collections --------------------------------------------------------------------

class Users:
    def add(
        self, *, login: str = ..., name: str = ..., role: str = ..., manager_id: int | None = ...,
        head_id: int | None = ..., active: bool = ...
    ) -> User: ...
    def get(self, id: int, /) -> User: ...
    def by_login(self, login: str) -> User: ...
    def find(self) -> Iterator[User]: ...
    def set_password(self, user: User | int | str, password: str, *, current_password: str | None = ...) -> None: ...
    def deactivate(self, user: User | int | str) -> User: ...
    def activate(self, user: User | int | str) -> User: ...

class Clients:
    def add(
        self, *, name: str = ..., legal_form: str = ..., inn: str = ..., kpp: str = ..., addresses: Any = ...,
        phones: list[str] = ..., emails: list[str] = ..., price_type: str = ..., payment_terms: str = ...,
        shipping_terms: str = ..., tier: str = ..., owner_id: int | None = ..., assistant_id: int | None = ...,
        notes: str = ..., custom: dict[str, str] = ..., source: str = ..., external_id: str = ...
    ) -> Client: ...
    def segment(self, id: int) -> ClientSegment: ...
    def get(self, id: int, /) -> Client: ...
    def update(
        self, id: int, /, *, name: str = ..., legal_form: str = ..., inn: str = ..., kpp: str = ...,
        addresses: Any = ..., phones: list[str] = ..., emails: list[str] = ..., price_type: str = ...,
        payment_terms: str = ..., shipping_terms: str = ..., tier: str = ..., owner_id: int | None = ...,
        assistant_id: int | None = ..., notes: str = ..., custom: dict[str, str] = ...
    ) -> Client: ...
    def upsert(
        self, *, name: str = ..., legal_form: str = ..., inn: str = ..., kpp: str = ..., addresses: Any = ...,
        phones: list[str] = ..., emails: list[str] = ..., price_type: str = ..., payment_terms: str = ...,
        shipping_terms: str = ..., tier: str = ..., owner_id: int | None = ..., assistant_id: int | None = ...,
        notes: str = ..., custom: dict[str, str] = ..., source: str = ..., external_id: str = ...
    ) -> Client: ...
    def find(
        self,
        *,
        phone: str = ...,
        email: str = ...,
        inn: str = ...,
        name_prefix: str = ...,
        owner_id: int | None = ...,
        tier: str = ...,
        segment: str = ...,
    ) -> Iterator[Client]: ...
    def count(
        self,
        *,
        phone: str = ...,
        email: str = ...,
        inn: str = ...,
        name_prefix: str = ...,
        owner_id: int | None = ...,
        tier: str = ...,
        segment: str = ...,
    ) -> int: ...
    def to_numpy(self, **filters: Any) -> dict[str, Any]: ...
    def to_pandas(self, **filters: Any) -> Any: ...

class Contacts:
    def add(
        self, *, client_id: int = ..., name: str = ..., role: str = ..., phones: list[str] = ...,
        emails: list[str] = ..., notes: str = ...
    ) -> Contact: ...
    def get(self, id: int, /) -> Contact: ...
    def update(
        self, id: int, /, *, name: str = ..., role: str = ..., notes: str = ..., phones: list[str] = ...,
        emails: list[str] = ...
    ) -> Contact: ...
    def find(self, *, client_id: int) -> Iterator[Contact]: ...

class Products:
    def add(
        self, *, sku: str = ..., name: str = ..., unit: str = ..., prices: Any = ...,
        stock: Decimal | int | str = ..., active: bool = ..., group: str = ..., properties: dict[str, str] = ...,
        source: str = ..., external_id: str = ...
    ) -> Product: ...
    def get(self, id: int, /) -> Product: ...
    def by_sku(self, sku: str) -> Product: ...
    def update(
        self, id: int, /, *, name: str = ..., unit: str = ..., prices: Any = ..., stock: Decimal | int | str = ...,
        active: bool = ..., group: str = ..., properties: dict[str, str] = ...
    ) -> Product: ...
    def upsert(
        self, *, sku: str = ..., name: str = ..., unit: str = ..., prices: Any = ...,
        stock: Decimal | int | str = ..., active: bool = ..., group: str = ..., properties: dict[str, str] = ...,
        source: str = ..., external_id: str = ...
    ) -> Product: ...
    def find(self, *, sku: str = ..., name_prefix: str = ..., active: bool = ...) -> Iterator[Product]: ...
    def count(self, *, sku: str = ..., name_prefix: str = ..., active: bool = ...) -> int: ...
    def to_pandas(self) -> Any: ...

class Deals:
    def add(
        self, *, client_id: int = ..., title: str = ..., stage: str = ...,
        expected_amount: Decimal | int | str = ..., currency: str = ..., expected_close: datetime | str | None = ...,
        owner_id: int | None = ..., lost_reason: str = ..., documents: list[str] = ..., custom: dict[str, str] = ...,
        source: str = ..., external_id: str = ...
    ) -> Deal: ...
    def get(self, id: int, /) -> Deal: ...
    def update(
        self, id: int, /, *, title: str = ..., stage: str = ..., lost_reason: str = ...,
        expected_amount: Decimal | int | str = ..., expected_close: datetime | str | None = ...,
        owner_id: int | None = ..., documents: list[str] = ..., custom: dict[str, str] = ...
    ) -> Deal: ...
    def advance(self, id: int, stage: str, /, **fields: Any) -> Deal: ...
    def lose(self, id: int, reason: str) -> Deal: ...
    # documents named in [pipeline] attestable.<stage> only; logged with the acting user
    def attest(self, id: int, document: str, /, *, note: str = ...) -> Deal: ...
    def attestations(self, id: int | None = ..., /, *, by_migration: bool = ...) -> list[DocumentAttestation]: ...
    def stage_history(self, id: int) -> list[StageVisit]: ...
    def find(self, *, client_id: int = ..., owner_id: int | None = ..., stage: str = ...) -> Iterator[Deal]: ...
    def count(self, *, client_id: int = ..., owner_id: int | None = ..., stage: str = ...) -> int: ...
    def to_pandas(self) -> Any: ...

class Orders:
    def add(
        self, *, number: str = ..., client_id: int = ..., deal_id: int | None = ..., owner_id: int | None = ...,
        status: str = ..., currency: str = ..., lines: Any = ..., ordered_at: datetime | str = ...,
        source: str = ..., external_id: str = ..., custom: dict[str, str] = ...
    ) -> Order: ...
    def get(self, id: int, /) -> Order: ...
    def update(
        self, id: int, /, *, number: str = ..., status: str = ..., lines: Any = ..., deal_id: int | None = ...,
        owner_id: int | None = ..., ordered_at: datetime | str = ..., custom: dict[str, str] = ...
    ) -> Order: ...
    def upsert(
        self, *, number: str = ..., client_id: int = ..., deal_id: int | None = ..., owner_id: int | None = ...,
        status: str = ..., currency: str = ..., lines: Any = ..., ordered_at: datetime | str = ...,
        source: str = ..., external_id: str = ..., custom: dict[str, str] = ...
    ) -> Order: ...
    # since <= ordered_at < until
    def find(
        self,
        *,
        client_id: int = ...,
        owner_id: int | None = ...,
        deal_id: int | None = ...,
        status: str = ...,
        since: datetime | str = ...,
        until: datetime | str = ...,
        source: str = ...,
    ) -> Iterator[Order]: ...
    def count(
        self,
        *,
        client_id: int = ...,
        owner_id: int | None = ...,
        deal_id: int | None = ...,
        status: str = ...,
        since: datetime | str = ...,
        until: datetime | str = ...,
        source: str = ...,
    ) -> int: ...
    def to_numpy(self, **filters: Any) -> dict[str, Any]: ...
    def to_pandas(self, **filters: Any) -> Any: ...
    def to_ship(self, id: int) -> OrderToShip: ...
    def refund(
        self,
        id: int,
        /,
        amount: Money | Decimal | str | int,
        *,
        reference: str,
        reason: str = ...,
        refunded_at: datetime | str | None = ...,
    ) -> Refund: ...
    def refunds(self, id: int, /) -> OrderRefunds: ...
    def contract(self, id: int) -> int | None: ...

class Interactions:
    def add(
        self, *, kind: str = ..., direction: str = ..., occurred_at: datetime | str = ..., duration_s: int = ...,
        user_id: int | None = ..., client_id: int | None = ..., contact_id: int | None = ..., subject: str = ...,
        body: str = ..., source: str = ..., external_id: str = ..., caller: str = ..., callee: str = ...,
        manager: str = ..., ring_s: int = ..., disposition: str = ..., hangup_cause: str = ..., recording: str = ...,
        pbx_call_id: str = ..., rang_not_answered: str = ...
    ) -> Interaction: ...
    def get(self, id: int, /) -> Interaction: ...
    def upsert(
        self, *, kind: str = ..., direction: str = ..., occurred_at: datetime | str = ..., duration_s: int = ...,
        user_id: int | None = ..., client_id: int | None = ..., contact_id: int | None = ..., subject: str = ...,
        body: str = ..., source: str = ..., external_id: str = ..., caller: str = ..., callee: str = ...,
        manager: str = ..., ring_s: int = ..., disposition: str = ..., hangup_cause: str = ..., recording: str = ...,
        pbx_call_id: str = ..., rang_not_answered: str = ...
    ) -> Interaction: ...
    # since <= occurred_at < until
    def find(
        self,
        *,
        client_id: int | None = ...,
        user_id: int | None = ...,
        kind: str = ...,
        since: datetime | str = ...,
        until: datetime | str = ...,
    ) -> Iterator[Interaction]: ...
    def count(
        self,
        *,
        client_id: int | None = ...,
        user_id: int | None = ...,
        kind: str = ...,
        since: datetime | str = ...,
        until: datetime | str = ...,
    ) -> int: ...
    def to_numpy(self, **filters: Any) -> dict[str, Any]: ...
    def to_pandas(self, **filters: Any) -> Any: ...

class Tasks:
    def add(
        self, *, title: str = ..., due_at: datetime | str | None = ..., assignee_id: int | None = ...,
        client_id: int | None = ..., deal_id: int | None = ..., order_id: int | None = ..., status: str = ...,
        notes: str = ...
    ) -> Task: ...
    def get(self, id: int, /) -> Task: ...
    def update(
        self, id: int, /, *, title: str = ..., notes: str = ..., due_at: datetime | str | None = ...,
        assignee_id: int | None = ..., status: str = ...
    ) -> Task: ...
    def find(
        self,
        *,
        assignee_id: int | None = ...,
        client_id: int | None = ...,
        status: str = ...,
        due_before: datetime | str = ...,
    ) -> Iterator[Task]: ...
    def count(
        self,
        *,
        assignee_id: int | None = ...,
        client_id: int | None = ...,
        status: str = ...,
        due_before: datetime | str = ...,
    ) -> int: ...
    def today(self, user: User | int | str | None = ...) -> list[TodayItem]: ...
    def to_pandas(self) -> Any: ...

class Leads:
    def add(
        self, *, channel: str = ..., contact_name: str = ..., company: str = ..., phone: str = ..., email: str = ...,
        inn: str = ..., request: str = ..., concrete: bool = ..., client_id: int | None = ...,
        assignee_id: int | None = ..., received_at: datetime | str = ..., source: str = ..., external_id: str = ...
    ) -> Lead: ...
    def get(self, id: int, /) -> Lead: ...
    def find(self, *, assignee_id: int | None = ..., status: str = ..., breached_from: datetime | None = ...,
        breached_to: datetime | None = ..., received_from: datetime | None = ..., received_to: datetime | None = ...) -> Iterator[Lead]: ...
    def count(self, *, assignee_id: int | None = ..., status: str = ..., breached_from: datetime | None = ...,
        breached_to: datetime | None = ..., received_from: datetime | None = ..., received_to: datetime | None = ...) -> int: ...
    def queue(self, limit: int = ..., *, assignee_id: int | None = ..., status: str = ..., breached_from: datetime | None = ...,
        breached_to: datetime | None = ..., received_from: datetime | None = ..., received_to: datetime | None = ...) -> list[Lead]: ...
    def touch(self, id: int, kind: str) -> Lead: ...
    def convert(self, id: int, deal_title: str = ...) -> LeadConversion: ...
    def lose(self, id: int, reason: str) -> Lead: ...
    def to_pandas(self) -> Any: ...

class Proposals:
    def add(
        self, *, kind: str = ..., client_id: int = ..., deal_id: int | None = ..., owner_id: int | None = ...,
        currency: str = ..., lines: Any = ..., terms: dict[str, Any] = ..., notes: str = ...
    ) -> Proposal: ...
    def get(self, id: int, /) -> Proposal: ...
    def update(
        self, id: int, /, *, kind: str = ..., deal_id: int | None = ..., lines: Any = ...,
        terms: dict[str, Any] = ..., notes: str = ...
    ) -> Proposal: ...
    def find(
        self, *, client_id: int = ..., deal_id: int | None = ..., owner_id: int | None = ..., status: str = ...
    ) -> Iterator[Proposal]: ...
    def count(
        self, *, client_id: int = ..., deal_id: int | None = ..., owner_id: int | None = ..., status: str = ...
    ) -> int: ...
    def request_approval(self, id: int, reason: str) -> Approval: ...
    def send(self, id: int) -> Proposal: ...
    def mark_received(self, id: int, at: datetime | None = ...) -> Proposal: ...
    def accept(self, id: int) -> Proposal: ...
    def decline(self, id: int, reason: str) -> Proposal: ...
    def to_pandas(self) -> Any: ...

class Approvals:
    def get(self, id: int, /) -> Approval: ...
    def find(
        self,
        *,
        approver_id: int | None = ...,
        requester_id: int | None = ...,
        subject_id: int = ...,
        subject: str = ...,
        status: str = ...,
    ) -> Iterator[Approval]: ...
    def count(
        self,
        *,
        approver_id: int | None = ...,
        requester_id: int | None = ...,
        subject_id: int = ...,
        subject: str = ...,
        status: str = ...,
    ) -> int: ...
    def decide(self, id: int, approve: bool, comment: str = ...) -> Approval: ...
    def waiting(self, user: User | int | str | None = ...) -> list[Approval]: ...
    def request_deal_discount(
        self, deal_id: int, discount_percent: Decimal | int | str | None = ..., reason: str = ..., *,
        discount_bp: int | None = ...
    ) -> Approval: ...
    def request_visit(self, client_id: int, at: datetime, reason: str) -> Approval: ...

class Contracts:
    def add(
        self, *, type: str = ..., client_id: int = ..., deal_id: int | None = ..., owner_id: int | None = ...,
        number: str = ..., amount: Any = ..., deferral_days: int = ..., special_terms: str = ...,
        risk_note: str = ..., valid_from: datetime | str | None = ..., valid_to: datetime | str | None = ...
    ) -> Contract: ...
    def get(self, id: int, /) -> Contract: ...
    def update(
        self, id: int, /, *, type: str = ..., number: str = ..., special_terms: str = ..., risk_note: str = ...,
        deal_id: int | None = ..., amount: Any = ..., deferral_days: int = ...,
        valid_from: datetime | str | None = ..., valid_to: datetime | str | None = ...
    ) -> Contract: ...
    def find(
        self, *, client_id: int = ..., deal_id: int | None = ..., owner_id: int | None = ..., status: str = ...
    ) -> Iterator[Contract]: ...
    def count(
        self, *, client_id: int = ..., deal_id: int | None = ..., owner_id: int | None = ..., status: str = ...
    ) -> int: ...
    def request_approval(self, id: int, reason: str) -> Approval: ...
    def sign(self, id: int, at: datetime | None = ...) -> Contract: ...
    def terminate(self, id: int, reason: str) -> Contract: ...
    def set_orders(self, id: int, order_ids: list[int]) -> list[int]: ...
    def orders(self, id: int) -> list[int]: ...
    def to_pandas(self) -> Any: ...

class Shipments:
    def add(
        self, *, order_id: int = ..., planned_at: datetime | str = ..., shipped_at: datetime | str | None = ...,
        delivered_at: datetime | str | None = ..., notes: str = ...
    ) -> Shipment: ...
    def get(self, id: int, /) -> Shipment: ...
    def update(
        self, id: int, /, *, planned_at: datetime | str = ..., notes: str = ...
    ) -> Shipment: ...
    # since <= planned_at < until
    def find(
        self, *, order_id: int = ..., status: str = ..., since: datetime | str = ..., until: datetime | str = ...
    ) -> Iterator[Shipment]: ...
    def count(
        self, *, order_id: int = ..., status: str = ..., since: datetime | str = ..., until: datetime | str = ...
    ) -> int: ...
    def ship(self, id: int, at: datetime | None = ...) -> Shipment: ...
    def deliver(self, id: int, at: datetime | None = ...) -> Shipment: ...
    def cancel(self, id: int) -> Shipment: ...
    def set_lines(self, id: int, lines: list[dict[str, Any]]) -> list[ShippedLine]: ...
    def lines(self, id: int) -> list[ShippedLine]: ...
    def to_pandas(self) -> Any: ...

class Payments:
    def add(
        self, *, order_id: int = ..., amount: Any = ..., received_at: datetime | str = ..., method: str = ...,
        reference: str = ..., source: str = ..., external_id: str = ...
    ) -> Payment: ...
    def get(self, id: int, /) -> Payment: ...
    # since <= received_at < until
    def find(
        self, *, order_id: int = ..., client_id: int = ..., since: datetime | str = ..., until: datetime | str = ...
    ) -> Iterator[Payment]: ...
    def count(
        self, *, order_id: int = ..., client_id: int = ..., since: datetime | str = ..., until: datetime | str = ...
    ) -> int: ...
    def to_numpy(self, **filters: Any) -> dict[str, Any]: ...
    def to_pandas(self, **filters: Any) -> Any: ...
    def set_schedule(self, order_id: int, installments: list[dict[str, Any]]) -> PaymentSchedule: ...
    def schedule(self, order_id: int) -> PaymentSchedule: ...
    def receivables(
        self,
        by: str = ...,
        *,
        at: datetime | str = ...,
        client_id: int = ...,
        owner_id: int = ...,
        head_id: int = ...,
    ) -> list[ReceivablesLine]: ...

class Market:
    def add(
        self,
        *,
        kind: str,
        competitor: str = ...,
        product_id: int | None = ...,
        product_group: str = ...,
        region: str = ...,
        value: str = ...,
        price: Money | Decimal | int | str | None = ...,
        source: str = ...,
        observed_at: datetime | str = ...,
        client_id: int | None = ...,
    ) -> MarketNote: ...
    def get(self, id: int, /) -> MarketNote: ...
    # since <= observed_at < until
    def find(
        self,
        *,
        kind: str = ...,
        competitor: str = ...,
        product_group: str = ...,
        region: str = ...,
        client_id: int = ...,
        product_id: int = ...,
        recorded_by: int = ...,
        since: datetime | str = ...,
        until: datetime | str = ...,
    ) -> Iterator[MarketNote]: ...
    def report(self, period: str, *, by: str = ...) -> MarketReport: ...
    def to_pandas(self) -> Any: ...

class Claims:
    def add(
        self, *, client_id: int | None = ..., order_id: int | None = ..., contract_id: int | None = ...,
        kind: str = ..., description: str = ..., cause: str = ..., measures: str = ...
    ) -> Claim: ...
    def get(self, id: int, /) -> Claim: ...
    def update(
        self, id: int, /, *, kind: str = ..., description: str = ..., cause: str = ..., measures: str = ...,
        status: str = ...
    ) -> Claim: ...
    # since <= created_at < until
    def find(
        self,
        *,
        client_id: int = ...,
        order_id: int = ...,
        owner_id: int | None = ...,
        status: str = ...,
        kind: str = ...,
        since: datetime | str = ...,
        until: datetime | str = ...,
    ) -> Iterator[Claim]: ...
    def count(
        self,
        *,
        client_id: int = ...,
        order_id: int = ...,
        owner_id: int | None = ...,
        status: str = ...,
        kind: str = ...,
        since: datetime | str = ...,
        until: datetime | str = ...,
    ) -> int: ...
    def count_by_cause(
        self, *, since: datetime | str = ..., until: datetime | str = ..., kind: str = ...
    ) -> dict[str, int]: ...
    def to_pandas(self) -> Any: ...

class Absences:
    def add(
        self, *, user_id: int = ..., deputy_id: int = ..., starts_at: datetime | str = ...,
        ends_at: datetime | str = ..., reason: str = ..., note: str = ...
    ) -> Absence: ...
    def get(self, id: int, /) -> Absence: ...
    def find(
        self,
        *,
        user_id: int = ...,
        deputy_id: int = ...,
        active_at: datetime | str = ...,
        include_cancelled: bool = ...,
    ) -> Iterator[Absence]: ...
    def count(
        self,
        *,
        user_id: int = ...,
        deputy_id: int = ...,
        active_at: datetime | str = ...,
        include_cancelled: bool = ...,
    ) -> int: ...
    def cancel(self, id: int) -> Absence: ...

class Routes:
    def set(self, rep_id: int, weekday: int, outlet_ids: list[int]) -> Route: ...
    def get(self, rep_id: int, weekday: int) -> Route: ...
    def plan(self, rep_id: int, date: datetime) -> Route: ...
    def set_channel(self, outlet_id: int, channel: str) -> None: ...
    def channel(self, outlet_id: int) -> str: ...
    def set_must_have(self, channel: str, skus: list[str]) -> None: ...
    def must_have(self, channel: str) -> list[str]: ...

class Visits:
    def get(self, id: int, /) -> Visit: ...
    # since <= checked_in_at < until; open=True: not checked out yet
    def find(
        self,
        *,
        rep_id: int = ...,
        outlet_id: int = ...,
        since: datetime | str = ...,
        until: datetime | str = ...,
        open: bool = ...,
    ) -> Iterator[Visit]: ...
    def count(
        self,
        *,
        rep_id: int = ...,
        outlet_id: int = ...,
        since: datetime | str = ...,
        until: datetime | str = ...,
        open: bool = ...,
    ) -> int: ...
    def check_in(self, rep_id: int, outlet_id: int) -> Visit: ...
    def record_stock(self, id: int, stock: dict[str, Any]) -> Visit: ...
    def attach_order(self, id: int, order_id: int) -> Visit: ...
    def check_out(self, id: int) -> Visit: ...
    def open_visit(self, rep_id: int) -> Visit | None: ...
    def suggest_order(self, id: int) -> SuggestedOrder: ...
    def to_pandas(self) -> Any: ...

class Emails:
    def send(
        self,
        client: Client | int,
        *,
        subject: str = ...,
        text: str = ...,
        html: str = ...,
        to: list[str] | str | None = ...,
        cc: list[str] | None = ...,
        contact: Contact | int | None = ...,
        in_reply_to: str = ...,
        references: list[str] | None = ...,
        attachments: list[tuple[str, str, bytes]] | None = ...,
        automated: bool = ...,
        key: str = ...,
        reply_to: Interaction | int | None = ...,
    ) -> int | None: ...

class Calls:
    def dial(
        self,
        client: Client | int | None = ...,
        *,
        contact: Contact | int | None = ...,
        phone: str = ...,
        key: str = ...,
    ) -> Dialled: ...

class Plans:
    def set(self, user: User | int | str, month: str, amount: Decimal | int | str | Money) -> SalesPlan: ...
    def get(self, user: User | int | str, month: str) -> SalesPlan: ...
    def history(self, user: User | int | str, month: str) -> list[SalesPlan]: ...

class Kpi:
    def get(
        self, kpi_id: str, *, period: str, user: User | int | str | None = ..., team: User | int | str | None = ...
    ) -> KpiValue: ...
    def all(self, *, period: str, user: User | int | str | None = ..., team: User | int | str | None = ...) -> list[KpiValue]: ...
    def table(
        self,
        ids: list[str] | None = ...,
        *,
        period: str,
        by: str | None = ...,
        user: User | int | str | None = ...,
        team: User | int | str | None = ...,
    ) -> KpiTable: ...
    def report(self, period: str, *, user: User | int | str | None = ..., team: User | int | str | None = ...) -> KpiReport: ...
    def catalog(self) -> list[dict[str, str]]: ...
    def rebuild(self) -> None: ...

class Events:
    def since(self, seq: int, limit: int = ...) -> list[Event]: ...
    def last_seq(self) -> int: ...
    def to_pandas(self) -> Any: ...

class DeadLetters:
    def find(
        self, connector: str | None = ..., *, include_replayed: bool = ..., limit: int | None = ...
    ) -> Iterator[DeadLetter]: ...
    def get(self, id: int) -> DeadLetter: ...
    def replay(self, id: int) -> str: ...

class Outbox:
    def enqueue(self, connector: str, kind: str, payload: dict[str, Any], key: str) -> int | None: ...
    def pending(self, connector: str) -> int: ...

class Session:
    users: Users
    clients: Clients
    contacts: Contacts
    products: Products
    deals: Deals
    orders: Orders
    interactions: Interactions
    tasks: Tasks
    leads: Leads
    proposals: Proposals
    approvals: Approvals
    contracts: Contracts
    shipments: Shipments
    payments: Payments
    claims: Claims
    market: Market
    visits: Visits
    routes: Routes
    absences: Absences
    plans: Plans
    emails: Emails
    calls: Calls
    kpi: Kpi
    @property
    def user_id(self) -> int: ...
    def export(
        self,
        entity: str,
        path: str | os.PathLike[str],
        format: str = ...,
        *,
        progress: bool | None = ...,
        **filters: Any,
    ) -> int: ...

class Engine:
    users: Users
    clients: Clients
    contacts: Contacts
    products: Products
    deals: Deals
    orders: Orders
    interactions: Interactions
    tasks: Tasks
    leads: Leads
    proposals: Proposals
    approvals: Approvals
    contracts: Contracts
    shipments: Shipments
    payments: Payments
    claims: Claims
    market: Market
    visits: Visits
    routes: Routes
    absences: Absences
    plans: Plans
    emails: Emails
    calls: Calls
    kpi: Kpi
    events: Events
    outbox: Outbox
    dead_letters: DeadLetters
    def as_user(self, user: User | int | str) -> Session: ...
    def run_due(self) -> DueReport: ...
    def on(self, *event_types: str) -> Callable[[_H], _H]: ...
    def dispatch(self, limit: int = ...) -> int: ...
    def export(
        self,
        entity: str,
        path: str | os.PathLike[str],
        format: str = ...,
        *,
        progress: bool | None = ...,
        **filters: Any,
    ) -> int: ...
    @property
    def config(self) -> dict[str, Any]: ...
    @property
    def schema_version(self) -> int: ...
    @property
    def closed(self) -> bool: ...
    def close(self) -> None: ...
    def __enter__(self) -> Engine: ...
    def __exit__(self, *exc_info: object) -> None: ...

# Marks handler(event, engine) for python -m salescore.automate.
def on(*event_types: str) -> Callable[[_H], _H]: ...

# The entities export() and `salescore export` write.
EXPORTS: tuple[str, ...]

def open(
    url: str,
    *,
    clock: ManualClock | None = ...,
    config: str | os.PathLike[str] | None = ...,
    read_only: bool = ...,
) -> Engine: ...
