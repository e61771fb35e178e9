"""The screens end to end in a real browser: headless Chromium driven by Selenium
(Debian's chromium, chromium-driver, python3-selenium). Skipped only when Chromium or
its driver is not installed.

The head logs in and sees the figures the API reports, approves a request from the
page, watches the revenue figure move when an order arrives through the API, and drills
down to the order; a manager cannot open a colleague's client, sees a client named
"<script>" as text, and after logging out the session is dead on the server too.
Screenshots are kept in <build>/test-artifacts/screens.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import urllib.request
from datetime import datetime
from pathlib import Path

import pytest

import salescore
from test_api import SALESCORE_BIN, Api, cli, start_server, stop_server

CHROMIUM = shutil.which("chromium")
DRIVER = shutil.which("chromedriver")
try:
    from selenium import webdriver
    from selenium.common.exceptions import NoAlertPresentException, StaleElementReferenceException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError:  # python3-selenium is not installed
    webdriver = None

pytestmark = [
    pytest.mark.skipif(not SALESCORE_BIN, reason="SALESCORE_BIN does not name the salescore executable"),
    pytest.mark.skipif(not (CHROMIUM and DRIVER and webdriver), reason="chromium, chromium-driver or python3-selenium missing"),
]

PASSWORDS = {"head": "head-pass-12", "m1": "manager-one-1", "m2": "manager-two-2"}
XSS_NAME = "<script>alert('name')</script>"
XSS_NOTE = "<img src=x onerror=alert('note')>"


def artifacts() -> Path:
    out = Path(os.environ.get("SALESCORE_TEST_ARTIFACTS") or Path(SALESCORE_BIN).resolve().parents[1] / "test-artifacts") / "screens"
    out.mkdir(parents=True, exist_ok=True)
    return out


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    path = tmp_path_factory.mktemp("screens") / "crm.db"
    url = f"sqlite:{path}"
    now = datetime.now().astimezone()
    with salescore.open(url) as e:
        head = e.users.add(login="head", name="Орлова Анна", role="head")
        m1 = e.users.add(login="m1", name="Иванов Пётр", role="manager", head_id=head.id)
        m2 = e.users.add(login="m2", name="Петрова Мария", role="manager", head_id=head.id)
        mine = e.clients.add(name=XSS_NAME, notes=XSS_NOTE, owner_id=m1.id)
        hers = e.clients.add(name="Лютик", owner_id=m2.id)
        e.orders.add(client_id=mine.id, owner_id=m1.id, number="A-1", ordered_at=now.isoformat(),
                     lines=[{"sku": "A-1", "quantity": "2", "price": "1500.00"}])
        e.orders.add(client_id=hers.id, owner_id=m2.id, number="B-1", ordered_at=now.isoformat(),
                     lines=[{"sku": "A-1", "quantity": "1", "price": "700.00"}])
        as_m1 = e.as_user(m1)
        proposal = as_m1.proposals.add(
            kind="individual", client_id=mine.id,
            lines=[{"sku": "A-1", "name": "Плитка", "quantity": 10, "price": "100.00", "discount_percent": "5.00"}],
            terms={"payment_terms": "prepay", "special_terms": "доставка бесплатно"})
        approval = as_m1.proposals.request_approval(proposal.id, "клиент сравнивает с конкурентом")
        ids = {"head": head.id, "m1": m1.id, "m2": m2.id, "mine": mine.id, "hers": hers.id, "approval": approval.id}
    for login, password in PASSWORDS.items():
        done = subprocess.run([SALESCORE_BIN, "user", "passwd", login, "--db", url], input=password + "\n",
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
    tokens = {login: cli("token", "create", "--db", url, "--user", login).stdout.strip() for login in PASSWORDS}
    base, proc = start_server(url)
    yield Api(base), base, tokens, ids
    stop_server(proc)


@pytest.fixture(scope="module")
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,1000",
                "--lang=en-GB"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.implicitly_wait(0)
    yield driver
    driver.quit()


def wait_for(driver, find, timeout=10):
    return WebDriverWait(driver, timeout, poll_frequency=0.1).until(lambda d: find(d))


def log_in(driver, base, login):
    driver.delete_all_cookies()
    driver.get(base + "/login")
    wait_for(driver, lambda d: d.find_elements(By.NAME, "login"))
    driver.find_element(By.NAME, "login").send_keys(login)
    driver.find_element(By.NAME, "password").send_keys(PASSWORDS[login])
    driver.find_element(By.ID, "sign-in").click()


def kpi(api, token, period, user=None, team=None):
    query = f"/api/v1/kpi?period={period}" + (f"&user={user}" if user else "") + (f"&team={team}" if team else "")
    status, body, _ = api.call("GET", query, token=token)
    assert status == 200, body
    return {k["id"]: k["value"] for k in body["kpis"]}


def figure(driver, kpi_id, user):
    """The figure's raw value as the page holds it (None while the page redraws)."""
    try:
        found = driver.find_elements(By.CSS_SELECTOR, f'a[data-kpi="{kpi_id}"][data-user="{user}"]')
        return found[0].get_attribute("data-value") if found else None
    except StaleElementReferenceException:
        return None


