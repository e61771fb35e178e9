"""The typed stubs describe exactly what the package exports, so type checkers and
editors see the real API."""

from __future__ import annotations

import ast
import dataclasses
import inspect
from pathlib import Path

import pytest

import salescore
from salescore import _core

PACKAGE = Path(salescore.__file__).parent


def _parse(name: str) -> ast.Module:
    return ast.parse((PACKAGE / name).read_text(encoding="utf-8"))


def _top_level_names(module: ast.Module) -> set[str]:
    names = set()
    for node in module.body:
        if isinstance(node, (ast.ClassDef, ast.FunctionDef)):
            names.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names


def _classes(module: ast.Module) -> dict[str, ast.ClassDef]:
    return {node.name: node for node in module.body if isinstance(node, ast.ClassDef)}


def _stub_fields(classes: dict[str, ast.ClassDef], name: str) -> list[str]:
    """Annotated attributes of a stub class, inherited ones first, as dataclasses order them."""
    node = classes[name]
    inherited: list[str] = []
    for base in node.bases:
        if isinstance(base, ast.Name) and base.id in classes:
            inherited += _stub_fields(classes, base.id)
    own = [s.target.id for s in node.body if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)]
    return inherited + [f for f in own if f not in inherited]


def _stub_methods(node: ast.ClassDef) -> set[str]:
    return {s.name for s in node.body if isinstance(s, ast.FunctionDef) and not s.name.startswith("_")}


def _public_methods(cls: type) -> set[str]:
    return {name for name, value in inspect.getmembers(cls) if not name.startswith("_") and callable(value)}


def test_the_stub_names_exactly_what_the_package_exports():
    stub_names = {n for n in _top_level_names(_parse("__init__.pyi")) if not n.startswith("_") or n == "__version__"}

    assert stub_names == set(salescore.__all__)
    for name in salescore.__all__:
        assert hasattr(salescore, name), name


RECORDS = [name for name in salescore.__all__ if isinstance(getattr(salescore, name), type)
           and issubclass(getattr(salescore, name), salescore.Record) and name != "Record"]


@pytest.mark.parametrize("name", RECORDS)
def test_record_stubs_list_the_fields_records_have(name):
    classes = _classes(_parse("__init__.pyi"))
    runtime = [f.name for f in dataclasses.fields(getattr(salescore, name))]

    assert sorted(_stub_fields(classes, name)) == sorted(runtime)


COLLECTIONS = ["Users", "Clients", "Contacts", "Products", "Deals", "Orders", "Interactions", "Tasks", "Events",
               "Leads", "Proposals", "Approvals", "Contracts", "Shipments", "Payments", "Claims", "Market", "Absences",
               "Routes", "Visits", "Outbox", "DeadLetters", "Plans", "Kpi", "Calls"]


@pytest.mark.parametrize("name", COLLECTIONS + ["Engine", "Session"])
def test_collection_stubs_list_the_methods_collections_have(name):
    classes = _classes(_parse("__init__.pyi"))
    runtime = getattr(salescore, name)
    properties = {n for n, v in inspect.getmembers(runtime) if isinstance(v, property)}

    assert _stub_methods(classes[name]) == _public_methods(runtime) | properties


def test_the_engine_stub_lists_its_collections(engine):
    classes = _classes(_parse("__init__.pyi"))
    stub_attributes = {s.target.id for s in classes["Engine"].body if isinstance(s, ast.AnnAssign)}

    assert stub_attributes == {n for n in vars(engine) if not n.startswith("_")}


def test_the_native_module_stub_matches_the_native_module():
    classes = _classes(_parse("_core.pyi"))

    assert set(classes) == {n for n, v in vars(_core).items() if isinstance(v, type)}
    for name, node in classes.items():
        runtime = getattr(_core, name)
        stub_members = _stub_methods(node) | {
            s.target.id for s in node.body if isinstance(s, ast.AnnAssign)
        }
        runtime_members = {n for n in dir(runtime) if not n.startswith("_")}
        assert stub_members == runtime_members, name


# ---- keyword parameters: the stubs' add/update/upsert/find take exactly the engine's fields

