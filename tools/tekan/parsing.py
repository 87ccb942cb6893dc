"""Seed text → Publication: headline, paragraphs and byline of each statement, and the masthead."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from functools import lru_cache
from pathlib import Path

from .datafiles import read_columns
from .derive import NAME_BRACKETS, ORGANISATION_SUFFIXES, page_name, unique_name
from .errors import FORBIDDEN, Kind, Problem, TekanError, describe_forbidden, read_text
from .model import Attribution, Location, Publication, PublicationMeta, SeedConvention, Statement, StatementMeta
from .scripts import detect_script
from .tomlfile import forbidden_free

#: A byline starts with a run of dashes: the em-dash pair of the press (——), box-drawing (──) and
#: horizontal-bar look-alikes (one or more), or two or more full-width, ASCII or en dashes (－－, --, ––).
BYLINE = re.compile(r"^\s*(?:[—―─━]+|[－\-–‒]{2,})\s*(?P<text>.*?)\s*$")
#: The dashes and spaces a byline may start with; a line of nothing else is not a byline.
DASHES_ONLY = re.compile(r"[—―─━－\-–‒\s]+")
#: A person's name (always fullmatch): two to twelve Han characters of any block (rare names use Extension B
#: and later, e.g. 𠮷), or a middle-dot foreign name.
PERSON = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f·]{2,12}")
#: What may stand between the parts of a byline written with spaces, commas or brackets.
_SEPARATOR_CHARACTERS = r"\s，,：:；;／/｜|（）()【】\[\]〔〕［］「」"
_BYLINE_SEPARATORS = re.compile(f"[{_SEPARATOR_CHARACTERS}]+")
_BYLINE_PIECE = re.compile(f"[^{_SEPARATOR_CHARACTERS}]+")
#: What may join two position words into one compound position: nothing (黨組書記局長), 、 (黨組書記、局長) or 兼
#: (董事長兼總經理, "chairman and general manager").
POSITION_JOINERS = ("", "、", "兼")
#: The longest headline, byline or masthead line (characters): each is set on one or two lines of a page, a
#: running head and the PDF's bookmarks; a 100,000-character headline kept XeLaTeX busy for minutes.
MAX_LINE = {"headline": 300, "byline": 1000, "masthead": 300}


@lru_cache(maxsize=1)
def default_positions() -> tuple[str, ...]:
    """The position words shipped with Tekan (``tekan/data/positions.txt``)."""
    return tuple(word for (word,) in read_columns(Path(__file__).parent / "data" / "positions.txt", 1, "one word"))


@lru_cache(maxsize=1)
def simplified_positions() -> tuple[str, ...]:
    """The shipped position words in Simplified script (for Simplified seeds), converted with the overrides."""
    from .scripts import to_hans  # late: OpenCC is loaded only for Simplified seeds

    return tuple(dict.fromkeys(to_hans(word) for word in default_positions()))


@lru_cache(maxsize=16)
def _position_pattern(positions: tuple[str, ...]) -> re.Pattern[str]:
    # Cached: built once per seed, not once per byline (16,000 bylines took 0.6 s of re.escape).
    words = sorted(set(positions), key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words))


def split_byline(raw: str, positions: Iterable[str] = ()) -> tuple[str, str, str] | None:
    """Split ``organisation + position(s) + person``; None when no reading fits."""
    pattern = _position_pattern((*default_positions(), *positions))
    matches = list(pattern.finditer(raw))
    # The last position word that is followed by a plausible name ends the position span.
    for last in reversed(matches):
        person = raw[last.end() :]
        if not PERSON.fullmatch(person):
            continue
        start = _chain_start(raw, matches, last.start())
        organisation = raw[:start]
        if organisation.endswith(("、", "兼")):
            return None
        organisation, position = suffix_ends_organisation(organisation, raw[start : last.end()], pattern)
        return organisation, position, person
    return None


def _chain_start(text: str, matches: list[re.Match[str]], start: int) -> int:
    """Where the chain of positions that starts at ``start`` really starts: walk left over the position words
    joined to it by a ``POSITION_JOINERS`` (董事長兼總經理, 黨組書記、局長 stay whole)."""
    for prev in reversed([m for m in matches if m.end() <= start]):
        if text[prev.end() : start] not in POSITION_JOINERS:
            break
        start = prev.start()
    return start


def suffix_ends_organisation(organisation: str, position: str, pattern: re.Pattern[str]) -> tuple[str, str]:
    """Organisation and position with an organisation suffix moved out of the position: 某質量認證 + 中心主任 is
    某質量認證中心 + 主任 (中心, 院, 所, 公司 … end an organisation; the rest must still start with a position)."""
    if not organisation or not position.startswith(ORGANISATION_SUFFIXES):  # most: no suffix to try, none sliced
        return organisation, position
    for suffix in ORGANISATION_SUFFIXES:
        rest = position[len(suffix) :]
        if position.startswith(suffix) and rest and pattern.match(rest):
            return organisation + suffix, rest
    return organisation, position


def _organisation_position(text: str, pattern: re.Pattern[str]) -> tuple[str, str] | None:
    """Split ``organisation + position(s)`` where the text ends with a chain of position words."""
    matches = list(pattern.finditer(text))
    if not matches or matches[-1].end() != len(text):
        return None
    start = _chain_start(text, matches, matches[-1].start())
    return suffix_ends_organisation(text[:start], text[start:], pattern)


def read_byline(raw: str, positions: Iterable[str] = ()) -> tuple[str, str, str] | None:
    """Organisation, position(s) and person of a byline in any accepted form; None when no reading fits.

    Besides the press form (``安徽省市場監管局黨組書記、局長韓永生``, see :func:`split_byline`) this
    accepts the parts separated by spaces or commas, the position in brackets
    (``安徽省市場監管局（局長）韓永生``) and the name first (``韓永生 安徽省市場監管局局長``,
    ``韓永生（安徽省市場監管局局長）``). Only the press form joins back to the byline exactly; the
    others are still printed as written (see rendering).
    """
    exact = split_byline(raw, positions)
    if exact is not None:
        return exact
    pieces = list(_BYLINE_PIECE.finditer(raw))
    if len(pieces) < 2:
        return None
    pattern = _position_pattern((*default_positions(), *positions))
    for person, rest in ((pieces[-1], pieces[:-1]), (pieces[0], pieces[1:])):  # name last, then name first
        if PERSON.fullmatch(person[0]) and not pattern.search(person[0]):
            split = _organisation_position_as_written(raw[rest[0].start() : rest[-1].end()], pattern)
            if split is None:
                split = _organisation_position("".join(piece[0] for piece in rest), pattern)
            if split is not None:
                return split[0], split[1], person[0]
    return None


def _organisation_position_as_written(text: str, pattern: re.Pattern[str]) -> tuple[str, str] | None:
    """:func:`_organisation_position` of the text between a byline's name and its other end, as written, when the
    only separators in it are the brackets of the organisation's name (``經濟部標準檢驗局（BSMI）局長``): the name
    keeps them. None when a bracket is left open or the parts are set apart (``安徽省市場監管局（局長``,
    ``安徽省市場監管局 局長``): the pieces are then read joined."""
    split = _organisation_position(text, pattern)
    if split is None:
        return None
    organisation, position = split
    if _BYLINE_SEPARATORS.search(position) or not _brackets_closed(organisation):
        return None
    unbracketed = "".join(c for c in organisation if c not in NAME_BRACKETS and c not in NAME_BRACKETS.values())
    return None if _BYLINE_SEPARATORS.search(unbracketed) else split


def _brackets_closed(text: str) -> bool:
    """Whether each bracket of ``text`` closes the last one opened, and none is left open."""
    expected: list[str] = []
    for character in text:
        if character in NAME_BRACKETS:
            expected.append(NAME_BRACKETS[character])
        elif character in NAME_BRACKETS.values() and (not expected or expected.pop() != character):
            return False
    return not expected


def default_slug(person: str, number: int) -> str:
    """An ASCII page name from the speaker's name in pinyin, or ``statement-NN`` without one."""
    return page_name(person) or f"statement-{number:02d}"


