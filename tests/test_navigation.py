"""The sidebar computed once per folder (tekan.sphinxext.navigation) is furo's own, byte for byte."""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path

import furo
import pytest
from bs4 import BeautifulSoup
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from tekan.sphinxext.navigation import FURO_TOCTREE_ARGS, index_tree

from .conftest import ROOT

pytestmark = pytest.mark.sphinx


def _build(rootdir: Path, tmp: Path, name: str, shared: bool) -> Path:
    from sphinx.testing.util import SphinxTestApp

    src = tmp / name
    shutil.copytree(rootdir / "test-book", src)
    app = SphinxTestApp("html", srcdir=src, confoverrides={"tekan_shared_navigation": shared})
    try:  # one app at a time: cleanup() unregisters its node classes before the next one registers them
        app.build()
        assert app.warning.getvalue().strip() == ""
        return Path(app.outdir)
    finally:
        app.cleanup()


@pytest.fixture(scope="module")
def builds(rootdir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The real book built with furo's own navigation and with the shared one."""
    tmp = tmp_path_factory.mktemp("navigation")
    return _build(rootdir, tmp, "furo", False), _build(rootdir, tmp, "shared", True)


def test_every_page_is_byte_identical_to_furos_own(builds: tuple[Path, Path]) -> None:
    own, shared = builds
    pages = sorted(p.relative_to(own) for p in own.rglob("*.html"))
    assert len(pages) >= 16 + 3 + 5  # statements, sectors, home, glossary, indexes, audit, search
    assert pages == sorted(p.relative_to(shared) for p in shared.rglob("*.html"))
    different = [str(p) for p in pages if (own / p).read_bytes() != (shared / p).read_bytes()]
    assert different == []


def _sidebar(page: Path) -> BeautifulSoup:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    tree = soup.find("div", class_="sidebar-tree")
    assert tree is not None
    return tree


def test_every_statement_is_reachable_and_the_current_page_marked_and_expanded(builds: tuple[Path, Path]) -> None:
    _, shared = builds
    statements = sorted((shared / "statements").glob("*.html"))
    assert len(statements) == 16
    for page in statements:
        tree = _sidebar(page)
        hrefs = {a["href"] for a in tree.find_all("a")}
        others = {p.name for p in statements if p != page}
        assert others <= hrefs, page.name
        current = tree.find_all("li", class_="current-page")
        assert len(current) == 1, page.name
        assert current[0].a["href"] == "#"
        sector = current[0].find_parent("li")
        assert sector is not None and "current" in sector["class"]
        assert sector.find("input", class_="toctree-checkbox").has_attr("checked")  # expanded
        # Only the current sector is expanded.
        assert len(tree.find_all("input", attrs={"checked": True})) == 1
    home = _sidebar(shared / "index.html")
    assert home.find_all(class_="current") == [] and len(home.find_all("a")) >= 16 + 3


def test_furo_version_is_pinned_to_what_the_shared_tree_was_checked_against() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pins = [d for d in pyproject["project"]["dependencies"] if re.match(r"furo\b", d)]
    assert len(pins) == 1
    specifier = SpecifierSet(pins[0].removeprefix("furo"))
    assert Version(furo.__version__) in specifier
    assert str(specifier).startswith("=="), "pinned: a new furo must be checked before it is used"


def test_furo_still_asks_toctree_for_its_tree_with_the_same_arguments() -> None:
    """The shared tree stands in for what furo's private ``_compute_navigation_tree`` asks of ``toctree()``."""
    calls: list[dict[str, object]] = []

    def toctree(**kwargs: object) -> str:
        calls.append(kwargs)
        return '<ul><li class="toctree-l1"><a class="reference internal" href="a.html">A</a></li></ul>'

    result = furo._compute_navigation_tree({"toctree": toctree})
    assert calls == [FURO_TOCTREE_ARGS]
    assert 'href="a.html"' in result


def test_marks_are_spliced_where_furo_puts_them() -> None:
    html = (
        '<ul>\n<li class="toctree-l1 has-children"><a class="reference internal" href="s.html">S</a>'
        '<input aria-label="Toggle navigation of S" class="toctree-checkbox" id="toctree-checkbox-1" '
        'name="toctree-checkbox-1" role="switch" type="checkbox"/><label for="toctree-checkbox-1"></label><ul>\n'
        '<li class="toctree-l2"><a class="reference internal" href="x.html">X</a></li>\n</ul>\n</li>\n'
        '<li class="toctree-l1"><a class="reference internal" href="g.html">G</a></li>\n</ul>'
    )
    tree = index_tree(html)
    marked = tree.for_page("x.html")
    assert '<ul class="current">\n<li class="toctree-l1 current has-children">' in marked
    assert 'aria-label="Toggle navigation of S" checked="" class="toctree-checkbox"' in marked
    x = '<li class="toctree-l2 current current-page"><a class="current reference internal" href="#">X'
    assert f'<ul class="current">\n{x}' in marked
    assert tree.for_page("nowhere.html") == html
    assert 'class="toctree-l1 current current-page"><a class="current reference internal" href="#">G' in tree.for_page(
        "g.html"
    )


def test_a_feature_larger_than_the_sidebar_lists_its_sectors_and_each_sector_its_statements(
    rootdir: Path, tmp_path: Path
) -> None:
    """Past ``tekan_sidebar_entries`` the sidebar leaves its deepest level out: a statement page's size does not
    grow with its feature. (The real book has 19 entries: a limit of 8 makes it such a feature.)"""
    from sphinx.testing.util import SphinxTestApp

    src = tmp_path / "large"
    shutil.copytree(rootdir / "test-book", src)
    app = SphinxTestApp("html", srcdir=src, confoverrides={"tekan_sidebar_entries": 8})
    try:
        app.build()
        assert app.warning.getvalue().strip() == ""
        out = Path(app.outdir)
    finally:
        app.cleanup()
    statements = sorted((out / "statements").glob("*.html"))
    reachable: set[str] = set()
    for page in statements:
        tree = _sidebar(page)
        hrefs = [a["href"] for a in tree.find_all("a")]
        assert not any(h.removeprefix("../statements/") in {p.name for p in statements} for h in hrefs), page.name
        assert tree.find_all("li", class_="current-page") == []  # the page is not listed ...
        current = tree.find_all("li", class_="current")
        assert len(current) == 1 and current[0].a["href"].startswith("../sectors/"), page.name  # ... its sector is
        sector = BeautifulSoup((out / "statements" / current[0].a["href"]).read_text(encoding="utf-8"), "html.parser")
        listed = {a["href"].split("/")[-1] for a in sector.select("article a[href*='statements/']")}
        assert page.name in listed, page.name
        reachable |= listed
    assert reachable >= {p.name for p in statements}
    sizes = [len(str(_sidebar(page))) for page in statements]
    assert max(sizes) - min(sizes) < 200, sizes  # the same list on every page, only the marks differ


def test_a_folder_below_its_base_gets_the_bases_tree_with_its_links_moved(
    rootdir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """furo's pass over the tree runs once for the book (the statements' and sectors' folders move its links), and
    the pages are still furo's own (the test above)."""
    import furo.navigation

    from tekan.sphinxext.navigation import rebase

    calls: list[str] = []
    original = furo.navigation.get_navigation_tree

    def counted(html: str) -> str:
        calls.append(html)
        return original(html)

    monkeypatch.setattr(furo.navigation, "get_navigation_tree", counted)
    out = _build(rootdir, tmp_path, "book", True)
    assert len(calls) == 1 and (out / "statements").is_dir() and (out / "sectors").is_dir()
    tree = (
        '<a class="reference internal" href="statements/a.html#x">a</a><a href="../b/index.html">b</a><a href="#">c</a>'
    )
    moved = rebase(tree, "", "statements")
    assert (
        moved
        == '<a class="reference internal" href="a.html#x">a</a><a href="../../b/index.html">b</a><a href="#">c</a>'
    )
    assert rebase('<a href="a/">x</a>', "f", "f/g") == '<a href="../a/">x</a>'  # dirhtml's folder links
    assert rebase('<a href="https://example.org/a">x</a>', "f", "f/g") == '<a href="https://example.org/a">x</a>'
    assert rebase('<a href="a.html?x=1&amp;y=2">x</a>', "f", "f/g") is None
