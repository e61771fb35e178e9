"""The OpenAPI document (/api/v1/openapi.json) against the running server: every route of
the table is called for real on a demo company, and each request body sent and each
reply received must match the document (python3-jsonschema), so a client generated from
the document works. A route without a description (a bare field name, no reply schema)
fails here naming it: describe it in its routes_*.cpp (server/api/api_fields.h says how).

The document itself is checked too: OpenAPI 3.0 structure, every $ref resolves, every
schema is a valid JSON Schema and every example matches its own schema.
"""

from __future__ import annotations

import copy
import sqlite3
import subprocess
from datetime import date, datetime
from typing import Any, Callable
from urllib.parse import parse_qsl, urlsplit

import pytest

jsonschema = pytest.importorskip("jsonschema", reason="python3-jsonschema is not installed (run.sh PACKAGES)")

import salescore
from test_api import SALESCORE_BIN, Api, cli, start_server, stop_server
from test_api_access import LINE, MATRIX, Row, build_world

pytestmark = pytest.mark.skipif(not SALESCORE_BIN, reason="SALESCORE_BIN does not name the salescore executable")

PASSWORD = "openapi-pass-1"
SHOP_LETTER = ("INSERT INTO dead_letters (connector, direction, kind, source, external_id, idempotency_key, payload, "
               "code, reason, attempts, failed_at) VALUES ('shop', 'inbound', 'client', 'shop', ?, ?, ?, "
               "'not_found', 'no manager with login ivanov', 1, 0)")