def check_characters(text: str, path: Path) -> list[Problem]:
    """Raise TekanError at the first forbidden character; warn about U+FFFD (text damaged earlier)."""
    problems: list[Problem] = []
    if "\ufffd" not in text and (forbidden_free(text) or FORBIDDEN.search(text) is None):  # no line to look at
        return problems
    for number, line in enumerate(text.split("\n"), start=1):
        bad = FORBIDDEN.search(line)
        if bad:
            raise TekanError(
                f"{describe_forbidden(bad[0])} at column {bad.start() + 1}: "
                "remove it (it is not text and would break the EPUB and PDF)",
                Location(path, number),
                Kind.encoding,
            )
        damaged = line.find("\ufffd")
        if damaged >= 0:
            problems.append(
                Problem(
                    f"replacement character U+FFFD at column {damaged + 1}: a character was lost when the text "
                    "was converted before it reached Tekan; restore it from the original",
                    Location(path, number),
                    Kind.encoding,
                )
            )
    return problems


def parse_seed(
    text: str,
    path: Path,
    positions: Iterable[str] = (),
    named: Collection[str] = (),
    convention: SeedConvention | None = None,
) -> tuple[Publication, list[Problem]]:
    """Parse seed text into a Publication (default metadata) and the warnings found.

    ``named`` holds the bylines the metadata file gives a page name to: when it names every statement
    (once each), the pinyin page names are not computed (loading pypinyin alone takes 0.2 s). ``convention``
    says how the paper lays out its feature (default: the press layout, :data:`tekan.convention.PRESS`).
    """
    byline_line_pattern = convention.byline if convention else BYLINE
    reader = convention.read_byline if convention else read_byline
    problems = check_characters(text, path)
    script = detect_script(text, path)
    lines = [(n, line.strip()) for n, line in enumerate(text.split("\n"), start=1)]
    lines = [(n, line) for n, line in lines if line]
    if not lines:
        raise TekanError("the seed is empty", Location(path, 1), Kind.structure)

    blocks: list[tuple[list[tuple[int, str]], tuple[int, str]]] = []
    pending: list[tuple[int, str]] = []
    for n, line in lines:
        match = byline_line_pattern.match(line)
        if match:
            if not DASHES_ONLY.sub("", match["text"]):
                raise TekanError(
                    f"byline is only a dash ({line!r}): the signature is missing (a seed has no separator lines)",
                    Location(path, n),
                    Kind.structure,
                )
            if not pending:
                raise TekanError("byline without a headline and body before it", Location(path, n), Kind.structure)
            blocks.append((pending, (n, match["text"])))
            pending = []
        else:
            pending.append((n, line))
    if not blocks:
        raise TekanError(
            "no byline found: each statement must end with a line starting with ——",
            Location(path, lines[0][0]),
            Kind.structure,
        )
    if len(pending) > 1:
        raise TekanError(
            f"{len(pending)} lines after the last byline: the last statement has no byline "
            "(only the masthead may follow it)",
            Location(path, pending[0][0]),
            Kind.structure,
        )
    masthead_line, masthead = pending[0] if pending else (0, "")
    long_lines = [("masthead", masthead_line, masthead)] if pending else []
    long_lines += [("headline", *body[0]) for body, _ in blocks] + [("byline", *byline) for _, byline in blocks]
    for what, number, text in long_lines:
        if len(text) > MAX_LINE[what]:
            raise TekanError(
                f"the {what} is {len(text):,} characters long (at most {MAX_LINE[what]}): is a line break missing?",
                Location(path, number),
                Kind.structure,
            )
    if not masthead:
        problems.append(Problem("no masthead line after the last byline", Location(path, lines[-1][0]), Kind.structure))

    statements: list[Statement] = []
    slugs: set[str] = set()
    extra = tuple(positions) + (simplified_positions() if script == "hans" else ())
    bylines = [raw for _, (_, raw) in blocks]
    pinyin = len(set(bylines)) < len(bylines) or not all(raw in named for raw in bylines)
    for number, (body, (byline_line, raw)) in enumerate(blocks, start=1):
        (headline_line, headline), paragraphs = body[0], body[1:]
        if not paragraphs:
            raise TekanError(
                "statement has a headline but no body paragraph before its byline",
                Location(path, headline_line),
                Kind.structure,
            )
        split = reader(raw, extra)
        if split is None:
            problems.append(
                Problem(
                    f"byline {raw!r} could not be split into organisation, position and person; kept whole "
                    "(add the position word to `positions` or give an override in the metadata file)",
                    Location(path, byline_line),
                    Kind.byline,
                )
            )
            split = ("", "", "")
        organisation, position, person = split
        # The same speaker twice (whatever the headlines): the later pages get -2, -3 …, counted among
        # that speaker's statements only, so adding or removing other statements renames nothing.
        slug = unique_name(default_slug(person, number) if pinyin else f"statement-{number:02d}", slugs)
        statements.append(
            Statement(
                number=number,
                headline=headline,
                paragraphs=tuple(p for _, p in paragraphs),
                attribution=Attribution(raw, organisation, position, person, byline_line),
                line=headline_line,
                meta=StatementMeta(slug=slug, sector=""),
                paragraph_lines=tuple(n for n, _ in paragraphs),
            )
        )
    meta = PublicationMeta(title=masthead or path.stem)
    publication = Publication(masthead, tuple(statements), meta, path, masthead_line=masthead_line, script=script)
    return publication, problems


def load_seed(
    path: Path, positions: Iterable[str] = (), named: Collection[str] = (), convention: SeedConvention | None = None
) -> tuple[Publication, list[Problem]]:
    """Read and parse a seed file."""
    return parse_seed(read_text(path), path, positions, named, convention)
