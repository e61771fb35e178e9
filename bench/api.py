# bench: REST API under wrk (GET by id, a list page, POST orders) vs nginx serving a static record
# apt: nginx-light wrk
# postgresql: bench/run gives it a private server (tests/postgres/with_postgres.sh)
"""bench/run api [SECONDS] [CLIENTS] [ORDERS]

Fills a demo database (default 3000 clients, 30000 orders), starts `salescore serve` on
it and, in the same run, nginx serving a static JSON file the size of one client record.
wrk with 64 connections runs SECONDS (default 20) against each of:
  GET  /api/v1/clients/{id}   random ids, a director's token
  GET  /api/v1/orders?limit=50&after=<random id>
  POST /api/v1/orders         a two-line order for a random client (concurrent writes)
  GET  nginx's static record
Last line: api: get_rps=.. list_rps=.. post_rps=.. nginx_rps=.. ratio=<get_rps/nginx_rps>
p99_ms=<GET p99> errors=<non-2xx and socket errors over all salescore runs>
Needs nginx and wrk on PATH (Debian: apt-get install nginx-light wrk).

PostgreSQL column (with a server: SALESCORE_PG_URL, set by bench/run): the same demo
database moved to PostgreSQL (`salescore migrate`), then the GET run again with one
`serve` process and with two on that database (wrk split over both, 32 connections
each). What counts is GET requests per CPU-second of every process that serves them:
the serve processes and the PostgreSQL server's (its postmaster's children), read from
/proc before and after. The line before the last:
api-postgresql: one_rps=.. one_per_cpu_s=.. two_rps=.. two_per_cpu_s=.. two_vs_one=<per CPU-s ratio>
"""
from __future__ import annotations

import json
import os
import pathlib
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[1]
BUILD = pathlib.Path(os.environ.get("BUILD_DIR", ROOT / "build"))
BIN = BUILD / "server" / "salescore"
CONNECTIONS = 64
THREADS = 2
DIRECTOR = "orlov.vp"  # the demo company's director


def say(*a):
    print(*a, file=sys.stderr, flush=True)


