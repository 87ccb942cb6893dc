"""Hostile and broken input: every structure variant gives a correct book or one clear error, and no
seed text ever becomes markup in HTML, EPUB or PDF."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from tekan.errors import Kind, TekanError
from tekan.metadata import load_publication
from tekan.parsing import BYLINE, parse_seed, read_byline, split_byline
from tekan.rendering import escape, render_segments
from tekan.tomlfile import dumps

from .conftest import GLOSSARY, ROOT, download, tekan

CORPUS = Path(__file__).parent / "data" / "hostile-lines.txt"
HOSTILE = [line for line in CORPUS.read_text(encoding="utf-8").split("\n") if line]


def parse(text: str, tmp_path: Path):
    return parse_seed(text, tmp_path / "s.txt")


def error_of(text: str, tmp_path: Path) -> TekanError:
    with pytest.raises(TekanError) as info:
        parse(text, tmp_path)
    return info.value


# --- structure -------------------------------------------------------------------------------------


def test_corpus_is_big_enough_and_covers_every_family() -> None:
    assert len(HOSTILE) >= 30
    text = "\n".join(HOSTILE)
    for needle in ["{eval-rst}", "{include}", "{literalinclude}", ":::", "{{", "{term}", "$$", "\n%", "\n#", "\n>"]:
        assert needle in "\n" + text, needle
    for needle in ["javascript:", "<script>", "onerror=", "<!--", "&amp;", ".. include::", "\\input", "\\write18"]:
        assert needle in text, needle
    assert "# $ % & ~ _ ^ \\ { }" in HOSTILE


@pytest.mark.parametrize("dash", ["——", "──", "--", "－－", "—", "―", "–– ", "—— ", "-- ", "——　"])
def test_dash_variants_all_start_a_byline(tmp_path: Path, dash: str) -> None:
    publication, problems = parse(f"標題\n正文。\n{dash}某市市場監管局局長王五\n報頭\n", tmp_path)
    attribution = publication.statements[0].attribution
    assert (attribution.organisation, attribution.position, attribution.person) == ("某市市場監管局", "局長", "王五")
    assert attribution.raw == "某市市場監管局局長王五"
    assert problems == [] and publication.masthead == "報頭"


@pytest.mark.parametrize("line", ["- 不是署名", "-不是署名", "‐‐不是署名", "正文——不是署名"])
def test_single_hyphens_and_inner_dashes_are_body_text(tmp_path: Path, line: str) -> None:
    publication, _ = parse(f"標題\n{line}\n——某局局長張三\n報頭\n", tmp_path)
    assert publication.statements[0].paragraphs == (line,)


@pytest.mark.parametrize("line", ["---", "——", "—— —— ", "－－－－", "------------"])
def test_a_line_of_only_dashes_is_an_error_not_a_byline(tmp_path: Path, line: str) -> None:
    error = error_of(f"標題\n正文\n{line}\n——某局局長張三\n報頭\n", tmp_path)
    assert error.location.line == 3 and error.kind == Kind.structure
    assert "only a dash" in error.message


@pytest.mark.parametrize(
    ("byline", "parts"),
    [
        ("韓永生 安徽省市場監管局局長", ("安徽省市場監管局", "局長", "韓永生")),
        ("韓永生　安徽省市場監管局黨組書記、局長", ("安徽省市場監管局", "黨組書記、局長", "韓永生")),
        ("韓永生（安徽省市場監管局黨組書記、局長）", ("安徽省市場監管局", "黨組書記、局長", "韓永生")),
        ("韓永生，安徽省市場監管局局長", ("安徽省市場監管局", "局長", "韓永生")),
        ("安徽省市場監管局（局長）韓永生", ("安徽省市場監管局", "局長", "韓永生")),
        ("安徽省市場監管局【黨組書記、局長】韓永生", ("安徽省市場監管局", "黨組書記、局長", "韓永生")),
        ("安徽省市場監管局局長(韓永生)", ("安徽省市場監管局", "局長", "韓永生")),
        ("安徽省市場監管局 局長 韓永生", ("安徽省市場監管局", "局長", "韓永生")),
        ("科大訊飛 董事長 劉慶峰", ("科大訊飛", "董事長", "劉慶峰")),
    ],
)
def test_name_first_spaced_and_bracketed_bylines(tmp_path: Path, byline: str, parts: tuple[str, str, str]) -> None:
    assert split_byline(byline) is None  # not the press form …
    assert read_byline(byline) == parts  # … but read all the same
    publication, problems = parse(f"標題\n正文\n——{byline}\n報頭\n", tmp_path)
    assert problems == []
    statement = publication.statements[0]
    assert statement.attribution.raw == byline and statement.attribution.person == parts[2]
    assert statement.meta.slug in ("han-yongsheng", "liu-qingfeng")


def test_a_name_first_byline_is_printed_as_written(tmp_path: Path) -> None:
    from tekan.linking import Linker
    from tekan.rendering import render_statement

    publication, _ = parse("標題\n正文\n——韓永生（安徽省市場監管局局長）\n報頭\n", tmp_path)
    page = render_statement(publication.statements[0], Linker.build({}))
    assert 'raw: "韓永生（安徽省市場監管局局長）"' in page
    assert "person:" not in page  # parts would print in press order, changing the text


@pytest.mark.parametrize("byline", ["某研究所研究員張三", "安徽省市場監管局", "韓永生", "局長 局長", "（局長）"])
def test_a_byline_without_a_recognisable_name_is_kept_whole_with_a_warning(tmp_path: Path, byline: str) -> None:
    publication, problems = parse(f"標題\n正文\n——{byline}\n報頭\n", tmp_path)
    statement = publication.statements[0]
    assert statement.attribution.raw == byline and not statement.attribution.is_split
    assert [(p.kind, p.location.line) for p in problems] == [(Kind.byline, 3)]
    assert statement.meta.slug == "statement-01"


def test_two_statements_with_the_same_headline_get_distinct_stable_pages(tmp_path: Path) -> None:
    seed = "同一標題\n甲。\n——某局局長張三\n同一標題\n乙。\n——某局局長張三\n同一標題\n丙。\n——某院院長李四\n報頭\n"
    publication, _ = parse(seed, tmp_path)
    assert [s.meta.slug for s in publication.statements] == ["zhang-san", "zhang-san-2", "li-si"]
    # Adding a statement elsewhere renames nothing.
    longer, _ = parse("別的\n丁。\n——某院院長王五\n" + seed, tmp_path)
    assert [s.meta.slug for s in longer.statements] == ["wang-wu", "zhang-san", "zhang-san-2", "li-si"]
    # Repeated runs give the same names.
    assert [s.meta.slug for s in parse(seed, tmp_path)[0].statements] == ["zhang-san", "zhang-san-2", "li-si"]


def test_a_very_long_statement_is_kept_whole(tmp_path: Path) -> None:
    from tekan.book import book_pages, load_book

    paragraphs = [f"第{n}段：質量強則國家強，計量是國家質量基礎設施的重要組成部分。" * 20 for n in range(2000)]
    seed = tmp_path / "long.txt"
    seed.write_text("很長的一篇\n" + "\n".join(paragraphs) + "\n——某局局長張三\n報頭\n", encoding="utf-8")
    publication, _ = load_publication(seed)
    assert publication.statements[0].paragraphs == tuple(paragraphs)
    assert sum(map(len, paragraphs)) > 1_000_000
    pages = book_pages(load_book(seed, GLOSSARY))
    page = pages["statements/zhang-san.md"]
    assert "{term}`計量 <metrology>`" in page
    assert all(f"\n{escape(p)}\n" in page for p in paragraphs[1:])  # first uses are linked, the rest verbatim


def test_a_file_holding_only_a_bom_and_blank_lines_is_empty(tmp_path: Path) -> None:
    from tekan.parsing import load_seed

    seed = tmp_path / "s.txt"
    seed.write_bytes(b"\xef\xbb\xbf\r\n  \r\n")
    with pytest.raises(TekanError) as info:
        load_seed(seed)
    assert str(info.value) == f"{seed}:1: the seed is empty [tekan.structure]"


# --- markup injection ------------------------------------------------------------------------------


def placed(line: str) -> str:
    """A hostile line as it can stand in a seed: a line that starts with dashes is by definition a
    byline, so those are given a leading character (escape() is unit-tested at line start)."""
    return "甲" + line if BYLINE.match(line) else line


@pytest.mark.parametrize("line", HOSTILE)
def test_escape_keeps_every_hostile_line_literal_in_myst(line: str) -> None:
    import docutils.core
    from myst_parser.parsers.docutils_ import Parser

    for text in (line, f"前文{line}後文", f"# {line}"):
        markdown = render_segments([(text, None)])
        doctree = docutils.core.publish_doctree(markdown, parser=Parser(), settings_overrides={"report_level": 5})
        assert doctree.astext() == text
        assert not list(doctree.findall(lambda n: n.tagname not in ("document", "paragraph", "#text")))
    assert "\n" not in escape(line)


MASTHEAD = "<script>alert('masthead')</script>《測試報》{{ title }} \\input{/etc/hostname} 100% #1"
TITLE = "測試<b>特刊</b> {{ project }} $x$ \\input{/etc/hostname} R&D snake_case {}"
#: Metadata is data too: with a newline, a fence and raw HTML (it once closed the directive it was written in).
BREAKOUT = "\n\n```\n\n```{raw} html\n<script>alert('tekan')</script>\n```\n<img src=x onerror=alert(1)>"


def hostile_book(folder: Path) -> Path:
    """A seed whose every headline, paragraph and byline organisation is a hostile line, with metadata."""
    folder.mkdir(parents=True, exist_ok=True)
    lines: list[str] = []
    entries = []
    for number, line in enumerate(HOSTILE, start=1):
        text = placed(line)
        byline = f"{text}局長張三"
        lines += [text, text, f"正文{line}結束", f"——{byline}"]
        entries.append(
            {
                "byline": byline,
                "slug": f"h{number:02d}",
                "sector": "s",
                "headline_en": line,
                "person_pinyin": line + BREAKOUT,
                "organisation_en": line,
            }
        )
    seed = folder / "hostile.txt"
    seed.write_text("\n".join([*lines, MASTHEAD]) + "\n", encoding="utf-8")
    meta = {
        "publication": {
            "title": TITLE,
            "title_en": "Title" + BREAKOUT,
            "publisher": MASTHEAD,
            "description_zh": "描述" + BREAKOUT,
            "description_en": "About" + BREAKOUT,
        },
        "sector": [{"id": "s", "zh": "<i>部分</i>", "en": "<i>Part</i> {{x}}" + BREAKOUT}],
        "statement": entries,
    }
    seed.with_suffix(".toml").write_text(dumps(meta), encoding="utf-8")
    return seed


@pytest.fixture(scope="module")
def hostile_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    seed = hostile_book(folder / "seed")
    out = folder / "out"
    result = tekan("build", "html", "--script", "hant", "--verbatim", "--seed", str(seed), "--out", str(out))
    assert result.returncode == 0, result.stderr[-3000:]
    return out


@pytest.fixture(scope="module")
def hostile_epub_pdf(hostile_html: Path) -> Path:
    out = hostile_html
    seed = out.parent / "seed" / "hostile.txt"
    result = tekan("build", "epub", "pdf", "--script", "hant", "--verbatim", "--seed", str(seed), "--out", str(out))
    assert result.returncode == 0, result.stderr[-3000:]
    return out


def soup_of(markup: bytes | str, parser: str = "html.parser"):
    from bs4 import BeautifulSoup

    return BeautifulSoup(markup, parser)


def heading_text(heading) -> str:
    for link in heading.find_all("a", class_="headerlink"):
        link.decompose()
    return str(heading.get_text())


def _visible_text(soup) -> str:
    for element in soup.find_all(["script", "style", "template"]):
        element.decompose()
    return str(soup.get_text())


def assert_no_injected_markup(soup, where: str) -> None:
    """Nothing from the seed became an element or attribute."""
    for script in soup.find_all("script"):
        assert "alert" not in (script.string or "") and not str(script.get("src", "")).startswith("x"), where
    for element in soup.find_all(True):
        for attribute, value in element.attrs.items():
            assert not attribute.lower().startswith("on"), (where, element.name, attribute)
            if attribute in ("href", "src"):
                assert "javascript:" not in str(value), (where, value)
    for tag in ("img", "iframe", "b", "i", "style", "math", "blockquote", "table", "h2", "ol"):
        found = [e for e in soup.find_all(tag) if "tekan" in str(e) or "alert" in str(e) or e.name == "iframe"]
        assert found == [], (where, found[:2])
    text = str(soup)
    assert "root:x:0:0" not in text and "/bin/bash" not in text, where  # no included file


def test_hostile_lines_are_literal_text_in_html(hostile_html: Path) -> None:
    site = hostile_html / "html" / "zh-hant"
    for number, line in enumerate(HOSTILE, start=1):
        page = site / "statements" / f"h{number:02d}.html"
        soup = soup_of(page.read_bytes())
        assert_no_injected_markup(soup, page.name)
        article = soup.find("article") or soup
        h1 = article.find("h1")
        assert h1 is not None and heading_text(h1) == placed(line), page.name
        paragraphs = [p.get_text() for p in article.find_all("p")]
        assert placed(line) in paragraphs, (page.name, paragraphs[:3])
        assert f"正文{line}結束" in paragraphs, page.name
        byline = article.find(class_="tekan-organisation")
        assert byline is not None and byline.get_text() == placed(line), page.name
        english = article.find(class_="tekan-english")
        assert english is not None and english.get_text() == line, page.name
        assert soup.find("meta", attrs={"name": "description"})["content"] == placed(line)


def test_hostile_masthead_title_and_home_page_are_literal(hostile_html: Path) -> None:
    home = soup_of((hostile_html / "html" / "zh-hant" / "index.html").read_bytes())
    assert_no_injected_markup(home, "index.html")
    assert heading_text(home.find("h1")) == TITLE
    text = _visible_text(home)
    for line in HOSTILE:
        assert placed(line) in text, line


def test_hostile_metadata_is_literal_text_in_html(hostile_html: Path) -> None:
    site = hostile_html / "html" / "zh-hant"

    def one_line(text: str) -> str:
        return re.sub(r"\s+", " ", text)

    home = soup_of((site / "index.html").read_bytes())
    english = [p.get_text() for p in home.find_all(class_="tekan-english")]
    assert one_line("Title" + BREAKOUT) in english and one_line("About" + BREAKOUT) in english
    assert one_line("描述" + BREAKOUT) in [p.get_text() for p in home.find_all("p")]
    sector = soup_of((site / "sectors" / "s.html").read_bytes())
    assert_no_injected_markup(sector, "sectors/s.html")
    assert [p.get_text() for p in sector.find_all(class_="tekan-english")] == [one_line("<i>Part</i> {{x}}" + BREAKOUT)]
    for number, line in enumerate(HOSTILE, start=1):
        page = soup_of((site / "statements" / f"h{number:02d}.html").read_bytes())
        byline = page.find(class_="tekan-byline-en")
        assert byline is not None and byline.get_text() == f"{one_line(line + BREAKOUT)}, {line}", number


def test_hostile_lines_are_literal_text_in_epub(hostile_epub_pdf: Path) -> None:
    epub = download(hostile_epub_pdf, "epub", "zh-hant")
    with zipfile.ZipFile(epub) as archive:
        names = archive.namelist()
        for number, line in enumerate(HOSTILE, start=1):
            name = next(n for n in names if n.endswith(f"statements/h{number:02d}.xhtml"))
            soup = soup_of(archive.read(name).decode("utf-8"), "xml")
            assert_no_injected_markup(soup, name)
            text = _visible_text(soup)
            assert text.count(placed(line)) >= 3, (name, line)  # headline, paragraph, byline
            assert f"正文{line}結束" in text, name


def pdf_text(pdf: Path) -> str:
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=False)
    assert result.returncode == 0, "pdftotext (poppler-utils) is needed: run tools/setup.sh"
    return result.stdout.decode("utf-8")


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.pdf
def test_hostile_lines_are_literal_text_in_pdf_and_no_tex_ran(hostile_epub_pdf: Path) -> None:
    pdf = download(hostile_epub_pdf, "pdf", "zh-hant")
    text = squeeze(pdf_text(pdf))
    position = 0
    for line in HOSTILE:
        found = text.find(squeeze(f"正文{line}結束"), position)
        assert found >= 0, line
        position = found
    assert "root:x:0:0" not in text
    assert not list(hostile_epub_pdf.rglob("tekan-pwned*")), "\\write18 ran"
    # The title page: masthead, title and publisher are printed, not run (\input read the host name).
    assert text.count(squeeze(r"\input{/etc/hostname}100%#1")) >= 2, "masthead and publisher"
    assert squeeze(r"\input{/etc/hostname}R&Dsnake_case{}") in text, "title"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=False).stdout
    assert r"\input{/etc/hostname} R&D snake_case {}" in info, info


# --- failed builds ---------------------------------------------------------------------------------


def test_a_failing_build_leaves_the_previous_output_intact(tmp_path: Path) -> None:
    seed = tmp_path / "s.txt"
    seed.write_text("標題\n第一版正文。\n——某局局長張三\n報頭\n", encoding="utf-8")
    seed.with_suffix(".toml").write_text(
        '[publication]\ntitle = "測試"\n[[sector]]\nid = "s"\nzh = "部分"\nen = "Part"\n'
        '[[statement]]\nbyline = "某局局長張三"\nslug = "zhang-san"\nsector = "s"\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    first = tekan("build", "html", "--script", "hant", "--seed", str(seed), "--out", str(out))
    assert first.returncode == 0, first.stderr[-2000:]
    page = out / "html" / "zh-hant" / "statements" / "zhang-san.html"
    before = {p: p.read_bytes() for p in sorted((out / "html").rglob("*")) if p.is_file()}
    assert "第一版正文" in page.read_text(encoding="utf-8")

    # Loads fine, but Sphinx fails half-way: a file stands where it writes the statement pages.
    seed.write_text("標題\n第二版正文。\n——某局局長張三\n報頭\n", encoding="utf-8")
    statements = out / ".work" / "zh-hant" / "html" / "statements"
    shutil.rmtree(statements)
    statements.write_text("in the way", encoding="utf-8")
    second = tekan("build", "html", "--script", "hant", "--seed", str(seed), "--out", str(out))
    assert second.returncode == 1
    assert "Traceback" not in second.stderr
    assert second.stderr.rstrip().endswith("the published edition was left as it was [tekan.io]"), second.stderr
    after = {p: p.read_bytes() for p in sorted((out / "html").rglob("*")) if p.is_file()}
    assert after == before  # not one file of the published site changed
    assert not [p for p in out.rglob(".*.new")]  # no staging left behind


def test_an_unwritable_output_folder_is_one_line_not_a_traceback(tmp_path: Path) -> None:

    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = tekan("convert", str(ROOT / "seeds" / "000_fbd3bd184db56f6a.txt"), "--out", str(blocker / "out"))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1].endswith("error: Not a directory [tekan.io]")
    assert "Traceback" not in result.stderr


# --- metadata files --------------------------------------------------------------------------------

META_HEAD = '[publication]\ntitle = "測試"\n\n[[sector]]\nid = "s"\nzh = "部分"\nen = "Part"\n'
META_ENTRY = '\n[[statement]]\nbyline = "{byline}"\nslug = "{slug}"\nsector = "{sector}"\n'


@pytest.mark.parametrize(
    ("meta", "line", "words"),
    [
        (META_HEAD + "[[statement]\n", 8, "TOML syntax error"),
        (META_HEAD + '\n[[statement]]\nslug = "a"\nsector = "s"\n', 9, "missing field 'byline'"),
        (META_HEAD + META_ENTRY.format(byline="某局局長張三", slug="a", sector="nope"), 9, "unknown sector 'nope'"),
        (META_HEAD + META_ENTRY.format(byline="別人", slug="a", sector="s"), 9, "has the byline '別人'"),
        (META_HEAD + META_ENTRY.format(byline="某局局長張三", slug="A b", sector="s"), 9, "lowercase ASCII"),
        (
            META_HEAD
            + META_ENTRY.format(byline="某局局長張三", slug="a", sector="s")
            + META_ENTRY.format(byline="某院院長李四", slug="a", sector="s"),
            14,
            "already used at line 9",
        ),
    ],
)
def test_metadata_errors_name_file_and_line(tmp_path: Path, meta: str, line: int, words: str) -> None:
    seed = tmp_path / "s.txt"
    seed.write_text("甲\n一。\n——某局局長張三\n乙\n二。\n——某院院長李四\n報頭\n", encoding="utf-8")
    seed.with_suffix(".toml").write_text(meta, encoding="utf-8")
    with pytest.raises(TekanError) as info:
        load_publication(seed)
    assert (info.value.location.path, info.value.location.line) == (seed.with_suffix(".toml"), line)
    assert words in info.value.message
