"""People logging in to the screens (accounts.h): passwords set by the CLI and by an
admin over REST, the session cookie, CSRF, revocation, throttled guessing, and the web
application's files served by salescore itself.

Security cases of issue 22: session fixation, a change without the CSRF token, the
cookie of a deactivated user, brute-force lockout, and the page's defences against a
client named "<script>" (the browser itself is in test_screens_browser.py).
"""

from __future__ import annotations

import re
import subprocess
import time

import pytest

import salescore
from test_api import SALESCORE_BIN, Api, cli, start_server, stop_server

pytestmark = pytest.mark.skipif(not SALESCORE_BIN, reason="SALESCORE_BIN does not name the salescore executable")

PASSWORDS = {"dir": "director-pass-1", "head": "head-pass-12", "m1": "manager-one-1", "m2": "manager-two-2"}


def passwd(url, login, password):
    return subprocess.run([SALESCORE_BIN, "user", "passwd", login, "--db", url], input=password + "\n",
                          capture_output=True, text=True, timeout=60)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    path = tmp_path_factory.mktemp("login") / "crm.db"
    url = f"sqlite:{path}"
    with salescore.open(url) as e:
        d = e.users.add(login="dir", name="Директор", role="director")
        h = e.users.add(login="head", name="Руководитель", role="head")
        m1 = e.users.add(login="m1", name="Менеджер 1", role="manager", head_id=h.id)
        m2 = e.users.add(login="m2", name="Менеджер 2", role="manager", head_id=h.id)
        e.clients.add(name="Клиент m2", owner_id=m2.id)
    for login, password in PASSWORDS.items():
        done = passwd(url, login, password)
        assert done.returncode == 0, done.stderr
        assert password not in done.stderr + done.stdout
    token = cli("token", "create", "--db", url, "--user", "dir").stdout.strip()
    base, proc = start_server(url)
    yield Api(base), url, token, {"dir": d.id, "head": h.id, "m1": m1.id, "m2": m2.id}, proc
    stop_server(proc)


def log_in(api, login, password, cookie=None):
    headers = {"Cookie": cookie} if cookie else {}
    status, body, hdrs = api.call("POST", "/api/v1/login", body={"login": login, "password": password},
                                  headers=headers)
    set_cookie = hdrs.get("Set-Cookie", "")
    return status, body, set_cookie


def cookie_of(set_cookie):
    return set_cookie.split(";")[0]


def session(api, login):
    status, body, set_cookie = log_in(api, login, PASSWORDS[login])
    assert status == 200, body
    return cookie_of(set_cookie), body["csrf_token"]


def as_user(api, method, path, cookie, csrf=None, body=None):
    headers = {"Cookie": cookie}
    if csrf:
        headers["X-CSRF-Token"] = csrf
    status, reply, _ = api.call(method, path, body=body, headers=headers)
    return status, reply


def test_a_login_sets_an_httponly_strict_cookie_with_an_expiry(served):
    api, *_ = served
    status, body, set_cookie = log_in(api, "head", PASSWORDS["head"])
    assert status == 200
    assert body["user"]["login"] == "head" and len(body["csrf_token"]) == 64
    assert re.match(r"salescore_session=scs_[0-9a-f]{64};", set_cookie)
    for attribute in ("HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=43200"):
        assert attribute in set_cookie
    status, me = as_user(api, "GET", "/api/v1/session", cookie_of(set_cookie))
    assert status == 200 and me["user"]["login"] == "head" and me["csrf_token"] == body["csrf_token"]
    assert "Secure" not in set_cookie  # plain HTTP on loopback: a Secure cookie would never come back


