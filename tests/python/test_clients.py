"""Clients: the card, its contact points, and how they are found again."""

from __future__ import annotations

import pytest

import salescore
import salescore._engine


def test_add_returns_the_saved_client_with_an_id_and_normalized_contact_points(engine):
    client = engine.clients.add(
        name="ООО Ромашка",
        inn="7707083893",
        phones=["8 (495) 123-45-67"],
        emails=["Sales@Romashka.RU"],
        tier="vip",
    )

    assert client.id > 0
    assert client.outcome == "created"
    assert client.phones == ["+74951234567"]
    assert client.emails == ["sales@romashka.ru"]
    assert client.tier == "vip"
    assert client.owner_id is None
    assert engine.clients.get(client.id) == client


def test_a_phone_written_any_way_finds_the_same_client(engine):
    client = engine.clients.add(name="Ромашка", phones=["8 (495) 123-45-67"])
    engine.clients.add(name="Лютик", phones=["+7 812 555-00-11"])

    by_national_format = [c.id for c in engine.clients.find(phone="8 (495) 123-45-67")]
    by_international_format = [c.id for c in engine.clients.find(phone="+7 495 1234567")]

    assert by_national_format == [client.id]
    assert by_international_format == [client.id]


def test_emails_are_stored_lower_case_and_found_regardless_of_case(engine):
    client = engine.clients.add(name="Ромашка", emails=["Info@Romashka.RU"])

    assert client.emails == ["info@romashka.ru"]
    assert [c.id for c in engine.clients.find(email="INFO@romashka.ru")] == [client.id]


def test_valid_ten_and_twelve_digit_inns_are_accepted(engine):
    company = engine.clients.add(name="Сбербанк", inn="7707083893")
    entrepreneur = engine.clients.add(name="ИП Иванов", legal_form="ИП", inn="500100732259")

    assert (company.inn, entrepreneur.inn) == ("7707083893", "500100732259")


def test_an_inn_with_a_wrong_check_digit_is_a_validation_error_on_inn(engine):
    with pytest.raises(salescore.ValidationError) as raised:
        engine.clients.add(name="Ромашка", inn="7707083894")

    assert list(raised.value.fields) == ["inn"]
    assert raised.value.code == "invalid_argument"
    assert engine.clients.count() == 0


def test_an_inn_given_as_int_is_refused_because_leading_zeros_would_be_lost(engine):
    with pytest.raises(salescore.ValidationError) as raised:
        engine.clients.add(name="Ромашка", inn=7707083893)

    assert raised.value.fields == {"inn": "expected a str, got int"}


def test_an_unknown_id_raises_not_found(engine):
    with pytest.raises(salescore.NotFound) as raised:
        engine.clients.get(424242)

    assert raised.value.code == "not_found"
    assert "424242" in raised.value.message


def test_an_unknown_keyword_raises_validation_error_naming_it(engine):
    with pytest.raises(salescore.ValidationError) as raised:
        engine.clients.add(name="Ромашка", phnoe="+74951234567")
    assert raised.value.fields == {"phnoe": "unknown field"}

    client = engine.clients.add(name="Ромашка")
    with pytest.raises(salescore.ValidationError) as raised:
        engine.clients.update(client.id, nmae="Лютик")
    assert raised.value.fields == {"nmae": "unknown field"}

    with pytest.raises(salescore.ValidationError) as raised:
        engine.clients.find(city="Москва")
    assert raised.value.fields == {"city": "unknown field"}


def test_every_bad_field_is_reported_at_once(engine):
    with pytest.raises(salescore.ValidationError) as raised:
        engine.clients.add(name="Ромашка", tier="gold", phones=[8495], id=7)

    assert raised.value.fields == {
        "tier": "unknown tier 'gold' (expected one of: regular, vip)",
        "phones[0]": "expected a str, got int",
        "id": "set by the engine",
    }


def test_update_changes_the_given_fields_and_keeps_the_rest(clocked_engine, clock):
    from datetime import timedelta

    client = clocked_engine.clients.add(name="Ромашка", phones=["+74951234567"], notes="old")
    clock.advance(timedelta(minutes=5))

    updated = clocked_engine.clients.update(client.id, notes="звонить после обеда", tier="vip")

    assert updated.outcome == "updated"
    assert (updated.notes, updated.tier) == ("звонить после обеда", "vip")
    assert updated.phones == ["+74951234567"]
    assert updated.updated_at - client.updated_at == timedelta(minutes=5)
    assert clocked_engine.clients.get(client.id) == updated


def test_update_refuses_fields_the_engine_owns(engine):
    client = engine.clients.add(name="Ромашка")

    with pytest.raises(salescore.ValidationError) as raised:
        engine.clients.update(client.id, id=99, created_at="2020-01-01", source="1c")

    assert raised.value.fields == {
        "id": "cannot be changed",
        "created_at": "cannot be changed",
        "source": "cannot be changed",
    }


def test_a_second_client_with_the_same_inn_is_created_and_flagged(engine):
    head_office = engine.clients.add(name="Ромашка (Москва)", inn="7707083893")
    branch = engine.clients.add(name="Ромашка (Тверь)", inn="7707083893")

    assert head_office.possible_duplicates == []
    assert branch.possible_duplicates == [head_office.id]


def test_addresses_and_custom_fields_come_back_as_plain_lists_and_dicts(engine):
    client = engine.clients.add(
        name="Ромашка",
        addresses=[{"kind": "legal", "text": "Москва, ул. Тверская, 1"}],
        custom={"segment": "horeca"},
    )

    assert client.addresses == [{"kind": "legal", "text": "Москва, ул. Тверская, 1"}]
    assert client.custom == {"segment": "horeca"}
    assert client.to_dict()["addresses"] == client.addresses


def test_to_dict_has_every_field_and_no_write_bookkeeping(engine):
    client = engine.clients.add(name="Ромашка")

    as_dict = client.to_dict()

    assert as_dict["id"] == client.id
    assert as_dict["name"] == "Ромашка"
    assert "outcome" not in as_dict and "possible_duplicates" not in as_dict
    assert salescore.Client(**as_dict) == client


def test_find_pages_through_every_match(engine, monkeypatch):
    monkeypatch.setattr(salescore._collections, "_PAGE_SIZE", 2)
    ids = [engine.clients.add(name=f"Клиент {i}", tier="vip" if i % 2 else "regular").id for i in range(7)]

    assert [c.id for c in engine.clients.find()] == ids
    assert [c.id for c in engine.clients.find(tier="vip")] == ids[1::2]
    assert engine.clients.count(tier="vip") == 3


def test_name_prefix_search_ignores_case_in_cyrillic(engine):
    romashka = engine.clients.add(name="Ромашка")
    engine.clients.add(name="Лютик")

    assert [c.id for c in engine.clients.find(name_prefix="рОМ")] == [romashka.id]


def test_records_are_read_only_snapshots(engine):
    client = engine.clients.add(name="Ромашка")

    with pytest.raises(AttributeError):
        client.name = "Лютик"
