"""The pure core's import graph: no cycles (also through late imports inside functions), no Sphinx."""

from __future__ import annotations

import ast
from pathlib import Path

import tekan

PACKAGE = Path(tekan.__file__).parent


def _core_imports() -> dict[str, set[str]]:
    """Every core module (tekan/*.py) → the core modules it imports anywhere in its text."""
    modules = {path.stem: path for path in PACKAGE.glob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        found: set[str] = set()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        # Imports only for type checkers never run: they cannot make a cycle.
        for node in ast.walk(tree):
            if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
                node.body = []
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                module = node.module or ""
                if node.level == 1 or module.startswith("tekan."):
                    found.add(module.removeprefix("tekan.").split(".")[0])
                    found.update(alias.name for alias in node.names if alias.name in modules and not module)
            elif isinstance(node, ast.Import):
                found.update(a.name.split(".")[0] for a in node.names)
        graph[name] = found
    return graph


def test_core_modules_import_no_sphinx() -> None:
    offenders = sorted(name for name, deps in _core_imports().items() if "sphinx" in deps)
    assert offenders == []


def test_core_import_graph_has_no_cycle() -> None:
    imports = _core_imports()
    graph = {name: {d for d in deps if d in imports and d != name} for name, deps in imports.items()}
    visiting: list[str] = []
    done: set[str] = set()

    def visit(name: str) -> None:
        assert name not in visiting, "import cycle: " + " → ".join([*visiting[visiting.index(name) :], name])
        if name in done:
            return
        visiting.append(name)
        for dep in sorted(graph[name]):
            visit(dep)
        visiting.pop()
        done.add(name)

    for name in sorted(graph):
        visit(name)
