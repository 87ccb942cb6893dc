"""The pages of the translated (English) edition and the parallel (對照) pages of the Chinese editions, as MyST.

Both take the statements' translations from their catalogs (``tekan.translation``). English text is escaped
exactly as seed text is (it is data); its glossary terms link to the same entries as the Chinese, found by
their English forms (:class:`tekan.translation.EnglishLinker`).
"""

from __future__ import annotations

from collections.abc import Mapping

from .editions import EN, Edition, ParallelWords, TranslatedWords
from .languages import chinese_runs
from .linking import Linker, Segment
from .model import Publication, Sector, Statement, Translation
from .rendering import (
    data_line,
    escape,
    feature_doc,
    feature_of,
    front_matter,
    page_label,
    page_link,
    parallel_row,
    render_byline,
    render_segments,
    sector_doc,
    statement_doc,
    statement_key,
    statement_label,
    yaml_string,
)
from .translation import EnglishLinker

#: The folder of the parallel pages in the Chinese editions: ``parallel/<slug>``.
PARALLEL_DIR = "parallel"


def parallel_doc(statement: Statement) -> str:
    """The page name of a statement's parallel page (in a collection, inside its feature's folder)."""
    page = f"{PARALLEL_DIR}/{statement.meta.slug}"
    return f"{statement.meta.feature}/{page}" if statement.meta.feature else page


def english_paragraphs(
    statement: Statement, translation: Translation | None, linker: EnglishLinker, missing: str
) -> list[str]:
    """A statement's English paragraphs as MyST, terms linked (first occurrence); ``missing`` for one not translated."""
    texts = list(translation.paragraphs) if translation else [""] * len(statement.paragraphs)
    linked = linker.link([t for t in texts if t])
    rendered = iter(render_segments(segments) for segments in linked)
    return [next(rendered) if text else f"*{escape(missing)}*" for text in texts]


def english_with_chinese(text: str) -> str:
    """English text as MyST, the Chinese it quotes (高多附加值) in ``{tekan-zh}`` roles so it is tagged Chinese."""
    return "".join(f"{{tekan-zh}}`{run}`" if chinese else escape(run) for run, chinese in chinese_runs(text))


def render_translated_statement(
    statement: Statement, translation: Translation | None, linker: EnglishLinker, words: TranslatedWords
) -> str:
    """A statement page of the translated edition: English headline, the Chinese one beside, body, byline.

    The translators' note is on the home page, once, where the reader of the edition starts (the first page of
    the EPUB and the PDF), not before every statement."""
    meta = statement.meta
    first = translation.paragraphs[0] if translation and translation.paragraphs else ""
    front = front_matter(
        # Never empty (docutils refuses an empty meta description): a draft has neither translation nor headline_en.
        first[:160] or meta.headline_en or statement.headline,
        meta.person_pinyin or statement.attribution.raw,
        (f"tekan_number: {statement.number}", f"tekan_sector: {yaml_string(meta.sector)}"),
    )
    title = escape(meta.headline_en or statement.headline)
    lines = [*front, "", f"({statement_label(statement)})=", f"# {title}", ""]
    lines += ["```{tekan-chinese}", data_line(statement.headline), "```", ""]
    footnotes: list[str] = []  # the editors' notes on the source's text, as the Chinese editions give them
    for number, paragraph in enumerate(english_paragraphs(statement, translation, linker, words.missing), start=1):
        for _, note in [n for n in meta.editor_notes_en if n[0] == number]:
            footnotes.append(f"[^ed-{len(footnotes) + 1}]: {english_with_chinese(note)}")
            paragraph += f"[^ed-{len(footnotes)}]"
        lines += [paragraph, ""]
    lines += render_byline(statement, english_first=True)
    return "\n".join([*lines, *([*footnotes, ""] if footnotes else [])])


def render_translated_sector(sector: Sector, statements: list[Statement], words: TranslatedWords) -> str:
    """A sector's part page in the translated edition."""
    lines = [f"({page_label(sector.feature, f'sector-{sector.id}')})=", f"# {escape(sector.en or sector.zh)}", ""]
    lines += ["```{tekan-chinese}", data_line(sector.zh), "```", ""]
    lines += ["```{toctree}", ":maxdepth: 1", "", *(f"/{statement_doc(st)}" for st in statements), "```", ""]
    return "\n".join(lines)


def render_translated_index(
    publication: Publication, words: TranslatedWords, glossary_doc: str, feature: str = "", edition: Edition = EN
) -> str:
    """The translated edition's home page (or a feature's, in a collection): English title and description, the
    statements by sector. A feature's page also gives its masthead and date; its contents are its sectors."""
    meta = publication.meta
    here = feature_doc(feature)
    title = meta.title_en or meta.title
    lines = front_matter(meta.description_en or title)
    lines += ["", f"({page_label(feature, 'home')})=", f"# {escape(title)}", ""]
    lines += ["```{tekan-chinese}", data_line(meta.title), "```", ""]
    if feature:  # the feature's masthead as printed, and its date
        lines += ["```{tekan-chinese}", data_line(publication.masthead), "```", ""] if publication.masthead else []
        lines += [escape(edition.date(meta.date)), ""] if meta.date else []
    if meta.description_en:
        lines += [escape(meta.description_en), ""]
    if not feature:
        lines += ["```{tekan-translation-note}", data_line(words.note), "```", ""]
    groups = publication.by_sector()
    for sector, statements in groups:
        lines += [f"({page_label(feature, f'home-{sector.id}')})=", f"## {escape(sector.en or sector.zh)}", ""]
        for st in statements:
            who = ", ".join(p for p in (st.meta.person_pinyin, st.meta.organisation_en) if p)
            lines.append(f"- [{escape(st.meta.headline_en or st.headline)}]({page_link(statement_doc(st), here)})  ")
            lines.append(f"  {escape(who or st.attribution.raw)}")
        lines.append("")
    lines += ["```{toctree}", ":hidden:", f":caption: {words.contents}", ""]
    lines += [*(f"/{sector_doc(sector)}" for sector, _ in groups), *([] if feature else [f"/{glossary_doc}"]), "```"]
    return "\n".join([*lines, ""])


