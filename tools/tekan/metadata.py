"""The metadata file beside a seed (``<seed>.toml``): titles, sectors and per-statement facts."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from .errors import Kind, Problem, TekanError
from .model import Attribution, Location, Publication, PublicationMeta, Sector, StatementMeta
from .parsing import load_seed
from .tomlfile import check_fields, entry_line, load_toml

SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")  # always fullmatch: `$` would accept a final line feed
#: An issue date as the metadata may give it: YYYY, YYYY-MM or YYYY-MM-DD, ASCII digits.
DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
#: The sector statements fall into when the metadata file does not place them.
UNSORTED = Sector("unsorted", "其他", "Other statements")

_PUBLICATION = {"title": str}
_PUBLICATION_OPTIONAL = {
    "title_en": str,
    "publisher": str,
    "publisher_en": str,
    "date": str,
    "identifier": str,
    "copyright": str,
    "language": str,
    "description_zh": str,
    "description_en": str,
}
_SECTOR = {"id": str, "zh": str, "en": str}
_STATEMENT = {"byline": str, "slug": str, "sector": str}
_STATEMENT_OPTIONAL = {
    "headline_en": str,
    "person_pinyin": str,
    "organisation_en": str,
    "position_en": str,
    "organisation": str,
    "position": str,
    "person": str,
}


def check_date(value: str, where: Location) -> None:
    """Raise TekanError unless ``value`` is a real date written YYYY, YYYY-MM or YYYY-MM-DD."""
    import datetime

    match = DATE.fullmatch(value)
    try:
        if match is None:
            raise ValueError
        datetime.date(int(match[1]), int(match[2] or 1), int(match[3] or 1))
    except ValueError:
        raise TekanError(
            f"date {value!r} is not a date written YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2021-09)", where, Kind.metadata
        ) from None


def metadata_path(seed: Path) -> Path:
    """Where the metadata of a seed lives: the same name with ``.toml``."""
    return seed.with_suffix(".toml")


def read_positions(path: Path) -> tuple[str, ...]:
    """The extra position words a metadata file declares (``positions = [...]``)."""
    if not path.is_file():
        return ()
    data, _ = load_toml(path, Kind.metadata)
    return _positions(data, path)


def _positions(data: dict[str, Any], path: Path) -> tuple[str, ...]:
    positions = data.get("positions", [])
    if not isinstance(positions, list) or not all(isinstance(p, str) for p in positions):
        raise TekanError("`positions` must be a list of strings", Location(path, 0), Kind.metadata)
    return tuple(positions)


def apply_metadata(
    publication: Publication, path: Path, loaded: tuple[dict[str, Any], dict[str, list[int]]] | None = None
) -> tuple[Publication, list[Problem]]:
    """Attach the metadata file's facts to a parsed publication, checking they agree.

    ``loaded`` is the file as :func:`load_toml` returns it, when the caller has read it already.
    """
    data, lines = loaded or load_toml(path, Kind.metadata)
    problems: list[Problem] = []
    known = {"publication", "sector", "statement", "positions"}
    for key in data:
        if key not in known:
            raise TekanError(
                f"unknown top-level key {key!r} (known: {', '.join(sorted(known))})", Location(path, 0), Kind.metadata
            )

    pub = check_fields(
        data.get("publication", {}),
        Location(path, _table_line(path, "publication")),
        Kind.metadata,
        {},
        {**_PUBLICATION, **_PUBLICATION_OPTIONAL},
    )
    if "date" in pub:
        check_date(pub["date"], Location(path, _table_line(path, "publication")))
    sectors: list[Sector] = []
    for index, entry in enumerate(_array(data, "sector", path)):
        where = Location(path, entry_line(lines, "sector", index))
        check_fields(entry, where, Kind.metadata, _SECTOR, {})
        if not SLUG.fullmatch(entry["id"]):
            raise TekanError(
                f"sector id {entry['id']!r} must be lowercase ASCII letters, digits and hyphens", where, Kind.metadata
            )
        if any(s.id == entry["id"] for s in sectors):
            raise TekanError(f"duplicate sector id {entry['id']!r}", where, Kind.metadata)
        sectors.append(Sector(entry["id"], entry["zh"], entry["en"]))
    sector_ids = {s.id for s in sectors}

    by_byline = {st.attribution.raw: st for st in publication.statements}
    metas: dict[int, tuple[StatementMeta, Attribution]] = {}
    slugs: dict[str, Location] = {}
    for index, entry in enumerate(_array(data, "statement", path)):
        where = Location(path, entry_line(lines, "statement", index))
        check_fields(entry, where, Kind.metadata, _STATEMENT, _STATEMENT_OPTIONAL)
        statement = by_byline.get(entry["byline"])
        if statement is None:
            raise TekanError(
                f"no statement in {publication.source.name} has the byline {entry['byline']!r}", where, Kind.metadata
            )
        if statement.number in metas:
            raise TekanError(f"a second entry for the byline {entry['byline']!r}", where, Kind.metadata)
        if not SLUG.fullmatch(entry["slug"]):
            raise TekanError(
                f"slug {entry['slug']!r} must be lowercase ASCII letters, digits and hyphens", where, Kind.metadata
            )
        if entry["slug"] in slugs:
            raise TekanError(
                f"slug {entry['slug']!r} is already used at line {slugs[entry['slug']].line}", where, Kind.metadata
            )
        slugs[entry["slug"]] = where
        if entry["sector"] not in sector_ids:
            raise TekanError(
                f"unknown sector {entry['sector']!r} (declared: {', '.join(sorted(sector_ids)) or 'none'})",
                where,
                Kind.metadata,
            )
        attribution = statement.attribution
        override = [entry.get(k) for k in ("organisation", "position", "person")]
        if any(v is not None for v in override):
            if any(v is None for v in override) or "".join(v or "" for v in override) != attribution.raw:
                raise TekanError(
                    "organisation, position and person must all be given and join to exactly the byline",
                    where,
                    Kind.metadata,
                )
            attribution = replace(
                attribution, organisation=override[0] or "", position=override[1] or "", person=override[2] or ""
            )
        meta = StatementMeta(
            slug=entry["slug"],
            sector=entry["sector"],
            headline_en=entry.get("headline_en", ""),
            person_pinyin=entry.get("person_pinyin", ""),
            organisation_en=entry.get("organisation_en", ""),
            position_en=entry.get("position_en", ""),
        )
        metas[statement.number] = (meta, attribution)

    statements = []
    for statement in publication.statements:
        if statement.number in metas:
            meta, attribution = metas[statement.number]
        else:
            problems.append(
                Problem(
                    f"statement {statement.number} ({statement.headline}) has no entry in {path.name}",
                    Location(publication.source, statement.line),
                    Kind.metadata,
                )
            )
            meta, attribution = replace(statement.meta, sector=UNSORTED.id), statement.attribution
        statements.append(replace(statement, meta=meta, attribution=attribution))
    taken = {st.meta.slug for st in statements}
    if len(taken) != len(statements):
        raise TekanError(
            "a default page name collides with a slug in the metadata; give every statement a slug",
            Location(path, 0),
            Kind.metadata,
        )
    if any(st.meta.sector == UNSORTED.id for st in statements):
        sectors.append(UNSORTED)

    publication_meta = PublicationMeta(
        title=pub.get("title") or publication.meta.title,
        title_en=pub.get("title_en", ""),
        publisher=pub.get("publisher", ""),
        publisher_en=pub.get("publisher_en", ""),
        date=pub.get("date", ""),
        identifier=pub.get("identifier", ""),
        copyright=pub.get("copyright", ""),
        description_zh=pub.get("description_zh", ""),
        description_en=pub.get("description_en", ""),
        sectors=tuple(sectors),
    )
    return replace(publication, statements=tuple(statements), meta=publication_meta), problems


def default_metadata(publication: Publication) -> Publication:
    """Metadata for a seed without a metadata file: one group, titles from the masthead."""
    statements = tuple(replace(st, meta=replace(st.meta, sector=UNSORTED.id)) for st in publication.statements)
    return replace(publication, statements=statements, meta=replace(publication.meta, sectors=(UNSORTED,)))


def load_publication(seed: Path, metadata: Path | None = None) -> tuple[Publication, list[Problem]]:
    """Parse a seed and attach its metadata file (``<seed>.toml`` unless given)."""
    metadata = metadata or metadata_path(seed)
    if metadata.is_file():
        loaded = load_toml(metadata, Kind.metadata)  # once: 0.7 s for the metadata of 16,000 statements
        entries = loaded[0].get("statement", [])
        entries = entries if isinstance(entries, list) else []  # apply_metadata reports the mistake
        named = {e["byline"] for e in entries if isinstance(e, dict) and isinstance(e.get("byline"), str)}
        publication, problems = load_seed(seed, _positions(loaded[0], metadata), named)
        publication, more = apply_metadata(publication, metadata, loaded)
        return publication, problems + more
    publication, problems = load_seed(seed)
    problems.append(
        Problem(
            f"no metadata file {metadata.name}: statements are not grouped and have no English titles",
            Location(seed, 0),
            Kind.metadata,
        )
    )
    return default_metadata(publication), problems


def _array(data: dict[str, Any], key: str, path: Path) -> list[Any]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise TekanError(f"`{key}` must be an array of tables ([[{key}]])", Location(path, 0), Kind.metadata)
    return value


def _table_line(path: Path, table: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").split("\n"), start=1):
        if line.strip() == f"[{table}]":
            return number
    return 0
