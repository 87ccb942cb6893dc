"""Incremental builds: an edit re-reads only the pages it affects, and leaves no stale page behind — every
incremental result is byte-identical to a clean build of the same inputs."""

from __future__ import annotations

import io
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

INPUTS = ("conf.py", "seed.txt", "seed.toml", "terms.toml")
pytestmark = pytest.mark.sphinx


class Book:
    """A copy of the ``test-hostile-incremental`` root that is built, edited and rebuilt."""

    def __init__(self, make_app: Callable[..., object], root: Path, folder: Path) -> None:
        self.make_app = make_app
        self.src = folder
        folder.mkdir(parents=True)
        for name in INPUTS:
            shutil.copy(root / name, folder / name)

    def build(self) -> tuple[list[str], list[str]]:
        """Build html; return the documents Sphinx re-read and those it wrote."""
        warnings = io.StringIO()
        app = self.make_app("html", srcdir=self.src, status=io.StringIO(), warning=warnings)
        read: list[str] = []
        written: list[str] = []
        app.connect("env-before-read-docs", lambda app, env, docnames: read.extend(docnames))  # type: ignore[attr-defined]
        app.connect("html-page-context", lambda app, pagename, *args: written.append(pagename))  # type: ignore[attr-defined]
        try:
            app.build()  # type: ignore[attr-defined]
        finally:
            app.cleanup()  # type: ignore[attr-defined]  # the next build in this test registers its nodes anew
        assert warnings.getvalue() == ""
        return sorted(read), sorted(written)

    def edit(self, name: str, old: str, new: str) -> None:
        path = self.src / name
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")

    def html(self) -> dict[str, bytes]:
        out = self.src / "_build" / "html"
        return {
            str(p.relative_to(out)): p.read_bytes()
            for p in sorted(out.rglob("*"))
            if p.is_file() and ".doctrees" not in p.parts and p.name != ".buildinfo"
        }


@pytest.fixture
def book(make_app: Callable[..., object], rootdir: Path, tmp_path: Path) -> Book:
    book = Book(make_app, rootdir / "test-hostile-incremental", tmp_path / "book")
    read, _ = book.build()
    assert "statements/zhao-liu" in read and len(read) >= 8
    return book


def backlinks(book: Book) -> set[str]:
    """The targets of the glossary's backlinks."""
    return set(re.findall(r'class="tekan-backlink[^"]*" href="([^"]+)"', book.html()["glossary.html"].decode()))


def assert_same_as_clean_build(book: Book, make_app: Callable[..., object], tmp_path: Path) -> None:
    clean = Book(make_app, book.src, tmp_path / f"clean-{len(list(tmp_path.iterdir()))}")
    clean.build()
    got, want = book.html(), clean.html()
    assert sorted(got) == sorted(want)
    # The search files (_search/: head and tail shards, page files, manifest) updated from the words that changed
    # are the ones a clean build makes, byte for byte; Sphinx's searchindex.js is not written.
    assert "searchindex.js" not in got and any(name.startswith("_search/heads/") for name in got)
    stale = [name for name in want if got[name] != want[name]]
    assert stale == [], f"stale after the incremental build: {stale}"


def test_nothing_changed_reads_nothing(book: Book) -> None:
    read, written = book.build()
    assert read == []
    assert not [doc for doc in written if doc.startswith("statements/")]


