"""salescore kpi and salescore report, run as a user would from the shell.

Runs the binary named by SALESCORE_BIN (tests/CMakeLists.txt sets it under ctest) on a
small demo company.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sqlite3
import subprocess
import unicodedata

import pytest

SALESCORE_BIN = os.environ.get("SALESCORE_BIN")

pytestmark = pytest.mark.skipif(not SALESCORE_BIN, reason="SALESCORE_BIN does not name the salescore executable")


def run(*args, check=True):
    result = subprocess.run([SALESCORE_BIN, *args], capture_output=True, text=True, timeout=300)
    if check and result.returncode != 0:
        raise AssertionError(f"salescore {' '.join(args)} exited {result.returncode}:\n{result.stderr}")
    return result


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("kpi") / "demo.db"
    url = f"sqlite:{path}"
    run("demo", "--db", url, "--clients", "200", "--orders", "2000", "--seed", "3", "--today", "2026-11-20")
    return url, path


def managers(path):
    """(login, head login) of the demo's managers that have a head."""
    with sqlite3.connect(path) as db:
        return db.execute(
            "SELECT u.login, h.login FROM users u JOIN users h ON h.id = u.head_id "
            "WHERE u.role = 'manager' ORDER BY u.id").fetchall()


def kpis(url, *args):
    out = run("kpi", "get", "all", "--db", url, "--format", "json", *args).stdout
    return {k["id"]: k for k in json.loads(out)["kpis"]}


def test_rebuild_gives_the_numbers_the_engine_kept(demo):
    url, _ = demo
    before = [kpis(url, "--period", p) for p in ("2026-10", "2026-W40", "2026-Q3", "2026-10-05..2026-11-12")]
    assert before[0]["orders.count"]["value"] > 0
    assert "rebuilt" in run("kpi", "rebuild", "--db", url).stdout
    after = [kpis(url, "--period", p) for p in ("2026-10", "2026-W40", "2026-Q3", "2026-10-05..2026-11-12")]
    assert before == after


def test_revenue_of_a_month_is_the_sum_of_its_orders(demo):
    url, path = demo
    with sqlite3.connect(path) as db:
        # Moscow is UTC+3 all year: October local is [Sep 30 21:00Z, Oct 31 21:00Z).
        expected = db.execute(
            "SELECT SUM(total_minor), COUNT(*) FROM orders WHERE status <> 'cancelled' AND currency = 'RUB' "
            "AND ordered_at >= strftime('%s','2026-09-30 21:00:00') * 1000 "
            "AND ordered_at < strftime('%s','2026-10-31 21:00:00') * 1000").fetchone()
    got = kpis(url, "--period", "2026-10")
    assert got["orders.revenue"]["value"] == expected[0]
    assert got["orders.count"]["value"] == expected[1]


def test_a_manager_reads_their_own_kpis_and_not_a_colleagues(demo):
    url, path = demo
    (me, head), (other, _) = managers(path)[:2]
    own = run("kpi", "get", "orders.revenue", "--db", url, "--period", "2026-10", "--user", me, "--as", me)
    assert own.stdout.startswith("orders.revenue = ")
    refused = run("kpi", "get", "orders.revenue", "--db", url, "--period", "2026-10", "--user", other, "--as", me,
                  check=False)
    assert refused.returncode == 1
    assert "may not read KPIs" in refused.stderr
    team = run("kpi", "get", "orders.count", "--db", url, "--period", "2026-10", "--team", head, "--as", head)
    assert team.returncode == 0


def test_bad_period_and_unknown_kpi(demo):
    url, _ = demo
    bad = run("kpi", "get", "orders.revenue", "--db", url, "--period", "2026-13", check=False)
    assert bad.returncode == 2 and "--period" in bad.stderr
    unknown = run("kpi", "get", "orders.magic", "--db", url, "--period", "2026-10", check=False)
    assert unknown.returncode == 1 and "unknown KPI" in unknown.stderr


def test_monthly_json_report_matches_the_kpis_and_compares_with_the_previous_month(demo):
    url, path = demo
    report = json.loads(run("report", "monthly", "--db", url, "--date", "2026-10-17", "--format", "json").stdout)
    assert report["period"] == {"label": "2026-10", "first": "2026-10-01", "last": "2026-10-31"}
    assert report["previous"]["label"] == "2026-09"
    assert report["total"]["revenue_minor"] == sum(line["revenue_minor"] for line in report["lines"])
    october, september = kpis(url, "--period", "2026-10"), kpis(url, "--period", "2026-09")
    # The report lists managers and heads; orders credited to them are all of the company's.
    assert report["total"]["orders"] == october["orders.count"]["breakdown"].get("RUB", 0)
    assert report["total"]["previous"]["revenue_minor"] == september["orders.revenue"]["value"]
    # Assistants have their lines and anyone else's figures an "others" line: the total
    # is the company's KPI, and the lines add up to it.
    for month, kpi in (("2026-10-17", october), ("2026-11-05", kpis(url, "--period", "2026-11"))):
        r = json.loads(run("report", "monthly", "--db", url, "--date", month, "--format", "json").stdout)
        assert r["total"]["calls"] == kpi["calls.count"]["value"] > 0
        assert r["total"]["meetings"] == kpi["meetings.count"]["value"]
        assert r["total"]["leads"] == kpi["leads.received"]["value"]
        assert r["total"]["deals_won"] == kpi["deals.won"]["value"]
        for figure in ("calls", "meetings", "emails", "orders", "revenue_minor", "leads"):
            assert sum(line[figure] for line in r["lines"]) == r["total"][figure], figure
    assert "assistant" in {line["role"] for line in report["lines"]}


