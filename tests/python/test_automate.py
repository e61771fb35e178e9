"""python -m salescore.automate and the event handlers it runs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import salescore
from salescore import automate

EXAMPLES = Path(__file__).resolve().parents[2] / "python" / "examples"


def write_module(folder: Path, name: str, text: str) -> None:
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.py").write_text(textwrap.dedent(text), encoding="utf-8")


@pytest.fixture
def automations(tmp_path):
    folder = tmp_path / "automations"
    write_module(folder, "notes", """
        import salescore

        @salescore.on("client.created")
        def tag_new_client(event, engine):
            engine.clients.update(event.entity_id, notes="new")

        def not_an_automation(event, engine):
            raise AssertionError("never called")
    """)
    write_module(folder, "flaky", """
        import salescore

        @salescore.on("client.*")
        def always_fails(event, engine):
            raise RuntimeError("mail server down")
    """)
    return folder


def test_handlers_are_found_by_module_and_function(automations):
    found = automate.load(automations)
    assert [(a.name, a.patterns) for a in found] == [
        ("automation.flaky.always_fails", ("client.*",)),
        ("automation.notes.tag_new_client", ("client.created",)),
    ]


def test_a_failing_automation_is_retried_then_dead_lettered_without_blocking_the_others(file_engine, automations):
    runner = automate.Runner(file_engine, automate.load(automations), max_attempts=3, base_delay=0.0)
    a = file_engine.clients.add(name="Ромашка")
    b = file_engine.clients.add(name="Лютик")

    runner.run(once=True)

    assert [file_engine.clients.get(c.id).notes for c in (a, b)] == ["new", "new"]
    native = salescore._core.Automations(file_engine._native)
    letters = native.dead_letters("automation.flaky.always_fails")
    # client.created of both and client.updated of both (the other automation's notes).
    assert len(letters) == 4
    assert letters[0]["attempts"] == 3 and "mail server down" in letters[0]["reason"]
    assert letters[0]["kind"] == "client.created"
    last = file_engine.events.last_seq()
    assert native.state("automation.flaky.always_fails")["event_offset"] == last
    assert native.state("automation.notes.tag_new_client")["event_offset"] == last


def test_a_failure_waits_for_its_retry_and_keeps_its_place(file_engine, automations):
    runner = automate.Runner(file_engine, automate.load(automations), max_attempts=3, base_delay=3600.0)
    file_engine.clients.add(name="Ромашка")
    created = file_engine.events.last_seq()

    runner.run_once()

    native = salescore._core.Automations(file_engine._native)
    flaky = native.state("automation.flaky.always_fails")
    assert flaky["failures"] == 1 and flaky["retry_at"] is not None and "mail server down" in flaky["last_error"]
    assert flaky["event_offset"] < file_engine.events.last_seq()
    assert native.dead_letters("automation.flaky.always_fails") == []
    # The other one went on meanwhile (and wrote an event of its own, for the next pass).
    assert native.state("automation.notes.tag_new_client")["event_offset"] == created
    assert file_engine.clients.get(1).notes == "new"


def test_offsets_survive_a_restart_and_new_automations_start_at_the_end(db_path, automations):
    with salescore.open(f"sqlite:{db_path}") as engine:
        engine.clients.add(name="До запуска")
        first = automate.Runner(engine, [a for a in automate.load(automations) if "notes" in a.name])
        first.run(once=True)
        before = engine.clients.find()
        assert [c.notes for c in before] == [""], "a new automation starts after what is in the log"
        engine.clients.add(name="После запуска")
        first.run(once=True)

    with salescore.open(f"sqlite:{db_path}") as engine:
        again = automate.Runner(engine, [a for a in automate.load(automations) if "notes" in a.name])
        assert again.automations[0].offset == engine.events.last_seq()
        engine.clients.add(name="После рестарта")
        again.run(once=True)
        assert [c.notes for c in engine.clients.find()] == ["", "new", "new"]


def test_engine_on_runs_handlers_for_new_events(engine):
    engine.clients.add(name="Раньше")
    seen = []

    @engine.on("client.created", "order.*")
    def remember(event, e):
        seen.append((event.type, e is engine))

    client = engine.clients.add(name="Ромашка")
    engine.orders.add(client_id=client.id, number="SO-1", lines=[{"sku": "A", "quantity": 1, "price": "1"}])
    assert engine.dispatch() == 2
    assert seen == [("client.created", True), ("order.created", True)]
    assert engine.dispatch() == 0
    with pytest.raises(salescore.ValidationError):
        engine.on("")


def test_the_runner_stops_cleanly_on_sigterm(db_path, automations):
    with salescore.open(f"sqlite:{db_path}") as engine:
        engine.clients.add(name="Ромашка")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    proc = subprocess.Popen(
        [sys.executable, "-m", "salescore.automate", str(automations), "--db", f"sqlite:{db_path}", "--poll", "0.05"],
        env=env, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        with salescore.open(f"sqlite:{db_path}") as engine:
            native = salescore._core.Automations(engine._native)
            while not native.state("automation.notes.tag_new_client")["known"]:
                assert time.monotonic() < deadline, "the runner did not start"
                time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    assert "stopped" in err


def test_the_examples_load_and_queue_through_the_outbox(file_engine):
    found = {a.name: a for a in automate.load(EXAMPLES)}
    assert set(found) == {
        "automation.payment_reminder.email_the_client",
        "automation.vip_deal_lost.tell_the_head",
        "automation.wake_sleeping_clients.wake_up_call",
    }
    head = file_engine.users.add(login="orlova", name="Орлова", role="head")
    ivanov = file_engine.users.add(login="ivanov", name="Иванов", role="manager", head_id=head.id)
    vip = file_engine.clients.add(name="АО Гипермаркет", tier="vip", owner_id=ivanov.id)
    runner = automate.Runner(file_engine, list(found.values()), max_attempts=1)
    deal = file_engine.deals.add(client_id=vip.id, title="Сеть", owner_id=ivanov.id)
    file_engine.deals.lose(deal.id, "price")

    runner.run(once=True)

    assert file_engine.outbox.pending("webhook") == 1
    assert salescore._core.Automations(file_engine._native).dead_letters("") == []


def test_the_payment_reminder_and_wake_up_examples_act_on_run_due(tmp_path, clock, start):
    from datetime import timedelta

    found = [a for a in automate.load(EXAMPLES) if "vip" not in a.name]
    with salescore.open(f"sqlite:{tmp_path / 'crm.db'}", clock=clock) as engine:
        ivanov = engine.users.add(login="ivanov", name="Иванов", role="manager")
        client = engine.clients.add(name="Ромашка", owner_id=ivanov.id, emails=["buy@romashka.ru"])
        order = engine.orders.add(client_id=client.id, number="SO-1", ordered_at=start,
                                  lines=[{"sku": "TEA", "name": "Чай", "quantity": 1, "price": "100"}])
        engine.payments.set_schedule(order.id, [{"due_at": start + timedelta(days=10), "amount": "100"}])
        runner = automate.Runner(engine, found, max_attempts=1)

        clock.advance(timedelta(days=6))
        assert engine.run_due().installment_reminders >= 1
        clock.advance(timedelta(days=400))
        assert engine.run_due().segment_moves >= 1
        runner.run(once=True)

        assert engine.outbox.pending("email") >= 1
        wake = [t for t in engine.tasks.find(assignee_id=ivanov.id) if t.title.startswith("Разбудить")]
        assert len(wake) == 1 and "SO-1" in wake[0].notes
        assert salescore._core.Automations(engine._native).dead_letters("") == []


def test_dead_letters_are_listed_and_a_replay_that_cannot_work_says_why(file_engine, automations):
    runner = automate.Runner(file_engine, automate.load(automations), max_attempts=2, base_delay=0.0)
    file_engine.clients.add(name="Ромашка")
    runner.run(once=True)

    letters = list(file_engine.dead_letters.find("automation.flaky.always_fails"))
    assert letters and all(isinstance(x, salescore.DeadLetter) for x in letters)
    first = letters[0]
    assert first.attempts == 2 and "mail server down" in first.reason and first.replayed_at is None
    assert file_engine.dead_letters.get(first.id) == first
    assert [x.id for x in file_engine.dead_letters.find(limit=1)] == [first.id]
    assert list(file_engine.dead_letters.find("onec")) == []
    # An automation's letter is an event for a handler, not a record: replaying it is
    # refused with the reason, and the letter stays.
    with pytest.raises(salescore.Error):
        file_engine.dead_letters.replay(first.id)
    assert file_engine.dead_letters.get(first.id).replayed_at is None
    with pytest.raises(salescore.NotFound):
        file_engine.dead_letters.get(987654)
