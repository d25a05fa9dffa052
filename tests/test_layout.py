"""The package's shape: layers are folders, imports only point down, modules stay readable.

    cli/ (and desk/)  ->  run/ | review/  ->  store/ | backends/ | quality  ->  models, errors

``run/`` and ``review/`` never import each other; only the adapters import typer, rich or click.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "panelist"
MAX_LINES = 400
ADAPTERS = {"cli", "desk"}
TERMINAL_LIBRARIES = {"typer", "rich", "click"}
# what each layer may import from panelist (besides itself)
ALLOWED: dict[str, set[str]] = {
    "cli": {"desk", "run", "review", "store", "backends", "quality", "models", "errors"},
    "desk": {"run", "review", "store", "backends", "quality", "models", "errors"},
    "run": {"store", "backends", "quality", "models", "errors"},
    "review": {"store", "quality", "models", "errors"},
    "quality": {"models", "errors"},  # checks of a take, shared by drafting and reviewing
    "store": {"models", "errors"},
    "backends": {"models", "errors"},
    "models": {"errors"},
    "errors": set(),
}


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def layer_of(path: Path) -> str:
    relative = path.relative_to(PACKAGE)
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


def imported_names(path: Path) -> set[str]:
    """Every absolute module name the file imports, at any depth (lazy imports count too)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def panelist_layers(path: Path) -> set[str]:
    layers = set()
    for name in imported_names(path):
        parts = name.split(".")
        if parts[0] == "panelist" and len(parts) > 1 and parts[1] in ALLOWED:
            layers.add(parts[1])
    return layers


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_is_short_enough_to_read_in_one_sitting(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.name} has {lines} lines: split it by idea"


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_imports_only_layers_below_it(path: Path) -> None:
    layer = layer_of(path)
    if layer not in ALLOWED:
        return  # __init__ / __main__ of the package
    wrong = panelist_layers(path) - ALLOWED[layer] - {layer}
    assert not wrong, f"{layer}/ must not import {sorted(wrong)}"


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_only_the_adapters_import_terminal_libraries(path: Path) -> None:
    if layer_of(path) in ADAPTERS:
        return
    used = {name.split(".")[0] for name in imported_names(path)} & TERMINAL_LIBRARIES
    assert not used, f"{path.name} imports {sorted(used)}; only cli/ may"


def test_the_error_handler_imports_nothing_of_panelist_but_errors() -> None:
    names = {name for name in imported_names(PACKAGE / "cli" / "app.py")
             if name.startswith("panelist")}
    assert names <= {"panelist.errors", "panelist.errors.PanelistError"}
