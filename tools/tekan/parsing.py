"""Seed text → Publication: headline, paragraphs and byline of each statement, and the masthead."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .errors import Kind, Problem, TekanError, read_text
from .model import Attribution, Location, Publication, PublicationMeta, Statement, StatementMeta

#: A byline starts with a dash: the em-dash pair of the press, box-drawing or ASCII look-alikes.
BYLINE = re.compile(r"^\s*(?:——|──|－－|--|—|―)\s*(?P<text>.*?)\s*$")
#: A person's name: two to four Han characters, or a middle-dot foreign name.
PERSON = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff·]{2,12}$")


@lru_cache(maxsize=1)
def default_positions() -> tuple[str, ...]:
    """The position words shipped with Tekan (``tekan/data/positions.txt``)."""
    text = resources.files("tekan").joinpath("data/positions.txt").read_text(encoding="utf-8")
    return tuple(w for w in (line.strip() for line in text.splitlines()) if w and not w.startswith("#"))


def _position_pattern(positions: Iterable[str]) -> re.Pattern[str]:
    words = sorted(set(positions), key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words))


def split_byline(raw: str, positions: Iterable[str] = ()) -> tuple[str, str, str] | None:
    """Split ``organisation + position(s) + person``; None when no reading fits."""
    pattern = _position_pattern([*default_positions(), *positions])
    matches = list(pattern.finditer(raw))
    # The last position word that is followed by a plausible name ends the position span.
    for last in reversed(matches):
        person = raw[last.end() :]
        if not PERSON.match(person):
            continue
        start = last.start()
        # Walk left over a chain of positions joined by 、 or written back to back.
        for prev in reversed([m for m in matches if m.end() <= start]):
            gap = raw[prev.end() : start]
            if gap not in ("", "、"):
                break
            start = prev.start()
        organisation = raw[:start]
        if organisation.endswith("、"):
            return None
        return organisation, raw[start : last.end()], person
    return None


def default_slug(person: str, number: int) -> str:
    """An ASCII page name from the speaker's name in pinyin, or ``statement-NN``."""
    if person:
        from pypinyin import lazy_pinyin  # imported late: only needed without metadata

        syllables = [re.sub(r"[^a-z]", "", s.lower()) for s in lazy_pinyin(person)]
        syllables = [s for s in syllables if s]
        if syllables:
            return "-".join([syllables[0], "".join(syllables[1:])] if len(syllables) > 1 else syllables)
    return f"statement-{number:02d}"


def parse_seed(text: str, path: Path, positions: Iterable[str] = ()) -> tuple[Publication, list[Problem]]:
    """Parse seed text into a Publication (default metadata) and the warnings found."""
    problems: list[Problem] = []
    lines = [(n, line.strip()) for n, line in enumerate(text.split("\n"), start=1)]
    lines = [(n, line) for n, line in lines if line]
    if not lines:
        raise TekanError("the seed is empty", Location(path, 1), Kind.structure)

    blocks: list[tuple[list[tuple[int, str]], tuple[int, str]]] = []
    pending: list[tuple[int, str]] = []
    for n, line in lines:
        match = BYLINE.match(line)
        if match:
            if not pending:
                raise TekanError("byline without a headline and body before it", Location(path, n), Kind.structure)
            if not match["text"]:
                raise TekanError("byline is only a dash: the signature is missing", Location(path, n), Kind.structure)
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
    masthead = pending[0][1] if pending else ""
    if not masthead:
        problems.append(Problem("no masthead line after the last byline", Location(path, lines[-1][0]), Kind.structure))

    statements: list[Statement] = []
    slugs: set[str] = set()
    extra = tuple(positions)
    for number, (body, (byline_line, raw)) in enumerate(blocks, start=1):
        (headline_line, headline), paragraphs = body[0], body[1:]
        if not paragraphs:
            raise TekanError(
                "statement has a headline but no body paragraph before its byline",
                Location(path, headline_line),
                Kind.structure,
            )
        split = split_byline(raw, extra)
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
        slug = default_slug(person, number)
        while slug in slugs:
            slug = f"{slug}-{number:02d}" if not slug.endswith(f"-{number:02d}") else f"{slug}x"
        slugs.add(slug)
        statements.append(
            Statement(
                number=number,
                headline=headline,
                paragraphs=tuple(p for _, p in paragraphs),
                attribution=Attribution(raw, organisation, position, person, byline_line),
                line=headline_line,
                meta=StatementMeta(slug=slug, sector=""),
            )
        )
    meta = PublicationMeta(title=masthead or path.stem)
    return Publication(masthead, tuple(statements), meta, path), problems


def load_seed(path: Path, positions: Iterable[str] = ()) -> tuple[Publication, list[Problem]]:
    """Read and parse a seed file."""
    return parse_seed(read_text(path), path, positions)
