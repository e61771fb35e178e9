"""Fast data out: rows as columns built in C++ and handed to NumPy or pandas, and
streaming exports to CSV or JSON Lines.

No Python object is made per row except the strings of text columns (made in C++).
Amounts stay integers in minor units (``total_minor``: kopecks), so nothing passes
through a float; instants are UTC; an absent reference is masked (NumPy) or <NA>
(pandas).
"""

from __future__ import annotations

import csv
import json
import os
import sys
from typing import IO, Any, Iterator

# Rows per chunk of an export: bounded memory, a progress update per chunk.
_EXPORT_CHUNK = 50_000


class _Columnar:
    _native: Any
    _actor: Any

    def _read(self, filters: dict[str, Any], after_id: int = 0, limit: int = 0) -> tuple[dict, dict, dict]:
        return self._native.columns(self._actor, filters, after_id, limit)

    def to_numpy(self, **filters: Any) -> dict[str, Any]:
        """Column name -> numpy array of the rows find(**filters) would yield, in id
        order: int64 for ids, counts and amounts in minor units, datetime64[ms] (UTC)
        for instants, object (str) for text and enumerations. A column that may be
        absent (owner_id, deal_id) is a numpy.ma.MaskedArray, masked where absent."""
        return _as_numpy(*self._read(filters))

    def to_pandas(self, **filters: Any) -> Any:
        """The same rows as a pandas DataFrame: instants tz-aware UTC, absent references
        <NA> (nullable Int64), amounts int64 minor units."""
        return _as_pandas(*self._read(filters))


def _as_numpy(columns: dict, nulls: dict, kinds: dict) -> dict[str, Any]:
    import numpy as np

    out: dict[str, Any] = {}
    for name, values in columns.items():
        if kinds[name] == "instant":
            values = values.view("datetime64[ms]")
        if name in nulls:
            values = np.ma.MaskedArray(values, mask=nulls[name])
        out[name] = values
    return out


def _as_pandas(columns: dict, nulls: dict, kinds: dict) -> Any:
    import pandas as pd

    data: dict[str, Any] = {}
    for name, values in columns.items():
        kind = kinds[name]
        if kind == "instant":
            data[name] = pd.to_datetime(values, unit="ms", utc=True)
        elif name in nulls:
            data[name] = pd.arrays.IntegerArray(values, nulls[name])
        else:
            data[name] = values
    return pd.DataFrame(data, copy=False)


# ---- exports ----

def _chunks(collection: _Columnar, filters: dict[str, Any]) -> Iterator[tuple[dict, dict, dict]]:
    after = 0
    while True:
        chunk = collection._read(filters, after, _EXPORT_CHUNK)
        columns = chunk[0]
        n = len(columns["id"])
        if n:
            yield chunk
        if n < _EXPORT_CHUNK:
            return
        after = int(columns["id"][-1])


def _decimal_text(minor: int) -> str:
    """Minor units as the decimal string REST and the CLI write: 123450 -> "1234.50"."""
    sign = "-" if minor < 0 else ""
    whole, cents = divmod(abs(minor), 100)
    return f"{sign}{whole}.{cents:02d}"


def _export_names(columns: dict, kinds: dict) -> list[str]:
    """The exported names: an amount is written as a decimal string under the name REST
    gives it (total_minor -> total), beside its currency column."""
    return [name[: -len("_minor")] if kinds[name] == "amount" and name.endswith("_minor") else name
            for name in columns]


def _text_columns(columns: dict, nulls: dict, kinds: dict) -> list[list[Any]]:
    """Each column as a list of plain Python values for writing, in the units every
    surface writes: instants as ISO 8601 UTC with milliseconds and "Z"
    (2026-11-30T09:00:00.000Z, as REST and `salescore export`), amounts as decimal
    strings ("1234.50"), None where absent."""
    import numpy as np

    out = []
    for name, values in columns.items():
        if kinds[name] == "instant":
            text = np.datetime_as_string(values.view("datetime64[ms]"), unit="ms", timezone="UTC")
            out.append(text.tolist())
        elif kinds[name] == "amount":
            out.append([_decimal_text(v) for v in values.tolist()])
        else:
            as_list = values.tolist()
            if name in nulls:
                as_list = [None if absent else v for v, absent in zip(as_list, nulls[name].tolist())]
            out.append(as_list)
    return out


