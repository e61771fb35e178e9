# bench: REST API under wrk (GET by id, a list page, POST orders) vs nginx serving a static record
# apt: nginx-light wrk
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

    if results["nginx"]["errors"]:
        say(f"bench api: nginx answered {results['nginx']['errors']} errors: the baseline is not valid")
        return 1
    errors = sum(results[n]["errors"] for n in ("get", "list", "post"))
    ratio = results["get"]["rps"] / results["nginx"]["rps"]
    print(json.dumps(results))
    print(f"api: get_rps={results['get']['rps']:.0f} list_rps={results['list']['rps']:.0f} "
          f"post_rps={results['post']['rps']:.0f} nginx_rps={results['nginx']['rps']:.0f} ratio={ratio:.2f} "
          f"p99_ms={results['get']['p99_ms']:.2f} errors={errors}")
    return 0 if errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
