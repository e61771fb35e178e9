"""Time: the engine reads the clock it is given, and instants are aware UTC datetimes."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

import salescore

MOSCOW = timezone(timedelta(hours=3))


def test_a_manual_clock_sets_created_at(clocked_engine, clock, start):
    first = clocked_engine.clients.add(name="Ромашка")
    clock.advance(timedelta(days=2, hours=1))
    second = clocked_engine.clients.add(name="Лютик")

    assert first.created_at == start
    assert second.created_at == start + timedelta(days=2, hours=1)
    assert second.created_at.tzinfo == timezone.utc


def test_the_clock_can_be_set_and_read(clock):
    clock.set(datetime(2026, 12, 31, 23, 59, tzinfo=timezone.utc))
    assert clock.now() == datetime(2026, 12, 31, 23, 59, tzinfo=timezone.utc)

    clock.set("2027-01-01T00:00:00Z")
    clock.advance(timedelta(milliseconds=1500))
    assert clock.now() == datetime(2027, 1, 1, 0, 0, 1, 500000, tzinfo=timezone.utc)


def test_aware_datetimes_in_any_zone_come_back_in_utc(engine):
    client = engine.clients.add(name="Ромашка")
    at_ten_in_moscow = datetime(2026, 3, 2, 10, 0, tzinfo=MOSCOW)

    call = engine.interactions.add(kind="call", direction="outbound", client_id=client.id, occurred_at=at_ten_in_moscow)

    assert call.occurred_at == datetime(2026, 3, 2, 7, 0, tzinfo=timezone.utc)
    assert call.occurred_at.utcoffset() == timedelta(0)


def test_iso_strings_are_accepted_for_instants(engine):
    task = engine.tasks.add(title="Перезвонить", due_at="2026-03-02T10:00:00+03:00")

    assert task.due_at == datetime(2026, 3, 2, 7, 0, tzinfo=timezone.utc)


def test_a_naive_datetime_is_refused_because_its_instant_is_ambiguous(engine):
    with pytest.raises(salescore.ValidationError) as raised:
        engine.tasks.add(title="Перезвонить", due_at=datetime(2026, 3, 2, 10, 0))

    assert list(raised.value.fields) == ["due_at"]
    assert "tzinfo" in raised.value.fields["due_at"]


def test_a_clock_needs_an_aware_start():
    with pytest.raises(salescore.ValidationError) as raised:
        salescore.ManualClock(datetime(2026, 3, 1))

    assert list(raised.value.fields) == ["start"]
