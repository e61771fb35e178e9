"""Configuration files: mandatory fields and settings the engine reads at open."""

from __future__ import annotations

from decimal import Decimal

import pytest

import salescore


MANDATORY = """
    [mandatory]
    client = name, inn, phone|email
    """


def test_missing_mandatory_fields_are_all_named_in_one_validation_error(write_config):
    with salescore.open("sqlite::memory:", config=write_config(MANDATORY)) as engine:
        with pytest.raises(salescore.ValidationError) as raised:
            engine.clients.add(name="Ромашка", notes="пришёл с выставки")

        assert set(raised.value.fields) == {"inn", "phone", "email"}
        assert raised.value.fields["inn"] == "required"
        assert "phone or email" in raised.value.fields["phone"]

        complete = engine.clients.add(name="Ромашка", inn="7707083893", emails=["info@romashka.ru"])
        assert complete.id > 0


def test_a_missing_name_is_reported_together_with_the_other_mandatory_fields(write_config):
    with salescore.open("sqlite::memory:", config=write_config(MANDATORY)) as engine:
        with pytest.raises(salescore.ValidationError) as raised:
            engine.clients.add(notes="пришёл с выставки")

        assert set(raised.value.fields) == {"name", "inn", "phone", "email"}


def test_the_configured_currency_prices_products_given_a_bare_amount(write_config):
    config = write_config(
        """
        [company]
        currency = EUR
        """
    )
    with salescore.open("sqlite::memory:", config=config) as engine:
        assert engine.config["currency"] == "EUR"
        product = engine.products.add(sku="SKU-1", name="Чай", prices={"retail": "10"})
        assert product.prices["retail"] == salescore.Money(Decimal("10.00"), "EUR")


def test_an_unknown_setting_is_refused_at_open_naming_it(write_config):
    config = write_config(
        """
        [company]
        curency = RUB
        """
    )
    with pytest.raises(salescore.ValidationError) as raised:
        salescore.open("sqlite::memory:", config=config)

    assert "curency" in raised.value.message


def test_a_missing_config_file_is_an_error_not_the_defaults(tmp_path):
    with pytest.raises(salescore.Error):
        salescore.open("sqlite::memory:", config=tmp_path / "absent.ini")
