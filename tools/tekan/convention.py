"""A paper's seed convention as one value: how its feature is laid out in the seed text.

Where a byline starts and how it splits into organisation, position and person; how a speaker's sector is
told; the default sectors; what the masthead says. The press convention (``——`` before the byline, the
masthead last) is Tekan's default; a second paper's layout is one :class:`SeedConvention` passed to
:func:`register`, and a book chooses it in its metadata file (``convention = "name"``).
"""

from __future__ import annotations

from pathlib import Path

from .derive import DEFAULT_SECTORS, explain_sector, masthead_facts
from .errors import Kind, TekanError
from .model import Location, SeedConvention
from .parsing import BYLINE, read_byline

__all__ = ["CONVENTIONS", "PRESS", "SeedConvention", "convention", "register"]


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
