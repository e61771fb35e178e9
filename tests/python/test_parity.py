"""One engine, every surface: the operations of docs/operations.md are each reachable on
the surfaces their row names, and a manager meets the same rule on REST as in Python.

The table is the list a new operation must be added to: test_every_operation_has_a_row
reads the engine's service headers, so a service method without a row fails here, and
the next rule cannot quietly be Python-only.
"""

from __future__ import annotations

import re
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable

import pytest

import salescore
from test_api import SALESCORE_BIN, Api, cli, start_server, stop_server

pytestmark = pytest.mark.skipif(not SALESCORE_BIN, reason="SALESCORE_BIN does not name the salescore executable")

ROOT = Path(__file__).resolve().parents[2]
TABLE = ROOT / "docs" / "operations.md"
HEADERS = ROOT / "core" / "include" / "salescore"
ABSENT = ("—", "n/a")


def engine_operations() -> list[str]:
    """Service::method for every public method returning Result or Status."""
    found: list[str] = []
    for header in sorted(HEADERS.glob("*.h")):
        text = header.read_text(encoding="utf-8")
        for cls in re.finditer(r"\nclass (\w+Service) \{(.*?)\n\};", text, re.S):
            public = cls.group(2).split(" private:")[0]
            for method in re.finditer(r"^\s+(?:static\s+)?(?:Result<.*?>|Status)\s+(\w+)\(", public, re.M):
                name = f"{cls.group(1)}::{method.group(1)}"
                if name not in found:
                    found.append(name)
    return found


def table_rows() -> dict[str, dict[str, str]]:
    rows: dict[str, dict[str, str]] = {}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 5 or "::" not in cells[0]:
            continue
        assert cells[0] not in rows, f"{cells[0]} has two rows in {TABLE.name}"
        rows[cells[0]] = {"python": cells[1], "rest": cells[2], "cli": cells[3], "note": cells[4]}
    return rows


ROWS = table_rows()


def test_every_operation_has_a_row():
    operations = engine_operations()
    assert len(operations) > 100  # the header parser still finds the services
    missing = [op for op in operations if op not in ROWS]
    assert not missing, f"service methods without a row in docs/operations.md: {missing}"
    gone = [op for op in ROWS if op not in operations]
    assert not gone, f"rows in docs/operations.md for methods the engine no longer has: {gone}"


def test_a_surface_left_out_says_why():
    for op, row in ROWS.items():
        cells = (row["python"], row["rest"], row["cli"])
        if any(c == "—" for c in cells) and all(c in ABSENT for c in cells):
            assert row["note"], f"{op} is on no surface and its row does not say why"


@pytest.fixture(scope="module")
def one_engine():
    with salescore.open("sqlite::memory:") as e:
        yield e


@pytest.mark.parametrize("op", [op for op, row in ROWS.items() if row["python"] not in ABSENT])
def test_the_python_cell_names_a_method(one_engine, op):
    obj: Any = one_engine
    for part in ROWS[op]["python"].split("."):
        assert hasattr(obj, part), f"{op}: engine.{ROWS[op]['python']} does not exist"
        obj = getattr(obj, part)
    assert callable(obj), f"{op}: engine.{ROWS[op]['python']} is not callable"
    # A Session (engine.as_user) offers the same collections as the Engine, but for the
    # operators' ones that act as the system.
    first = ROWS[op]["python"].split(".")[0]
    assert first in salescore._engine._COLLECTIONS or first in ("events", "outbox", "dead_letters"), op


@pytest.fixture(scope="module")
def documented(tmp_path_factory):
    url = f"sqlite:{tmp_path_factory.mktemp('parity-doc') / 'crm.db'}"
    cli("init", "--db", url)
    base, proc = start_server(url)
    try:
        status, doc, _ = Api(base).call("GET", "/api/v1/openapi.json")
        assert status == 200
        yield {(m.upper(), p) for p, ops in doc["paths"].items() for m in ops}
    finally:
        stop_server(proc)


