"""The access matrix over REST: every route of /api/v1, as the OpenAPI document lists it,
is either run by a manager against a colleague's object (and must be refused with 403,
audited) and against their own (and must not be), or exempt with the reason why.

A route added to the API without a row here fails test_every_route_has_a_row, so no
route can skip the check. Adding a route that touches a client-scoped object is one
row of MATRIX: the collection whose id fills {id}, and the body that points at the
object (a function of the world, "mine" or "foreign").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import pytest

import salescore
from test_api import SALESCORE_BIN, Api, cli, start_server, stop_server

pytestmark = pytest.mark.skipif(not SALESCORE_BIN, reason="SALESCORE_BIN does not name the salescore executable")


@dataclass
class Row:
    """A route checked against m1's ("mine") and m2's ("foreign") objects.

    ids: the collection of the world whose id fills {id} (None: the path has none).
    bodies: request bodies, each a function of (world, users); every one is sent, and
      each must be refused on the foreign world.
    own_allowed: False for routes where a manager may not act on their own objects
      either (deciding an approval takes the authority, not the ownership).
    """
    ids: str | None = None
    bodies: list[Callable[[dict, dict], dict]] = field(default_factory=lambda: [lambda w, u: {}])
    own_allowed: bool = True


@dataclass
class Exempt:
    """A route with no client-scoped object to refuse, and where its rule is tested."""
    why: str


LINE = [{"sku": "A-1", "quantity": "1", "price": "10.00"}]
LIST = Exempt("a list: it leaves out what the caller may not see (test_api.test_lists_hold_only_what_the_role_sees)")
PEOPLE = Exempt("people, not client records: users and absences follow their own rules (AccessTest, AbsenceTest)")
FIGURES = Exempt("figures per person or team: test_api.test_kpis_and_reports_follow_the_same_access_as_the_records")
OPERATORS = Exempt("for directors and admins only: test_api.test_dead_letters_are_listed_and_replayed_by_...")
CATALOG = Exempt("the catalog is everyone's to read and the heads' to keep (AccessTest.TheCatalogIsKept...)")
SESSION = Exempt("the caller's own session, no record: test_login.py")
OPEN = Exempt("no record: open to everyone, or to those who see everything (the event log)")

# The collections with GET /api/v1/NAME/count (the engine's count with the list's filters).
COUNTED = ("clients", "products", "deals", "orders", "interactions", "tasks", "absences", "leads", "proposals",
           "approvals", "contracts", "shipments", "payments", "claims", "visits")

MATRIX: dict[tuple[str, str], Row | Exempt] = {
    ("GET", "/healthz"): OPEN,
    ("GET", "/metrics"): OPEN,
    ("GET", "/api/v1/openapi.json"): OPEN,
    ("GET", "/api/v1/events"): OPEN,
    # clients and contacts
    ("GET", "/api/v1/clients"): LIST,
    ("POST", "/api/v1/clients"): Row(bodies=[lambda w, u: {"name": "Ещё клиент", "owner_id": w["owner"]}]),
    ("GET", "/api/v1/clients/{id}"): Row("clients"),
    ("PATCH", "/api/v1/clients/{id}"): Row("clients", [lambda w, u: {"notes": "матрица"}]),
    ("GET", "/api/v1/clients/{id}/contacts"): Row("clients"),
    ("GET", "/api/v1/clients/{id}/segment"): Row("clients"),
    ("GET", "/api/v1/clients/{id}/channel"): Row("clients"),
    ("POST", "/api/v1/clients/{id}/channel"): Row("clients", [lambda w, u: {"channel": "kiosk"}]),
    ("GET", "/api/v1/contacts"): LIST,
    ("POST", "/api/v1/contacts"): Row(bodies=[lambda w, u: {"client_id": w["clients"], "name": "Контакт"}]),
    ("GET", "/api/v1/contacts/{id}"): Row("contacts"),
    ("PATCH", "/api/v1/contacts/{id}"): Row("contacts", [lambda w, u: {"role": "закупки"}]),
    ("GET", "/api/v1/products"): CATALOG,
    ("POST", "/api/v1/products"): CATALOG,
    ("GET", "/api/v1/products/{id}"): CATALOG,
    ("PATCH", "/api/v1/products/{id}"): CATALOG,
    # deals: a manager may not open one on a colleague's client, even credited to themself
    ("GET", "/api/v1/deals"): LIST,
    ("POST", "/api/v1/deals"): Row(bodies=[lambda w, u: {"client_id": w["clients"], "title": "Сделка"},
                                           lambda w, u: {"client_id": w["clients"], "title": "Сделка",
                                                         "owner_id": u["m1"]}]),
    ("GET", "/api/v1/deals/{id}"): Row("deals"),
    ("PATCH", "/api/v1/deals/{id}"): Row("deals", [lambda w, u: {"title": "Сделка (изм.)"}]),
    ("POST", "/api/v1/deals/{id}/advance"): Row("deals", [lambda w, u: {"stage": "qualification"}]),
    ("POST", "/api/v1/deals/{id}/lose"): Row("deals", [lambda w, u: {"reason": "price"}]),
    ("GET", "/api/v1/deals/{id}/stages"): Row("deals"),
    ("POST", "/api/v1/deals/{id}/documents"): Row("deals", [lambda w, u: {"document": "specification"}]),
    ("GET", "/api/v1/deals/{id}/documents"): Row("deals"),
    ("POST", "/api/v1/deals/{id}/discount"): Row("deals", [lambda w, u: {"discount_percent": "5.00",
                                                                          "reason": "объём"}]),
    # orders and what hangs on them
    ("GET", "/api/v1/orders"): LIST,
    ("POST", "/api/v1/orders"): Row(bodies=[lambda w, u: {"client_id": w["clients"], "lines": LINE},
                                            lambda w, u: {"client_id": w["clients"], "owner_id": u["m1"],
                                                          "lines": LINE}]),
    ("GET", "/api/v1/orders/{id}"): Row("orders"),
    ("PATCH", "/api/v1/orders/{id}"): Row("orders", [lambda w, u: {"number": "M-1"}]),
    ("GET", "/api/v1/payments"): LIST,
    ("POST", "/api/v1/payments"): Row(bodies=[lambda w, u: {"order_id": w["orders"], "amount": "1.00"}]),
    ("GET", "/api/v1/payments/{id}"): Row("payments"),
    ("GET", "/api/v1/orders/{id}/schedule"): Row("orders"),
    ("POST", "/api/v1/orders/{id}/schedule"): Row("orders", [lambda w, u: {"installments": [
        {"due_at": "2030-03-01T00:00:00Z", "amount": "500.00"}]}]),
    ("GET", "/api/v1/shipments"): LIST,
    ("POST", "/api/v1/shipments"): Row(bodies=[lambda w, u: {"order_id": w["orders"], "planned_at": "2030-02-01"}]),
    ("GET", "/api/v1/shipments/{id}"): Row("shipments"),
    ("PATCH", "/api/v1/shipments/{id}"): Row("shipments", [lambda w, u: {"notes": "до обеда"}]),
    ("POST", "/api/v1/shipments/{id}/ship"): Row("shipments"),
    ("POST", "/api/v1/shipments/{id}/deliver"): Row("shipments"),
    ("POST", "/api/v1/shipments/{id}/cancel"): Row("shipments"),
    ("GET", "/api/v1/shipments/{id}/lines"): Row("shipments"),
    ("POST", "/api/v1/shipments/{id}/lines"): Row("shipments", [lambda w, u: {"lines": [{"line": 1, "quantity": "2"}]},
                                                                lambda w, u: {"lines": [{"sku": "A-1", "quantity": 3}]}]),
    ("GET", "/api/v1/orders/{id}/to-ship"): Row("orders"),
    ("GET", "/api/v1/orders/{id}/contract"): Row("orders"),
    ("GET", "/api/v1/orders/{id}/refunds"): Row("orders"),
    ("POST", "/api/v1/orders/{id}/refunds"): Row("orders", [lambda w, u: {"amount": "1.00", "reference": "матрица"}]),
    ("GET", "/api/v1/claims"): LIST,
    ("POST", "/api/v1/claims"): Row(bodies=[lambda w, u: {"order_id": w["orders"], "kind": "quality",
                                                          "description": "брак"}]),
    ("GET", "/api/v1/claims/causes"): LIST,
    ("GET", "/api/v1/claims/{id}"): Row("claims"),
    ("PATCH", "/api/v1/claims/{id}"): Row("claims", [lambda w, u: {"cause": "упаковка"}]),
    # activity: a task or a call on a colleague's client, deal or order
    ("POST", "/api/v1/calls"): Row(bodies=[lambda w, u: {"client_id": w["clients"]},
                                          lambda w, u: {"contact_id": w["contacts"]}]),
    ("GET", "/api/v1/interactions"): LIST,
    ("POST", "/api/v1/interactions"): Row(bodies=[lambda w, u: {"kind": "call", "client_id": w["clients"]},
                                                  lambda w, u: {"kind": "call", "contact_id": w["contacts"]}]),
    ("GET", "/api/v1/interactions/{id}"): Row("interactions"),
    ("POST", "/api/v1/emails"): Row(bodies=[lambda w, u: {"client_id": w["clients"], "subject": "Счёт",
                                                          "text": "Добрый день", "to": ["buyer@example.ru"]},
                                            lambda w, u: {"client_id": w["clients"], "text": "Счёт во вложении",
                                                          "attachments": [{"name": "Счёт.pdf",
                                                                           "content_type": "application/pdf",
                                                                           "base64": "JVBERi0xLjQ="}]}]),
    ("GET", "/api/v1/tasks"): LIST,
    ("POST", "/api/v1/tasks"): Row(bodies=[lambda w, u: {"title": "Позвонить", "client_id": w["clients"]},
                                           lambda w, u: {"title": "По сделке", "deal_id": w["deals"]},
                                           lambda w, u: {"title": "По заказу", "order_id": w["orders"]}]),
    ("GET", "/api/v1/tasks/{id}"): Row("tasks"),
    ("PATCH", "/api/v1/tasks/{id}"): Row("tasks", [lambda w, u: {"notes": "матрица"}]),
    # leads
    ("GET", "/api/v1/leads"): LIST,
    ("POST", "/api/v1/leads"): Exempt("a lead is received from anyone and assigned by the engine (docs/rules.md)"),
    ("GET", "/api/v1/leads/{id}"): Row("leads"),
    ("POST", "/api/v1/leads/{id}/touch"): Row("leads", [lambda w, u: {"kind": "call"}]),
    ("POST", "/api/v1/leads/{id}/convert"): Row("leads", [lambda w, u: {"deal_title": "Из лида"}]),
    ("POST", "/api/v1/leads/{id}/lose"): Row("leads", [lambda w, u: {"reason": "spam"}]),
    # proposals, approvals, contracts
    ("GET", "/api/v1/proposals"): LIST,
    ("POST", "/api/v1/proposals"): Row(bodies=[lambda w, u: {"client_id": w["clients"], "lines": LINE}]),
    ("GET", "/api/v1/proposals/{id}"): Row("proposals"),
    ("PATCH", "/api/v1/proposals/{id}"): Row("proposals", [lambda w, u: {"notes": "матрица"}]),
    ("POST", "/api/v1/proposals/{id}/request-approval"): Row("proposals", [lambda w, u: {"reason": "скидка"}]),
    ("POST", "/api/v1/proposals/{id}/send"): Row("proposals"),
    ("POST", "/api/v1/proposals/{id}/received"): Row("proposals"),
    ("POST", "/api/v1/proposals/{id}/accept"): Row("proposals"),
    ("POST", "/api/v1/proposals/{id}/decline"): Row("proposals", [lambda w, u: {"reason": "price"}]),
    ("GET", "/api/v1/approvals"): LIST,
    ("GET", "/api/v1/approvals/waiting"): LIST,
    ("GET", "/api/v1/approvals/{id}"): Row("approvals"),
    # A manager decides no approval, their own request included: the authority decides.
    ("POST", "/api/v1/approvals/{id}/approve"): Row("approvals", [lambda w, u: {"comment": "ок"}], own_allowed=False),
    ("POST", "/api/v1/approvals/{id}/reject"): Row("approvals", [lambda w, u: {"comment": "нет"}], own_allowed=False),
    ("GET", "/api/v1/contracts"): LIST,
    ("POST", "/api/v1/contracts"): Row(bodies=[lambda w, u: {"client_id": w["clients"], "number": "Д-М"}]),
    ("GET", "/api/v1/contracts/{id}"): Row("contracts"),
    ("PATCH", "/api/v1/contracts/{id}"): Row("contracts", [lambda w, u: {"risk_note": "матрица"}]),
    ("POST", "/api/v1/contracts/{id}/request-approval"): Row("contracts", [lambda w, u: {"reason": "условия"}]),
    ("POST", "/api/v1/contracts/{id}/sign"): Row("contracts"),
    ("POST", "/api/v1/contracts/{id}/terminate"): Row("contracts", [lambda w, u: {"reason": "конец"}]),
    ("POST", "/api/v1/clients/{id}/visit-approval"): Row("clients", [
        lambda w, u: {"at": "2030-01-15T10:00:00+03:00", "reason": "презентация новинок"}]),
    ("GET", "/api/v1/contracts/{id}/orders"): Row("contracts"),
    ("POST", "/api/v1/contracts/{id}/orders"): Row("contracts", [lambda w, u: {"order_ids": [w["orders"]]}]),
    # route sales: the outlet of a visit is a client like any other
    ("GET", "/api/v1/visits"): LIST,
    ("POST", "/api/v1/visits"): Row(bodies=[lambda w, u: {"outlet_id": w["clients"]}]),
    ("GET", "/api/v1/visits/{id}"): Row("visits"),
    ("POST", "/api/v1/visits/{id}/stock"): Row("visits", [lambda w, u: {"stock": {"A-1": "3"}}]),
    ("POST", "/api/v1/visits/{id}/order"): Row("visits", [lambda w, u: {"order_id": w["orders"]}]),
    ("POST", "/api/v1/visits/{id}/check-out"): Row("visits"),
    ("GET", "/api/v1/visits/{id}/suggested-order"): Row("visits"),
    ("GET", "/api/v1/route-plan"): Exempt("a rep's route lists only the outlets the reader may see (RouteService::plan)"),
    ("GET", "/api/v1/today"): Exempt("another user's tasks today are the engine's rule (TaskService::today, test_rules_api)"),
    ("GET", "/api/v1/tasks/today"): Exempt("another user's tasks today: the engine's rule, the same on every surface "
                                           "(test_parity.test_a_manager_meets_the_same_rule_in_python_and_over_rest)"),
    ("GET", "/api/v1/routes"): Exempt("a rep's route lists only the outlets the reader may see (RouteService::get)"),
    ("POST", "/api/v1/routes"): Row(bodies=[lambda w, u: {"rep_id": u["m1"], "weekday": 1,
                                                          "outlet_ids": [w["clients"]]}]),
    ("GET", "/api/v1/must-have"): CATALOG,
    ("POST", "/api/v1/must-have"): CATALOG,
    # people, figures, operators
    ("GET", "/api/v1/users"): PEOPLE,
    ("POST", "/api/v1/users"): PEOPLE,
    ("GET", "/api/v1/users/{id}"): PEOPLE,
    ("GET", "/api/v1/absences"): PEOPLE,
    ("POST", "/api/v1/absences"): PEOPLE,
    ("GET", "/api/v1/absences/{id}"): PEOPLE,
    ("POST", "/api/v1/absences/{id}/cancel"): PEOPLE,
    ("GET", "/api/v1/kpi"): FIGURES,
    ("GET", "/api/v1/reports"): FIGURES,
    # market information: filed under a client the manager works with, read like activity
    ("GET", "/api/v1/market-notes"): LIST,
    ("POST", "/api/v1/market-notes"): Row(bodies=[lambda w, u: {"kind": "customer_requirement",
                                                                "value": "доставка за сутки",
                                                                "client_id": w["clients"]}]),
    ("GET", "/api/v1/market-notes/{id}"): Row("market_notes"),
    ("GET", "/api/v1/market-report"): Exempt("a report over what the caller sees: test_market.py"),
    ("GET", "/api/v1/plans"): FIGURES,
    ("POST", "/api/v1/plans"): FIGURES,
    ("GET", "/api/v1/receivables"): FIGURES,
    # logging in: the caller's own session (test_login.py)
    ("POST", "/api/v1/login"): SESSION,
    ("POST", "/api/v1/logout"): SESSION,
    ("GET", "/api/v1/session"): SESSION,
    ("POST", "/api/v1/session/language"): SESSION,
    ("GET", "/api/v1/changes"): OPEN,
    ("POST", "/api/v1/users/{id}/password"): PEOPLE,
    ("POST", "/api/v1/users/{id}/deactivate"): PEOPLE,
    ("POST", "/api/v1/users/{id}/activate"): PEOPLE,
    **{("GET", f"/api/v1/exports/{name}"): LIST for name in salescore.EXPORTS},
    **{("GET", f"/api/v1/{name}/count"): LIST for name in COUNTED},
    ("GET", "/api/v1/dead-letters"): OPERATORS,
    ("GET", "/api/v1/dead-letters/{id}"): OPERATORS,
    ("POST", "/api/v1/dead-letters/{id}/replay"): OPERATORS,
}


def build_world(e: Any, owner: Any, visits: bool = True) -> dict[str, int]:
    """One manager's objects, each of every kind a route can take by id."""
    client = e.clients.add(name=f"Клиент {owner.login}", owner_id=owner.id)
    contact = e.contacts.add(client_id=client.id, name="Контакт")
    deal = e.deals.add(client_id=client.id, title="Сделка", owner_id=owner.id)
    order = e.orders.add(client_id=client.id, owner_id=owner.id, lines=[{"sku": "A-1", "quantity": "5",
                                                                          "price": "100.00"}])
    payment = e.payments.add(order_id=order.id, amount="10.00")
    e.payments.set_schedule(order.id, [{"due_at": "2030-02-01T00:00:00Z", "amount": "500.00"}])
    shipment = e.shipments.add(order_id=order.id, planned_at="2030-01-10")
    claim = e.claims.add(order_id=order.id, kind="quality", description="брак")
    task = e.tasks.add(title="Позвонить", assignee_id=owner.id, client_id=client.id)
    call = e.interactions.add(kind="call", user_id=owner.id, client_id=client.id)
    lead = e.leads.add(channel="web", contact_name="Лид", assignee_id=owner.id)
    proposal = e.proposals.add(client_id=client.id, lines=LINE)
    contract = e.contracts.add(client_id=client.id, number=f"Д-{owner.login}")
    approval = e.as_user(owner).approvals.request_deal_discount(deal.id, "25.00", "крупный заказ")
    visit = e.visits.check_in(owner.id, client.id)
    note = e.as_user(owner).market.add(kind="customer_requirement", value="нужна отсрочка", client_id=client.id)
    return {"owner": owner.id, "clients": client.id, "contacts": contact.id, "deals": deal.id,
            "orders": order.id, "payments": payment.id, "shipments": shipment.id, "claims": claim.id,
            "tasks": task.id, "interactions": call.id, "leads": lead.id, "proposals": proposal.id,
            "contracts": contract.id, "approvals": approval.id, "visits": visit.id,
            "market_notes": note.id}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """(Api, worlds, users, tokens): m1 and m2, managers of two departments."""
    path = tmp_path_factory.mktemp("access") / "crm.db"
    url = f"sqlite:{path}"
    with salescore.open(url) as e:
        head1 = e.users.add(login="head1", name="Руководитель 1", role="head")
        head2 = e.users.add(login="head2", name="Руководитель 2", role="head")
        m1 = e.users.add(login="m1", name="Менеджер 1", role="manager", head_id=head1.id)
        m2 = e.users.add(login="m2", name="Менеджер 2", role="manager", head_id=head2.id)
        worlds = {"mine": build_world(e, m1), "foreign": build_world(e, m2)}
        users = {"m1": m1.id, "m2": m2.id}
    token = cli("token", "create", "--db", url, "--user", "m1", "--name", "matrix").stdout.strip()
    base, proc = start_server(url)
    yield Api(base), worlds, users, token
    stop_server(proc)


