"""Publication → seed text: the inverse of the parser, for round-trip tests and for tools that edit seeds."""

from __future__ import annotations

from .model import Publication
from .parsing import BYLINE, DASHES_ONLY


def _line(text: str, what: str) -> str:
    if not text or text != text.strip() or "\n" in text or "\r" in text:
        raise ValueError(f"{what} {text!r} cannot stand on a seed line (empty, padded or multi-line)")
    return text


def render_seed(publication: Publication) -> str:
    """The seed text of a publication: per statement its headline, paragraphs and ``——`` byline, then the masthead.

    Raises ValueError for text no seed can hold (a headline or paragraph that starts with dashes would
    read as a byline).
    """
    lines: list[str] = []
    for statement in publication.statements:
        for text, what in [(statement.headline, "headline"), *((p, "paragraph") for p in statement.paragraphs)]:
            if BYLINE.match(_line(text, what)):
                raise ValueError(f"{what} {text!r} starts with a dash: a seed would read it as a byline")
        byline = "——" + _line(statement.attribution.raw, "byline")
        match = BYLINE.match(byline)
        if match is None or match["text"] != statement.attribution.raw or not DASHES_ONLY.sub("", byline):
            raise ValueError(f"byline {statement.attribution.raw!r} starts with or is only dashes: it would be lost")
        lines += [statement.headline, *statement.paragraphs, byline]
    if publication.masthead:
        lines.append(_line(publication.masthead, "masthead"))
    return "\n".join(lines) + "\n"
