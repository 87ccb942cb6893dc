"""Traditional ↔ Simplified conversion: OpenCC, corrected by an override dictionary, with protected names and
the glossary's written-out forms.

A text is cut at every protected form (longest match first); protected forms are replaced by their counterpart
as a whole, and only the text between them goes through OpenCC. Protected are: the pairs of
``data/opencc-overrides.txt`` (OpenCC's known errors), the glossary headwords (``Term.hant`` ↔ ``Term.hans``)
and, for a publication, the names of its speakers and organisations.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from .datafiles import read_columns
from .errors import Kind, TekanError
from .linking import Linker, _trie_pattern
from .model import Change, Glossary, Location, Publication, Statement

#: The project's corrections to OpenCC: ``TRADITIONAL<TAB>SIMPLIFIED  # why`` per line.
OVERRIDES = Path(__file__).parent / "data" / "opencc-overrides.txt"
#: OpenCC configurations: Traditional → Simplified, and Simplified → Traditional with Taiwan's standard
#: character forms (為, 群, 眾 as in the seed, not OpenCC's 爲, 羣, 衆).
T2S, S2T = "t2s", "s2tw"


#: The Traditional edition's corner brackets and the quotation marks the Simplified edition prints for them.
HANS_QUOTES = str.maketrans({"「": "“", "」": "”", "『": "‘", "』": "’"})
_HANS_QUOTE_PAIRS = tuple((chr(corner), str(quote)) for corner, quote in HANS_QUOTES.items())


@cache
def _opencc(config: str) -> Any:
    import opencc

    return opencc.OpenCC(config)


def load_overrides(path: Path = OVERRIDES) -> tuple[tuple[str, str], ...]:
    """The (Traditional, Simplified) pairs of an override file, in file order."""
    rows = read_columns(path, 2, "TRADITIONAL<TAB>SIMPLIFIED (then an optional # comment)")
    return tuple((hant, hans) for hant, hans in rows)


@dataclass(frozen=True)
class Converter:
    """Converts text between the scripts, keeping protected forms exactly as given."""

    hans_of: Mapping[str, str]  # protected Traditional form → its Simplified form
    hant_of: Mapping[str, str]  # protected Simplified form → its Traditional form
    to_hans_linker: Linker  # finds protected Traditional forms
    to_hant_linker: Linker  # finds protected Simplified forms

    @classmethod
    def build(cls, pairs: Iterable[tuple[str, str]]) -> Converter:
        """A converter protecting ``pairs`` of (Traditional, Simplified); earlier pairs win a conflict."""
        hans_of: dict[str, str] = {}
        hant_of: dict[str, str] = {}
        for hant, hans in pairs:
            if hant and hans:
                hans_of.setdefault(hant, hans)
                hant_of.setdefault(hans, hant)
        return cls(hans_of, hant_of, Linker.build(hans_of), Linker.build(hant_of))

    def to_hans(self, text: str) -> str:
        """Traditional → Simplified, with the Simplified quotation marks “ ” ‘ ’ for 「 」 『 』 (W3C clreq)."""
        converted = _convert(text, self.to_hans_linker, T2S)
        # One replacement per mark: the same as translate(HANS_QUOTES) (no mark is replaced by another), in a
        # fraction of the time (translate looks every character up).
        for corner, quote in _HANS_QUOTE_PAIRS:
            converted = converted.replace(corner, quote)
        return converted

    def to_hant(self, text: str) -> str:
        """Simplified → Traditional, with 「 」 『 』 for the quotation marks around Chinese (W3C clreq)."""
        from .normalise import corner_quotes

        return corner_quotes(_convert(text, self.to_hant_linker, S2T))


@dataclass(frozen=True)
class _CharacterPath:
    """OpenCC's own phrase and character tables of a one-step configuration (t2s), for texts no phrase matches."""

    phrases: Mapping[str, str]  # OpenCC's phrase table, as it loaded it
    occurs: re.Pattern[str]  # finds any of its phrases
    characters: Mapping[int, str]  # OpenCC's character table (code point → its first candidate, as OpenCC uses)
    basic: list[int | str]  # the same for the Basic Multilingual Plane, by code point (itself where unmapped)