def act(driver, do, timeout=10):
    """Runs `do` again when the live refresh redrew the page under it."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return do()
        except StaleElementReferenceException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def test_the_head_sees_the_apis_figures_decides_and_watches_them_move(shop, browser):
    api, base, tokens, ids = shop
    month = datetime.now().strftime("%Y-%m")
    log_in(browser, base, "head")
    wait_for(browser, lambda d: d.find_elements(By.ID, "managers"))
    browser.save_screenshot(str(artifacts() / "head.png"))
    for who in ("m1", "m2"):
        expected = kpi(api, tokens["head"], month, user=ids[who])
        for kpi_id in ("orders.revenue", "orders.count", "calls.count", "leads.sla_breaches"):
            wait_for(browser, lambda d: figure(d, kpi_id, ids[who]) == str(expected[kpi_id]))
    team = kpi(api, tokens["head"], month, team=ids["head"])
    assert team["orders.revenue"] == 370000
    wait_for(browser, lambda d: figure(d, "orders.revenue", "team") == "370000")

    # The approval, decided from the page.
    def approve():
        row = browser.find_element(By.CSS_SELECTOR, f'tr[data-approval="{ids["approval"]}"]')
        row.find_element(By.TAG_NAME, "input").send_keys("согласовано")
        row.find_element(By.CSS_SELECTOR, "button.approve").click()
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, f'tr[data-approval="{ids["approval"]}"]'))
    act(browser, approve)
    wait_for(browser, lambda d: api.call("GET", f"/api/v1/approvals/{ids['approval']}", token=tokens["head"])[1]["status"] == "approved")
    decided = api.call("GET", f"/api/v1/approvals/{ids['approval']}", token=tokens["head"])[1]
    assert decided["comment"] == "согласовано" and decided["decided_by"] == ids["head"]

    # An order through the API: the open page's revenue moves without a reload.
    marker = browser.execute_script("window.__same_page = 1; return 1;")
    status, order, _ = api.call("POST", "/api/v1/orders", token=tokens["m1"],
                                body={"client_id": ids["mine"], "number": "LIVE-1",
                                      "lines": [{"sku": "A-1", "quantity": "1", "price": "250.00"}]})
    assert status == 201, order
    wait_for(browser, lambda d: figure(d, "orders.revenue", "team") == "395000", timeout=6)
    assert browser.execute_script("return window.__same_page") == marker  # not reloaded
    browser.save_screenshot(str(artifacts() / "head-after-order.png"))

    # Drill down from m1's revenue to the orders behind it.
    act(browser, lambda: browser.find_element(By.CSS_SELECTOR, f'a[data-kpi="orders.revenue"][data-user="{ids["m1"]}"]').click())
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#drill table.records"))
    drill = act(browser, lambda: browser.find_element(By.CSS_SELECTOR, "#drill table.records").text)
    assert "LIVE-1" in drill and "A-1" in drill and "B-1" not in drill
    # The client column names the client (read through the API), as text.
    wait_for(browser, lambda d: XSS_NAME in act(d, lambda: d.find_element(By.CSS_SELECTOR, "#drill table.records").text))
    assert not browser.find_elements(By.CSS_SELECTOR, "#drill script, #drill img")
    # Overdue receivables, SLA breaches and conversion drill into their own records, not a list of orders.
    for kpi_id in ("receivables.overdue", "leads.sla_breaches", "leads.conversion"):
        act(browser, lambda: browser.find_element(By.CSS_SELECTOR, f'a[data-kpi="{kpi_id}"][data-user="team"]').click())
        wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#drill button"))
        assert not browser.find_elements(By.CSS_SELECTOR, "#drill .error"), browser.find_element(By.ID, "drill").text
    browser.save_screenshot(str(artifacts() / "head-drill-down.png"))


def test_a_manager_cannot_open_a_colleagues_client_and_names_stay_text(shop, browser):
    api, base, tokens, ids = shop
    log_in(browser, base, "m1")
    wait_for(browser, lambda d: d.find_elements(By.ID, "tasks-today"))
    # Their clients are grouped by the segment the API gives each one.
    status, client, _ = api.call("GET", f"/api/v1/clients/{ids['mine']}", token=tokens["m1"])
    assert status == 200, client
    row = wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, f'#clients-by-segment tr[data-client="{ids["mine"]}"]'))
    assert row[0].get_attribute("data-segment") == (client.get("segment") or "—")
    assert browser.find_elements(By.CSS_SELECTOR, f'#clients-by-segment tr.group[data-segment="{client.get("segment") or "—"}"]')
    assert not browser.find_elements(By.CSS_SELECTOR, f'#clients-by-segment tr[data-client="{ids["hers"]}"]')
    browser.get(f"{base}/client/{ids['hers']}")
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#client-card .error"))
    assert "Лютик" not in browser.page_source
    assert act(browser, lambda: browser.find_element(By.CSS_SELECTOR, "#client-card .error").text)
    browser.save_screenshot(str(artifacts() / "manager-refused.png"))

    browser.get(f"{base}/client/{ids['mine']}")
    wait_for(browser, lambda d: d.find_elements(By.ID, "client-name"))
    assert act(browser, lambda: browser.find_element(By.ID, "client-name").text) == XSS_NAME
    assert act(browser, lambda: browser.find_element(By.ID, "client-notes").text) == XSS_NOTE
    assert not browser.find_elements(By.CSS_SELECTOR, "#client-card script, #client-card img")
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text
    browser.save_screenshot(str(artifacts() / "client-card.png"))


def test_logging_out_kills_the_session_on_the_server(shop, browser):
    api, base, tokens, ids = shop
    log_in(browser, base, "m2")
    wait_for(browser, lambda d: d.find_elements(By.ID, "logout"))
    cookie = {c["name"]: c for c in browser.get_cookies()}["salescore_session"]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert browser.execute_script("return document.cookie") == ""  # out of the page's reach
    act(browser, lambda: browser.find_element(By.ID, "logout").click())
    wait_for(browser, lambda d: d.find_elements(By.ID, "sign-in"))
    status, body, _ = api.call("GET", "/api/v1/session", headers={"Cookie": "salescore_session=" + cookie["value"]})
    assert status == 401
    browser.save_screenshot(str(artifacts() / "logged-out.png"))
