"""The metadata file beside a seed (``<seed>.toml``): titles, sectors and per-statement facts."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from .convention import PRESS, SeedConvention, convention
from .derive import unique_name
from .errors import Kind, Problem, TekanError
from .model import (
    Attribution,
    GlossaryChoice,
    Location,
    Publication,
    PublicationMeta,
    Sector,
    Statement,
    StatementMeta,
)
from .parsing import default_slug, load_seed
from .scripts import DECLARED_SCRIPTS, script_evidence
from .tomlfile import check_fields, entry_line, load_toml

SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")  # always fullmatch: `$` would accept a final line feed
#: An issue date as the metadata may give it: YYYY, YYYY-MM or YYYY-MM-DD, ASCII digits.
DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
#: The book-level facts a release needs (``--strict`` fails when one is missing).
PUBLICATION_FACTS = ("title", "title_en", "publisher", "date")
_ENGLISH_WORDS = {
    "headline_en": "headline",
    "person_pinyin": "name",
    "organisation_en": "organisation",
    "position_en": "position",
}

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
_SECTOR = {"id": str, "zh": str}
_SECTOR_OPTIONAL = {"en": str}
_STATEMENT = {"byline": str}
_STATEMENT_OPTIONAL = {
    "slug": str,
    "sector": str,
    "headline_en": str,
    "person_pinyin": str,
    "organisation_en": str,
    "position_en": str,
    "editor_notes": object,  # a list of tables, checked by _editor_notes
    "organisation": str,
    "position": str,
    "person": str,
}


def command_path(path: Path) -> str:
    """``path`` as an editor types it in a command here: relative to the current folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


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
    publication: Publication,
    path: Path,
    loaded: tuple[dict[str, Any], dict[str, list[int]]] | None = None,
    convention: SeedConvention = PRESS,
) -> tuple[Publication, list[Problem]]:
    """Attach the metadata file's facts to a parsed publication, checking they agree, and derive the rest.

    ``loaded`` is the file as :func:`load_toml` returns it, when the caller has read it already. Without a
    file (``path`` absent) everything is derived. Every fact a release needs that the file does not give is
    one ``gap`` problem at the place to fill it in.
    """
    exists = path.is_file()
    data, lines = loaded or (load_toml(path, Kind.metadata) if exists else ({}, {}))
    problems: list[Problem] = []
    known = {"publication", "sector", "statement", "positions", "glossary", "convention"}
    for key in data:
        if key not in known:
            raise TekanError(
                f"unknown top-level key {key!r} (known: {', '.join(sorted(known))})", Location(path, 0), Kind.metadata
            )

    publication_meta = _publication_meta(publication, data, path, exists, problems, convention)
    sectors: list[Sector] = []
    for index, entry in enumerate(_array(data, "sector", path)):
        where = Location(path, entry_line(lines, "sector", index))
        check_fields(entry, where, Kind.metadata, _SECTOR, _SECTOR_OPTIONAL)
        if not SLUG.fullmatch(entry["id"]):
            raise TekanError(
                f"sector id {entry['id']!r} must be lowercase ASCII letters, digits and hyphens", where, Kind.metadata
            )
        if any(s.id == entry["id"] for s in sectors):
            raise TekanError(f"duplicate sector id {entry['id']!r}", where, Kind.metadata)
        if not entry.get("en", "").strip():
            problems.append(Problem(f"sector {entry['id']!r} has no English name (en)", where, Kind.gap))
        sectors.append(Sector(entry["id"], entry["zh"], entry.get("en", "").strip()))
    declared = {s.id for s in sectors}
    defaults = {s.id for s in convention.sectors[publication.script]}

    by_byline = {st.attribution.raw: st for st in publication.statements}
    entries: dict[int, tuple[dict[str, Any], Location]] = {}
    slugs: dict[str, Location] = {}
    for index, entry in enumerate(_array(data, "statement", path)):
        where = Location(path, entry_line(lines, "statement", index))
        check_fields(entry, where, Kind.metadata, _STATEMENT, _STATEMENT_OPTIONAL)
        statement = by_byline.get(entry["byline"])
        if statement is None:
            raise TekanError(
                f"no statement in {publication.source.name} has the byline {entry['byline']!r} "
                "(if the byline was edited in the seed, edit it here too)",
                where,
                Kind.metadata,
            )
        if statement.number in entries:
            raise TekanError(f"a second entry for the byline {entry['byline']!r}", where, Kind.metadata)
        slug = entry.get("slug", "")
        if slug:
            if not SLUG.fullmatch(slug):
                raise TekanError(
                    f"slug {slug!r} must be lowercase ASCII letters, digits and hyphens", where, Kind.metadata
                )
            if slug in slugs:
                raise TekanError(f"slug {slug!r} is already used at line {slugs[slug].line}", where, Kind.metadata)
            slugs[slug] = where
        sector = entry.get("sector", "")
        if sector and sector not in declared and sector not in defaults:
            raise TekanError(
                f"unknown sector {sector!r} (declared: {', '.join(sorted(declared)) or 'none'}; "
                f"built in: {', '.join(sorted(defaults))})",
                where,
                Kind.metadata,
            )
        entries[statement.number] = (entry, where)

    taken = set(slugs)
    statements = []
    for statement in publication.statements:
        entry, where = entries.get(statement.number, ({}, Location(publication.source, statement.line)))
        attribution = _attribution(statement.attribution, entry, where)
        derived: list[str] = []
        slug = entry.get("slug", "")
        if not slug:
            # Editors' slugs are taken first, so a derived name never takes one (it gets -2 instead).
            slug = unique_name(default_slug(attribution.person, statement.number), taken)
            derived.append(f"page name {slug!r}")
        sector = entry.get("sector", "")
        if not sector:
            sector = convention.explain_sector(attribution.organisation, attribution.position)[0]
            derived.append(f"sector {sector!r}")
        meta = StatementMeta(
            slug=slug,
            sector=sector,
            headline_en=entry.get("headline_en", "").strip(),
            person_pinyin=entry.get("person_pinyin", "").strip(),
            organisation_en=entry.get("organisation_en", "").strip(),
            position_en=entry.get("position_en", "").strip(),
            editor_notes=_editor_notes(entry, statement, where),
            editor_notes_en=_editor_notes_en(entry, statement),
        )
        missing = missing_english(meta, attribution)
        what = f"statement {statement.number} ({statement.headline})"
        if not entry:
            place = f"in {path.name}" if exists else f"(no {path.name})"
            problems.append(Problem(f"{what} has no entry {place}: {_gap_note(derived, missing)}", where, Kind.gap))
        elif derived or missing:
            fields = [f for f in ("slug", "sector") if not entry.get(f)] + missing
            note = f"; {' and '.join(derived)} derived" if derived else ""
            note += "; English left out of the page" if missing else ""
            problems.append(Problem(f"the entry for {what} has no {', '.join(fields)}{note}", where, Kind.gap))
        statements.append(replace(statement, meta=meta, attribution=attribution))

    publication = _declared_script(publication, str(data.get("publication", {}).get("language", "")), path)
    used = {st.meta.sector for st in statements}
    sectors += [s for s in convention.sectors[publication.script] if s.id in used and s.id not in declared]
    publication_meta = replace(publication_meta, sectors=tuple(sectors), glossary=glossary_choice(data, path))
    return replace(publication, statements=tuple(statements), meta=publication_meta), problems