@cache
def _character_path(config: str) -> _CharacterPath | None:
    """OpenCC converts a text by its phrases, then character by character. A text in which no phrase occurs is
    converted character by character alone: this finds that case without OpenCC's pure-Python parse trees, which
    cost 30 s of CPU over 16,000 statements. None when the configuration is not one group of phrases and
    characters (s2tw adds a variants step) or a character table maps a separator OpenCC keeps as it is."""
    opencc = _opencc(config)
    opencc.convert("")  # loads the tables
    chain = getattr(opencc, "_dict_chain_data", None)
    if not (isinstance(chain, list) and len(chain) == 1 and len(chain[0]) == 2):
        return None
    (_, _, phrases), (max_chars, min_chars, characters) = chain[0]
    if (max_chars, min_chars) != (1, 1) or any(opencc.split_chars_re.fullmatch(c) for c in characters):
        return None
    first = {ord(char): value.split(" ")[0] for char, value in characters.items()}  # OpenCC takes the first
    basic: list[int | str] = list(range(_PLANE))
    for code, value in first.items():
        if code < _PLANE:
            basic[code] = value
    return _CharacterPath(phrases, re.compile(_trie_pattern(phrases)), first, basic)


#: The code points of the Basic Multilingual Plane; a character past them is stored in 4 bytes.
_PLANE = 0x10000
_PAST_PLANE = re.compile("[\U00010000-\U0010ffff]")


def _opencc_convert(text: str, config: str) -> str:
    """Exactly ``OpenCC(config).convert(text)``, character by character where no phrase of OpenCC occurs."""
    path = _character_path(config)
    if path is not None and path.occurs.search(text) is None:
        # A list is looked up in half the time of a dict (a character it does not map raises no KeyError); it
        # holds the Basic Multilingual Plane only, so a text with a character past it takes the dict.
        return text.translate(path.characters if _PAST_PLANE.search(text) else path.basic)
    return str(_opencc(config).convert(text))


def _convert(text: str, protected: Linker, config: str) -> str:
    if not text:
        return text
    out: list[str] = []
    position = 0
    for start, end, replacement in protected.occurrences(text):
        if start > position:
            out.append(_opencc_convert(text[position:start], config))
        out.append(replacement)
        position = end
    if position < len(text):
        out.append(_opencc_convert(text[position:], config))
    return "".join(out)


def glossary_pairs(glossary: Glossary) -> list[tuple[str, str]]:
    """Each glossary headword with its written-out Simplified form."""
    return [(term.hant, term.hans) for term in glossary.terms]


def name_pairs(publication: Publication, base: Converter) -> list[tuple[str, str]]:
    """The speakers' and organisations' names of a publication with their other-script forms, for protection.

    Pairs are (Traditional, Simplified) whatever the seed's script: a Simplified seed's names get their
    Traditional form from the base converter (overrides only), a Traditional seed's their Simplified form.
    """
    names: list[str] = []
    for statement in publication.statements:
        a = statement.attribution
        names += [n for n in (a.person, a.organisation) if n and n not in names]
    if publication.script == "hans":
        return [(base.to_hant(name), name) for name in names]
    return [(name, base.to_hans(name)) for name in names]


@cache
def default_converter() -> Converter:
    """The converter with the project's overrides only (no glossary, no names)."""
    return Converter.build(load_overrides())


def converter_for(glossary: Glossary | None = None, publication: Publication | None = None) -> Converter:
    """A converter protecting the overrides, the glossary headwords and the publication's names."""
    overrides = load_overrides()
    base = default_converter()
    pairs = list(overrides)
    if publication is not None:
        pairs += name_pairs(publication, base)
    if glossary is not None:
        pairs += glossary_pairs(glossary)
    return Converter.build(pairs)