class _Progress:
    """A one-line progress bar on stderr, shown only when stderr is a terminal."""

    def __init__(self, what: str, total: int | None, stream: IO[str] | None = None, show: bool | None = None):
        self._what = what
        self._total = total
        self._stream = stream or sys.stderr
        self._show = self._stream.isatty() if show is None else show
        self.done = 0

    def advance(self, rows: int) -> None:
        self.done += rows
        if not self._show:
            return
        if self._total:
            share = min(1.0, self.done / self._total)
            bar = "#" * int(share * 30)
            self._stream.write(f"\r{self._what}: [{bar:<30}] {self.done}/{self._total} rows")
        else:
            self._stream.write(f"\r{self._what}: {self.done} rows")
        self._stream.flush()

    def finish(self) -> None:
        if self._show:
            self._stream.write("\n")
            self._stream.flush()


def export(collection: _Columnar, entity: str, path: str | os.PathLike[str], fmt: str,
           filters: dict[str, Any], progress: bool | None) -> int:
    if fmt not in ("csv", "jsonl"):
        from ._errors import ValidationError

        raise ValidationError(f"unknown export format {fmt!r}", code="invalid_argument",
                              fields={"format": "expected 'csv' or 'jsonl'"})
    # Validates the filters before the file is created.
    total = collection.count(**filters) if hasattr(collection, "count") else None  # type: ignore[attr-defined]
    bar = _Progress(f"export {entity}", total, show=progress)
    written = 0
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out) if fmt == "csv" else None
        header_written = False
        for columns, nulls, kinds in _chunks(collection, filters):
            names = _export_names(columns, kinds)
            rows = zip(*_text_columns(columns, nulls, kinds))
            if writer is not None:
                if not header_written:
                    writer.writerow(names)
                    header_written = True
                writer.writerows(rows)
            else:
                out.writelines(json.dumps(dict(zip(names, row)), ensure_ascii=False) + "\n" for row in rows)
            n = len(columns["id"])
            written += n
            bar.advance(n)
        if writer is not None and not header_written:
            empty = collection._read(filters, 0, 1)
            writer.writerow(_export_names(empty[0], empty[2]))
    bar.finish()
    return written


# ---- every entity, as REST and `salescore export` write it ----

_RECORD_PAGE = 10_000


def _record_pages(owner: Any, entity: str) -> Iterator[tuple[list[str], list[tuple[list[str], str]]]]:
    """Pages of (column names, [(CSV cells, JSON line)]) of `entity` that `owner` (an
    Engine or a Session) may see, from the native export every surface shares."""
    from . import _core

    after = 0
    while True:
        names, rows, last_key = _core.export_page(owner._engine_handle, owner._actor, entity, after, _RECORD_PAGE)
        yield names, rows
        if len(rows) < _RECORD_PAGE:
            return
        after = last_key


def export_records(owner: Any, entity: str, path: str | os.PathLike[str], fmt: str, progress: bool | None) -> int:
    """Writes every record of `entity` the owner may see, with the fields and units of
    GET /api/v1/exports/NAME and `salescore export NAME`."""
    if fmt not in ("csv", "jsonl"):
        from ._errors import ValidationError

        raise ValidationError(f"unknown export format {fmt!r}", code="invalid_argument",
                              fields={"format": "expected 'csv' or 'jsonl'"})
    pages = _record_pages(owner, entity)
    names, rows = next(pages)  # refuses an unknown entity before the file is created
    bar = _Progress(f"export {entity}", None, show=progress)
    written = 0
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n") if fmt == "csv" else None
        if writer is not None:
            writer.writerow(names)
        while True:
            if writer is not None:
                writer.writerows(cells for cells, _ in rows)
            else:
                out.writelines(line + "\n" for _, line in rows)
            written += len(rows)
            bar.advance(len(rows))
            try:
                names, rows = next(pages)
            except StopIteration:
                break
    bar.finish()
    return written


class _Exported:
    """to_pandas for collections without a columnar reader: the records as REST returns
    them (money as decimal strings, times ISO 8601 UTC), one row each."""

    _owner: Any
    _entity: str

    def to_pandas(self) -> Any:
        import pandas as pd

        records: list[dict[str, Any]] = []
        columns: list[str] = []
        for columns, rows in _record_pages(self._owner, self._entity):
            records.extend(json.loads(line) for _, line in rows)
        return pd.DataFrame.from_records(records, columns=columns)