# Requests for the routes the access matrix exempts (no client-scoped object): the world
# key whose id fills {id}, the query string, and the body (a function of world and users).
Body = Callable[[dict, dict], dict]
EXTRA: dict[tuple[str, str], tuple[str | None, str, Body | None]] = {
    ("GET", "/healthz"): (None, "", None),
    ("GET", "/metrics"): (None, "", None),
    ("GET", "/api/v1/openapi.json"): (None, "", None),
    ("GET", "/api/v1/events"): (None, "?after=0&limit=20", None),
    ("GET", "/api/v1/changes"): (None, "?after=0", None),
    ("GET", "/api/v1/clients"): (None, "?limit=20", None),
    ("GET", "/api/v1/contacts"): (None, "?client_id={clients}", None),
    ("GET", "/api/v1/products"): (None, "?limit=20", None),
    ("POST", "/api/v1/products"): (None, "", lambda w, u: {
        "sku": f"OA-{w['owner']}", "name": "Краска", "unit": "шт", "stock": "2.5", "active": True, "group": "Краски",
        "prices": {"wholesale": {"amount": "120.00", "currency": "RUB"}}, "properties": {"color": "white"}}),
    ("GET", "/api/v1/products/{id}"): ("products", "", None),
    ("PATCH", "/api/v1/products/{id}"): ("products", "", lambda w, u: {"name": "Краска (изм.)", "stock": 3}),
    ("GET", "/api/v1/deals"): (None, "?limit=20", None),
    ("GET", "/api/v1/orders"): (None, "?limit=20", None),
    ("GET", "/api/v1/payments"): (None, "?limit=20", None),
    ("GET", "/api/v1/shipments"): (None, "?limit=20", None),
    ("GET", "/api/v1/claims"): (None, "?limit=20", None),
    ("GET", "/api/v1/interactions"): (None, "?limit=20", None),
    ("GET", "/api/v1/tasks"): (None, "?limit=20", None),
    ("GET", "/api/v1/leads"): (None, "?limit=20", None),
    ("POST", "/api/v1/leads"): (None, "", lambda w, u: {
        "channel": "web", "contact_name": "Сергей", "phone": "+79161234567", "request": "краска 10 л", "concrete": True}),
    ("GET", "/api/v1/proposals"): (None, "?limit=20", None),
    ("GET", "/api/v1/approvals"): (None, "?limit=20", None),
    ("GET", "/api/v1/contracts"): (None, "?limit=20", None),
    ("GET", "/api/v1/visits"): (None, "?limit=20", None),
    ("GET", "/api/v1/route-plan"): (None, "?rep_id={owner}", None),
    ("GET", "/api/v1/today"): (None, "?user_id={owner}", None),
    ("GET", "/api/v1/users"): (None, "", None),
    ("POST", "/api/v1/users"): (None, "", lambda w, u: {"login": f"oa.new{w['owner']}", "name": "Новый Сотрудник",
                                                        "role": "manager", "head_id": u["head"]}),
    ("GET", "/api/v1/users/{id}"): ("owner", "", None),
    ("GET", "/api/v1/absences"): (None, "?include_cancelled=true", None),
    ("POST", "/api/v1/absences"): (None, "", lambda w, u: {
        "user_id": w["owner"], "deputy_id": u["deputy"], "starts_at": "2030-03-01T00:00:00+03:00",
        "ends_at": "2030-03-10T00:00:00+03:00", "reason": "leave", "note": "отпуск"}),
    ("GET", "/api/v1/absences/{id}"): ("absences", "", None),
    ("POST", "/api/v1/absences/{id}/cancel"): ("absences", "", lambda w, u: {}),
    ("GET", "/api/v1/kpi"): (None, "?period=2026-11", None),
    ("GET", "/api/v1/reports"): (None, "?kind=monthly&date=2026-11-30", None),
    ("GET", "/api/v1/plans"): (None, "?user={owner}&month=2026-12", None),
    ("POST", "/api/v1/plans"): (None, "", lambda w, u: {"user_id": w["owner"], "month": "2026-12",
                                                        "amount": "1500000.00", "currency": "RUB"}),
    ("GET", "/api/v1/receivables"): (None, "?by=manager", None),
    ("GET", "/api/v1/market-report"): (None, "?period=2026-11&by=competitor", None),
    ("GET", "/api/v1/routes"): (None, "?rep={owner}&weekday=1", None),
    ("POST", "/api/v1/routes"): (None, "", lambda w, u: {"rep_id": w["owner"], "weekday": 1,
                                                         "outlet_ids": [w["clients"]]}),
    ("GET", "/api/v1/must-have"): (None, "?channel=supermarket", None),
    ("POST", "/api/v1/must-have"): (None, "", lambda w, u: {"channel": "supermarket", "skus": ["SUGAR-50"]}),
    ("POST", "/api/v1/login"): (None, "", lambda w, u: {"login": "oa.director", "password": PASSWORD}),
    ("POST", "/api/v1/logout"): (None, "", lambda w, u: {}),
    ("GET", "/api/v1/session"): (None, "", None),
    ("POST", "/api/v1/session/language"): (None, "", lambda w, u: {"language": "en"}),
    ("POST", "/api/v1/users/{id}/password"): ("owner", "", lambda w, u: {"password": "another-pass-2"}),
    ("POST", "/api/v1/users/{id}/deactivate"): ("owner", "", lambda w, u: {}),
    ("POST", "/api/v1/users/{id}/activate"): ("owner", "", lambda w, u: {}),
    ("GET", "/api/v1/dead-letters"): (None, "?all=true", None),
    ("GET", "/api/v1/dead-letters/{id}"): ("letters", "", None),
    ("POST", "/api/v1/dead-letters/{id}/replay"): ("letters", "", lambda w, u: {}),
}

# Routes that answer an error on the demo company, and why: their error body is still
# checked against the document, their success reply is not reached here.
REFUSED = {
    ("POST", "/api/v1/calls"): "click-to-call needs the telephony connector configured (tests/python/test_telephony*)",
}

# What a route's world needs first for the request to succeed (a world per route).
PREPARE: dict[tuple[str, str], Callable[[Any, dict], Any]] = {
    ("POST", "/api/v1/contracts/{id}/request-approval"):
        lambda e, w: e.contracts.update(w["contracts"], risk_note="штрафы выше обычных",
                                     special_terms="отсрочка 90 дней", deferral_days=90),
    ("POST", "/api/v1/emails"): lambda e, w: e.clients.update(w["clients"], emails=["buyer@example.ru"]),
    ("POST", "/api/v1/proposals/{id}/request-approval"):
        lambda e, w: e.proposals.update(w["proposals"], kind="individual"),
    ("POST", "/api/v1/proposals/{id}/received"): lambda e, w: e.proposals.send(w["proposals"]),
    ("POST", "/api/v1/proposals/{id}/accept"): lambda e, w: e.proposals.send(w["proposals"]),
    ("POST", "/api/v1/proposals/{id}/decline"): lambda e, w: e.proposals.send(w["proposals"]),
}

