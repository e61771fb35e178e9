"""The collections of an engine or a session: one class per aggregate, each a thin
layer over the native module that turns dicts into records.

Every call passes the acting user of the collection's owner (an Engine acts as the
system user, a Session as its user), so access rules need no global state.
"""

from __future__ import annotations

import datetime as _dt
import decimal as _dec
from typing import Any, Iterator

from . import _core
from ._columns import _Columnar, _Exported
from ._records import (
    Absence,
    DeadLetter,
    Dialled,
    Approval,
    Claim,
    Client,
    ClientSegment,
    Contact,
    Contract,
    Deal,
    Event,
    Interaction,
    KpiReport,
    KpiRow,
    KpiTable,
    KpiValue,
    Lead,
    LineToShip,
    LeadConversion,
    MarketNote,
    MarketReport,
    Order,
    OrderRefunds,
    OrderToShip,
    Payment,
    PaymentSchedule,
    Product,
    Proposal,
    ReceivablesLine,
    Refund,
    Route,
    SalesPlan,
    Shipment,
    ShippedLine,
    DocumentAttestation,
    StageVisit,
    SuggestedOrder,
    Task,
    TodayItem,
    User,
    Visit,
)

# Rows fetched per round trip while iterating find(); big enough that a round trip's
# cost vanishes, small enough not to hold a large result in memory twice.
_PAGE_SIZE = 500


def _record_id(record: Any) -> int:
    """A record (Client, Contact) given as itself or as its id."""
    if isinstance(record, int) and not isinstance(record, bool):
        return record
    return int(record.id)


def _user_id(user: Any, owner: Any = None) -> int:
    """A user given as a User record, its id, or (with the acting `owner`, an Engine or a
    Session) its login: the same three ways every surface accepts a user."""
    if isinstance(user, str) and owner is not None:
        return owner.users.by_login(user).id
    if isinstance(user, User):
        return user.id
    if isinstance(user, int) and not isinstance(user, bool):
        return user
    from ._errors import ValidationError

    raise ValidationError(f"expected a User or a user id, got {type(user).__name__}", code="invalid_argument",
                          fields={"user": f"expected a User, an id or a login, got {type(user).__name__}"})


class _Collection:
    _record: Any  # the record class this collection returns

    def __init__(self, owner: Any, native: Any) -> None:
        self._owner = owner  # an Engine or a Session
        self._native = native
        self._actor = owner._actor  # who every call acts as; fixed for the owner's life

    def _one(self, fields: dict[str, Any]) -> Any:
        return self._record(**fields)

    def _written(self, result: tuple[dict[str, Any], str, list[int]]) -> Any:
        fields, outcome, possible_duplicates = result
        return self._record._from_write(fields, outcome, possible_duplicates)

    def __repr__(self) -> str:
        return f"<salescore {type(self).__name__} of {self._owner!r}>"

    def _user(self, user: Any) -> int:
        return _user_id(user, self._owner)

    def _maybe_user(self, user: Any) -> int | None:
        return None if user is None else _user_id(user, self._owner)


class _Gets(_Collection):
    def get(self, id: int, /) -> Any:
        """The record with this id; NotFound if there is none, AccessDenied if it is out of
        the acting user's scope."""
        return self._one(self._native.get(self._actor, id))


class _Adds(_Collection):
    def add(self, **fields: Any) -> Any:
        """Creates a record; unknown or invalid fields raise ValidationError naming each."""
        return self._written(self._native.add(self._actor, fields))


class _Updates(_Collection):
    def update(self, id: int, /, **fields: Any) -> Any:
        """Changes the given fields of record `id` and returns the record as saved."""
        return self._written(self._native.update(self._actor, id, fields))


class _Upserts(_Collection):
    def upsert(self, **fields: Any) -> Any:
        """Creates or updates the record by its natural key; ``.outcome`` on the result
        says which, and "unchanged" means no event was written."""
        return self._written(self._native.upsert(self._actor, fields))