def documented_routes(api: Api) -> set[tuple[str, str]]:
    status, doc, _ = api.call("GET", "/api/v1/openapi.json")
    assert status == 200
    return {(method.upper(), path) for path, ops in doc["paths"].items() for method in ops}


def test_every_route_has_a_row(served):
    api, _, _, _ = served
    served_routes = documented_routes(api)
    missing = sorted(served_routes - MATRIX.keys())
    assert not missing, f"routes without a row in MATRIX (client-scoped or Exempt with the reason): {missing}"
    gone = sorted(MATRIX.keys() - served_routes)
    assert not gone, f"rows for routes the server no longer serves: {gone}"


ROWS = [(method, path, i) for (method, path), row in MATRIX.items() if isinstance(row, Row)
        for i in range(len(row.bodies))]


def request_of(row: Row, method: str, path: str, variant: int, world: dict, users: dict):
    concrete = path.replace("{id}", str(world[row.ids])) if row.ids else path
    body = row.bodies[variant](world, users) if method != "GET" else None
    return concrete, body


@pytest.mark.parametrize("method, path, variant", ROWS, ids=[f"{m} {p} #{i}" for m, p, i in ROWS])
def test_a_manager_is_refused_a_colleagues_object_on_every_route(served, method, path, variant):
    api, worlds, users, token = served
    row = MATRIX[(method, path)]
    concrete, body = request_of(row, method, path, variant, worlds["foreign"], users)
    status, reply, _ = api.call(method, concrete, token=token, body=body)
    assert status == 403, (concrete, body, reply)
    assert reply["error"]["code"] == "permission_denied", reply


@pytest.mark.parametrize("method, path, variant", ROWS, ids=[f"{m} {p} #{i}" for m, p, i in ROWS])
def test_the_same_route_is_not_refused_on_the_managers_own_object(served, method, path, variant):
    """The other half of the cell: the refusal above is about whose object it is, not a
    route that refuses everyone. The own object may still fail on its state (a closed
    visit, a proposal already sent): anything but 403 and 404."""
    api, worlds, users, token = served
    row = MATRIX[(method, path)]
    concrete, body = request_of(row, method, path, variant, worlds["mine"], users)
    status, reply, _ = api.call(method, concrete, token=token, body=body)
    if row.own_allowed:
        assert status not in (403, 404), (concrete, body, reply)
    else:
        assert status == 403, (concrete, body, reply)
