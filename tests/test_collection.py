"""A collection: three features (one seed each) as one book — parts, one glossary, stable page names."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tekan.book import book_pages, load_book
from tekan.collection import feature_id, read_collection
from tekan.errors import TekanError

from .conftest import GLOSSARY, SEED, tekan

ROOTS = Path(__file__).parent / "roots"
COLLECTION = ROOTS / "test-collection"
FEATURES = ("2020-spring", "2021-autumn", "2022-winter")


def _no_warnings(app) -> None:
    warnings = app.warning.getvalue().strip()
    assert warnings == "", warnings


def test_feature_ids_are_the_seed_names_as_slugs() -> None:
    _, seeds = read_collection(COLLECTION / "collection.toml")
    assert [feature_id(s) for s in seeds] == list(FEATURES)


def test_two_seeds_with_the_same_folder_are_refused(tmp_path: Path) -> None:
    for name in ("A_b.txt", "a-b.txt"):
        shutil.copy(COLLECTION / "features" / "2022-winter.txt", tmp_path / name)
    (tmp_path / "c.toml").write_text('seeds = ["A_b.txt", "a-b.txt"]\n', encoding="utf-8")
    with pytest.raises(TekanError, match="page folder 'a-b'"):
        read_collection(tmp_path / "c.toml")


def _pages(tmp_path: Path, features: list[str]) -> dict[str, str]:
    listed = ", ".join(f'"{COLLECTION / "features" / name}"' for name in features)
    collection = tmp_path / f"c{len(features)}.toml"
    collection.write_text(f"seeds = [{listed}]\n", encoding="utf-8")
    return book_pages(load_book(collection, COLLECTION / "terms.toml"))


def test_the_audit_pages_of_a_collection_are_named_as_they_are_rendered(tmp_path: Path) -> None:
    """``audit_docs`` (the pages the print does not read) names each feature's audit page, as rendered."""
    from tekan.rendering import audit_docs

    listed = ", ".join(f'"{path}"' for path in sorted((COLLECTION / "features").glob("*.txt")))
    collection = tmp_path / "c.toml"
    collection.write_text(f"seeds = [{listed}]\n", encoding="utf-8")
    book = load_book(collection, COLLECTION / "terms.toml")
    rendered = {name.removesuffix(".md") for name in book_pages(book) if name.rpartition("/")[2].startswith("audit")}
    assert len(rendered) >= 2 and audit_docs(book.publication, book.features) == rendered


def test_adding_a_feature_renames_no_page(tmp_path: Path) -> None:
    two = _pages(tmp_path, ["2020_Spring.txt", "2022-winter.txt"])
    three = _pages(tmp_path, ["2020_Spring.txt", "2021-autumn.txt", "2022-winter.txt"])
    assert set(two) < set(three)
    assert sorted(set(three) - set(two)) == [
        "2021-autumn/about.md",
        "2021-autumn/audit.md",
        "2021-autumn/index.md",
        "2021-autumn/sectors/enterprise.md",
        "2021-autumn/sectors/institution.md",
        "2021-autumn/statements/li-si.md",
        "2021-autumn/statements/wang-xiaoming.md",
    ]
    # The same speaker's slug in two features: two pages, two labels.
    assert "(wang-xiaoming-2020-spring)=" in three["2020-spring/statements/wang-xiaoming.md"]
    assert "(wang-xiaoming-2021-autumn)=" in three["2021-autumn/statements/wang-xiaoming.md"]
    # Pages of the features before the new one do not change at all.
    for name in two:
        if name.startswith("2020-spring/"):
            assert two[name] == three[name], name


