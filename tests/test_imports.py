"""The import graphs: the pure core imports no Sphinx, docutils or theme in any form; neither the core nor the
Sphinx glue has a cycle (also through late imports inside functions)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import tekan

PACKAGE = Path(tekan.__file__).parent
#: What only the glue (tekan.sphinxext) may import: Sphinx, docutils, the theme, MyST's Sphinx side and the
#: Sphinx extensions Tekan sets up.
GLUE_ONLY = {"sphinx", "docutils", "furo", "myst_parser", "sphinxext", "notfound", "sphinx_autobuild"}


def imports_of(text: str, here: str = "tekan") -> set[str]:
    """Every module ``text`` imports, in any form, as a dotted name: ``import a.b``, ``from a.b import c``
    (``a.b`` and ``a.b.c``), relative imports resolved from the package ``here``, ``importlib.import_module("a")``
    and ``__import__("a")`` with a literal name; imports under ``if TYPE_CHECKING:`` never run and are left out."""
    tree = ast.parse(text)
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            node.body = []
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here.split(".")[: len(here.split(".")) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            name = ast.unparse(node.func)
            if name in ("importlib.import_module", "import_module", "__import__") and isinstance(
                node.args[0].value, str
            ):
                found.add(node.args[0].value)
    return found


def _graph(folder: Path, package: str) -> dict[str, set[str]]:
    """Each module of ``package`` (the ``*.py`` in ``folder``) → every module it imports."""
    return {path.stem: imports_of(path.read_text(encoding="utf-8"), here=package) for path in folder.glob("*.py")}


def _top(name: str) -> str:
    return name.split(".")[0]


def core_offenders() -> list[tuple[str, str]]:
    """(core module, what it imports) for every import of a glue-only package by the pure core."""
    return sorted(
        (module, name)
        for module, names in _graph(PACKAGE, "tekan").items()
        for name in names
        if _top(name) in GLUE_ONLY
    )


def test_core_modules_import_no_sphinx_docutils_or_theme() -> None:
    assert core_offenders() == []


@pytest.mark.parametrize(
    "line",
    [
        "from sphinx.util import logging",
        "import sphinx",
        "import docutils.nodes",
        "from docutils import nodes",
        "import furo",
        "from furo import navigation",
        "from myst_parser.parsers import mdit",
        "import importlib\nimportlib.import_module('sphinx.util')",
        "__import__('furo')",
        "def late():\n    from sphinx.util import logging",
    ],
)
def test_the_scanner_sees_every_form_of_import(line: str) -> None:
    """The check above would pass vacuously if the scanner missed a form: each form is seen."""
    assert {_top(name) for name in imports_of(line)} & GLUE_ONLY


def test_imports_only_for_type_checkers_are_not_counted() -> None:
    text = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from sphinx.application import Sphinx\n"
    assert not {_top(name) for name in imports_of(text)} & GLUE_ONLY


def _internal(graph: dict[str, set[str]], package: str) -> dict[str, set[str]]:
    """The edges of ``graph`` between its own modules (``tekan.x.y`` → ``x`` when ``x`` is one of them)."""
    prefix = f"{package}."
    return {
        module: {n.removeprefix(prefix).split(".")[0] for n in names if n.startswith(prefix)} & set(graph) - {module}
        for module, names in graph.items()
    }


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle of ``graph``, or []."""
    visiting: list[str] = []
    done: set[str] = set()

    def visit(name: str) -> list[str]:
        if name in visiting:
            return [*visiting[visiting.index(name) :], name]
        if name in done:
            return []
        visiting.append(name)
        for dep in sorted(graph[name]):
            found = visit(dep)
            if found:
                return found
        visiting.pop()
        done.add(name)
        return []

    for name in sorted(graph):
        found = visit(name)
        if found:
            return found
    return []


def test_core_import_graph_has_no_cycle() -> None:
    assert _cycle(_internal(_graph(PACKAGE, "tekan"), "tekan")) == []


def test_glue_import_graph_has_no_cycle() -> None:
    """tekan.sphinxext's modules: the target and the loaded book come from the leaf ``config``, so no module
    needs another for them (pages → glossary → pages was such a cycle, hidden behind a late import)."""
    glue = PACKAGE / "sphinxext"
    assert _cycle(_internal(_graph(glue, "tekan.sphinxext"), "tekan.sphinxext")) == []


def test_the_cycle_finder_finds_a_late_import_cycle() -> None:
    graph = {
        "pages": imports_of("def f():\n    from .glossary import term_reference", here="tekan.sphinxext"),
        "glossary": imports_of("from .pages import book_of", here="tekan.sphinxext"),
    }
    assert _cycle(_internal(graph, "tekan.sphinxext")) == ["glossary", "pages", "glossary"]
