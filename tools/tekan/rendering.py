"""Publication → MyST Markdown pages. Seed text is escaped so that it is always data, never markup."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from .linking import Linker, Segment
from .model import Change, Publication, Sector, Statement

#: ASCII punctuation that cannot start MyST, CommonMark, HTML or Sphinx syntax in running text. (Not ``)``:
#: ``1)`` or ``2021)`` at the start of a line opens an ordered list.)
_SAFE_PUNCTUATION = ",;('\"?!/"
#: Line breaks of every kind: CommonMark's, and those Python's ``splitlines`` and YAML also break at.
_LINE_BREAKS = re.compile("[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]+")
_SPACES = re.compile("[ \t\n\r\v\f\x1c-\x1e\x85\u2028\u2029]+")
_ESCAPE = re.compile(
    "([" + re.escape("".join(c for c in r"""!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~""" if c not in _SAFE_PUNCTUATION)) + "])"
)

#: Names of the generated pages (relative to the Sphinx source folder, without suffix).
GLOSSARY_DOC = "glossary"
ENGLISH_INDEX_DOC = "english-index"
AUDIT_DOC = "audit"


def escape(text: str) -> str:
    """Inline text as MyST that reads back as itself: every ASCII punctuation mark that could open markup is
    backslash-escaped (CommonMark escapes), and line breaks become spaces (they would start new blocks)."""
    if _LINE_BREAKS.search(text):  # never in seed lines; metadata (descriptions) may hold them
        text = _LINE_BREAKS.sub(" ", text)
    # Most text needs no escape: searching first skips re.sub's per-call template handling (3x faster).
    return _ESCAPE.sub(r"\\\1", text) if _ESCAPE.search(text) else text


def one_line(text: str) -> str:
    """Metadata text for a place that holds one line (an English headline, a cover): runs of spaces and
    line breaks become one space (the ideographic space U+3000 is text and kept)."""
    return _SPACES.sub(" ", text).strip(" ")


def data_line(value: str) -> str:
    """``value`` as one line that no Markdown, MyST or YAML reader splits: a JSON string literal.

    Metadata (English headlines, pinyin, descriptions) reaches the pages only this way — as the content
    of a directive or a front-matter value that decodes it — so it is data, never markup.
    """
    text = json.dumps(value, ensure_ascii=False)  # escapes the C0 controls, quotes and backslashes
    return text.replace("\x85", "\\u0085").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def yaml_string(value: str) -> str:
    """A YAML scalar that is read back as exactly ``value`` (JSON strings are valid YAML)."""
    return data_line(value)


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
        lines += ["```{tekan-english}", data_line(meta.headline_en), "```", ""]
    for paragraph in linker.link(statement.paragraphs):
        lines += [render_segments(paragraph), ""]
    lines += ["```{tekan-byline}"]
    # Parts are shown split only when they join back to the byline as printed (name-first or
    # bracketed bylines are read for their parts, but printed exactly as written).
    if attribution.is_split and attribution.organisation + attribution.position + attribution.person == attribution.raw:
        lines += [
            f"organisation: {data_line(attribution.organisation)}",
            f"position: {data_line(attribution.position)}",
            f"person: {data_line(attribution.person)}",
        ]
    else:
        lines += [f"raw: {data_line(attribution.raw)}"]
    for key, value in (
        ("person_en", meta.person_pinyin),
        ("position_en", meta.position_en),
        ("organisation_en", meta.organisation_en),
    ):
        if value:
            lines.append(f"{key}: {data_line(value)}")
    lines += ["```", ""]
    return "\n".join(lines)


def render_sector(sector: Sector, statements: list[Statement]) -> str:
    """A sector's part page: its name and the toctree of its statements."""
    lines = [
        f"(sector-{sector.id})=",
        f"# {escape(sector.zh)}",
        "",
        "```{tekan-english}",
        data_line(sector.en),
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
        lines += ["```{tekan-english}", data_line(meta.title_en), "```", ""]
    if meta.description_zh:
        lines += [escape(meta.description_zh), ""]
    if meta.description_en:
        lines += ["```{tekan-english}", data_line(meta.description_en), "```", ""]
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
                lines += ["", "  ```{tekan-english}", f"  {data_line(st.meta.headline_en)}", "  ```", ""]
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
    pages[f"{AUDIT_DOC}.md"] = render_audit(publication, labels.script)
    return pages


# --- the audit page ----------------------------------------------------------------------------

#: The fixed words of the audit page, written out in each script.
AUDIT_WORDS = {
    "hant": {
        "title": "文字校訂記錄",
        "intro": (
            "原稿 {seed} 由簡體機器轉換為繁體，中文句中留有半形標點，也有大陸字形。"
            "本版把中文語境中的半形標點改為全形（{punctuation} 處），把大陸字形改為繁體通行字形（{words} 處），"
            "共 {total} 處，逐一列於下表；數字、英文縮寫（如 5G、AI）中的符號與人名、機構名一律照錄。"
            "以 tekan build --verbatim 建置，可照錄原稿出版。"
        ),
        "hans_note": "",
        "verbatim": "本版照錄原稿 {seed}，未作任何校訂。",
        "none": "原稿無需校訂。",
        "masthead": "報頭",
        "headline": "標題",
        "paragraph": "第 {n} 段",
        "line": "第 {n} 行",
        "place": "位置",
        "before": "原稿",
        "after": "校訂",
        "rule": "類別",
        "punctuation": "標點",
        "word": "字形",
        "read": "閱讀本篇",
    },
    "hans": {
        "title": "文字校订记录",
        "intro": (
            "原稿 {seed} 由简体机器转换为繁体，中文句中留有半角标点，也有大陆字形。"
            "繁体版把中文语境中的半角标点改为全角（{punctuation} 处），把大陆字形改为繁体通行字形（{words} 处），"
            "共 {total} 处，逐一列于下表；数字、英文缩写（如 5G、AI）中的符号与人名、机构名一律照录。"
            "以 tekan build --verbatim 构建，可照录原稿出版。"
        ),
        "hans_note": "简体版由校订后的繁体文本转换而来；下表按原稿以繁体列出。",
        "verbatim": "本版照录原稿 {seed}，未作任何校订。",
        "none": "原稿无需校订。",
        "masthead": "报头",
        "headline": "标题",
        "paragraph": "第 {n} 段",
        "line": "第 {n} 行",
        "place": "位置",
        "before": "原稿",
        "after": "校订",
        "rule": "类别",
        "punctuation": "标点",
        "word": "字形",
        "read": "阅读本篇",
    },
}


def _cell(text: str, start: int, length: int) -> str:
    piece = text[start : start + length]
    # The changed characters in bold; they are Han characters or punctuation, never a backtick.
    return escape(text[:start]) + "{strong}`" + piece + "`" + escape(text[start + length :])


def render_audit(publication: Publication, script: str = "hant") -> str:
    """The audit page: every change normalisation made, grouped by statement, with its place in the seed."""
    words = AUDIT_WORDS[script]
    seed = publication.source.name
    # Kept out of the search index: its fragments of the seed would crowd the statements out of the results.
    lines = ["---", "nosearch: true", "---", "", f"({AUDIT_DOC})=", f"# {words['title']}", ""]
    if not publication.normalised:
        return "\n".join([*lines, escape(words["verbatim"].format(seed=seed)), ""])
    changes = publication.changes
    punctuation = sum(1 for c in changes if c.rule == "punctuation")
    intro = words["intro"].format(
        seed=seed, total=len(changes), punctuation=punctuation, words=len(changes) - punctuation
    )
    lines += [escape(intro), ""]
    if words["hans_note"]:
        lines += [escape(words["hans_note"]), ""]
    if not changes:
        return "\n".join([*lines, words["none"], ""])
    titles = {st.number: st for st in publication.statements}
    groups: dict[int, list[Change]] = {}
    for change in changes:
        groups.setdefault(change.statement, []).append(change)
    for number, group in groups.items():
        statement = titles.get(number)
        if statement is None:
            lines += ["(audit-masthead)=", f"## {words['masthead']}", ""]
        else:
            lines += [f"(audit-{statement.meta.slug})=", f"## {escape(statement.headline)}", ""]
            lines += [f"[{words['read']}]({statement_doc(statement)}.md)", ""]
        lines += [
            f"| {words['place']} | {words['before']} | {words['after']} | {words['rule']} |",
            "| --- | --- | --- | --- |",
        ]
        for c in group:
            where = words["paragraph"].format(n=c.paragraph) if c.part == "paragraph" else words[c.part]
            place = f"{where}，{words['line'].format(n=c.line)}" if c.line else where
            lines.append(
                f"| {place} | {_cell(c.before, c.start, len(c.old))} | {_cell(c.after, c.start, len(c.new))} "
                f"| {words[c.rule]} |"
            )
        lines.append("")
    return "\n".join(lines)
