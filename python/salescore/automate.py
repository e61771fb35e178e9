"""Runs automations: python -m salescore.automate DIR --db URL

Loads every module in DIR (``*.py``, not starting with "_"), finds the functions marked
``@salescore.on("event.type")`` and calls each as ``handler(event, engine)`` for every
matching event of the event log, in order.

Each automation ("automation.<module>.<function>") keeps its own durable offset in the
database, so a restart resumes where it stopped and one automation never waits for
another. A failing handler is retried with exponential backoff (the others go on
meanwhile); after --max-attempts it is given up on: the event goes to the dead letters
under the automation's name (``salescore deadletters list`` shows it) and the
automation moves past it. A new automation starts at the end of the log (only new
events) unless --from-start. SIGTERM or SIGINT stops it cleanly after the handler in
progress; --once stops when every automation has caught up.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import logging
import signal
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Sequence

from . import _core
from ._engine import Engine, open
from ._events import matches, patterns_of
from ._records import Event

log = logging.getLogger("salescore.automate")

# Events read per round trip.
_BATCH = 500


@dataclass
class Automation:
    name: str  # automation.<module>.<function>
    patterns: tuple[str, ...]
    handler: Callable[..., Any]
    # Retry state, mirrored from the database.
    offset: int = 0
    failures: int = 0
    retry_at: float = 0.0  # time.time() before which it waits

    def wants(self, event: Event) -> bool:
        return any(matches(p, event.type) for p in self.patterns)


def load(directory: str | Path) -> list[Automation]:
    """The automations of every module in `directory`, by module then function name."""
    folder = Path(directory)
    if not folder.is_dir():
        raise SystemExit(f"salescore.automate: {folder} is not a directory")
    found: list[Automation] = []
    for path in sorted(folder.glob("*.py")):
        if path.name.startswith("_"):
            continue
        module_name = f"salescore_automation_{path.stem}"
        spec = importlib.util.spec_from_file_location(module_name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        spec.loader.exec_module(module)
        for attr in sorted(vars(module)):
            fn = getattr(module, attr)
            if callable(fn) and patterns_of(fn) and getattr(fn, "__module__", None) == module_name:
                found.append(Automation(f"automation.{path.stem}.{fn.__name__}", patterns_of(fn), fn))
    return found


@dataclass
class Runner:
    """Runs `automations` against `engine` (acting as the system user)."""

    engine: Engine
    automations: list[Automation]
    max_attempts: int = 5
    base_delay: float = 1.0   # seconds before the first retry; doubles each time
    max_delay: float = 300.0
    from_start: bool = False
    stop: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self._state = _core.Automations(self.engine._native)
        last = self.engine.events.last_seq()
        for a in self.automations:
            st = self._state.state(a.name)
            if not st["known"]:
                # First run here: remember where it starts, so a restart is the same.
                self._state.advance(a.name, 0 if self.from_start else last)
                st = self._state.state(a.name)
            a.offset = st["event_offset"]
            a.failures = st["failures"]
            a.retry_at = st["retry_at"].timestamp() if st["retry_at"] else 0.0

    def run_once(self) -> bool:
        """One pass over every automation that is not waiting for a retry. Returns True
        when it did something, so there may be more to do right away (handlers write
        events of their own)."""
        busy = False
        for a in self.automations:
            if self.stop.is_set():
                return False
            if a.retry_at > time.time():
                continue
            busy |= self._advance(a)
        return busy

    def _advance(self, a: Automation) -> bool:
        events = self.engine.events.since(a.offset, _BATCH)
        for event in events:
            if self.stop.is_set():
                return False
            if a.wants(event) and not self._handle(a, event):
                return True  # waiting for its retry; the others go on meanwhile
            a.offset = event.seq
        if events:
            self._state.advance(a.name, a.offset)
        return bool(events)

    def _handle(self, a: Automation, event: Event) -> bool:
        try:
            a.handler(event, self.engine)
        except Exception as error:  # a handler's failure must not stop the others
            a.failures += 1
            reason = f"{type(error).__name__}: {error}"
            if a.failures >= self.max_attempts:
                log.error("%s gave up on event %d (%s) after %d attempts: %s", a.name, event.seq, event.type,
                          a.failures, reason)
                payload = json.dumps({"seq": event.seq, "type": event.type, "entity": event.entity,
                                      "entity_id": event.entity_id, "payload": event.payload,
                                      "traceback": traceback.format_exc()}, ensure_ascii=False, default=str)
                self._state.dead_letter(a.name, event.type, event.seq, payload, reason, a.failures)
                a.failures = 0
                a.retry_at = 0.0
                self._state.advance(a.name, event.seq)
                return True
            delay = min(self.max_delay, self.base_delay * 2 ** (a.failures - 1))
            a.retry_at = time.time() + delay
            log.warning("%s failed on event %d (%s), attempt %d, retry in %.1fs: %s", a.name, event.seq,
                        event.type, a.failures, delay, reason)
            self._state.advance(a.name, a.offset)  # keep what was done before this event
            self._state.record_failure(a.name, a.failures,
                                       datetime.fromtimestamp(a.retry_at, timezone.utc), reason)
            return False
        if a.failures:
            a.failures = 0
            a.retry_at = 0.0
        self._state.advance(a.name, event.seq)
        return True

    def run(self, *, once: bool = False, poll: float = 1.0) -> None:
        """Until stopped (or, with `once`, until nothing is left that is not waiting
        for a retry beyond now)."""
        while not self.stop.is_set():
            busy = self.run_once()
            if busy:
                continue
            waiting = [a.retry_at for a in self.automations if a.retry_at > time.time()]
            if once:
                if not waiting:
                    return
                self.stop.wait(max(0.0, min(waiting) - time.time()))
                continue
            self.stop.wait(poll)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m salescore.automate", description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", help="folder of automation modules")
    parser.add_argument("--db", required=True, help="database URL, e.g. sqlite:crm.db")
    parser.add_argument("--config", help="INI configuration of the engine")
    parser.add_argument("--once", action="store_true", help="stop when every automation has caught up")
    parser.add_argument("--from-start", action="store_true", help="new automations start at the log's beginning")
    parser.add_argument("--max-attempts", type=int, default=5, help="attempts before an event is dead-lettered")
    parser.add_argument("--retry-delay", type=float, default=1.0, help="seconds before the first retry (doubles)")
    parser.add_argument("--max-delay", type=float, default=300.0, help="longest wait between retries, seconds")
    parser.add_argument("--poll", type=float, default=1.0, help="seconds between looks at the log when idle")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")

    automations = load(args.directory)
    if not automations:
        log.warning("no @salescore.on functions in %s", args.directory)
    with open(args.db, config=args.config) as engine:
        runner = Runner(engine, automations, max_attempts=args.max_attempts, base_delay=args.retry_delay,
                        max_delay=args.max_delay, from_start=args.from_start)

        def stop(signum: int, _frame: Any) -> None:
            log.info("signal %d: stopping after the handler in progress", signum)
            runner.stop.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        log.info("running %d automations: %s", len(automations), ", ".join(a.name for a in automations))
        runner.run(once=args.once, poll=args.poll)
    log.info("stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
