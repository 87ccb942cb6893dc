"""Normalised Traditional text: the seed is a machine conversion from Simplified, with ASCII punctuation inside
Chinese sentences and mainland word forms (關于, 并, 制造). This module corrects both and records every edit as a
:class:`~tekan.model.Change` (``rendering.render_audit`` lists them). Names are never touched.

Punctuation becomes full-width only in Chinese context (a neighbour is a Han character or Chinese punctuation),
so ``5G``, ``2020-2025``, ``1/60`` and ``AI`` stay as printed. Word forms come from a word list
(``data/normalise-words.txt``), not a character map: 制 is right in 制度 and wrong in 制造.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from .datafiles import read_columns
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


def change_record(text: str, edit: Edit, line: int, statement: int, part: str, paragraph: int = 0) -> Change:
    """The audit record of one edit of ``text``: its place and a few characters of context around it."""
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
    changes: list[Change] = []
    statements: list[Statement] = []
    for statement in publication.statements:
        headline, edits = normaliser.normalise(statement.headline)
        changes += [change_record(statement.headline, e, statement.line, statement.number, "headline") for e in edits]
        paragraphs: list[str] = []
        lines = statement.paragraph_lines
        for index, paragraph in enumerate(statement.paragraphs):
            text, edits = normaliser.normalise(paragraph)
            line = lines[index] if index < len(lines) else 0
            changes += [change_record(paragraph, e, line, statement.number, "paragraph", index + 1) for e in edits]
            paragraphs.append(text)
        statements.append(replace(statement, headline=headline, paragraphs=tuple(paragraphs)))
    masthead, edits = normaliser.normalise(publication.masthead)
    changes += [change_record(publication.masthead, e, publication.masthead_line, 0, "masthead") for e in edits]
    return replace(
        publication,
        masthead=masthead,
        statements=tuple(statements),
        normalised=True,
        changes=tuple(changes),
    )
