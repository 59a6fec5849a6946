"""Imports point down the floors (README, Architecture). Read from the source (AST), not run.

A violation is named: the importing file, the imported module and the floors involved.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = "treasury_desktop"
ROOT = Path(__file__).resolve().parents[1] / "src" / PACKAGE

# Each top-level module or package of treasury_desktop, and its floor (higher imports lower).
FLOORS: dict[str, int] = {
    # the faces and the composition root
    "__main__": 6, "app": 6, "cli": 6, "ui": 6, "demo": 6, "context": 6, "delivery": 6,
    "usecases": 5,
    "outbox": 4, "sync": 4, "settings": 4, "sheets": 4,
    "store": 3, "api": 3, "sandbox": 3, "packages": 3, "printing": 3,
    "domain": 2, "signing": 2,
    # the base: paths, messages, a clock, the log, the version, the package itself
    "__init__": 1, "paths": 1, "i18n": 1, "clock": 1, "logs": 1, "version": 1,
}
ROOT_ONLY = ("usecases", "ui", "cli", "demo", "context", "app", "delivery")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_module(name: str) -> bool:
    relative = Path(*name.split(".")[1:]) if "." in name else Path()
    return (ROOT / relative).with_suffix(".py").is_file() or (ROOT / relative).is_dir()


def _type_only(tree: ast.AST) -> set[int]:
    """The import nodes under ``if TYPE_CHECKING:`` (read by mypy, never run)."""
    nodes: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            nodes.update(id(inner) for part in node.body for inner in ast.walk(part))
    return nodes


def _imports(path: Path, *, type_only: bool = True) -> Iterator[str]:
    """Every treasury_desktop module ``path`` imports, at any depth of the file (lazy too;
    those under ``if TYPE_CHECKING:`` unless ``type_only`` is False)."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = set() if type_only else _type_only(tree)
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names if alias.name.startswith(PACKAGE))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith(PACKAGE):
                continue
            for alias in node.names:  # ``from pkg import module`` imports the module
                sub = f"{target}.{alias.name}"
                yield sub if _is_module(sub) else target


def _graph(*, type_only: bool = True) -> dict[str, set[str]]:
    return {_module_name(p): set(_imports(p, type_only=type_only))
            for p in sorted(ROOT.rglob("*.py"))}


def _top(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def test_every_top_level_module_has_a_floor() -> None:
    tops = {_top(m) for m in _graph()}
    assert tops - FLOORS.keys() == set(), "give these a floor in tests/test_floors.py"


def test_imports_point_down_the_floors() -> None:
    violations = sorted(
        f"{module} imports {target} ({_top(module)} floor {FLOORS.get(_top(module))}"
        f" -> {_top(target)} floor {FLOORS.get(_top(target))})"
        for module, targets in _graph().items()
        for target in targets
        if FLOORS.get(_top(target), 0) > FLOORS.get(_top(module), 0)
    )
    assert violations == []


def test_nothing_below_usecases_imports_the_faces_or_the_root() -> None:
    violations = sorted(
        f"{module} imports {target}"
        for module, targets in _graph().items()
        if FLOORS.get(_top(module), 0) < FLOORS["usecases"]
        for target in targets
        if _top(target) in ROOT_ONLY
    )
    assert violations == []


def test_no_two_packages_import_each_other() -> None:
    edges: dict[tuple[str, str], str] = {}
    for module, targets in _graph().items():
        for target in targets:
            if _top(module) != _top(target):
                edges.setdefault((_top(module), _top(target)), f"{module} -> {target}")
    cycles = sorted(
        f"{a} <-> {b}: {edges[(a, b)]}; {edges[(b, a)]}"
        for (a, b) in edges
        if a < b and (b, a) in edges
    )
    assert cycles == []


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one file (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in graph:
                    continue
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_file_level_cycle() -> None:
    # Files that run each other (a type named for mypy alone is not a cycle at run time; the
    # floors above count those imports too).
    graph = _graph(type_only=False)
    # A package's __init__ importing its own submodules is how a package speaks; a module
    # importing its own package's __init__ is not a cycle of files we wrote.
    graph = {m: {t for t in ts if not m.startswith(t + ".")} for m, ts in graph.items()}
    assert _cycles(graph) == []


def test_the_floors_test_sees_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
