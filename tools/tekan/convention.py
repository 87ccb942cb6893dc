"""A paper's seed convention as one value: how its feature is laid out in the seed text.

Where a byline starts and how it splits into organisation, position and person; how a speaker's sector is
told; the default sectors; what the masthead says. The press convention (``——`` before the byline, the
masthead last) is Tekan's default; a second paper's layout is one :class:`SeedConvention` passed to
:func:`register`, and a book chooses it in its metadata file (``convention = "name"``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .derive import DEFAULT_SECTORS, explain_sector, masthead_facts
from .errors import Kind, TekanError
from .model import Location, Sector
from .parsing import BYLINE, read_byline


@dataclass(frozen=True)
class SeedConvention:
    """How one paper lays out a feature in its seed text."""

    name: str  # what a metadata file's ``convention = "…"`` names
    byline: re.Pattern[str]  # a line that is a byline; its group ``text`` is the signature
    read_byline: Callable[[str, Iterable[str]], tuple[str, str, str] | None]  # → organisation, position(s), person
    explain_sector: Callable[[str, str], tuple[str, str]]  # (organisation, position) → sector id and the reason
    sectors: Mapping[str, tuple[Sector, ...]]  # the default sectors in book order, per script of the seed
    masthead_facts: Callable[[str], dict[str, str]]  # the masthead line → title, publisher, date it names


#: The press layout: headline, paragraphs, a byline after ``——``, the masthead on the last line.
PRESS = SeedConvention("press", BYLINE, read_byline, explain_sector, DEFAULT_SECTORS, masthead_facts)

#: Every convention a book can choose, by name.
CONVENTIONS: dict[str, SeedConvention] = {PRESS.name: PRESS}


def register(convention: SeedConvention) -> SeedConvention:
    """Make ``convention`` one a book can choose (replacing one of the same name); return it."""
    CONVENTIONS[convention.name] = convention
    return convention


def convention(name: str, where: Path | None = None) -> SeedConvention:
    """The convention called ``name``; TekanError at ``where`` naming the choices for an unknown one."""
    try:
        return CONVENTIONS[name or PRESS.name]
    except KeyError:
        raise TekanError(
            f"unknown seed convention {name!r}: choose from {', '.join(CONVENTIONS)}",
            Location(where or Path("convention"), 0),
            Kind.metadata,
        ) from None
