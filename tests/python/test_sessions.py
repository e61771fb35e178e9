"""engine.as_user: the same collections, acting as one user with that user's access."""

from __future__ import annotations

import pytest

import salescore


@pytest.fixture
def team(engine):
    head = engine.users.add(login="orlova", name="Орлова", role="head")
    ivanov = engine.users.add(login="ivanov", name="Иванов", role="manager", head_id=head.id)
    petrova = engine.users.add(login="petrova", name="Петрова", role="manager", head_id=head.id)
    mine = engine.clients.add(name="Ромашка", owner_id=ivanov.id)
    hers = engine.clients.add(name="Лютик", owner_id=petrova.id)
    return head, ivanov, petrova, mine, hers


def test_a_manager_sees_and_changes_only_their_own_clients(engine, team):
    head, ivanov, petrova, mine, hers = team
    session = engine.as_user(ivanov)

    assert isinstance(session, salescore.Session) and session.user_id == ivanov.id
    assert [c.id for c in session.clients.find()] == [mine.id]
    assert session.clients.count() == 1
    assert session.clients.update(mine.id, notes="звонить после 10").notes == "звонить после 10"
    with pytest.raises(salescore.AccessDenied):
        session.clients.get(hers.id)
    with pytest.raises(salescore.AccessDenied):
        session.clients.update(hers.id, notes="чужой")
    assert [c.id for c in engine.as_user(head.id).clients.find()] == [mine.id, hers.id]


def test_writes_in_a_session_are_made_by_its_user(engine, team):
    _, ivanov, _, mine, _ = team
    deal = engine.as_user(ivanov).deals.add(client_id=mine.id, title="Чай")

    (created,) = [e for e in engine.events.since(0, 0) if e.type == "deal.created"]
    assert created.actor_id == ivanov.id and created.entity_id == deal.id


def test_a_session_needs_a_real_user(engine):
    with pytest.raises(salescore.NotFound):
        engine.as_user(999)
    with pytest.raises(salescore.NotFound):
        engine.as_user("ivanov")  # a login, as on every surface, but nobody has it
    with pytest.raises(salescore.ValidationError) as bad:
        engine.as_user(1.5)
    assert list(bad.value.fields) == ["user"]


def test_a_session_offers_the_engines_collections(engine, team):
    session = engine.as_user(team[1])
    engine_collections = {n for n in vars(engine) if not n.startswith("_") and n not in ("events", "outbox", "dead_letters")}

    assert {n for n in vars(session) if not n.startswith("_")} == engine_collections
