# Typed surface of the salescore package. Keep in step with __init__.py:
# tests/python/test_stubs.py checks that both name the same things.
import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Iterator, Mapping, NamedTuple

__version__: str

# ---- errors -------------------------------------------------------------------------

class Error(Exception):
    retryable: bool
    code: str
    message: str
    fields: dict[str, str]
    def __init__(self, message: str, *, code: str = ..., fields: Mapping[str, str] | None = ...) -> None: ...

class NotFound(Error): ...
class ValidationError(Error): ...
class AccessDenied(Error): ...

class StageGateError(Error):
    @property
    def missing(self) -> list[str]: ...

class ApprovalRequired(Error): ...
class Conflict(Error): ...
class AlreadyExists(Conflict): ...
class Unavailable(Error): ...

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
    seq: int
    at: datetime
    actor_id: int | None
    type: str
    entity: str
    entity_id: int
    payload: dict[str, Any]

# ---- collections --------------------------------------------------------------------
# Fields and filters are keyword arguments named as the record's attributes; an unknown
# name raises ValidationError naming it.

class Users:
    def add(self, **fields: Any) -> User: ...
    def get(self, id: int, /) -> User: ...
    def by_login(self, login: str) -> User: ...
    def find(self) -> Iterator[User]: ...

class Clients:
    def add(self, **fields: Any) -> Client: ...
    def get(self, id: int, /) -> Client: ...
    def update(self, id: int, /, **fields: Any) -> Client: ...
    def upsert(self, **fields: Any) -> Client: ...
    def find(
        self,
        *,
        phone: str = ...,
        email: str = ...,
        inn: str = ...,
        name_prefix: str = ...,
        owner_id: int | None = ...,
        tier: str = ...,
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
    ) -> int: ...

class Contacts:
    def add(self, **fields: Any) -> Contact: ...
    def get(self, id: int, /) -> Contact: ...
    def update(self, id: int, /, **fields: Any) -> Contact: ...
    def find(self, *, client_id: int) -> Iterator[Contact]: ...

class Products:
    def add(self, **fields: Any) -> Product: ...
    def get(self, id: int, /) -> Product: ...
    def by_sku(self, sku: str) -> Product: ...
    def update(self, id: int, /, **fields: Any) -> Product: ...
    def upsert(self, **fields: Any) -> Product: ...
    def find(self, *, sku: str = ..., name_prefix: str = ..., active: bool = ...) -> Iterator[Product]: ...
    def count(self, *, sku: str = ..., name_prefix: str = ..., active: bool = ...) -> int: ...

class Deals:
    def add(self, **fields: Any) -> Deal: ...
    def get(self, id: int, /) -> Deal: ...
    def update(self, id: int, /, **fields: Any) -> Deal: ...
    def find(self, *, client_id: int = ..., owner_id: int | None = ..., stage: str = ...) -> Iterator[Deal]: ...
    def count(self, *, client_id: int = ..., owner_id: int | None = ..., stage: str = ...) -> int: ...

class Orders:
    def add(self, **fields: Any) -> Order: ...
    def get(self, id: int, /) -> Order: ...
    def update(self, id: int, /, **fields: Any) -> Order: ...
    def upsert(self, **fields: Any) -> Order: ...
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

class Interactions:
    def add(self, **fields: Any) -> Interaction: ...
    def get(self, id: int, /) -> Interaction: ...
    def upsert(self, **fields: Any) -> Interaction: ...
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

class Tasks:
    def add(self, **fields: Any) -> Task: ...
    def get(self, id: int, /) -> Task: ...
    def update(self, id: int, /, **fields: Any) -> Task: ...
    def find(
        self,
        *,
        assignee_id: int | None = ...,
        client_id: int | None = ...,
        status: str = ...,
        due_before: datetime | str = ...,
    ) -> Iterator[Task]: ...

class Events:
    def since(self, seq: int, limit: int = ...) -> list[Event]: ...
    def last_seq(self) -> int: ...

class Engine:
    users: Users
    clients: Clients
    contacts: Contacts
    products: Products
    deals: Deals
    orders: Orders
    interactions: Interactions
    tasks: Tasks
    events: Events
    @property
    def config(self) -> dict[str, Any]: ...
    @property
    def schema_version(self) -> int: ...
    @property
    def closed(self) -> bool: ...
    def close(self) -> None: ...
    def __enter__(self) -> Engine: ...
    def __exit__(self, *exc_info: object) -> None: ...

def open(
    url: str,
    *,
    clock: ManualClock | None = ...,
    config: str | os.PathLike[str] | None = ...,
    read_only: bool = ...,
) -> Engine: ...