def glossary_choice(data: dict[str, Any], path: Path) -> GlossaryChoice | None:
    """The ``[glossary]`` table of a metadata or collection file: ``all = true`` prints every entry of the glossary
    file, ``include = ["id", …]`` those entries besides the ones the text uses; None without the table."""
    if "glossary" not in data:
        return None
    where = Location(path, table_line(path, "glossary"))
    table = check_fields(data["glossary"], where, Kind.metadata, {}, {"all": bool, "include": list})
    return GlossaryChoice(all=table.get("all", False), include=tuple(table.get("include", [])), where=where)


def _declared_script(publication: Publication, language: str, path: Path) -> Publication:
    """The publication in the script its metadata's ``language`` declares: it must agree with the seed's
    characters, and decides for a seed that has no script-specific character (same text in both scripts)."""
    if not language:
        return publication
    where = Location(path, table_line(path, "publication"))
    declared = DECLARED_SCRIPTS.get(language.casefold())
    if declared is None:
        known = ", ".join(sorted({"zh-Hant", "zh-Hans"}))
        raise TekanError(f"language {language!r} is not a Chinese script tag (use {known})", where, Kind.metadata)
    if declared == publication.script:
        return replace(publication, script=declared)
    texts = [text for st in publication.statements for text in (st.headline, *st.paragraphs, st.attribution.raw)]
    texts.append(publication.masthead)  # in seed order, so the example is the first such character
    evidence = script_evidence(texts)
    if publication.script in evidence:
        names = {"hant": "Traditional", "hans": "Simplified"}
        raise TekanError(
            f"language {language!r} says the seed is {names[declared]}, but it is written in "
            f"{names[publication.script]} (e.g. {evidence[publication.script]}): correct `language` or the seed",
            where,
            Kind.script,
        )
    return replace(publication, script=declared)


