"""Publication → MyST Markdown pages. Seed text is escaped so that it is always data, never markup."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from .linking import Linker, Segment
from .model import Publication, Sector, Statement

#: ASCII punctuation that cannot start MyST, CommonMark, HTML or Sphinx syntax in running text.
_SAFE_PUNCTUATION = ",;()'\"?!/"
_ESCAPE = re.compile(
    "([" + re.escape("".join(c for c in r"""!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~""" if c not in _SAFE_PUNCTUATION)) + "])"
)

#: Names of the generated pages (relative to the Sphinx source folder, without suffix).
GLOSSARY_DOC = "glossary"
ENGLISH_INDEX_DOC = "english-index"
AUDIT_DOC = "audit"


def escape(text: str) -> str:
    """Backslash-escape every ASCII punctuation mark that could open markup (CommonMark escapes)."""
    # Most text needs no escape: searching first skips re.sub's per-call template handling (3x faster).
    return _ESCAPE.sub(r"\\\1", text) if _ESCAPE.search(text) else text


def yaml_string(value: str) -> str:
    """A YAML scalar that is read back as exactly ``value`` (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def statement_doc(statement: Statement) -> str:
    """The page name of a statement."""
    return f"statements/{statement.meta.slug}"


def sector_doc(sector: Sector) -> str:
    """The page name of a sector's part page."""
    return f"sectors/{sector.id}"


@dataclass(frozen=True)
class Labels:
    """The fixed words of the generated pages, in one script."""

    glossary: str = "詞彙表"
    glossary_intro: str = "本書所用質量基礎設施與政策術語的中英對照釋義，按漢語拼音排序。英文索引見{english}。"
    english_index: str = "English index"
    contents: str = "目錄"
    statements: str = "篇"
    by: str = "——"
    script: str = "hant"  # the script these words are written in ("hant" or "hans")


def _role(text: str, term: str) -> str:
    # Term forms are checked to hold no backtick or angle bracket (glossary.load_glossary).
    return "{term}`" + text + " <" + term + ">`"


def render_segments(segments: list[Segment]) -> str:
    """One paragraph: escaped text, with term occurrences as ``{term}`` roles."""
    return "".join(escape(text) if term is None else _role(text, term) for text, term in segments)


def render_statement(statement: Statement, linker: Linker) -> str:
    """The MyST page of one statement: front matter, title, body, byline."""
    attribution, meta = statement.attribution, statement.meta
    description = statement.paragraphs[0][:120]
    # Nothing here may change when another statement is edited (the seed line would: adding a paragraph
    # to one statement would then change every later page and re-read the whole book).
    front = [
        "---",
        f"tekan_number: {statement.number}",
        f"tekan_sector: {yaml_string(meta.sector)}",
        "myst:",
        "  html_meta:",
        f"    description: {yaml_string(description)}",
        f"    author: {yaml_string(attribution.person or attribution.raw)}",
        "---",
    ]
    lines = [*front, "", f"({meta.slug})=", f"# {escape(statement.headline)}", ""]
    if meta.headline_en:
        lines += ["```{tekan-english}", meta.headline_en, "```", ""]
    for paragraph in linker.link(statement.paragraphs):
        lines += [render_segments(paragraph), ""]
    lines += ["```{tekan-byline}"]
    # Parts are shown split only when they join back to the byline as printed (name-first or
    # bracketed bylines are read for their parts, but printed exactly as written).
    if attribution.is_split and attribution.organisation + attribution.position + attribution.person == attribution.raw:
        lines += [
            f"organisation: {attribution.organisation}",
            f"position: {attribution.position}",
            f"person: {attribution.person}",
        ]
    else:
        lines += [f"raw: {attribution.raw}"]
    for key, value in (
        ("person_en", meta.person_pinyin),
        ("position_en", meta.position_en),
        ("organisation_en", meta.organisation_en),
    ):
        if value:
            lines.append(f"{key}: {value}")
    lines += ["```", ""]
    return "\n".join(lines)


def render_sector(sector: Sector, statements: list[Statement]) -> str:
    """A sector's part page: its name and the toctree of its statements."""
    lines = [
        f"(sector-{sector.id})=",
        f"# {escape(sector.zh)}",
        "",
        "```{tekan-english}",
        sector.en,
        "```",
        "",
        "```{toctree}",
        ":maxdepth: 1",
        "",
        *(f"/{statement_doc(st)}" for st in statements),
        "```",
        "",
    ]
    return "\n".join(lines)


def render_index(publication: Publication, labels: Labels) -> str:
    """The home page: title, description, statements grouped by sector with speaker and organisation."""
    meta = publication.meta
    lines = [
        "---",
        "myst:",
        "  html_meta:",
        f"    description: {yaml_string(meta.description_zh or meta.title)}",
        "---",
        "",
        "(home)=",
        f"# {escape(meta.title)}",
        "",
    ]
    if meta.title_en:
        lines += ["```{tekan-english}", meta.title_en, "```", ""]
    if meta.description_zh:
        lines += [escape(meta.description_zh), ""]
    if meta.description_en:
        lines += ["```{tekan-english}", meta.description_en, "```", ""]
    groups = publication.by_sector()
    for sector, statements in groups:
        lines += [f"(home-{sector.id})=", f"## {escape(sector.zh)}", ""]
        for st in statements:
            who = "".join(p for p in (st.attribution.organisation, st.attribution.position) if p)
            speaker = st.attribution.person or st.attribution.raw
            # A Markdown link, not a role: role text is not unescaped, link text is.
            lines.append(f"- [{escape(st.headline)}]({statement_doc(st)}.md)  ")
            lines.append(f"  {escape(speaker)}　{escape(who)}" if who else f"  {escape(speaker)}")
            if st.meta.headline_en:
                lines += ["", "  ```{tekan-english}", f"  {st.meta.headline_en}", "  ```", ""]
        lines.append("")
    lines += [
        "```{toctree}",
        ":hidden:",
        f":caption: {labels.contents}",
        "",
        *(f"/{sector_doc(sector)}" for sector, _ in groups),
        f"/{GLOSSARY_DOC}",
        f"/{ENGLISH_INDEX_DOC}",
        f"/{AUDIT_DOC}",
        "```",
        "",
    ]
    return "\n".join(lines)


def render_glossary(labels: Labels) -> str:
    """The glossary page; entries come from the ``tekan-glossary`` directive."""
    intro = labels.glossary_intro.format(english=f"{{doc}}`/{ENGLISH_INDEX_DOC}`")
    return "\n".join([f"({GLOSSARY_DOC})=", f"# {labels.glossary}", "", intro, "", "```{tekan-glossary}", "```", ""])


def render_english_index(labels: Labels) -> str:
    """The English A–Z index of glossary terms (kept out of search: it repeats the glossary's words)."""
    return "\n".join(
        [
            "---",
            "nosearch: true",
            "---",
            "",
            f"({ENGLISH_INDEX_DOC})=",
            f"# {labels.english_index}",
            "",
            "```{tekan-english-index}",
            "```",
            "",
        ]
    )


def render_book(publication: Publication, linker: Linker, labels: Labels | None = None) -> dict[str, str]:
    """Every generated page of a book: relative path (with ``.md``) → MyST text."""
    labels = labels or Labels()
    pages = {"index.md": render_index(publication, labels)}
    for sector, statements in publication.by_sector():
        pages[f"{sector_doc(sector)}.md"] = render_sector(sector, statements)
        for statement in statements:
            pages[f"{statement_doc(statement)}.md"] = render_statement(statement, linker)
    pages[f"{GLOSSARY_DOC}.md"] = render_glossary(labels)
    pages[f"{ENGLISH_INDEX_DOC}.md"] = render_english_index(labels)
    from .normalise import render_audit  # the audit page of the text's normalisation

    pages[f"{AUDIT_DOC}.md"] = render_audit(publication, labels.script)
    return pages