@pytest.mark.parametrize("op", [op for op, row in ROWS.items() if row["rest"] not in ABSENT])
def test_the_rest_cell_names_a_served_route(documented, op):
    method, path = ROWS[op]["rest"].split(" ", 1)
    assert (method, path) in documented, f"{op}: {ROWS[op]['rest']} is not served"


CLI_CELLS = sorted({row["cli"] for row in ROWS.values() if row["cli"] not in ABSENT})


@pytest.mark.parametrize("cell", CLI_CELLS)
def test_the_cli_cell_names_a_command(cell):
    words = cell.split()
    assert words[0] == "salescore", cell
    result = cli(words[1], "--help")
    usage = result.stdout + result.stderr
    for action in words[2:]:
        assert re.search(rf"\b{re.escape(action)}\b", usage), f"`{cell}`: {action!r} is not in its --help"


# ---- the same rule on every surface ----

@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """Two managers of two departments with a client, an order and a task each; m1's
    token; the server. The engine stays open for the Python side (a file database both
    the server and this process use)."""
    url = f"sqlite:{tmp_path_factory.mktemp('parity') / 'crm.db'}"
    e = salescore.open(url)
    head1 = e.users.add(login="head1", name="Руководитель 1", role="head")
    head2 = e.users.add(login="head2", name="Руководитель 2", role="head")
    m1 = e.users.add(login="m1", name="Менеджер 1", role="manager", head_id=head1.id)
    m2 = e.users.add(login="m2", name="Менеджер 2", role="manager", head_id=head2.id)
    e.users.add(login="dir", name="Директор", role="director")
    objects = {}
    for owner in (m1, m2):
        client = e.clients.add(name=f"Клиент {owner.login}", owner_id=owner.id)
        order = e.orders.add(client_id=client.id, owner_id=owner.id,
                             lines=[{"sku": "A-1", "quantity": "1", "price": "100.00"}])
        # Overdue by an hour: on today's list whatever the hour.
        task = e.tasks.add(title="Позвонить", assignee_id=owner.id, client_id=client.id,
                           due_at=datetime.now(timezone.utc) - timedelta(hours=1))
        deal = e.deals.add(client_id=client.id, title="Сделка", owner_id=owner.id)
        proposal = e.proposals.add(kind="individual", client_id=client.id,
                                   lines=[{"sku": "A-1", "quantity": "1", "price": "100.00"}])
        objects[owner.login] = {"client": client.id, "order": order.id, "task": task.id, "user": owner.id,
                                "deal": deal.id, "proposal": proposal.id}
    token = cli("token", "create", "--db", url, "--user", "m1", "--name", "parity").stdout.strip()
    base, proc = start_server(url)
    try:
        yield e, Api(base), token, objects
    finally:
        stop_server(proc)
        e.close()


def python_outcome(act: Callable[[], Any]) -> tuple[str, str]:
    """("ok", "") or the error's (code, reason)."""
    try:
        act()
    except salescore.Error as error:
        return error.code, error.reason
    return "ok", ""


def rest_outcome(reply: tuple[int, Any, Any]) -> tuple[str, str]:
    status, body, _ = reply
    if status < 400:
        return "ok", ""
    return body["error"]["code"], body["error"].get("reason", "")