def _attribution(attribution: Attribution, entry: dict[str, Any], where: Location) -> Attribution:
    """The byline's parts as the entry overrides them (all three, joining to exactly the byline)."""
    override = [entry.get(k) for k in ("organisation", "position", "person")]
    if all(v is None for v in override) or all(v == "" for v in override):  # "" is a draft's TODO left as it is
        return attribution
    if any(v is None for v in override):
        names = ("organisation", "position", "person")
        missing = ", ".join(name for name, value in zip(names, override, strict=True) if value is None)
        raise TekanError(
            f"organisation, position and person must all be given (this entry has no {missing})", where, Kind.metadata
        )
    joined = "".join(v or "" for v in override)
    if _no_spaces(joined) != _no_spaces(attribution.raw):  # spaces between the parts are the byline's own affair
        raise TekanError(
            f"organisation, position and person join to {joined!r}, not to the byline {attribution.raw!r}: "
            "together they must spell the byline (spaces aside)",
            where,
            Kind.metadata,
        )
    return replace(attribution, organisation=override[0] or "", position=override[1] or "", person=override[2] or "")


def _no_spaces(text: str) -> str:
    return "".join(text.split())


def missing_english(meta: StatementMeta, attribution: Attribution) -> list[str]:
    """The English fields a release needs for a statement and its metadata leaves empty."""
    needed = [
        ("headline_en", meta.headline_en, True),
        ("person_pinyin", meta.person_pinyin, bool(attribution.person)),
        ("organisation_en", meta.organisation_en, bool(attribution.organisation)),
        ("position_en", meta.position_en, bool(attribution.position)),
    ]
    return [name for name, value, wanted in needed if wanted and not value]


def _editor_notes(entry: dict[str, Any], statement: Statement, where: Location) -> tuple[tuple[str, str], ...]:
    """The editor's notes of a statement: ``editor_notes = [{text = "…", note = "…"}]``, each ``text`` printed in
    one of its paragraphs (a source's typo is neither kept silently nor fixed silently: it is annotated)."""
    notes: list[tuple[str, str]] = []
    items = entry.get("editor_notes", [])
    if not isinstance(items, list):
        raise TekanError('editor_notes must be a list of {text = "…", note = "…"}', where, Kind.metadata)
    for item in items:
        if (
            not isinstance(item, dict)
            or not {"text", "note"} <= set(item) <= {"text", "note", "note_en"}
            or not all(isinstance(v, str) for v in item.values())
        ):
            raise TekanError('each editor_notes item is {text = "…", note = "…", note_en = "…"}', where, Kind.metadata)
        text, note = item["text"].strip(), item["note"].strip()
        if not text or not note or not any(text in paragraph for paragraph in statement.paragraphs):
            raise TekanError(f"editor_notes: {text!r} is not in the text of the statement", where, Kind.metadata)
        notes.append((text, note))
    return tuple(notes)


def _editor_notes_en(entry: dict[str, Any], statement: Statement) -> tuple[tuple[int, str], ...]:
    """(paragraph number, note) for each editor's note with an English text (``note_en``): the English edition puts
    it on the translation of the paragraph that prints the note's ``text`` (checked by :func:`_editor_notes`)."""
    notes = []
    for item in entry.get("editor_notes", []):
        note = item.get("note_en", "").strip()
        if note:
            number = next(n for n, p in enumerate(statement.paragraphs, start=1) if item["text"].strip() in p)
            notes.append((number, note))
    return tuple(notes)


