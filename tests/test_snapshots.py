"""Snapshots of what the smallest book (tests/roots/test-minimal) becomes: a statement page's doctree and its
HTML article, and the glossary's, compared with the files in tests/test_snapshots/ (pytest-regressions'
``file_regression``, as MyST-Parser and sphinx-design do). An unintended markup change shows up in review even
when every invariant of the other tests still holds.

After an intended change, regenerate them and review the diff::

    .venv/bin/pytest tests/test_snapshots.py --force-regen
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.sphinx


def _portable(text: str, app: Any) -> str:
    """The text without this run's folders (the sources live in a temporary directory)."""
    for folder, name in ((app.srcdir, "SRCDIR"), (Path(app.srcdir).parent, "ROOTS")):
        text = text.replace(str(folder), name)
    return text.rstrip() + "\n"


@pytest.fixture(scope="module")
def built(rootdir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The minimal book built once for the module (a fresh environment)."""
    import shutil

    from sphinx.testing.util import SphinxTestApp

    srcdir = tmp_path_factory.mktemp("snapshots") / "minimal"
    shutil.copytree(rootdir / "test-minimal", srcdir)
    app = SphinxTestApp("html", srcdir=srcdir, freshenv=True)
    try:
        app.build()
        assert app.warning.getvalue().strip() == ""
        yield app
    finally:
        app.cleanup()


@pytest.mark.parametrize("docname", ["statements/wang-xiaoming", "glossary"])
def test_doctree(built: Any, docname: str, file_regression: Any) -> None:
    doctree = built.env.get_doctree(docname)
    file_regression.check(_portable(doctree.pformat(), built), basename=docname.replace("/", "-") + "-doctree")


@pytest.mark.parametrize("docname", ["statements/wang-xiaoming", "glossary"])
def test_html_article(built: Any, docname: str, file_regression: Any) -> None:
    page = BeautifulSoup((Path(built.outdir) / f"{docname}.html").read_text(encoding="utf-8"), "html.parser")
    article = page.find("article")
    assert article is not None
    file_regression.check(
        _portable(article.prettify(), built), basename=docname.replace("/", "-") + "-html", extension=".html"
    )