def render_translated_collection_index(
    collection: Publication,
    features: tuple[Publication, ...],
    words: TranslatedWords,
    glossary_doc: str,
    edition: Edition = EN,
) -> str:
    """The translated edition's home page of a collection: its English title, and each feature with its English
    title, the Chinese beside it, its date and size."""
    meta = collection.meta
    title = meta.title_en or meta.title
    lines = front_matter(meta.description_en or title)
    lines += ["", "(home)=", f"# {escape(title)}", "", "```{tekan-chinese}", data_line(meta.title), "```", ""]
    if meta.description_en:
        lines += [escape(meta.description_en), ""]
    lines += ["```{tekan-translation-note}", data_line(words.note), "```", ""]
    ids = [feature_of(feature) for feature in features]
    for fid, feature in zip(ids, features, strict=True):
        if not fid:
            continue
        english = feature.meta.title_en or feature.meta.title
        count = len(feature.statements)
        size = f"{count} {words.statement if count == 1 else words.statements}"
        facts = ", ".join(p for p in (edition.date(feature.meta.date) if feature.meta.date else "", size) if p)
        lines += [f"- [{escape(english)}]({page_link(feature_doc(fid), 'index')})  ", f"  {escape(facts)}"]
        if feature.meta.title_en:
            lines += ["", "  ```{tekan-chinese}", f"  {data_line(feature.meta.title)}", "  ```", ""]
    lines += ["", "```{toctree}", ":hidden:", f":caption: {words.contents}", ""]
    lines += [*(f"/{feature_doc(fid)}" for fid in ids if fid), f"/{glossary_doc}", "```", ""]
    return "\n".join(lines)


def render_translated_glossary(words: TranslatedWords, glossary_doc: str) -> str:
    """The translated edition's glossary page (entries in English order, from ``tekan-glossary``)."""
    intro = escape(words.glossary_intro)
    return "\n".join([f"({glossary_doc})=", f"# {words.glossary}", "", intro, "", "```{tekan-glossary}", "```", ""])


def render_translated_book(
    publication: Publication,
    translations: Mapping[str, Translation],
    linker: EnglishLinker,
    glossary_doc: str,
    words: TranslatedWords | None = None,
    features: tuple[Publication, ...] = (),
    edition: Edition = EN,
) -> dict[str, str]:
    """Every page of the translated edition: relative path (with ``.md``) → MyST text. A collection (``features``)
    has its home page and glossary at the top and each feature's home, sectors and statements in its folder, as
    the Chinese editions do."""
    words = words or TranslatedWords()
    if features:
        pages = {"index.md": render_translated_collection_index(publication, features, words, glossary_doc, edition)}
    else:
        pages = {"index.md": render_translated_index(publication, words, glossary_doc)}
    for feature in features:
        fid = feature_of(feature)
        if fid:
            pages[f"{feature_doc(fid)}.md"] = render_translated_index(feature, words, glossary_doc, fid, edition)
    for sector, statements in publication.by_sector():
        pages[f"{sector_doc(sector)}.md"] = render_translated_sector(sector, statements, words)
        for statement in statements:
            translation = translations.get(statement_key(statement))
            pages[f"{statement_doc(statement)}.md"] = render_translated_statement(statement, translation, linker, words)
    pages[f"{glossary_doc}.md"] = render_translated_glossary(words, glossary_doc)
    return pages


def render_parallel(
    statement: Statement,
    translation: Translation | None,
    linker: Linker,
    english: EnglishLinker,
    words: ParallelWords,
) -> str:
    """A statement's parallel page: each Chinese paragraph beside (wide screens) or above (narrow) its English."""
    meta = statement.meta
    label = f"parallel-{statement_label(statement)}"
    lines = ["---", "orphan: true", "---", "", f"({label})=", f"# {escape(statement.headline)}", ""]
    if meta.headline_en:
        lines += ["```{tekan-english}", data_line(meta.headline_en), "```", ""]
    lines += ["```{tekan-translation-note}", data_line(words.note), "```", ""]
    chinese: list[list[Segment]] = linker.link(statement.paragraphs)
    english_texts = english_paragraphs(statement, translation, english, words.missing)
    for number, (segments, text) in enumerate(zip(chinese, english_texts, strict=True), start=1):
        lines += parallel_row(number, render_segments(segments), text)
    return "\n".join([*lines, *render_byline(statement)])


def render_parallel_pages(
    publication: Publication,
    translations: Mapping[str, Translation],
    linker: Linker,
    english: EnglishLinker,
    words: ParallelWords | None = None,
) -> dict[str, str]:
    """The parallel page of every statement that has a translation: relative path → MyST text."""
    words = words or ParallelWords()
    return {
        f"{parallel_doc(st)}.md": render_parallel(st, translations[statement_key(st)], linker, english, words)
        for st in publication.statements
        if statement_key(st) in translations
    }
