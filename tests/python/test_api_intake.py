"""Intake over REST as a web shop's script or a site's form meets it: retried POSTs under
an Idempotency-Key, integration users that create and update the records of their own
source by `external_id`, and the possible duplicates a client's write reports.

A small company is written with the Python module; each test talks to a real
`salescore serve` through urllib (the helpers of test_api.py).
"""

from __future__ import annotations

import http.client
import json
import os
import threading
import urllib.parse

import pytest

import salescore
from test_api import Api, cli, start_server, stop_server

pytestmark = pytest.mark.skipif(not os.environ.get("SALESCORE_BIN"),
                                reason="SALESCORE_BIN does not name the salescore executable")

LINES = [{"sku": "TEA-1", "quantity": "2", "price": "150.00"}]


@pytest.fixture(scope="module")
def company(tmp_path_factory):
    """Two managers on duty, one away, a head, and the web shop's integration user."""
    path = tmp_path_factory.mktemp("intake") / "crm.db"
    url = f"sqlite:{path}"
    with salescore.open(url) as e:
        head = e.users.add(login="head", name="Руководитель", role="head")
        m1 = e.users.add(login="m1", name="Менеджер 1", role="manager", head_id=head.id)
        m2 = e.users.add(login="m2", name="Менеджер 2", role="manager", head_id=head.id)
        e.users.add(login="dir", name="Директор", role="director")
        e.users.add(login="shop", name="Интернет-магазин", role="integration")
        ids = {"m1": m1.id, "m2": m2.id, "head": head.id}
    tokens = {login: cli("token", "create", "--db", url, "--user", login, "--name", "test").stdout.strip()
              for login in ("dir", "head", "m1", "m2", "shop")}
    return url, ids, tokens


@pytest.fixture(scope="module")
def api(company):
    url, _, _ = company
    base, proc = start_server(url)
    yield Api(base)
    stop_server(proc)


def post(api, token, path, body, key=None):
    return api.call("POST", path, token=token, body=body, headers={"Idempotency-Key": key} if key else None)


def clients_named(api, token, name):
    status, body, _ = api.call("GET", "/api/v1/clients?limit=500&name_prefix=" + urllib.parse.quote(name),
                               token=token)
    assert status == 200, body
    return [c for c in body["items"] if c["name"] == name]


def last_seq(api, token):
    status, body, _ = api.call("GET", "/api/v1/events?limit=500", token=token)
    while body["items"]:
        status, body, _ = api.call("GET", f"/api/v1/events?limit=500&after={body['next']}", token=token)
    return body["next"]


# ---- Idempotency-Key ---------------------------------------------------------------


def test_a_retried_post_with_the_same_key_gets_the_first_reply_and_changes_nothing(api, company):
    _, _, tokens = company
    body = {"name": "ООО Повтор", "phones": ["+7 495 000-00-01"]}
    status, first, _ = post(api, tokens["m1"], "/api/v1/clients", body, key="retry-1")
    assert status == 201, first
    seq = last_seq(api, tokens["dir"])
    status, again, headers = post(api, tokens["m1"], "/api/v1/clients", body, key="retry-1")
    assert status == 201 and again == first
    assert headers["Idempotency-Replayed"] == "true"
    assert len(clients_named(api, tokens["m1"], "ООО Повтор")) == 1
    assert last_seq(api, tokens["dir"]) == seq, "a replayed reply writes no event"


def test_without_a_key_a_retried_post_creates_a_second_record(api, company):
    # What the key is for: the same POST twice is two orders of business.
    _, _, tokens = company
    body = {"name": "ООО Без ключа"}
    assert post(api, tokens["m1"], "/api/v1/clients", body)[0] == 201
    assert post(api, tokens["m1"], "/api/v1/clients", body)[0] == 201
    assert len(clients_named(api, tokens["m1"], "ООО Без ключа")) == 2


