# bench: web-shop poll (50,000 WooCommerce orders x 3 lines) vs urllib + json + sqlite3
"""bench/run webshop [ORDERS]

A loopback WooCommerce-shaped API (GET /wp-json/wc/v3/orders, modified_after +
dates_are_gmt, pages of 100 counted by X-WP-TotalPages, Basic auth) serves ORDERS orders
(default 50,000) of 3 lines each, bought by 10,000 buyers (half of them guests known by
e-mail, some by phone only). In the same run:
  (a) salescore: `salescore serve` with the web-shop connector polls them all, from the
      first request until every order is in the database;
  (b) a Python script as a user would write it: urllib + json + sqlite3, the same pages,
      the same matching (customer id, then normalized phone, then e-mail, else a new
      client) and the same upsert by (shop, order id), lines replaced, one commit a page.
The pages are built once before the clock starts, so the shop's own cost is a slice.
Last line: webshop: orders_per_s=.. python_orders_per_s=.. ratio_python=<salescore/python>
peak_rss_mb=<salescore serve's peak RSS>

WEBSHOP_WRAP="perf record -F 499 -o FILE --" runs `salescore serve` under that command (a
profile of the ingest path; `perf stat -e probe_libsqlite3:sqlite3_step -o FILE --` counts
its SQL statements); the RSS and CPU figures are then the wrapper's, not for RESULTS.md.
"""
from __future__ import annotations

import base64
import bisect
import http.server
import json
import os
import pathlib
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from datetime import datetime, timedelta, timezone

ROOT = pathlib.Path(__file__).resolve().parents[1]
BUILD = pathlib.Path(os.environ.get("BUILD_DIR", ROOT / "build"))
BIN = BUILD / "server" / "salescore"
AUTH = "Basic " + base64.b64encode(b"ck_bench:cs_bench").decode()
PRODUCTS = 500
T0 = datetime(2026, 11, 1, tzinfo=timezone.utc)


def say(*a):
    print(*a, file=sys.stderr, flush=True)


