"""The other collections: users, contacts, products, deals, interactions, tasks."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest

import salescore


def test_users_are_added_found_by_login_and_listed(engine):
    head = engine.users.add(login="petrova", name="Петрова", role="head")
    manager = engine.users.add(login="ivanov", name="Иванов", role="manager", head_id=head.id)

    assert engine.users.by_login("ivanov") == manager
    assert manager.head_id == head.id
    assert [u.login for u in engine.users.find()] == ["petrova", "ivanov"]
    with pytest.raises(salescore.AlreadyExists):
        engine.users.add(login="ivanov", name="Другой Иванов", role="manager")


def test_a_client_owner_must_be_a_real_user(engine):
    manager = engine.users.add(login="ivanov", name="Иванов", role="manager")

    owned = engine.clients.add(name="Ромашка", owner_id=manager.id)
    assert owned.owner_id == manager.id
    assert [c.id for c in engine.clients.find(owner_id=manager.id)] == [owned.id]
    with pytest.raises(salescore.ValidationError) as raised:
        engine.clients.add(name="Лютик", owner_id=999)
    assert "owner_id" in raised.value.fields


def test_contacts_are_listed_per_client(engine):
    client = engine.clients.add(name="Ромашка")
    buyer = engine.contacts.add(client_id=client.id, name="Пётр", role="buyer", phones="8 916 000-00-00")

    assert buyer.phones == ["+79160000000"]
    assert [c.id for c in engine.contacts.find(client_id=client.id)] == [buyer.id]
    renamed = engine.contacts.update(buyer.id, name="Пётр Петрович")
    assert renamed.name == "Пётр Петрович"
    with pytest.raises(salescore.ValidationError) as raised:
        engine.contacts.find()
    assert list(raised.value.fields) == ["client_id"]


def test_products_upsert_by_sku(engine):
    first = engine.products.upsert(sku="TEA-100", name="Чай", prices={"retail": "250"}, stock="12.5")
    again = engine.products.upsert(sku="TEA-100", name="Чай", prices={"retail": "250"}, stock="12.5")
    changed = engine.products.upsert(sku="TEA-100", name="Чай чёрный", prices={"retail": "250"}, stock="12.5")

    assert (first.outcome, again.outcome, changed.outcome) == ("created", "unchanged", "updated")
    assert changed.stock == Decimal("12.5")
    assert engine.products.count() == 1
    assert [p.sku for p in engine.products.find(active=True)] == ["TEA-100"]


def test_interactions_from_a_phone_system_are_kept_once(engine):
    client = engine.clients.add(name="Ромашка")
    call = dict(kind="call", direction="inbound", client_id=client.id, occurred_at="2026-03-02T10:00:00Z",
                duration_s=95, source="asterisk", external_id="1700000000.42")

    first = engine.interactions.upsert(**call)
    again = engine.interactions.upsert(**call)

    assert (first.outcome, again.outcome) == ("created", "unchanged")
    assert [i.id for i in engine.interactions.find(client_id=client.id, kind="call")] == [first.id]
    with pytest.raises(salescore.ValidationError) as raised:
        engine.interactions.add(kind="fax", client_id=client.id)
    assert list(raised.value.fields) == ["kind"]


def test_tasks_are_closed_by_update(engine):
    task = engine.tasks.add(title="Отправить КП", due_at="2026-03-02T10:00:00Z")

    done = engine.tasks.update(task.id, status="done")

    assert (task.status, done.status) == ("open", "done")
    assert [t.id for t in engine.tasks.find(status="open")] == []


def test_collections_offer_only_what_the_engine_can_do(engine):
    assert not hasattr(engine.interactions, "update")
    assert not hasattr(engine.users, "update")
    assert hasattr(engine.deals, "count") and not hasattr(engine.deals, "upsert")
    assert hasattr(engine.orders, "upsert") and hasattr(engine.orders, "count")


def test_threads_can_share_one_engine(file_engine):
    # Engine calls release the GIL; the engine serializes them on its connection.
    def add_clients(prefix: str) -> None:
        for i in range(25):
            file_engine.clients.add(name=f"{prefix} {i}")

    threads = [threading.Thread(target=add_clients, args=(f"Клиент {t}",)) for t in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert file_engine.clients.count() == 100
    assert file_engine.events.last_seq() == 100


def test_deals_move_through_the_pipeline_gates(engine):
    client = engine.clients.add(name="ООО Ромашка")
    deal = engine.deals.add(client_id=client.id, title="Поставка чая")
    assert deal.stage == "new"
    with pytest.raises(salescore.StageGateError) as refused:
        engine.deals.update(deal.id, stage="proposal")
    assert sorted(refused.value.missing) == ["expected_amount", "expected_close"]
    with pytest.raises(salescore.StageGateError):
        engine.deals.update(deal.id, stage="lost", lost_reason="bad weather")
    # proposal_sent comes from a proposal of the deal that was sent (test_deal_documents.py).
    proposal = engine.proposals.add(client_id=client.id, deal_id=deal.id,
                                    lines=[{"sku": "TEA-1", "quantity": "1", "price": "100.00"}])
    engine.proposals.send(proposal.id)
    moved = engine.deals.update(
        deal.id, stage="negotiation", expected_amount="150000.00",
        expected_close="2026-12-31T00:00:00Z")
    assert moved.stage == "negotiation"
    assert moved.documents == ["proposal_sent"]
    assert engine.deals.count(stage="negotiation") == 1