def to_hans(text: str) -> str:
    """Traditional → Simplified, with the project's overrides."""
    return default_converter().to_hans(text)


@dataclass(frozen=True)
class CharacterTable:
    """How :func:`to_hans` converts most texts: character for character, each into one character of the same kind
    (a Han character stays one, punctuation stays punctuation: ``kind``). ``table`` (for ``str.translate``) gives
    exactly ``to_hans(text)`` for a text that :meth:`applies` to."""

    table: list[int | str]  # by code point, the Basic Multilingual Plane
    _exceptions: tuple[re.Pattern[str], ...]  # what makes a text convert otherwise: an override, a phrase, a character

    def applies(self, text: str) -> bool:
        """Whether ``to_hans(text) == text.translate(self.table)``."""
        return not any(pattern.search(text) for pattern in self._exceptions)


@cache
def hans_characters(kind: Callable[[str], bool]) -> CharacterTable | None:
    """:class:`CharacterTable` of :func:`to_hans`, keeping ``kind`` (a character's class: :mod:`tekan.segmenting`
    needs the same blocks of Han characters in a text and in its conversion); None where OpenCC's configuration
    converts no text character by character."""
    path = _character_path(T2S)
    if path is None:
        return None
    table = list(path.basic)
    quotes = dict(_HANS_QUOTE_PAIRS)
    odd = []  # a character not converted into one character of its kind: a text holding it takes the whole way
    for code, value in enumerate(path.basic):
        char = chr(code)
        converted = "".join(quotes.get(c, c) for c in (value if isinstance(value, str) else char))
        if converted != char:
            if len(converted) == 1 and kind(converted) == kind(char):
                table[code] = converted
            else:
                odd.append(char)
    protected = default_converter().to_hans_linker.pattern
    exceptions = [path.occurs, _PAST_PLANE, *([protected] if protected is not None else [])]
    if odd:
        exceptions.append(re.compile("[" + "".join(re.escape(c) for c in odd) + "]"))
    return CharacterTable(table, tuple(exceptions))


def to_hant(text: str) -> str:
    """Simplified → Traditional (Taiwan character forms), with the project's overrides."""
    return default_converter().to_hant(text)


def to_forms(text: str, config: str) -> str:
    """Traditional text in another region's character forms (OpenCC ``config``, e.g. ``t2hk``), the project's
    overrides' Traditional forms kept."""
    return _convert(text, _keep_linker(), config)


@cache
def _keep_linker() -> Linker:
    return Linker.build({hant: hant for hant, _ in load_overrides()})


def publication_in_forms(publication: Publication, glossary: Glossary, config: str) -> Publication:
    """A Traditional publication in a region's character forms (``t2hk``); names and glossary headwords kept."""
    names = [n for st in publication.statements for n in (st.attribution.person, st.attribution.organisation) if n]
    kept = {form: form for form in [*names, *(t.hant for t in glossary.terms), *(h for h, _ in load_overrides())]}
    linker = Linker.build(kept)
    return _convert_publication(publication, lambda text: _convert(text, linker, config))


def _convert_publication(publication: Publication, convert: Callable[[str], str]) -> Publication:
    """Every text of a publication (headlines, body, bylines, masthead, titles) through ``convert``."""

    def statement(st: Statement) -> Statement:
        a = st.attribution
        attribution = replace(
            a,
            raw=convert(a.raw),
            organisation=convert(a.organisation),
            position=convert(a.position),
            person=convert(a.person),
        )
        notes = tuple((convert(text), convert(note)) for text, note in st.meta.editor_notes)
        return replace(
            st,
            headline=convert(st.headline),
            paragraphs=tuple(convert(p) for p in st.paragraphs),
            attribution=attribution,
            meta=replace(st.meta, editor_notes=notes),
        )

    meta = publication.meta
    sectors = tuple(replace(s, zh=convert(s.zh)) for s in meta.sectors)
    new_meta = replace(
        meta,
        title=convert(meta.title),
        publisher=convert(meta.publisher),
        copyright=convert(meta.copyright),
        description_zh=convert(meta.description_zh),
        sectors=sectors,
    )
    return replace(
        publication,
        masthead=convert(publication.masthead),
        statements=tuple(statement(s) for s in publication.statements),
        meta=new_meta,
    )


