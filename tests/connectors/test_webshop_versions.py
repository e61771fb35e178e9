"""The version guard of shop orders is the host's (connector_record_versions, migration
21), not one of the order's fields: editing the order cannot make a stale retry look new."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest

from conftest import Server
from shop_server import Shop, woo_order
from test_webshop import SECRET, T0, woo_hook


def test_editing_the_custom_fields_cannot_defeat_the_version_guard(tmp_path):
    woo = Shop("woocommerce")
    server = Server(tmp_path, extra_config=(
        f"\n[connector.webshop]\nplatform = woocommerce\nbase_url = {woo.url}\napi_key = ck_test\n"
        f"api_secret = cs_test\nwebhook_secret = {SECRET}\npoll_interval_ms = 3600000\nunknown_sku = stub\n"))
    try:
        first = woo_order(7, T0, email="v@example.test", status="processing")
        newer = woo_order(7, T0 + timedelta(minutes=5), email="v@example.test", status="completed")
        assert woo_hook(server, first)[0] == 200 and woo_hook(server, newer)[0] == 200
        assert server.sql("SELECT status FROM orders WHERE external_id = '7'") == [("completed",)]
        version = server.sql("SELECT version FROM connector_record_versions WHERE source = 'webshop' AND "
                             "entity = 'order' AND external_id = '7'")
        assert version == [(int((T0 + timedelta(minutes=5)).timestamp() * 1000),)]
        custom = json.loads(server.sql("SELECT custom FROM orders WHERE external_id = '7'")[0][0])
        assert "record_version" not in custom, "the guard is not one of the order's fields"
        # Someone sets what used to be the guard, through Python (REST goes through the same core).
        salescore = pytest.importorskip("salescore")
        with salescore.open(server.db) as crm:
            order_id = server.sql("SELECT id FROM orders WHERE external_id = '7'")[0][0]
            crm.orders.update(order_id, custom={**custom, "record_version": "0", "version": "0"})
        # The stale retry of the first delivery still changes nothing.
        assert woo_hook(server, first, delivery="late")[0] == 200
        assert server.sql("SELECT status FROM orders WHERE external_id = '7'") == [("completed",)]
        assert server.sql("SELECT version FROM connector_record_versions WHERE external_id = '7'") == version
    finally:
        server.stop()
        woo.close()
