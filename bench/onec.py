# bench: 1C catalog import (100,000 products with offers) vs parse only vs lxml + sqlite3
# apt: python3-lxml
# needs: onec_parse_only
"""bench/run onec [PRODUCTS]

Generates a CommerceML catalog (import.xml with groups and properties, offers.xml with
two price types and stock) and, in the same run, measures:
  (a) salescore: `salescore serve` with the 1C connector, the files sent and imported
      through the exchange protocol over loopback exactly as 1C does it;
  (b) parse only: the connector's streaming reader over the same files, nothing stored;
  (c) a Python script as a user would write it: lxml iterparse + sqlite3.
The side of 1C in (a) keeps one HTTP/1.1 connection for the whole exchange and sends each
chunk from the file's bytes without copying it (Exchange1C below): 1C is native code, and
the tests' urllib client (a new connection and a 4 MiB copy per chunk) put ~0.35 s of its
own CPU into salescore's time (bench/RESULTS.md, 2026-12-06).
Last line: onec: salescore_products_per_s=.. parse_only_per_s=.. python_per_s=..
ratio_python=<salescore/python> peak_rss_mb=<salescore serve's peak RSS>

The three sides run in interleaved rounds (a b c, a b c, ...; ONEC_ROUNDS, default 3) and
each figure is the median of its rounds, the peak RSS the highest: on a shared 2-core
machine the speed drifts by 30% from one minute to the next, and a single round compared
a fast minute of one side with a slow minute of another.
"""
from __future__ import annotations

import base64
import http.client
import os
import pathlib
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "connectors"))
import commerceml_gen as gen  # noqa: E402
from conftest import OneC, LOGIN, PASSWORD  # noqa: E402

BUILD = pathlib.Path(os.environ.get("BUILD_DIR", ROOT / "build"))
BIN = BUILD / "server" / "salescore"
PARSE_ONLY = BUILD / "bench" / "onec_parse_only"


def say(*a):
    print(*a, file=sys.stderr, flush=True)


class Exchange1C(OneC):
    """The tests' 1C client (which sends chunks as views) on one persistent connection."""

    def __init__(self, url: str):
        super().__init__(url)
        parts = urllib.parse.urlsplit(url)
        self.path = parts.path
        self.conn = http.client.HTTPConnection(parts.netloc, timeout=120)

    def call(self, type_: str, mode: str, body=None, auth=None, **params):
        headers = {}
        if auth:
            headers["Authorization"] = "Basic " + base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
        if self.cookie:
            headers["Cookie"] = self.cookie
        query = urllib.parse.urlencode({"type": type_, "mode": mode, **params})
        self.conn.request("POST" if body is not None else "GET", f"{self.path}?{query}", body=body, headers=headers)
        reply = self.conn.getresponse()
        return reply.status, reply.read(), reply.headers