def gmt(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M:%S")


def make_orders(count: int) -> list[dict]:
    orders = []
    for i in range(1, count + 1):
        buyer = i % 10_000
        modified = T0 + timedelta(seconds=i)
        guest = buyer % 2 == 1
        lines = []
        for n in range(3):
            sku = f"SKU-{(i * 7 + n * 13) % PRODUCTS:04d}"
            qty = 1 + (i + n) % 3
            lines.append({"id": i * 10 + n, "name": f"Product {sku}", "product_id": 100 + n, "variation_id": 0,
                          "quantity": qty, "subtotal": f"{qty * 12.5:.2f}", "total": f"{qty * 12.5:.2f}",
                          "sku": sku, "price": 12.5})
        total = sum(float(l["total"]) for l in lines)
        orders.append({
            "id": i, "number": str(i), "status": "processing", "currency": "EUR",
            "date_created": gmt(modified + timedelta(hours=3)), "date_created_gmt": gmt(modified),
            "date_modified": gmt(modified + timedelta(hours=3)), "date_modified_gmt": gmt(modified),
            "customer_id": 0 if guest else buyer, "discount_total": "0.00", "shipping_total": "0.00",
            "total": f"{total:.2f}", "total_tax": "0.00",
            "billing": {"first_name": "Buyer", "last_name": str(buyer), "company": "",
                        "email": "" if buyer % 10 == 3 else f"buyer{buyer}@example.test",
                        "phone": f"+49 30 {1000000 + buyer}"},
            "line_items": lines, "refunds": [], "payment_method": "bacs", "transaction_id": ""})
    return orders


class BenchShop:
    """Pages pre-serialized; a request is a bisect and a join."""

    def __init__(self, orders: list[dict]):
        self.times = [o["date_modified_gmt"] for o in orders]
        self.bodies = [json.dumps(o, separators=(",", ":")).encode() for o in orders]
        self.requests = 0
        shop = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):  # noqa: N802
                shop.requests += 1
                url = urllib.parse.urlsplit(self.path)
                q = dict(urllib.parse.parse_qsl(url.query))
                if self.headers.get("Authorization") != AUTH or url.path != "/wp-json/wc/v3/orders":
                    self.send_response(401 if url.path == "/wp-json/wc/v3/orders" else 404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                start = bisect.bisect_right(shop.times, q.get("modified_after", ""))
                per_page, page = min(int(q.get("per_page", 10)), 100), int(q.get("page", 1))
                total = len(shop.times) - start
                first = start + (page - 1) * per_page
                body = b"[" + b",".join(shop.bodies[first:min(first + per_page, len(shop.bodies))]) + b"]"
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("X-WP-Total", str(total))
                self.send_header("X-WP-TotalPages", str(max(1, -(-total // per_page))))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *a):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def count(db: pathlib.Path) -> int:
    con = sqlite3.connect(db, timeout=30)
    try:
        return con.execute("SELECT COUNT(*) FROM orders WHERE source = 'webshop'").fetchone()[0]
    except sqlite3.OperationalError:
        return 0
    finally:
        con.close()


def salescore_poll(work: pathlib.Path, shop: BenchShop, expected: int) -> tuple[float, float, float]:
    """Seconds from `salescore serve`'s start until every order is stored, its peak RSS
    (MB) and the CPU seconds it used (what a machine shared with others still measures)."""
    db = work / "crm.db"
    subprocess.run([str(BIN), "init", "--db", f"sqlite:{db}"], check=True, capture_output=True)
    import salescore
    with salescore.open(f"sqlite:{db}") as crm:
        for p in range(PRODUCTS):
            crm.products.add(sku=f"SKU-{p:04d}", name=f"Product {p}")
    config = work / "salescore.ini"
    config.write_text(f"[access]\nsystems_of_record = webshop\n[connector.webshop]\nplatform = woocommerce\n"
                      f"base_url = {shop.url}\napi_key = ck_bench\napi_secret = cs_bench\nwebhook_secret = bench\n"
                      "push_statuses = false\npoll_interval_ms = 3600000\n", encoding="utf-8")
    wrap = shlex.split(os.environ.get("WEBSHOP_WRAP", ""))
    proc = subprocess.Popen(wrap + [str(BIN), "serve", "--db", f"sqlite:{db}", "--config", str(config), "--listen",
                                    "127.0.0.1:0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        start = time.perf_counter()
        proc.stdout.readline()
        while count(db) < expected:
            if proc.poll() is not None:
                raise SystemExit(f"salescore serve ended early with {proc.returncode}")
            time.sleep(0.2)
        seconds = time.perf_counter() - start
        status = pathlib.Path(f"/proc/{proc.pid}/status").read_text()
        peak_kb = int(next(l for l in status.splitlines() if l.startswith("VmHWM")).split()[1])
        stat = pathlib.Path(f"/proc/{proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        cpu = (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    return seconds, peak_kb / 1024, cpu


def normalized_phone(text: str) -> str:
    digits = re.sub(r"\D", "", text)
    return "+" + digits if digits else ""


def python_script(work: pathlib.Path, shop: BenchShop) -> tuple[float, float]:
    """The user's script: every page, each order matched to a client and upserted.
    Seconds, and the CPU seconds the script used."""
    con = sqlite3.connect(work / "script.db")
    con.executescript("""
        PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
        CREATE TABLE clients (id INTEGER PRIMARY KEY, shop_customer TEXT UNIQUE, name TEXT, email TEXT, phone TEXT);
        CREATE INDEX clients_email ON clients(email); CREATE INDEX clients_phone ON clients(phone);
        CREATE TABLE orders (id INTEGER PRIMARY KEY, source TEXT, external_id TEXT, client_id INTEGER, status TEXT,
                             total TEXT, modified TEXT, UNIQUE (source, external_id));
        CREATE TABLE order_lines (order_id INTEGER, line_no INTEGER, sku TEXT, quantity REAL, price TEXT,
                                  PRIMARY KEY (order_id, line_no));""")
    start, cpu_start = time.perf_counter(), time.process_time()
    page, pages = 1, 1
    while page <= pages:
        req = urllib.request.Request(f"{shop.url}/wp-json/wc/v3/orders?modified_after=1970-01-01T00:00:00"
                                     f"&dates_are_gmt=true&orderby=modified&order=asc&per_page=100&page={page}",
                                     headers={"Authorization": AUTH})
        with urllib.request.urlopen(req) as r:
            pages = int(r.headers["X-WP-TotalPages"])
            orders = json.loads(r.read())
        for o in orders:
            b = o["billing"]
            phone, email = normalized_phone(b["phone"]), b["email"].strip().lower()
            name = f"{b['first_name']} {b['last_name']}".strip()
            row = None
            if o["customer_id"]:
                row = con.execute("SELECT id FROM clients WHERE shop_customer = ?", (str(o["customer_id"]),)).fetchone()
            if not row and phone:
                row = con.execute("SELECT id FROM clients WHERE phone = ?", (phone,)).fetchone()
            if not row and email:
                row = con.execute("SELECT id FROM clients WHERE email = ?", (email,)).fetchone()
            if row:
                client = row[0]
            else:
                client = con.execute("INSERT INTO clients (shop_customer, name, email, phone) VALUES (?, ?, ?, ?)",
                                     (str(o["customer_id"]) if o["customer_id"] else None, name, email,
                                      phone)).lastrowid
            con.execute("INSERT INTO orders (source, external_id, client_id, status, total, modified) VALUES "
                        "('webshop', ?, ?, ?, ?, ?) ON CONFLICT (source, external_id) DO UPDATE SET "
                        "client_id = excluded.client_id, status = excluded.status, total = excluded.total, "
                        "modified = excluded.modified WHERE excluded.modified >= orders.modified",
                        (str(o["id"]), client, o["status"], o["total"], o["date_modified_gmt"]))
            order_id = con.execute("SELECT id FROM orders WHERE source = 'webshop' AND external_id = ?",
                                   (str(o["id"]),)).fetchone()[0]
            con.execute("DELETE FROM order_lines WHERE order_id = ?", (order_id,))
            con.executemany("INSERT INTO order_lines VALUES (?, ?, ?, ?, ?)",
                            [(order_id, n, l["sku"], l["quantity"], l["subtotal"])
                             for n, l in enumerate(o["line_items"])])
        con.commit()
        page += 1
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    stored = con.execute("SELECT COUNT(*) FROM orders").fetchone()[0]
    con.close()
    if stored != len(shop.bodies):
        raise SystemExit(f"the script stored {stored} orders of {len(shop.bodies)}")
    return seconds, cpu


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    say(f"webshop: {n} orders x 3 lines, pages of 100")
    shop = BenchShop(make_orders(n))
    work = pathlib.Path(tempfile.mkdtemp(prefix="bench-webshop-"))
    try:
        s_seconds, rss, s_cpu = salescore_poll(work, shop, n)
        say(f"salescore: {s_seconds:.2f} s, {s_cpu:.2f} s CPU, {shop.requests} requests, peak RSS {rss:.0f} MB")
        p_seconds, p_cpu = python_script(work, shop)
        say(f"python urllib+json+sqlite3: {p_seconds:.2f} s, {p_cpu:.2f} s CPU")
    finally:
        shop.close()
        shutil.rmtree(work, ignore_errors=True)
    ops, pps = n / s_seconds, n / p_seconds
    # Per CPU second too: on a machine others load, wall time says more about them.
    print(f"webshop-cpu: orders_per_cpu_s={n / s_cpu:.0f} python_orders_per_cpu_s={n / p_cpu:.0f} "
          f"ratio_python_cpu={(n / s_cpu) / (n / p_cpu):.2f}")
    print(f"webshop: orders_per_s={ops:.0f} python_orders_per_s={pps:.0f} ratio_python={ops / pps:.2f} "
          f"peak_rss_mb={rss:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