def publication_to_hans(publication: Publication, glossary: Glossary) -> Publication:
    """The Simplified edition of a Traditional seed's publication; names and terms protected."""
    return _convert_publication(publication, converter_for(glossary, publication).to_hans)


def publication_to_hant(publication: Publication, glossary: Glossary) -> Publication:
    """The Traditional edition of a Simplified seed's publication; names and terms protected.

    Every place where the conversion chose another form than the character's own usual Traditional form
    (后 kept in 皇后, 发 → 髮 in 头发, a name or glossary headword written out) is added to ``changes`` as a
    ``conversion`` record, so the audit page lists what an editor should check.
    """
    convert = converter_for(glossary, publication).to_hant
    converted = _convert_publication(publication, convert)
    changes = list(publication.changes)
    for before, after in zip(publication.statements, converted.statements, strict=True):
        lines = before.paragraph_lines
        changes += _conversion_changes(before.headline, after.headline, before.line, before.number, "headline")
        for index, (old, new) in enumerate(zip(before.paragraphs, after.paragraphs, strict=True)):
            line = lines[index] if index < len(lines) else 0
            changes += _conversion_changes(old, new, line, before.number, "paragraph", index + 1)
    changes += _conversion_changes(publication.masthead, converted.masthead, publication.masthead_line, 0, "masthead")
    order = {"masthead": 1}
    changes.sort(key=lambda c: (c.statement == 0, c.statement, order.get(c.part, 0), c.paragraph, c.line, c.start))
    return replace(converted, changes=tuple(changes))


def _conversion_changes(
    before: str, after: str, line: int, statement: int, part: str, paragraph: int = 0
) -> list[Change]:
    from .normalise import Edit, change_record

    if before == after:
        return []
    if len(before) != len(after):  # a phrase of another length: one record for the whole text
        return [change_record(before, Edit(0, before, after, "conversion"), line, statement, part, paragraph)]
    usual = _opencc(S2T)
    found = []
    for index, (old, new) in enumerate(zip(before, after, strict=True)):
        if new != usual.convert(old):
            record = change_record(before, Edit(index, old, new, "conversion"), line, statement, part, paragraph)
            # The corrected column shows the converted text around the choice, not the seed's with one letter swapped.
            left = index - record.start
            found.append(record._replace(after=after[left : left + len(record.before)]))
    return found


# --- which script a seed is written in ---------------------------------------------------------
#: The rule: a Han character that GB 2312 (the mainland's Simplified character set) encodes and Big5 (Taiwan's
#: Traditional set) does not is Simplified-only (质, 们, 这); one Big5 encodes and GB 2312 does not is
#: Traditional-only (質, 們, 這). Characters in both sets (中, 于, 并, 后) or in neither say nothing. A seed
#: with Simplified-only characters and no Traditional-only ones is Simplified; the reverse is Traditional;
#: one with neither kind reads the same in both scripts and is taken as Traditional. A seed with both kinds
#: is mixed and refused: the message names the lines and characters of the smaller kind.
SEED_SCRIPTS = ("hant", "hans")


def _encodable(char: str, codec: str) -> bool:
    try:
        char.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


@cache
def script_only(char: str) -> str:
    """ "hans" for a Simplified-only character, "hant" for a Traditional-only one, "" otherwise (see the rule)."""
    if not ("\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"):
        return ""
    gb, big5 = _encodable(char, "gb2312"), _encodable(char, "big5")
    return "hans" if gb and not big5 else "hant" if big5 and not gb else ""


