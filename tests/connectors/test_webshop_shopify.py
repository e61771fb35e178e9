"""Shopify through its GraphQL Admin API, served by a loopback shop in the documented
shapes (shop_server.py): orders listed by `updated_at` with cursor pages, the nightly
pass over the orders still open, fulfilment and cancel pushed back as Shopify's
mutations (fulfilment orders, then fulfillmentCreate; orderCancel)."""
from __future__ import annotations

import json
import re
import sqlite3
import subprocess
from datetime import datetime, timedelta, timezone

import pytest

from conftest import BIN, Server
from shop_server import Shop, shopify_node
from test_webshop import SECRET, add_products, wait

SKU = "IPOD2008PINK"


def start(tmp_path, shop: Shop, extra: str = "") -> Server:
    return Server(tmp_path, extra_config=(
        f"\n[connector.webshop]\nplatform = shopify\nbase_url = {shop.url}\napi_key = shpat_test\n"
        f"webhook_secret = {SECRET}\npoll_interval_ms = 150\nretry_base_ms = 50\nretry_cap_ms = 200\n"
        f"page_size = 2\n{extra}"))


def restart(server: Server):
    """Stops `salescore serve` and starts it again on the same database and config."""
    server.stop()
    server.proc = subprocess.Popen([BIN, "serve", "--db", server.db, "--config", str(server.config), "--listen",
                                    "127.0.0.1:0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    server.proc.stdout.readline()


def statuses(server: Server) -> dict:
    return dict(server.sql("SELECT external_id, status FROM orders WHERE source = 'webshop'"))


def graphql_calls(shop: Shop) -> list[str]:
    """The operation of every GraphQL call salescore made: orders, order, orderCancel, ..."""
    names = []
    for method, path, body in shop.pushes:
        if path.endswith("/graphql.json"):
            text = json.loads(body)["query"]
            names.append(re.search(r"\{(\w+)\(", text).group(1))
    return names


def test_orders_listed_through_graphql_with_cursors_and_statuses_pushed_as_mutations(tmp_path):
    shop = Shop("shopify")
    t0 = datetime.now(timezone.utc) - timedelta(hours=1)
    for i in range(1, 6):  # 5 orders in pages of 2: three cursor pages
        shop.put(shopify_node(i, t0 + timedelta(minutes=i)))
    server = start(tmp_path, shop, "[access]\nsystems_of_record = onec, webshop\n")
    try:
        add_products(server, SKU)
        wait(lambda: len(statuses(server)) == 5)
        assert set(statuses(server).values()) == {"confirmed"}, "PAID maps to confirmed"
        lists = [json.loads(b)["variables"] for m, p, b in shop.pushes if "orders(" in json.loads(b)["query"]]
        assert lists[0]["query"].startswith("updated_at:>='") and "after" not in lists[0]
        assert any("after" in v for v in lists), "later pages by the cursor"
        salescore = pytest.importorskip("salescore")
        ids = dict(server.sql("SELECT external_id, id FROM orders"))
        shop.pushes.clear()
        with salescore.open(server.db) as crm:
            crm.orders.update(ids["1"], status="shipped")
            crm.orders.update(ids["2"], status="cancelled")
        wait(lambda: shop.orders["1"]["displayFulfillmentStatus"] == "FULFILLED" and shop.orders["2"]["cancelledAt"])
        calls = graphql_calls(shop)
        assert "fulfillmentCreate" in calls and "orderCancel" in calls, calls
        assert calls.index("order") < calls.index("fulfillmentCreate"), "the fulfilment orders are read first"
        assert shop.orders["1"]["_fulfillmentOrders"][0]["status"] == "CLOSED"
        # An order Shopify will not cancel: its user error (with a 200) is a dead letter.
        shop.orders["3"]["_cancel_refused"] = True
        with salescore.open(server.db) as crm:
            crm.orders.update(ids["3"], status="cancelled")
        letters = wait(lambda: server.sql("SELECT reason FROM dead_letters WHERE connector = 'webshop' AND "
                                          "direction = 'outbound'"))
        assert any("Cannot cancel" in r[0] for r in letters), letters
    finally:
        server.stop()
        shop.close()


def test_the_nightly_pass_rereads_open_orders_a_webhook_and_the_window_missed(tmp_path):
    shop = Shop("shopify")
    now = datetime.now(timezone.utc)
    shop.put(shopify_node(1, now - timedelta(days=40)))  # open, last changed long ago
    shop.put(shopify_node(2, now - timedelta(minutes=1)))
    server = start(tmp_path, shop, "unknown_sku = stub\nreconcile_days = 1\npush_statuses = false\n")
    try:
        wait(lambda: len(statuses(server)) == 2)
        # Fulfilled in the shop without moving updatedAt (community.shopify.com t/112687), its
        # webhook lost: the poll's window (a minute back) and the reconcile window (a day) miss it.
        shop.orders["1"]["displayFulfillmentStatus"] = "FULFILLED"
        wait(lambda: len([r for r in shop.requests if r.startswith("POST")]) >= 6)
        assert statuses(server)["1"] == "confirmed"
        # A day later: the nightly pass is due (its last run moved back, as the day would).
        server.stop()
        checkpoint = json.loads(server.sql("SELECT checkpoint FROM connector_state WHERE connector = 'webshop'")[0][0])
        checkpoint["reconciled_ms"] = 0
        with sqlite3.connect(server.db_path) as con:
            con.execute("UPDATE connector_state SET checkpoint = ? WHERE connector = 'webshop'",
                        (json.dumps(checkpoint),))
        restart(server)
        wait(lambda: statuses(server)["1"] == "shipped")
        opened = [json.loads(b)["variables"].get("query") for m, p, b in shop.pushes
                  if "orders(" in json.loads(b)["query"]]
        assert "status:open" in opened
    finally:
        server.stop()
        shop.close()