def test_the_same_key_with_another_body_is_422_naming_the_key(api, company):
    _, _, tokens = company
    assert post(api, tokens["m1"], "/api/v1/clients", {"name": "ООО Первый"}, key="reused-1")[0] == 201
    status, body, _ = post(api, tokens["m1"], "/api/v1/clients", {"name": "ООО Второй"}, key="reused-1")
    assert status == 422, body
    assert "Idempotency-Key" in body["error"]["fields"] and "reused-1" in body["error"]["message"]
    assert clients_named(api, tokens["m1"], "ООО Второй") == []
    # Another route under the same key is another request too.
    status, body, _ = post(api, tokens["m1"], "/api/v1/leads", {"contact_name": "ООО Первый"}, key="reused-1")
    assert status == 422 and "Idempotency-Key" in body["error"]["fields"]


def test_keys_are_per_user(api, company):
    _, ids, tokens = company
    body = {"name": "ООО Общий ключ"}
    status, mine, _ = post(api, tokens["m1"], "/api/v1/clients", body, key="shared-1")
    assert status == 201 and mine["owner_id"] == ids["m1"]
    status, theirs, headers = post(api, tokens["m2"], "/api/v1/clients", body, key="shared-1")
    assert status == 201 and theirs["owner_id"] == ids["m2"] and theirs["id"] != mine["id"]
    assert "Idempotency-Replayed" not in headers


def test_a_refused_request_keeps_no_key_and_may_be_corrected(api, company):
    _, _, tokens = company
    status, body, _ = post(api, tokens["m1"], "/api/v1/clients", {"name": ""}, key="fix-me-1")
    assert status == 400 and "name" in body["error"]["fields"]
    status, body, _ = post(api, tokens["m1"], "/api/v1/clients", {"name": "ООО Исправлено"}, key="fix-me-1")
    assert status == 201, body


def test_a_key_on_an_action_replays_it_instead_of_doing_it_twice(api, company):
    _, ids, tokens = company
    status, lead, _ = post(api, tokens["dir"], "/api/v1/leads", {"channel": "web", "contact_name": "Анна"})
    assert status == 201, lead
    status, first, _ = post(api, tokens["dir"], f"/api/v1/leads/{lead['id']}/convert", {}, key="convert-1")
    assert status == 200, first
    status, again, _ = post(api, tokens["dir"], f"/api/v1/leads/{lead['id']}/convert", {}, key="convert-1")
    assert (status, again) == (200, first)
    # Without the key the second conversion is refused: the lead is converted already (409).
    assert post(api, tokens["dir"], f"/api/v1/leads/{lead['id']}/convert", {})[0] == 409


def test_two_requests_with_the_same_key_at_once_apply_once(api, company):
    _, _, tokens = company
    body = {"name": "ООО Гонка", "emails": ["race@example.com"]}
    start = threading.Barrier(8)
    replies = []

    def send():
        start.wait()
        status, reply, _ = post(api, tokens["m1"], "/api/v1/clients", body, key="race-1")
        replies.append((status, reply))

    senders = [threading.Thread(target=send) for _ in range(8)]
    for t in senders:
        t.start()
    for t in senders:
        t.join(timeout=60)
    assert len(replies) == 8
    assert all(r == replies[0] for r in replies), replies
    assert replies[0][0] == 201
    assert len(clients_named(api, tokens["m1"], "ООО Гонка")) == 1


def test_a_key_survives_a_restart_of_the_server(company):
    url, _, tokens = company
    body = {"name": "ООО После перезапуска"}
    base, proc = start_server(url)
    try:
        status, first, _ = post(Api(base), tokens["m2"], "/api/v1/clients", body, key="restart-1")
        assert status == 201, first
    finally:
        stop_server(proc)
    base, proc = start_server(url)
    try:
        status, again, headers = post(Api(base), tokens["m2"], "/api/v1/clients", body, key="restart-1")
        assert (status, again) == (201, first)
        assert headers["Idempotency-Replayed"] == "true"
        assert len(clients_named(Api(base), tokens["m2"], "ООО После перезапуска")) == 1
    finally:
        stop_server(proc)