# Routes called by the world's manager, not the director: asking for an approval the
# director's own authority covers is refused.
AS_OWNER = {("POST", "/api/v1/contracts/{id}/request-approval"), ("POST", "/api/v1/proposals/{id}/request-approval")}

# The server's configuration: a document a person may vouch for at the first stage.
CONFIG = """
[pipeline]
attestable.new = specification
"""

# Bodies beyond the access matrix's, so that more described fields are sent for real.
RICHER: dict[tuple[str, str], Body] = {
    ("POST", "/api/v1/clients"): lambda w, u: {
        "name": "ООО «Ромашка»", "legal_form": "ООО", "inn": "7707083893", "phones": ["+74951234567"],
        "emails": ["zakupki@romashka.ru"], "addresses": [{"kind": "delivery", "text": "Москва, ул. Ленина, 1"}],
        "tier": "vip", "owner_id": w["owner"], "notes": "через сайт", "custom": {}},
    ("POST", "/api/v1/deals"): lambda w, u: {
        "client_id": w["clients"], "title": "Поставка", "expected_amount": "150000.00", "currency": "RUB",
        "expected_close": "2030-01-31T18:00:00+03:00", "owner_id": w["owner"]},
    ("POST", "/api/v1/orders"): lambda w, u: {
        "client_id": w["clients"], "owner_id": w["owner"], "number": f"OA-{w['owner']}", "status": "new",
        "ordered_at": "2026-11-30T10:00:00Z", "lines": [{"sku": "A-1", "quantity": "2", "price": "10.00",
                                                       "discount": "1.00"}]},
    ("POST", "/api/v1/deals/{id}/advance"): lambda w, u: {"stage": "qualified", "expected_amount": "1000.00",
                                                           "currency": "RUB"},
    ("POST", "/api/v1/shipments"): lambda w, u: {"order_id": w["orders"], "planned_at": "2030-02-01T12:00:00+03:00",
                                                 "notes": "до обеда"},
    ("POST", "/api/v1/tasks"): lambda w, u: {"title": "Позвонить", "client_id": w["clients"],
                                             "due_at": "2030-01-10T09:00:00+03:00", "assignee_id": w["owner"]},
    ("POST", "/api/v1/interactions"): lambda w, u: {
        "kind": "call", "direction": "outbound", "client_id": w["clients"], "duration_s": 120,
        "occurred_at": "2026-11-30T10:00:00+03:00", "subject": "Счёт", "body": "договорились"},
    ("POST", "/api/v1/payments"): lambda w, u: {"order_id": w["orders"], "amount": "1.00", "currency": "RUB",
                                                "received_at": "2026-11-30T10:00:00Z", "reference": "п/п 1"},
    ("POST", "/api/v1/emails"): lambda w, u: {
        "client_id": w["clients"], "to": ["buyer@example.ru"], "cc": [], "subject": "Счёт", "text": "Во вложении",
        "html": "<p>Во вложении</p>", "in_reply_to": "offer-1@example.com", "references": ["offer-1@example.com"],
        "attachments": [{"name": "Счёт.pdf", "content_type": "application/pdf", "base64": "JVBERi0xLjQ="}],
        "key": f"openapi-{w['owner']}"},
}


def to_json_schema(node: Any) -> Any:
    """OpenAPI 3.0's schema dialect as plain JSON Schema: `nullable: true` becomes "or
    null"; `example` is dropped (jsonschema would ignore it anyway)."""
    if isinstance(node, list):
        return [to_json_schema(x) for x in node]
    if not isinstance(node, dict):
        return node
    out = {k: to_json_schema(v) for k, v in node.items() if k not in ("nullable", "example")}
    if node.get("nullable") is True:
        if "enum" in out:
            out["enum"] = [*out["enum"], None]
        return {"anyOf": [out, {"type": "null"}]}
    return out


