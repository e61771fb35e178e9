"""The web-shop connector against loopback shops (shop_server.py) that serve the
documented shapes of WooCommerce, Medusa (its recorded orders), InSales and Shopify:
orders polled and pushed by signed webhooks land once, on the right client, never
overwritten by a stale retry; statuses set in salescore go back without echoes."""
from __future__ import annotations

import json
import pathlib
import time
import urllib.error
import urllib.request
from datetime import datetime, timedelta, timezone

import pytest

from conftest import SHARED_FIXTURES, Server
from shop_server import Shop, insales_order, shopify_order, woo_order, woo_signature

SECRET = "whsec-test-0123456789"
T0 = datetime(2026, 11, 22, 12, 0, 0, tzinfo=timezone.utc)


def start(tmp_path, shop: Shop, platform: str, extra: str = "") -> Server:
    keys = {"woocommerce": "api_key = ck_test\napi_secret = cs_test\n", "medusa": "api_key = sk_test\n",
            "shopify": "api_key = shpat_test\n", "insales": "api_key = login\napi_secret = pass\n"}[platform]
    return Server(tmp_path, extra_config=(
        f"\n[connector.webshop]\nplatform = {platform}\nbase_url = {shop.url}\n{keys}"
        f"webhook_secret = {SECRET}\npoll_interval_ms = 150\nretry_base_ms = 50\nretry_cap_ms = 200\n"
        f"retry_after_max_ms = 2000\n{extra}"))


