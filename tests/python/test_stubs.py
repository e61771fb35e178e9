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
               "Routes", "Visits", "Outbox", "DeadLetters", "Plans", "Kpi"]


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