@pytest.mark.sphinx("html", testroot="collection")
def test_collection_site(app) -> None:
    app.build()
    _no_warnings(app)
    out = Path(app.outdir)
    home = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    main = home.find("article")
    assert [a["href"] for a in main.find_all("a", class_="reference")] == [f"{f}/index.html" for f in FEATURES]
    # Each feature is a part with its masthead and date.
    autumn = (out / "2021-autumn" / "index.html").read_text(encoding="utf-8")
    assert "《測試報》秋季特刊　2021-10" in autumn
    assert 'href="statements/li-si.html"' in autumn
    # One glossary: the backlinks of a term span every feature that uses it, in book order.
    glossary = (out / "glossary.html").read_text(encoding="utf-8")
    entry = glossary[glossary.index('id="term-metrology"') :]
    entry = entry[: entry.index("</dd>")]
    used = re.findall(r'href="([^"#]+)#', entry)
    assert used == [
        "2020-spring/statements/wang-xiaoming.html",
        "2021-autumn/statements/li-si.html",
        "2021-autumn/statements/wang-xiaoming.html",
    ]
    nqi = glossary[glossary.index('id="term-nqi"') :]
    assert "2022-winter/statements/zhao-liu.html" in nqi[: nqi.index("</dd>")]
    # Statement pages link to the one glossary.
    page = (out / "2022-winter" / "statements" / "zhao-liu.html").read_text(encoding="utf-8")
    assert 'href="../../glossary.html#term-nqi"' in page
    # Search spans every feature (each found page has its excerpt file).
    pages = (out / "_search" / "pages").glob("*.json")
    docnames = [json.loads(page.read_text(encoding="utf-8"))["n"] for page in pages]
    for feature in FEATURES:
        assert any(d.startswith(f"{feature}/statements/") for d in docnames), feature


@pytest.mark.sphinx("html", testroot="collection")
def test_sidebar_lists_every_feature_and_expands_only_the_pages_own(app) -> None:
    app.build()
    out = Path(app.outdir)
    page = BeautifulSoup((out / "2021-autumn" / "statements" / "li-si.html").read_text(encoding="utf-8"), "html.parser")
    tree = page.find("div", class_="sidebar-tree")
    top = [li.a["href"] for li in tree.find_all("li", class_="toctree-l1")]
    assert top == ["../../2020-spring/index.html", "../index.html", "../../2022-winter/index.html",
                   "../../glossary.html", "../../english-index.html"]  # fmt: skip
    current = tree.find("li", class_="current-page")
    assert current.a["href"] == "#" and current.a.text == "檢驗檢測服務產業"
    # Other features are listed, without their contents: the sidebar grows with the feature, not the archive.
    hrefs = [a["href"] for a in tree.find_all("a")]
    assert not any("2020-spring/statements" in h or "2022-winter/sectors" in h for h in hrefs)
    assert "wang-xiaoming.html" in hrefs  # the rest of the page's own feature is there


@pytest.mark.sphinx("typst", testroot="collection")
def test_each_feature_is_a_part_of_the_printed_book(app) -> None:
    """``sphinx-build -b typst``: the PDF's parts are the features, their sectors and statements under them, then
    the appendix (glossary) after the last feature; every line breaks as clreq allows."""
    from . import pdfreader

    app.build()
    _no_warnings(app)
    pdf = Path(app.outdir) / "tekan.pdf"
    marks = pdfreader.outline(pdf)
    parts = [title for depth, title in marks if depth == 0]
    assert parts[1:4] == ["春季特刊", "秋季特刊", "冬季特刊"]  # after the contents
    assert parts[4] == "附錄"
    assert any(depth == 2 for depth, _ in marks)  # features → sectors → statements
    text = pdfreader.squeeze(pdfreader.text(pdf))
    assert text.rindex("詞彙表") > text.index("國家質量基礎設施建設")  # glossary after the last feature
    assert pdfreader.clreq_breaks(pdfreader.lines(pdf)) == []