def wait(predicate, seconds: float = 30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


def post(server: Server, body: bytes, headers: dict, path: str = "/webhooks/shop"):
    req = urllib.request.Request(server.base + path, data=body, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def woo_hook(server: Server, order: dict, topic: str = "order.updated", delivery: str = "", secret: str = SECRET):
    body = json.dumps(order).encode()
    return post(server, body, {"Content-Type": "application/json", "X-WC-Webhook-Topic": topic,
                               "X-WC-Webhook-Signature": woo_signature(secret, body),
                               "X-WC-Webhook-Delivery-ID": delivery})


def orders(server: Server):
    return server.sql("SELECT o.external_id, o.status, c.name, o.client_id, o.total_minor FROM orders o "
                      "JOIN clients c ON c.id = o.client_id WHERE o.source = 'webshop' ORDER BY o.external_id + 0")


def letters(server: Server):
    return server.sql("SELECT reason FROM dead_letters WHERE connector = 'webshop'")


@pytest.fixture
def woo():
    shop = Shop("woocommerce")
    yield shop
    shop.close()


def add_products(server: Server, *skus: str):
    salescore = pytest.importorskip("salescore")
    with salescore.open(server.db) as crm:
        for sku in skus:
            crm.products.add(sku=sku, name=f"Product {sku}")


# ---- WooCommerce: poll ---------------------------------------------------------------------


def test_woocommerce_orders_are_polled_page_by_page_once_on_the_right_client(tmp_path, woo):
    # 250 orders in 3 pages; buyers: a registered customer, a guest with the same e-mail,
    # a client salescore already has (matched by phone: the shop is a system of record,
    # which may see every client), a guest with neither.
    server = start(tmp_path, woo, "woocommerce", "[access]\nsystems_of_record = onec, webshop\n")
    try:
        salescore = pytest.importorskip("salescore")
        with salescore.open(server.db) as crm:
            crm.products.add(sku="SKU-1", name="Product")
            known = crm.clients.add(name="Известный клиент", phones=["+49301234567"])
        for i in range(1, 251):
            woo.put(woo_order(i, T0 + timedelta(seconds=i), email=f"buyer{i % 5}@example.test", customer_id=i % 5))
        woo.put(woo_order(251, T0 + timedelta(seconds=300), email="anna@example.test", customer_id=0))
        woo.put(woo_order(252, T0 + timedelta(seconds=301), phone="+49 30 1234567", customer_id=0))
        woo.put(woo_order(253, T0 + timedelta(seconds=302), customer_id=0))  # a guest who gave nothing
        wait(lambda: len(orders(server)) == 253)
        time.sleep(0.5)  # further polls re-read the overlap window: nothing doubles
        rows = orders(server)
        assert len(rows) == 253 and len({r[0] for r in rows}) == 253
        by_id = {r[0]: r for r in rows}
        assert by_id["252"][3] == known.id, "matched by the normalized phone"
        assert by_id["252"][2] == "Известный клиент", "a phone match keeps the manager's name"
        assert server.sql("SELECT external_id, name FROM clients WHERE id = ?", by_id["253"][3]) == [
            ("guest:order:253", "Anna Buyer253")], "a guest who gave no e-mail or phone is kept"
        assert by_id["1"][1] == "confirmed" and by_id["1"][4] == 1000
        registered = {r[3] for r in rows if r[0] in {"5", "10", "15"}}
        assert len(registered) == 1, "one customer id, one client"
        assert letters(server) == []
        pages = [r for r in woo.requests if r.startswith("GET /wp-json/wc/v3/orders?")]
        assert "dates_are_gmt=true" in pages[0] and "orderby=modified" in pages[0]
    finally:
        server.stop()


def test_an_order_modified_during_pagination_skips_no_other_order(tmp_path, woo):
    # 250 orders in pages of 100. After the first page, order 50 is modified: it moves to
    # the end of the listing and every later order one place up. Pages counted over one
    # bound would skip order 101; keyset pages (each after the last time read) do not.
    for i in range(1, 251):
        woo.put(woo_order(i, T0 + timedelta(seconds=i), email="p@example.test"))
    served = []

    def modify_once(shop):
        served.append(1)
        if len(served) == 1:
            shop.orders["50"] = woo_order(50, T0 + timedelta(days=1), email="p@example.test", status="completed")

    woo.after_page = modify_once
    server = start(tmp_path, woo, "woocommerce", "unknown_sku = stub\npoll_interval_ms = 3600000\n")
    try:
        wait(lambda: len(orders(server)) >= 250)
        rows = orders(server)
        assert len(rows) == 250 and {r[0] for r in rows} == {str(i) for i in range(1, 251)}
        assert dict((r[0], r[1]) for r in rows)["50"] == "completed"
        pages = [r for r in woo.requests if r.startswith("GET /wp-json/wc/v3/orders?")]
        assert all("page=1" in p for p in pages[:3]), "each page starts after the last time read"
    finally:
        server.stop()


@pytest.mark.parametrize("offset_h", [3, -8])
def test_store_time_zone_never_shifts_the_cursor(tmp_path, offset_h):
    shop = Shop("woocommerce")
    try:
        shop.put(woo_order(1, T0, email="a@example.test", store_offset_h=offset_h))
        server = start(tmp_path, shop, "woocommerce", "unknown_sku = stub\n")
        try:
            wait(lambda: len(orders(server)) == 1)
            # Modified after the cursor by a minute: found by a GMT bound whatever the zone.
            shop.put(woo_order(2, T0 + timedelta(minutes=1), email="a@example.test", store_offset_h=offset_h))
            wait(lambda: len(orders(server)) == 2)
            ordered = server.sql("SELECT ordered_at FROM orders WHERE external_id = '2'")[0][0]
            assert ordered == int((T0 + timedelta(minutes=1)).timestamp() * 1000)
        finally:
            server.stop()
    finally:
        shop.close()


def test_rate_limit_with_retry_after_and_a_shop_that_is_down(tmp_path, woo):
    for i in range(1, 4):
        woo.put(woo_order(i, T0 + timedelta(seconds=i), email="x@example.test"))
    woo.faults = [(429, {"Retry-After": "1"}), (503, {"Retry-After": "1"})]
    woo.down = True
    server = start(tmp_path, woo, "woocommerce", "unknown_sku = stub\n")
    try:
        wait(lambda: len([r for r in woo.requests]) >= 3)
        assert orders(server) == []
        health = server.sql("SELECT runtime_state, runtime_reason FROM connector_state WHERE connector = 'webshop'")
        assert health and "503" in (health[0][1] or "")
        woo.down = False
        wait(lambda: len(orders(server)) == 3)
    finally:
        server.stop()


# ---- WooCommerce: webhooks -----------------------------------------------------------------


def test_woocommerce_webhooks_verified_deduplicated_and_never_stale(tmp_path, woo):
    server = start(tmp_path, woo, "woocommerce", "unknown_sku = stub\npoll_interval_ms = 3600000\n")
    try:
        order = woo_order(77, T0, email="hook@example.test", status="processing")
        body = json.dumps(order).encode()
        assert post(server, body, {"X-WC-Webhook-Signature": woo_signature("wrong", body)})[0] == 401
        assert post(server, body, {})[0] == 401
        assert post(server, b"webhook_id=12", {"Content-Type": "application/x-www-form-urlencoded"})[0] == 200
        for n in range(15):  # WooCommerce fired order.created 10-15 times (woocommerce#28329)
            assert woo_hook(server, order, "order.created", delivery=str(n))[0] == 200
        assert [r[:2] for r in orders(server)] == [("77", "confirmed")]
        events = server.sql("SELECT COUNT(*) FROM events WHERE entity = 'order'")[0][0]
        assert events == 1
        newer = woo_order(77, T0 + timedelta(minutes=5), email="hook@example.test", status="completed")
        assert woo_hook(server, newer)[0] == 200
        # The retry of the first delivery arrives late: it must not bring "processing" back.
        assert woo_hook(server, order, delivery="late")[0] == 200
        assert [r[:2] for r in orders(server)] == [("77", "completed")]
        assert woo_hook(server, {"id": 1}, topic="order.updated")[0] == 200  # id only: fetched, gone: nothing
        bad = json.dumps({"line_items": "no"}).encode()
        status, text = post(server, bad, {"X-WC-Webhook-Signature": woo_signature(SECRET, bad)})
        assert status == 400 and "no id" in text
    finally:
        server.stop()


def test_unknown_sku_is_a_dead_letter_naming_it_and_a_variation_sku_maps(tmp_path, woo):
    server = start(tmp_path, woo, "woocommerce", "poll_interval_ms = 3600000\n")
    try:
        add_products(server, "VAR-RED")
        ok = woo_order(5, T0, email="v@example.test", lines=(("VAR-RED", 1, "30.00", "30.00"),))
        # A variable product whose parent has no SKU: the line is its variation, and
        # WooCommerce gives the variation's SKU (woocommerce.cpp reads the line's `sku`).
        ok["line_items"][0].update(variation_id=501, product_id=500, parent_name="T-shirt",
                                   name="T-shirt - Red", meta_data=[{"key": "pa_color", "value": "red"}])
        missing = woo_order(6, T0, email="v@example.test", lines=(("NO-SUCH", 1, "5.00", "5.00"),))
        assert woo_hook(server, ok)[0] == 200
        assert woo_hook(server, missing)[0] == 200
        assert [r[0] for r in orders(server)] == ["5"]
        assert server.sql("SELECT p.sku FROM order_lines l JOIN products p ON p.id = l.product_id "
                          "JOIN orders o ON o.id = l.order_id WHERE o.external_id = '5'") == [("VAR-RED",)]
        reasons = letters(server)
        assert len(reasons) == 1 and "NO-SUCH" in reasons[0][0]
    finally:
        server.stop()


def test_coupon_tax_rounding_and_refunds_are_kept_verbatim(tmp_path, woo):
    server = start(tmp_path, woo, "woocommerce", "unknown_sku = stub\npoll_interval_ms = 3600000\n")
    try:
        # 100 % coupon: lines total 0, tax rounded to 0.01 by the shop.
        free = woo_order(8, T0, email="c@example.test", lines=(("SKU-1", 3, "9.99", "0.00"),), total="0.01",
                         total_tax="0.01")
        assert woo_hook(server, free)[0] == 200
        refunded = woo_order(9, T0, email="c@example.test", lines=(("SKU-1", 1, "50.00", "50.00"),),
                             refunds=("10.00",))
        assert woo_hook(server, refunded)[0] == 200
        sales = lambda: server.sql("SELECT COALESCE(SUM(value), 0), COALESCE(SUM(n), 0) FROM kpi_daily "  # noqa: E731
                                   "WHERE fact = 'order'")[0]
        partly = sales()
        placed = server.sql("SELECT COALESCE(SUM(total_minor), 0) FROM orders")[0][0]
        assert partly == (placed - 1000, 2), "both orders are sales; the partial refund of 10.00 comes off"
        # The refund lands on the day it is learnt, as its own kpi_daily cell: money taken
        # away, no order counted.
        assert server.sql("SELECT value, n FROM kpi_daily WHERE fact = 'order' AND value < 0") == [(-1000, 0)]
        # The same state delivered again (another delivery id) adds no second refund.
        assert woo_hook(server, refunded, delivery="again-9")[0] == 200
        assert sales() == partly
        full = woo_order(9, T0 + timedelta(minutes=1), email="c@example.test",
                         lines=(("SKU-1", 1, "50.00", "50.00"),), refunds=("10.00", "40.00"), status="refunded")
        assert woo_hook(server, full)[0] == 200
        custom = {r[0]: json.loads(r[1]) for r in server.sql("SELECT external_id, custom FROM orders")}
        assert custom["8"]["shop_total"] == "0.01" and custom["8"]["shop_tax"] == "0.01"
        assert "shop_adjustment" not in custom["8"], "lines 0 + tax 0.01 = total"
        assert custom["9"]["shop_refunded"] == "50.00"
        assert dict((r[0], r[1]) for r in orders(server))["9"] == "cancelled"
        total_9 = server.sql("SELECT total_minor FROM orders WHERE external_id = '9'")[0][0]
        assert sales() == (partly[0] + 1000 - total_9, 1), \
            "the full refund cancels order 9: it leaves the sales KPIs once, its refunds with it"
        assert server.sql("SELECT amount_minor, reference FROM order_refunds ORDER BY id") == [
            (1000, "webshop:refunded:10.00"), (4000, "webshop:refunded:50.00")], "each refund kept"
    finally:
        server.stop()


def test_webhook_endpoint_down_then_the_poll_backfills(tmp_path, woo):
    server = start(tmp_path, woo, "woocommerce", "unknown_sku = stub\n")
    try:
        wait(lambda: any(r.startswith("GET /wp-json") for r in woo.requests))
        # Six orders whose webhooks failed (the endpoint was down for six deliveries): the
        # poll finds them.
        placed = [woo_order(i, datetime.now(timezone.utc) - timedelta(seconds=30), email="d@example.test")
                  for i in range(1, 7)]
        for order in placed:
            woo.put(order)
        wait(lambda: len(orders(server)) == 6)
        # The endpoint is back and the shop delivers the six again: nothing doubles, and
        # a seventh order's webhook is taken at once.
        for n, order in enumerate(placed):
            assert woo_hook(server, order, "order.created", delivery=f"retry-{n}")[0] == 200
        seventh = woo_order(7, datetime.now(timezone.utc), email="d@example.test")
        assert woo_hook(server, seventh, "order.created", delivery="new-7")[0] == 200
        assert [r[0] for r in orders(server)] == [str(i) for i in range(1, 8)]
        created = server.sql("SELECT COUNT(*) FROM events WHERE type = 'order.created'")[0][0]
        assert created == 7, "each order created once"
    finally:
        server.stop()


# ---- status back ---------------------------------------------------------------------------


def test_a_status_set_in_salescore_reaches_the_shop_once_without_echo(tmp_path, woo):
    for i in (1, 2):
        woo.put(woo_order(i, T0 + timedelta(seconds=i), email="s@example.test"))
    server = start(tmp_path, woo, "woocommerce", "unknown_sku = stub\n")
    try:
        wait(lambda: len(orders(server)) == 2)
        time.sleep(0.5)
        assert woo.pushes == [], "orders that came from the shop are not sent back"
        salescore = pytest.importorskip("salescore")
        with salescore.open(server.db) as crm:
            order_id = server.sql("SELECT id FROM orders WHERE external_id = '1'")[0][0]
            crm.orders.update(order_id, status="completed")
        wait(lambda: woo.pushes)
        time.sleep(0.5)
        assert [(m, p, json.loads(b)) for m, p, b in woo.pushes] == [
            ("PUT", "/wp-json/wc/v3/orders/1", {"status": "completed"})]
    finally:
        server.stop()


# ---- Medusa: the recorded orders -----------------------------------------------------------


def medusa_fixture() -> dict:
    path = pathlib.Path(SHARED_FIXTURES) / "webshop" / "medusa-2.21-orders.json"
    if not path.is_file():
        pytest.skip(f"recorded Medusa orders {path} are absent")
    return json.loads(path.read_text())


def test_medusa_recorded_orders_polled_and_events_fetch_the_order(tmp_path):
    recorded = medusa_fixture()
    shop = Shop("medusa")
    try:
        server = start(tmp_path, shop, "medusa")
        try:
            add_products(server, "TSHIRT-M", "TSHIRT-L")
            for o in recorded["orders"][:1]:
                shop.put(o)
            wait(lambda: len(orders(server)) == 1)
            # The rest arrive as the subscriber's events (ids only), as recorded.
            for o in recorded["orders"][1:]:
                shop.put(o)
            events = (pathlib.Path(SHARED_FIXTURES) / "webshop" / "medusa-2.21-events.log").read_text().splitlines()
            for line in events:
                event = json.loads(line)
                if event["path"] != "/hook":
                    continue
                body = event["body"].encode()
                headers = {"Content-Type": "application/json", "X-Medusa-Event": event["headers"]["x-medusa-event"]}
                assert post(server, body, headers)[0] == 401, "no key, no entry"
                assert post(server, body, headers, f"/webhooks/shop?key={SECRET}")[0] == 200
            rows = {r[0]: r for r in wait(lambda: len(orders(server)) == 2 and orders(server))}
            first, third = recorded["orders"][0]["id"], recorded["orders"][2]["id"]
            assert rows[first][2] == "Jane Doe" and rows[first][1] == "new"
            assert rows[third][1] == "confirmed"  # fulfilled, paid, partially refunded
            custom = json.loads(server.sql("SELECT custom FROM orders WHERE external_id = ?", third)[0][0])
            assert custom["shop_refunded"] == "5" and custom["shop_total"] == "59.87"
            assert custom["shop_shipping"] == "4.90"
            # Order 2 has a custom line without a SKU: a dead letter saying so, not a silent drop.
            reasons = [r[0] for r in letters(server)]
            assert reasons and any("sku" in r for r in reasons), reasons
        finally:
            server.stop()
    finally:
        shop.close()


# ---- a crash during a long poll ------------------------------------------------------------


def restart(server: Server):
    """`serve` again on the same database and config, as an operator would after a stop."""
    import subprocess

    from conftest import BIN

    server.proc = subprocess.Popen([BIN, "serve", "--db", server.db, "--config", str(server.config), "--listen",
                                    "127.0.0.1:0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    server.proc.stdout.readline()


def webshop_orders(server: Server) -> int:
    return server.sql("SELECT COUNT(*) FROM orders WHERE source = 'webshop'")[0][0]


def each_order_once(server: Server, total: int, clients: int):
    created = server.sql("SELECT COUNT(*), COUNT(DISTINCT entity_id) FROM events WHERE type = 'order.created'")[0]
    assert created == (total, total)
    assert server.sql("SELECT COUNT(DISTINCT client_id) FROM orders")[0][0] == clients


def polling_a_large_shop(tmp_path, woo, total: int, clients: int, extra: str = "") -> Server:
    """A shop of `total` orders from `clients` buyers, and a `serve` 300 orders into its first poll."""
    for i in range(1, total + 1):
        woo.put(woo_order(i, T0 + timedelta(seconds=i), email=f"k{i % clients}@example.test"))
    server = start(tmp_path, woo, "woocommerce", "unknown_sku = stub\n" + extra)
    try:
        wait(lambda: webshop_orders(server) >= 300, 120)
    except AssertionError:
        server.stop()
        raise
    return server


def test_kill_9_during_a_poll_of_10000_orders_then_every_order_exactly_once(tmp_path, woo):
    import signal

    server = polling_a_large_shop(tmp_path, woo, 10000, 50)
    try:
        server.proc.send_signal(signal.SIGKILL)
        server.proc.wait(timeout=30)
        assert webshop_orders(server) < 10000, "killed during the poll"
        restart(server)
        wait(lambda: webshop_orders(server) == 10000, 240)
        each_order_once(server, 10000, 50)
    finally:
        server.stop()


def test_sigterm_during_a_poll_stops_at_the_page_in_hand_and_the_next_start_reads_the_rest(tmp_path, woo):
    # A stop used to wait for the whole poll (minutes for a large shop's re-read): the
    # connector now hears stopping() between pages, and its cursor is the last page applied.
    server = polling_a_large_shop(tmp_path, woo, 3000, 30, "page_size = 50\n")
    try:
        log = server.stop()  # SIGTERM
        assert server.proc.returncode == 0, log
        assert webshop_orders(server) < 3000, "serve read every page before it stopped"
        assert "poll ended for the shutdown: poll stopped between pages" in log
        assert "poll failed" not in log  # a stop is not the shop's failure: no backoff, no health error
        assert [e for (e,) in server.sql("SELECT last_error FROM connector_state WHERE connector = 'webshop'") if e] == []
        restart(server)
        wait(lambda: webshop_orders(server) == 3000, 240)
        each_order_once(server, 3000, 30)
    finally:
        server.stop()


# ---- Shopify and InSales webhooks, InSales poll ---------------------------------------------


def test_shopify_webhooks_rotated_secret_deduplicated_paid_before_create(tmp_path):
    shop = Shop("shopify")
    server = start(tmp_path, shop, "shopify", "webhook_secret_previous = old-secret\nunknown_sku = stub\n"
                   "poll_interval_ms = 3600000\npush_statuses = false\n")
    try:
        def hook(order, topic, webhook_id, secret=SECRET):
            body = json.dumps(order).encode()
            return post(server, body, {"X-Shopify-Topic": topic, "X-Shopify-Webhook-Id": webhook_id,
                                       "X-Shopify-Hmac-Sha256": woo_signature(secret, body)})
        paid = shopify_order(820982911946154508, T0 + timedelta(minutes=2), financial="paid")
        # orders/paid before orders/create (frappe/ecommerce_integrations#425): the order is made.
        assert hook(paid, "orders/paid", "w-2", secret="old-secret")[0] == 200, "the previous secret still signs"
        created = shopify_order(820982911946154508, T0, financial="pending")
        assert hook(created, "orders/create", "w-1")[0] == 200
        assert hook(created, "orders/create", "w-1")[0] == 200  # a retry, same id
        assert hook(paid, "orders/paid", "w-3", secret="someone-else")[0] == 401
        assert [r[:2] for r in orders(server)] == [("820982911946154508", "confirmed")], "the late create is stale"
        guest = shopify_order(5, T0, customer=False)  # customer: null (dubinc/dub#2607)
        assert hook(guest, "orders/create", "w-4")[0] == 200
        assert server.sql("SELECT c.external_id FROM orders o JOIN clients c ON c.id = o.client_id "
                          "WHERE o.external_id = '5'") == [("guest:order:5",)]
    finally:
        server.stop()
        shop.close()


def test_insales_polled_with_its_limit_and_webhooks_keyed_in_the_route(tmp_path):
    shop = Shop("insales")
    shop.put(insales_order(1, T0))
    shop.faults = [(429, {"Retry-After": "1"})]
    server = start(tmp_path, shop, "insales", "unknown_sku = stub\n")
    try:
        wait(lambda: len(orders(server)) == 1)
        assert orders(server)[0][2] == "Иван Петров"
        body = json.dumps(insales_order(2, T0 + timedelta(minutes=1), status="accepted")).encode()
        assert post(server, body, {"Content-Type": "application/json"})[0] == 401
        assert post(server, body, {}, "/webhooks/shop?key=wrong")[0] == 401
        assert post(server, body, {}, f"/webhooks/shop?key={SECRET}")[0] == 200
        assert dict((r[0], r[1]) for r in orders(server))["2"] == "confirmed"
        salescore = pytest.importorskip("salescore")
        with salescore.open(server.db) as crm:
            crm.orders.update(server.sql("SELECT id FROM orders WHERE external_id = '1'")[0][0], status="shipped")
        wait(lambda: shop.pushes)
        assert [(m, p, json.loads(b)) for m, p, b in shop.pushes] == [
            ("PUT", "/admin/orders/1.json", {"order": {"fulfillment_status": "dispatched"}})]
    finally:
        server.stop()
        shop.close()
