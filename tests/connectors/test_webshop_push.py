"""What goes back to the shop and how hard the shop is asked: Medusa's fulfilment (with
the line items) when salescore ships an order, and InSales' API-Usage-Limit honoured
before it answers 429. Against the loopback shops (shop_server.py)."""
from __future__ import annotations

import copy
import json

import pytest

from test_webshop import woo  # noqa: F401  (the loopback WooCommerce fixture)

from shop_server import Shop, insales_order, woo_order
from test_webshop import T0, add_products, letters, medusa_fixture, orders, start, wait, woo_hook


def statuses(server) -> dict:
    return dict(server.sql("SELECT external_id, status FROM orders WHERE source = 'webshop'"))


def test_medusa_gets_a_fulfilment_with_the_line_items_and_its_shipment_when_salescore_ships(tmp_path):
    placed = medusa_fixture()["orders"][0]  # a real Medusa 2.21 order: 2 x TSHIRT-M, pending
    refused = copy.deepcopy(placed)
    refused["id"], refused["display_id"] = "order_canceled_in_shop", 99
    shop = Shop("medusa")
    shop.put(placed)
    shop.put(refused)
    server = start(tmp_path, shop, "medusa")
    try:
        add_products(server, "TSHIRT-M", "TSHIRT-L")
        wait(lambda: statuses(server) == {placed["id"]: "new", refused["id"]: "new"})
        shop.pushes.clear()
        salescore = pytest.importorskip("salescore")
        ids = dict(server.sql("SELECT external_id, id FROM orders"))
        with salescore.open(server.db) as crm:
            crm.orders.update(ids[placed["id"]], status="shipped")
        wait(lambda: shop.orders[placed["id"]].get("fulfillment_status") == "shipped")
        item = placed["items"][0]["id"]
        base = f"/admin/orders/{placed['id']}/fulfillments"
        assert [(m, p, json.loads(b)) for m, p, b in shop.pushes] == [
            ("POST", base, {"items": [{"id": item, "quantity": 2}]}),
            ("POST", base + "/ful_1/shipments", {"items": [{"id": item, "quantity": 2}]}),
        ], "the order is read first (its line items), then fulfilled whole, then shipped"
        assert any(r.startswith(f"GET /admin/orders/{placed['id']}?") for r in shop.requests)
        # What the poll reads back is shipped again, not "fulfilled" (confirmed): no echo, no
        # step back.
        wait(lambda: json.loads(server.sql("SELECT custom FROM orders WHERE external_id = ?", placed["id"])[0][0])
             .get("shop_status") == "shipped")
        assert statuses(server)[placed["id"]] == "shipped"
        assert len(shop.pushes) == 2, shop.pushes
        # A fulfilment Medusa refuses (no stock): a dead letter with Medusa's words.
        shop.orders[refused["id"]]["_refuse_fulfilment"] = True
        with salescore.open(server.db) as crm:
            crm.orders.update(ids[refused["id"]], status="shipped")
        reasons = wait(lambda: [r for r in letters(server) if refused["id"] in r[0]])
        assert "Insufficient stock" in reasons[0][0] and "fulfillments" in reasons[0][0], reasons
    finally:
        server.stop()
        shop.close()


def test_insales_calls_slow_down_on_its_usage_limit_before_a_429(tmp_path):
    shop = Shop("insales")
    shop.usage_limit, shop.usage_window_s = 8, 2.0
    for n in range(1, 41):
        shop.put(insales_order(n, T0))
    server = start(tmp_path, shop, "insales", "unknown_sku = stub\npage_size = 4\nusage_window_s = 2\n")
    try:
        wait(lambda: len(orders(server)) == 40, 90)
        calls = len(shop.usage) + shop.limited
        assert calls > 0 and shop.limited == 0, f"{shop.limited} calls answered 429"
        assert len(shop.requests) >= 10, "the 10 pages took more calls than one window allows"
    finally:
        server.stop()
        shop.close()


def test_woocommerce_orders_paid_by_one_transaction_are_flagged(tmp_path, woo):
    server = start(tmp_path, woo, "woocommerce", "unknown_sku = stub\npoll_interval_ms = 3600000\n")
    try:
        for n, txn in ((1, "ch_3Pdouble"), (2, "ch_3Pdouble"), (3, "ch_3Palone"), (4, "")):
            order = woo_order(n, T0, email=f"b{n}@example.test")
            order["transaction_id"] = txn
            assert woo_hook(server, order, delivery=f"d{n}")[0] == 200
        custom = {r[0]: json.loads(r[1]) for r in server.sql("SELECT external_id, custom FROM orders")}
        assert custom["1"]["payment_shared_with"] == "2" and custom["2"]["payment_shared_with"] == "1"
        assert "payment_shared_with" not in custom["3"] and "payment_shared_with" not in custom["4"]
        assert custom["1"]["shop_transaction_id"] == "ch_3Pdouble"
    finally:
        server.stop()
