"""The package's shape: layers are folders, imports only point down, modules stay readable.

    cli/ (and desk/)  ->  run/ | review/  ->  store/ | backends/ | quality  ->  models, errors

``run/`` and ``review/`` never import each other; only cli/ imports typer, rich or click, only
desk/ Starlette or uvicorn, only backends/ a provider's SDK or names a provider; no relative
imports (they would hide an import from these rules) and no import cycle, lazy ones included.

Each rule is a function of a package folder, so the mutation specs at the end can break a copy
of the package and show that the rule notices.
"""

from __future__ import annotations

import ast
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "panelist"
MAX_LINES = 400
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
# third-party packages only one layer may import
OWNED_LIBRARIES: dict[str, str] = {
    "typer": "cli", "rich": "cli", "click": "cli",
    "starlette": "desk", "uvicorn": "desk",
    "anthropic": "backends", "httpx2": "backends", "llama_cpp": "backends",
}
PROVIDER_NAMES = {"claude", "local", "anthropic"}  # the backends' names: asked, never compared


def modules(package: Path = PACKAGE) -> list[Path]:
    return sorted(package.rglob("*.py"))


def layer_of(path: Path, package: Path = PACKAGE) -> str:
    relative = path.relative_to(package)
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


def module_name(path: Path, package: Path = PACKAGE) -> str:
    parts = list(path.relative_to(package.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def parsed(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def imported_names(path: Path) -> set[str]:
    """Every absolute module name the file imports, at any depth (lazy imports count too)."""
    names: set[str] = set()
    for node in ast.walk(parsed(path)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


# the rules: each returns what is wrong in one package folder


def long_modules(package: Path) -> list[str]:
    return [f"{path.name} has {n} lines: split it by idea" for path in modules(package)
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES]


def relative_imports(package: Path) -> list[str]:
    return [f"{path.relative_to(package)}:{node.lineno} imports relatively"
            for path in modules(package) for node in ast.walk(parsed(path))
            if isinstance(node, ast.ImportFrom) and node.level > 0]


def upward_imports(package: Path) -> list[str]:
    wrong = []
    for path in modules(package):
        layer = layer_of(path, package)
        if layer not in ALLOWED:
            continue  # __init__ / __main__ of the package
        layers = {parts[1] for name in imported_names(path)
                  if (parts := name.split("."))[0] == package.name and len(parts) > 1
                  and parts[1] in ALLOWED}
        if bad := layers - ALLOWED[layer] - {layer}:
            wrong.append(f"{layer}/{path.name} must not import {sorted(bad)}")
    return wrong


def foreign_libraries(package: Path) -> list[str]:
    wrong = []
    for path in modules(package):
        layer = layer_of(path, package)
        for name in imported_names(path):
            owner = OWNED_LIBRARIES.get(name.split(".")[0])
            if owner is not None and owner != layer:
                wrong.append(f"{path.relative_to(package)} imports {name}; only {owner}/ may")
    return sorted(set(wrong))


def provider_names(package: Path) -> list[str]:
    """A provider named outside backends/ (``if backend == "claude"``): ask a capability."""
    return [f"{path.relative_to(package)}:{node.lineno} names the provider {node.value!r}"
            for path in modules(package) if layer_of(path, package) != "backends"
            for node in ast.walk(parsed(path))
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and node.value.lower() in PROVIDER_NAMES]


def runtime_nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node but those under ``if TYPE_CHECKING:`` (read by type checkers, never run)."""
    found: list[ast.AST] = []
    stack = [tree]
    while stack:
        node = stack.pop()
        found.append(node)
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) \
                and node.test.id == "TYPE_CHECKING":
            stack.extend(node.orelse)
            continue
        stack.extend(ast.iter_child_nodes(node))
    return found


def import_graph(package: Path) -> dict[str, set[str]]:
    """Module -> the package's modules it imports when it runs, at any depth (lazy imports in
    functions too; not those only a type checker reads). ``from pkg import sub`` is an edge to
    ``pkg.sub`` (its package's ``__init__`` has already run by then)."""
    known = {module_name(path, package): path for path in modules(package)}
    graph: dict[str, set[str]] = {}
    for name, path in known.items():
        edges: set[str] = set()
        for node in runtime_nodes(parsed(path)):
            if isinstance(node, ast.Import):
                edges.update(alias.name for alias in node.names if alias.name in known)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                submodules = {f"{node.module}.{alias.name}" for alias in node.names} & set(known)
                edges |= submodules
                if len(submodules) < len(node.names) and node.module in known:
                    edges.add(node.module)
        graph[name] = edges - {name}
    return graph


def import_cycles(package: Path) -> list[str]:
    """Strongly connected groups of modules (Tarjan's algorithm), as 'a -> b -> a'."""
    graph = import_graph(package)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[str] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                cycles.append(" -> ".join(sorted(group)))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return cycles


RULES: dict[str, Callable[[Path], list[str]]] = {
    "modules stay short": long_modules,
    "no relative imports": relative_imports,
    "imports point down": upward_imports,
    "each library in its layer": foreign_libraries,
    "providers named only in backends/": provider_names,
    "no import cycles": import_cycles,
}


@pytest.mark.parametrize("rule", RULES, ids=list(RULES))
def test_the_package_keeps_the_rule(rule: str) -> None:
    assert RULES[rule](PACKAGE) == []


def test_the_error_handler_imports_nothing_of_panelist_but_errors() -> None:
    """Nor does what it imports: the error tree and the line Ctrl-C prints import nothing."""
    names = {name for name in imported_names(PACKAGE / "cli" / "app.py")
             if name.startswith("panelist")}
    assert names <= {"panelist.errors", "panelist.errors.PanelistError", "panelist.interrupted",
                     "panelist.interrupted.command_of", "panelist.interrupted.interrupted"}
    assert not [name for name in imported_names(PACKAGE / "interrupted.py")
                if name.startswith("panelist")]


# each rule, broken on purpose in a copy of the package: (rule, file, text appended)
MUTATIONS = [
    ("each library in its layer", "desk/cards.py", "import rich\n"),
    ("each library in its layer", "run/plan.py", "import starlette\n"),
    ("each library in its layer", "review/views.py", "def f():\n    import typer\n"),
    ("each library in its layer", "store/drafts.py", "import anthropic\n"),
    ("no relative imports", "run/plan.py", "from ..review import views\n"),
    ("no relative imports", "run/plan.py", "from . import jobs\n"),
    ("imports point down", "run/plan.py", "def f():\n    from panelist.review import views\n"),
    ("imports point down", "store/drafts.py", "from panelist.run import jobs\n"),
    ("providers named only in backends/", "run/panel.py", "IS_CLAUDE = 'x' == 'claude'\n"),
    ("providers named only in backends/", "cli/progress.py", "LOCAL = 'local'\n"),
    ("no import cycles", "run/jobs.py", "def f():\n    from panelist.run import plan\n"),
    ("no import cycles", "cli/tables.py", "def f():\n    from panelist.cli import stacked\n"),
    ("modules stay short", "errors.py", "\n" * (MAX_LINES + 1)),
]


@pytest.mark.parametrize(("rule", "file", "text"), MUTATIONS,
                         ids=[f"{rule}: {file}" for rule, file, _ in MUTATIONS])
def test_a_broken_copy_of_the_package_fails_the_rule(tmp_path: Path, rule: str, file: str,
                                                     text: str) -> None:
    copy = tmp_path / "panelist"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    assert RULES[rule](copy) == []
    with (copy / file).open("a", encoding="utf-8") as handle:
        handle.write("\n" + text)
    assert RULES[rule](copy), f"breaking {file} went unnoticed by '{rule}'"
