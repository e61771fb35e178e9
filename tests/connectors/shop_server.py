"""A loopback web shop serving the documented JSON shapes of WooCommerce REST v3,
Medusa v2's admin API, InSales and Shopify's GraphQL Admin API (orders by a
modified-since bound or still open, pages and cursors, fetch by id, status changes,
Shopify's fulfilment and cancel mutations), with faults on demand:
429/503 with Retry-After, a shop that is down. What salescore sent back is kept in
`pushes`."""
from __future__ import annotations

import base64
import hashlib
import hmac
import http.server
import json
import threading
import time
import urllib.parse
from datetime import datetime, timedelta, timezone


def woo_time(dt: datetime) -> str:
    """WooCommerce's *_gmt fields: naive ISO 8601, no zone designator."""
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")


def woo_order(order_id: int, modified: datetime, email: str = "", phone: str = "", customer_id: int = 0,
              lines=(("SKU-1", 2, "10.00", "10.00"),), status: str = "processing", store_offset_h: int = 0,
              total: str | None = None, total_tax: str = "0.00", shipping: str = "0.00", refunds=()) -> dict:
    """An order as GET /wp-json/wc/v3/orders/{id} answers it. `lines`: (sku, quantity,
    subtotal, total) per line. The store's local fields are shifted by its time zone."""
    local = modified + timedelta(hours=store_offset_h)
    items = [{"id": order_id * 100 + i, "name": f"Item {sku}", "product_id": 10 + i, "variation_id": 0,
              "quantity": qty, "subtotal": sub, "total": tot, "sku": sku, "price": float(tot) / qty}
             for i, (sku, qty, sub, tot) in enumerate(lines)]
    if total is None:
        total = f"{sum(float(t) for _, _, _, t in lines) + float(total_tax) + float(shipping):.2f}"
    return {
        "id": order_id, "number": str(order_id), "status": status, "currency": "EUR",
        "date_created": woo_time(local), "date_created_gmt": woo_time(modified),
        "date_modified": woo_time(local), "date_modified_gmt": woo_time(modified),
        "customer_id": customer_id, "discount_total": "0.00", "shipping_total": shipping,
        "total": total, "total_tax": total_tax,
        "billing": {"first_name": "Anna", "last_name": f"Buyer{order_id}", "company": "", "email": email,
                    "phone": phone},
        "line_items": items, "refunds": [{"id": 900 + i, "total": f"-{r}"} for i, r in enumerate(refunds)],
        "payment_method": "bacs", "transaction_id": "",
    }


def woo_signature(secret: str, body: bytes) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