FORMATS = jsonschema.FormatChecker()


@FORMATS.checks("date-time", raises=ValueError)
def _date_time(value: object) -> bool:
    """ISO 8601 with a time and an offset, as the API promises."""
    if not isinstance(value, str):
        return True
    parsed = datetime.fromisoformat(value)
    return "T" in value and parsed.tzinfo is not None


@FORMATS.checks("date", raises=ValueError)
def _date(value: object) -> bool:
    return not isinstance(value, str) or bool(date.fromisoformat(value))


class Document:
    """The document, with JSON Schema validators for its parts."""

    def __init__(self, doc: dict):
        self.raw = doc
        self.converted = to_json_schema(doc)
        self.resolver = jsonschema.RefResolver.from_schema(self.converted)

    def errors(self, schema: dict, instance: Any) -> list[str]:
        validator = jsonschema.Draft7Validator(to_json_schema(schema), resolver=self.resolver,
                                               format_checker=FORMATS)
        return [f"{'/'.join(map(str, e.absolute_path)) or '(body)'}: {e.message}"
                for e in validator.iter_errors(instance)][:8]

    def operation(self, method: str, path: str) -> dict:
        return self.raw["paths"][path][method.lower()]

    def resolve(self, ref: str) -> Any:
        node: Any = self.raw
        for part in ref.removeprefix("#/").split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return node


def undescribed(doc: Document, method: str, path: str) -> list[str]:
    """What the route's description lacks: fields without a type, a reply without a schema."""
    op = doc.operation(method, path)
    problems = []
    body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
    for name, schema in body.get("properties", {}).items():
        if not schema:
            problems.append(f"request field {name!r} has no description")
    for param in op["parameters"]:
        if param["in"] == "query" and "description" not in param["schema"]:
            problems.append(f"query parameter {param['name']!r} has no description (server/api/api_query.h)")
    ok = [code for code in op["responses"] if code.startswith("2")]
    if not ok:
        problems.append("no success reply")
    for code in ok:
        for media, content in op["responses"][code].get("content", {}).items():
            if not content.get("schema"):
                problems.append(f"reply {code} {media} has no schema")
    return problems


def typed(schema: dict, value: str) -> Any:
    """A query parameter's text as the JSON value its schema describes (integers and
    booleans), so it can be validated like a body field; text the schema does not take
    stays text and fails."""
    kind = schema.get("type")
    if kind == "integer":
        try:
            return int(value)
        except ValueError:
            return value
    if kind == "boolean":
        return {"true": True, "false": False}.get(value, value)
    return value


