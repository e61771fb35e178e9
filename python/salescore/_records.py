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
