"""Nightly CSV export: today's orders and payments into a dated folder, for the
accounting team's spreadsheet. Not an event handler (python -m salescore.automate
skips it): run it from cron, e.g. at 23:55:

    55 23 * * *  /usr/bin/python3 python/examples/nightly_export.py --db sqlite:crm.db --out /srv/exports
"""

import argparse
from datetime import datetime, time, timedelta, timezone
from pathlib import Path

import salescore


def export_day(engine, out: Path, day: datetime) -> dict[str, int]:
    start = datetime.combine(day.date(), time(), tzinfo=timezone.utc)
    folder = out / start.strftime("%Y-%m-%d")
    folder.mkdir(parents=True, exist_ok=True)
    window = {"since": start, "until": start + timedelta(days=1)}
    return {
        "orders": engine.export("orders", folder / "orders.csv", **window),
        "payments": engine.export("payments", folder / "payments.csv", **window),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--out", required=True, type=Path)
    args = parser.parse_args()
    with salescore.open(args.db, read_only=True) as engine:
        counts = export_day(engine, args.out, datetime.now(timezone.utc))
    print(", ".join(f"{n} {what}" for what, n in counts.items()))


if __name__ == "__main__":
    main()
