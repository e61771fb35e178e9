"""Several web shops in one salescore: one instance of the web-shop connector per shop
([connector.shop_msk] library = webshop, [connector.shop_spb] library = webshop), each
with its own config, checkpoint, source, dead letters, webhook route and status."""
from __future__ import annotations

import json
import subprocess
from datetime import timedelta

import pytest

from conftest import BIN, Server
from shop_server import Shop, insales_order, woo_order, woo_signature
from test_webshop import SECRET, T0, add_products, post, wait

TWO_SHOPS = (
    "\n[access]\nsystems_of_record = onec, shop_msk, shop_spb\n"
    "[connector.shop_msk]\nlibrary = webshop\nplatform = woocommerce\nbase_url = {woo}\n"
    "api_key = ck_test\napi_secret = cs_test\nwebhook_secret = {secret}\nwebhook_path = {msk_path}\n"
    "poll_interval_ms = 150\nretry_base_ms = 50\nretry_cap_ms = 200\n"
    "[connector.shop_spb]\nlibrary = webshop\nplatform = insales\nbase_url = {insales}\n"
    "api_key = login\napi_secret = pass\nwebhook_secret = {secret}\nwebhook_path = /webhooks/spb\n"
    "poll_interval_ms = 150\nretry_base_ms = 50\nretry_cap_ms = 200\n")


@pytest.fixture
def shops():
    woo, insales = Shop("woocommerce"), Shop("insales")
    yield woo, insales
    woo.close()
    insales.close()


def by_source(server: Server):
    return server.sql("SELECT source, external_id, status FROM orders ORDER BY source, external_id")


def plugins_list(server: Server) -> str:
    out = subprocess.run([BIN, "plugins", "list", "--db", server.db, "--config", str(server.config)],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_two_shops_the_same_order_id_is_two_orders_each_keyed_by_its_instance(tmp_path, shops):
    woo, insales = shops
    # Order 1001 exists in both shops: two orders, one per source.
    woo.put(woo_order(1001, T0, email="msk@example.test", lines=(("SKU-1", 1, "10.00", "10.00"),)))
    insales.put(insales_order(1001, T0))
    server = Server(tmp_path, extra_config=TWO_SHOPS.format(woo=woo.url, insales=insales.url, secret=SECRET,
                                                             msk_path="/webhooks/msk"))
    try:
        add_products(server, "SKU-1", "A-1")
        wait(lambda: len(by_source(server)) == 2)
        assert by_source(server) == [("shop_msk", "1001", "confirmed"), ("shop_spb", "1001", "new")]
        # Each instance writes as its own integration user and keeps its own checkpoint.
        assert {r[0] for r in server.sql("SELECT login FROM users WHERE role = 'integration'")} >= {
            "shop_msk", "shop_spb"}
        wait(lambda: len(server.sql("SELECT connector FROM connector_state WHERE checkpoint IS NOT NULL AND "
                                    "connector IN ('shop_msk', 'shop_spb')")) == 2)
        # Webhooks on each instance's own path: the InSales key is not WooCommerce's route.
        newer = woo_order(1002, T0 + timedelta(minutes=1), email="msk@example.test",
                          lines=(("NO-SUCH", 1, "5.00", "5.00"),))
        body = json.dumps(newer).encode()
        assert post(server, body, {"X-WC-Webhook-Signature": woo_signature(SECRET, body)}, "/webhooks/msk")[0] == 200
        assert post(server, body, {"X-WC-Webhook-Signature": woo_signature(SECRET, body)})[0] == 404, \
            "the default path is nobody's here"
        # (A poll before the products were added may have dead-lettered an order too.)
        letters = wait(lambda: server.sql("SELECT connector FROM dead_letters WHERE reason LIKE '%NO-SUCH%'"))
        assert letters == [("shop_msk",)], "the shop's own dead letter"
        # A status set in salescore goes back to its own shop only.
        salescore = pytest.importorskip("salescore")
        with salescore.open(server.db) as crm:
            spb = server.sql("SELECT id FROM orders WHERE source = 'shop_spb' AND external_id = '1001'")[0][0]
            crm.orders.update(spb, status="shipped")
        wait(lambda: insales.pushes)
        assert [(m, p) for m, p, _ in insales.pushes] == [("PUT", "/admin/orders/1001.json")]
        assert woo.pushes == []
        listing = plugins_list(server)
        assert "shop_msk" in listing and "shop_spb" in listing and "an instance of webshop" in listing
    finally:
        server.stop()


def test_two_instances_on_one_webhook_path_the_second_is_refused_saying_why(tmp_path, shops):
    woo, insales = shops
    server = Server(tmp_path, extra_config=TWO_SHOPS.format(woo=woo.url, insales=insales.url, secret=SECRET,
                                                             msk_path="/webhooks/spb"))
    try:
        wait(lambda: server.sql("SELECT runtime_state FROM connector_state WHERE connector = 'shop_spb'") == [
            ("failed",)])
        listing = plugins_list(server)
        assert "webhook_path: POST /webhooks/spb is served by another connector instance" in listing, listing
    finally:
        stderr = server.stop()
    assert "connector 'shop_spb' (webshop, " in stderr and "webhook_path: POST /webhooks/spb" in stderr, stderr
