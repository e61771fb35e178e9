# bench: the head's screen on the demo database, rendered in headless Chromium, vs. the same page with no figures
# apt: chromium chromium-driver python3-selenium
"""bench/run screens [ROUNDS] [CLIENTS] [ORDERS]

Fills a demo database (default 3000 clients, 30000 orders, the demo's year of history:
what `./run.sh demo` writes), sets the head's password, starts `salescore serve` and
opens /head in headless Chromium ROUNDS times (default 10, after one warm-up): the time
from navigation to the managers' table being on the page, i.e. every request the page
makes (users, each manager's KPIs today and this month, the department's, 12 months of
history, the lead queue, approvals) answered and drawn. The baseline, in the same run,
is the same page and assets with the figures' requests answered by /api/v1/session
alone (the login page: the shell's own cost). Also: the API requests of the screen
replayed with the page's parallelism (6 at a time) from Python, without a browser.
SCREENS_DB=PATH uses a demo database written before instead of writing one.
Last line: screens: render_p50_ms=.. render_max_ms=.. shell_p50_ms=.. api_p50_ms=.. requests=..
"""
from __future__ import annotations

import concurrent.futures
import json
import os
import pathlib
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime, timedelta

ROOT = pathlib.Path(__file__).resolve().parents[1]
BUILD = pathlib.Path(os.environ.get("BUILD_DIR", ROOT / "build"))
BIN = BUILD / "server" / "salescore"
HEAD = "smirnova.ev"
PASSWORD = "bench-password-1"


def say(*a):
    print(*a, file=sys.stderr, flush=True)


def main() -> int:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    clients = sys.argv[2] if len(sys.argv) > 2 else "3000"
    orders = sys.argv[3] if len(sys.argv) > 3 else "30000"
    work = pathlib.Path(tempfile.mkdtemp(prefix="bench-screens-"))
    url = f"sqlite:{work / 'crm.db'}"
    if os.environ.get("SCREENS_DB"):  # a demo database written before (it is not changed but for a password)
        url = "sqlite:" + os.environ["SCREENS_DB"]
    else:
        started = time.monotonic()
        subprocess.run([BIN, "demo", "--db", url, "--clients", clients, "--orders", orders], check=True,
                       stdout=subprocess.DEVNULL)
        say(f"demo written in {time.monotonic() - started:.1f} s")
    subprocess.run([BIN, "user", "passwd", HEAD, "--db", url], input=PASSWORD + "\n", text=True, check=True,
                   capture_output=True)
    server = subprocess.Popen([BIN, "serve", "--db", url, "--listen", "127.0.0.1:0", "--rate-limit", "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        base = re.search(r"(http://\S+)", server.stdout.readline()).group(1)
        api_p50, requests = replay_api(base)
        render, shell = browser_rounds(base, rounds)
    finally:
        server.terminate()
        server.wait()
    print(f"render (navigation to the managers' table), ms: {sorted(render)}")
    print(f"shell (the login page, no figures), ms: {sorted(shell)}")
    print(f"screens: render_p50_ms={statistics.median(render):.0f} render_max_ms={max(render):.0f} "
          f"shell_p50_ms={statistics.median(shell):.0f} api_p50_ms={api_p50:.0f} requests={requests}")
    return 0


def login(base):
    req = urllib.request.Request(base + "/api/v1/login", method="POST",
                                 data=json.dumps({"login": HEAD, "password": PASSWORD}).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        body = json.loads(r.read())
        return r.headers["Set-Cookie"].split(";")[0], body["user"]["id"]


def replay_api(base):
    """The figures' requests of /head, 6 at a time as a browser sends them."""
    cookie, head_id = login(base)

    def get(path):
        req = urllib.request.Request(base + path, headers={"Cookie": cookie})
        with urllib.request.urlopen(req) as r:
            return json.loads(r.read())

    now = datetime.now()
    month, day = now.strftime("%Y-%m"), now.strftime("%Y-%m-%d")
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        ids = "&ids=plan.fulfilment,orders.revenue,orders.count,calls.count,meetings.count,leads.conversion," \
              "receivables.overdue,leads.sla_breaches"
        team = f"&team={head_id}"
        first = now.month - 11
        year_from = f"{now.year + (first - 1) // 12}-{(first - 1) % 12 + 1:02d}-01"
        next_month = datetime(now.year + now.month // 12, now.month % 12 + 1, 1)
        year_to = (next_month - timedelta(days=1)).strftime("%Y-%m-%d")
        # What /head asks for (web/static/screen_head.js): users, the month's and today's
        # figures per manager as KPI tables, the twelve months as one, the lead queue, approvals.
        paths = ["/api/v1/users?limit=500",
                 f"/api/v1/kpi?by=user&period={month}{team}{ids}",
                 f"/api/v1/kpi?by=user&period={day}{team}{ids}",
                 f"/api/v1/kpi?by=month&period={year_from}..{year_to}{team}&ids=orders.revenue,orders.count,calls.count",
                 "/api/v1/leads?status=new&limit=100", "/api/v1/approvals?status=pending&limit=100"]
        with concurrent.futures.ThreadPoolExecutor(6) as pool:
            list(pool.map(get, paths))
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), len(paths)


def browser_rounds(base, rounds):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        driver.get(base + "/login")
        driver.find_element(By.NAME, "login").send_keys(HEAD)
        driver.find_element(By.NAME, "password").send_keys(PASSWORD)
        driver.find_element(By.ID, "sign-in").click()
        wait(driver, "managers", 30)

        def timed(path, element):
            t0 = time.perf_counter()
            driver.get(base + path)
            wait(driver, element, 10)
            return (time.perf_counter() - t0) * 1000

        timed("/head", "managers")  # warm-up
        render = [timed("/head", "managers") for _ in range(rounds)]
        driver.delete_all_cookies()
        shell = [timed("/login", "sign-in") for _ in range(rounds)]
        return render, shell
    finally:
        driver.quit()


def wait(driver, element_id, timeout):
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if driver.execute_script(f"return !!document.getElementById('{element_id}')"):
            return
        time.sleep(0.005)
    raise TimeoutError(element_id)


if __name__ == "__main__":
    sys.exit(main())
