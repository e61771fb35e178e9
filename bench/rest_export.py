# bench: streamed REST export (GET /api/v1/exports/clients?format=csv) vs Python's csv module over sqlite3, rows/s
"""The REST export, streamed, against the plainest dump of the same rows. One SQLite file
of N clients (default 200,000; the engine makes the schema, the rows are bulk inserted
with sqlite3 as bench/export.py does), then, each the best of --repeat runs:

  rest      `salescore serve`, GET /api/v1/exports/clients?format=csv as the director,
            read to the end with http.client (chunked); the server's RSS at start
            and its peak
  python    sqlite3 SELECT * FROM clients ORDER BY id, written with csv.writer into a
            buffer that is thrown away as it fills (a dump, as cheap as Python gets)

The REST export does more per row than the dump (the access scope, every field of the
record formatted as the API writes it, chunked HTTP): the ratio says what that costs.

Progress goes to stderr; figures to stdout, the last line machine-readable:
  rest_export: rows=<> rest_rows_per_s=<> python_rows_per_s=<> ratio_python=<rest/python>
               idle_rss_mb=<server at start> peak_rss_mb=<server's peak>
Exit 1 when the export has the wrong number of rows.
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/ first on the path: its email.py would shadow the standard library's email
# package, which http.client imports.
_HERE = Path(__file__).resolve().parent
sys.path = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

import argparse  # noqa: E402
import csv  # noqa: E402
import http.client  # noqa: E402
import io  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import sqlite3  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

import salescore  # noqa: E402

BUILD = Path(os.environ.get("BUILD_DIR", Path(__file__).resolve().parents[1] / "build"))
BIN = BUILD / "server" / "salescore"
NOW_MS = 1_764_000_000_000


def note(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def make_db(path: Path, clients: int) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    note(f"rest_export: making {clients:,} clients in {path}")
    with salescore.open(f"sqlite:{tmp}") as engine:
        managers = [engine.users.add(login=f"m{i}", name=f"Менеджер {i}", role="manager").id for i in range(20)]
        engine.users.add(login="dir", name="Директор", role="director")
    db = sqlite3.connect(tmp)
    db.executemany(
        "INSERT INTO clients (id, name, name_key, tier, owner_id, created_at, updated_at) VALUES (?,?,?,?,?,?,?)",
        ((i, f"ООО Клиент {i}", f"ооо клиент {i}", "regular", managers[i % 20], NOW_MS, NOW_MS)
         for i in range(1, clients + 1)))
    db.commit()
    db.close()
    tmp.replace(path)


def rest_export(host: str, port: int, token: str) -> tuple[int, int]:
    """(rows, bytes) of one streamed CSV export."""
    conn = http.client.HTTPConnection(host, port, timeout=300)
    conn.request("GET", "/api/v1/exports/clients?format=csv", headers={"Authorization": "Bearer " + token})
    response = conn.getresponse()
    assert response.status == 200, response.status
    lines = size = 0
    while chunk := response.read(1 << 20):
        lines += chunk.count(b"\r\n")
        size += len(chunk)
    conn.close()
    return lines - 1, size  # less the header row


def python_dump(path: Path) -> int:
    db = sqlite3.connect(path)
    cursor = db.execute("SELECT * FROM clients ORDER BY id")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c[0] for c in cursor.description])
    rows = 0
    for row in cursor:
        writer.writerow(row)
        rows += 1
        if out.tell() > 1 << 20:
            out.seek(0)
            out.truncate()
    db.close()
    return rows


def rss_mb(pid: int, field: str) -> float:
    """VmRSS (now) or VmHWM (the peak) of a process, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def best(label: str, repeat: int, rows: int, work) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        got = work()
        times.append(time.perf_counter() - t0)
        note(f"rest_export: {label} {times[-1]:.3f} s")
        if got != rows:
            raise SystemExit(f"rest_export: {label} gave {got} rows, not {rows}")
    return rows / min(times)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    folder = Path(os.environ.get("TMPDIR", tempfile.gettempdir())) / "salescore-bench-rest-export"
    folder.mkdir(exist_ok=True)
    path = folder / f"clients-{args.clients}.db"
    if not path.exists():
        make_db(path, args.clients)
    url = f"sqlite:{path}"
    token = subprocess.run([BIN, "token", "create", "--db", url, "--user", "dir", "--name", "bench"],
                           capture_output=True, text=True, check=True).stdout.strip()
    proc = subprocess.Popen([BIN, "serve", "--db", url, "--listen", "127.0.0.1:0", "--rate-limit", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        banner = proc.stdout.readline()
        match = re.search(r"Listening on http://([\d.]+):(\d+)", banner)
        assert match, banner
        host, port = match.group(1), int(match.group(2))
        idle = rss_mb(proc.pid, "VmRSS")
        rest = best("rest", args.repeat, args.clients, lambda: rest_export(host, port, token)[0])
        size = rest_export(host, port, token)[1]
        rss = rss_mb(proc.pid, "VmHWM")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    python = best("python", args.repeat, args.clients, lambda: python_dump(path))

    db_mb = path.stat().st_size / 1e6
    print(f"clients: {args.clients} (best of {args.repeat}); the REST CSV is {size / 1e6:.1f} MB, "
          f"the database {db_mb:.1f} MB (readers map it: mmap_size, counted in RSS)")
    print(f"REST streamed export: {rest:,.0f} rows/s; server RSS {idle:.1f} MB idle, peak {rss:.1f} MB")
    print(f"Python csv over sqlite3: {python:,.0f} rows/s")
    print(f"rest_export: rows={args.clients} rest_rows_per_s={rest:.0f} python_rows_per_s={python:.0f} "
          f"ratio_python={rest / python:.2f} idle_rss_mb={idle:.1f} peak_rss_mb={rss:.1f} db_mb={db_mb:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