class Shop:
    def __init__(self, platform: str, store_offset_h: int = 0):
        self.platform = platform
        self.store_offset_h = store_offset_h
        self.orders: dict[str, dict] = {}
        self.pushes: list[tuple[str, str, bytes]] = []
        self.requests: list[str] = []
        self.faults: list[tuple[int, dict]] = []  # answered before anything else, one per request
        self.down = False
        self.after_page = None  # called (with the shop) after each WooCommerce page served
        # InSales' allowance: calls per rolling window, said in API-Usage-Limit; a call over
        # it is answered 429 (counted in `limited`).
        self.usage_limit, self.usage_window_s = 500, 300.0
        self.usage: list[float] = []
        self.limited = 0
        self.lock = threading.Lock()
        shop = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):  # noqa: N802
                shop.handle(self, "GET")

            def do_PUT(self):  # noqa: N802
                shop.handle(self, "PUT")

            def do_POST(self):  # noqa: N802
                shop.handle(self, "POST")

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def put(self, order: dict):
        with self.lock:
            self.orders[str(order.get("id", order.get("legacyResourceId")))] = order

    # ---- HTTP ----
    def reply(self, h, status: int, body, headers: dict | None = None):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        h.send_response(status)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(data)

    def handle(self, h, method: str):
        length = int(h.headers.get("Content-Length") or 0)
        body = h.rfile.read(length) if length else b""
        url = urllib.parse.urlsplit(h.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        with self.lock:
            self.requests.append(f"{method} {h.path}")
            if self.down:
                return self.reply(h, 503, {"message": "maintenance"})
            if self.faults:
                status, headers = self.faults.pop(0)
                return self.reply(h, status, {"message": "slow down"}, headers)
            if method != "GET":
                self.pushes.append((method, url.path, body))
            handler = getattr(self, f"{self.platform}_{method.lower()}")
            return handler(h, url.path, query, body)

    # ---- WooCommerce ----
    def woocommerce_get(self, h, path, query, body):
        if h.headers.get("Authorization") != "Basic " + base64.b64encode(b"ck_test:cs_test").decode():
            return self.reply(h, 401, {"code": "woocommerce_rest_cannot_view"})
        prefix = "/wp-json/wc/v3/orders"
        if path.startswith(prefix + "/"):
            order = self.orders.get(path[len(prefix) + 1:])
            return self.reply(h, 200, order) if order else self.reply(h, 404, {"code": "woocommerce_rest_shop_order_invalid_id"})
        # Without dates_are_gmt the bound is read in the store's time zone (woocommerce-rest-api#241).
        field = "date_modified_gmt" if query.get("dates_are_gmt") == "true" else "date_modified"
        bound = query.get("modified_after", "")
        statuses = query.get("status", "any").split(",")  # the nightly pass asks for the open ones
        rows = sorted((o for o in self.orders.values() if o[field] > bound and
                       ("any" in statuses or o["status"] in statuses)), key=lambda o: (o[field], o["id"]))
        per_page = min(int(query.get("per_page", 10)), 100)
        page = int(query.get("page", 1))
        pages = max(1, -(-len(rows) // per_page))
        chunk = rows[(page - 1) * per_page:page * per_page]
        self.reply(h, 200, chunk, {"X-WP-Total": str(len(rows)), "X-WP-TotalPages": str(pages)})
        if self.after_page:  # the shop changes while the poll pages through it
            self.after_page(self)

    def woocommerce_put(self, h, path, query, body):
        order = self.orders.get(path.rsplit("/", 1)[-1])
        if not order:
            return self.reply(h, 404, {"code": "woocommerce_rest_shop_order_invalid_id"})
        order["status"] = json.loads(body)["status"]
        return self.reply(h, 200, order)

    # ---- Medusa v2 ----
    def medusa_get(self, h, path, query, body):
        if path.startswith("/admin/orders/"):
            order = self.orders.get(path.rsplit("/", 1)[-1])
            return self.reply(h, 200, {"order": order}) if order else self.reply(h, 404, {"type": "not_found"})
        bound = query.get("updated_at[$gte]", "")
        statuses = [v for k, v in urllib.parse.parse_qsl(urllib.parse.urlsplit(h.path).query) if k == "status[]"]
        rows = sorted((o for o in self.orders.values() if o["updated_at"] >= bound and
                       (not statuses or o["status"] in statuses)), key=lambda o: o["updated_at"])
        limit, offset = int(query.get("limit", 50)), int(query.get("offset", 0))
        return self.reply(h, 200, {"orders": rows[offset:offset + limit], "count": len(rows), "offset": offset,
                                   "limit": limit})

    def medusa_post(self, h, path, query, body):
        parts = path.strip("/").split("/")  # admin orders {id} cancel | fulfillments [{f} shipments]
        order = self.orders.get(parts[2]) if len(parts) >= 4 else None
        if not order:
            return self.reply(h, 404, {"type": "not_found"})
        if parts[3] in ("cancel", "complete") and len(parts) == 4:
            order["status"] = {"cancel": "canceled", "complete": "completed"}[parts[3]]
            return self.reply(h, 200, {"order": order})
        if parts[3] != "fulfillments":
            return self.reply(h, 404, {"type": "not_found"})
        return self.medusa_fulfil(h, order, parts[4:], json.loads(body or b"{}"))

    def medusa_fulfil(self, h, order, rest, body):
        """Medusa v2's fulfilment routes as documented: create one for line items, ship it,
        mark it delivered; each answers the order. Quantities beyond what is left: 400."""
        now = datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        items = {i["id"]: i for i in order["items"]}
        fulfilments = order.setdefault("fulfillments", [])
        if order.get("_refuse_fulfilment"):  # as Medusa refuses one it cannot make
            return self.reply(h, 400, {"type": "not_allowed", "message": "Insufficient stock for item"})
        if not rest:
            wanted = body.get("items") or []
            for w in wanted:
                item = items.get(w.get("id"))
                if not item or w["quantity"] <= 0 or \
                        quantity(item, "fulfilled_quantity") + w["quantity"] > item["quantity"]:
                    return self.reply(h, 400, {"type": "invalid_data", "message": f"cannot fulfil {w}"})
            if not wanted:
                return self.reply(h, 400, {"type": "invalid_data", "message": "items required"})
            for w in wanted:
                add_quantity(items[w["id"]], "fulfilled_quantity", w["quantity"])
            fulfilments.append({"id": f"ful_{len(fulfilments) + 1}", "created_at": now, "packed_at": now,
                                "shipped_at": None, "delivered_at": None, "canceled_at": None,
                                "items": [{"line_item_id": w["id"], "quantity": w["quantity"]} for w in wanted]})
        else:
            found = [f for f in fulfilments if f["id"] == rest[0]]
            if not found or len(rest) != 2 or rest[1] not in ("shipments", "mark-as-delivered"):
                return self.reply(h, 404, {"type": "not_found"})
            f = found[0]
            if rest[1] == "shipments":
                if f["shipped_at"] or not body.get("items"):
                    return self.reply(h, 400, {"type": "invalid_data", "message": "not shippable"})
                f["shipped_at"] = now
                for w in body["items"]:
                    add_quantity(items[w["id"]], "shipped_quantity", w["quantity"])
            else:
                f["delivered_at"] = now
        done = all(quantity(i, "fulfilled_quantity") >= i["quantity"] for i in order["items"])
        shipped = done and all(f["shipped_at"] for f in fulfilments)
        delivered = shipped and all(f["delivered_at"] for f in fulfilments)
        order["fulfillment_status"] = ("delivered" if delivered else "shipped" if shipped else
                                       "fulfilled" if done else "partially_fulfilled")
        return self.reply(h, 200, {"order": order})

    # ---- Shopify: the GraphQL Admin API (orders stored as GraphQL nodes) ----
    def shopify_post(self, h, path, query, body):
        if h.headers.get("X-Shopify-Access-Token") != "shpat_test":
            return self.reply(h, 401, {"errors": "[API] Invalid API key or access token"})
        if not path.endswith("/graphql.json"):
            return self.reply(h, 404, {"errors": "Not Found"})
        request = json.loads(body)
        text, variables = request["query"], request.get("variables", {})
        if text.startswith("mutation"):
            return self.shopify_mutation(h, text, variables)
        if "orders(" in text:
            return self.reply(h, 200, {"data": {"orders": self.shopify_orders(variables)}})
        order = self.orders.get(variables["id"].rsplit("/", 1)[-1])
        if order and "fulfillmentOrders" in text:
            return self.reply(h, 200, {"data": {"order": {"fulfillmentOrders": {"nodes": order["_fulfillmentOrders"]}}}})
        return self.reply(h, 200, {"data": {"order": order and {k: v for k, v in order.items() if k[0] != "_"}}})

    def shopify_orders(self, variables):
        """orders(first, after, query, sortKey: UPDATED_AT): `updated_at:>='ISO'` or `status:open`."""
        flt = variables.get("query", "")
        if flt == "status:open":
            rows = [o for o in self.orders.values() if o["cancelledAt"] is None and not o["_closed"]]
        else:
            bound = datetime.fromisoformat(flt.split("'")[1].replace("Z", "+00:00"))
            rows = [o for o in self.orders.values() if datetime.fromisoformat(o["updatedAt"]) >= bound]
        rows.sort(key=lambda o: (datetime.fromisoformat(o["updatedAt"]), int(o["legacyResourceId"])))
        start = int(base64.b64decode(variables["after"]).decode()) if variables.get("after") else 0
        chunk = rows[start:start + variables["first"]]
        more = start + len(chunk) < len(rows)
        return {"pageInfo": {"hasNextPage": more,
                             "endCursor": base64.b64encode(str(start + len(chunk)).encode()).decode() if chunk else None},
                "nodes": [{k: v for k, v in o.items() if k[0] != "_"} for o in chunk]}

    def shopify_mutation(self, h, text, variables):
        gid = variables["id"]
        if "fulfillmentCreate" in text:
            for order in self.orders.values():
                for fo in order["_fulfillmentOrders"]:
                    if fo["id"] == gid:
                        fo["status"] = "CLOSED"
                        order["displayFulfillmentStatus"] = "FULFILLED"
                        return self.reply(h, 200, {"data": {"fulfillmentCreate": {
                            "fulfillment": {"id": "gid://shopify/Fulfillment/1", "status": "SUCCESS"}, "userErrors": []}}})
            return self.reply(h, 200, {"data": {"fulfillmentCreate": {"fulfillment": None, "userErrors": [
                {"field": ["fulfillment"], "message": "Fulfillment order does not exist."}]}}})
        order = self.orders.get(gid.rsplit("/", 1)[-1])
        if "orderCancel" in text:
            if order is None or order["cancelledAt"] or order.get("_cancel_refused"):
                return self.reply(h, 200, {"data": {"orderCancel": {"job": None, "orderCancelUserErrors": [
                    {"code": "ORDER_ALREADY_CANCELLED" if order else "NOT_FOUND", "message": "Cannot cancel"}]}}})
            order["cancelledAt"] = datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
            return self.reply(h, 200, {"data": {"orderCancel": {"job": {"id": "gid://shopify/Job/1"},
                                                                "orderCancelUserErrors": []}}})
        if "orderClose" in text and order:
            order["_closed"] = True
            return self.reply(h, 200, {"data": {"orderClose": {"order": {"id": gid, "closed": True}, "userErrors": []}}})
        return self.reply(h, 200, {"errors": [{"message": "unknown mutation", "extensions": {"code": "BAD_REQUEST"}}]})

    # ---- InSales ----
    def insales_get(self, h, path, query, body):
        if h.headers.get("Authorization") != "Basic " + base64.b64encode(b"login:pass").decode():
            return self.reply(h, 401, {"errors": "unauthorized"})
        now = time.monotonic()
        self.usage = [t for t in self.usage if t > now - self.usage_window_s]
        if len(self.usage) >= self.usage_limit:
            self.limited += 1
            return self.reply(h, 429, {"errors": "API usage limit"}, {"Retry-After": "1"})
        self.usage.append(now)
        usage = {"API-Usage-Limit": f"{len(self.usage)}/{self.usage_limit}"}
        if path.startswith("/admin/orders/"):
            order = self.orders.get(path.rsplit("/", 1)[-1].removesuffix(".json"))
            return self.reply(h, 200, order, usage) if order else self.reply(h, 404, {"errors": "not found"}, usage)
        bound = query.get("updated_since", "")
        rows = sorted((o for o in self.orders.values() if o["updated_at"] >= bound), key=lambda o: o["updated_at"])
        per_page, page = int(query.get("per_page", 100)), int(query.get("page", 1))
        return self.reply(h, 200, rows[(page - 1) * per_page:page * per_page], usage)

    def insales_put(self, h, path, query, body):
        order = self.orders.get(path.rsplit("/", 1)[-1].removesuffix(".json"))
        if not order:
            return self.reply(h, 404, {"errors": "not found"})
        order["fulfillment_status"] = json.loads(body)["order"]["fulfillment_status"]
        return self.reply(h, 200, order)


def quantity(item: dict, key: str) -> int:
    """A Medusa v2 line item's fulfilled/shipped quantity (its `detail`, exact or not)."""
    detail = item.setdefault("detail", {})
    raw = detail.get("raw_" + key)
    return int(float(raw["value"])) if isinstance(raw, dict) else int(detail.get(key) or 0)


def add_quantity(item: dict, key: str, more: int):
    value = quantity(item, key) + more
    item["detail"][key] = value
    item["detail"]["raw_" + key] = {"value": str(value), "precision": 20}


def insales_order(order_id: int, updated: datetime, status: str = "new", phone: str = "+79030000000") -> dict:
    """An order as InSales' GET /admin/orders/{id}.json answers it (times with the shop's +03:00)."""
    local = updated.astimezone(timezone(timedelta(hours=3))).isoformat(timespec="milliseconds")
    return {"id": order_id, "number": 1000 + order_id, "created_at": local, "updated_at": local,
            "fulfillment_status": status, "financial_status": "pending", "currency_code": "RUR",
            "client": {"id": 500 + order_id, "name": "Иван", "surname": "Петров", "email": f"i{order_id}@example.ru",
                       "phone": phone},
            "order_lines": [{"sku": "A-1", "title": "Товар", "quantity": 3, "sale_price": "100.0",
                             "total_price": "300.0", "full_total_price": "300.0"}],
            "total_price": "300.0", "full_delivery_price": "0.0"}


def shopify_order(order_id: int, updated: datetime, financial: str = "paid", customer: bool = True) -> dict:
    """The REST-shaped order Shopify's orders/* webhooks carry."""
    stamp = updated.astimezone(timezone(timedelta(hours=-5))).isoformat(timespec="seconds")
    return {"id": order_id, "name": f"#{order_id}", "created_at": stamp, "updated_at": stamp, "cancelled_at": None,
            "financial_status": financial, "fulfillment_status": None, "currency": "USD",
            "email": "jon@example.com" if customer else "", "phone": None,
            "customer": {"id": 207119551, "first_name": "Jon", "last_name": "Snow", "email": "jon@example.com",
                         "phone": None} if customer else None,
            "line_items": [{"sku": "IPOD2008PINK", "name": "IPod Nano", "quantity": 1, "price": "199.00",
                            "total_discount": "5.00"}],
            "total_price": "194.00", "total_tax": "0.00", "total_discounts": "5.00",
            "total_shipping_price_set": {"shop_money": {"amount": "0.00"}}}


def shopify_node(order_id: int, updated: datetime, financial: str = "PAID", fulfilment: str = "UNFULFILLED",
                 sku: str = "IPOD2008PINK") -> dict:
    """An order as the GraphQL Admin API's orders / order(id:) answer it (the fields the
    connector asks for), with its fulfilment orders kept aside for the fulfilment mutation."""
    stamp = updated.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
    money = lambda amount: {"shopMoney": {"amount": amount}}  # noqa: E731
    return {"legacyResourceId": str(order_id), "name": f"#{order_id}", "createdAt": stamp, "updatedAt": stamp,
            "cancelledAt": None, "displayFinancialStatus": financial, "displayFulfillmentStatus": fulfilment,
            "email": f"buyer{order_id}@example.com", "phone": None, "currencyCode": "USD",
            "customer": {"legacyResourceId": str(9000 + order_id), "firstName": "Jon", "lastName": f"Snow{order_id}",
                         "email": f"buyer{order_id}@example.com", "phone": None},
            "totalPriceSet": money("194.00"), "totalTaxSet": money("0.00"), "totalShippingPriceSet": money("0.00"),
            "totalDiscountsSet": money("5.00"), "totalRefundedSet": money("0.00"),
            "lineItems": {"nodes": [{"sku": sku, "name": "IPod Nano", "quantity": 1,
                                     "originalUnitPriceSet": money("199.00"), "totalDiscountSet": money("5.00"),
                                     "variant": {"sku": sku}}]},
            "_fulfillmentOrders": [{"id": f"gid://shopify/FulfillmentOrder/{order_id}1", "status": "OPEN"}],
            "_closed": False}