class _Finds(_Collection):
    def find(self, **filters: Any) -> Iterator[Any]:
        """Records matching every filter, in id order, fetched page by page as the
        iterator advances. Bad filters raise here, not on the first next()."""
        actor = self._actor
        first = self._native.find(actor, filters, 0, _PAGE_SIZE)
        return self._pages(actor, filters, first)

    def _pages(self, actor: Any, filters: dict[str, Any], page: list[dict[str, Any]]) -> Iterator[Any]:
        record = self._record
        while True:
            for fields in page:
                yield record(**fields)
            if len(page) < _PAGE_SIZE:
                return
            page = self._native.find(actor, filters, page[-1]["id"], _PAGE_SIZE)


class _Counts(_Collection):
    def count(self, **filters: Any) -> int:
        """How many records find(**filters) would yield."""
        return self._native.count(self._actor, filters)


class Users(_Gets, _Adds, _Finds):
    _record = User

    def by_login(self, login: str) -> User:
        return User(**self._native.by_login(self._actor, login))

    def set_password(self, user: User | int | str, password: str, *, current_password: str | None = None) -> None:
        """Sets the password `user` logs in to the screens with (at least 10 characters;
        Argon2id). An admin or director sets anybody's; a user their own, given
        `current_password`. Every session of the user ends."""
        self._native.set_password(self._actor, self._user(user), password, current_password)

    def deactivate(self, user: User | int | str) -> User:
        """Ends the user's sessions and stops their tokens (admin, director)."""
        return User(**self._native.set_active(self._actor, self._user(user), False))

    def activate(self, user: User | int | str) -> User:
        return User(**self._native.set_active(self._actor, self._user(user), True))


class Clients(_Gets, _Adds, _Updates, _Upserts, _Finds, _Counts, _Columnar):
    _record = Client

    def segment(self, id: int) -> ClientSegment:
        """The client's segment, since when, and when it moves on by itself if no order
        comes (``find(segment="sleeping")`` lists the clients of one segment)."""
        return ClientSegment(**self._native.segment(self._actor, id))


class Contacts(_Gets, _Adds, _Updates, _Finds):
    _record = Contact


class Products(_Gets, _Adds, _Updates, _Upserts, _Finds, _Counts, _Exported):
    _entity = "products"
    _record = Product

    def by_sku(self, sku: str) -> Product:
        return Product(**self._native.by_sku(self._actor, sku))


class Deals(_Gets, _Adds, _Updates, _Finds, _Counts, _Exported):
    _entity = "deals"
    _record = Deal

    def advance(self, id: int, stage: str, /, **fields: Any) -> Deal:
        """Moves the deal to `stage`, setting `fields` (what the stage needs) in the same
        step. StageGateError lists what is still missing; "lost" needs a reason."""
        return self._written(self._native.advance(self._actor, id, stage, fields))

    def lose(self, id: int, reason: str) -> Deal:
        """Closes the deal as lost for `reason` (one of the configured lost reasons)."""
        return self._written(self._native.lose(self._actor, id, reason))

    def attest(self, id: int, document: str, /, *, note: str = "") -> Deal:
        """Vouches for `document` on the deal (a scanned specification): one the
        configuration lists as attestable ([pipeline] attestable.<stage>), logged as
        deal.document_attested with the acting user. Documents the engine derives from
        records (proposal_sent, contract_signed, ...) raise ValidationError."""
        return self._written(self._native.attest(self._actor, id, document, note))

    def attestations(self, id: int | None = None, /, *, by_migration: bool = False) -> list[DocumentAttestation]:
        """Documents people vouched for, on deal `id` or on every deal you see; with
        `by_migration`, only those an older salescore let people type in that no record
        backs (what `salescore doctor` lists for review)."""
        return [DocumentAttestation(**a) for a in self._native.attestations(self._actor, id or 0, by_migration)]

    def stage_history(self, id: int) -> list[StageVisit]:
        """Every stage the deal has been in, oldest first."""
        return [StageVisit(**v) for v in self._native.stage_history(self._actor, id)]