WRITES_AND_FINDS = ("add", "update", "upsert", "find")
# Methods whose keywords are not one field table of the engine's (a find the Python side
# writes itself over a whole list), and why: they are still held to typed keywords.
FREE_KEYWORDS: dict[tuple[str, str], str] = {
    ("Users", "find"): "every user the caller may see, paged in Python (UserService::list)",
    ("Contacts", "find"): "a client's contacts (ContactService::of_client): client_id only",
    ("Visits", "find"): "its keywords are the arguments of VisitService::find, bound by hand",
    ("DeadLetters", "find"): "connector and include_replayed of ConnectorService::dead_letters",
}


def _engine_collections() -> dict[str, str]:
    """Stub class name -> Engine attribute (clients: Clients)."""
    engine = _classes(_parse("__init__.pyi"))["Engine"]
    return {ast.unparse(s.annotation): s.target.id for s in engine.body
            if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)}


def _keyword_methods() -> list[tuple[str, str]]:
    classes = _classes(_parse("__init__.pyi"))
    return [(name, fn.name) for name in _engine_collections() if name in classes
            for fn in classes[name].body if isinstance(fn, ast.FunctionDef) and fn.name in WRITES_AND_FINDS]


def _record_annotations(classes: dict[str, ast.ClassDef], name: str) -> dict[str, str]:
    out: dict[str, str] = {}
    node = classes.get(name)
    if node is None:
        return out
    for base in node.bases:
        if isinstance(base, ast.Name):
            out.update(_record_annotations(classes, base.id))
    for s in node.body:
        if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name):
            out[s.target.id] = ast.unparse(s.annotation)
    return out


# What a write takes for a field a record reads back as this type.
_INPUT_TYPES = {"Decimal": "Decimal | int | str", "Decimal | None": "Decimal | int | str | None",
                "datetime": "datetime | str", "datetime | None": "datetime | str | None"}


def suggested_signature(cls: str, method: str, names: list[str]) -> str:
    """The stub line for a method taking `names`, typed from the record's stub: what the
    failure message offers to paste."""
    classes = _classes(_parse("__init__.pyi"))
    fn = next(f for f in classes[cls].body if isinstance(f, ast.FunctionDef) and f.name == method)
    returns = ast.unparse(fn.returns) if fn.returns else "Any"
    record = returns.removeprefix("Iterator[").removesuffix("]")
    types = _record_annotations(classes, record)
    params = []
    for n in names:
        t = types.get(n, "Any")
        t = "Any" if "Money" in t or "dict[str, Any]" in t else _INPUT_TYPES.get(t, t)
        params.append(f"{n}: {t} = ...")
    head = "self, id: int, /, *, " if method == "update" else "self, *, "
    return f"def {method}({head}{', '.join(params)}) -> {returns}: ..."


@pytest.mark.parametrize("cls, method", _keyword_methods(), ids=[f"{c}.{m}" for c, m in _keyword_methods()])
def test_stub_keywords_are_exactly_the_engine_fields(engine, cls, method):
    """Every add/update/upsert/find of the stubs names its keyword parameters, with types
    (no `**fields: Any`), and they are the fields the engine's table for it takes
    (python/src/*.cpp, exposed as the native class's _keywords): a field added there
    fails here until the stub has it, so editors and mypy never lag behind."""
    classes = _classes(_parse("__init__.pyi"))
    fn = next(f for f in classes[cls].body if isinstance(f, ast.FunctionDef) and f.name == method)
    if (cls, method) in FREE_KEYWORDS:
        assert fn.args.kwarg is None, f"{cls}.{method} takes **{fn.args.kwarg.arg}: name its keywords"
        assert all(a.annotation is not None for a in fn.args.args[1:] + fn.args.kwonlyargs), f"{cls}.{method}"
        return
    native = type(getattr(engine, _engine_collections()[cls])._native)
    wanted = list(getattr(native, "_keywords", {}).get(method, []))
    stub = [a.arg for a in fn.args.kwonlyargs]
    hint = f"\nthe stub line to use:\n    {suggested_signature(cls, method, wanted)}"
    assert fn.args.kwarg is None, f"{cls}.{method} takes **{fn.args.kwarg.arg}: name its keywords{hint}"
    assert wanted, f"{cls}.{method}: the native class lists no keywords for it"
    assert all(a.annotation is not None for a in fn.args.kwonlyargs), f"{cls}.{method}: a keyword has no type"
    assert sorted(stub) == sorted(wanted), f"{cls}.{method}: stub {sorted(stub)} != engine {sorted(wanted)}{hint}"