#: The metadata's ``language`` (BCP 47, case-insensitive) → the script it declares the seed to be in.
DECLARED_SCRIPTS = {"zh-hant": "hant", "zh-tw": "hant", "zh-hk": "hant", "zh-hans": "hans", "zh-cn": "hans"}


def script_evidence(texts: Iterable[str]) -> dict[str, str]:
    """The first script-specific character of each kind in ``texts`` ("hant"/"hans" → character)."""
    texts = list(texts)
    # Each distinct character is looked at once (87,000 texts at 16,000 statements: 1 s one by one)...
    of_kind: dict[str, set[str]] = {}
    for char in set().union(*texts):
        kind = script_only(char)
        if kind:
            of_kind.setdefault(kind, set()).add(char)
    # ...then the first text holding a character of a kind holds the kind's first one.
    firsts: list[tuple[int, int, str, str]] = []  # (text, position, kind, character)
    for kind, chars in of_kind.items():
        for number, text in enumerate(texts):
            held = chars.intersection(text)
            if held:
                char = min(held, key=text.index)
                firsts.append((number, text.index(char), kind, char))
                break
    return {kind: char for _, _, kind, char in sorted(firsts)}


#: From this length (characters) a text's scripts are found by :func:`_script_only_patterns` (made in 0.05 s, the
#: time of a set of a million and a half characters).
_LONG_TEXT = 2_000_000


@cache
def _script_only_patterns() -> dict[str, re.Pattern[str]]:
    """Per script ("hant", "hans"), a pattern of the characters :func:`script_only` gives it: a long seed is scanned
    for each (16,000 statements: 0.02 s)."""
    chars: dict[str, list[str]] = {"hant": [], "hans": []}
    for code in (*range(0x3400, 0xA000), *range(0xF900, 0xFB00)):  # script_only's ranges: "" outside them
        kind = script_only.__wrapped__(chr(code))  # not kept in script_only's cache
        if kind:
            chars[kind].append(chr(code))
    return {kind: re.compile("[" + "".join(found) + "]") for kind, found in chars.items()}


def detect_script(text: str, path: Path) -> str:
    """The script a seed is written in, by the rule above; raise TekanError on a mixed seed."""
    if len(text) < _LONG_TEXT:  # each distinct character once
        kinds = {script_only(char) for char in set(text)} - {""}
    else:  # a set of a long seed's characters is the cost (16,000 statements: 0.23 s): a scan for each script's
        kinds = {kind for kind, pattern in _script_only_patterns().items() if pattern.search(text)}
    if len(kinds) < 2:
        return "hans" if "hans" in kinds else "hant"
    found: dict[str, list[tuple[int, int, str]]] = {"hant": [], "hans": []}
    for number, line in enumerate(text.split("\n"), start=1):
        for column, char in enumerate(line, start=1):
            kind = script_only(char)
            if kind:
                found[kind].append((number, column, char))
    hant, hans = found["hant"], found["hans"]
    if hant and hans:
        minority, majority = ("hans", "hant") if len(hans) <= len(hant) else ("hant", "hans")
        names = {"hant": "Traditional", "hans": "Simplified"}
        stray = found[minority]
        shown = ", ".join(f"{char} (line {line}, column {column})" for line, column, char in stray[:8])
        more = f" and {len(stray) - 8} more" if len(stray) > 8 else ""
        raise TekanError(
            f"the seed mixes scripts: {len(found[majority])} {names[majority]}-only characters and "
            f"{len(stray)} {names[minority]}-only: {shown}{more}; a seed is written in one script: "
            f"write these in {names[majority]} (or the rest in {names[minority]})",
            Location(path, stray[0][0]),
            Kind.script,
        )
    return "hans" if hans else "hant"
