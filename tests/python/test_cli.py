"""The salescore executable as its users meet it: init, demo, export, serve, --help.

Runs the binary named by SALESCORE_BIN (tests/CMakeLists.txt sets it under ctest).
Standard library only, plus pytest.
"""

import csv
import io
import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest

SALESCORE_BIN = os.environ.get("SALESCORE_BIN")

pytestmark = pytest.mark.skipif(not SALESCORE_BIN, reason="SALESCORE_BIN does not name the salescore executable")

DEMO_CLIENTS = 200
DEMO_ORDERS = 1000


def run(*args, check=True, timeout=300):
    result = subprocess.run([SALESCORE_BIN, *args], capture_output=True, text=True, timeout=timeout)
    if check and result.returncode != 0:
        raise AssertionError(f"salescore {' '.join(args)} exited {result.returncode}:\n{result.stderr}")
    return result


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    """A database with a small demo company, written once for the module."""
    url = "sqlite:" + str(tmp_path_factory.mktemp("demo") / "demo.db")
    result = run("demo", "--db", url, "--clients", str(DEMO_CLIENTS), "--orders", str(DEMO_ORDERS),
                 "--seed", "7", "--today", "2025-06-30")
    return url, result


def all_orders(demo_db):
    """The --orders of the demo plus the orders of its year's work (visits, clients back)."""
    return DEMO_ORDERS + summary_row(demo_db[1].stdout, "year orders")[0]


def all_clients(demo_db):
    """The --clients of the demo plus those its year's leads brought in."""
    return DEMO_CLIENTS + summary_row(demo_db[1].stdout, "lead clients")[0]


def summary_row(stdout, entity):
    """(created, updated, unchanged) for one entity from the demo summary table."""
    match = re.search(rf"^\s*{entity}\s+(\d+)\s+(\d+)\s+(\d+)\s*$", stdout, re.MULTILINE)
    assert match, f"no '{entity}' row in the summary:\n{stdout}"
    return tuple(int(n) for n in match.groups())


# ---- help and usage ----------------------------------------------------------------

def test_help_lists_every_command():
    result = run("--help")
    for command in ("init", "demo", "export", "serve", "plugins", "deadletters", "token"):
        assert re.search(rf"^\s+{command}\s", result.stdout, re.MULTILINE), result.stdout


@pytest.mark.parametrize("command", ["init", "demo", "export", "serve"])
def test_each_command_has_help_that_exits_0(command):
    result = run(command, "--help")
    assert result.stdout.startswith(f"Usage: salescore {command}")
    assert "--db URL" in result.stdout


def test_unknown_command_exits_2_with_a_message():
    result = run("frobnicate", check=False)
    assert result.returncode == 2
    assert "unknown command 'frobnicate'" in result.stderr
    assert result.stdout == ""


def test_missing_required_option_is_a_usage_error():
    result = run("init", check=False)
    assert result.returncode == 2
    assert "--db is required" in result.stderr


def test_bad_number_is_a_usage_error(tmp_path):
    result = run("demo", "--db", f"sqlite:{tmp_path}/x.db", "--clients", "many", check=False)
    assert result.returncode == 2
    assert "--clients" in result.stderr


# ---- init --------------------------------------------------------------------------

def test_init_twice_is_fine(tmp_path):
    url = f"sqlite:{tmp_path}/crm.db"
    first = run("init", "--db", url)
    second = run("init", "--db", url)
    versions = [re.search(r"schema version (\d+)", r.stdout) for r in (first, second)]
    assert all(versions), (first.stdout, second.stdout)
    assert int(versions[0].group(1)) >= 1
    assert versions[0].group(1) == versions[1].group(1)


