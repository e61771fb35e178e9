# bench: orders.to_pandas() vs pandas.read_sql vs sqlite3 fetchall over 1M orders; clients.get per call
"""Fast data out, measured: one SQLite file of N orders (default 1,000,000), read in
one run three ways, each the best of --repeat runs:

  salescore  engine.orders.to_pandas()                 (columns built in C++)
  read_sql   pandas.read_sql("SELECT * FROM orders", sqlite3 connection)
  fetchall   sqlite3: cursor.execute("SELECT * FROM orders").fetchall()

and the per-call cost of engine.clients.get(id). The file is made once per N in
$TMPDIR/salescore-bench-export (the engine creates the schema; the orders are bulk
inserted with sqlite3, as a 1C import would leave them) and reused by later runs.

Progress goes to stderr; figures to stdout, the last line machine-readable:
  export: salescore_s=<> read_sql_s=<> fetchall_s=<> ratio_read_sql=<read_sql/salescore>
Exit 1 when a reader returns the wrong number of rows.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

import salescore

STATUSES = ["new", "confirmed", "shipped", "delivered", "completed", "cancelled"]
START_MS = 1_735_689_600_000  # 2025-01-01 UTC


def note(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def make_db(path: Path, orders: int, clients: int) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    note(f"export: making {orders:,} orders of {clients:,} clients in {path}")
    with salescore.open(f"sqlite:{tmp}") as engine:
        managers = [engine.users.add(login=f"m{i}", name=f"Менеджер {i}", role="manager").id for i in range(20)]
    rnd = random.Random(7)
    db = sqlite3.connect(tmp)
    now = START_MS
    db.executemany(
        "INSERT INTO clients (id, name, name_key, tier, owner_id, created_at, updated_at) VALUES (?,?,?,?,?,?,?)",
        ((i, f"ООО Клиент {i}", f"ооо клиент {i}", "vip" if i % 50 == 0 else "regular", managers[i % 20], now, now)
         for i in range(1, clients + 1)))
    db.executemany(
        "INSERT INTO orders (id, number, client_id, deal_id, owner_id, status, currency, total_minor, ordered_at,"
        " source, external_id, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        ((i, f"SO-{i:07d}", 1 + i % clients, None, managers[i % 20], STATUSES[i % 6], "RUB",
          rnd.randrange(1_000, 10_000_000), START_MS + i * 30_000, "1c", f"1c-{i}", now, now)
         for i in range(1, orders + 1)))
    db.commit()
    db.close()
    tmp.replace(path)


def best(label: str, repeat: int, work):
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - t0)
        note(f"export: {label} {times[-1]:.3f} s")
    return min(times), result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--gets", type=int, default=100_000, help="clients.get calls to time")
    args = parser.parse_args()

    folder = Path(os.environ.get("TMPDIR", tempfile.gettempdir())) / "salescore-bench-export"
    folder.mkdir(exist_ok=True)
    path = folder / f"orders-{args.orders}.db"
    if not path.exists():
        make_db(path, args.orders, args.clients)

    ok = True
    with salescore.open(f"sqlite:{path}", read_only=True) as engine:
        salescore_s, frame = best("salescore to_pandas", args.repeat, lambda: engine.orders.to_pandas())
        ok &= len(frame) == args.orders
        del frame

        conn = sqlite3.connect(path)
        read_sql_s, frame = best("pandas.read_sql", args.repeat, lambda: pd.read_sql("SELECT * FROM orders", conn))
        ok &= len(frame) == args.orders
        del frame
        fetchall_s, rows = best("sqlite3 fetchall", args.repeat,
                                lambda: conn.execute("SELECT * FROM orders").fetchall())
        ok &= len(rows) == args.orders
        del rows

        ids = [random.Random(1).randrange(1, args.clients + 1) for _ in range(args.gets)]
        get = engine.clients.get
        t0 = time.perf_counter()
        for i in ids:
            get(i)
        get_us = (time.perf_counter() - t0) / args.gets * 1e6
        t0 = time.perf_counter()
        for i in ids:
            conn.execute("SELECT * FROM clients WHERE id = ?", (i,)).fetchone()
        raw_get_us = (time.perf_counter() - t0) / args.gets * 1e6
        conn.close()

    print(f"orders: {args.orders} (best of {args.repeat})")
    print(f"salescore orders.to_pandas(): {salescore_s:.3f} s")
    print(f"pandas.read_sql(SELECT * FROM orders): {read_sql_s:.3f} s")
    print(f"sqlite3 fetchall(): {fetchall_s:.3f} s")
    print(f"clients.get: {get_us:.1f} us/call (sqlite3 SELECT by id: {raw_get_us:.1f} us/call)")
    if not ok:
        print("export: a reader returned the wrong number of rows", file=sys.stderr)
    print(f"export: salescore_s={salescore_s:.3f} read_sql_s={read_sql_s:.3f} fetchall_s={fetchall_s:.3f} "
          f"ratio_read_sql={read_sql_s / salescore_s:.2f}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