def test_behind_tls_the_cookie_is_marked_secure(served, tmp_path):
    _, url, *_ = served
    config = tmp_path / "serve.ini"
    config.write_text("[server]\nsecure_cookies = true\nrate_limit = 0\n")
    base, proc = start_server(url, "--config", str(config))
    try:
        status, _, set_cookie = log_in(Api(base), "m1", PASSWORDS["m1"])
        assert status == 200 and "; Secure" in set_cookie and "HttpOnly" in set_cookie, set_cookie
    finally:
        stop_server(proc)
    config.write_text("[server]\nsecure_cookies = yes\n")
    bad = subprocess.run([SALESCORE_BIN, "serve", "--db", url, "--listen", "127.0.0.1:0", "--config", str(config)],
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode != 0 and "secure_cookies" in bad.stderr, bad.stderr


def test_a_wrong_password_and_an_unknown_login_get_the_same_answer(served):
    api, *_ = served
    wrong = log_in(api, "m2", "not-the-password")
    unknown = log_in(api, "nobody", "not-the-password")
    assert wrong[0] == unknown[0] == 401
    assert wrong[1]["error"]["message"] == unknown[1]["error"]["message"] == "the login or the password is wrong"
    assert wrong[2] == unknown[2] == ""


def test_the_password_is_never_logged(served):
    api, url, token, ids, proc = served
    log_in(api, "m2", "secret-in-a-body-1")
    time.sleep(0.3)
    log = proc.log_path.read_text()
    assert "/api/v1/login" in log
    for secret in ["secret-in-a-body-1", *PASSWORDS.values()]:
        assert secret not in log
    with salescore.open(url) as e:
        for event in e.events.since(0):
            assert "manager-one" not in str(event.payload) and "argon2" not in str(event.payload)


def test_session_fixation_a_cookie_brought_to_the_login_is_not_kept(served):
    api, *_ = served
    # An attacker's cookie planted in the browser before the login...
    planted = "salescore_session=scs_" + "a" * 64
    status, body, set_cookie = log_in(api, "m1", PASSWORDS["m1"], cookie=planted)
    assert status == 200 and cookie_of(set_cookie) != planted
    assert as_user(api, "GET", "/api/v1/session", planted)[0] == 401
    # ...and a real session someone else knew: logging in again ends it.
    first = cookie_of(set_cookie)
    status, _, again = log_in(api, "m1", PASSWORDS["m1"], cookie=first)
    assert status == 200 and cookie_of(again) != first
    assert as_user(api, "GET", "/api/v1/session", first)[0] == 401
    assert as_user(api, "GET", "/api/v1/session", cookie_of(again))[0] == 200


def test_a_change_with_the_cookie_needs_the_csrf_token(served):
    api, *_ = served
    cookie, csrf = session(api, "m1")
    client = {"name": "Без токена"}
    status, reply = as_user(api, "POST", "/api/v1/clients", cookie, body=client)
    assert status == 403 and "X-CSRF-Token" in reply["error"]["message"]
    assert as_user(api, "POST", "/api/v1/clients", cookie, csrf="0" * 64, body=client)[0] == 403
    assert as_user(api, "GET", "/api/v1/clients", cookie)[0] == 200  # reads need none
    status, made = as_user(api, "POST", "/api/v1/clients", cookie, csrf=csrf, body={"name": "С токеном"})
    assert status == 201 and made["owner_id"] is not None
    # Another session's token does not do.
    _, other_csrf = session(api, "m2")
    assert as_user(api, "POST", "/api/v1/clients", cookie, csrf=other_csrf, body=client)[0] == 403


def test_api_tokens_keep_working_without_csrf(served):
    api, url, token, *_ = served
    status, _, _ = api.call("POST", "/api/v1/clients", token=token, body={"name": "Скриптом"})
    assert status == 201


def test_logout_ends_the_session_on_the_server(served):
    api, *_ = served
    cookie, csrf = session(api, "m2")
    status, _, hdrs = api.call("POST", "/api/v1/logout", headers={"Cookie": cookie, "X-CSRF-Token": csrf})
    assert status == 200 and "Max-Age=0" in hdrs.get("Set-Cookie", "")
    status, reply = as_user(api, "GET", "/api/v1/clients", cookie)
    assert status == 401 and "log in again" in reply["error"]["message"]


def test_a_password_change_ends_every_session_and_only_admins_set_others(served):
    api, url, token, ids, _ = served
    cookie, csrf = session(api, "m2")
    # A manager may not set a colleague's password.
    status, _ = as_user(api, "POST", f"/api/v1/users/{ids['m1']}/password", cookie, csrf, {"password": "x" * 12})
    assert status == 403
    # Their own, with the current one.
    status, reply = as_user(api, "POST", f"/api/v1/users/{ids['m2']}/password", cookie, csrf,
                            {"password": "new-manager-2", "current_password": "wrong-one"})
    assert status == 400 and "current_password" in reply["error"]["fields"]
    status, reply = as_user(api, "POST", f"/api/v1/users/{ids['m2']}/password", cookie, csrf, {"password": "short"})
    assert status == 400 and "password" in reply["error"]["fields"]
    # The director sets it over REST: m2's session is over.
    status, _, _ = api.call("POST", f"/api/v1/users/{ids['m2']}/password", token=token,
                            body={"password": PASSWORDS["m2"]})
    assert status == 200
    assert as_user(api, "GET", "/api/v1/session", cookie)[0] == 401
    session(api, "m2")


def test_the_cookie_of_a_deactivated_user_is_dead(served):
    api, url, token, ids, _ = served
    head_token = cli("token", "create", "--db", url, "--user", "head").stdout.strip()
    cookie, _ = session(api, "head")
    assert as_user(api, "GET", "/api/v1/clients", cookie)[0] == 200
    status, user, _ = api.call("POST", f"/api/v1/users/{ids['head']}/deactivate", token=token)
    assert status == 200 and user["active"] is False
    assert as_user(api, "GET", "/api/v1/clients", cookie)[0] == 401
    assert api.call("GET", "/api/v1/clients", token=head_token)[0] == 401
    assert log_in(api, "head", PASSWORDS["head"])[0] == 401
    assert api.call("POST", f"/api/v1/users/{ids['head']}/activate", token=token)[0] == 200
    assert as_user(api, "GET", "/api/v1/clients", cookie)[0] == 401  # still over: it was revoked
    session(api, "head")


def test_guessing_a_password_is_locked_out_with_a_clear_message(served):
    api, *_ = served
    for _ in range(5):
        assert log_in(api, "dir", "guess-guess-guess")[0] == 401
    status, reply, set_cookie = log_in(api, "dir", PASSWORDS["dir"])  # even the right one, now
    assert status == 429 and set_cookie == ""
    assert re.fullmatch(r"too many failed logins for dir: try again in 1[45] minutes", reply["error"]["message"])
    assert log_in(api, "m1", PASSWORDS["m1"])[0] == 200  # another login from the address still works


def test_guessing_from_one_address_is_locked_out_across_logins(tmp_path):
    url = f"sqlite:{tmp_path / 'crm.db'}"
    with salescore.open(url) as e:
        e.users.add(login="m1", name="Менеджер 1", role="manager")
    assert passwd(url, "m1", PASSWORDS["m1"]).returncode == 0
    base, proc = start_server(url)
    try:
        api = Api(base)
        for i in range(30):
            assert log_in(api, f"user{i}", "guess-guess-guess")[0] == 401
        status, reply, _ = log_in(api, "m1", PASSWORDS["m1"])
        assert status == 429 and "from this address" in reply["error"]["message"]
    finally:
        stop_server(proc)


def test_the_language_is_remembered_per_user(served):
    api, *_ = served
    cookie, csrf = session(api, "m1")
    assert as_user(api, "POST", "/api/v1/session/language", cookie, csrf, {"language": "xx"})[0] == 400
    assert as_user(api, "POST", "/api/v1/session/language", cookie, csrf, {"language": "zh"})[0] == 200
    cookie, _ = session(api, "m1")
    assert as_user(api, "GET", "/api/v1/session", cookie)[1]["language"] == "zh"


def test_the_cli_refuses_a_short_password_and_an_unknown_user(served):
    api, url, *_ = served
    short = passwd(url, "m1", "short")
    assert short.returncode != 0 and "at least 10 characters" in short.stderr
    assert passwd(url, "nobody", "long-enough-1").returncode != 0


def test_changes_say_that_something_changed_to_any_user(served):
    api, url, token, *_ = served
    cookie, _ = session(api, "m1")
    status, now = as_user(api, "GET", "/api/v1/changes", cookie)
    assert status == 200 and now["seq"] > 0
    started = time.monotonic()
    api.call("POST", "/api/v1/clients", token=token, body={"name": "Новый"})
    status, moved = as_user(api, "GET", f"/api/v1/changes?after={now['seq']}&wait=5", cookie)
    assert status == 200 and moved["seq"] > now["seq"] and time.monotonic() - started < 5
    assert as_user(api, "GET", "/api/v1/events", cookie)[0] == 403  # the log's content is not for a manager


def test_the_web_application_is_served_by_salescore_with_its_defences(served):
    api, *_ = served
    for path in ("/", "/login", "/head", "/client/5"):
        status, page, hdrs = api.call("GET", path)
        assert status == 200 and "<script src=\"/app.js\"></script>" in page
        csp = hdrs["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp
        assert hdrs["X-Content-Type-Options"] == "nosniff"
        assert not re.search(r"(src|href)=\"(https?:)?//", page)  # nothing from a CDN
    status, chart, hdrs = api.call("GET", "/vendor/uPlot.iife.min.js")
    assert status == 200 and hdrs["Content-Type"].startswith("text/javascript") and "uPlot" in chart
    assert "MIT" in api.call("GET", "/vendor/uPlot.LICENSE")[1]
    for script in ("/app.js", "/boot.js", "/screen_head.js", "/screen_manager.js", "/screen_route.js"):
        status, source, _ = api.call("GET", script)
        assert status == 200
        # Names reach the page only as text nodes: no HTML is ever built from data.
        assert "innerHTML" not in source and "insertAdjacentHTML" not in source and "document.write" not in source
    assert api.call("GET", "/nope.js")[0] == 404
    assert api.call("GET", "/api/v1/clients")[0] == 401


def test_the_screens_ask_for_only_the_kpis_they_show(served):
    api, url, token, *_ = served
    status, body, _ = api.call("GET", "/api/v1/kpi?period=2026-12&ids=orders.revenue,leads.sla_breaches", token=token)
    assert status == 200 and [k["id"] for k in body["kpis"]] == ["orders.revenue", "leads.sla_breaches"]
    status, body, _ = api.call("GET", "/api/v1/kpi?period=2026-12&ids=orders.revenue,no.such", token=token)
    assert 400 <= status < 500 and "no.such" in body["error"]["message"]