class Orders(_Gets, _Adds, _Updates, _Upserts, _Finds, _Counts, _Columnar):
    _record = Order

    def to_ship(self, id: int) -> OrderToShip:
        """What is still to ship of the order, per line: ordered, shipped (left with
        shipments shipped or delivered), planned (held by planned ones) and remaining."""
        found = self._native.to_ship(self._actor, id)
        return OrderToShip(order_id=found["order_id"], lines=[LineToShip(**l) for l in found["lines"]],
                           complete=found["complete"])

    def contract(self, id: int) -> int | None:
        """The id of the contract covering the order, or None."""
        return self._native.contract(self._actor, id)

    def refund(self, id: int, /, amount: Any, *, reference: str, reason: str = "",
               refunded_at: Any = None) -> Refund:
        """Records money given back on order `id`: `amount` in the order's currency (a
        Money of another currency is refused), at most what is left unrefunded. The
        same `reference` again returns the refund already recorded (outcome
        "unchanged"); with another amount it raises. `refunded_at` defaults to now. The
        refund lowers the sales KPIs in its period (docs/kpi.md, "Refunds")."""
        fields: dict[str, Any] = {"amount": amount, "reference": reference, "reason": reason}
        if refunded_at is not None:
            fields["refunded_at"] = refunded_at
        return Refund._from_write(*self._native.refund(self._actor, id, fields))

    def refunds(self, id: int, /) -> OrderRefunds:
        """The order's refunds, oldest first, with its total, what is refunded and what is left."""
        found = self._native.refunds(self._actor, id)
        return OrderRefunds(**{**found, "refunds": [Refund(**r) for r in found["refunds"]]})


class Interactions(_Gets, _Adds, _Upserts, _Finds, _Counts, _Columnar):
    _record = Interaction


class Tasks(_Gets, _Adds, _Updates, _Finds, _Counts, _Exported):
    _entity = "tasks"
    _record = Task

    def today(self, user: User | int | str | None = None) -> list[TodayItem]:
        """The open tasks for today of `user` (a User, id or login; default the acting
        user) in the company time zone: overdue first, then due today, then installment
        reminders due later."""
        items = self._native.today(self._actor, self._actor.user_id if user is None else self._user(user))
        return [TodayItem(section=i["section"], task=Task(**i["task"]), client_name=i["client_name"],
                          reason=i["reason"]) for i in items]


class Leads(_Gets, _Adds, _Finds, _Counts, _Exported):
    _entity = "leads"
    _record = Lead

    def queue(self, limit: int = 100, **filters: Any) -> list[Lead]:
        """The work queue: concrete requests first, then oldest first."""
        return [Lead(**f) for f in self._native.queue(self._actor, filters, limit)]

    def touch(self, id: int, kind: str) -> Lead:
        """A first (or later) action on the lead: "call", "email" or "status". The first
        one stops its SLA clock and closes the answer task."""
        return Lead(**self._native.touch(self._actor, id, kind))

    def convert(self, id: int, deal_title: str = "") -> LeadConversion:
        """Turns the lead into a client (the matched one or a new one) and a new deal."""
        done = self._native.convert(self._actor, id, deal_title)
        return LeadConversion(lead=Lead(**done["lead"]), client_id=done["client_id"],
                              client_created=done["client_created"], deal_id=done["deal_id"])

    def lose(self, id: int, reason: str) -> Lead:
        return Lead(**self._native.lose(self._actor, id, reason))


class Proposals(_Gets, _Adds, _Updates, _Finds, _Counts, _Exported):
    _entity = "proposals"
    _record = Proposal

    def request_approval(self, id: int, reason: str) -> Approval:
        """Asks for the approval the proposal needs (individual, or beyond the actor's
        authority); refused when it needs none."""
        return Approval(**self._native.request_approval(self._actor, id, reason))

    def send(self, id: int) -> Proposal:
        """Records that it went to the client; ApprovalRequired while it lacks one."""
        return Proposal(**self._native.send(self._actor, id))

    def mark_received(self, id: int, at: _dt.datetime | None = None) -> Proposal:
        return Proposal(**self._native.mark_received(self._actor, id, at))

    def accept(self, id: int) -> Proposal:
        return Proposal(**self._native.accept(self._actor, id))

    def decline(self, id: int, reason: str) -> Proposal:
        return Proposal(**self._native.decline(self._actor, id, reason))