# (name, Python call as m1, REST call as m1); "mine" and "theirs" are m1's and m2's objects.
SAME_RULE: list[tuple[str, Callable, Callable]] = [
    ("tasks today of a colleague",
     lambda s, o: s.tasks.today("m2"),
     lambda api, t, o: api.call("GET", "/api/v1/tasks/today?user=m2", token=t)),
    ("tasks today of oneself, by login",
     lambda s, o: s.tasks.today("m1"),
     lambda api, t, o: api.call("GET", "/api/v1/tasks/today?user=m1", token=t)),
    ("a colleague's client's segment",
     lambda s, o: s.clients.segment(o["m2"]["client"]),
     lambda api, t, o: api.call("GET", f"/api/v1/clients/{o['m2']['client']}/segment", token=t)),
    ("one's own client's segment",
     lambda s, o: s.clients.segment(o["m1"]["client"]),
     lambda api, t, o: api.call("GET", f"/api/v1/clients/{o['m1']['client']}/segment", token=t)),
    ("a colleague's order's payment schedule",
     lambda s, o: s.payments.schedule(o["m2"]["order"]),
     lambda api, t, o: api.call("GET", f"/api/v1/orders/{o['m2']['order']}/schedule", token=t)),
    ("setting a schedule on a colleague's order",
     lambda s, o: s.payments.set_schedule(o["m2"]["order"], [{"due_at": "2030-01-01T00:00:00Z", "amount": "100.00"}]),
     lambda api, t, o: api.call("POST", f"/api/v1/orders/{o['m2']['order']}/schedule", token=t,
                                body={"installments": [{"due_at": "2030-01-01T00:00:00Z", "amount": "100.00"}]})),
    ("a colleague's outlet's channel",
     lambda s, o: s.routes.channel(o["m2"]["client"]),
     lambda api, t, o: api.call("GET", f"/api/v1/clients/{o['m2']['client']}/channel", token=t)),
    ("setting a colleague's outlet's channel",
     lambda s, o: s.routes.set_channel(o["m2"]["client"], "kiosk"),
     lambda api, t, o: api.call("POST", f"/api/v1/clients/{o['m2']['client']}/channel", token=t,
                                body={"channel": "kiosk"})),
    ("a manager sets a must-have list",
     lambda s, o: s.routes.set_must_have("kiosk", ["A-1"]),
     lambda api, t, o: api.call("POST", "/api/v1/must-have", token=t, body={"channel": "kiosk", "skus": ["A-1"]})),
    ("a colleague's route",
     lambda s, o: s.routes.get(o["m2"]["user"], 1),
     lambda api, t, o: api.call("GET", "/api/v1/routes?rep=m2&weekday=1", token=t)),
    ("claims by cause",
     lambda s, o: s.claims.count_by_cause(),
     lambda api, t, o: api.call("GET", "/api/v1/claims/causes", token=t)),
    ("a colleague's password",
     lambda s, o: s.users.set_password("m2", "a-long-password-1"),
     lambda api, t, o: api.call("POST", f"/api/v1/users/{o['m2']['user']}/password", token=t,
                                body={"password": "a-long-password-1"})),
    ("deactivating a colleague",
     lambda s, o: s.users.deactivate("m2"),
     lambda api, t, o: api.call("POST", f"/api/v1/users/{o['m2']['user']}/deactivate", token=t)),
    ("a stage gate",
     lambda s, o: s.deals.advance(o["m1"]["deal"], "proposal"),
     lambda api, t, o: api.call("POST", f"/api/v1/deals/{o['m1']['deal']}/advance", token=t,
                                body={"stage": "proposal"})),
    ("an individual proposal sent without approval",
     lambda s, o: s.proposals.send(o["m1"]["proposal"]),
     lambda api, t, o: api.call("POST", f"/api/v1/proposals/{o['m1']['proposal']}/send", token=t)),
    ("a record that is not there",
     lambda s, o: s.clients.get(999_999),
     lambda api, t, o: api.call("GET", "/api/v1/clients/999999", token=t)),
    ("a discount above 100 %",
     lambda s, o: s.approvals.request_deal_discount(o["m1"]["deal"], "150.00", "много"),
     lambda api, t, o: api.call("POST", f"/api/v1/deals/{o['m1']['deal']}/discount", token=t,
                                body={"discount_percent": "150.00", "reason": "много"})),
    ("an unknown segment",
     lambda s, o: list(s.clients.find(segment="asleep")),
     lambda api, t, o: api.call("GET", "/api/v1/clients?segment=asleep", token=t)),
    ("what is left to ship of a colleague's order",
     lambda s, o: s.orders.to_ship(o["m2"]["order"]),
     lambda api, t, o: api.call("GET", f"/api/v1/orders/{o['m2']['order']}/to-ship", token=t)),
    ("what is left to ship of one's own order",
     lambda s, o: s.orders.to_ship(o["m1"]["order"]),
     lambda api, t, o: api.call("GET", f"/api/v1/orders/{o['m1']['order']}/to-ship", token=t)),
    ("the contract covering a colleague's order",
     lambda s, o: s.orders.contract(o["m2"]["order"]),
     lambda api, t, o: api.call("GET", f"/api/v1/orders/{o['m2']['order']}/contract", token=t)),
    ("asking to visit a colleague's client",
     lambda s, o: s.approvals.request_visit(o["m2"]["client"], datetime(2030, 1, 15, 7, tzinfo=timezone.utc), "показ"),
     lambda api, t, o: api.call("POST", f"/api/v1/clients/{o['m2']['client']}/visit-approval", token=t,
                                body={"at": "2030-01-15T07:00:00Z", "reason": "показ"})),
    ("a count with an unknown status",
     lambda s, o: s.orders.count(status="lost"),
     lambda api, t, o: api.call("GET", "/api/v1/orders/count?status=lost", token=t)),
]

