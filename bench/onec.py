# bench: 1C catalog import (100,000 products with offers) vs parse only vs lxml + sqlite3
# needs: onec_parse_only
"""bench/run onec [PRODUCTS]

Generates a CommerceML catalog (import.xml with groups and properties, offers.xml with
two price types and stock) and, in the same run, measures:
  (a) salescore: `salescore serve` with the 1C connector, the files sent and imported
      through the exchange protocol over loopback exactly as 1C does it;
  (b) parse only: the connector's streaming reader over the same files, nothing stored;
  (c) a Python script as a user would write it: lxml iterparse + sqlite3.
Last line: onec: salescore_products_per_s=.. parse_only_per_s=.. python_per_s=..
ratio_python=<salescore/python> peak_rss_mb=<salescore serve's peak RSS>

The three sides run in interleaved rounds (a b c, a b c, ...; ONEC_ROUNDS, default 3) and
each figure is the median of its rounds, the peak RSS the highest: on a shared 2-core
machine the speed drifts by 30% from one minute to the next, and a single round compared
a fast minute of one side with a slow minute of another.
"""
from __future__ import annotations

import os
import pathlib
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "connectors"))
import commerceml_gen as gen  # noqa: E402
from conftest import OneC, LOGIN, PASSWORD  # noqa: E402

BUILD = pathlib.Path(os.environ.get("BUILD_DIR", ROOT / "build"))
BIN = BUILD / "server" / "salescore"
PARSE_ONLY = BUILD / "bench" / "onec_parse_only"


def say(*a):
    print(*a, file=sys.stderr, flush=True)


def salescore_import(work: pathlib.Path, files: dict[str, pathlib.Path]) -> tuple[float, float]:
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
        onec = OneC(url)
        started = time.perf_counter()
        onec.checkauth()
        limit = int(onec.init()["file_limit"])
        for name, path in files.items():
            at = time.perf_counter()
            data = path.read_bytes()
            onec.upload(name, data, chunk=limit)
            say(f"  salescore: {name} read and sent in {limit // 1024 // 1024} MiB chunks, "
                f"{time.perf_counter() - at:.2f} s")
        for name in files:
            at = time.perf_counter()
            answer = onec.import_file(name)
            assert answer.startswith("success"), answer
            say(f"  salescore: {answer.split(chr(10))[1]}, {time.perf_counter() - at:.2f} s")
        elapsed = time.perf_counter() - started
        status = pathlib.Path(f"/proc/{proc.pid}/status").read_text()
        peak_kb = int(next(l for l in status.splitlines() if l.startswith("VmHWM")).split()[1])
        count = sqlite3.connect(db).execute("SELECT COUNT(*) FROM products WHERE stock_milli >= 0").fetchone()[0]
        return elapsed, peak_kb / 1024, count
    finally:
        proc.terminate()
        proc.wait(timeout=60)


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
        a_runs, b_runs, c_runs, peaks = [], [], [], []
        for r in range(1, rounds + 1):
            say(f"round {r} of {rounds}")
            say("(a) salescore: the exchange over loopback ...")
            side = work / f"a{r}"
            side.mkdir()
            a_s, peak_mb, stored = salescore_import(side, {"import.xml": import_xml, "offers.xml": offers_xml})
            if stored != n:
                say(f"salescore stored {stored} products, expected {n}")
                return 1
            shutil.rmtree(side)  # the next rounds' page cache, not this one's database
            say(f"    {a_s:.2f} s, peak RSS {peak_mb:.0f} MB")
            say("(b) parse only ...")
            b_s = parse_only([import_xml, offers_xml])
            say(f"    {b_s:.2f} s")
            say("(c) lxml iterparse + sqlite3 ...")
            (work / "python.db").unlink(missing_ok=True)
            c_s = python_script(work, import_xml, offers_xml)
            say(f"    {c_s:.2f} s")
            a_runs.append(a_s)
            b_runs.append(b_s)
            c_runs.append(c_s)
            peaks.append(peak_mb)

    a_s, b_s, c_s, peak_mb = statistics.median(a_runs), statistics.median(b_runs), statistics.median(c_runs), max(peaks)
    sc, po, py = n / a_s, n / b_s, n / c_s
    def runs(xs: list[float]) -> str:
        return "/".join(f"{x:.2f}" for x in xs)

    print(f"catalog: {n} products, {mb:.0f} MB; medians of {rounds} rounds: salescore {a_s:.2f} s "
          f"({runs(a_runs)}), parse only {b_s:.2f} s ({runs(b_runs)}), python {c_s:.2f} s ({runs(c_runs)})")
    print(f"onec: salescore_products_per_s={sc:.0f} parse_only_per_s={po:.0f} python_per_s={py:.0f} "
          f"ratio_python={sc / py:.2f} peak_rss_mb={peak_mb:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