def test_daily_report_for_a_team_lists_its_people(demo):
    url, path = demo
    me, head = managers(path)[0]
    report = json.loads(run("report", "daily", "--db", url, "--date", "2026-11-16", "--team", head,
                            "--format", "json").stdout)
    assert report["period"]["label"] == "2026-11-16"
    assert me in {line["name"] for line in report["lines"]} or len(report["lines"]) > 0
    single = json.loads(run("report", "daily", "--db", url, "--date", "2026-11-16", "--user", me,
                            "--format", "json").stdout)
    assert len(single["lines"]) == 1


@pytest.mark.parametrize("lang,title,money", [
    ("ru", "Еженедельный отчёт о продажах", r"\d,\d\d\b"),
    ("bg", "Седмичен отчет за продажбите", r"\d,\d\d\b"),
    ("en", "Weekly sales report", r"\d\.\d\d\b"),
    ("zh", "销售周报", r"\d\.\d\d\b"),
])
def test_text_report_speaks_the_language(demo, lang, title, money):
    url, _ = demo
    out = run("report", "weekly", "--db", url, "--date", "2026-10-14", "--lang", lang).stdout
    assert out.splitlines()[0] == title
    assert re.search(money, out)


def cells(text):
    """Terminal cells: wide (CJK) characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


@pytest.mark.parametrize("lang", ["ru", "en", "zh", "bg"])
def test_text_report_has_people_as_rows_and_fits_100_columns(demo, lang):
    url, path = demo
    with sqlite3.connect(path) as db:
        names = [n for (n,) in db.execute("SELECT name FROM users WHERE active = 1 AND role IN "
                                          "('manager', 'head', 'assistant')")]
    for kind, date in (("daily", "2026-11-16"), ("weekly", "2026-11-11"), ("monthly", "2026-11-05")):
        out = run("report", kind, "--db", url, "--date", date, "--lang", lang).stdout
        lines = out.splitlines()
        widest = max(lines, key=cells)
        assert cells(widest) <= 100, f"{kind} {lang}: {cells(widest)} cells: {widest!r}"
        # One row per person: each name starts a line (cut with … when too long).
        for name in names:
            assert any(line.startswith(name[:20]) for line in lines), (kind, lang, name)


def test_daily_report_has_the_deals_and_leads_rows(demo):
    url, _ = demo
    out = run("report", "daily", "--db", url, "--date", "2026-11-16", "--format", "csv", "--lang", "en").stdout
    header = next(csv.reader(io.StringIO(out)))
    assert {"Deals won", "Deals lost", "Leads", "Leads converted"} <= set(header)
    text = run("report", "daily", "--db", url, "--date", "2026-11-16", "--lang", "en").stdout
    assert "Deals" in text and "Leads" in text


def test_language_defaults_to_the_configuration(demo):
    url, _ = demo
    out = run("report", "daily", "--db", url, "--date", "2026-10-14", "--set", "company.language=en").stdout
    assert out.startswith("Daily sales report")


def test_csv_report_has_a_row_per_manager_and_a_total(demo):
    url, _ = demo
    out = run("report", "monthly", "--db", url, "--date", "2026-10-01", "--format", "csv", "--lang", "en").stdout
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0][:2] == ["Manager", "Calls"]
    assert rows[-1][0] == "Total"
    assert all(len(r) == len(rows[0]) for r in rows)
    revenue = rows[0].index("Revenue")
    assert sum(float(r[revenue]) for r in rows[1:-1]) == pytest.approx(float(rows[-1][revenue]))


def test_html_report_is_one_self_contained_file_with_charts(demo, tmp_path):
    url, _ = demo
    target = tmp_path / "october.html"
    run("report", "monthly", "--db", url, "--date", "2026-10-01", "--format", "html", "--lang", "ru",
        "--out", str(target))
    html = target.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    assert html.count("<svg") == 2 and "<table>" in html
    assert "@media print" in html
    # Nothing is fetched from elsewhere: no scripts, stylesheets or images by URL.
    assert not re.search(r"<(script|link|img)\b", html)
    assert "Ежемесячный отчёт о продажах" in html
    assert not (tmp_path / "october.html.partial").exists()


def test_report_usage_errors_exit_2(demo):
    url, _ = demo
    assert run("report", "yearly", "--db", url, "--date", "2026-10-01", check=False).returncode == 2
    assert run("report", "daily", "--db", url, "--date", "01.10.2026", check=False).returncode == 2
    assert run("report", "daily", "--db", url, "--date", "2026-10-01", "--format", "pdf", check=False).returncode == 2
    assert run("report", "daily", "--db", url, "--date", "2026-10-01", "--lang", "fr", check=False).returncode == 2