COUNTED = ("clients", "products", "deals", "orders", "interactions", "tasks", "absences", "leads", "proposals",
           "approvals", "contracts", "shipments", "payments", "claims", "visits")


@pytest.mark.parametrize("name", COUNTED)
def test_a_count_is_the_same_in_python_and_over_rest(world, name):
    e, api, token, objects = world
    status, reply, _ = api.call("GET", f"/api/v1/{name}/count", token=token)
    assert status == 200, reply
    assert reply == {"count": getattr(e.as_user("m1"), name).count()}
    if name in ("clients", "orders"):
        assert reply["count"] == 1, "m1's own, not m2's"


@pytest.mark.parametrize("name, in_python, over_rest", SAME_RULE, ids=[r[0] for r in SAME_RULE])
def test_a_manager_meets_the_same_rule_in_python_and_over_rest(world, name, in_python, over_rest):
    e, api, token, objects = world
    session = e.as_user("m1")
    python = python_outcome(lambda: in_python(session, objects))
    rest = rest_outcome(over_rest(api, token, objects))
    assert python == rest, f"{name}: Python {python}, REST {rest}"


def test_each_reason_has_one_python_class(world):
    """docs/api.md "Errors": the class follows the code and reason, whichever call failed."""
    e, _, _, objects = world
    session = e.as_user("m1")
    with pytest.raises(salescore.StageGateError) as gate:
        session.deals.advance(objects["m1"]["deal"], "proposal")
    assert (gate.value.code, gate.value.reason) == ("failed_precondition", "stage_gate") and gate.value.missing
    with pytest.raises(salescore.ApprovalRequired) as approval:
        session.proposals.send(objects["m1"]["proposal"])
    assert approval.value.reason == "approval_required"
    assert isinstance(approval.value, salescore.FailedPrecondition)
    with pytest.raises(salescore.ValidationError) as bad:
        session.approvals.request_deal_discount(objects["m1"]["deal"], "150.00", "много")
    assert list(bad.value.fields) == ["discount_percent"], "the field has REST's name"


def test_the_refusals_above_are_refusals(world):
    """The table above compares outcomes; these cells must be refusals, so a rule that
    stopped refusing on both surfaces at once does not pass unnoticed."""
    e, api, token, objects = world
    session = e.as_user("m1")
    assert python_outcome(lambda: session.tasks.today("m2"))[0] == "permission_denied"
    assert python_outcome(lambda: session.users.deactivate("m2"))[0] == "permission_denied"
    assert python_outcome(lambda: list(session.clients.find(segment="asleep")))[0] == "invalid_argument"
    assert python_outcome(lambda: session.tasks.today("m1")) == ("ok", "")


