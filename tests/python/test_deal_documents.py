"""A deal's documents from Python and the command line: the engine derives proposal_sent,
proposal_received, contract_signed and discount_approved from its records, nobody writes
them, and a document a person vouches for is attested through deals.attest (logged).
"""

from __future__ import annotations

import sqlite3

import pytest

import salescore

from test_api import SALESCORE_BIN, cli

needs_bin = pytest.mark.skipif(not SALESCORE_BIN, reason="SALESCORE_BIN does not name the salescore executable")


def qualified_deal(e):
    client = e.clients.add(name="ООО Ромашка")
    return e.deals.add(client_id=client.id, title="Поставка чая", expected_amount="150000.00",
                       expected_close="2030-12-31T00:00:00Z")


def test_a_deal_cannot_be_given_documents_the_engine_derives(engine):
    deal = qualified_deal(engine)
    with pytest.raises(salescore.ValidationError) as refused:
        engine.deals.update(deal.id, documents=["proposal_sent", "contract_signed"])
    assert "documents" in refused.value.fields
    assert "proposal_sent" in str(refused.value) and "contract_signed" in str(refused.value)
    with pytest.raises(salescore.ValidationError):
        engine.deals.advance(deal.id, "won", documents=["proposal_sent", "contract_signed"])
    with pytest.raises(salescore.ValidationError):
        engine.deals.add(client_id=deal.client_id, title="Ещё одна", documents=["discount_approved"])
    with pytest.raises(salescore.StageGateError) as gate:
        engine.deals.advance(deal.id, "won")
    assert gate.value.missing == ["contract_signed", "proposal_sent"]
    assert engine.deals.get(deal.id).documents == []


def test_a_sent_proposal_and_a_signed_contract_open_the_gates(engine):
    deal = qualified_deal(engine)
    proposal = engine.proposals.add(client_id=deal.client_id, deal_id=deal.id,
                                    lines=[{"sku": "TEA-1", "quantity": "10", "price": "100.00"}])
    engine.proposals.send(proposal.id)
    assert engine.deals.advance(deal.id, "contract").stage == "contract"
    contract = engine.contracts.add(client_id=deal.client_id, deal_id=deal.id, number="Д-1", amount="1000.00")
    engine.contracts.sign(contract.id)
    won = engine.deals.advance(deal.id, "won")
    assert won.stage == "won"
    assert won.documents == ["proposal_sent", "contract_signed"]


def test_an_attestable_document_is_attested_and_logged(write_config):
    config = write_config("""
        [pipeline]
        requires.contract = proposal_sent, specification
        attestable.contract = specification
        """)
    with salescore.open("sqlite::memory:", config=config) as e:
        manager = e.users.add(login="ivanov", name="Иванов", role="manager")
        client = e.clients.add(name="ООО Ромашка", owner_id=manager.id)
        deal = e.deals.add(client_id=client.id, title="Поставка")
        as_manager = e.as_user(manager)
        with pytest.raises(salescore.ValidationError) as derived:
            as_manager.deals.attest(deal.id, "contract_signed")
        assert "contract_signed" in str(derived.value)
        with pytest.raises(salescore.ValidationError) as unknown:
            as_manager.deals.attest(deal.id, "questionnaire")
        assert "questionnaire" in str(unknown.value)
        attested = as_manager.deals.attest(deal.id, "specification", note="скан со склада")
        assert "specification" in attested.documents
        logged = [ev for ev in e.events.since(0) if ev.type == "deal.document_attested"]
        assert len(logged) == 1
        assert logged[0].actor_id == manager.id and logged[0].entity_id == deal.id
        assert logged[0].payload["document"] == "specification"
        assert logged[0].payload["note"] == "скан со склада"
        kept = as_manager.deals.attestations(deal.id)
        assert [(a.document, a.attested_by, a.by_migration) for a in kept] == [("specification", manager.id, False)]
        assert as_manager.deals.attestations(by_migration=True) == []


@needs_bin
def test_the_cli_has_no_deal_writes_and_doctor_lists_what_the_migration_kept(tmp_path):
    """Hand-typed documents of an older database are kept as attested by the migration and
    listed by `salescore doctor`; those a record backs are derived again."""
    assert not any(line.split()[:1] == ["deals"] for line in cli("--help").stdout.splitlines())
    path = tmp_path / "crm.db"
    url = f"sqlite:{path}"
    with salescore.open(url) as e:
        client = e.clients.add(name="ООО Ромашка")
        backed = e.deals.add(client_id=client.id, title="С КП")
        proposal = e.proposals.add(client_id=client.id, deal_id=backed.id,
                                   lines=[{"sku": "TEA-1", "quantity": "1", "price": "10.00"}])
        e.proposals.send(proposal.id)
        typed = e.deals.add(client_id=client.id, title="Без договора")
    # The database as schema version 14 left it: documents typed onto the deals by hand.
    with sqlite3.connect(path) as db:
        db.execute("UPDATE deals SET documents = ? WHERE id = ?", ('["proposal_sent"]', backed.id))
        db.execute("UPDATE deals SET documents = ? WHERE id = ?", ('["proposal_sent", "contract_signed"]', typed.id))
        db.execute("DROP TABLE deal_attestations")
        db.execute("DELETE FROM schema_version WHERE version = 15")  # 15 alone runs again
    report = cli("doctor", "--db", url).stdout
    lines = [line for line in report.splitlines() if f"deal {typed.id}" in line]
    assert len(lines) == 2, report
    assert any("proposal_sent" in line for line in lines) and any("contract_signed" in line for line in lines)
    assert f"deal {backed.id}" not in report, "a sent proposal backs that one"
    with salescore.open(url) as e:
        assert e.deals.get(backed.id).documents == ["proposal_sent"]
        assert e.deals.get(typed.id).documents == ["proposal_sent", "contract_signed"]
        # What doctor lists, from Python: the kept documents, nobody known as their author.
        kept = e.deals.attestations(by_migration=True)
        assert sorted((a.deal_id, a.document, a.attested_by) for a in kept) == [
            (typed.id, "contract_signed", None), (typed.id, "proposal_sent", None)]


@needs_bin
def test_the_demo_backs_every_document_with_a_record(tmp_path):
    url = f"sqlite:{tmp_path}/demo.db"
    cli("demo", "--db", url, "--clients", "40", "--orders", "50", "--seed", "5", "--today", "2025-06-30")
    assert "nothing to review" in cli("doctor", "--db", url).stdout
    with salescore.open(url) as e:
        later = [d for d in e.deals.find() if d.stage in ("negotiation", "contract", "won")]
        assert later, "the demo has deals past the proposal"
        for deal in later:
            assert e.proposals.count(deal_id=deal.id, status="sent") >= 1, deal
            if deal.stage == "won":
                assert e.contracts.count(deal_id=deal.id, status="signed") >= 1, deal