class Approvals(_Gets, _Finds, _Counts):
    """Requests for someone with more authority to allow something. They are asked for
    through their subject (proposals.request_approval, contracts.request_approval) or
    here for deal discounts and VIP visits."""

    _record = Approval

    def decide(self, id: int, approve: bool, comment: str = "") -> Approval:
        """Approves or rejects (a rejection needs a comment). Only the subject's head (or
        whoever it escalated to), a director or an admin may; never the requester."""
        return Approval(**self._native.decide(self._actor, id, approve, comment))

    def waiting(self, user: User | int | str | None = None) -> list[Approval]:
        """The pending requests addressed to `user` (default the acting user): what they
        are asked to decide now (GET /api/v1/approvals/waiting, `salescore approvals
        waiting`)."""
        approver = self._actor.user_id if user is None else self._user(user)
        return list(self.find(approver_id=approver, status="pending"))

    def request_deal_discount(self, deal_id: int, discount_percent: Any = None, reason: str = "", *,
                              discount_bp: int | None = None) -> Approval:
        """Asks for a discount on a deal in percent (a Decimal, "15.00" or 15), as REST's
        ``discount_percent``; granted at once within the actor's own authority.
        ``discount_bp`` (hundredths of a percent, 1500: 15 %) is the deprecated form."""
        if discount_bp is not None:
            import warnings

            warnings.warn("discount_bp is deprecated: give discount_percent", DeprecationWarning, stacklevel=2)
            if discount_percent is None:
                discount_percent = _dec.Decimal(discount_bp) / 100
        if discount_percent is None:
            from ._errors import ValidationError

            raise ValidationError("discount_percent is required", code="invalid_argument",
                                  fields={"discount_percent": "required"})
        return Approval(**self._native.request_deal_discount(self._actor, deal_id, discount_percent, reason))

    def request_visit(self, client_id: int, at: _dt.datetime, reason: str) -> Approval:
        return Approval(**self._native.request_visit(self._actor, client_id, at, reason))


class Contracts(_Gets, _Adds, _Updates, _Finds, _Counts, _Exported):
    _entity = "contracts"
    _record = Contract

    def request_approval(self, id: int, reason: str) -> Approval:
        return Approval(**self._native.request_approval(self._actor, id, reason))

    def sign(self, id: int, at: _dt.datetime | None = None) -> Contract:
        """Signed at `at` (default now); ApprovalRequired while it needs one."""
        return Contract(**self._native.sign(self._actor, id, at))

    def terminate(self, id: int, reason: str) -> Contract:
        return Contract(**self._native.terminate(self._actor, id, reason))

    def set_orders(self, id: int, order_ids: list[int]) -> list[int]:
        """Names the orders the contract covers (the client's, each covered by no other
        contract), replacing those named before; returns them in id order."""
        return self._native.set_orders(self._actor, id, list(order_ids))

    def orders(self, id: int) -> list[int]:
        """The ids of the orders the contract covers."""
        return self._native.orders(self._actor, id)


class Shipments(_Gets, _Adds, _Updates, _Finds, _Counts, _Exported):
    """Shipments of orders (an order may leave in several)."""

    _entity = "shipments"
    _record = Shipment

    def ship(self, id: int, at: _dt.datetime | None = None) -> Shipment:
        return Shipment(**self._native.ship(self._actor, id, at))

    def deliver(self, id: int, at: _dt.datetime | None = None) -> Shipment:
        return Shipment(**self._native.deliver(self._actor, id, at))

    def cancel(self, id: int) -> Shipment:
        return Shipment(**self._native.cancel(self._actor, id))

    def set_lines(self, id: int, lines: list[dict[str, Any]]) -> list[ShippedLine]:
        """Lists the order lines that leave with the shipment, replacing those listed
        before: [{"line": 1, "quantity": Decimal("6")}, {"sku": "TEA-100", "quantity": 4}]
        (a line by its number in the order, or by a SKU on one line only). More than is
        left to ship of a line is refused naming the line; so is a delivered or
        cancelled shipment."""
        return [ShippedLine(**l) for l in self._native.set_lines(self._actor, id, list(lines))]

    def lines(self, id: int) -> list[ShippedLine]:
        """The order lines listed as leaving with the shipment, in line order."""
        return [ShippedLine(**l) for l in self._native.lines(self._actor, id)]


