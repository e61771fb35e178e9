"""Engine, Session and open(): the Python face of salescore::Engine.

An Engine acts as the system user; ``engine.as_user(user)`` gives a Session whose
collections act as that user, with that user's access (AccessDenied otherwise). Both
keep the acting user in one place (``_actor``) and pass it on every native call.
"""

from __future__ import annotations

import os
import re
from typing import Any, Callable

from . import _core
from ._collections import (
    Absences,
    Approvals,
    Claims,
    Clients,
    Contacts,
    Contracts,
    Deals,
    Events,
    Interactions,
    Kpi,
    Leads,
    Market,
    Orders,
    Outbox,
    DeadLetters,
    Payments,
    Emails,
    Calls,
    Plans,
    Products,
    Proposals,
    Routes,
    Shipments,
    Tasks,
    Users,
    Visits,
    _user_id,
)
from ._columns import export as _export
from ._columns import export_records as _export_records
from ._events import Dispatcher
from ._records import DueReport

# Attribute name -> (collection class, native class). The same table builds an
# Engine's collections and a Session's, so both always offer the same ones.
_COLLECTIONS: dict[str, tuple[type, Any]] = {
    "users": (Users, _core.Users),
    "clients": (Clients, _core.Clients),
    "contacts": (Contacts, _core.Contacts),
    "products": (Products, _core.Products),
    "deals": (Deals, _core.Deals),
    "orders": (Orders, _core.Orders),
    "interactions": (Interactions, _core.Interactions),
    "tasks": (Tasks, _core.Tasks),
    "leads": (Leads, _core.Leads),
    "proposals": (Proposals, _core.Proposals),
    "approvals": (Approvals, _core.Approvals),
    "contracts": (Contracts, _core.Contracts),
    "shipments": (Shipments, _core.Shipments),
    "payments": (Payments, _core.Payments),
    "claims": (Claims, _core.Claims),
    "market": (Market, _core.Market),
    "visits": (Visits, _core.Visits),
    "routes": (Routes, _core.Routes),
    "absences": (Absences, _core.Absences),
    "plans": (Plans, _core.Plans),
    "emails": (Emails, _core.EmailOutbox),
    "calls": (Calls, _core.CallDialer),
    "kpi": (Kpi, _core.Kpi),
}

# What export() writes, every surface's list (salescore/exports.h).
EXPORTS: tuple[str, ...] = tuple(_core.export_entities())

# What export() can write with filters: the collections that read as columns.
_COLUMNAR = ("orders", "clients", "interactions", "payments")


class _Acting:
    """The collections, acting as `_actor`."""

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

    def _bind(self, natives: dict[str, Any]) -> None:
        for name, (cls, _) in _COLLECTIONS.items():
            setattr(self, name, cls(self, natives[name]))

    def export(self, entity: str, path: str | os.PathLike[str], format: str = "csv", *,
               progress: bool | None = None, **filters: Any) -> int:
        """Writes `entity` (one of salescore.EXPORTS: clients, orders, deals, leads,
        tasks, claims, payments, visits, interactions, calls, products, events,
        proposals, contracts, shipments, market) to `path` as
        CSV (with a header) or JSON Lines and returns the rows written: the records the
        acting user may see, with the fields and units of GET /api/v1/exports/NAME and
        `salescore export NAME` (money as decimal strings beside the currency, times ISO
        8601 UTC with Z). With `filters` (orders, clients, interactions, payments only)
        it writes the columns of to_numpy for the rows find(**filters) yields. A progress
        bar goes to stderr when it is a terminal (progress=True/False forces it)."""
        if filters:
            if entity not in _COLUMNAR:
                from ._errors import ValidationError

                raise ValidationError(f"cannot export {entity!r} with filters", code="invalid_argument",
                                      fields={"entity": "with filters one of " + ", ".join(_COLUMNAR)})
            return _export(getattr(self, entity), entity, path, format, filters, progress)
        return _export_records(self, entity, path, format, progress)


class Session(_Acting):
    """The engine's collections acting as one user: what they may see and do is what
    that user may (their clients, their department, their deputyship)."""

    def __init__(self, engine: Engine, user_id: int, role: str) -> None:
        self._engine = engine
        self._engine_handle = engine._native  # the native engine, for exports
        self._actor = _core.Actor(user_id, role)
        self._bind(engine._natives)

    @property
    def user_id(self) -> int:
        return self._actor.user_id

    def __repr__(self) -> str:
        return f"<salescore.Session user {self._actor.user_id} on {self._engine!r}>"


class Engine(_Acting):
    """An open salescore database. Use as a context manager, or call close()."""

    def __init__(self, native: Any, actor: Any, url: str) -> None:
        self._native = native
        self._engine_handle = native
        self._actor = actor
        self._url = url
        self._natives = {name: native_cls(native) for name, (_, native_cls) in _COLLECTIONS.items()}
        self._bind(self._natives)
        self.events = Events(self, _core.Events(native))
        self.outbox = Outbox(self, _core.Outbox(native))
        self.dead_letters = DeadLetters(self, _core.DeadLetters(native))
        self._dispatcher = Dispatcher(self)

    def as_user(self, user: Any) -> Session:
        """A Session acting as `user` (a User, a user id or a login); NotFound if there is none."""
        found = self.users.get(_user_id(user, self))
        return Session(self, found.id, found.role)

    def run_due(self) -> DueReport:
        """Runs every timer due at the clock's now (SLA reassignment and escalation of
        leads, approval escalations, installment reminders and overdue installments,
        segment moves, contract expiry) and says what it did. What is not due does
        nothing, so calling it often is safe."""
        return DueReport(**self._native.run_due())

    def on(self, *event_types: str) -> Callable[[Any], Any]:
        """Decorator: ``@engine.on("order.created")`` registers ``handler(event, engine)``
        for events written from now on; ``engine.dispatch()`` runs them."""
        return self._dispatcher.on(*event_types)

    def dispatch(self, limit: int = 1000) -> int:
        """Runs the registered handlers for the events written since the last dispatch;
        returns how many handler calls were made."""
        return self._dispatcher.dispatch(limit)

    @property
    def config(self) -> dict[str, Any]:
        """The settings in force: timezone, phone_region, currency, durable,
        busy_timeout_ms, mandatory."""
        return self._native.config()

    @property
    def schema_version(self) -> int:
        return self._native.schema_version

    @property
    def closed(self) -> bool:
        return self._native.closed

    def close(self) -> None:
        """Closes the database; later calls raise salescore.Error. Closing twice is fine."""
        self._native.close()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self.closed else "open"
        return f"<salescore.Engine {self._url!r} {state}>"


def open(
    url: str,
    *,
    clock: _core.ManualClock | None = None,
    config: str | os.PathLike[str] | None = None,
    read_only: bool = False,
) -> Engine:
    """Opens (creating if needed) the database at `url` and applies pending migrations.

    url: "sqlite:PATH" for a file, "sqlite::memory:" for a private in-memory database,
    "postgresql://user:password@host:port/db" for a PostgreSQL database.
    clock: a ManualClock to drive the engine's time (tests, simulations); None: the
    system clock. config: path of the INI configuration; None: the defaults.
    read_only: refuse every write (reports, exports against a live file).
    """
    native = _core.Engine.open(url, clock, None if config is None else os.fspath(config), read_only)
    # The engine's repr shows the URL: never its password.
    return Engine(native, _core.Actor.system(), re.sub(r"^(postgres(?:ql)?://[^:/@]*:)[^@/]*@", r"\1***@", url))