def test_my_sleeping_clients_are_the_same_on_every_surface(world):
    """A client's segment is a field and a filter: Python, REST and the CLI list the
    same clients of one segment, each within the caller's scope."""
    e, api, token, objects = world
    url = e._url
    e.run_due()  # classifies every client (new: added today, no order counts as new)
    mine = {c.id: c.segment for c in e.as_user("m1").clients.find()}
    assert set(mine) == {objects["m1"]["client"]}
    segment = mine[objects["m1"]["client"]]
    assert segment in ("new", "hot", "warm", "cooling", "sleeping")
    python = [c.id for c in e.as_user("m1").clients.find(segment=segment)]
    status, reply, _ = api.call("GET", f"/api/v1/clients?segment={segment}", token=token)
    assert status == 200, reply
    rest = [c["id"] for c in reply["items"]]
    assert {c["segment"] for c in reply["items"]} == {segment}
    out = cli("clients", "list", "--db", url, "--as", "m1", "--segment", segment, "--format", "jsonl").stdout
    terminal = [json.loads(line)["id"] for line in out.splitlines() if line.strip()]
    assert python == rest == terminal == [objects["m1"]["client"]]
    other = "sleeping" if segment != "sleeping" else "hot"
    assert list(e.as_user("m1").clients.find(segment=other)) == []


def test_tasks_today_is_the_same_on_every_surface(world):
    e, api, token, objects = world
    python = [i.task.id for i in e.as_user("m1").tasks.today()]
    status, reply, _ = api.call("GET", "/api/v1/tasks/today", token=token)
    assert status == 200, reply
    rest = [i["task"]["id"] for i in reply["items"]]
    out = cli("tasks", "today", "--db", e._url, "--as", "m1", "--format", "json").stdout
    terminal = [i["task"]["id"] for i in json.loads(out)["items"]]
    assert python == rest == terminal == [objects["m1"]["task"]]
    refused = cli("tasks", "today", "--db", e._url, "--as", "m1", "--user", "m2", check=False)
    assert refused.returncode == 1 and "[permission_denied]" in refused.stderr, refused.stderr


def test_exports_hold_the_callers_scope_and_the_same_bytes_on_every_surface(world, tmp_path):
    """A manager's export of any entity holds only what they may see, and REST, the CLI
    and Python write the same CSV (names, money, times)."""
    e, api, token, objects = world
    for entity in ("clients", "orders", "tasks", "deals"):
        status, rest_csv, headers = api.call("GET", f"/api/v1/exports/{entity}?format=csv", token=token)
        assert status == 200, rest_csv
        terminal = cli("export", entity, "--db", e._url, "--as", "m1", "--format", "csv").stdout
        path = tmp_path / f"{entity}.csv"
        assert e.as_user("m1").export(entity, path) >= 1
        python = path.read_text(encoding="utf-8")
        # CRLF line ends on the wire; text-mode reads of the file and the pipe see \n.
        assert "\r\n" in rest_csv and rest_csv.replace("\r\n", "\n") == terminal, entity
        assert python == terminal, entity
        ids = [int(line.split(",")[0]) for line in python.splitlines()[1:]]
        visible = [r.id for r in getattr(e.as_user("m1"), entity).find()]
        mine = {"clients": "client", "orders": "order", "tasks": "task", "deals": "deal"}[entity]
        theirs = {"clients": "client", "orders": "order", "tasks": "task", "deals": "deal"}[entity]
        assert ids == visible and objects["m1"][mine] in ids, f"{entity}: m1 exports what they see"
        assert objects["m2"][theirs] not in ids, f"{entity}: nothing of m2's"
    everything = cli("export", "orders", "--db", e._url, "--format", "jsonl").stdout.splitlines()
    assert len(everything) == 2, "the operator exports every order"
    status, refused, _ = api.call("GET", "/api/v1/exports/events", token=token)
    assert status == 403 and refused["error"]["code"] == "permission_denied"
    with pytest.raises(salescore.AccessDenied):
        e.as_user("m1").export("events", tmp_path / "events.jsonl", "jsonl")
    frame = e.as_user("m1").deals.to_pandas()
    assert frame["id"].tolist() == [objects["m1"]["deal"]]