class Payments(_Gets, _Adds, _Finds, _Counts, _Columnar):
    """Payments received; add() registers one and allocates it to the order's earliest
    open installments."""

    _record = Payment

    def set_schedule(self, order_id: int, installments: list[dict[str, Any]]) -> PaymentSchedule:
        """Replaces the order's payment schedule: [{"due_at": ..., "amount": ...}, ...]
        adding up to the order total, due dates strictly increasing."""
        return PaymentSchedule(**self._native.set_schedule(self._actor, order_id, installments))

    def schedule(self, order_id: int) -> PaymentSchedule:
        return PaymentSchedule(**self._native.schedule(self._actor, order_id))

    def receivables(self, by: str = "client", **filters: Any) -> list[ReceivablesLine]:
        """ДЗ and ПДЗ with aging per "client", "manager" or "department"; filters: at,
        client_id, owner_id, head_id."""
        return [ReceivablesLine(**line) for line in self._native.receivables(self._actor, {"by": by, **filters})]


class Claims(_Gets, _Adds, _Updates, _Finds, _Counts, _Exported):
    _entity = "claims"
    _record = Claim

    def count_by_cause(self, **filters: Any) -> dict[str, int]:
        """Cause -> number of claims, most frequent first; filters: since, until, kind."""
        return self._native.count_by_cause(self._actor, filters)


class Market(_Gets, _Adds, _Finds, _Exported):
    """Market and competitor information: competitors' prices and offers, changes in
    demand, customers' requirements. Seen by whoever recorded it, their head, and
    whoever sees its client."""

    _entity = "market"
    _record = MarketNote

    def report(self, period: str, *, by: str = "competitor") -> MarketReport:
        """The information observed in the period (as for KPIs: "2026-10", "2026-W44",
        "2026-Q4", "2026-10-01..2026-10-15"), by "competitor" or "product_group"."""
        return MarketReport(**self._native.report(self._actor, period, by))


class Absences(_Gets, _Adds, _Finds, _Counts):
    _record = Absence

    def cancel(self, id: int) -> Absence:
        """Ends an absence early (or withdraws a future one); rights revert at once."""
        return Absence(**self._native.cancel(self._actor, id))


class Routes(_Collection):
    """Route sales: each rep's outlets per weekday, outlet channels and must-have SKUs."""

    def set(self, rep_id: int, weekday: int, outlet_ids: list[int]) -> Route:
        return Route(**self._native.set(self._actor, rep_id, weekday, outlet_ids))

    def get(self, rep_id: int, weekday: int) -> Route:
        return Route(**self._native.get(self._actor, rep_id, weekday))

    def plan(self, rep_id: int, date: _dt.datetime) -> Route:
        """The outlets planned for `date` (its weekday, in UTC)."""
        return Route(**self._native.plan(self._actor, rep_id, date))

    def set_channel(self, outlet_id: int, channel: str) -> None:
        self._native.set_channel(self._actor, outlet_id, channel)

    def channel(self, outlet_id: int) -> str:
        return self._native.channel(self._actor, outlet_id)

    def set_must_have(self, channel: str, skus: list[str]) -> None:
        self._native.set_must_have(self._actor, channel, list(skus))

    def must_have(self, channel: str) -> list[str]:
        return self._native.must_have(self._actor, channel)


class Visits(_Gets, _Finds, _Counts, _Exported):
    """A rep's visits to outlets: check in, record the stock seen, attach the order."""

    _entity = "visits"

    _record = Visit

    def check_in(self, rep_id: int, outlet_id: int) -> Visit:
        return Visit(**self._native.check_in(self._actor, rep_id, outlet_id))

    def record_stock(self, id: int, stock: dict[str, Any]) -> Visit:
        """Replaces the stock seen (SKU -> quantity) and lists missing must-have SKUs."""
        return Visit(**self._native.record_stock(self._actor, id, stock))

    def attach_order(self, id: int, order_id: int) -> Visit:
        return Visit(**self._native.attach_order(self._actor, id, order_id))

    def check_out(self, id: int) -> Visit:
        return Visit(**self._native.check_out(self._actor, id))

    def open_visit(self, rep_id: int) -> Visit | None:
        fields = self._native.open_visit(self._actor, rep_id)
        return None if fields is None else Visit(**fields)

    def suggest_order(self, id: int) -> SuggestedOrder:
        return SuggestedOrder(**self._native.suggest_order(self._actor, id))


