"""The web-shop connector against a real Medusa 2.21.2 (from npm) on a real PostgreSQL 15,
both started by the test (medusa_shop.py). Part of the default suite (its own CTest entry,
connectors_medusa_pytest): the npm install and the migrated database are cached under
~/.cache/salescore keyed by the lockfile (run.sh setup prepares them), so a run copies
the database and starts Medusa. It skips, saying so, only where Node.js or npm is
missing. SALESCORE_MEDUSA_URL (with SALESCORE_MEDUSA_ADMIN=email:password) runs it
against a Medusa already up.

Orders placed, updated, paid and cancelled in Medusa appear once in salescore, and a
status set in salescore reaches Medusa."""
from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.request

import pytest

import medusa_shop
from conftest import Server
from test_webshop import add_products, wait

pytestmark = pytest.mark.skipif(not os.environ.get("SALESCORE_MEDUSA_URL") and bool(medusa_shop.missing_tools()),
                                reason="real Medusa: " + medusa_shop.missing_tools())


@pytest.fixture(scope="module")
def medusa():
    if os.environ.get("SALESCORE_MEDUSA_URL"):
        email, password = os.environ.get("SALESCORE_MEDUSA_ADMIN", ":".join(medusa_shop.ADMIN)).split(":", 1)
        yield os.environ["SALESCORE_MEDUSA_URL"], (email, password)
        return
    with medusa_shop.running() as shop:
        yield shop


class Admin:
    """Medusa's admin API, as its documentation gives it, with a Bearer token."""

    def __init__(self, base: str, login: tuple[str, str]):
        self.base = base
        self.token = self.call("POST", "/auth/user/emailpass", {"email": login[0], "password": login[1]})["token"]

    def call(self, method: str, path: str, body=None) -> dict:
        headers = {"Content-Type": "application/json"}
        if getattr(self, "token", None):
            headers["Authorization"] = "Bearer " + self.token
        req = urllib.request.Request(self.base + path, method=method, headers=headers,
                                     data=None if body is None else json.dumps(body).encode())
        try:
            with urllib.request.urlopen(req, timeout=120) as r:
                return json.loads(r.read())
        except urllib.error.HTTPError as e:
            raise AssertionError(f"{method} {path}: {e.code} {e.read()[:500]!r}") from None

    def place(self, region: str, channel: str, variant: str, email: str, quantity: int = 1) -> str:
        draft = self.call("POST", "/admin/draft-orders", {
            "email": email, "region_id": region, "sales_channel_id": channel,
            "items": [{"variant_id": variant, "quantity": quantity}],
            "billing_address": {"first_name": "Jane", "last_name": "Doe", "country_code": "de"}})["draft_order"]
        return self.call("POST", f"/admin/draft-orders/{draft['id']}/convert-to-order")["order"]["id"]


def test_a_real_medusa_orders_placed_updated_paid_cancelled_once_and_a_status_back(tmp_path, medusa):
    base, login = medusa
    admin = Admin(*medusa)
    key = admin.call("POST", "/admin/api-keys", {"title": "salescore", "type": "secret"})["api_key"]["token"]
    region = admin.call("POST", "/admin/regions", {"name": "Europe", "currency_code": "eur", "countries": ["de"]}
                        )["region"]["id"] if not os.environ.get("SALESCORE_MEDUSA_URL") else \
        admin.call("GET", "/admin/regions?limit=1")["regions"][0]["id"]
    channel = admin.call("POST", "/admin/sales-channels", {"name": f"Web {time.time()}"})["sales_channel"]["id"]
    sku = f"TSHIRT-{int(time.time())}"
    product = admin.call("POST", "/admin/products", {
        "title": f"T-Shirt {sku}", "handle": sku.lower(), "status": "published", "sales_channels": [{"id": channel}],
        "options": [{"title": "Size", "values": ["M"]}],
        "variants": [{"title": "M", "sku": sku, "manage_inventory": False, "options": {"Size": "M"},
                      "prices": [{"amount": 19.99, "currency_code": "eur"}]}]})["product"]
    variant = product["variants"][0]["id"]

    server = Server(tmp_path, extra_config=(
        f"\n[connector.shop_medusa]\nlibrary = webshop\nplatform = medusa\nbase_url = {base}\napi_key = {key}\n"
        "webhook_secret = medusa-test-secret\nwebhook_path = /webhooks/medusa\npoll_interval_ms = 500\n"
        "retry_base_ms = 100\nretry_cap_ms = 1000\n"))
    try:
        add_products(server, sku)
        rows = lambda: dict(server.sql("SELECT external_id, status FROM orders WHERE source = 'shop_medusa'"))  # noqa
        placed = admin.place(region, channel, variant, "jane@example.test", 2)
        wait(lambda: placed in rows(), 180)
        assert rows()[placed] == "new"
        # Updated: a new e-mail; paid: a payment captured (which does not move updated_at).
        admin.call("POST", f"/admin/orders/{placed}", {"email": "jane.new@example.test"})
        collection = admin.call("POST", "/admin/payment-collections", {"order_id": placed, "amount": 39.98}
                                )["payment_collection"]["id"]
        admin.call("POST", f"/admin/payment-collections/{collection}/mark-as-paid", {"order_id": placed})
        wait(lambda: rows().get(placed) == "confirmed", 180)
        # Cancelled in Medusa.
        cancelled = admin.place(region, channel, variant, "max@example.test")
        wait(lambda: cancelled in rows(), 180)
        admin.call("POST", f"/admin/orders/{cancelled}/cancel")
        wait(lambda: rows().get(cancelled) == "cancelled", 180)
        # A status set in salescore reaches Medusa.
        completed = admin.place(region, channel, variant, "eva@example.test")
        wait(lambda: completed in rows(), 180)
        salescore = pytest.importorskip("salescore")
        with salescore.open(server.db) as crm:
            crm.orders.update(server.sql("SELECT id FROM orders WHERE external_id = ?", completed)[0][0],
                              status="completed")
        wait(lambda: admin.call("GET", f"/admin/orders/{completed}")["order"]["status"] == "completed", 180)
        time.sleep(2)  # further polls re-read the overlap window: nothing doubles
        counts = server.sql("SELECT external_id, COUNT(*) FROM orders WHERE source = 'shop_medusa' "
                            "GROUP BY external_id")
        assert sorted(counts) == sorted([(placed, 1), (cancelled, 1), (completed, 1)])
        created = server.sql("SELECT COUNT(*) FROM events e JOIN orders o ON o.id = e.entity_id "
                             "WHERE e.entity = 'order' AND e.type = 'order.created' AND o.source = 'shop_medusa'")[0][0]
        assert created == 3, "each order created once"
        # (A Medusa already up may hold older orders of SKUs this database lacks.)
        assert server.sql("SELECT reason FROM dead_letters WHERE external_id IN (?, ?, ?)",
                          placed, cancelled, completed) == []
    finally:
        server.stop()