def _gap_note(derived: list[str], missing: list[str]) -> str:
    parts = []
    if derived:
        parts.append(f"{' and '.join(derived)} derived")
    if missing:
        parts.append("no English " + ", ".join(_ENGLISH_WORDS[m] for m in missing) + " (left out of the page)")
    return "; ".join(parts)


def _publication_meta(
    publication: Publication,
    data: dict[str, Any],
    path: Path,
    exists: bool,
    problems: list[Problem],
    convention: SeedConvention = PRESS,
) -> PublicationMeta:
    """The book-level facts: the file's, else the masthead's; one gap naming what a release still needs."""
    line = table_line(path, "publication") if exists else 0
    pub = check_fields(
        data.get("publication", {}), Location(path, line), Kind.metadata, {}, {**_PUBLICATION, **_PUBLICATION_OPTIONAL}
    )
    if str(pub.get("date", "")).strip():  # an empty date (a draft's TODO) is a gap, not an error
        check_date(pub["date"], Location(path, line))
    facts = convention.masthead_facts(publication.masthead)
    values = {key: str(pub.get(key, "")).strip() for key in (*_PUBLICATION, *_PUBLICATION_OPTIONAL)}
    derived = [key for key in ("title", "publisher", "date") if not values[key] and facts.get(key)]
    for key in derived:
        values[key] = facts[key]
    missing = [key for key in PUBLICATION_FACTS if not str(pub.get(key, "")).strip()]
    note = f"; from the masthead: {', '.join(f'{k} {values[k]!r}' for k in derived)}" if derived else ""
    if not exists:
        problems.append(
            Problem(
                f"no metadata file {path.name}: page names and sectors are derived from the bylines, English is "
                f"left out{note} (`tekan init {command_path(publication.source)}` writes a draft to fill in)",
                Location(publication.source, 0),
                Kind.gap,
            )
        )
    elif missing:
        problems.append(Problem(f"[publication] has no {', '.join(missing)}{note}", Location(path, line), Kind.gap))
    return PublicationMeta(
        title=values["title"] or publication.masthead or publication.source.stem,
        title_en=values["title_en"],
        publisher=values["publisher"],
        publisher_en=values["publisher_en"],
        date=values["date"],
        identifier=values["identifier"],
        copyright=values["copyright"],
        description_zh=values["description_zh"],
        description_en=values["description_en"],
        from_masthead=tuple(derived),
    )


def load_publication(seed: Path, metadata: Path | None = None) -> tuple[Publication, list[Problem]]:
    """Parse a seed and attach its metadata file (``<seed>.toml`` unless given), deriving what it lacks."""
    metadata = metadata or metadata_path(seed)
    if not metadata.is_file():
        publication, problems = load_seed(seed)
        publication, more = apply_metadata(publication, metadata)
        return publication, problems + more
    loaded = load_toml(metadata, Kind.metadata)  # once: 0.7 s for the metadata of 16,000 statements
    entries = loaded[0].get("statement", [])
    entries = entries if isinstance(entries, list) else []  # apply_metadata reports the mistake
    named = {e["byline"] for e in entries if isinstance(e, dict) and isinstance(e.get("byline"), str)}
    chosen = loaded[0].get("convention", PRESS.name)
    if not isinstance(chosen, str):
        raise TekanError("`convention` must be the name of a seed convention", Location(metadata, 0), Kind.metadata)
    layout = convention(chosen, metadata)
    publication, problems = load_seed(seed, _positions(loaded[0], metadata), named, layout)
    publication, more = apply_metadata(publication, metadata, loaded, layout)
    return publication, problems + more


def _array(data: dict[str, Any], key: str, path: Path) -> list[Any]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise TekanError(f"`{key}` must be an array of tables ([[{key}]])", Location(path, 0), Kind.metadata)
    return value


def table_line(path: Path, table: str) -> int:
    """The line of a TOML file's ``[table]`` header; 0 where it has none."""
    if not path.is_file():
        return 0
    text, header = path.read_text(encoding="utf-8", errors="replace"), f"[{table}]"
    start, number = 0, 1
    while True:  # line by line up to the header only: a header stands near the top, 16,000 entries after it
        end = text.find("\n", start)
        if (text[start:] if end < 0 else text[start:end]).strip() == header:
            return number
        if end < 0:
            return 0
        start, number = end + 1, number + 1
