"""Translations of the statements as gettext catalogs, and the checks a translation must pass.

Sphinx's i18n layout (``locale/<language>/LC_MESSAGES/<docname>.po``, one catalog per page): one ``.po``
per statement, one message per body paragraph, ``msgid`` the paragraph exactly as the seed prints it.
Glossary terms, proper names and numbers of each paragraph are listed in its extracted comments
(``#.``), so a translator in any PO editor sees what the terminology check will ask for.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, read_po, write_po

from .editions import EN
from .errors import FORBIDDEN, Kind, Problem, TekanError, describe_forbidden, read_text
from .linking import Linker, link_first_occurrences
from .model import Glossary, Location, Publication, Statement, Term, Translation
from .project import seed_path
from .rendering import statement_key
from .tomlfile import load_toml

#: The folder of a book that holds its catalogs (Sphinx's ``locale_dirs``).
LOCALE_DIR = "locale"
#: Proper names and their forms in a language: ``<locale>/<language>/names.toml``.
NAMES_FILE = "names.toml"
#: Message states, as ``tekan check`` reports them.
TRANSLATED, FUZZY, MISSING = "translated", "fuzzy", "missing"


def locale_folder(seed: Path) -> Path:
    """A book's catalogs: ``locale/`` in the book folder (the parent of ``seeds/``, else the seed's folder)."""
    book = seed_path(seed).parent
    return (book.parent if book.name == "seeds" else book) / LOCALE_DIR


def catalog_path(locale: Path, language: str, slug: str) -> Path:
    """The catalog of one statement (Sphinx's name for the page ``statements/<slug>``)."""
    return locale / language / "LC_MESSAGES" / "statements" / f"{slug}.po"


def printed_features(seed: Path, metadata: Path | None = None) -> list[tuple[Publication, Path]]:
    """The seed as printed (its paragraphs are the catalogs' msgids) with its catalogs' folder; a collection
    file gives each feature's, its statements marked with the feature (as the pages name them)."""
    from .collection import as_feature, feature_id, is_collection, read_collection
    from .metadata import load_publication

    if not is_collection(seed):
        return [(load_publication(seed, metadata)[0], locale_folder(seed))]
    seeds = read_collection(seed)[1]
    return [(as_feature(load_publication(s)[0], feature_id(s)), locale_folder(s)) for s in seeds]


# ── English forms of glossary terms ──────────────────────────────────────────

_PARENTHESIS = re.compile(r"\s*\([^)]*\)")


def english_forms(term: Term) -> tuple[str, ...]:
    """Every English form of a term a translation may use: the entry's English, the same without its
    explanatory parentheses, an ASCII abbreviation, and the declared ``en_variants``."""
    forms = [term.en, " ".join(_PARENTHESIS.sub("", term.en).split())]
    if term.abbr.isascii() and len(term.abbr) > 1 and term.abbr.isalpha():
        forms.append(term.abbr)
    forms += term.en_variants
    return tuple(dict.fromkeys(f for f in forms if f))


def _fold(text: str) -> str:
    """Text for matching English forms: curly apostrophes straight, dashes as hyphens (same length)."""
    return text.replace("’", "'").replace("‘", "'").replace("‐", "-").replace("‑", "-")


def _form_pattern(form: str) -> str:
    """A form as a regex that also accepts the plural of its last word (-s, -es, -y → -ies)."""
    folded = _fold(form)
    if re.search(r"[a-z]y$", folded):
        return re.escape(folded[:-1]) + "(?:y|ies)"
    if folded[-1:].isalpha():
        return re.escape(folded) + "(?:e?s)?"
    return re.escape(folded)


@lru_cache(maxsize=4096)
def _forms_pattern(forms: tuple[str, ...]) -> re.Pattern[str]:
    """Whole-word, any case, plural-tolerant search for any of ``forms`` (as EnglishLinker matches them)."""
    ordered = sorted(forms, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(_form_pattern(f) for f in ordered) + r")(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class EnglishLinker:
    """Finds glossary terms in English text: whole words, any case, plurals; longest form first."""

    forms: Mapping[str, str]  # every English form (folded, lower case) → term id
    pattern: re.Pattern[str] | None  # one alternation over the forms

    @classmethod
    def build(cls, glossary: Glossary) -> EnglishLinker:
        """The linker of a glossary's English forms (a form claimed by two terms links to the first)."""
        forms: dict[str, str] = {}
        for term in glossary.terms:
            for form in english_forms(term):
                forms.setdefault(_fold(form).lower(), term.id)
        if not forms:
            return cls({}, None)
        ordered = sorted(forms, key=len, reverse=True)
        pattern = re.compile(
            # Hyphens bound words: "quality" is found in "high-quality", as 質量 is in 高質量.
            r"(?<!\w)(?:" + "|".join(_form_pattern(f) for f in ordered) + r")(?!\w)",
            re.IGNORECASE,
        )
        return cls(forms, pattern)

    def _term(self, match: str) -> str | None:
        key = _fold(match).lower()
        for candidate in (key, key[:-1], key[:-2], key[:-3] + "y"):  # the form itself, or its plural
            if candidate in self.forms:
                return self.forms[candidate]
        return None

    def occurrences(self, text: str) -> list[tuple[int, int, str]]:
        """Every non-overlapping occurrence as (start, end, term id), leftmost, longest form first."""
        if self.pattern is None:
            return []
        found = []
        for match in self.pattern.finditer(_fold(text)):
            term = self._term(match.group())
            if term is not None:
                found.append((match.start(), match.end(), term))
        return found

    def renders(self, text: str, term_id: str) -> bool:
        """Whether one of the term's forms occurs in ``text``, also inside another term's occurrence ("quality"
        in "put quality first", where the longest match is 質量第一's)."""
        forms = [form for form, owner in self.forms.items() if owner == term_id]
        return bool(forms) and _forms_pattern(tuple(forms)).search(_fold(text)) is not None

    def link(self, paragraphs: Iterable[str], seen: set[str] | None = None) -> list[list[tuple[str, str | None]]]:
        """Split paragraphs into segments, linking the first occurrence of each term (as ``Linker.link``)."""
        return link_first_occurrences(paragraphs, self.occurrences, seen)


# ── Proper names ─────────────────────────────────────────────────────────────


def load_names(path: Path) -> dict[str, tuple[str, ...]]:
    """A language's names file: Chinese name → the forms a translation may use. Missing file: no names."""
    if not path.is_file():
        return {}
    data, _ = load_toml(path, Kind.translation)
    table = data.get("names", {})
    if set(data) - {"names"} or not isinstance(table, dict):
        raise TekanError("expected one [names] table of 'Chinese name' = ['English form', …]", path, Kind.translation)
    names: dict[str, tuple[str, ...]] = {}
    for chinese, forms in table.items():
        if isinstance(forms, str):
            forms = [forms]
        if not isinstance(forms, list) or not forms or not all(isinstance(f, str) and f for f in forms):
            raise TekanError(f"name {chinese!r}: give a list of one or more forms", path, Kind.translation)
        names[chinese] = tuple(forms)
    return names


def names_for_statement(statement: Statement, meta_names: Mapping[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """The names file's entries plus the statement's own speaker and organisation (from the metadata)."""
    names = dict(meta_names)
    attribution, meta = statement.attribution, statement.meta
    if attribution.person and meta.person_pinyin:
        names.setdefault(attribution.person, (meta.person_pinyin,))
    if attribution.organisation and meta.organisation_en:
        short = " ".join(_PARENTHESIS.sub("", meta.organisation_en).split())
        names.setdefault(attribution.organisation, tuple(dict.fromkeys((meta.organisation_en, short))))
    return names


# ── Numbers ──────────────────────────────────────────────────────────────────

#: The months in English: the English edition's own words (one list, in ``tekan.editions``).
MONTHS = EN.print.months
#: The numbers under ten as words: English prose spells them out (a digit is accepted too).
SPELLED = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_CHINESE_NUMBER = re.compile(r"(\d+(?:\.\d+)?)(?:\s*([%％])|(多?萬)|(?=月))?")
#: A month: a number before 月, with or without a year before it (2020年5月12日, 5月20日), not 5個月 (five months).
_DATE_MONTH = re.compile(r"(?<![\d.])(\d{1,2})月")


def _digits(text: str) -> str:
    return text.translate({0xFF10 + i: 0x30 + i for i in range(10)})


def required_numbers(chinese: str) -> list[tuple[str, tuple[str, ...]]]:
    """The numbers of a Chinese paragraph, each with the forms that render it in English.

    ``80%`` → ``80%``, ``80 per cent``; ``200多萬`` (two million and more) → ``2 million``, ``2,000,000``;
    the month of a ``2020年5月12日`` or ``5月20日`` date → ``May``; any other digit run → itself (under ten, also
    its word: ``9`` → ``nine``).
    """
    text = _digits(chinese)
    months = {m.start(1) for m in _DATE_MONTH.finditer(text)}
    required: list[tuple[str, tuple[str, ...]]] = []
    for match in _CHINESE_NUMBER.finditer(text):
        number = match.group(1)
        if match.start(1) in months:
            required.append((number + "月", (MONTHS[int(number) - 1],) if 1 <= int(number) <= 12 else (number,)))
        elif match.group(2):
            required.append((number + "%", (number + "%", number + " per cent", number + " percent")))
        elif match.group(3):
            value = float(number) * 10_000
            forms = [f"{value:,.0f}"]
            for size, word in ((1e9, "billion"), (1e6, "million")):
                if value >= size:
                    forms.append(f"{value / size:g} {word}")
                    break
            required.append((match.group(0), tuple(forms)))
        else:  # numbers under ten are spelled out in running English prose (house style)
            spelled = (SPELLED[int(number)],) if number.isdigit() and int(number) < len(SPELLED) else ()
            required.append((number, (number, *spelled)))
    return required


def _has_number(english: str, form: str) -> bool:
    """Whether ``form`` occurs in the English text as a whole number (not part of a longer one)."""
    if form.isalpha():  # a spelled-out number: a whole word, any case
        return re.search(rf"\b{form}\b", english, re.IGNORECASE) is not None
    return re.search(r"(?<![\d.,])" + re.escape(form) + r"(?![\d]|[.,]\d)", english) is not None


# ── Catalogs ─────────────────────────────────────────────────────────────────


def _comments(paragraph: str, linker: Linker, glossary: Glossary, names: Mapping[str, tuple[str, ...]]) -> list[str]:
    """The extracted comments of one paragraph's message: its terms, names and numbers."""
    comments = []
    seen: set[str] = set()
    for start, end, term_id in linker.occurrences(paragraph):
        if term_id in seen:
            continue
        seen.add(term_id)
        term = glossary.by_id[term_id]
        forms = " | ".join(english_forms(term))
        comments.append(f"term {paragraph[start:end]} ({term_id}): {forms}")
    if names:
        name_linker = Linker.build({name: name for name in names})
        for name in dict.fromkeys(name for _, _, name in name_linker.occurrences(paragraph)):
            comments.append(f"name {name}: {' | '.join(names[name])}")
    numbers = required_numbers(paragraph)
    if numbers:
        comments.append("numbers: " + ", ".join(dict.fromkeys(n for n, _ in numbers)))
    return comments


def template(
    statement: Statement,
    source: str,
    linker: Linker,
    glossary: Glossary,
    names: Mapping[str, tuple[str, ...]],
    language: str,
    title: str,
) -> Catalog:
    """The catalog a statement's paragraphs make (untranslated), with terms, names and numbers marked."""
    catalog = Catalog(
        locale=language,
        project=title,
        version=statement.meta.slug,
        header_comment=(
            f"# {statement.headline} — {statement.attribution.raw}\n"
            "# One message per paragraph; msgid is the paragraph as the seed prints it. The headline, the\n"
            "# speaker's name, position and organisation are translated in the metadata file.\n"
            "# Lines starting with #. list the glossary terms, names and numbers `tekan check` expects\n"
            "# in the translation (any of the forms after the colon)."
        ),
        charset="utf-8",
        fuzzy=False,
        msgid_bugs_address="",
        last_translator="Tekan editors",
        language_team=language,
    )
    names = names_for_statement(statement, names)
    lines = statement.paragraph_lines or tuple(statement.line + n for n in range(1, len(statement.paragraphs) + 1))
    for number, (paragraph, line) in enumerate(zip(statement.paragraphs, lines, strict=True), start=1):
        catalog.add(
            paragraph,
            locations=[(source, line)],
            auto_comments=[f"paragraph {number}", *_comments(paragraph, linker, glossary, names)],
        )
    return catalog


def _render(catalog: Catalog) -> str:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, include_previous=True)
    return buffer.getvalue().decode("utf-8")


def _read(path: Path, language: str) -> Catalog:
    """A catalog, read as every input is: UTF-8 (a Big5 or GB18030 file is named, at its line), no character
    that is not text (a control character or a direction override in a ``msgstr`` would break the EPUB), and
    one located line for a malformed file."""
    lines = read_text(path).split("\n")  # the checks of every input: size, encoding (with line and likely encoding)
    try:
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language, abort_invalid=True, charset="utf-8")
    except OSError as exc:
        raise TekanError(f"cannot read catalog: {exc.strerror or exc}", path, Kind.io) from None
    except PoFileError as exc:
        message = str(exc).removesuffix(f" on {exc.lineno}")
        # babel counts lines from 0
        raise TekanError(f"not a valid PO file: {message}", Location(path, exc.lineno + 1), Kind.translation) from None
    except Exception as exc:  # babel's other complaints: one line, not a traceback
        raise TekanError(f"not a valid PO file: {exc}", path, Kind.translation) from None
    for entry in catalog:
        for text in (entry.string,) if isinstance(entry.string, str) else entry.string or ():
            bad = FORBIDDEN.search(text.replace("\n", " "))
            if bad:  # the line of the msgstr that holds it (PO files write such a character as it is)
                start = max((entry.lineno or 1) - 1, 0)
                line = next((n for n in range(start, len(lines)) if bad[0] in lines[n]), start)
                column = lines[line].find(bad[0]) + 1 if line < len(lines) else 0
                raise TekanError(
                    f"{describe_forbidden(bad[0])} in a msgstr, at column {column}: "
                    "remove it (it is not text and would break the EPUB and PDF)",
                    Location(path, line + 1),
                    Kind.encoding,
                )
    return catalog


def update_catalogs(
    publication: Publication,
    glossary: Glossary,
    locale: Path,
    language: str,
    book_root: Path,
    sharing: Iterable[Publication] = (),
) -> list[tuple[Path, bool]]:
    """Create or update (as ``msgmerge`` does) the catalog of every statement; return (path, changed) pairs.

    ``publication`` is the seed as printed (not normalised): its paragraphs are the message ids. A changed
    paragraph keeps its old translation marked fuzzy; a removed one is kept as obsolete (``#~``).
    ``sharing`` are the other seeds whose catalogs are in ``locale`` (a book's other features): a statement of
    theirs with the same page name shares the catalog, its paragraphs messages of their own (never obsolete).
    """
    from .files import write_if_changed
    from .glossary import protected_names, term_linker

    names = load_names(locale / language / NAMES_FILE)
    others: dict[str, list[tuple[Statement, Publication]]] = {}
    for seed in sharing:
        if seed.source != publication.source:
            for statement in seed.statements:
                others.setdefault(statement.meta.slug, []).append((statement, seed))
    linkers: dict[Path, Linker] = {}

    def fresh(statement: Statement, of: Publication) -> Catalog:
        if of.source not in linkers:  # the terms as the pages link them
            linkers[of.source] = term_linker(glossary, "hant", names=protected_names(of))
        try:
            source = seed_path(of.source).relative_to(seed_path(book_root)).as_posix()
        except ValueError:
            source = of.source.name
        return template(statement, source, linkers[of.source], glossary, names, language, of.meta.title)

    results = []
    for statement in publication.statements:
        # In the seeds' order, whichever of them is translated: the file is the same after any of them.
        sharers = sorted(
            [(statement, publication), *others.get(statement.meta.slug, [])], key=lambda s: str(s[1].source)
        )
        catalog_template = fresh(*sharers[0])
        for other, owner in sharers[1:]:
            for message in fresh(other, owner):
                if message.id and message.id not in catalog_template:
                    catalog_template[message.id] = message
        path = catalog_path(locale, language, statement.meta.slug)
        if path.is_file():
            catalog = _read(path, language)
            catalog.update(catalog_template, update_header_comment=True, update_creation_date=False)
        else:
            catalog = catalog_template
            catalog.creation_date = catalog.revision_date = datetime(2000, 1, 1, tzinfo=UTC)
        results.append((path, write_if_changed(path, _render(catalog))))
    return results


def book_translations(
    seed: Path, language: str, locale: Path | None = None, metadata: Path | None = None
) -> dict[str, Translation]:
    """The translations of a seed's statements into ``language`` from the book's catalogs (none: empty), keyed by
    :func:`statement_key`; of a collection file, each feature's from its own catalogs (``locale``, when given,
    holds them all)."""
    if not language:
        return {}
    from .collection import is_collection, read_collection

    seeds = read_collection(seed)[1] if is_collection(seed) else [seed]
    if not any(((locale or locale_folder(s)) / language).is_dir() for s in seeds):
        return {}  # no catalogs: the seeds are not read again (3 s of `tekan convert` at 16,000 statements)
    translations: dict[str, Translation] = {}
    for publication, own in printed_features(seed, metadata):
        folder = locale or own
        if (folder / language).is_dir():
            translations.update(read_translations(publication, folder, language))
    return translations


def read_translations(publication: Publication, locale: Path, language: str) -> dict[str, Translation]:
    """Each statement's translation from its catalog (statements without a catalog are left out).

    ``publication`` is the seed as printed; paragraphs are matched by their text, so the order and the
    normalisation of the editions do not matter.
    """
    translations = {}
    for statement in publication.statements:
        path = catalog_path(locale, language, statement.meta.slug)
        if not path.is_file():
            continue
        catalog = _read(path, language)
        paragraphs, states, lines = [], [], []
        for paragraph in statement.paragraphs:
            message = catalog.get(paragraph)
            text = message.string if message is not None and isinstance(message.string, str) else ""
            if message is None or not text.strip():
                state = MISSING
            elif message.fuzzy:
                state = FUZZY
            else:
                state = TRANSLATED
            paragraphs.append(text.strip() if state == TRANSLATED else "")
            states.append(state)
            lines.append(message.lineno if message is not None and message.lineno else 0)
        translations[statement_key(statement)] = Translation(
            slug=statement.meta.slug,
            language=language,
            path=path,
            paragraphs=tuple(paragraphs),
            states=tuple(states),
            lines=tuple(lines),
            obsolete=len(catalog.obsolete),
        )
    return translations


def catalog_problems(publication: Publication, translations: Mapping[str, Translation], language: str) -> list[Problem]:
    """One warning per fuzzy or missing paragraph and per missing catalog."""
    problems = []
    for statement in publication.statements:
        translation = translations.get(statement_key(statement))
        if translation is None:
            where = Location(publication.source, statement.line)
            problems.append(
                Problem(f"statement {statement.meta.slug!r} has no {language} catalog", where, Kind.translation)
            )
            continue
        for number, (state, line) in enumerate(zip(translation.states, translation.lines, strict=True), start=1):
            if state != TRANSLATED:
                where = Location(translation.path, line)
                problems.append(Problem(f"paragraph {number} is {state}", where, Kind.translation))
    return problems


def orphan_catalogs(locale: Path, language: str, slugs: Iterable[str], seeds: str) -> list[Problem]:
    """One warning per statement catalog of ``language`` that belongs to none of ``slugs`` (the page names of
    the book's statements): after a page name changed, its translation would otherwise be silently unused."""
    folder = catalog_path(locale, language, "x").parent
    known = set(slugs)
    orphans = sorted(p for p in folder.glob("*.po") if p.stem not in known) if folder.is_dir() else []
    return [
        Problem(
            f"this catalog is for no statement of {seeds}: no statement has the page name {path.stem!r} "
            "(if the page name changed, rename the file to the new one and run `tekan translate`; else delete it)",
            Location(path, 0),
            Kind.translation,
        )
        for path in orphans
    ]


def terminology_problems(
    hant: Publication,
    glossary: Glossary,
    translations: Mapping[str, Translation],
    names: Mapping[str, tuple[str, ...]],
) -> list[Problem]:
    """Warnings where a translated paragraph lacks a term linked in its Chinese, a name or a number, or renders a
    term of its Chinese by one of the term's ``wrong_en`` (so does an English headline).

    ``hant`` is the Traditional edition's text (normalised, as the pages link it); terms are the ones its
    page links in that paragraph (the first occurrence of each on the page), and any English form of the
    term is accepted (:func:`english_forms`). Names come from the names file and the metadata.
    """
    from .glossary import protected_names, term_linker

    linker = term_linker(glossary, "hant", names=protected_names(hant))  # the same links as the pages
    english = EnglishLinker.build(glossary)
    problems = []
    for statement in hant.statements:
        if statement.meta.headline_en:  # the metadata's English headline, checked where the seed prints the headline
            for wrong_id, wrong in wrong_english(statement.headline, statement.meta.headline_en, linker, glossary):
                term = glossary.by_id[wrong_id]
                message = f"headline_en renders {term.hant} ({wrong_id}) {wrong!r}: {' | '.join(english_forms(term))}"
                problems.append(Problem(message, Location(hant.source, statement.line), Kind.terminology))
        translation = translations.get(statement_key(statement))
        if translation is None:
            continue
        statement_names = names_for_statement(statement, names)
        name_linker = Linker.build({name: name for name in statement_names})
        linked = linker.link(statement.paragraphs)
        for number, (chinese, segments, text, line) in enumerate(
            zip(statement.paragraphs, linked, translation.paragraphs, translation.lines, strict=True), start=1
        ):
            if not text:
                continue
            where = Location(translation.path, line)
            occurrences = english.occurrences(text)
            found = {term for _, _, term in occurrences}
            for form, term_id in segments:
                if term_id is not None and term_id not in found and not english.renders(text, term_id):
                    term = glossary.by_id[term_id]
                    expected = " | ".join(english_forms(term))
                    message = f"paragraph {number}: {form} ({term_id}) is not rendered by any of: {expected}"
                    problems.append(Problem(message, where, Kind.terminology))
            for wrong_id, wrong in wrong_english(chinese, text, linker, glossary, occurrences):
                term = glossary.by_id[wrong_id]
                expected = " | ".join(english_forms(term))
                message = f"paragraph {number} renders {term.hant} ({wrong_id}) {wrong!r}, not the term: {expected}"
                problems.append(Problem(message, where, Kind.terminology))
            for name in dict.fromkeys(n for _, _, n in name_linker.occurrences(chinese)):
                if not any(form in text for form in statement_names[name]):
                    expected = " | ".join(statement_names[name])
                    problems.append(
                        Problem(f"paragraph {number}: name {name} missing ({expected})", where, Kind.terminology)
                    )
            for number_text, forms in required_numbers(chinese):
                if not any(_has_number(text, form) for form in forms):
                    message = f"paragraph {number}: number {number_text} missing (expected {' or '.join(forms)})"
                    problems.append(Problem(message, where, Kind.terminology))
    return problems


def wrong_english(
    chinese: str,
    english: str,
    linker: Linker,
    glossary: Glossary,
    accepted: list[tuple[int, int, str]] | None = None,
) -> list[tuple[str, str]]:
    """(term id, English as written) for each term of ``chinese`` that ``english`` renders by one of its ``wrong_en``.

    Every occurrence of a term in the Chinese counts, not only the one the page links. A wrong form is not counted
    inside a longer accepted form of any term ("metrological traceability" holds "traceability"), nor where it is the
    accepted form of another term of the same Chinese (檢驗 is "inspection" even where 檢測 is not).
    """
    terms = dict.fromkeys(term_id for _, _, term_id in linker.occurrences(chinese))
    wrong = {_fold(form).lower(): term_id for term_id in terms for form in glossary.by_id[term_id].wrong_en}
    if not wrong:
        return []
    if accepted is None:
        accepted = EnglishLinker.build(glossary).occurrences(english)
    pattern = re.compile(
        r"(?<!\w)(?:" + "|".join(_form_pattern(f) for f in sorted(wrong, key=len, reverse=True)) + r")(?!\w)",
        re.IGNORECASE,
    )
    found: list[tuple[str, str]] = []
    for match in pattern.finditer(_fold(english)):
        start, end = match.span()
        if any(s <= start and end <= e and (e - s > end - start or other in terms) for s, e, other in accepted):
            continue
        key = match.group().lower()
        term_id = next((wrong[k] for k in (key, key[:-1], key[:-2], key[:-3] + "y") if k in wrong), None)
        if term_id is not None and (term_id, english[start:end]) not in found:
            found.append((term_id, english[start:end]))
    return found


def summary(publication: Publication, translations: Mapping[str, Translation]) -> list[tuple[str, int, int, int]]:
    """Per statement: (slug, translated, fuzzy, missing) paragraph counts."""
    rows = []
    for statement in publication.statements:
        translation = translations.get(statement_key(statement))
        states = translation.states if translation else (MISSING,) * len(statement.paragraphs)
        rows.append((statement.meta.slug, states.count(TRANSLATED), states.count(FUZZY), states.count(MISSING)))
    return rows