def test_an_edit_moves_pages_between_a_words_head_and_tail_as_a_clean_build_does(
    make_app, rootdir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With heads of two pages (ten on a site), most words of this small book have a tail: the shards an edit
    rewrites (a page gains and loses words, so pages move between a word's head and its tail) are a clean build's."""
    import tekan.searchshards
    import tekan.sphinxext.searchshards as glue

    monkeypatch.setattr(tekan.searchshards, "HEAD_RESULTS", 2)
    made_whole: list[str] = []
    write_all = glue._write_all
    monkeypatch.setattr(
        glue, "_write_all", lambda index, *args: made_whole.append(index.app.srcdir) or write_all(index, *args)
    )
    book = Book(make_app, rootdir / "test-hostile-incremental", tmp_path / "book")
    book.build()
    tails = [text for name, text in book.html().items() if name.startswith("_search/tails/")]
    assert any(text != b"{}" for text in tails)
    for old, new in (
        ("標準化工作要服務產業。", "標準化工作要更好地服務產業。"),
        ("標準化工作要更好地服務產業。", "要服務。"),
    ):
        book.edit("seed.txt", old, new)
        made_whole.clear()
        book.build()
        assert made_whole == []  # the shards of the words that changed were updated, not every file made again
        assert_same_as_clean_build(book, make_app, tmp_path)


def test_editing_a_paragraph_rereads_that_page_only(book: Book, make_app, tmp_path: Path) -> None:
    book.edit("seed.txt", "標準化工作要服務產業。", "標準化工作要更好地服務產業。")
    read, written = book.build()
    assert read == ["statements/zhao-liu"]
    # The page links the same terms as before: the glossary's backlinks are unchanged, so it is not rewritten.
    assert sorted(set(written) - {"genindex", "search", "404", "colophon"}) == ["statements/zhao-liu"]
    assert_same_as_clean_build(book, make_app, tmp_path)


def test_an_edit_that_changes_no_title_reuses_the_sidebar_of_the_last_build(
    book: Book, make_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The folders' sidebars are kept from build to build (``tekan-navigation.pickle``): an edit that leaves every
    title and table of contents as it was resolves no toctree for them, and the pages are a clean build's."""
    from tekan.sphinxext import navigation

    resolved: list[str] = []
    real = navigation.global_toctree_for_doc
    monkeypatch.setattr(navigation, "global_toctree_for_doc", lambda *a, **k: resolved.append(a[1]) or real(*a, **k))
    book.edit("seed.txt", "標準化工作要服務產業。", "標準化工作要更好地服務產業。")
    book.build()
    assert resolved == []
    monkeypatch.setattr(navigation, "global_toctree_for_doc", real)
    assert_same_as_clean_build(book, make_app, tmp_path)


def test_an_edit_digests_the_tables_of_contents_of_the_pages_it_reads_only(
    book: Book, make_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sidebar's key holds a digest of every page's table of contents, kept in the environment: an edit writes
    out the table of contents of the page it re-reads, not of every page (1,700 at 1,600 statements)."""
    from docutils import nodes

    digested: list[str] = []
    real = nodes.Element.__str__

    def counting(self: nodes.Element) -> str:
        if isinstance(self, nodes.bullet_list) and self.parent is None:  # a page's table of contents, whole
            digested.append(self.astext()[:20])
        return real(self)

    monkeypatch.setattr(nodes.Element, "__str__", counting)
    book.edit("seed.txt", "標準化工作要服務產業。", "標準化工作要更好地服務產業。")
    read, _ = book.build()
    assert read == ["statements/zhao-liu"] and len(digested) == 1, digested
    monkeypatch.setattr(nodes.Element, "__str__", real)
    book.edit("seed.txt", "標準引領發展", "標準引領高質量發展")  # a new title: the sidebars are made again
    book.build()
    assert_same_as_clean_build(book, make_app, tmp_path)


def test_a_new_term_use_updates_the_glossary_backlinks(book: Book, make_app, tmp_path: Path) -> None:
    assert "statements/zhao-liu.html#zhao-liu" not in backlinks(book)
    book.edit("seed.txt", "標準化工作要服務產業。", "標準化工作要服務產業，計量也一樣。")
    read, written = book.build()
    assert read == ["statements/zhao-liu"]
    assert "glossary" in written
    assert "statements/zhao-liu.html#zhao-liu" in backlinks(book)
    assert_same_as_clean_build(book, make_app, tmp_path)


def test_using_the_same_terms_in_another_order_leaves_the_glossary_as_it_is(
    book: Book, make_app, tmp_path: Path
) -> None:
    # 檢驗檢測 now before 國家質量基礎設施 on the page: its record of the terms it uses changes, not the backlinks.
    book.edit("seed.txt", "計量是國家質量基礎設施", "計量與檢驗檢測是國家質量基礎設施")
    read, written = book.build()
    assert read == ["statements/wang-xiaoming"]
    assert sorted(set(written) - {"genindex", "search", "404", "colophon"}) == ["statements/wang-xiaoming"]
    assert_same_as_clean_build(book, make_app, tmp_path)


def test_an_edit_beside_a_correction_rereads_the_audit_page_but_not_the_editorial_note(
    make_app, rootdir: Path, tmp_path: Path
) -> None:
    """The site's editorial note counts the corrections and links to the audit page, which shows each in its context
    (the note's list of them is the PDF's): text edited beside a correction re-reads the statement and the audit
    page only."""
    book = Book(make_app, rootdir / "test-minimal", tmp_path / "book")
    book.edit("seed.txt", "都離不開計量。", "都離不開計量,要推動全球布局。")  # 布局 → 佈局: listed in print
    book.build()
    book.edit("seed.txt", "要推動全球布局", "要推進全球布局")
    read, _ = book.build()
    assert read == ["audit", "statements/wang-xiaoming"]
    assert_same_as_clean_build(book, make_app, tmp_path)


def test_removing_the_only_use_of_a_term_removes_its_backlink(book: Book, make_app, tmp_path: Path) -> None:
    assert "statements/li-si.html#li-si" in backlinks(book)
    book.edit("seed.txt", "檢驗檢測傳遞信任。", "檢測傳遞信任。")
    read, _ = book.build()
    assert read == ["statements/li-si"]
    assert "statements/li-si.html#li-si" not in backlinks(book)
    assert_same_as_clean_build(book, make_app, tmp_path)


def test_editing_a_headline_rewrites_every_page_but_rereads_one(book: Book, make_app, tmp_path: Path) -> None:
    # Every page's navigation shows the headline, so every page is rewritten; only two are re-read.
    book.edit("seed.txt", "標準引領發展", "標準引領高質量發展")
    read, written = book.build()
    assert read == ["index", "statements/zhao-liu"]
    assert {"statements/wang-xiaoming", "statements/li-si", "sectors/enterprise", "glossary"} <= set(written)
    assert not any("標準引領發展" in page.decode(errors="replace") for page in book.html().values())
    assert_same_as_clean_build(book, make_app, tmp_path)


def test_editing_a_term_rereads_the_pages_that_link_to_it(book: Book, make_app, tmp_path: Path) -> None:
    book.edit("terms.toml", "Science of measurement and its application.", "The science of measurement.")
    read, written = book.build()
    # wang-xiaoming links 計量; li-si and zhao-liu do not. Each page carries the tooltips of its own terms
    # only, so no other page is rewritten (Sphinx writes its generated pages, genindex and search, every time).
    assert read == ["english-index", "glossary", "statements/wang-xiaoming"]
    assert sorted(set(written) - {"genindex", "search", "404", "colophon"}) == read
    assert_same_as_clean_build(book, make_app, tmp_path)


def test_a_term_that_starts_matching_relinks_the_page(book: Book, make_app, tmp_path: Path) -> None:
    book.edit("terms.toml", "aliases = []", 'aliases = ["檢測"]')
    book.edit("seed.txt", "標準化工作要服務產業。", "標準化工作要服務檢測產業。")
    read, _ = book.build()
    # zhao-liu now links the term; li-si and wang-xiaoming link it already and follow its entry.
    assert read == ["english-index", "glossary", "statements/li-si", "statements/wang-xiaoming", "statements/zhao-liu"]
    assert "glossary.html#term-inspection-and-testing" in book.html()["statements/zhao-liu.html"].decode()
    assert_same_as_clean_build(book, make_app, tmp_path)


def test_adding_a_paragraph_rereads_that_page_only(book: Book, make_app, tmp_path: Path) -> None:
    book.edit("seed.txt", "計量是國家質量基礎設施", "新的一段。\n計量是國家質量基礎設施")
    read, _ = book.build()
    assert read == ["statements/wang-xiaoming"]
    assert_same_as_clean_build(book, make_app, tmp_path)


def test_removing_a_statement_removes_its_page_and_every_link_to_it(book: Book, make_app, tmp_path: Path) -> None:
    book.edit("seed.txt", "標準引領發展\n標準化工作要服務產業。\n——某省市場監管局局長趙六\n", "")
    meta = book.src / "seed.toml"
    entries = meta.read_text(encoding="utf-8").split("\n[[statement]]\n")
    meta.write_text("\n[[statement]]\n".join(e for e in entries if "趙六" not in e), encoding="utf-8")
    read, _ = book.build()
    assert read == ["index", "sectors/institution", "statements/li-si"]  # li-si is now number 2
    html = book.html()
    assert "statements/zhao-liu.html" not in html
    assert not any("zhao-liu" in page.decode(errors="replace") for page in html.values())
    assert_same_as_clean_build(book, make_app, tmp_path)


def test_reordering_statements_rewrites_every_page(book: Book, make_app, tmp_path: Path) -> None:
    # No title changes and no page comes or goes, but the sidebar and the previous/next links of every page
    # follow the order of the sector's toctree: every page is rewritten, as a clean build would write it.
    first = "計量為質量賦能\n計量是國家質量基礎設施的重要組成部分，檢驗檢測和認證認可都離不開計量。\n"
    first += "——某省計量科學研究院院長王小明\n"
    second = "標準引領發展\n標準化工作要服務產業。\n——某省市場監管局局長趙六\n"
    book.edit("seed.txt", first + second, second + first)
    read, written = book.build()
    assert "statements/li-si" not in read and "statements/li-si" in written
    assert "glossary.html#term-metrology" in book.html()["statements/wang-xiaoming.html"].decode()
    assert_same_as_clean_build(book, make_app, tmp_path)