def salescore_import(work: pathlib.Path, files: dict[str, pathlib.Path]) -> tuple[float, float, int, float]:
    """Seconds from checkauth to the last import's success, peak RSS (MB), products
    stored, and the seconds of it spent uploading."""
    db = work / "crm.db"
    config = work / "salescore.ini"
    config.write_text(f"[connector.onec]\nlogin = {LOGIN}\npassword = {PASSWORD}\nwork_dir = {work / 'exchange'}\n"
                      "import_step_seconds = 20\n", encoding="utf-8")
    subprocess.run([BIN, "init", "--db", f"sqlite:{db}"], check=True, capture_output=True)
    proc = subprocess.Popen([BIN, "serve", "--db", f"sqlite:{db}", "--config", config, "--listen", "127.0.0.1:0"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = proc.stdout.readline()
        url = "http://" + line.split("http://")[1].split()[0] + "/exchange/1c"
        onec = Exchange1C(url)
        started = time.perf_counter()
        onec.checkauth()
        limit = int(onec.init()["file_limit"])
        for name, path in files.items():
            at = time.perf_counter()
            data = path.read_bytes()
            onec.upload(name, data, chunk=limit)
            say(f"  salescore: {name} read and sent in {limit // 1024 // 1024} MiB chunks, "
                f"{time.perf_counter() - at:.2f} s")
        uploaded = time.perf_counter() - started
        for name in files:
            at = time.perf_counter()
            answer = onec.import_file(name)
            assert answer.startswith("success"), answer
            say(f"  salescore: {answer.split(chr(10))[1]}, {time.perf_counter() - at:.2f} s")
        elapsed = time.perf_counter() - started
        status = pathlib.Path(f"/proc/{proc.pid}/status").read_text()
        peak_kb = int(next(l for l in status.splitlines() if l.startswith("VmHWM")).split()[1])
        count = sqlite3.connect(db).execute("SELECT COUNT(*) FROM products WHERE stock_milli >= 0").fetchone()[0]
        return elapsed, peak_kb / 1024, count, uploaded
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def sqlite_floor(side: pathlib.Path) -> float:
    """Seconds SQLite alone needs for the rows salescore's import wrote: the same rows
    (products with their indexes, prices, the events) copied by INSERT ... SELECT from
    salescore's database into a fresh one of the same schema, page size and pragmas, one
    transaction per file as the import does. No XML, no binding, no code of ours: a lower
    bound for the engine's writing thread (the WAL checkpoint is left out, as salescore
    runs it on a thread of its own)."""
    floor = side / "floor.db"
    subprocess.run([BIN, "init", "--db", f"sqlite:{floor}"], check=True, capture_output=True)
    con = sqlite3.connect(floor, isolation_level=None)
    for pragma in ("synchronous = NORMAL", "cache_size = -65536", "foreign_keys = ON", "wal_autocheckpoint = 0"):
        con.execute(f"PRAGMA {pragma}")
    con.execute("DELETE FROM events")
    con.execute("ATTACH ? AS done", (str(side / "crm.db"),))
    events = ("INSERT INTO events (at, actor_id, type, entity, entity_id, payload) "
              "SELECT at, actor_id, type, entity, entity_id, payload FROM done.events WHERE type = ? ORDER BY seq")
    started = time.perf_counter()
    con.execute("BEGIN")  # import.xml: the products and their creation events
    con.execute("INSERT INTO products SELECT * FROM done.products")
    con.execute(events, ("product.created",))
    con.execute("COMMIT")
    con.execute("BEGIN")  # offers.xml: prices, stock, the change events
    con.execute("INSERT INTO product_prices SELECT * FROM done.product_prices")
    con.execute("UPDATE products SET stock_milli = (SELECT stock_milli FROM done.products d WHERE d.id = products.id)")
    con.execute(events, ("product.updated",))
    con.execute("COMMIT")
    elapsed = time.perf_counter() - started
    con.close()
    return elapsed


def parse_only(files: list[pathlib.Path]) -> float:
    started = time.perf_counter()
    out = subprocess.run([PARSE_ONLY, *files], check=True, capture_output=True, text=True).stdout
    elapsed = time.perf_counter() - started
    say("  parse only:", out.strip())
    return elapsed


def python_script(work: pathlib.Path, import_xml: pathlib.Path, offers_xml: pathlib.Path) -> float:
    """What a data person writes to load a 1C catalog: lxml iterparse, sqlite3, one commit."""
    from lxml import etree

    started = time.perf_counter()
    con = sqlite3.connect(work / "python.db")
    con.execute("CREATE TABLE products (id TEXT PRIMARY KEY, sku TEXT, name TEXT, grp TEXT, stock REAL)")
    con.execute("CREATE TABLE prices (product_id TEXT, price_type TEXT, amount REAL, currency TEXT, "
                "PRIMARY KEY (product_id, price_type))")
    groups = {}
    for _, el in etree.iterparse(str(import_xml), events=("end",), tag=("Группа", "Товар")):
        if el.tag == "Группа":
            groups[el.findtext("Ид")] = el.findtext("Наименование")
            continue
        con.execute("INSERT OR REPLACE INTO products (id, sku, name, grp, stock) VALUES (?, ?, ?, ?, 0)",
                    (el.findtext("Ид"), el.findtext("Артикул"), el.findtext("Наименование"),
                     groups.get(el.findtext("Группы/Ид"))))
        el.clear()
        while el.getprevious() is not None:
            del el.getparent()[0]
    types = {}
    for _, el in etree.iterparse(str(offers_xml), events=("end",), tag=("ТипЦены", "Предложение")):
        if el.tag == "ТипЦены":
            types[el.findtext("Ид")] = el.findtext("Наименование")
            continue
        pid = el.findtext("Ид")
        for price in el.iterfind("Цены/Цена"):
            con.execute("INSERT OR REPLACE INTO prices VALUES (?, ?, ?, ?)",
                        (pid, types.get(price.findtext("ИдТипаЦены")), float(price.findtext("ЦенаЗаЕдиницу")),
                         price.findtext("Валюта")))
        con.execute("UPDATE products SET stock = ? WHERE id = ?", (float(el.findtext("Количество") or 0), pid))
        el.clear()
        while el.getprevious() is not None:
            del el.getparent()[0]
    con.commit()
    con.close()
    return time.perf_counter() - started


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory(prefix="bench-onec-") as tmp:
        work = pathlib.Path(tmp)
        import_xml, offers_xml = work / "import.xml", work / "offers.xml"
        say(f"generating a catalog of {n:,} products ...")
        with open(import_xml, "w", encoding="utf-8") as f:
            gen.write_import(f, range(1, n + 1))
        with open(offers_xml, "w", encoding="utf-8") as f:
            gen.write_offers(f, range(1, n + 1))
        mb = (import_xml.stat().st_size + offers_xml.stat().st_size) / 1e6
        say(f"  {mb:.0f} MB of XML")
        # The kernel would otherwise write the fresh files back while the first side is
        # timed: flushed here, so no side pays for the generator.
        os.sync()

        rounds = max(1, int(os.environ.get("ONEC_ROUNDS", "3")))
        a_runs, b_runs, c_runs, peaks, uploads, floors = [], [], [], [], [], []
        for r in range(1, rounds + 1):
            say(f"round {r} of {rounds}")
            say("(a) salescore: the exchange over loopback ...")
            side = work / f"a{r}"
            side.mkdir()
            a_s, peak_mb, stored, up_s = salescore_import(side, {"import.xml": import_xml, "offers.xml": offers_xml})
            if stored != n:
                say(f"salescore stored {stored} products, expected {n}")
                return 1
            floor_s = sqlite_floor(side)
            shutil.rmtree(side)  # the next rounds' page cache, not this one's database
            say(f"    {a_s:.2f} s, peak RSS {peak_mb:.0f} MB; SQLite alone writes the same rows in {floor_s:.2f} s")
            say("(b) parse only ...")
            b_s = parse_only([import_xml, offers_xml])
            say(f"    {b_s:.2f} s")
            say("(c) lxml iterparse + sqlite3 ...")
            (work / "python.db").unlink(missing_ok=True)
            c_s = python_script(work, import_xml, offers_xml)
            say(f"    {c_s:.2f} s")
            a_runs.append(a_s)
            uploads.append(up_s)
            floors.append(floor_s)
            b_runs.append(b_s)
            c_runs.append(c_s)
            peaks.append(peak_mb)

    a_s, b_s, c_s, peak_mb = statistics.median(a_runs), statistics.median(b_runs), statistics.median(c_runs), max(peaks)
    sc, po, py = n / a_s, n / b_s, n / c_s
    def runs(xs: list[float]) -> str:
        return "/".join(f"{x:.2f}" for x in xs)

    print(f"catalog: {n} products, {mb:.0f} MB; medians of {rounds} rounds: salescore {a_s:.2f} s "
          f"({runs(a_runs)}; uploading {statistics.median(uploads):.2f} s of it; SQLite alone writes its rows in "
          f"{statistics.median(floors):.2f} s), parse only {b_s:.2f} s ({runs(b_runs)}), python {c_s:.2f} s ({runs(c_runs)})")
    print(f"onec: salescore_products_per_s={sc:.0f} parse_only_per_s={po:.0f} python_per_s={py:.0f} "
          f"ratio_python={sc / py:.2f} peak_rss_mb={peak_mb:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
