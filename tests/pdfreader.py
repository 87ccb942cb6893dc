"""Reading a PDF as a reader gets it: its lines (poppler's word boxes), its glyphs (pdfminer), its metadata, its
bookmarks and structure tree (pikepdf). Shared by the PDF tests; nothing here knows how the PDF was made.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

#: Marks that never begin a line in Chinese text (W3C clreq: closing brackets and quotes, pause and stop marks),
#: with their Latin counterparts (an English line never starts with a comma or a closing quote either).
CLOSING = "，。、；：？！」』）》〉】〕〗］｝”’,.;:?!)]"
#: Marks that never end a line: opening brackets and quotes.
OPENING = "「『（《〈【〔〖［｛“‘(["
#: Chinese punctuation whose advance the tests measure.
CJK_PUNCTUATION = "，。、；：？！「」『』（）《》“”‘’"


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is missing: install poppler-utils (tools/setup.sh does)")
    return path


def run(*command: str) -> str:
    result = subprocess.run([tool(command[0]), *command[1:]], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


@dataclass(frozen=True)
class Line:
    """A line of text as printed: its page (1-based), box and text (words joined by one space)."""

    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


_BOX = r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"'


def lines(pdf: Path, first: int = 0, last: int = 0) -> list[Line]:
    """Every printed line of ``pdf`` (``pdftotext -bbox-layout``), in reading order.

    poppler splits a line where two glyph boxes overlap (a squeezed punctuation mark in Simplified text) or where a
    space is wide: pieces on the same baseline that touch are joined again. Columns (the parallel print) stay apart.
    """
    options = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    xhtml = run("pdftotext", "-bbox-layout", "-enc", "UTF-8", *options, str(pdf), "-")
    result: list[Line] = []
    for number, page in enumerate(re.findall(r"<page (.*?)</page>", xhtml, re.S), start=first or 1):
        found: list[Line] = []
        for match in re.finditer(r"<line " + _BOX + r">(.*?)</line>", page, re.S):
            x0, y0, x1, y1 = (float(v) for v in match.groups()[:4])
            text = " ".join(unescape(w) for w in re.findall(r"<word [^>]*>([^<]*)</word>", match[5]))
            previous = found[-1] if found else None
            if previous and abs(previous.y0 - y0) < 1 and -20 < x0 - previous.x1 < 3:
                found[-1] = Line(
                    number, previous.x0, previous.y0, max(previous.x1, x1), previous.y1, previous.text + text
                )
            else:
                found.append(Line(number, x0, y0, x1, y1, text))
        result += found
    return result


def clreq_breaks(found: list[Line]) -> list[Line]:
    """The lines that start with a closing mark or end with an opening one (against clreq's line-breaking rules)."""
    return [line for line in found if line.text and (line.text[0] in CLOSING or line.text[-1] in OPENING)]


def english_lines(found: list[Line]) -> list[Line]:
    """Lines of English text (Latin words, no Chinese character)."""
    return [
        line for line in found if re.search(r"[A-Za-z]{3}", line.text) and not re.search(r"[\u3400-\u9fff]", line.text)
    ]


def hyphenated(found: list[Line]) -> list[Line]:
    """Lines ending in a hyphen that splits a word."""
    return [line for line in found if re.search(r"[A-Za-z][-\xad]$", line.text)]  # a hyphen, or a soft one


def text(pdf: Path, first: int = 0, last: int = 0) -> str:
    options = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    return run("pdftotext", "-enc", "UTF-8", *options, str(pdf), "-")


def squeeze(value: str) -> str:
    """Text without spaces and line breaks (a word hyphenated at a line's end keeps its hyphen)."""
    return re.sub(r"\s+", "", value).replace("\xad", "-")


def info(pdf: Path) -> dict[str, str]:
    return {
        key.strip(): value.strip()
        for key, _, value in (line.partition(":") for line in run("pdfinfo", "-enc", "UTF-8", str(pdf)).splitlines())
    }


# --- glyphs -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Glyph:
    page: int
    char: str
    x0: float
    y0: float
    width: float  # the glyph's advance in the font (before any adjustment on the line)
    size: float
    font: str
    upright: bool  # no slant in its text matrix (a fake italic is a slanted upright face)


def glyphs(pdf: Path, pages: list[int]) -> list[Glyph]:
    """The glyphs of the given pages (1-based) in content order, with their positions (pdfminer)."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar

    found: list[Glyph] = []

    def walk(item: Any, page: int) -> None:
        if isinstance(item, LTChar):
            _, b, c, _, _, _ = item.matrix
            found.append(
                Glyph(page, item.get_text(), item.x0, item.y0, item.adv, item.size, item.fontname, b == 0 and c == 0)
            )
        elif hasattr(item, "__iter__"):
            for child in item:
                walk(child, page)

    for number, layout in zip(pages, extract_pages(str(pdf), page_numbers=[p - 1 for p in pages]), strict=True):
        walk(layout, number)
    return found


def advances(found: list[Glyph]) -> Iterator[tuple[Glyph, Glyph, float]]:
    """Each glyph followed by another on the same line, with the distance between their origins."""
    for first, second in pairwise(found):
        if (
            first.page == second.page and abs(first.y0 - second.y0) < 2 and second.x0 > first.x0
        ):  # baselines differ by face
            yield first, second, second.x0 - first.x0


# --- structure ------------------------------------------------------------------------------------------------


def outline(pdf: Path) -> list[tuple[int, str]]:
    """The bookmarks: (depth, title) in order."""
    import pikepdf

    result: list[tuple[int, str]] = []
    with pikepdf.open(pdf) as document, document.open_outline() as tree:

        def walk(items: list[Any], depth: int) -> None:
            for item in items:
                result.append((depth, str(item.title)))
                walk(item.children, depth + 1)

        walk(tree.root, 0)
    return result


@dataclass(frozen=True)
class Element:
    """A structure element of the tagged PDF: its type, /Lang, /Alt, and depth."""

    kind: str
    lang: str
    alt: str
    depth: int
    content: bool = False  # it or an element below it holds marked content (text drawn on a page)
    annotation_text: str = ""  # a link's annotation /Contents (what a screen reader announces)


def structure(pdf: Path) -> tuple[str, list[Element]]:
    """The catalog's /Lang and every structure element of the tree, depth first."""
    import pikepdf

    elements: list[Element] = []
    with pikepdf.open(pdf) as document:
        root = document.Root
        lang = str(root.get("/Lang", ""))
        stack = [(root.StructTreeRoot.get("/K"), 0)]
        while stack:
            node, depth = stack.pop()
            if isinstance(node, pikepdf.Array):
                stack.extend((child, depth) for child in reversed(list(node)))
            elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
                role = str(node.S).lstrip("/")
                kids = list(node.K) if isinstance(node.get("/K"), pikepdf.Array) else [node.get("/K")]
                content = _has_content(node)
                annotations = [k.Obj for k in kids if isinstance(k, pikepdf.Dictionary) and "/Obj" in k]
                contents = " ".join(str(a.get("/Contents", "")) for a in annotations)
                lang_, alt = str(node.get("/Lang", "")), str(node.get("/Alt", ""))
                elements.append(Element(role, lang_, alt, depth, content, contents))
                if "/K" in node:
                    stack.append((node.K, depth + 1))
    return lang, elements


def _has_content(node: Any) -> bool:
    """True when a structure element or one below it holds marked content (text drawn on a page)."""
    import pikepdf

    stack = [node.get("/K")]
    while stack:
        kid = stack.pop()
        if isinstance(kid, int):
            return True
        if isinstance(kid, pikepdf.Array):
            stack.extend(list(kid))
        elif isinstance(kid, pikepdf.Dictionary):
            if "/MCID" in kid:
                return True
            if "/S" in kid and "/K" in kid:
                stack.append(kid.K)
    return False


def page_labels(pdf: Path) -> list[str]:
    """The printed page number (label) of each page, "" for an unnumbered one."""
    import pikepdf

    with pikepdf.open(pdf) as document:
        return [str(page.label) for page in document.pages]


def pages_without_folio(pdf: Path, foot: float = 540.0) -> list[tuple[int, str]]:
    """(page, label) of each page that has a number and printed text but not its number at its foot (below ``foot``
    points, an A5 page being 595 high): a folio the layout left out. Blank pages and the unnumbered front pages
    (title, colophon) are not counted."""
    printed, labels = lines(pdf), page_labels(pdf)
    assert any(label.isdigit() for label in labels), f"{pdf.name}: no page is numbered"  # else nothing to check
    missing = []
    for number, label in enumerate(labels, start=1):
        on_page = [line for line in printed if line.page == number]
        if label and on_page and not any(line.text == label and line.y0 > foot for line in on_page):
            missing.append((number, label))
    return missing


def typst_settles_within(folder: Path, layouts: int, main: str = "tekan.typ") -> bool:
    """Whether Typst settles the pages of the book ``folder/main`` (a generated book: the layout's import and its
    ``#show: book.with(…)`` on its first two lines) within ``layouts`` layouts of it.

    Typst lays a book out again while what the layout reads of itself (page numbers, running heads, a link's
    target) changes, five times at most, then warns that it did not converge. The book is compiled with
    ``5 - layouts`` layouts put before it, each of a marker alone, the book's own first one waiting for the last
    of them: it converges only if its own layouts are no more than ``layouts``. The faces are the folder's
    ``fonts`` when it has them (as the builder compiles), else the system's."""
    import typst

    head, show, rest = (folder / main).read_text(encoding="utf-8").split("\n", 2)
    waits = [
        f"#show: body => context {{ [#metadata(none)<{mark}>]; if query(<{mark}>).len() > 0 {{ body }} }}"
        for mark in (f"tekan-wait-{n}" for n in range(5 - layouts))
    ]
    probe = folder / f".settles-{layouts}.typ"
    probe.write_text("\n".join([head, show, *waits, rest]), encoding="utf-8")
    fonts = folder / "fonts"
    try:
        _, warnings = typst.compile_with_warnings(
            str(probe),
            root=str(folder),
            font_paths=[str(fonts)] if fonts.is_dir() else [],
            ignore_system_fonts=fonts.is_dir(),
        )
    finally:
        probe.unlink()
    return not any("did not converge" in str(warning) for warning in warnings)
