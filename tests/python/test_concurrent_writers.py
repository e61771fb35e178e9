"""Two `salescore serve` processes on one database taking the same order's refunds and
payments, and the same login's guesses, at the same moment over REST (docs/reliability.md,
"Concurrent writers on one order"): one request per round passes the check of what is
left, the others are refused naming the field; guesses are answered no more often than
the limit allows. A request held up past the lock timeout (503) is sent again, as a
client does.

Runs on a SQLite file, and on PostgreSQL too under tests/postgres/with_postgres.sh.
"""

from __future__ import annotations

import subprocess
import threading
import time

import pytest

import salescore
from test_api import SALESCORE_BIN, Api, cli, start_server, stop_server
from test_rate_limit_shared import databases, fresh_database

pytestmark = pytest.mark.skipif(not SALESCORE_BIN, reason="SALESCORE_BIN does not name the salescore executable")

ROUNDS = 6
CALLERS = 4  # two per process
PASSWORD = "correct horse battery"


@pytest.fixture(params=list(databases()))
def two_servers(request, tmp_path):
    """(the two APIs, a manager's token, the ids of ROUNDS orders of 1000.00 each)."""
    url = fresh_database(request.param, tmp_path, "sc_race")
    with salescore.open(url) as e:
        anna = e.users.add(login="anna", name="Анна", role="manager")
        client = e.clients.add(name="Ромашка", owner_id=anna.id)
        orders = [e.orders.add(client_id=client.id, owner_id=anna.id,
                               lines=[{"sku": "SUGAR-50", "quantity": "10", "price": "100.00"}]).id
                  for _ in range(ROUNDS)]
    done = subprocess.run([SALESCORE_BIN, "user", "passwd", "anna", "--db", url], input=PASSWORD + "\n",
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    token = cli("token", "create", "--db", url, "--user", "anna", "--name", "race").stdout.strip()
    base_a, a = start_server(url)
    base_b, b = None, None
    try:
        base_b, b = start_server(url)
        yield (Api(base_a), Api(base_b)), token, orders
    finally:
        stop_server(a)
        if b:
            stop_server(b)


def at_once(apis, request):
    """Each caller (alternating between the processes) sends request(caller) at the same
    moment; their (status, body), a 503 sent again."""
    start = threading.Barrier(CALLERS)
    answers = [None] * CALLERS

    def caller(i):
        start.wait()
        api = apis[i % 2]
        for _ in range(50):
            status, body, _ = request(api, i)
            if status != 503:
                break
            time.sleep(0.05)
        answers[i] = (status, body)

    threads = [threading.Thread(target=caller, args=(i,)) for i in range(CALLERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return answers


def one_accepted(answers, field):
    """The body of the one 201; every other answer is a 400 naming `field`."""
    created = [body for status, body in answers if status == 201]
    assert len(created) == 1, answers
    for status, body in answers:
        if status != 201:
            assert status == 400 and field in body["error"]["fields"], (status, body)
    return created[0]


def test_refunds_and_payments_of_one_order_from_two_processes_never_pass_its_total(two_servers):
    apis, token, orders = two_servers
    for order in orders:
        refund = one_accepted(at_once(apis, lambda api, i: api.call(
            "POST", f"/api/v1/orders/{order}/refunds", token=token,
            body={"amount": "600.00", "reference": f"caller-{i}"})), "amount")
        payment = one_accepted(at_once(apis, lambda api, i: api.call(
            "POST", "/api/v1/payments", token=token, body={"order_id": order, "amount": "600.00"})), "amount")

        status, held, _ = apis[0].call("GET", f"/api/v1/orders/{order}/refunds", token=token)
        assert status == 200 and (held["refunded"], held["left"]) == ("600.00", "400.00"), held
        assert [r["id"] for r in held["refunds"]] == [refund["id"]]
        status, paid, _ = apis[1].call("GET", f"/api/v1/payments?order_id={order}", token=token)
        assert status == 200, paid
        assert [p["id"] for p in paid["items"]] == [payment["id"]], paid


def test_guesses_at_two_processes_at_once_are_answered_no_more_often_than_the_limit(two_servers):
    apis, _, _ = two_servers
    guesses = 3 * CALLERS  # 12 wrong guesses, 4 at a time, against a limit of 5 per login
    answers = []
    for batch in range(guesses // CALLERS):
        answers += at_once(apis, lambda api, i: api.call(
            "POST", "/api/v1/login", body={"login": "anna", "password": f"guess {batch}-{i}"}))
    statuses = [status for status, _ in answers]
    assert statuses.count(401) == 5 and statuses.count(429) == guesses - 5, statuses
    status, body, _ = apis[0].call("POST", "/api/v1/login", body={"login": "anna", "password": PASSWORD})
    assert status == 429, body