def raw_post(api, token, headers):
    """A POST with headers as bytes (urllib would refuse some of them)."""
    parts = urllib.parse.urlsplit(api.base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        conn.putrequest("POST", "/api/v1/clients")
        conn.putheader("Authorization", "Bearer " + token)
        conn.putheader("Content-Type", "application/json")
        for name, value in headers:
            conn.putheader(name, value)
        data = '{"name": "ООО Плохой ключ"}'.encode()
        conn.putheader("Content-Length", str(len(data)))
        conn.endheaders(data)
        response = conn.getresponse()
        return response.status, json.loads(response.read().decode())
    finally:
        conn.close()


@pytest.mark.parametrize("key", [b"", b"x" * 256, "ключ".encode(), b"tab\there", b"bell\x07"])
def test_a_malformed_or_oversized_key_is_400_naming_the_header(api, company, key):
    _, _, tokens = company
    status, body = raw_post(api, tokens["m1"], [("Idempotency-Key", key)])
    assert status == 400, body
    # A control byte is refused by the HTTP parser itself (RFC 9110 §5.5), before any
    # route: its message names the header; the other keys reach the API, whose `fields` do.
    assert "Idempotency-Key" in body["error"]["fields"] or "Idempotency-Key" in body["error"]["message"], body
    assert clients_named(api, tokens["m1"], "ООО Плохой ключ") == []


def test_the_longest_key_is_taken(api, company):
    _, _, tokens = company
    status, body = raw_post(api, tokens["m1"], [("Idempotency-Key", b"k" * 255)])
    assert status == 201, body


# ---- integration users -------------------------------------------------------------


def test_an_integration_user_creates_a_client_of_its_source_owned_by_the_assignment_rule(api, company):
    _, ids, tokens = company
    status, client, _ = post(api, tokens["shop"], "/api/v1/clients",
                             {"name": "Покупатель сайта", "phones": ["+7 916 111-22-33"], "external_id": "cust-1"})
    assert status == 201, client
    assert client["source"] == "shop" and client["external_id"] == "cust-1"
    assert client["owner_id"] in (ids["m1"], ids["m2"])  # a manager on duty, as a lead is assigned
    # The owner works the client; the shop still sees its own record.
    assert api.call("GET", f"/api/v1/clients/{client['id']}", token=tokens["shop"])[0] == 200
    owner = "m1" if client["owner_id"] == ids["m1"] else "m2"
    assert api.call("GET", f"/api/v1/clients/{client['id']}", token=tokens[owner])[0] == 200


def test_an_owner_the_integration_gives_is_kept(api, company):
    _, ids, tokens = company
    status, client, _ = post(api, tokens["shop"], "/api/v1/clients",
                             {"name": "Покупатель с менеджером", "external_id": "cust-2", "owner_id": ids["m2"]})
    assert status == 201 and client["owner_id"] == ids["m2"], client


def test_a_retried_order_with_the_same_external_id_is_the_same_order(api, company):
    _, ids, tokens = company
    status, client, _ = post(api, tokens["shop"], "/api/v1/clients", {"name": "Покупатель 3", "external_id": "cust-3"})
    assert status == 201, client
    order = {"external_id": "web-1001", "number": "W-1001", "client_id": client["id"], "lines": LINES}
    status, first, _ = post(api, tokens["shop"], "/api/v1/orders", order)
    assert status == 201, first
    assert first["source"] == "shop" and first["external_id"] == "web-1001"
    assert first["owner_id"] == client["owner_id"], "the sale is credited to the client's manager"
    status, again, _ = post(api, tokens["shop"], "/api/v1/orders", order)
    assert status == 200 and again["id"] == first["id"], again
    status, paid, _ = post(api, tokens["shop"], "/api/v1/orders", {**order, "status": "confirmed"})
    assert status == 200 and paid["id"] == first["id"] and paid["status"] == "confirmed"
    status, listed, _ = api.call("GET", f"/api/v1/orders?client_id={client['id']}", token=tokens["shop"])
    assert [o["id"] for o in listed["items"]] == [first["id"]]
    # The client sent again by the shop is the same client too.
    status, same, _ = post(api, tokens["shop"], "/api/v1/clients", {"name": "Покупатель 3", "external_id": "cust-3"})
    assert status == 200 and same["id"] == client["id"] and same["owner_id"] == client["owner_id"]


def test_an_integration_user_places_an_order_without_an_external_id(api, company):
    _, _, tokens = company
    status, client, _ = post(api, tokens["shop"], "/api/v1/clients", {"name": "Покупатель формы"})
    assert status == 201 and client["source"] == "shop" and client["owner_id"], client
    status, order, _ = post(api, tokens["shop"], "/api/v1/orders", {"client_id": client["id"], "lines": LINES},
                            key="form-order-1")
    assert status == 201 and order["source"] == "shop", order
    assert post(api, tokens["shop"], "/api/v1/orders", {"client_id": client["id"], "lines": LINES},
                key="form-order-1")[1] == order


def test_an_integration_user_cannot_name_another_source(api, company):
    _, _, tokens = company
    status, body, _ = post(api, tokens["shop"], "/api/v1/clients",
                           {"name": "Чужой источник", "source": "onec", "external_id": "x-1"})
    assert status == 400 and "source" in body["error"]["fields"], body


def test_an_integration_user_updates_only_records_of_its_source(api, company):
    _, ids, tokens = company
    status, theirs, _ = post(api, tokens["m1"], "/api/v1/clients", {"name": "ООО Менеджера"})
    assert status == 201
    status, body, _ = api.call("PATCH", f"/api/v1/clients/{theirs['id']}", token=tokens["shop"], body={"notes": "x"})
    assert status == 403, body


@pytest.mark.parametrize("role", ["m1", "head", "dir"])
def test_other_roles_may_not_write_external_id(api, company, role):
    _, ids, tokens = company
    client = {"name": "ООО Внешний", "owner_id": ids["m1"]}  # in everyone's scope
    status, body, _ = post(api, tokens[role], "/api/v1/clients", {**client, "external_id": "e-1"})
    assert status == 400 and "external_id" in body["error"]["fields"], body
    status, mine, _ = post(api, tokens[role], "/api/v1/clients", client)
    assert status == 201, mine
    status, body, _ = api.call("PATCH", f"/api/v1/clients/{mine['id']}", token=tokens[role],
                               body={"external_id": "e-2"})
    assert status == 400 and "external_id" in body["error"]["fields"], body


def test_an_integration_user_may_not_rekey_a_record_by_patch(api, company):
    _, _, tokens = company
    status, client, _ = post(api, tokens["shop"], "/api/v1/clients", {"name": "Покупатель 4", "external_id": "cust-4"})
    assert status == 201
    status, body, _ = api.call("PATCH", f"/api/v1/clients/{client['id']}", token=tokens["shop"],
                               body={"external_id": "cust-5"})
    assert status == 400 and "external_id" in body["error"]["fields"], body


@pytest.mark.parametrize("external_id", ["", "x" * 256])
def test_a_bad_external_id_is_400_naming_it(api, company, external_id):
    _, _, tokens = company
    status, body, _ = post(api, tokens["shop"], "/api/v1/clients", {"name": "Покупатель", "external_id": external_id})
    assert status == 400 and "external_id" in body["error"]["fields"], body


# ---- possible duplicates -----------------------------------------------------------


def test_client_writes_report_possible_duplicates_as_python_does(api, company):
    _, _, tokens = company
    status, first, _ = post(api, tokens["m1"], "/api/v1/clients", {"name": "ООО Дубль", "phones": ["+7 495 777-00-01"]})
    assert status == 201 and first["possible_duplicates"] == []
    status, second, _ = post(api, tokens["m1"], "/api/v1/clients",
                             {"name": "ООО Дубль 2", "phones": ["8 (495) 777-00-01"]})
    assert status == 201 and second["possible_duplicates"] == [first["id"]], second
    status, third, _ = post(api, tokens["m1"], "/api/v1/clients", {"name": "ООО Дубль 3"})
    status, changed, _ = api.call("PATCH", f"/api/v1/clients/{third['id']}", token=tokens["m1"],
                                  body={"phones": ["+74957770001"]})
    assert status == 200 and sorted(changed["possible_duplicates"]) == sorted([first["id"], second["id"]]), changed
