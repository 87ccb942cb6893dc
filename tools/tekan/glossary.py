"""The glossary file (``glossary/terms.toml``): loading, checking and ordering its terms."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import replace
from itertools import pairwise
from pathlib import Path
from typing import Any

from .editions import EDITIONS, Edition
from .errors import Kind, Problem, TekanError
from .glossaryfields import FIELDS
from .linking import Linker
from .memo import FileMemo
from .model import Glossary, GlossaryChoice, Location, Publication, Term
from .tomlfile import check_fields, entry_line, load_toml

CATEGORIES = (
    "quality-infrastructure",
    "metrology",
    "standardization",
    "conformity-assessment",
    "quality-management",
    "policy",
    "administration",
    "institution",
    "award",
    "industry",
)
TERM_ID = re.compile(r"[a-z0-9][a-z0-9-]*")  # always fullmatch: `$` would accept a final line feed
#: Characters a linkable form may not hold: they would end the MyST ``{term}`` role it is written into.
_MARKUP = re.compile(r"[`<>\n]")
#: Curly quotes in a Chinese form: normalisation prints 「 」 in Traditional (“ ” in Simplified, converted from them),
#: so a form written with “ ” links in neither edition.
_CURLY_QUOTES = re.compile(r"[“”‘’]")
#: An explanation in brackets after an English term (ISO 10241-1: a term is the designation alone).
_EXPLANATION = re.compile(r"[(\[]")
#: What a pinyin field may hold besides letters and tone marks: separators between syllables and words.
_PINYIN_SEPARATORS = " -'’,"
_REQUIRED = {
    "id": str,
    "hant": str,
    "hans": str,
    "pinyin": str,
    "en": str,
    "category": str,
    "definition_zh": str,
    "definition_en": str,
}
_OPTIONAL = {
    "abbr": str,
    "aliases": list,
    "en_variants": list,
    "misspellings": list,
    "see_also": list,
    "en_note": str,
    "wrong_en": list,
    "reference": bool,
}


def load_glossary(path: Path) -> Glossary:
    """Read and check a glossary file; raise TekanError at the first problem, with its line."""
    glossary, errors = check_glossary(path)
    if errors:
        raise errors[0]
    assert glossary is not None  # no errors means a glossary
    return glossary


def check_glossary(path: Path) -> tuple[Glossary | None, list[TekanError]]:
    """Read a glossary file and report every structural error (file:line), not just the first.

    Returns the glossary (None when the file cannot be used at all) and the errors in file order.
    """
    try:
        data, lines = load_toml(path, Kind.glossary)
    except TekanError as exc:
        return None, [exc]
    extra = set(data) - {"term"}
    if extra:
        message = f"unknown top-level key(s): {', '.join(sorted(extra))} (expected only [[term]])"
        return None, [TekanError(message, Location(path, 0), Kind.glossary)]
    entries = data.get("term", [])
    if not isinstance(entries, list) or not entries:
        return None, [TekanError("no [[term]] entries", Location(path, 0), Kind.glossary)]
    errors: list[TekanError] = []
    terms: list[Term] = []
    for index, entry in enumerate(entries):
        where = Location(path, entry_line(lines, "term", index))
        try:
            terms.append(_term(entry, where))
        except TekanError as exc:
            errors.append(exc)
    errors += _consistency_errors(terms, path)
    errors.sort(key=lambda e: e.location.line)
    return (Glossary(tuple(terms), path) if not errors else None), errors


def _term(entry: Any, where: Location) -> Term:
    """One entry as a Term, or TekanError naming the first thing wrong with it."""
    declared = {key: field.type for key, field in FIELDS.items()}
    required = {**_REQUIRED, **{key: field.type for key, field in FIELDS.items() if field.required}}
    check_fields(entry, where, Kind.glossary, required, {**_OPTIONAL, **declared})
    values = tuple((key, FIELDS[key].parse(entry[key])) for key in declared if key in entry)
    for key, value in values:
        message = FIELDS[key].problem(value)
        if message:
            raise TekanError(message, where, Kind.glossary)
    # The declared fields Term names are its attributes (an entry without one: the field's empty value).
    # Each has the type its declaration checked above (Any: mypy cannot see that a key names a str attribute).
    named: dict[str, Any] = {key: FIELDS[key].empty() for key in declared if key in Term.__dataclass_fields__}
    named.update((key, value) for key, value in values if key in named)
    term = Term(
        id=entry["id"],
        hant=entry["hant"].strip(),
        hans=entry["hans"].strip(),
        pinyin=entry["pinyin"].strip(),
        en=entry["en"].strip(),
        abbr=entry.get("abbr", "").strip(),
        aliases=tuple(a.strip() for a in entry.get("aliases", [])),
        category=entry["category"],
        definition_zh=entry["definition_zh"].strip(),
        definition_en=entry["definition_en"].strip(),
        see_also=tuple(entry.get("see_also", [])),
        line=where.line,
        en_variants=tuple(v.strip() for v in entry.get("en_variants", [])),
        misspellings=tuple(m.strip() for m in entry.get("misspellings", [])),
        en_note=entry.get("en_note", "").strip(),
        wrong_en=tuple(w.strip() for w in entry.get("wrong_en", [])),
        reference=entry.get("reference", False),
        fields=tuple((key, value) for key, value in values if key not in named),
        **named,
    )
    if not TERM_ID.fullmatch(term.id):
        raise TekanError(f"id {term.id!r} must be lowercase ASCII letters, digits and hyphens", where, Kind.glossary)
    if term.category not in CATEGORIES:
        raise TekanError(f"category {term.category!r} is not one of: {', '.join(CATEGORIES)}", where, Kind.glossary)
    for form in (term.hans, *term.linkable):
        if not form:
            raise TekanError("empty alias or misspelling", where, Kind.glossary)
        if _MARKUP.search(form):
            raise TekanError(f"{form!r} holds a backtick, angle bracket or line break", where, Kind.glossary)
    for variant in (*term.en_variants, *term.wrong_en):
        if not variant or _MARKUP.search(variant):
            raise TekanError(f"English variant {variant!r} is empty or holds markup", where, Kind.glossary)
    for wrong in term.wrong_en:
        if wrong.casefold() in {form.casefold() for form in (term.en, *term.en_variants)}:
            raise TekanError(f"wrong_en {wrong!r} is also an accepted English form", where, Kind.glossary)
    for form in term.linkable:
        if _CURLY_QUOTES.search(form):
            message = f"{form!r}: write the quotation marks as the Traditional text prints them, 「 」 or 『 』"
            raise TekanError(message, where, Kind.glossary)
    if len(set(term.linkable)) != len(term.linkable):
        raise TekanError("an alias or misspelling is listed twice or repeats the headword", where, Kind.glossary)
    return term


def _consistency_errors(terms: list[Term], path: Path) -> list[TekanError]:
    """Errors between entries: duplicate ids, forms claimed by two terms (in either script), bad see_also."""
    from .scripts import to_hans

    errors: list[TekanError] = []
    seen: dict[str, Term] = {}
    owner: dict[str, Term] = {}  # every Traditional linkable string → its term
    owner_hans: dict[str, Term] = {}  # every Simplified linkable string → its term
    for term in terms:
        where = Location(path, term.line)
        if term.id in seen:
            errors.append(TekanError(f"duplicate id {term.id!r} (line {seen[term.id].line})", where, Kind.glossary))
            continue
        seen[term.id] = term
        for form in term.linkable:
            other = owner.setdefault(form, term)
            if other is not term:
                what = "headword" if form == other.hant else "alias"
                errors.append(
                    TekanError(
                        f"{form!r} is already the {what} of {other.id!r} (line {other.line})", where, Kind.glossary
                    )
                )
        # The Simplified edition links the written-out Simplified headword and the converted aliases.
        for form in dict.fromkeys((term.hans, *(to_hans(a) for a in term.linkable[1:]))):
            other = owner_hans.setdefault(form, term)
            if other is not term and not any(e.location == where for e in errors):
                errors.append(
                    TekanError(
                        f"Simplified form {form!r} collides with {other.id!r} (line {other.line})", where, Kind.glossary
                    )
                )
    for term in terms:
        where = Location(path, term.line)
        for ref in term.see_also:
            if ref == term.id:
                errors.append(TekanError("see_also names the entry itself", where, Kind.glossary))
            elif ref not in seen:
                errors.append(TekanError(f"see_also names unknown id {ref!r}", where, Kind.glossary))
    return errors


def glossary_forms(glossary: Glossary, script: str = "hant") -> dict[str, str]:
    """Every string that links to a term in the edition ``script`` → the term's id.

    Reference entries link nowhere: they are looked up from other entries (several are everyday words in another
    sense, as 認可 is "approval" outside conformity assessment)."""
    from .normalise import corner_quotes

    edition = EDITIONS[script]
    forms: dict[str, str] = {}
    for term in glossary.terms:
        if term.reference:
            continue
        forms[edition.headword(term.hant, term.hans)] = term.id
        for form in term.linkable[1:]:  # aliases and misspellings are written in Traditional, as seeds print them
            forms.setdefault(edition.in_script(form), term.id)
            if edition.script == "hant":  # “四大”底線 as the normalised Traditional text prints it: 「四大」底線
                forms.setdefault(corner_quotes(form), term.id)
    return forms


#: Words inside which no term is linked, one per line (Traditional): compounds that name another concept
#: (計量標準 is a measurement standard, not a 標準).
UNLINKED = Path(__file__).parent / "data" / "unlinked-words.txt"


#: A company named at the start of a clause (安徽國科檢測科技有限公司為我們…): Han characters from a punctuation mark
#: or the start of the paragraph to a company's ending, in either script.
_COMPANY = re.compile(
    r"(?:^|(?<=[，。；：、！？「」『』“”‘’（）《》,.;:!?()\s]))([\u3400-\u9fff]{2,14}?(?:公司|集團|集团))"
)
#: Characters that say a run is a clause, not a name (質量提升得益於某科技公司): such a run is left alone.
_NOT_IN_NAMES = frozenset("的與与和為为在由向對对是把被讓让從从以及於于並并將将得")


def protected_names(publication: Publication, script: str = "hant") -> tuple[str, ...]:
    """What the linker of a book's text never links inside: organisations' names — its speakers' organisations and
    the companies its paragraphs name at the start of a clause (安徽國科檢測科技有限公司 is a name, not 檢測) — and
    the compounds of ``UNLINKED`` (in ``script``)."""
    from .datafiles import read_columns

    edition = EDITIONS[script]
    words = [edition.in_script(word) for (word,) in read_columns(UNLINKED, 1, "one word")]
    organisations = [st.attribution.organisation for st in publication.statements]
    companies = [
        match[1]
        for st in publication.statements
        for paragraph in st.paragraphs
        if "公司" in paragraph or "集團" in paragraph or "集团" in paragraph  # what _COMPANY ends with
        for match in _COMPANY.finditer(paragraph)
        if not _NOT_IN_NAMES & set(match[1][:-2])
    ]
    return tuple(dict.fromkeys(name for name in (*organisations, *companies, *words) if len(name) > 1))


def term_linker(
    glossary: Glossary, script: str = "hant", memo: FileMemo[list[int]] | None = None, names: Iterable[str] = ()
) -> Linker:
    """The linker of the statements: the glossary's forms in ``script``, matched on jieba's word boundaries.

    ``names`` (:func:`protected_names`) are kept whole and never linked. ``memo`` remembers the forms' places in each
    text (found on word boundaries); its key must stand for :func:`linker_inputs`.
    """
    from .scripts import hans_characters, to_hans
    from .segmenting import boundary_finder, in_block

    forms = glossary_forms(glossary, script)
    names = [name for name in names if name not in forms]
    words = [*forms, *names]
    if script == "hans":
        return Linker.build(forms, boundary_finder(words), names, memo)
    hans_words = [to_hans(word) for word in words]
    return Linker.build(forms, boundary_finder(hans_words, to_hans, hans_characters(in_block)), names, memo)


def linker_inputs(glossary: Glossary, script: str, names: Iterable[str] = ()) -> str:
    """What the word boundaries :func:`term_linker` finds depend on besides the text (a memo's key)."""
    import json

    return json.dumps([script, glossary_forms(glossary, script), list(names)], ensure_ascii=False, sort_keys=True)


def printed_texts(publication: Publication) -> list[str]:
    """What a book prints that may hold a glossary term: its paragraphs (linked), its bylines and its masthead
    (a position such as 黨組書記, the conference's name)."""
    return [
        *(part for statement in publication.statements for part in statement.paragraphs),
        publication.masthead,
        *(statement.attribution.raw for statement in publication.statements),
    ]


def used_terms(glossary: Glossary, publications: Iterable[Publication], script: str) -> set[str]:
    """The ids of the terms the linker of ``script`` finds in the publications' text (written in that script).

    Every term the linker finds in any text (each text's terms are remembered from build to build, in
    :data:`USED_TERMS_MEMO_FILE`: an edit segments its own text at most)."""
    publications = list(publications)
    names = [name for p in publications for name in protected_names(p, script)]
    forms = glossary_forms(glossary, script)
    memo = used_terms_memo(linker_inputs(glossary, script, names))
    used: set[str] = set()
    fresh: list[str] = []
    for text in (text for p in publications for text in printed_texts(p)):
        known = memo.recall(text)
        if known is None:
            fresh.append(text)
        else:
            used.update(known)
    linker: Linker | None = None

    def terms_in(text: str) -> list[str]:
        nonlocal linker
        if linker is None:
            linker = term_linker(glossary, script, names=names)
        return sorted({term for _, _, term in linker.occurrences(text)})

    # Only a text that holds a form of a term not yet found is segmented (jieba is the cost: 5 s for 1,600
    # statements when every text was; a long book finds most of its terms in its first pages).
    rest = sorted((f for f, term in forms.items() if term not in used), key=len, reverse=True)
    waiting = re.compile("|".join(re.escape(form) for form in rest)) if rest else None
    for text in fresh:
        if waiting is None:
            break
        if waiting.search(text) is None:
            continue
        found = set(memo.get(text, terms_in)) - used
        if found:
            used |= found
            rest = sorted((f for f, term in forms.items() if term not in used), key=len, reverse=True)
            waiting = re.compile("|".join(re.escape(form) for form in rest)) if rest else None
    memo.save()
    return used


#: The terms found in each text by :func:`used_terms`, in the user's cache folder.
USED_TERMS_MEMO_FILE = "used-terms-memo.pickle"


def used_terms_memo(inputs: str) -> FileMemo[list[str]]:
    """The memo of :func:`used_terms`, valid for the linker's ``inputs`` (:func:`linker_inputs`) and its code."""
    from .memo import SEGMENTING_PACKAGES, code_digest, keyed_file, versions
    from .segmenting import cache_dir

    code = ("glossary.py", "linking.py", "segmenting.py", "scripts.py")
    key = code_digest(code, inputs, versions(*SEGMENTING_PACKAGES))
    return FileMemo(keyed_file(cache_dir(), USED_TERMS_MEMO_FILE, key), key)


def book_glossary(
    glossary: Glossary, publications: Iterable[Publication], script: str, choice: GlossaryChoice | None = None
) -> Glossary:
    """The entries a book prints: those its text uses and the entries their see-also names, plus those the
    metadata's ``[glossary]`` table includes (every entry with ``all = true``). A glossary file is a library:
    the book of one feature prints its own few terms, never the whole file. See-also references to entries not
    printed are dropped; ``unused`` names the entries printed though the text does not use them."""
    used = used_terms(glossary, publications, script)
    choice = choice or GlossaryChoice()
    unknown = [ref for ref in choice.include if ref not in glossary.by_id]
    if unknown:
        raise TekanError(
            f"[glossary] include names {', '.join(map(repr, unknown))}, not an id of {glossary.source.name} "
            f"({glossary.source})",
            choice.where or glossary.source,
            Kind.metadata,
        )
    if choice.all:
        wanted = set(glossary.by_id)
    else:
        wanted = used | set(choice.include) | {ref for term_id in used for ref in glossary.by_id[term_id].see_also}
    terms = tuple(
        replace(term, see_also=tuple(ref for ref in term.see_also if ref in wanted))
        for term in glossary.terms
        if term.id in wanted
    )
    return Glossary(terms, glossary.source, unused=frozenset(wanted - used))


def glossary_problems(glossary: Glossary, publications: Iterable[Publication]) -> list[Problem]:
    """Warnings that need the statements or a dictionary: unused terms and aliases, doubtful pinyin,
    Simplified forms that differ from the converted Traditional, English terms listed twice.

    A term is used when the pages link it (body text as normalised, on word boundaries) or the book prints it in a
    byline or the masthead (a position such as 黨組書記, the conference's name). Reference entries need not occur."""
    from .normalise import normalise_seed
    from .scripts import to_hans, to_hant

    # Each seed's text in both scripts: a Simplified seed is matched against the Traditional forms once converted.
    texts: dict[str, list[str]] = {"hant": [], "hans": []}
    for printed in publications:
        # The text as the pages link it: normalised (「四大」底線 where a Traditional seed prints “四大”底線).
        publication = printed if printed.normalised else normalise_seed(printed)
        own = [
            *(part for statement in publication.statements for part in statement.paragraphs),  # linked body text
            publication.masthead,  # printed: a position such as 黨組書記, the conference's name
            *(statement.attribution.raw for statement in publication.statements),
        ]
        texts["hant"] += own if publication.script == "hant" else [to_hant(text) for text in own]
        texts["hans"] += own if publication.script == "hans" else [to_hans(text) for text in own]
    used_hant = _linked_forms(term_linker(glossary, "hant"), texts["hant"])
    used_hans = _linked_forms(term_linker(glossary, "hans"), texts["hans"])
    problems: list[Problem] = []
    english: dict[str, Term] = {}
    for term in glossary.terms:
        where = Location(glossary.source, term.line)

        def warn(message: str, kind: Kind = Kind.glossary, where: Location = where) -> None:
            problems.append(Problem(message, where, kind))

        forms = term.linkable
        if term.reference:  # a concept the definitions lean on: its forms link where a text prints them
            pass
        elif not any(form in used_hant for form in forms):
            warn(f"term {term.id!r} ({term.hant}) occurs in no statement", Kind.unused_term)
        else:
            for alias in term.aliases:
                if alias not in used_hant:
                    warn(f"alias {alias!r} of {term.id!r} is never linked in a statement", Kind.unused_term)
            if not any(form in used_hans for form in (term.hans, *(to_hans(a) for a in term.linkable[1:]))):
                warn(f"term {term.id!r} is never linked in the Simplified edition: check hans = {term.hans!r}")
        converted = to_hans(term.hant)
        if converted != term.hans:
            warn(f"hans {term.hans!r} differs from the converted headword {converted!r}; check it is intended")
        for message in pinyin_problems(term):
            warn(message)
        if _EXPLANATION.search(term.en):
            warn(f"English term {term.en!r} holds an explanation in brackets: give the term alone, the rest in en_note")
        key = term.en.casefold()
        if key in english:
            warn(f"English term {term.en!r} is also that of {english[key].id!r} (line {english[key].line})")
        english.setdefault(key, term)
    return problems


def _linked_forms(linker: Linker, paragraphs: list[str]) -> set[str]:
    """The forms the linker actually matches in the paragraphs (on word boundaries, as on the pages)."""
    return {text[start:end] for text in paragraphs for start, end, _ in linker.occurrences(text)}


def shown_aliases(term: Term, edition: Edition | str) -> list[str]:
    """The variants a reader sees under 又作 in an edition (or its key): the aliases, never the misspellings, without
    the ones that convert to the headword or to each other (首台套 and 首臺套 are one form in Simplified)."""
    if isinstance(edition, str):
        edition = EDITIONS[edition]
    headword = edition.headword(term.hant, term.hans)
    aliases = [edition.in_script(a) for a in term.aliases]
    return [a for a in dict.fromkeys(aliases) if a != headword]


def pinyin_problems(term: Term) -> list[str]:
    """Doubts about a term's pinyin: odd characters, syllables without tone or with two, letters or tones that
    differ from the dictionary reading of the Simplified headword (an unmarked syllable is accepted where the dictionary
    has a neutral tone, and so is a marked one: 子 is neutral in 桌子 but zǐ in 原子)."""
    from pypinyin import Style, lazy_pinyin  # imported late: only `tekan check` needs it

    text = unicodedata.normalize("NFD", term.pinyin.lower())
    letters: list[tuple[str, int]] = []  # (letter, tone mark on it or 0)
    for char in text:
        if "a" <= char <= "z":
            letters.append((char, 0))
        elif char == "\u0308" and letters and letters[-1][0] == "u":  # ü
            letters[-1] = ("v", letters[-1][1])
        elif char in _TONE_MARKS and letters:
            letters[-1] = (letters[-1][0], _TONE_MARKS[char])
        elif char not in _PINYIN_SEPARATORS:
            return [f"pinyin {term.pinyin!r} holds {char!r}, which is not Hanyu Pinyin"]
    if not any(tone for _, tone in letters):
        return [f"pinyin {term.pinyin!r} has no tone marks"]
    expected = lazy_pinyin(term.hans, style=Style.TONE3, neutral_tone_with_five=True, errors="ignore")
    plain = "".join(letter for letter, _ in letters)
    if plain != "".join(s[:-1] for s in expected):
        reading = " ".join(lazy_pinyin(term.hans, style=Style.TONE, errors="ignore"))
        return [f"pinyin {term.pinyin!r} differs from the usual reading {reading!r} of {term.hans}; check polyphones"]
    problems = []
    position = 0
    for syllable in expected:
        marks = [tone for _, tone in letters[position : position + len(syllable) - 1] if tone]
        position += len(syllable) - 1
        if len(marks) > 1:
            problems.append(f"pinyin {term.pinyin!r}: syllable {syllable[:-1]!r} has {len(marks)} tone marks")
        elif marks and marks[0] != int(syllable[-1]) and syllable[-1] != "5":
            problems.append(
                f"pinyin {term.pinyin!r}: {syllable[:-1]!r} has tone {marks[0]}, the dictionary says "
                f"{syllable[-1]}; check polyphones"
            )
    return problems


def _plain(pinyin: str) -> str:
    """Pinyin without tone marks, spaces, hyphens or apostrophes, lowercase; ü is written v."""
    decomposed = unicodedata.normalize("NFD", pinyin.lower()).replace("u\u0308", "v")
    return "".join(c for c in decomposed if "a" <= c <= "z")


_TONE_MARKS = {"\u0304": 1, "\u0301": 2, "\u030c": 3, "\u0300": 4}


def pinyin_sort_key(term: Term) -> tuple[str, str, str]:
    """Dictionary order: letters first (ü after u), then the tones in order (unmarked word = 5), then the headword."""
    tones = []
    for syllable in re.split(r"[\s'’,-]+", term.pinyin.lower()):
        marks = [str(_TONE_MARKS[c]) for c in unicodedata.normalize("NFD", syllable) if c in _TONE_MARKS]
        tones.append("".join(marks) or "5")
    return _plain(term.pinyin), "".join(tones), term.hant


def initial(term: Term) -> str:
    """The letter heading a term is filed under in the pinyin-ordered glossary."""
    plain = _plain(term.pinyin)
    return plain[0].upper() if plain else "#"


#: Morphemes of the field: a word holding one is quality-infrastructure, standardization, metrology,
#: conformity-assessment, regulation or policy vocabulary (Traditional; the seed's script).
FIELD_MORPHEMES = (
    "質量",
    "品質",
    "標準",
    "計量",
    "測量",
    "測試",
    "檢驗",
    "檢測",
    "抽檢",
    "抽查",
    "質檢",
    "認證",
    "認可",
    "合格",
    "監管",
    "監督",
    "督查",
    "考核",
    "安全",
    "品牌",
    "規劃",
    "戰略",
    "體系",
    "機制",
    "治理",
    "產業",
    "製造",
    "技術",
    "創新",
    "科技",
    "服務",
    "管理",
    "管控",
    "規則",
    "追溯",
    "信用",
    "許可",
    "改革",
    "發展",
    "示範",
    "行動",
    "工程",
    "平臺",
)


#: Words that a pair of words holding them is a phrase, not a term: function words and the statements' verbs.
_NOT_IN_TERMS = frozenset(
    {
        "的",
        "和",
        "與",
        "及",
        "是",
        "在",
        "為",
        "把",
        "將",
        "了",
        "等",
        "向",
        "從",
        "對",
        "由",
        "以",
        "並",
        "並且",
        "也",
        "又",
        "更",
        "更加",
        "不斷",
        "持續",
        "積極",
        "全面",
        "加快",
        "深入",
        "進一步",
        "推動",
        "推進",
        "打造",
        "實現",
        "提升",
        "提高",
        "加強",
        "強化",
        "開展",
        "深入開展",
        "形成",
        "促進",
        "堅持",
        "構建",
        "助力",
        "引領",
        "服務",
        "建設",
        "建立",
        "完善",
        "發揮",
        "支撐",
        "成為",
        "作為",
        "讓",
        "使",
        "要",
        "能",
        "可以",
        "必須",
        "通過",
        "圍繞",
        "面向",
        "擦亮",
        "增強",
        "培育",
        "夯實",
        "落實",
        "創造",
        "貢獻",
        "邁出",
        "高質量",
    }
)


def candidate_terms(
    glossary: Glossary, publications: Iterable[Publication], limit: int = 20, minimum: int = 2
) -> list[tuple[str, int]]:
    """Words of the statements that look like the field's vocabulary and are not in the glossary, ranked.

    The text is cut by jieba's own dictionary; a candidate is a word or two adjacent words (質量+提升) that holds a
    field morpheme (``FIELD_MORPHEMES``), is not a morpheme alone, and occurs at least ``minimum`` times outside
    the glossary's links (as the pages link them). Ranked by occurrences, then length (longer is more specific).
    """
    from .scripts import to_hans
    from .segmenting import tokenizer

    linker = term_linker(glossary, "hant")
    cutter = tokenizer()
    counts: dict[str, int] = {}
    for publication in publications:
        for statement in publication.statements:
            for text in (statement.headline, *statement.paragraphs):
                simplified = to_hans(text)
                if len(simplified) != len(text):
                    continue
                links = [(start, end) for start, end, _ in linker.occurrences(text)]
                tokens = [(start, end) for _, start, end in cutter.tokenize(simplified, HMM=False)]
                pairs = [
                    (a[0], b[1])
                    for a, b in pairwise(tokens)
                    if a[1] - a[0] > 1
                    and b[1] - b[0] > 1
                    and not {text[a[0] : a[1]], text[b[0] : b[1]]} & _NOT_IN_TERMS
                ]
                for start, end in tokens + pairs:
                    word = text[start:end]
                    inside_a_link = any(s <= start and end <= e for s, e in links)
                    if 1 < len(word) <= 8 and _is_han(word) and not inside_a_link:
                        counts[word] = counts.get(word, 0) + 1
    candidates = [
        (word, n)
        for word, n in counts.items()
        if n >= minimum and word not in FIELD_MORPHEMES and any(morpheme in word for morpheme in FIELD_MORPHEMES)
    ]
    candidates.sort(key=lambda item: (-item[1], -len(item[0]), item[0]))
    return candidates[:limit]


def _is_han(word: str) -> bool:
    return all("\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff" for char in word)