def wrk(url: str, seconds: int, script: pathlib.Path | None) -> dict:
    cmd = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", "--timeout", "5s"]
    if script:
        cmd += ["-s", str(script)]
    out = subprocess.run(cmd + [url], check=True, capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", out, re.MULTILINE)
    p99_ms = float(p99.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = (int(non2xx.group(1)) if non2xx else 0) + (sum(int(g) for g in socket.groups()) if socket else 0)
    return {"rps": rps, "p99_ms": p99_ms, "errors": errors}


def lua(path: pathlib.Path, body: str) -> pathlib.Path:
    path.write_text(body, encoding="utf-8")
    return path


def random_requests(path_expr: str, count: int = 10000) -> str:
    """A wrk script sending `count` requests formatted up front, in random order."""
    return f"""
local requests = {{}}
init = function(args)
  for i = 1, {count} do requests[i] = wrk.format("GET", {path_expr}) end
end
request = function()
  return requests[math.random(1, {count})]
end
"""


def cpu_seconds(pids: list[int]) -> float:
    """utime + stime of these processes (and their waited-for children), in seconds."""
    total = 0
    for pid in pids:
        try:
            fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone: a backend that ended between the listing and now
        total += sum(int(f) for f in fields[11:15])  # utime stime cutime cstime
    return total / os.sysconf("SC_CLK_TCK")


def postgres_pids() -> list[int]:
    """The test server's postmaster and its children (not other PostgreSQL servers)."""
    data = pathlib.Path(os.environ["SALESCORE_PG_SERVER"]).parent / "data" / "postmaster.pid"
    postmaster = int(data.read_text().split()[0]) if data.exists() else 0
    pids = [postmaster] if postmaster else []
    for stat in pathlib.Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == postmaster:
                pids.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            pass
    return pids


def start_serve(db: str) -> tuple[subprocess.Popen, str]:
    server = subprocess.Popen([BIN, "serve", "--db", db, "--listen", "127.0.0.1:0", "--rate-limit", "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    return server, re.search(r"(http://\S+)", server.stdout.readline()).group(1)


def postgresql_column(work: pathlib.Path, seconds: int, clients: int, orders: int) -> dict:
    """GET /api/v1/clients/{id} with one and with two serve processes on one PostgreSQL."""
    db = f"sqlite:{work / 'crm.db'}"
    url = os.environ["SALESCORE_PG_URL"]
    url += ("&" if "?" in url else "?") + "options=-csearch_path%3Dbench_api"
    admin = url.split("?")[0]
    subprocess.run(["psql", admin, "-qc", "DROP SCHEMA IF EXISTS bench_api CASCADE; CREATE SCHEMA bench_api"],
                   check=True, capture_output=True)
    say("bench api (PostgreSQL): the demo company moved with salescore migrate")
    subprocess.run([BIN, "demo", "--db", db, "--clients", str(clients), "--orders", str(orders), "--seed", "1"],
                   check=True, capture_output=True)
    subprocess.run([BIN, "migrate", "--from", db, "--to", url], check=True, capture_output=True)
    token = subprocess.run([BIN, "token", "create", "--db", url, "--user", DIRECTOR, "--name", "bench"], check=True,
                           capture_output=True, text=True).stdout.strip()
    get_lua = lua(work / "get.lua", f'wrk.headers["Authorization"] = "Bearer {token}"\n' +
                  random_requests(f'"/api/v1/clients/" .. math.random(1, {clients})'))
    out = {}
    try:
        for name, processes in (("pg_one", 1), ("pg_two", 2)):
            servers = [start_serve(url) for _ in range(processes)]
            try:
                for _, base in servers:  # warm: the statement caches and reader pools
                    urllib.request.urlopen(urllib.request.Request(
                        base + "/api/v1/clients/1", headers={"Authorization": "Bearer " + token}), timeout=10).read()
                pids = [p.pid for p, _ in servers] + postgres_pids()
                before = cpu_seconds(pids)
                say(f"bench api: {name} ({processes} serve process(es) on PostgreSQL) for {seconds} s")
                per = CONNECTIONS // processes
                runs = [subprocess.Popen(["wrk", "-t1", f"-c{per}", f"-d{seconds}s", "--latency", "--timeout", "5s",
                                          "-s", str(get_lua), base + "/"], stdout=subprocess.PIPE, text=True)
                        for _, base in servers]
                texts = [r.communicate()[0] for r in runs]
                cpu = cpu_seconds(pids + [p for p in postgres_pids() if p not in pids]) - before
                rps = sum(float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1)) for t in texts)
                errors = sum(int(m.group(1)) for t in texts for m in [re.search(r"Non-2xx or 3xx responses:\s+(\d+)", t)]
                             if m)
                out[name] = {"rps": rps, "cpu_s": cpu, "per_cpu_s": rps * seconds / cpu, "errors": errors}
                say(f"  {name}: {out[name]}")
            finally:
                for p, _ in servers:
                    p.send_signal(signal.SIGTERM)
                    p.wait(timeout=15)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return out


def main() -> int:
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    clients = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
    orders = int(sys.argv[3]) if len(sys.argv) > 3 else 30000
    for tool in ("nginx", "wrk"):
        if not shutil.which(tool) and not pathlib.Path("/usr/sbin/nginx").exists():
            say(f"bench api: {tool} is not installed (apt-get install nginx-light wrk)")
            return 1
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"

    work = pathlib.Path(tempfile.mkdtemp(prefix="bench-api-"))
    work.chmod(0o755)  # nginx's workers run as another user and must read the static file
    db = f"sqlite:{work / 'crm.db'}"
    say(f"bench api: demo company of {clients} clients, {orders} orders")
    subprocess.run([BIN, "demo", "--db", db, "--clients", str(clients), "--orders", str(orders), "--seed", "1"],
                   check=True, capture_output=True)
    token = subprocess.run([BIN, "token", "create", "--db", db, "--user", DIRECTOR, "--name", "bench"], check=True,
                           capture_output=True, text=True).stdout.strip()
    auth = f'wrk.headers["Authorization"] = "Bearer {token}"\n'

    # The default threads: connections belong to the event loops (docs/api.md), so the
    # 64 wrk connections need no worker each.
    server = subprocess.Popen([BIN, "serve", "--db", db, "--listen", "127.0.0.1:0", "--rate-limit", "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    nginx_proc = None
    try:
        base = re.search(r"(http://\S+)", server.stdout.readline()).group(1)
        request = urllib.request.Request(base + "/api/v1/clients/1", headers={"Authorization": "Bearer " + token})
        record = urllib.request.urlopen(request, timeout=10).read()

        # nginx on a free port, serving one client's JSON as a static file.
        (work / "www").mkdir()
        (work / "www" / "client.json").write_bytes(record)
        (work / "tmp").mkdir()
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        (work / "nginx.conf").write_text(f"""
daemon off;
worker_processes auto;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {work}/tmp; proxy_temp_path {work}/tmp; fastcgi_temp_path {work}/tmp;
  uwsgi_temp_path {work}/tmp; scgi_temp_path {work}/tmp;
  default_type application/json;
  server {{ listen 127.0.0.1:{port}; root {work}/www; }}
}}
""", encoding="utf-8")
        nginx_proc = subprocess.Popen([nginx, "-c", str(work / "nginx.conf"), "-p", str(work)],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while True:  # until nginx answers
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/client.json", timeout=1).read()
                break
            except OSError:
                if time.monotonic() > deadline or nginx_proc.poll() is not None:
                    say(f"bench api: nginx did not start: {(work / 'nginx-error.log').read_text(errors='replace')}")
                    return 1
                time.sleep(0.05)

        # The same kind of script drives nginx and salescore, so wrk spends the same on
        # both sides of the ratio (wrk shares the two cores with the server): requests are
        # formatted once in init and picked at random, and nginx gets a random query
        # string it ignores.
        get_lua = lua(work / "get.lua", auth + random_requests(f'"/api/v1/clients/" .. math.random(1, {clients})'))
        nginx_lua = lua(work / "nginx.lua", random_requests(f'"/client.json?id=" .. math.random(1, {clients})'))
        list_lua = lua(work / "list.lua", auth + f"""
request = function()
  return wrk.format("GET", "/api/v1/orders?limit=50&after=" .. math.random(0, {max(orders - 50, 1)}))
end
""")
        post_lua = lua(work / "post.lua", auth + f"""
wrk.headers["Content-Type"] = "application/json"
request = function()
  local body = '{{"client_id":' .. math.random(1, {clients}) ..
    ',"lines":[{{"sku":"BENCH-1","quantity":"2","price":"150.00"}},{{"sku":"BENCH-2","quantity":"1.5","price":"99.90"}}]}}'
  return wrk.format("POST", "/api/v1/orders", nil, body)
end
""")
        results = {}
        for name, url, script in (("get", base + "/", get_lua), ("list", base + "/", list_lua),
                                  ("post", base + "/", post_lua),
                                  ("nginx", f"http://127.0.0.1:{port}/", nginx_lua)):
            say(f"bench api: {name} for {seconds} s")
            results[name] = wrk(url, seconds, script)
            say(f"  {name}: {results[name]}")
    finally:
        if nginx_proc:
            nginx_proc.send_signal(signal.SIGQUIT)
            nginx_proc.wait(timeout=10)
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=15)
        shutil.rmtree(work, ignore_errors=True)

    pg_line = ""
    if os.environ.get("SALESCORE_PG_URL"):
        pg = postgresql_column(pathlib.Path(tempfile.mkdtemp(prefix="bench-api-pg-")), seconds, clients, orders)
        results.update(pg)
        pg_line = (f"api-postgresql: one_rps={pg['pg_one']['rps']:.0f} one_per_cpu_s={pg['pg_one']['per_cpu_s']:.0f} "
                   f"two_rps={pg['pg_two']['rps']:.0f} two_per_cpu_s={pg['pg_two']['per_cpu_s']:.0f} "
                   f"two_vs_one={pg['pg_two']['per_cpu_s'] / pg['pg_one']['per_cpu_s']:.2f} "
                   f"errors={pg['pg_one']['errors'] + pg['pg_two']['errors']}")
    if results["nginx"]["errors"]:
        say(f"bench api: nginx answered {results['nginx']['errors']} errors: the baseline is not valid")
        return 1
    errors = sum(results[n]["errors"] for n in ("get", "list", "post"))
    ratio = results["get"]["rps"] / results["nginx"]["rps"]
    print(json.dumps(results))
    if pg_line:
        print(pg_line)
        errors += results["pg_one"]["errors"] + results["pg_two"]["errors"]
    print(f"api: get_rps={results['get']['rps']:.0f} list_rps={results['list']['rps']:.0f} "
          f"post_rps={results['post']['rps']:.0f} nginx_rps={results['nginx']['rps']:.0f} ratio={ratio:.2f} "
          f"p99_ms={results['get']['p99_ms']:.2f} errors={errors}")
    return 0 if errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