@pytest.mark.parametrize("entity", [name for name in salescore.EXPORTS if name != "events"])
def test_every_export_is_the_same_on_every_surface(world, tmp_path, entity):
    """REST (streamed), the CLI and Python write the same CSV of every entity, in the
    caller's scope; the collection's to_pandas() has the same rows."""
    e, api, token, objects = world
    m1 = e.as_user("m1")
    if entity == "market" and not list(m1.market.find()):
        m1.market.add(kind="competitor_price", competitor="Конкурент", product_group="Чай",
                      price="95.00", client_id=objects["m1"]["client"])
    status, rest_csv, headers = api.call("GET", f"/api/v1/exports/{entity}?format=csv", token=token)
    assert status == 200 and headers["Content-Type"].startswith("text/csv"), rest_csv
    terminal = cli("export", entity, "--db", e._url, "--as", "m1", "--format", "csv").stdout
    path = tmp_path / f"{entity}.csv"
    rows = m1.export(entity, path)
    assert rest_csv.replace("\r\n", "\n") == terminal == path.read_text(encoding="utf-8"), entity
    assert len(terminal.splitlines()) == rows + 1
    collection = getattr(m1, entity, None)
    if collection is not None and hasattr(collection, "to_pandas"):
        assert len(collection.to_pandas()) == rows, entity


def test_aging_buckets_have_one_set_of_names_on_every_surface(world):
    """docs/api.md "One vocabulary": 0-30, 31-60, 61-90, 90+ in Python and over REST."""
    e, api, token, objects = world
    order = objects["m1"]["order"]
    try:
        e.payments.schedule(order)
    except salescore.NotFound:
        e.payments.set_schedule(order, [{"due_at": datetime.now(timezone.utc) + timedelta(days=5),
                                         "amount": "100.00"}])
    python = {line.key: {k: str(v) for k, v in line.aging.items()}
              for line in e.as_user("m1").payments.receivables()}
    status, reply, _ = api.call("GET", "/api/v1/receivables?by=client", token=token)
    assert status == 200, reply
    rest = {line["key"]: line["aging"] for line in reply["items"]}
    assert python == rest and objects["m1"]["client"] in rest
    assert list(rest[objects["m1"]["client"]]) == ["0-30", "31-60", "61-90", "90+"]


def test_an_export_reply_is_paged_with_a_cursor(world):
    e, api, _, objects = world
    status, _, _ = api.call("GET", "/api/v1/exports/clients?format=jsonl&limit=1")
    assert status == 401, "a token is needed like anywhere else"
    director = cli("token", "create", "--db", e._url, "--user", "dir", "--name", "export").stdout.strip()
    status, first, headers = api.call("GET", "/api/v1/exports/clients?format=jsonl&limit=1", token=director)
    assert status == 200 and first["id"] == objects["m1"]["client"]
    assert headers["X-Next-After"] == str(objects["m1"]["client"])
    status, second, headers = api.call("GET", f"/api/v1/exports/clients?format=jsonl&after={headers['X-Next-After']}",
                                       token=director)
    assert status == 200 and second["id"] == objects["m2"]["client"] and headers.get("X-Next-After") is None
    status, bad, _ = api.call("GET", "/api/v1/exports/clients?format=xml", token=director)
    assert status == 400 and "format" in bad["error"]["fields"]


def test_approvals_waiting_for_a_head_are_the_same_on_every_surface(world):
    e, api, _, objects = world
    asked = e.as_user("m1").approvals.request_deal_discount(objects["m1"]["deal"], "15.00", "крупный заказ")
    python = [a.id for a in e.as_user("head1").approvals.waiting()]
    assert asked.id in python and python == [a.id for a in e.approvals.waiting("head1")]
    head = cli("token", "create", "--db", e._url, "--user", "head1", "--name", "waiting").stdout.strip()
    status, reply, _ = api.call("GET", "/api/v1/approvals/waiting", token=head)
    assert status == 200 and [a["id"] for a in reply["items"]] == python
    out = cli("approvals", "waiting", "--db", e._url, "--as", "head1").stdout
    assert [int(line.split()[0].lstrip("#")) for line in out.splitlines()] == python
    assert e.as_user("head2").approvals.waiting() == [], "another department's head is not asked"