def test_init_on_a_file_that_is_not_a_database_fails_with_1(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database file at all" * 100)
    result = run("init", "--db", f"sqlite:{junk}", check=False)
    assert result.returncode == 1
    assert result.stderr.strip()


def test_init_in_a_missing_directory_fails_at_once(tmp_path):
    start = time.monotonic()
    result = run("init", "--db", f"sqlite:{tmp_path}/no/such/dir/crm.db", check=False, timeout=60)
    assert result.returncode == 1
    assert "does not exist" in result.stderr
    assert time.monotonic() - start < 10


def test_unknown_config_file_fails(tmp_path):
    result = run("init", "--db", f"sqlite:{tmp_path}/crm.db", "--config", str(tmp_path / "missing.ini"), check=False)
    assert result.returncode == 1
    assert "missing.ini" in result.stderr


# ---- demo --------------------------------------------------------------------------

def test_demo_prints_a_summary(demo_db):
    url, result = demo_db
    assert "Demo company written to" in result.stdout
    assert summary_row(result.stdout, "clients") == (DEMO_CLIENTS, 0, 0)
    assert summary_row(result.stdout, "orders") == (DEMO_ORDERS, 0, 0)
    created_users = summary_row(result.stdout, "users")[0]
    assert created_users >= 15  # admin, director, head, 6 managers, 6 assistants
    assert summary_row(result.stdout, "products")[0] >= 150


def test_demo_again_duplicates_nothing(demo_db):
    url, first = demo_db
    again = run("demo", "--db", url, "--clients", str(DEMO_CLIENTS), "--orders", str(DEMO_ORDERS),
                "--seed", "7", "--today", "2025-06-30")
    assert summary_row(again.stdout, "orders") == (0, 0, DEMO_ORDERS)
    assert summary_row(again.stdout, "clients") == (0, 0, DEMO_CLIENTS)
    assert summary_row(again.stdout, "contacts")[0] == 0
    assert summary_row(again.stdout, "payments")[:2] == (0, 0)
    assert summary_row(again.stdout, "plans")[:2] == (0, 0)
    orders = run("export", "orders", "--db", url, "--format", "jsonl").stdout.splitlines()
    assert len(orders) == all_orders(demo_db)


def test_demo_data_looks_like_a_russian_sales_department(demo_db):
    url, _ = demo_db
    clients = [json.loads(line) for line in run("export", "clients", "--db", url, "--format", "jsonl").stdout.splitlines()]
    assert len(clients) == all_clients(demo_db)
    # The demo's own clients carry full requisites; those its leads brought in have what
    # the lead told (a name and a phone), as a real first contact does.
    clients = [c for c in clients if c["inn"]]
    assert len(clients) == DEMO_CLIENTS
    forms = {c["legal_form"] for c in clients}
    assert {"ООО", "ИП"} <= forms
    for c in clients:
        assert inn_is_valid(c["inn"]), c["inn"]
        if c["legal_form"] == "ИП":
            assert len(c["inn"]) == 12 and c["kpp"] == ""
        else:
            assert len(c["inn"]) == 10 and re.fullmatch(r"\d{9}", c["kpp"])
        assert c["phones"] or c["emails"]
        for phone in c["phones"]:
            assert re.fullmatch(r"\+7\d{10}", phone), phone
        assert c["owner_id"] is not None and c["assistant_id"] is not None
    assert len({c["inn"] for c in clients}) == len(clients)
    assert 0 < sum(c["tier"] == "vip" for c in clients) < len(clients) * 0.15

    orders = [json.loads(line) for line in run("export", "orders", "--db", url, "--format", "jsonl").stdout.splitlines()]
    for o in orders:
        assert 1 <= len(o["lines"]) <= 5
        assert o["ordered_at"] < "2025-06-30" and o["ordered_at"] >= "2024-06-30"
    # The --orders ones keyed by their demo ids; those of the year's work (taken at route
    # visits, clients coming back) were placed by people, through the same rules.
    assert sum(o["source"] == "demo" and bool(o["external_id"]) for o in orders) == DEMO_ORDERS


def test_demo_pays_delivered_orders_and_sets_plans_the_reports_can_measure(demo_db):
    url, result = demo_db
    paid = summary_row(result.stdout, "payments")[0]
    plans = summary_row(result.stdout, "plans")[0]
    assert 0 < paid < DEMO_ORDERS  # some orders are still open receivables
    assert plans > 0
    report = json.loads(run("report", "monthly", "--db", url, "--date", "2025-05-15", "--format", "json").stdout)
    planned = [line for line in report["lines"] if line["plan_minor"] > 0]
    assert planned and all(line["plan_bp"] > 0 for line in planned if line["revenue_minor"] > 0)
    assert sum(line["payments_minor"] for line in report["lines"]) > 0


def test_demo_is_deterministic_for_a_seed(tmp_path):
    exports = []
    for name in ("a", "b"):
        url = f"sqlite:{tmp_path}/{name}.db"
        run("demo", "--db", url, "--clients", "30", "--orders", "100", "--seed", "3", "--today", "2025-01-15")
        rows = run("export", "orders", "--db", url, "--format", "jsonl").stdout.splitlines()
        exports.append([{k: v for k, v in json.loads(r).items() if k not in ("created_at", "updated_at")}
                        for r in rows])
    assert exports[0] == exports[1]


def inn_is_valid(inn):
    digits = [int(ch) for ch in inn]

    def check(weights):
        return sum(d * w for d, w in zip(digits, weights)) % 11 % 10

    if len(digits) == 10:
        return digits[9] == check([2, 4, 10, 3, 5, 9, 4, 6, 8])
    if len(digits) == 12:
        return (digits[10] == check([7, 2, 4, 10, 3, 5, 9, 4, 6, 8])
                and digits[11] == check([3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]))
    return False


# ---- export ------------------------------------------------------------------------

def test_export_clients_csv_parses_back(demo_db, tmp_path):
    url, _ = demo_db
    out = tmp_path / "clients.csv"
    result = run("export", "clients", "--db", url, "--format", "csv", "--out", str(out))
    assert result.stdout == ""
    with open(out, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
    assert reader.fieldnames[:4] == ["id", "name", "legal_form", "inn"]
    assert "phones" in reader.fieldnames
    assert len(rows) == all_clients(demo_db)
    # Nested values travel as their JSON text.
    assert isinstance(json.loads(rows[0]["phones"]), list)
    assert isinstance(json.loads(rows[0]["addresses"]), list)


def test_export_orders_csv_to_stdout(demo_db):
    url, _ = demo_db
    result = run("export", "orders", "--db", url, "--format", "csv")
    rows = list(csv.reader(io.StringIO(result.stdout, newline="")))
    header, body = rows[0], rows[1:]
    assert header[:3] == ["id", "number", "client_id"]
    assert len(body) == all_orders(demo_db)
    lines_at = header.index("lines")
    assert all(json.loads(r[lines_at]) for r in body)


def test_export_orders_jsonl_parses_back(demo_db, tmp_path):
    url, _ = demo_db
    out = tmp_path / "orders.jsonl"
    result = run("export", "orders", "--db", url, "--format", "jsonl", "--out", str(out))
    assert result.stdout == ""
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == all_orders(demo_db)
    first = json.loads(lines[0])
    assert {"id", "number", "client_id", "lines", "total", "ordered_at"} <= first.keys()
    assert not (tmp_path / "orders.jsonl.partial").exists()


def test_export_of_an_empty_database_writes_only_the_header(tmp_path):
    url = f"sqlite:{tmp_path}/empty.db"
    run("init", "--db", url)
    result = run("export", "clients", "--db", url, "--format", "csv")
    rows = list(csv.reader(io.StringIO(result.stdout, newline="")))
    assert len(rows) == 1 and rows[0][0] == "id"


def test_export_refuses_a_missing_database(tmp_path):
    result = run("export", "clients", "--db", f"sqlite:{tmp_path}/nowhere.db", "--format", "csv", check=False)
    assert result.returncode == 1
    assert "no database" in result.stderr
    assert not (tmp_path / "nowhere.db").exists()


def test_export_usage_errors_exit_2(demo_db):
    url, _ = demo_db
    assert run("export", "quotes", "--db", url, "--format", "csv", check=False).returncode == 2
    assert run("export", "clients", "--db", url, "--format", "xml", check=False).returncode == 2
    assert run("export", "clients", "--db", url, check=False).returncode == 2


# ---- serve -------------------------------------------------------------------------

@pytest.fixture()
def server(demo_db):
    url, _ = demo_db
    port = free_port()
    proc = subprocess.Popen([SALESCORE_BIN, "serve", "--db", url, "--listen", f"127.0.0.1:{port}"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        banner = proc.stdout.readline()
        assert f"http://127.0.0.1:{port}" in banner, banner + proc.stderr.read()
        yield f"http://127.0.0.1:{port}", proc
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)


@pytest.fixture(scope="module")
def director_token(demo_db):
    """An API token of the demo company's director (tests/python/test_api.py covers roles)."""
    url, _ = demo_db
    return run("token", "create", "--db", url, "--user", DEMO_DIRECTOR).stdout.strip()


# The demo's director, Орлов Виктор Павлович, by the demo's transliterated login.
DEMO_DIRECTOR = "orlov.vp"


def get(url, method="GET", token=None):
    request = urllib.request.Request(url, method=method)
    if token:
        request.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def test_serve_healthz(server):
    base, _ = server
    status, body = get(base + "/healthz")
    assert status == 200
    assert body["status"] == "ok" and body["schema_version"] >= 1


def test_serve_returns_a_client_by_id(server, director_token):
    base, _ = server
    status, body = get(base + "/api/v1/clients/1", token=director_token)
    assert status == 200
    assert body["id"] == 1 and body["name"] and body["inn"]


def test_serve_answers_404_for_an_unknown_client(server, director_token):
    base, _ = server
    status, body = get(base + "/api/v1/clients/987654321", token=director_token)
    assert status == 404
    assert body["error"]["code"] == "not_found"
    assert body["error"]["message"]


@pytest.mark.parametrize("bad_id", ["abc", urllib.request.quote("1;DROP TABLE clients"), "-1", "0", "1.5"])
def test_serve_answers_400_for_an_ill_formed_id(server, bad_id):
    base, _ = server
    status, body = get(base + "/api/v1/clients/" + bad_id)
    assert status == 400
    assert body["error"]["code"] == "invalid_argument"
    assert "id" in body["error"]["fields"]


def test_serve_answers_404_for_other_paths_and_405_for_other_methods(server, director_token):
    base, _ = server
    status, body = get(base + "/api/v1/nothing-here")
    assert status == 404 and body["error"]["code"] == "not_found"
    status, body = get(base + "/api/v1/clients/1", method="DELETE", token=director_token)
    assert status == 405 and body["error"]["code"] == "method_not_allowed"


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_serve_stops_cleanly_on_a_signal(server, sig):
    base, proc = server
    assert get(base + "/healthz")[0] == 200
    proc.send_signal(sig)
    assert proc.wait(timeout=10) == 0
    with pytest.raises(OSError):
        urllib.request.urlopen(base + "/healthz", timeout=2)


def test_serve_refuses_a_bad_listen_address(demo_db):
    url, _ = demo_db
    result = run("serve", "--db", url, "--listen", "not-an-address", check=False, timeout=30)
    assert result.returncode == 2


def test_serve_fails_when_the_port_is_taken(demo_db):
    url, _ = demo_db
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        start = time.monotonic()
        result = run("serve", "--db", url, "--listen", f"127.0.0.1:{port}", check=False, timeout=30)
    assert result.returncode == 1
    assert "cannot listen" in result.stderr
    assert time.monotonic() - start < 30
