"""Normalised Traditional text: the seed is a machine conversion from Simplified, with ASCII punctuation inside
Chinese sentences and mainland word forms (關于, 并, 制造). This module corrects both and records every edit as a
:class:`~tekan.model.Change` (``rendering.render_audit`` lists them). Names are never touched.

Punctuation becomes full-width only in Chinese context (a neighbour is a Han character or Chinese punctuation),
so ``5G``, ``1/60`` and ``AI`` stay as printed. Word forms come from a word list
(``data/normalise-words.txt``), not a character map: 制 is right in 制度 and wrong in 制造.

The rules, each named on the audit page (``Edit.rule``):

* ``punctuation``: ASCII , ; : ? ! ( ) in Chinese context → full width;
* ``word``: mainland word forms → Traditional (``data/normalise-words.txt``);
* ``customary``: the customary Taiwanese 佔, 佈 where the MOE standard form is 占, 布 (``normalise-customary.txt``);
* ``lookalike``: a look-alike character misprinted for another, corrected in names and bylines too
  (陜西 → 陝西, ``normalise-lookalikes.txt``);
* ``quotes``: “ ” ‘ ’ around Chinese → 「 」 『 』, the Traditional convention (W3C clreq); the Simplified edition
  turns them back into “ ” ‘ ’ (``scripts.Converter.to_hans``). A Simplified seed goes the other way: its
  「 」 『 』 become “ ” ‘ ’ (GB/T 15834), so every Simplified edition prints “ ”, whatever its seed's script;
* ``dash``: a hyphen between two years → en dash (2020-2025 → 2020–2025).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from functools import cache, lru_cache
from itertools import chain
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple

from .datafiles import read_columns
from .errors import Kind, TekanError
from .linking import Linker
from .memo import FileMemo
from .model import Change, Location, Publication, Statement

#: Mainland forms and their Traditional forms: ``FOUND<TAB>TRADITIONAL`` per line.
WORDS = Path(__file__).parent / "data" / "normalise-words.txt"
#: Customary Taiwanese forms of characters whose MOE standard form the seed has: ``FOUND<TAB>CUSTOMARY``.
CUSTOMARY = Path(__file__).parent / "data" / "normalise-customary.txt"
#: Look-alike misprints and the intended characters, same length: ``FOUND<TAB>INTENDED``.
LOOKALIKES = Path(__file__).parent / "data" / "normalise-lookalikes.txt"
#: Every rule, in the order the audit page names them.
RULES = ("punctuation", "quotes", "dash", "word", "customary", "lookalike")
#: Curly quotation marks and the corner brackets the Traditional edition prints for them (W3C clreq).
CORNER_QUOTES = {"“": "「", "”": "」", "‘": "『", "’": "』"}
#: Corner brackets and the quotation marks a Simplified text prints for them (GB/T 15834).
CURLY_QUOTES = {corner: curly for curly, corner in CORNER_QUOTES.items()}
#: The rules that apply to a Simplified seed: its word forms are its own (the Traditional forms are for the
#: Traditional text), so only its punctuation, quotation marks and ranges are brought to the convention.
SIMPLIFIED_RULES = ("punctuation", "quotes", "dash")
#: A hyphen between two years: a range, printed with an en dash.
_YEAR_RANGE = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})-((?:19|20)[0-9]{2})(?![0-9])")
#: ASCII marks that become their full-width forms in Chinese context.
FULL_WIDTH = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
#: Characters of the seed's Chinese shown around a change on the audit page.
CONTEXT = 6
#: Any of the FULL_WIDTH keys: the only characters _punctuation_edits acts on.
_HALF_WIDTH = re.compile("[" + re.escape("".join(FULL_WIDTH)) + "]")

#: Han characters, CJK and full-width punctuation, and the marks Chinese text shares with others (“ ” ‘ ’ — … ·):
#: a neighbour that makes ASCII punctuation Chinese context.
_CJK_RANGES = ((0x3000, 0x303F), (0x3400, 0x9FFF), (0xF900, 0xFAFF), (0xFF00, 0xFFEF))
_CJK_MARKS = "\u2018\u2019\u201c\u201d\u2014\u2026\u00b7"
_CJK_CLASS = "[" + "".join(f"{chr(first)}-{chr(last)}" for first, last in _CJK_RANGES) + _CJK_MARKS + "]"
_CJK = re.compile(_CJK_CLASS)
_CJK_CHARS = frozenset([chr(code) for first, last in _CJK_RANGES for code in range(first, last + 1)] + [*_CJK_MARKS])
#: A half-width mark other than a bracket (``FULL_WIDTH``) with Chinese on either side: the only ones that change.
_MARK_IN_CHINESE = re.compile(f"[,;:?!](?:(?<={_CJK_CLASS}.)|(?={_CJK_CLASS}))")
_BRACKET = re.compile("[()]")


def _is_cjk(char: str) -> bool:
    return char in _CJK_CHARS


#: Makes a record of a NamedTuple class from a tuple of its fields without the class's own ``__new__`` (a Python
#: function): ``_new(Edit, (start, old, new, rule))`` is ``Edit(start, old, new, rule)`` in half the time.
_new = tuple.__new__


class Edit(NamedTuple):
    """One replacement in one string (a tuple: normalising a long book makes hundreds of thousands)."""

    start: int  # offset in the original string
    old: str  # replaced characters
    new: str  # their replacement
    rule: str  # one of RULES


def load_words(path: Path = WORDS) -> dict[str, str]:
    """The word list: found form → Traditional form (equal forms protect a correct word)."""
    return {found: traditional for found, traditional in read_columns(path, 2, "FOUND<TAB>TRADITIONAL")}


def load_lookalikes(path: Path = LOOKALIKES) -> dict[str, str]:
    """The look-alike list: misprinted form → intended form, each pair of the same length."""
    pairs = {found: intended for found, intended in read_columns(path, 2, "FOUND<TAB>INTENDED")}
    for found, intended in pairs.items():
        if len(found) != len(intended):
            raise TekanError(f"{found} and {intended} differ in length", Location(path, 0), Kind.io)
    return pairs


@cache
def _default_words() -> dict[str, str]:
    return load_words()


@cache
def _default_customary() -> dict[str, str]:
    return load_words(CUSTOMARY)


@cache
def _default_lookalikes() -> dict[str, str]:
    return load_lookalikes()


class Normaliser:
    """Corrects punctuation and word forms in Chinese text, keeping protected strings (names) unchanged."""

    def __init__(
        self,
        words: dict[str, str] | None = None,
        protected: Iterable[str] = (),
        rules: Iterable[str] = RULES,
        customary: dict[str, str] | None = None,
        lookalikes: dict[str, str] | None = None,
        quotes: dict[str, str] = CORNER_QUOTES,
    ) -> None:
        self.rules = frozenset(rules)
        self._quotes = quotes
        self._rule_of: dict[str, str] = {}
        forms: dict[str, str] = {}
        for rule, table in (
            ("word", words if words is not None else _default_words()),
            ("customary", customary if customary is not None else _default_customary()),
        ):
            for found, replacement in table.items():
                forms.setdefault(found, replacement if rule in self.rules else found)
                self._rule_of.setdefault(found, rule)
        lookalike = lookalikes if lookalikes is not None else _default_lookalikes()
        self._lookalikes = Linker.build(lookalike if "lookalike" in self.rules else {})
        for name in protected:
            if name:
                # A name is matched whole, so no rule applies inside it (a look-alike misprint is still corrected).
                corrected = self.correct_lookalikes(name)
                forms[name] = forms[corrected] = corrected
        self._linker = Linker.build(forms)
        # Each text's result, once per run: a text depends on nothing else (a book repeats its stock phrases).
        self._done: dict[str, tuple[str, tuple[Edit, ...]]] = {}

    def correct_lookalikes(self, text: str) -> str:
        """``text`` with its look-alike misprints corrected (names included)."""
        pattern = self._lookalikes.pattern
        if pattern is None or pattern.search(text) is None:  # nearly every name: no edit to make or apply
            return text
        return apply(text, self.lookalike_edits(text))

    def lookalike_edits(self, text: str) -> list[Edit]:
        """The look-alike corrections of ``text`` (same-length replacements)."""
        return [
            Edit(start, text[start:end], replacement, "lookalike")
            for start, end, replacement in self._lookalikes.occurrences(text)
            if replacement != text[start:end]
        ]

    def edits(self, text: str) -> list[Edit]:
        """Every edit that ``text`` needs, in order."""
        edits = self.lookalike_edits(text)
        # Look-alike corrections keep the length, so later rules see the corrected text at the same offsets.
        corrected = apply(text, edits) if edits else text
        covered = [False] * len(text)
        for edit in edits:
            covered[edit.start : edit.start + len(edit.old)] = [True] * len(edit.old)
        for start, end, replacement in self._linker.occurrences(corrected):
            found = corrected[start:end]
            if replacement != found and not any(covered[start:end]):
                edits.append(Edit(start, found, replacement, self._rule_of.get(found, "word")))
            covered[start:end] = [True] * (end - start)
        if "punctuation" in self.rules:
            edits += _punctuation_edits(corrected, covered)
        if "quotes" in self.rules:
            edits += _quote_edits(corrected, covered, self._quotes)
        if "dash" in self.rules and "-" in corrected:  # a text without a hyphen has no range (most: a scan saved)
            edits += [Edit(m.start() + 4, "-", "–", "dash") for m in _YEAR_RANGE.finditer(corrected) if m[1] < m[2]]
        return sorted(edits, key=_START)

    def normalise(self, text: str) -> tuple[str, list[Edit]]:
        """The normalised text and the edits that made it."""
        done = self._done.get(text)
        if done is None:
            edits = self.edits(text)
            done = self._done[text] = (_apply_in_order(text, edits), tuple(edits))
        return done[0], list(done[1])


#: An edit's offset, the key edits are sorted by (stable, as ``lambda e: e.start``, without a call per edit).
_START = itemgetter(0)


def apply(text: str, edits: Iterable[Edit]) -> str:
    """``text`` with non-overlapping ``edits`` applied."""
    return _apply_in_order(text, sorted(edits, key=_START))


def _apply_in_order(text: str, edits: Iterable[Edit]) -> str:
    """:func:`apply` of edits sorted by their offset (:meth:`Normaliser.edits`: not sorted again)."""
    out: list[str] = []
    position = 0
    for start, old, new, _ in edits:  # unpacked: no attribute look-ups (hundreds of thousands in a long book)
        out.append(text[position:start])
        out.append(new)
        position = start + len(old)
    out.append(text[position:])
    return "".join(out)


def _punctuation_edits(text: str, covered: list[bool]) -> list[Edit]:
    """The half-width marks in Chinese context (a neighbour is Chinese; for brackets, a neighbour of either or a
    character between them) → full width; not in ``order``: the caller sorts."""
    edits: list[Edit] = []
    for match in _MARK_IN_CHINESE.finditer(text):  # only the marks that change: a loop over all was slow
        start = match.start()
        if not covered[start]:
            mark = match[0]
            edits.append(_new(Edit, (start, mark, FULL_WIDTH[mark], "punctuation")))
    pending_open: int | None = None
    for match in _BRACKET.finditer(text):
        i = match.start()
        if covered[i]:
            continue
        if match[0] == "(":
            pending_open = i
            continue
        if pending_open is not None:
            outside = (text[pending_open - 1] if pending_open else "", text[i + 1] if i + 1 < len(text) else "")
            if _CJK.search(text, pending_open + 1, i) or any(_is_cjk(c) for c in outside):
                edits.append(Edit(pending_open, "(", FULL_WIDTH["("], "punctuation"))
                edits.append(Edit(i, ")", FULL_WIDTH[")"], "punctuation"))
        pending_open = None
    return edits


@lru_cache(maxsize=4)
def _quote_pattern(marks: str, anywhere: bool) -> re.Pattern[str]:
    """Any of ``marks``; unless ``anywhere``, only with Chinese on either side."""
    marks = "[" + re.escape(marks) + "]"
    return re.compile(marks if anywhere else f"{marks}(?:(?<={_CJK_CLASS}.)|(?={_CJK_CLASS}))")


def _quote_edits(text: str, covered: list[bool], quotes: dict[str, str] = CORNER_QUOTES) -> list[Edit]:
    """Curly quotes next to Chinese → corner brackets (or the reverse, with ``CURLY_QUOTES``); an apostrophe in
    English (China’s) stays."""
    pattern = _quote_pattern("".join(quotes), quotes is CURLY_QUOTES)
    # Only the marks that change are found: a loop over all characters (and then over all marks) was slow.
    return [
        _new(Edit, (start, mark, quotes[mark], "quotes"))
        for start, mark in ((m.start(), m[0]) for m in pattern.finditer(text))
        if not covered[start]
    ]


def corner_quotes(text: str) -> str:
    """``text`` with the curly quotes around Chinese as corner brackets (the Traditional convention)."""
    return apply(text, _quote_edits(text, [False] * len(text)))


def change_record(text: str, edit: Edit, line: int, statement: int, part: str, paragraph: int = 0) -> Change:
    """The audit record of one edit of ``text``: its place and a few characters of context around it."""
    return Change(line, statement, part, paragraph, *_context(text, edit))


def _context(text: str, edit: Edit) -> tuple[str, str, int, str, str, str]:
    """What a :class:`Change` records of an edit besides its place: ``before``, ``after``, ``start``, ``old``,
    ``new`` and ``rule``."""
    left = max(0, edit.start - CONTEXT)
    right = min(len(text), edit.start + len(edit.old) + CONTEXT)
    before = text[left:right]
    offset = edit.start - left
    after = before[:offset] + edit.new + before[offset + len(edit.old) :]
    return before, after, offset, edit.old, edit.new, edit.rule


def _change_records(
    text: str, edits: Iterable[Edit], line: int, statement: int, part: str, paragraph: int = 0
) -> list[Change]:
    """:func:`change_record` of each edit of ``text`` (the same records, without a call per edit and each made at
    once from its ten fields: a long book has hundreds of thousands)."""
    found = []
    for start, old, new, rule in edits:
        left = start - CONTEXT if start > CONTEXT else 0
        before = text[left : start + len(old) + CONTEXT]
        offset = start - left
        after = before[:offset] + new + before[offset + len(old) :]
        found.append(_new(Change, (line, statement, part, paragraph, before, after, offset, old, new, rule)))
    return found


def normalise_seed(publication: Publication) -> Publication:
    """A seed's text as the editions print it. A Simplified seed keeps its word forms and its “ ” (the Simplified
    convention, W3C clreq; the Traditional edition converts them to 「 」): only its punctuation is normalised."""
    return normalise_publication(publication)


def protected_names(publication: Publication) -> set[str]:
    """The names normalisation leaves alone (the bylines' persons and organisations)."""
    return {n for st in publication.statements for n in (st.attribution.person, st.attribution.organisation) if n}


def normalise_publication(
    publication: Publication,
    words: dict[str, str] | None = None,
    rules: Iterable[str] = RULES,
    memo: FileMemo[tuple[int | str, ...]] | None = None,
) -> Publication:
    """The publication with normalised headlines, paragraphs and masthead, and every change recorded.

    Bylines are names: only look-alike misprints are corrected in them (陜西 → 陝西), and recorded too.
    ``rules`` names the rules to apply (all by default); a Simplified seed gets only ``SIMPLIFIED_RULES`` of them,
    its quotation marks in the Simplified convention. ``memo`` remembers each text's normalisation (its key must
    stand for the words, the rules, the script and the protected names).
    """
    names = protected_names(publication)
    if publication.script == "hans":
        rules = [rule for rule in rules if rule in SIMPLIFIED_RULES]
        normaliser = Normaliser({}, protected=names, rules=rules, customary={}, lookalikes={}, quotes=CURLY_QUOTES)
    else:
        normaliser = Normaliser(words, protected=names, rules=rules)

    def normalise(text: str) -> tuple[str, list[Edit]]:
        if memo is None:
            return normaliser.normalise(text)
        # The memo keeps a text's edits as one flat tuple (start, old, new, rule, start, …): the normalised text is
        # the text with its edits applied, and a tuple of strings and numbers is written in a fraction of the time of
        # as many Edit records (hundreds of thousands in a long book).
        flat = memo.recall(text)
        if flat is not None:
            edits = [Edit(*flat[i : i + 4]) for i in range(0, len(flat), 4)]  # type: ignore[arg-type]
            return apply(text, edits), edits
        # Not normaliser.normalise, which keeps each text's result for the run: the memo keeps it (a text met again is
        # recalled above), and 16,000 statements' edits kept twice were 400,000 records more alive.
        edits = normaliser.edits(text)
        memo.get(text, lambda _: tuple(chain.from_iterable(edits)))
        return _apply_in_order(text, edits), edits

    changes: list[Change] = []
    statements: list[Statement] = []

    def normalised(text: str, line: int, number: int, part: str, paragraph: int = 0) -> str:
        """The text normalised, its changes recorded."""
        result, edits = normalise(text)
        if edits:
            changes.extend(_change_records(text, edits, line, number, part, paragraph))
        return result

    for statement in publication.statements:
        a = statement.attribution
        byline_edits = normaliser.lookalike_edits(a.raw)
        if byline_edits:
            changes += [change_record(a.raw, e, a.line, statement.number, "byline") for e in byline_edits]
            corrected = replace(
                a,
                raw=apply(a.raw, byline_edits),
                organisation=normaliser.correct_lookalikes(a.organisation),
                position=normaliser.correct_lookalikes(a.position),
                person=normaliser.correct_lookalikes(a.person),
            )
            statement = replace(statement, attribution=corrected)
        headline = normalised(statement.headline, statement.line, statement.number, "headline")
        paragraphs: list[str] = []
        lines = statement.paragraph_lines
        for index, paragraph in enumerate(statement.paragraphs):
            line = lines[index] if index < len(lines) else 0
            paragraphs.append(normalised(paragraph, line, statement.number, "paragraph", index + 1))
        # An editor's note quotes the printed text: quote it as the edition prints it.
        notes = tuple((normalise(text)[0], normalise(note)[0]) for text, note in statement.meta.editor_notes)
        meta = statement.meta if notes == statement.meta.editor_notes else replace(statement.meta, editor_notes=notes)
        statements.append(replace(statement, headline=headline, paragraphs=tuple(paragraphs), meta=meta))
    masthead = normalised(publication.masthead, publication.masthead_line, 0, "masthead")
    # Facts read from the masthead get its corrections too (listed once, under the masthead).
    book = publication.meta

    def from_masthead(name: str, value: str) -> str:
        return normalise(value)[0] if name in book.from_masthead else value

    return replace(
        publication,
        masthead=masthead,
        statements=tuple(statements),
        normalised=True,
        changes=tuple(changes),
        meta=replace(
            book, title=from_masthead("title", book.title), publisher=from_masthead("publisher", book.publisher)
        ),
    )
