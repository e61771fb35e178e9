"""Event handlers: ``@salescore.on("order.created")`` marks a function for the
automation runner (python -m salescore.automate); ``@engine.on(...)`` registers one on
an open engine, run by ``engine.dispatch()``.

A pattern is an event type ("order.created"), a family ("order.*") or "*" for all.
"""

from __future__ import annotations

from typing import Any, Callable, TypeVar

from ._records import Event

Handler = TypeVar("Handler", bound=Callable[..., Any])

# The attribute @salescore.on leaves on a function: the patterns it handles.
_MARK = "__salescore_on__"


def _check_pattern(pattern: str) -> str:
    if not isinstance(pattern, str) or not pattern or (pattern != "*" and pattern.startswith(".")):
        from ._errors import ValidationError

        raise ValidationError(f"bad event pattern {pattern!r}", code="invalid_argument",
                              fields={"event_type": "expected 'entity.action', 'entity.*' or '*'"})
    return pattern


def matches(pattern: str, event_type: str) -> bool:
    if pattern == "*":
        return True
    if pattern.endswith(".*"):
        return event_type.startswith(pattern[:-1])
    return pattern == event_type


def on(*event_types: str) -> Callable[[Handler], Handler]:
    """Marks a function as an automation for these event types. The runner calls it
    as ``handler(event, engine)`` once per matching event, in log order."""
    patterns = [_check_pattern(p) for p in event_types]
    if not patterns:
        raise TypeError("on() needs at least one event type")

    def mark(handler: Handler) -> Handler:
        setattr(handler, _MARK, tuple(getattr(handler, _MARK, ())) + tuple(patterns))
        return handler

    return mark


def patterns_of(handler: Callable[..., Any]) -> tuple[str, ...]:
    return tuple(getattr(handler, _MARK, ()))


class Dispatcher:
    """The handlers registered on one engine and how far into the log they have run."""

    def __init__(self, engine: Any) -> None:
        self._engine = engine
        self._handlers: list[tuple[str, Callable[..., Any]]] = []
        self._offset: int | None = None  # set at the first registration: new events only

    def on(self, *event_types: str) -> Callable[[Handler], Handler]:
        patterns = [_check_pattern(p) for p in event_types]
        if not patterns:
            raise TypeError("on() needs at least one event type")

        def register(handler: Handler) -> Handler:
            if self._offset is None:
                self._offset = self._engine.events.last_seq()
            self._handlers += [(p, handler) for p in patterns]
            return handler

        return register

    def dispatch(self, limit: int = 1000) -> int:
        """Runs the handlers for events written since the last dispatch (or since the
        first handler was registered); returns how many handler calls were made. A
        handler's exception propagates; the event it failed on is dispatched again on
        the next call."""
        if self._offset is None:
            return 0
        calls = 0
        while True:
            events: list[Event] = self._engine.events.since(self._offset, limit)
            for event in events:
                for pattern, handler in self._handlers:
                    if matches(pattern, event.type):
                        handler(event, self._engine)
                        calls += 1
                self._offset = event.seq
            if len(events) < limit:
                return calls