class Events:
    """The event log: every change, in order, numbered by ``seq``. A consumer keeps the
    last seq it handled and asks for what came after it."""

    def __init__(self, owner: Any, native: Any) -> None:
        self._owner = owner
        self._native = native

    def since(self, seq: int, limit: int = 1000) -> list[Event]:
        """Events with a seq greater than `seq`, oldest first, at most `limit` (0: all)."""
        return [Event(**fields) for fields in self._native.since(seq, limit)]

    def last_seq(self) -> int:
        """The seq of the newest event; 0 while the log is empty."""
        return self._native.last_seq()

    def to_pandas(self) -> Any:
        """The whole log as a DataFrame, as GET /api/v1/exports/events has it (director,
        admin, system)."""
        exported = _Exported()
        exported._owner, exported._entity = self._owner, "events"
        return exported.to_pandas()


class DeadLetters:
    """What the connectors and automations gave up on, kept with the reason: nothing is
    dropped silently. ``replay(id)`` sends a record through again once its cause is
    fixed, as ``salescore deadletters replay`` does."""

    def __init__(self, owner: Any, native: Any) -> None:
        self._owner = owner
        self._native = native

    def find(self, connector: str | None = None, *, include_replayed: bool = False,
             limit: int | None = None) -> Iterator[DeadLetter]:
        """Dead letters oldest first, of one connector (or an automation's
        "automation.<module>.<function>") or all; replayed ones only when asked."""
        after, left = 0, limit
        while left is None or left > 0:
            page = self._native.find(connector, include_replayed, after, 500 if left is None else min(500, left))
            if not page:
                return
            for fields in page:
                yield DeadLetter._from_native(fields)
            after = page[-1]["id"]
            if left is not None:
                left -= len(page)

    def get(self, id: int) -> DeadLetter:
        return DeadLetter._from_native(self._native.get(id))

    def replay(self, id: int) -> str:
        """"applied" (an inbound record), "duplicate" (it had come again meanwhile) or
        "requeued" (an outbound item is back in its outbox; the letter is replayed once
        its connector delivers it). A replay that fails raises, and the failure is added
        to the letter's ``replays`` (its reason stays); one that is refused (an
        automation's letter, one replayed or queued already) raises and changes nothing."""
        return self._native.replay(id)


class Outbox:
    """The connector runtime's outbox: messages for the e-mail, telephony or webhook
    connectors to deliver (with retries and dead letters of their own). Automations
    send through it instead of calling the outside world themselves."""

    def __init__(self, owner: Any, native: Any) -> None:
        self._owner = owner
        self._native = native

    def enqueue(self, connector: str, kind: str, payload: dict[str, Any], key: str) -> int | None:
        """Queues `payload` for `connector`; None when an item with the same `key` is
        already pending (an automation retried after a crash sends once)."""
        import json

        return self._native.enqueue(connector, kind, json.dumps(payload, ensure_ascii=False, default=str), key)

    def pending(self, connector: str) -> int:
        """Items of `connector` waiting to be delivered."""
        return self._native.pending(connector)


class Emails(_Collection):
    """Letters to clients, sent by the e-mail connector from its outbox (with its retries
    and dead letters) and logged on the client's timeline once sent."""

    def send(self, client: Any, *, subject: str = "", text: str = "", html: str = "",
             to: list[str] | str | None = None, cc: list[str] | None = None, contact: Any = None,
             in_reply_to: str = "", references: list[str] | None = None,
             attachments: list[tuple[str, str, bytes]] | None = None, automated: bool = False, key: str = "",
             reply_to: Any = None) -> int | None:
        """Queues a letter to `client` (a Client or its id): to `to`, else `contact`'s first
        e-mail, else the client's. Every address must be the client's or its contacts'; the
        caller must see the client. `attachments` are (name, content type, bytes).
        `reply_to` (an e-mail Interaction on the client's timeline, or its id) answers that
        letter in its thread: In-Reply-To and References from the thread, "Re: " its subject
        and its sender as the recipient unless given; `in_reply_to` (a Message-ID) does the
        threading by hand. Returns the outbox id, or None when a letter with the same `key`
        is queued already."""
        import base64

        files = [(name, ctype, base64.b64encode(data).decode()) for name, ctype, data in attachments or []]
        return self._native.send(self._actor, _record_id(client), _record_id(contact) if contact is not None else 0,
                                 [to] if isinstance(to, str) else list(to or []), list(cc or []), subject, text, html,
                                 in_reply_to, list(references or []), files, automated, key,
                                 _record_id(reply_to) if reply_to is not None else 0)


