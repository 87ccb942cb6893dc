"""Normalised Traditional text: the seed is a machine conversion from Simplified, with ASCII punctuation inside
Chinese sentences and mainland word forms (關于, 并, 制造). This module corrects both, records every edit as a
:class:`~tekan.model.Change`, and renders the audit page that lists them. Names are never touched.

Punctuation becomes full-width only in Chinese context (a neighbour is a Han character or Chinese punctuation),
so ``5G``, ``2020-2025``, ``1/60`` and ``AI`` stay as printed. Word forms come from a word list
(``data/normalise-words.txt``), not a character map: 制 is right in 制度 and wrong in 制造.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from .datafiles import read_columns
from .errors import TekanError, read_text
from .linking import Linker
from .model import Change, Publication, Statement

#: Mainland forms and their Traditional forms: ``FOUND<TAB>TRADITIONAL`` per line.
WORDS = Path(__file__).parent / "data" / "normalise-words.txt"
#: ASCII marks that become their full-width forms in Chinese context.
FULL_WIDTH = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
#: Characters of the seed's Chinese shown around a change on the audit page.
CONTEXT = 6
#: Any of the FULL_WIDTH keys: the only characters _punctuation_edits acts on.
_HALF_WIDTH = re.compile("[" + re.escape("".join(FULL_WIDTH)) + "]")

_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef\u2018\u2019\u201c\u201d\u2014\u2026\u00b7]")


def _is_cjk(char: str) -> bool:
    return bool(char) and _CJK.match(char) is not None


@dataclass(frozen=True)
class Edit:
    """One replacement in one string."""

    start: int  # offset in the original string
    old: str  # replaced characters
    new: str  # their replacement
    rule: str  # "punctuation" or "word"


def load_words(path: Path = WORDS) -> dict[str, str]:
    """The word list: found form → Traditional form (equal forms protect a correct word)."""
    return {found: traditional for found, traditional in read_columns(path, 2, "FOUND<TAB>TRADITIONAL")}


@cache
def _default_words() -> dict[str, str]:
    return load_words()


class Normaliser:
    """Corrects punctuation and word forms in Chinese text, keeping protected strings (names) unchanged."""

    def __init__(self, words: dict[str, str] | None = None, protected: Iterable[str] = ()) -> None:
        forms = dict(words if words is not None else _default_words())
        for name in protected:
            if name:
                forms[name] = name  # a name is matched whole, so no rule applies inside it
        self._linker = Linker.build(forms)

    def edits(self, text: str) -> list[Edit]:
        """Every edit that ``text`` needs, in order."""
        edits: list[Edit] = []
        covered = [False] * len(text)
        for start, end, replacement in self._linker.occurrences(text):
            for i in range(start, end):
                covered[i] = True
            if replacement != text[start:end]:
                edits.append(Edit(start, text[start:end], replacement, "word"))
        edits += _punctuation_edits(text, covered)
        return sorted(edits, key=lambda e: e.start)

    def normalise(self, text: str) -> tuple[str, list[Edit]]:
        """The normalised text and the edits that made it."""
        edits = self.edits(text)
        return apply(text, edits), edits


def apply(text: str, edits: Iterable[Edit]) -> str:
    """``text`` with non-overlapping ``edits`` applied."""
    out: list[str] = []
    position = 0
    for edit in sorted(edits, key=lambda e: e.start):
        out.append(text[position : edit.start])
        out.append(edit.new)
        position = edit.start + len(edit.old)
    out.append(text[position:])
    return "".join(out)


def _punctuation_edits(text: str, covered: list[bool]) -> list[Edit]:
    edits: list[Edit] = []
    pending_open: int | None = None
    for match in _HALF_WIDTH.finditer(text):  # other characters change nothing (a loop over all was slow)
        i, char = match.start(), match[0]
        if covered[i]:
            continue
        before = text[i - 1] if i else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        if char == "(":
            pending_open = i
            continue
        if char == ")":
            if pending_open is not None:
                inside = text[pending_open + 1 : i]
                outside = (text[pending_open - 1] if pending_open else "", after)
                if any(_is_cjk(c) for c in inside) or any(_is_cjk(c) for c in outside):
                    edits.append(Edit(pending_open, "(", FULL_WIDTH["("], "punctuation"))
                    edits.append(Edit(i, ")", FULL_WIDTH[")"], "punctuation"))
            pending_open = None
            continue
        if _is_cjk(before) or _is_cjk(after):
            edits.append(Edit(i, char, FULL_WIDTH[char], "punctuation"))
    return edits


def _paragraph_lines(publication: Publication) -> dict[int, tuple[int, ...]]:
    """Statement number → the seed line of each body paragraph (0 where it cannot be found)."""
    try:
        source = read_text(publication.source).split("\n")
    except TekanError:
        source = []
    lines = [(n, line.strip()) for n, line in enumerate(source, start=1) if line.strip()]
    numbers = [n for n, _ in lines]
    result: dict[int, tuple[int, ...]] = {}
    for statement in publication.statements:
        # Only the lines right after the headline can match (a scan of all lines per statement was quadratic).
        first = bisect_right(numbers, statement.line)
        following = lines[first : first + len(statement.paragraphs)]
        found = [n for (n, text), paragraph in zip(following, statement.paragraphs, strict=False) if text == paragraph]
        result[statement.number] = tuple(found) if len(found) == len(statement.paragraphs) else ()
    return result


def _change(text: str, edit: Edit, line: int, statement: int, part: str, paragraph: int = 0) -> Change:
    left = max(0, edit.start - CONTEXT)
    right = min(len(text), edit.start + len(edit.old) + CONTEXT)
    before = text[left:right]
    offset = edit.start - left
    after = before[:offset] + edit.new + before[offset + len(edit.old) :]
    return Change(
        line=line,
        statement=statement,
        part=part,
        paragraph=paragraph,
        before=before,
        after=after,
        start=offset,
        old=edit.old,
        new=edit.new,
        rule=edit.rule,
    )


def normalise_publication(publication: Publication, words: dict[str, str] | None = None) -> Publication:
    """The publication with normalised headlines, paragraphs and masthead, and every change recorded.

    Bylines are kept as printed: they are names.
    """
    names = {n for st in publication.statements for n in (st.attribution.person, st.attribution.organisation) if n}
    normaliser = Normaliser(words, protected=names)
    paragraph_lines = _paragraph_lines(publication)
    changes: list[Change] = []
    statements: list[Statement] = []
    for statement in publication.statements:
        headline, edits = normaliser.normalise(statement.headline)
        changes += [_change(statement.headline, e, statement.line, statement.number, "headline") for e in edits]
        paragraphs: list[str] = []
        lines = paragraph_lines.get(statement.number, ())
        for index, paragraph in enumerate(statement.paragraphs):
            text, edits = normaliser.normalise(paragraph)
            line = lines[index] if index < len(lines) else 0
            changes += [_change(paragraph, e, line, statement.number, "paragraph", index + 1) for e in edits]
            paragraphs.append(text)
        statements.append(replace(statement, headline=headline, paragraphs=tuple(paragraphs)))
    masthead, edits = normaliser.normalise(publication.masthead)
    masthead_line = _masthead_line(publication)
    changes += [_change(publication.masthead, e, masthead_line, 0, "masthead") for e in edits]
    return replace(
        publication,
        masthead=masthead,
        statements=tuple(statements),
        normalised=True,
        changes=tuple(changes),
    )


def _masthead_line(publication: Publication) -> int:
    try:
        source = read_text(publication.source).split("\n")
    except TekanError:
        return 0
    numbered = [n for n, line in enumerate(source, start=1) if line.strip()]
    return numbered[-1] if numbered else 0


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
    from .rendering import escape

    piece = text[start : start + length]
    # The changed characters in bold; they are Han characters or punctuation, never a backtick.
    return escape(text[:start]) + "{strong}`" + piece + "`" + escape(text[start + length :])


def render_audit(publication: Publication, script: str = "hant") -> str:
    """The audit page: every change normalisation made, grouped by statement, with its place in the seed."""
    from .rendering import AUDIT_DOC, escape, statement_doc

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
