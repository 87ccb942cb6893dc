"""The pages of the translated (English) edition and the parallel (對照) pages of the Chinese editions, as MyST.

Both take the statements' translations from their catalogs (``tekan.translation``). English text is escaped
exactly as seed text is (it is data); its glossary terms link to the same entries as the Chinese, found by
their English forms (:class:`tekan.translation.EnglishLinker`).
"""

from __future__ import annotations

from collections.abc import Mapping

from .editions import ParallelWords, TranslatedWords
from .languages import chinese_runs
from .linking import Linker, Segment
from .model import Publication, Sector, Statement, Translation
from .rendering import (
    data_line,
    escape,
    front_matter,
    parallel_row,
    render_byline,
    render_segments,
    sector_doc,
    statement_doc,
    yaml_string,
)
from .translation import EnglishLinker

#: The folder of the parallel pages in the Chinese editions: ``parallel/<slug>``.
PARALLEL_DIR = "parallel"


def parallel_doc(statement: Statement) -> str:
    """The page name of a statement's parallel page."""
    return f"{PARALLEL_DIR}/{statement.meta.slug}"


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
        first[:160] or meta.headline_en,
        meta.person_pinyin or statement.attribution.raw,
        (f"tekan_number: {statement.number}", f"tekan_sector: {yaml_string(meta.sector)}"),
    )
    lines = [*front, "", f"({meta.slug})=", f"# {escape(meta.headline_en or statement.headline)}", ""]
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
    lines = [f"(sector-{sector.id})=", f"# {escape(sector.en)}", ""]
    lines += ["```{tekan-chinese}", data_line(sector.zh), "```", ""]
    lines += ["```{toctree}", ":maxdepth: 1", "", *(f"/{statement_doc(st)}" for st in statements), "```", ""]
    return "\n".join(lines)


def render_translated_index(publication: Publication, words: TranslatedWords, glossary_doc: str) -> str:
    """The translated edition's home page: English title and description, the statements by sector."""
    meta = publication.meta
    title = meta.title_en or meta.title
    lines = front_matter(meta.description_en or title)
    lines += ["", "(home)=", f"# {escape(title)}", "", "```{tekan-chinese}", data_line(meta.title), "```", ""]
    if meta.description_en:
        lines += [escape(meta.description_en), ""]
    lines += ["```{tekan-translation-note}", data_line(words.note), "```", ""]
    groups = publication.by_sector()
    for sector, statements in groups:
        lines += [f"(home-{sector.id})=", f"## {escape(sector.en)}", ""]
        for st in statements:
            who = ", ".join(p for p in (st.meta.person_pinyin, st.meta.organisation_en) if p)
            lines.append(f"- [{escape(st.meta.headline_en or st.headline)}]({statement_doc(st)}.md)  ")
            lines.append(f"  {escape(who or st.attribution.raw)}")
        lines.append("")
    lines += ["```{toctree}", ":hidden:", f":caption: {words.contents}", ""]
    lines += [*(f"/{sector_doc(sector)}" for sector, _ in groups), f"/{glossary_doc}", "```", ""]
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
) -> dict[str, str]:
    """Every page of the translated edition: relative path (with ``.md``) → MyST text."""
    words = words or TranslatedWords()
    pages = {"index.md": render_translated_index(publication, words, glossary_doc)}
    for sector, statements in publication.by_sector():
        pages[f"{sector_doc(sector)}.md"] = render_translated_sector(sector, statements, words)
        for statement in statements:
            translation = translations.get(statement.meta.slug)
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
    lines = ["---", "orphan: true", "---", "", f"(parallel-{meta.slug})=", f"# {escape(statement.headline)}", ""]
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
        f"{parallel_doc(st)}.md": render_parallel(st, translations[st.meta.slug], linker, english, words)
        for st in publication.statements
        if st.meta.slug in translations
    }