class Calls(_Collection):
    """Click-to-call: the PBX rings the acting user's phone, then the client's number.
    The call itself lands on the timeline as the PBX reports it (answered, busy, failed)."""

    def dial(self, client: Any = None, *, contact: Any = None, phone: str = "", key: str = "") -> Dialled:
        """Queues a call from the acting user (a Session's user: a person, whose phone rings
        first) to `client` or `contact` (records or ids): to `phone`, which must be one of
        theirs, else the contact's first number, else the client's. The same rule as REST's
        POST /api/v1/calls: AccessDenied for a client the user may not see,
        ValidationError for a number that is not theirs. A second click within the minute
        (or under the same `key`) queues nothing (``queued`` False)."""
        return Dialled(**self._native.dial(self._actor, _record_id(client) if client is not None else 0,
                                           _record_id(contact) if contact is not None else 0, phone, key))


class Plans(_Collection):
    """Monthly sales plans. Setting one again keeps the old one as history."""

    def set(self, user: User | int, month: str, amount: Any) -> SalesPlan:
        """Sets the plan of `user` for `month` ("2026-10"). A head sets their department's,
        a director or admin anyone's; a manager cannot set their own."""
        return SalesPlan(**self._native.set(self._actor, self._user(user), month, amount))

    def get(self, user: User | int, month: str) -> SalesPlan:
        """The plan in force; NotFound when none was set."""
        return SalesPlan(**self._native.get(self._actor, self._user(user), month))

    def history(self, user: User | int, month: str) -> list[SalesPlan]:
        """Every plan set for that user and month, oldest first."""
        return [SalesPlan(**p) for p in self._native.history(self._actor, self._user(user), month)]


class Kpi(_Collection):
    """KPIs and sales reports. A period is "2026-10" (month), "2026-W44" (ISO week),
    "2026-10-05" (day), "2026-Q4" (quarter) or "2026-10-01..2026-10-15" (days, both
    included), in the company time zone. Whose figures: ``user=`` one user, ``team=`` a
    head's department, neither the company."""

    def get(self, kpi_id: str, *, period: str, user: User | int | None = None,
            team: User | int | None = None) -> KpiValue:
        return KpiValue(**self._native.get(self._actor, kpi_id, self._maybe_user(user), self._maybe_user(team), period))

    def all(self, *, period: str, user: User | int | None = None, team: User | int | None = None) -> list[KpiValue]:
        """Every KPI of the catalog for that target and period, in catalog order."""
        return [KpiValue(**v) for v in self._native.get_all(self._actor, self._maybe_user(user), self._maybe_user(team), period)]

    def table(self, ids: list[str] | None = None, *, period: str, by: str | None = None,
              user: User | int | str | None = None, team: User | int | str | None = None) -> KpiTable:
        """The KPIs ``ids`` (every one when None) of the target over the period, and split
        ``by="user"`` (every manager and head of the target) or ``by="month"``: what a
        dashboard shows, each sum read once."""
        raw = self._native.table(self._actor, list(ids or []), by or "", self._maybe_user(user), self._maybe_user(team),
                                 period)
        rows = [KpiRow(user_id=r["user_id"], label=r["label"], period=r["period"],
                       values=[KpiValue(**v) for v in r["values"]]) for r in raw["rows"]]
        return KpiTable(period=raw["period"], by=raw["by"], total=[KpiValue(**v) for v in raw["total"]], rows=rows)

    def report(self, period: str, *, user: User | int | None = None, team: User | int | None = None) -> KpiReport:
        """The daily ("2026-10-05"), weekly ("2026-W44") or monthly ("2026-10") report."""
        return KpiReport(**self._native.report(self._actor, period, self._maybe_user(user), self._maybe_user(team)))

    def catalog(self) -> list[dict[str, str]]:
        """Every KPI: {"id", "unit", "summary"}."""
        return _core.kpi_catalog()

    def rebuild(self) -> None:
        """Recomputes the KPI aggregates from the records (director, admin, system)."""
        self._native.rebuild(self._actor)
