"""Engine and its collections: the Python face of salescore::Engine.

Every call acts as the engine's acting user, kept in one place (``Engine._actor``) and
passed to the native module on each call, so access rules need no global state.
"""

from __future__ import annotations

import os
from typing import Any, Iterator

from . import _core
from ._records import Client, Contact, Deal, Event, Interaction, Order, Product, Task, User

# Rows fetched per round trip while iterating find(); big enough that a round trip's
# cost vanishes, small enough not to hold a large result in memory twice.
_PAGE_SIZE = 500


class _Collection:
    _record: Any  # the record class this collection returns

    def __init__(self, engine: Engine, native: Any) -> None:
        self._engine = engine
        self._native = native

    def get(self, id: int, /) -> Any:
        """The record with this id; NotFound if there is none."""
        return self._record(**self._native.get(self._engine._actor, id))

    def _written(self, result: tuple[dict[str, Any], str, list[int]]) -> Any:
        fields, outcome, possible_duplicates = result
        return self._record._from_write(fields, outcome, possible_duplicates)

    def __repr__(self) -> str:
        return f"<salescore {type(self).__name__} of {self._engine!r}>"


class _Adds(_Collection):
    def add(self, **fields: Any) -> Any:
        """Creates a record; unknown or invalid fields raise ValidationError naming each."""
        return self._written(self._native.add(self._engine._actor, fields))


class _Updates(_Collection):
    def update(self, id: int, /, **fields: Any) -> Any:
        """Changes the given fields of record `id` and returns the record as saved."""
        return self._written(self._native.update(self._engine._actor, id, fields))


class _Upserts(_Collection):
    def upsert(self, **fields: Any) -> Any:
        """Creates or updates the record by its natural key; ``.outcome`` on the result
        says which, and "unchanged" means no event was written."""
        return self._written(self._native.upsert(self._engine._actor, fields))


class _Finds(_Collection):
    def find(self, **filters: Any) -> Iterator[Any]:
        """Records matching every filter, in id order, fetched page by page as the
        iterator advances. Bad filters raise here, not on the first next()."""
        actor = self._engine._actor
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
        return self._native.count(self._engine._actor, filters)


class Users(_Adds, _Finds):
    _record = User

    def by_login(self, login: str) -> User:
        return User(**self._native.by_login(self._engine._actor, login))


class Clients(_Adds, _Updates, _Upserts, _Finds, _Counts):
    _record = Client


class Contacts(_Adds, _Updates, _Finds):
    _record = Contact


class Products(_Adds, _Updates, _Upserts, _Finds, _Counts):
    _record = Product

    def by_sku(self, sku: str) -> Product:
        return Product(**self._native.by_sku(self._engine._actor, sku))


class Deals(_Adds, _Updates, _Finds, _Counts):
    _record = Deal


class Orders(_Adds, _Updates, _Upserts, _Finds, _Counts):
    _record = Order


class Interactions(_Adds, _Upserts, _Finds):
    _record = Interaction


class Tasks(_Adds, _Updates, _Finds):
    _record = Task


class Events:
    """The event log: every change, in order, numbered by ``seq``. A consumer keeps the
    last seq it handled and asks for what came after it."""

    def __init__(self, engine: Engine, native: Any) -> None:
        self._engine = engine
        self._native = native

    def since(self, seq: int, limit: int = 1000) -> list[Event]:
        """Events with a seq greater than `seq`, oldest first, at most `limit` (0: all)."""
        return [Event(**fields) for fields in self._native.since(seq, limit)]

    def last_seq(self) -> int:
        """The seq of the newest event; 0 while the log is empty."""
        return self._native.last_seq()


class Engine:
    """An open salescore database. Use as a context manager, or call close()."""

    def __init__(self, native: Any, actor: Any, url: str) -> None:
        self._native = native
        self._actor = actor
        self._url = url
        self.users = Users(self, _core.Users(native))
        self.clients = Clients(self, _core.Clients(native))
        self.contacts = Contacts(self, _core.Contacts(native))
        self.products = Products(self, _core.Products(native))
        self.deals = Deals(self, _core.Deals(native))
        self.orders = Orders(self, _core.Orders(native))
        self.interactions = Interactions(self, _core.Interactions(native))
        self.tasks = Tasks(self, _core.Tasks(native))
        self.events = Events(self, _core.Events(native))

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

    url: "sqlite:PATH" for a file, "sqlite::memory:" for a private in-memory database.
    clock: a ManualClock to drive the engine's time (tests, simulations); None: the
    system clock. config: path of the INI configuration; None: the defaults.
    read_only: refuse every write (reports, exports against a live file).
    """
    native = _core.Engine.open(url, clock, None if config is None else os.fspath(config), read_only)
    return Engine(native, _core.Actor.system(), url)