def query_errors(doc: Document, op: dict, concrete: str) -> list[str]:
    """The query string of a request against the operation's query parameters."""
    params = {p["name"]: p["schema"] for p in op["parameters"] if p["in"] == "query"}
    errors = []
    for name, value in parse_qsl(urlsplit(concrete).query, keep_blank_values=True):
        if name not in params:
            errors.append(f"?{name}= is not in the document")
            continue
        errors += [f"?{name}={value}: {e}" for e in doc.errors(params[name], typed(params[name], value))]
    return errors


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A demo company, one world of records per route that writes (so no route's change
    spoils another's request), a director's token; the server on it."""
    path = tmp_path_factory.mktemp("openapi") / "crm.db"
    url = f"sqlite:{path}"
    cli("demo", "--db", url, "--clients", "40", "--orders", "150", "--seed", "3", "--today", "2026-11-30")
    writes = [key for key in MATRIX if key[0] != "GET"]
    with salescore.open(url) as e:
        director = e.users.add(login="oa.director", name="Директор", role="director")
        head = e.users.add(login="oa.head", name="Руководитель", role="head")
        deputy = e.users.add(login="oa.deputy", name="Заместитель", role="manager", head_id=head.id)
        e.users.add(login="shop", name="Интернет-магазин", role="integration")
        e.products.add(sku="A-1", name="Краска", prices={"wholesale": "10.00"})
        users = {"head": head.id, "deputy": deputy.id, "director": director.id}
        worlds: dict[Any, dict] = {}
        for n, key in enumerate(["reads", *writes]):
            owner = e.users.add(login=f"oa.m{n}", name=f"Менеджер {n}", role="manager", head_id=head.id)
            world = build_world(e, owner)
            world["products"] = e.products.add(sku=f"OA-P{n}", name="Товар").id
            world["absences"] = e.absences.add(user_id=owner.id, deputy_id=deputy.id,
                                               starts_at="2030-02-01T00:00:00Z", ends_at="2030-02-05T00:00:00Z").id
            world["login"] = owner.login
            worlds[key] = world
            if key in PREPARE:
                PREPARE[key](e, world)
    with sqlite3.connect(path) as db:
        for key, world in worlds.items():
            world["letters"] = db.execute(SHOP_LETTER, (f"c-{world['owner']}", f"k-{world['owner']}",
                                                        '{"name": "Клиент из магазина"}')).lastrowid
    subprocess.run([SALESCORE_BIN, "user", "passwd", "oa.director", "--db", url], input=PASSWORD + "\n",
                   capture_output=True, text=True, check=True, timeout=60)
    token = cli("token", "create", "--db", url, "--user", "oa.director", "--name", "openapi").stdout.strip()
    for key in AS_OWNER:
        worlds[key]["token"] = cli("token", "create", "--db", url, "--user", worlds[key]["login"],
                                   "--name", "openapi").stdout.strip()
    config = path.parent / "salescore.ini"
    config.write_text(CONFIG, encoding="utf-8")
    base, proc = start_server(url, "--rate-limit", "0", "--config", str(config))
    api = Api(base)
    status, raw, _ = api.call("GET", "/api/v1/openapi.json")
    assert status == 200, raw
    yield api, Document(raw), worlds, users, token
    stop_server(proc)


def request_for(method: str, path: str, world: dict, users: dict) -> tuple[str, dict | None]:
    """The concrete path (with its query) and the body for one route."""
    row = MATRIX[(method, path)]
    ids, query, body_of = None, "", None
    if isinstance(row, Row):
        ids, body_of = row.ids, row.bodies[0]
    if (method, path) in EXTRA:
        ids, query, body_of = EXTRA[(method, path)]
    body_of = RICHER.get((method, path), body_of)
    concrete = path.replace("{id}", str(world[ids])) if ids else path
    concrete += query.format(**world)
    body = None if method == "GET" else (body_of(world, users) if body_of else {})
    return concrete, body


ROUTES = sorted(MATRIX)


def test_the_document_is_openapi_3_and_every_ref_resolves(served):
    _, doc, _, _, _ = served
    raw = doc.raw
    assert raw["openapi"].startswith("3.0.") and raw["info"]["title"] and raw["info"]["version"]
    operation_ids = set()
    for path, ops in raw["paths"].items():
        assert path.startswith("/"), path
        for method, op in ops.items():
            assert method in ("get", "post", "patch", "put", "delete"), (path, method)
            assert op["summary"] and op["responses"], (path, method)
            assert op["operationId"] not in operation_ids, op["operationId"]
            operation_ids.add(op["operationId"])
            declared = {p["name"] for p in op["parameters"] if p["in"] == "path"}
            assert declared == {"id"} if "{id}" in path else not declared, (path, method, declared)
            for p in op["parameters"]:
                assert p["in"] in ("path", "query", "header") and "schema" in p, (path, method, p)
            assert "default" in op["responses"], (path, method)

    refs: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "$ref" in node:
                refs.append(node["$ref"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(raw)
    assert refs
    for ref in refs:
        assert ref.startswith("#/"), ref
        doc.resolve(ref)  # KeyError names the missing part


def test_every_schema_is_json_schema_and_every_example_matches_it(served):
    _, doc, _, _, _ = served
    bad = []

    def examples(node: Any, where: str) -> None:
        if isinstance(node, dict):
            if "example" in node and "type" in node or "example" in node and "oneOf" in node:
                errors = doc.errors({k: v for k, v in node.items() if k != "example"}, node["example"])
                bad.extend(f"{where}: example {e}" for e in errors)
            for k, v in node.items():
                examples(v, f"{where}/{k}")
        elif isinstance(node, list):
            for i, v in enumerate(node):
                examples(v, f"{where}/{i}")

    def enums(node: Any, where: str) -> None:
        if isinstance(node, dict):
            if "enum" in node and not node["enum"]:
                bad.append(f"{where}: an empty enum (choices_of could not read the parser's values)")
            for k, v in node.items():
                enums(v, f"{where}/{k}")
        elif isinstance(node, list):
            for i, v in enumerate(node):
                enums(v, f"{where}/{i}")

    enums(doc.raw, "#")
    for name, schema in doc.raw["components"]["schemas"].items():
        jsonschema.Draft7Validator.check_schema(to_json_schema(schema))
        examples(schema, name)
    for path, ops in doc.raw["paths"].items():
        for method, op in ops.items():
            examples(op, f"{method.upper()} {path}")
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("method, path", ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
def test_the_route_is_described_and_its_request_and_reply_match(served, method, path):
    api, doc, worlds, users, token = served
    assert path in doc.raw["paths"] and method.lower() in doc.raw["paths"][path], f"{method} {path} is not served"
    problems = undescribed(doc, method, path)
    assert not problems, f"{method} {path} is not described (server/api/api_fields.h): {problems}"

    op = doc.operation(method, path)
    world = worlds["reads"] if method == "GET" else worlds[(method, path)]
    concrete, body = request_for(method, path, world, users)
    if body is not None:
        schema = op["requestBody"]["content"]["application/json"]["schema"]
        errors = doc.errors(schema, body)
        assert not errors, f"{method} {path}: the test's request does not match the document: {errors}"

    errors = query_errors(doc, op, concrete)
    assert not errors, f"{method} {concrete}: the test's query does not match the document: {errors}"

    status, reply, headers = api.call(method, concrete, token=world.get("token", token), body=body)
    code = str(status)
    documented = op["responses"].get(code) or op["responses"]["default"]
    if "$ref" in documented:
        documented = doc.resolve(documented["$ref"])
    media = headers.get("Content-Type", "").split(";")[0]
    content = documented.get("content", {})
    assert media in content, f"{method} {concrete} answered {status} {media}, the document says {list(content)}"
    if media == "application/json":
        errors = doc.errors(content[media]["schema"], reply)
        assert not errors, f"{method} {concrete} answered {status} not as documented: {errors}\n{reply}"
    if (method, path) in REFUSED:
        assert status >= 400, f"{method} {path} now succeeds: take it off REFUSED"
    else:
        assert 200 <= status < 300, f"{method} {concrete} {body} answered {status}: {reply}"
        assert code in op["responses"], f"{method} {path} answered {status}, the document says {list(op['responses'])}"


def test_a_wrong_body_is_refused_as_documented(served):
    """The document's promise for bad input: 400 with the Error body naming each field."""
    api, doc, worlds, _, token = served
    body = {"name": 42, "tier": "gold", "phones": "+7495", "owner_id": "x", "colour": "red"}
    status, reply, _ = api.call("POST", "/api/v1/clients", token=token, body=body)
    assert status == 400, reply
    assert not doc.errors({"$ref": "#/components/schemas/Error"}, reply)
    assert set(reply["error"]["fields"]) == {"name", "tier", "phones", "owner_id", "colour"}, reply
    # ...and the document refuses the same body.
    schema = doc.operation("POST", "/api/v1/clients")["requestBody"]["content"]["application/json"]["schema"]
    assert len(doc.errors(schema, body)) == 5


def test_every_documented_route_is_in_the_table_of_this_test(served):
    _, doc, _, _, _ = served
    documented = {(m.upper(), p) for p, ops in doc.raw["paths"].items() for m in ops}
    assert documented == set(MATRIX), sorted(documented ^ set(MATRIX))


def test_query_parameters_are_typed_as_the_server_reads_them(served):
    """Ids and counts are integers, states enums, moments date-times: the document says
    what the server checks, and a value the document refuses the server refuses too,
    with 400 naming the parameter."""
    api, doc, _, _, token = served
    orders = {p["name"]: p["schema"] for p in doc.operation("GET", "/api/v1/orders")["parameters"]}
    assert orders["client_id"]["type"] == "integer" and orders["from"]["format"] == "date-time"
    assert "cancelled" in orders["status"]["enum"]
    route = {p["name"]: p for p in doc.operation("GET", "/api/v1/routes")["parameters"]}
    assert route["weekday"]["schema"]["type"] == "integer" and route["weekday"]["required"]
    export = {p["name"]: p["schema"] for p in doc.operation("GET", "/api/v1/exports/orders")["parameters"]}
    assert export["format"]["enum"] == ["csv", "jsonl"] or sorted(export["format"]["enum"]) == ["csv", "jsonl"]
    for path, name, value in [("/api/v1/orders", "status", "lost"), ("/api/v1/orders", "client_id", "x"),
                              ("/api/v1/orders/count", "from", "yesterday"), ("/api/v1/routes", "weekday", "x"),
                              ("/api/v1/exports/orders", "format", "xml"), ("/api/v1/events", "wait", "soon"),
                              ("/api/v1/visits", "open", "yes")]:
        op = doc.operation("GET", path)
        assert query_errors(doc, op, f"{path}?{name}={value}"), (path, name, "the document takes it")
        status, reply, _ = api.call("GET", f"{path}?{name}={value}", token=token)
        assert status == 400 and name in reply["error"]["fields"], (path, name, reply)
    # A range the document gives in words ("1 Monday .. 7 Sunday"): the server holds it.
    status, reply, _ = api.call("GET", "/api/v1/routes?weekday=9", token=token)
    assert status == 400 and "weekday" in reply["error"]["fields"], reply


def test_integer_ranges_are_in_the_document_and_held_by_the_server(served):
    """minimum/maximum come from the same description the readers check with: a value
    the document's range refuses is a 400 naming it, the edges are taken."""
    api, doc, _, _, token = served

    def query(method, path):
        return {p["name"]: p["schema"] for p in doc.operation(method, path)["parameters"]}

    weekday = query("GET", "/api/v1/routes")["weekday"]
    assert (weekday["minimum"], weekday["maximum"]) == (1, 7)
    for path in ("/api/v1/events", "/api/v1/changes"):
        wait = query("GET", path)["wait"]
        assert (wait["minimum"], wait["maximum"]) == (0, 20), path
    assert query("GET", "/api/v1/exports/clients")["limit"]["minimum"] == 1
    body = doc.operation("POST", "/api/v1/routes")["requestBody"]["content"]["application/json"]["schema"]
    assert (body["properties"]["weekday"]["minimum"], body["properties"]["weekday"]["maximum"]) == (1, 7)
    interaction = doc.raw["components"]["schemas"]["Interaction"]["properties"]["duration_s"]
    assert (interaction["minimum"], interaction["maximum"]) == (0, 7 * 24 * 3600)
    for path, name, bad in [("/api/v1/routes", "weekday", 0), ("/api/v1/routes", "weekday", 8),
                            ("/api/v1/changes", "wait", 21), ("/api/v1/events", "wait", -1),
                            ("/api/v1/exports/clients", "limit", 0)]:
        op = doc.operation("GET", path)
        concrete = f"{path}?{name}={bad}"
        assert query_errors(doc, op, concrete), (concrete, "the document takes it")
        status, reply, _ = api.call("GET", concrete, token=token)
        assert status == 400 and name in reply["error"]["fields"], (concrete, reply)
    for concrete in ("/api/v1/routes?weekday=7", "/api/v1/changes?after=0&wait=0"):
        status, reply, _ = api.call("GET", concrete, token=token)
        assert status == 200, (concrete, reply)
    # A body's integer out of its range: 400 naming it, as the document's schema says.
    route = {"weekday": 8, "outlet_ids": []}
    assert doc.errors(body, route)
    status, reply, _ = api.call("POST", "/api/v1/routes", token=token, body=route)
    assert status == 400 and "weekday" in reply["error"]["fields"], reply
