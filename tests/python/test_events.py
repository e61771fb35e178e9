"""The event log and idempotent upserts: what an outside system sees of each change."""

from __future__ import annotations

import salescore


def test_upserting_the_same_external_record_twice_changes_nothing_the_second_time(engine):
    first = engine.clients.upsert(name="Ромашка", inn="7707083893", source="1c", external_id="000123")
    seq_after_first = engine.events.last_seq()

    second = engine.clients.upsert(name="Ромашка", inn="7707083893", source="1c", external_id="000123")

    assert first.outcome == "created"
    assert second.outcome == "unchanged"
    assert second.id == first.id
    assert engine.events.last_seq() == seq_after_first
    assert engine.events.since(seq_after_first) == []
    assert engine.clients.count() == 1


def test_upserting_a_changed_external_record_updates_it_and_logs_what_changed(engine):
    first = engine.clients.upsert(name="Ромашка", source="1c", external_id="000123")
    seq = engine.events.last_seq()

    second = engine.clients.upsert(name="Ромашка плюс", source="1c", external_id="000123")

    assert second.outcome == "updated"
    assert second.id == first.id
    [event] = engine.events.since(seq)
    assert (event.type, event.entity, event.entity_id) == ("client.updated", "client", first.id)
    assert event.payload["changed"]["name"] == ["Ромашка", "Ромашка плюс"]


def test_events_since_n_returns_only_later_events_oldest_first(engine):
    assert engine.events.last_seq() == 0
    a = engine.clients.add(name="А")
    seq_after_a = engine.events.last_seq()
    b = engine.clients.add(name="Б")
    c = engine.clients.add(name="В")

    later = engine.events.since(seq_after_a)

    assert [(e.type, e.entity_id) for e in later] == [("client.created", b.id), ("client.created", c.id)]
    assert [e.seq for e in later] == sorted(e.seq for e in later)
    assert later[-1].seq == engine.events.last_seq()
    assert engine.events.since(0, limit=1)[0].entity_id == a.id
    assert later[0].payload["name"] == "Б"
    assert later[0].actor_id is None  # the system acted


def test_event_timestamps_are_aware_utc_datetimes(clocked_engine, clock):
    clocked_engine.clients.add(name="Ромашка")

    [event] = clocked_engine.events.since(0)

    assert event.at == clock.now()
    assert isinstance(event, salescore.Event)