def test_repeated_seed_builds_one_site(tmp_path: Path) -> None:
    features = COLLECTION / "features"
    result = tekan(
        "--glossary",
        str(COLLECTION / "terms.toml"),
        "build",
        "html",
        "--script",
        "hant",
        *[arg for name in ("2020_Spring.txt", "2022-winter.txt") for arg in ("--seed", str(features / name))],
        "--out",
        str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    site = tmp_path / "html" / "zh-hant"
    assert (site / "2020-spring" / "statements" / "wang-xiaoming.html").is_file()
    assert (site / "2022-winter" / "statements" / "zhao-liu.html").is_file()


SPEAKER = "——某港口計量檢測中心主任林海\n"
#: Two features of another paper, written by the tests: one speaker in both (one page name, ``lin-hai``).
HARBOUR = {
    "harbour-2023": ("港口計量保障貿易\n計量是港口貿易的基礎。\n" + SPEAKER + "《海港質量報》春季特刊\n", "Spring"),
    "harbour-2024": ("以標準提升服務\n我們推動標準化工作。\n" + SPEAKER + "《海港質量報》秋季特刊\n", "Autumn"),
}
#: The translators' English of each paragraph (catalog msgid → msgstr).
HARBOUR_EN = {
    "計量是港口貿易的基礎。": "Metrology underpins the port's trade.",
    "我們推動標準化工作。": "We promote standardization.",
}


def _harbour(folder: Path, collection: str = "") -> Path:
    """The two features and their metadata in ``folder/seeds``, and a collection file of both; return it."""
    seeds = folder / "seeds"
    seeds.mkdir(parents=True)
    for name, (text, season) in HARBOUR.items():
        (seeds / f"{name}.txt").write_text(text, encoding="utf-8")
        (seeds / f"{name}.toml").write_text(
            f'[publication]\ntitle = "海港質量報·{text.splitlines()[-1][8:]}"\ntitle_en = "Harbour Quality News: '
            f'{season} Special Issue"\npublisher = "海港質量報"\npublisher_en = "Harbour Quality News"\n'
            f'date = "{name[-4:]}-04"\n\n[[statement]]\nbyline = "某港口計量檢測中心主任林海"\nslug = "lin-hai"\n'
            f'sector = "institution"\nheadline_en = "{season} headline"\nperson_pinyin = "Lin Hai"\n'
            'organisation_en = "A Port Metrology and Testing Centre"\nposition_en = "Director"\n',
            encoding="utf-8",
        )
    archive = seeds / "archive.toml"
    archive.write_text('seeds = ["harbour-2023.txt", "harbour-2024.txt"]\n' + collection, encoding="utf-8")
    return archive


def _translate(catalog: Path) -> None:
    from babel.messages.pofile import read_po, write_po

    with catalog.open("rb") as handle:
        messages = read_po(handle)
    for message in messages:
        if message.id:
            message.string = HARBOUR_EN[message.id]
    with catalog.open("wb") as handle:
        write_po(handle, messages, width=0)


def test_a_collection_has_an_english_edition_from_its_features_catalogs(tmp_path: Path) -> None:
    """`tekan translate` of a collection file makes every feature's catalogs (a page name two features share is one
    catalog, a message per paragraph); `--strict` refuses each untranslated paragraph at its catalog line; the English
    edition has English home and feature pages, each statement its own feature's English; the Chinese editions have
    the parallel pages."""
    _harbour(tmp_path)
    translated = tekan("translate", "seeds/archive.toml", cwd=tmp_path)
    assert translated.returncode == 0, translated.stderr
    catalogs = sorted((tmp_path / "locale" / "en" / "LC_MESSAGES").rglob("*.po"))
    assert [p.name for p in catalogs] == ["lin-hai.po"]
    text = catalogs[0].read_text(encoding="utf-8")
    assert 'msgid "計量是港口貿易的基礎。"' in text and 'msgid "我們推動標準化工作。"' in text and "#~" not in text
    again = tekan("translate", "seeds/harbour-2024.txt", cwd=tmp_path)  # one feature alone: the same file
    assert again.returncode == 0 and catalogs[0].read_text(encoding="utf-8") == text, again.stderr

    strict = tekan("build", "html", "--edition", "en", "--strict", cwd=tmp_path)
    assert strict.returncode == 1
    errors = [line for line in strict.stderr.splitlines() if ": error: paragraph 1 is missing" in line]
    lines = {line.split(":")[1] for line in errors}
    assert len(errors) == 2 and len(lines) == 2 and all("lin-hai.po:" in line for line in errors), strict.stderr
    assert not (tmp_path / "_build" / "html" / "en").exists()

    _translate(catalogs[0])
    built = tekan("build", "html", "--edition", "all", "--strict", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    site = tmp_path / "_build" / "html"
    home = BeautifulSoup((site / "en" / "index.html").read_text(encoding="utf-8"), "html.parser")
    # No title in the collection file: both titles from the features' one publisher, in its two languages.
    assert home.find("h1").get_text().strip("¶") == "Harbour Quality News: Special Issues"
    assert home.select_one(".tekan-chinese").get_text() == "海港質量報特刊合集"
    links = [(a.get_text(), a["href"]) for a in home.find("article").find_all("a", class_="reference")]
    assert links == [
        ("Harbour Quality News: Spring Special Issue", "harbour-2023/index.html"),
        ("Harbour Quality News: Autumn Special Issue", "harbour-2024/index.html"),
    ]
    spring = BeautifulSoup((site / "en" / "harbour-2023" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert "April 2023" in spring.find("article").get_text()
    assert [a["href"] for a in spring.find("article").find_all("a", class_="reference")] == ["statements/lin-hai.html"]

    def article(path: Path) -> str:
        return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").find("article").get_text()

    for name, english in (("harbour-2023", "Metrology underpins"), ("harbour-2024", "We promote standardization")):
        statement = article(site / "en" / name / "statements" / "lin-hai.html")
        assert english in statement and "not been translated" not in statement, name
        chinese = (site / "zh-hant" / name / "statements" / "lin-hai.html").read_text(encoding="utf-8")
        assert 'href="../parallel/lin-hai.html"' in chinese
        assert english in article(site / "zh-hant" / name / "parallel" / "lin-hai.html"), name
    assert "en/index.html" in (site / "index.html").read_text(encoding="utf-8")  # the landing page lists it
    # The parallel print of the collection: each feature's paragraphs beside their own English.
    parallel_pdf = tekan("build", "pdf", "--script", "hant", "--parallel", cwd=tmp_path)
    assert parallel_pdf.returncode == 0, parallel_pdf.stderr
    printed = subprocess.run(
        ["pdftotext", str(tmp_path / "_build" / "pdf" / "archive-zh-hant-parallel.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.replace("\n", " ")
    assert "Metrology underpins" in printed and "We promote standardization" in printed and "中英對照" in printed


def test_a_collection_without_an_english_title_says_so_at_its_file(tmp_path: Path) -> None:
    """A title the editors wrote is never translated by Tekan: without title_en, a gap at the collection file, and
    `--strict` refuses; the English edition is titled in Chinese meanwhile, as the warning says."""
    archive = _harbour(tmp_path, '\n[collection]\ntitle = "港口特刊選"\n')
    checked = tekan("check", "seeds/archive.toml", cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
    assert "seeds/archive.toml:3: warning: [collection] has no title_en" in checked.stderr, checked.stderr
    assert tekan("check", "--strict", "seeds/archive.toml", cwd=tmp_path).returncode == 1
    book = load_book(archive, _shipped_glossary(), "en")
    assert book.publication.meta.title == "港口特刊選" and book.publication.meta.title_en == ""


def _shipped_glossary() -> Path:
    from tekan.project import DEFAULT_GLOSSARY

    return DEFAULT_GLOSSARY


def test_sphinx_builds_the_english_edition_of_a_collection(tmp_path: Path) -> None:
    # A plain sphinx-build of the collection (its conf.py) asked for the English edition: the collection file's
    # English title, a page per feature; its features have no catalogs, so each paragraph says it is not translated.
    import sys

    conf = tmp_path / "src"
    shutil.copytree(COLLECTION, conf)
    command = [
        sys.executable,
        "-m",
        "sphinx",
        "-b",
        "html",
        "-q",
        "-D",
        "tekan_target.edition=en",  # one field of conf.py's tekan_target
        "-D",
        "language=en",
        str(conf),
        str(tmp_path / "out"),
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    home = BeautifulSoup((tmp_path / "out" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert home.find("h1").get_text().strip("¶") == "Test News: special issues"
    autumn = (tmp_path / "out" / "2021-autumn" / "statements" / "wang-xiaoming.html").read_text(encoding="utf-8")
    assert "Metrology safeguards daily life" in autumn and "This paragraph has not been translated yet." in autumn


@pytest.mark.sphinx("html", testroot="collection")
def test_every_sidebar_link_of_every_page_leads_to_a_page(app) -> None:
    app.build()
    out = Path(app.outdir)
    pages = sorted(out.rglob("*.html"))
    assert len(pages) >= 19
    for page in pages:
        tree = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find("div", class_="sidebar-tree")
        hrefs = [a["href"] for a in tree.find_all("a")]
        assert len(hrefs) >= 5, page
        for href in hrefs:
            if href == "#":
                continue
            if page.name == "404.html":  # served at any missing URL: its links are absolute, under the edition's prefix
                prefix = app.config.notfound_urls_prefix
                assert href.startswith(prefix), href
                assert (out / href.removeprefix(prefix)).resolve().is_file(), (page.relative_to(out), href)
            else:
                assert (page.parent / href).resolve().is_file(), (page.relative_to(out), href)
        current = tree.find_all("li", class_="current-page")
        name = page.relative_to(out).parts[-1]
        in_tree = name not in ("genindex.html", "search.html", "index.html", "404.html", "audit.html", "colophon.html")
        assert len(current) == (1 if name != "audit.html" and (in_tree or page.parent != out) else 0), page
        if name == "audit.html":  # the production log: outside the contents, linked from the editorial note
            assert (page.parent / "about.html").is_file() and 'href="about.html"' in page.read_text(encoding="utf-8")


@pytest.mark.sphinx("html", testroot="collection", confoverrides={"tekan_sidebar_features": 2})
def test_a_large_collection_lists_only_the_pages_own_feature_in_the_sidebar(app) -> None:
    app.build()
    _no_warnings(app)
    out = Path(app.outdir)
    page = (out / "2021-autumn" / "statements" / "li-si.html").read_text(encoding="utf-8")
    tree = BeautifulSoup(page, "html.parser").find("div", class_="sidebar-tree")
    top = [li.a["href"] for li in tree.find_all("li", class_="toctree-l1")]
    assert top == ["../index.html", "../../glossary.html", "../../english-index.html"]
    home = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert len(home.find("article").find_all("a", class_="reference")) == 3  # the home page lists them all


def test_the_collections_own_words_are_in_each_editions_script_and_its_publishers_hold_it(tmp_path: Path) -> None:
    """The Simplified edition converts the collection's title; author and copyright are the features' publishers
    (two papers: both), never the collection's title."""
    from tekan.book import identity

    for script, title in (("hant", "測試報特刊合集"), ("hans", "测试报特刊合集")):
        book = load_book(COLLECTION / "collection.toml", COLLECTION / "terms.toml", script)
        assert book.publication.meta.title == title
        assert identity(book.publication).author != title and "特刊合集" not in identity(book.publication).copyright
    features = tmp_path / "features"
    shutil.copytree(COLLECTION / "features", features)
    other = features / "2021-autumn.toml"
    other.write_text(
        other.read_text(encoding="utf-8").replace('publisher = "測試報社"', 'publisher = "標準報社"'), "utf-8"
    )
    collection = tmp_path / "c.toml"
    collection.write_text('seeds = ["features/2020_Spring.txt", "features/2021-autumn.txt"]\n', encoding="utf-8")
    who = identity(load_book(collection, COLLECTION / "terms.toml", "hans").publication)
    # The year, a space, the holders: no half-width comma in Chinese (Sphinx's "2021, …" is English).
    assert (who.author, who.copyright) == ("测试报社、标准报社", "2021 测试报社、标准报社")


def test_the_english_brand_drops_the_papers_name_only_where_the_chinese_does() -> None:
    """A feature's 「報·特刊」 is 「特刊」 in the site's brand, and its "Paper: Feature" is "Feature"; a collection's
    「測試報特刊合集」 is whole, and so is its "Test News: special issues" (not "special issues")."""
    from tekan.book import identity, translated_identity

    book = load_book(COLLECTION / "collection.toml", COLLECTION / "terms.toml", "hant")
    assert identity(book.publication).short_title == "測試報特刊合集"
    assert translated_identity(book.publication).short_title == "Test News: special issues"
    real = load_book(SEED, GLOSSARY, "hant").publication
    assert identity(real).short_title == "中國質量（杭州）大會特刊"
    assert translated_identity(real).short_title == "Special Issue for the China Quality (Hangzhou) Conference"


def test_a_folder_with_a_collection_file_builds_and_checks_the_collection(tmp_path: Path) -> None:
    """A plain `tekan build` finds the one collection file beside several seeds; `tekan check FILE.toml` checks its
    features."""
    from tekan.project import Project

    shutil.copytree(COLLECTION / "features", tmp_path / "seeds")
    archive = tmp_path / "seeds" / "archive.toml"
    archive.write_text('seeds = ["2020_Spring.txt", "2022-winter.txt"]\n', encoding="utf-8")
    assert Project.at(tmp_path).seed() == archive
    result = tekan("--glossary", str(COLLECTION / "terms.toml"), "check", "seeds/archive.toml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "2020_Spring.txt: " in result.stderr and "2022-winter.txt: " in result.stderr
    drafted = tekan("init", cwd=tmp_path)  # a command of one seed asks which
    assert drafted.returncode == 1 and "name the one to work on" in drafted.stderr, drafted.stderr


def test_a_feature_is_loaded_again_only_when_its_files_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Builds keep the loaded features in the cache folder: an edit to one feature's seed loads that feature alone,
    and the book is what a load from nothing gives, in each script."""
    from tekan import book as book_module

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = tmp_path / "collection"
    shutil.copytree(COLLECTION, folder)
    loads: list[str] = []
    real = book_module.load_publication

    def counting(seed: Path, metadata: Path | None = None):  # type: ignore[no-untyped-def]
        loads.append(feature_id(seed))
        return real(seed, metadata)

    monkeypatch.setattr(book_module, "load_publication", counting)
    collection, glossary = folder / "collection.toml", folder / "terms.toml"
    first = load_book(collection, glossary, "hant")
    assert sorted(loads) == sorted(FEATURES)
    loads.clear()
    assert load_book(collection, glossary, "hant") == first and loads == []
    hans = load_book(collection, glossary, "hans")  # another edition: loaded for it
    assert sorted(loads) == sorted(FEATURES)
    loads.clear()
    seed = folder / "features" / "2021-autumn.txt"
    lines = seed.read_text(encoding="utf-8").split("\n")
    lines[1] += "質量,"  # a half-width comma: normalised and audited
    seed.write_text("\n".join(lines), encoding="utf-8")
    edited = load_book(collection, glossary, "hant")
    assert loads == ["2021-autumn"]
    edited_hans = load_book(collection, glossary, "hans")
    assert loads == ["2021-autumn"] * 2 and edited_hans != hans
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "empty"))
    assert edited == load_book(collection, glossary, "hant") and edited != first
    assert edited_hans == load_book(collection, glossary, "hans")


def test_rendered_pages_are_remembered_only_for_the_same_statement(monkeypatch: pytest.MonkeyPatch) -> None:
    """A collection's statement and audit pages come from the page memo when nothing they are made of changed, and
    are the pages rendering gives without it; an edited statement is rendered again."""
    from dataclasses import replace

    from tekan import rendering
    from tekan.memo import FileMemo

    book = load_book(COLLECTION / "collection.toml", COLLECTION / "terms.toml")
    plain = book_pages(book)
    memo: FileMemo[object] = FileMemo(None, "key")
    assert book_pages(book, pages=memo) == plain
    rendered: list[str] = []
    real = rendering.render_statement

    def counting(statement, *args, **kwargs):  # type: ignore[no-untyped-def]
        rendered.append(statement.meta.slug)
        return real(statement, *args, **kwargs)

    monkeypatch.setattr(rendering, "render_statement", counting)
    assert book_pages(book, pages=memo) == plain and rendered == []
    first = book.publication.statements[0]
    edited = replace(first, paragraphs=(first.paragraphs[0] + "質量。", *first.paragraphs[1:]))
    statements = (edited, *book.publication.statements[1:])
    # Not a book loaded from files: its features are not what the collection holds, and it has no keys for them.
    book = replace(book, publication=replace(book.publication, statements=statements), feature_keys=())
    pages = book_pages(book, pages=memo)
    assert rendered == [first.meta.slug] and pages != plain
    assert pages == book_pages(book)


def test_an_audit_page_is_remembered_for_equal_changes_however_their_strings_are_shared(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The page memo keys a page by the values it is made of: a book's changes loaded again (equal, each string its
    own object, as after an edit to another statement of a book of one seed) find their audit pages."""
    from dataclasses import replace

    from tekan import rendering
    from tekan.memo import FileMemo

    book = load_book(SEED, GLOSSARY)
    assert book.publication.changes
    memo: FileMemo[object] = FileMemo(None, "key")
    pages = book_pages(book, pages=memo)

    def fresh(value: object) -> object:
        return value.encode().decode() if isinstance(value, str) else value

    changes = tuple(type(change)(*map(fresh, change)) for change in book.publication.changes)
    assert changes == book.publication.changes
    again = replace(book, publication=replace(book.publication, changes=changes))
    made: list[int] = []
    real = rendering._render_audit_page
    monkeypatch.setattr(rendering, "_render_audit_page", lambda *args: made.append(1) or real(*args))
    assert book_pages(again, pages=memo) == pages and made == []


def test_an_edit_renders_the_pages_of_its_own_feature_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A collection loaded again after one feature's seed was edited: that feature's pages are rendered again, the
    others are taken whole from the memo (none of their pages made again, not even their home and about pages); a
    statement added to the first feature numbers the others' statements on, and their pages follow. Every time the
    pages are those rendered without the memo."""
    from tekan import rendering
    from tekan.memo import FileMemo

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    book_folder = tmp_path / "book"
    shutil.copytree(COLLECTION, book_folder)
    collection, glossary = book_folder / "collection.toml", book_folder / "terms.toml"
    memo: FileMemo[object] = FileMemo(None, "key")
    book = load_book(collection, glossary)
    assert book_pages(book, pages=memo) == book_pages(book)
    made: list[str] = []
    for name in ("render_about", "render_statement", "render_index"):
        real = getattr(rendering, name)

        def counting(first, *args, real=real, name=name, **kwargs):  # type: ignore[no-untyped-def]
            made.append(name)
            return real(first, *args, **kwargs)

        monkeypatch.setattr(rendering, name, counting)
    fresh = book_pages(load_book(collection, glossary))
    made.clear()
    assert book_pages(book, pages=memo) == fresh and made == []
    seed = book_folder / "features" / "2020_Spring.txt"
    lines = seed.read_text(encoding="utf-8").split("\n")
    seed.write_text("\n".join([*lines[:1], lines[1] + "質量", *lines[2:]]), encoding="utf-8")
    edited = load_book(collection, glossary)
    made.clear()
    pages = book_pages(edited, pages=memo)
    assert sorted(made) == ["render_about", "render_index", "render_statement"]
    assert pages == book_pages(edited) and pages != fresh
    added = ["標準引領質量提升", "標準是質量的基礎。", "——某省標準化研究院院長李大明"]
    seed.write_text("\n".join([*lines[:3], *added, *lines[3:]]), encoding="utf-8")
    renumbered = load_book(collection, glossary)
    pages = book_pages(renumbered, pages=memo)
    assert pages == book_pages(renumbered)
    later = "2022-winter/statements/"
    assert [p for p in pages if p.startswith(later) and pages[p] != book_pages(edited)[p]]  # numbered on


def test_the_used_terms_are_every_term_found_in_any_text_with_or_without_the_memo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``used_terms`` remembers each segmented text's terms in the cache folder: cold, warm, and after an edit that
    adds a term not used before, it gives every term the linker finds in any text of the book; a warm run segments
    nothing."""
    from dataclasses import replace

    from tekan import glossary as glossary_module
    from tekan.glossary import load_glossary, printed_texts, protected_names, term_linker, used_terms
    from tekan.model import Publication

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    book = load_book(COLLECTION / "collection.toml", COLLECTION / "terms.toml")
    features = list(book.features)
    library = load_glossary(GLOSSARY)  # the project's: terms the collection does not use

    def expected(publications: list[Publication]) -> set[str]:
        names = [name for p in publications for name in protected_names(p, "hant")]
        linker = term_linker(library, "hant", names=names)
        return {term for p in publications for text in printed_texts(p) for _, _, term in linker.occurrences(text)}

    want = expected(features)
    assert want and used_terms(library, features, "hant") == want  # cold
    built: list[int] = []
    real = glossary_module.term_linker
    monkeypatch.setattr(glossary_module, "term_linker", lambda *a, **k: built.append(1) or real(*a, **k))
    assert used_terms(library, features, "hant") == want and built == []  # warm: nothing segmented
    monkeypatch.setattr(glossary_module, "term_linker", real)
    first = features[0]
    statement = first.statements[0]
    absent = next(t for t in library.terms if t.id not in want and t.hant)
    edited = replace(statement, paragraphs=(f"{absent.hant}，{statement.paragraphs[0]}", *statement.paragraphs[1:]))
    features[0] = replace(first, statements=(edited, *first.statements[1:]))
    want = expected(features)
    assert absent.id in want and used_terms(library, features, "hant") == want


def test_a_book_of_one_seed_is_loaded_again_only_when_its_files_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A single seed is kept in the cache folder too (its pages and audit from the page memo): the same book as a
    load from nothing, loaded again only after an edit."""
    from tekan import book as book_module
    from tekan.memo import FileMemo

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = tmp_path / "book"
    folder.mkdir()
    seed = folder / SEED.name
    shutil.copy(SEED, seed)
    shutil.copy(SEED.with_suffix(".toml"), seed.with_suffix(".toml"))
    loads: list[Path] = []
    real = book_module.load_publication

    def counting(path: Path, metadata: Path | None = None):  # type: ignore[no-untyped-def]
        loads.append(path)
        return real(path, metadata)

    monkeypatch.setattr(book_module, "load_publication", counting)
    first = load_book(seed, GLOSSARY, "hant")
    assert load_book(seed, GLOSSARY, "hant") == first and loads == [seed]
    lines = seed.read_text(encoding="utf-8").split("\n")
    lines[1] += "質量,"
    seed.write_text("\n".join(lines), encoding="utf-8")
    from tekan.normalise import Normaliser

    normalised: list[str] = []  # the texts whose edits are worked out (the memo has the others)
    real_edits = Normaliser.edits
    monkeypatch.setattr(Normaliser, "edits", lambda self, text: normalised.append(text) or real_edits(self, text))
    edited = load_book(seed, GLOSSARY, "hant")
    assert loads == [seed, seed] and edited != first
    assert len(normalised) == 1 and normalised[0].endswith("質量,")  # the edited paragraph alone
    monkeypatch.setattr(Normaliser, "edits", real_edits)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "empty"))
    assert load_book(seed, GLOSSARY, "hant") == edited
    memo: FileMemo[object] = FileMemo(None, "key")
    assert book_pages(edited, pages=memo) == book_pages(edited)
    assert book_pages(edited, pages=memo) == book_pages(edited)  # from the memo: statements and audit pages
