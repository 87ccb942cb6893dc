"""LaTeX-only glue: a print book from Sphinx's LaTeX builder (XeLaTeX, Noto CJK, A5).

At ``config-inited`` the LaTeX settings are filled from the book's metadata and the edition's script
(fonts, title page, PDF metadata); the static design is ``tekan/data/tekanbook.sty``. At
``doctree-resolved`` the assembled book gets its LaTeX-only shape: the glossary and the English index
move into an appendix part, the English headlines and bylines become styled environments, and the
index gets one entry per glossary term with a pinyin sort key (makeindex sorts bytes, so Chinese
keys would be grouped by their first UTF-8 byte).
"""

from __future__ import annotations

import os
import re
import time
import uuid
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.builders.latex.nodes import footnotemark, footnotetext
from sphinx.config import Config

from ..editions import BASENAME, HANS, HANT, Edition
from ..glossary import pinyin_sort_key
from ..model import Term
from ..rendering import feature_doc, sector_doc, statement_doc
from ..texescape import index_text, tex
from .config import book_of, get_target, set_default
from .pages import load_for

#: The print design, copied next to the .tex file.
STYLE = Path(__file__).resolve().parents[1] / "data" / "tekanbook.sty"
#: Paper and margins: A5, inner margin wider for binding.
GEOMETRY = (
    r"\usepackage[a5paper,top=18mm,bottom=20mm,inner=19mm,outer=15mm,"
    r"headheight=14pt,headsep=5mm,footskip=9mm]{geometry}"
)
#: Links in dark red: visible on screen, close to black in print.
LINK = "{rgb}{0.3,0.05,0.1}"


def _translated_title_page(meta: Any, chinese_title: str, edition: Edition) -> dict[str, str]:
    """The English edition's title page: the English title and description first, the Chinese second."""
    english = meta.title_en.partition(": ")[2] or meta.title_en
    return {
        "tekantitle": english or chinese_title,
        "tekantitleen": chinese_title,
        "tekanpublisher": meta.publisher_en or meta.publisher,
        "tekandate": edition.date(meta.date),
        "tekandescription": meta.description_en,
        "tekandescriptionen": "",
    }


#: The English edition: parts numbered 1, 2, 3; glossary terms as plain words in the link colour (tekanbook's
#: character-by-character underline is for Chinese: it would drop the spaces of English words and break them
#: between any two letters).
TRANSLATED_PREAMBLE = [r"\renewcommand{\thepart}{\arabic{part}}", r"\protected\def\sphinxtermref#1{#1}"]
#: In English text, quotes, dashes and the ellipsis are Latin punctuation, not full-width CJK marks.
LATIN_PUNCTUATION = r'\xeCJKDeclareCharClass{Default}{"2013,"2014,"2018,"2019,"201C,"201D,"2026}'
#: The parallel print of a Chinese edition (the target's ``parallel`` variant): each paragraph and its translation side
#: by side in two columns that paracol keeps in step, a thin rule between them. The English column is set as English:
#: Latin punctuation (the character classes change inside the column's group only), proportional quotes, ragged right,
#: glossary terms as plain words (the Chinese underline would break English words between any two letters).
PARALLEL_PREAMBLE = [
    r"\usepackage{paracol}",
    r"\usepackage{ragged2e}",
    r"\globalcounter*",  # footnotes, pages, chapters: one count for the book, not one per column
    r"\columnratio{0.44}",
    r"\setlength{\columnsep}{1.4em}",
    r"\setlength{\columnseprule}{0.3pt}",
    r"\colseprulecolor{tekangrey}",
    r"\newenvironment{sphinxclasstekan-parallel-en}",
    r"  {\par\begingroup\small\setlength{\parindent}{0pt}\RaggedRight\addfontfeatures{RawFeature=+pwid}"
    + LATIN_PUNCTUATION
    + r"\xeCJKsetup{CJKglue={\hskip 0pt}}\protected\def\sphinxtermref##1{##1}}",
    r"  {\par\endgroup}",
    r"\newcommand{\tekanparallelend}{\end{paracol}\par\vspace{0.4\baselineskip}}",
]


def latex_fonts(edition: Edition) -> str:
    """fontspec/xeCJK set-up: Noto CJK for Chinese and for Latin (pinyin tone marks included)."""
    fonts = {"serif": edition.fonts.serif, "sans": edition.fonts.sans, "mono": edition.fonts.mono}
    # Seed text is printed as typed: no TeX ligatures (`` → “, " → ”, -- → –), and every glyph run
    # carries its source text (ActualText), so copying from the PDF gives back the seed's characters.
    slant = "AutoFakeSlant=0.18,Ligatures=TeXOff"
    translated = edition.translated
    # English text: Noto CJK's proportional quotes and dashes (OpenType pwid), set as Latin punctuation.
    latin = f"{slant},RawFeature=+pwid" if translated else slant
    return "\n".join(
        [
            r"\XeTeXgenerateactualtext=1",
            r"\usepackage{fontspec}",
            r"\usepackage[CJKmath=true]{xeCJK}",
            rf"\setmainfont{{{fonts['serif']}}}[{latin},BoldFont={{* Bold}}]",
            rf"\setsansfont{{{fonts['sans']}}}[{latin},BoldFont={{* Bold}}]",
            rf"\setmonofont{{{fonts['mono']}}}[{slant}]",
            rf"\setCJKmainfont{{{fonts['serif']}}}[{slant},BoldFont={{* Bold}}]",
            rf"\setCJKsansfont{{{fonts['sans']}}}[{slant},BoldFont={{* Bold}}]",
            rf"\setCJKmonofont{{{fonts['mono']}}}[{slant}]",
            *other_script_fonts(edition),
            *([LATIN_PUNCTUATION] if translated else []),
        ]
    )


def other_script_fonts(edition: Edition) -> list[str]:
    """Text tagged with the other script (``language-zh-Hans`` in the Traditional edition, e.g. a glossary
    entry's Simplified form) gets that script's Noto face, so its glyphs follow its own conventions."""
    other = HANT if edition.script == "hans" else HANS
    tag = edition.other_script_tag
    return [
        rf"\newCJKfontfamily\tekanotherscript{{{other.fonts.serif}}}[BoldFont={{* Bold}}]",
        rf"\expandafter\newcommand\csname DUrolelanguage-{tag.lower()}\endcsname[1]{{{{\tekanotherscript #1}}}}",
        rf"\expandafter\newcommand\csname DUrolelanguage-{tag}\endcsname[1]{{{{\tekanotherscript #1}}}}",
    ]


#: XMP metadata from the \hypersetup keys (hyperxmp, after hyperref). hyperxmp writes its packet at
#: \end{document}, once Sphinx's last page (the index) has gone out, and the packet is lost: write it
#: with the last page instead. hyperxmp also drops /Author from the Info dictionary (readers such as
#: pdfinfo and many viewers still read it there): keep it.
XMP = r"""\usepackage{hyperxmp}
\makeatletter
\let\hyxmp@no@info@lists\relax
\let\tekan@embedxmp\hyxmp@embed@packet
\let\hyxmp@embed@packet\relax
\AddToHook{shipout/lastpage}{\hyxmp@auto@assign@data\tekan@embedxmp}
\makeatother"""


def _reproducible_dates() -> list[str]:
    """hyperref's creation and modification dates from SOURCE_DATE_EPOCH, when it is set: xdvipdfmx honours it
    for the Info dictionary, but the XMP packet would otherwise carry the time of the build."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if not epoch.isdigit():
        return []
    stamp = time.strftime("D:%Y%m%d%H%M%SZ", time.gmtime(int(epoch)))
    return [f"pdfcreationdate={{{stamp}}}", f"pdfmoddate={{{stamp}}}"]


def configure_latex(app: Sphinx, config: Config) -> None:
    """Fill latex_documents and latex_elements from the book's metadata and the edition's script."""
    book = load_for(app)
    meta = book.publication.meta
    target = get_target(app)
    edition = target.edition
    words = edition.pages
    title = (meta.title_en if edition.translated else "") or meta.title or book.publication.masthead
    parallel = target.variant.parallel  # validated with the target: a Chinese edition's
    variant = edition.parallel.title
    masthead, _, short = title.partition("·")
    if not short:
        masthead, short = book.publication.masthead, title
    author = config.author
    # Sphinx inserts the title and author as LaTeX markup: they are escaped here.
    set_default(
        config, "latex_documents", [(config.root_doc, f"{BASENAME}.tex", tex(title), tex(author), "manual", True)]
    )
    set_default(config, "latex_engine", "xelatex")
    set_default(config, "latex_use_xindy", False)
    set_default(config, "latex_toplevel_sectioning", "part")
    config.latex_additional_files = [*config.latex_additional_files, str(STYLE)]
    macros = {
        "tekanmasthead": book.publication.masthead,
        "tekantitle": short,
        "tekantitleen": meta.title_en,
        "tekanpublisher": meta.publisher,
        "tekandate": edition.date(meta.date),
        "tekandescription": meta.description_zh,
        "tekandescriptionen": meta.description_en,
        **(
            _translated_title_page(meta, meta.title.partition("·")[2] or meta.title, edition)
            if edition.translated
            else {}
        ),
        # The parallel print says so on its title page: 中英對照.
        "tekanvariant": variant if parallel else "",
        # The identifier (a urn:) is for catalogues and the EPUB's package, not for a reader of the imprint.
        "tekanimprint": " · ".join(x for x in (meta.publisher_en, meta.date) if x),
        "tekancontentsname": words.contents,
        "tekanindexname": edition.print.index,
        "tekanappendixname": edition.print.appendix,
    }
    del masthead
    definitions = "\n".join(rf"\newcommand{{\{name}}}{{{tex(value)}}}" for name, value in macros.items())
    part_name = rf"{tex(edition.print.part_before)}\thepart{{}}{tex(edition.print.part_after)}"
    identifier = f"{meta.identifier}:{edition.folder}" if meta.identifier else ""  # as the EPUB's
    pdf = ", ".join(
        [
            f"pdftitle={{{tex(title)}{tex('（' + variant + '）') if parallel else ''}}}",
            f"pdfauthor={{{tex(author)}}}",
            f"pdfsubject={{{tex(meta.title_en)}}}",
            f"pdflang={{{edition.tag}}}",  # the catalog's /Lang, and dc:language in the XMP
            "pdfcreator={Tekan (Sphinx, XeLaTeX)}",
            # XMP metadata (hyperxmp): what a library catalogue or a PDF/A validator reads, not the Info dict.
            *([f"pdfdate={{{meta.date}}}"] if meta.date else []),
            *([f"pdfpublisher={{{tex(meta.publisher)}}}"] if meta.publisher else []),
            *([f"pdfidentifier={{{tex(identifier)}}}"] if identifier else []),
            # Fixed ids (hyperxmp draws random ones): the same book gives the same bytes.
            f"pdfdocumentid={{uuid:{uuid.uuid5(uuid.NAMESPACE_URL, identifier or title)}}}",
            f"pdfinstanceid={{uuid:{uuid.uuid5(uuid.NAMESPACE_URL, (identifier or title) + ':' + config.version)}}}",
            f"pdfcopyright={{{tex(config.copyright)}}}",
            "pdfpubtype=book",
            *_reproducible_dates(),
            f"pdfmetalang={{{edition.tag}}}",
            "bookmarksnumbered=false",
            "bookmarksopen=true",
            "bookmarksopenlevel=0",
        ]
    )
    config.latex_elements = {
        "papersize": "a5paper",
        "pointsize": "10pt",
        "classoptions": ",openany",
        "babel": "",
        "polyglossia": "",
        "fontenc": "",
        "fontpkg": latex_fonts(edition),
        "fncychap": "",
        "geometry": GEOMETRY,
        "sphinxsetup": f"TitleColor={{rgb}}{{0,0,0}}, InnerLinkColor={LINK}, OuterLinkColor={LINK}",
        "releasename": "",
        "maketitle": r"\tekanmaketitle",
        "preamble": "\n".join(
            [
                definitions,
                rf"\newcommand{{\tekanpartname}}{{{part_name}}}",
                r"\usepackage{tekanbook}",
                XMP,
                rf"\hypersetup{{{pdf}}}",
                *(TRANSLATED_PREAMBLE if edition.translated else []),
                *(PARALLEL_PREAMBLE if parallel else []),
            ]
        ),
        **config.latex_elements,
    }


# --- the assembled book ------------------------------------------------------------------------


def _owners(tree: nodes.Node, docname: str = "") -> dict[int, str]:
    """id(node) → the document it came from, in a book assembled by ``inline_all_toctrees`` (which
    moves children into ``start_of_file`` nodes without updating their ``parent``, so walk down)."""
    owners: dict[int, str] = {}
    stack: list[tuple[nodes.Node, str]] = [(tree, docname)]
    while stack:
        node, owner = stack.pop()
        owners[id(node)] = owner
        if isinstance(node, addnodes.start_of_file):
            owner = str(node["docname"])
        stack.extend((child, owner) for child in node.children)
    return owners


#: Curly quotes in English text → TeX's ligature quotes (fontspec's Ligatures=TeX makes them curly again).
ENGLISH_QUOTES = {"\u2019": "'", "\u2018": "`", "\u201c": "``", "\u201d": "''"}


def _in_english(node: nodes.Node) -> bool:
    """Inside English text of a Chinese page (not a parallel column: it sets its own punctuation as Latin)."""
    parent = node.parent
    while parent is not None and not isinstance(parent, (nodes.section, addnodes.start_of_file)):
        classes: list[str] = parent.get("classes", [])
        if "tekan-parallel-en" in classes:
            return False
        if "language-en" in classes:
            return True
        parent = parent.parent
    return False


def parallel_columns(doctree: nodes.document) -> None:
    """Each parallel row (a paragraph and its translation) as two paracol columns: Chinese left, English right."""
    for row in list(doctree.findall(nodes.container)):
        if "tekan-parallel-row" not in row["classes"]:
            continue
        sides = {
            side: [
                c for c in row.children if isinstance(c, nodes.container) and f"tekan-parallel-{side}" in c["classes"]
            ]
            for side in ("zh", "en")
        }
        if len(sides["zh"]) != 1 or len(sides["en"]) != 1:
            continue
        # A footnote (an editor's note) cannot be set inside a column (Sphinx's footnote environment and paracol
        # clash): its mark stays in the text, its text follows the row, as Sphinx does for footnotes in tables.
        texts = [_footnote_after(footnote) for footnote in list(row.findall(nodes.footnote))]
        row.replace_self(
            [
                nodes.raw("", r"\begin{paracol}{2}", format="latex"),
                sides["zh"][0],
                nodes.raw("", r"\switchcolumn", format="latex"),
                sides["en"][0],
                nodes.raw("", r"\tekanparallelend", format="latex"),
                *texts,
            ]
        )


def _footnote_after(footnote: nodes.footnote) -> nodes.Element:
    """Replace a footnote (Sphinx has moved it to where it is referred to) by its mark; return its text."""
    number = footnote[0].astext() if isinstance(footnote[0], nodes.label) else ""
    footnote.replace_self(footnotemark("", number, refid=footnote["ids"][0] if footnote["ids"] else ""))
    return footnotetext("", *footnote.children, ids=footnote["ids"])


def index_key(term: Term) -> str:
    """makeindex sort key of a term: plain pinyin, tone digits, then the id (ASCII only)."""
    plain, tones, _ = pinyin_sort_key(term)
    return f"{plain}{tones}{term.id}".replace("-", "")


def _index_entry(term: Term, edition: Edition, main: bool) -> nodes.raw:
    headword = edition.headword(term.hant, term.hans)
    entry = rf"\index{{{index_key(term)}@\spxentry{{{index_text(headword)}}}{'|spxpagem' if main else ''}}}"
    return nodes.raw("", entry, format="latex")


#: Paragraphs in English that may quote Chinese: set in the ``tekan-en-block`` environment (no CJK glue stretch).
ENGLISH_BLOCKS = frozenset({"tekan-definition-en", "tekan-usage", "tekan-source"})


def shape_book(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Give the assembled LaTeX book its print shape (appendix, styled paragraphs, pinyin index)."""
    if app.builder.name != "latex":
        return
    book = book_of(app.env)
    terms = book.glossary.by_id
    edition = book.edition
    statements = {statement_doc(st) for st in book.publication.statements}
    # Index: the glossary's own entries (main, bold page) and every use in a statement.
    for index in list(doctree.findall(addnodes.index)):
        anchors = {tid for _, _, tid, _, _ in index["entries"]}
        ids = [a.removeprefix("term-") for a in anchors if a.startswith("term-") and a.removeprefix("term-") in terms]
        if ids:
            index.replace_self([_index_entry(terms[i], edition, main=True) for i in sorted(set(ids))])
    owners = _owners(doctree)
    for ref in list(doctree.findall(nodes.reference)):
        uri = ref.get("refuri", "")
        anchor = uri.partition("#")[2]
        term_id = anchor.removeprefix("term-")
        if anchor.startswith("term-") and term_id in terms and owners.get(id(ref)) in statements:
            ref.parent.insert(ref.parent.index(ref) + 1, _index_entry(terms[term_id], edition, main=False))
    # English headlines and the English byline: environments the style file defines.
    for paragraph in list(doctree.findall(nodes.paragraph)):
        classes = paragraph["classes"]
        if "tekan-english" in classes and not isinstance(paragraph.parent, nodes.container):
            paragraph.replace_self(nodes.container("", paragraph.deepcopy(), classes=["tekan-english"]))
        elif "tekan-byline-en" in classes:
            paragraph.replace_self(nodes.container("", paragraph.deepcopy(), classes=["tekan-byline-en"]))
        elif classes and set(classes) & ENGLISH_BLOCKS and not isinstance(paragraph.parent, nodes.container):
            paragraph.replace_self(nodes.container("", paragraph.deepcopy(), classes=["tekan-en-block"]))
    for items in list(doctree.findall(nodes.bullet_list)):
        if "tekan-english-index" in items["classes"]:
            items.replace_self(nodes.container("", items.deepcopy(), classes=["tekan-en-block"]))
    parallel_columns(doctree)
    # English text: xeCJK sets ’ and “” as full-width Chinese punctuation; TeX quotes use the Latin font.
    for text in list(doctree.findall(nodes.Text)):
        if _in_english(text) and any(q in text for q in ENGLISH_QUOTES):
            pieces: list[nodes.Node] = []
            for piece in re.split(f"([{''.join(ENGLISH_QUOTES)}])", str(text)):
                if piece in ENGLISH_QUOTES:  # raw: Sphinx would escape ' as \textquotesingle
                    pieces.append(nodes.raw("", ENGLISH_QUOTES[piece], format="latex"))
                elif piece:
                    pieces.append(nodes.Text(piece))
            text.parent.replace(text, pieces)
    # Tables break across pages (a table taller than an A5 page would run off it).
    for table in doctree.findall(nodes.table):
        if "longtable" not in table["classes"]:
            table["classes"].append("longtable")
    # Back matter: whatever the home page lists after the sectors or features (glossary, English index …) becomes
    # a chapter of an appendix part.
    # In a collection the home page lists features (parts, each with its sectors and statements) instead.
    if book.features:
        parts = {feature_doc(st.meta.feature) for st in book.publication.statements}
    else:
        parts = {sector_doc(s) for s in book.publication.meta.sectors}
    top = [sof for sof in doctree.findall(addnodes.start_of_file) if owners.get(id(sof)) == ""]
    back = [sof for sof in top if sof["docname"] not in parts]
    if back:
        parent = back[0].parent  # the top-level section: its children are set by Sphinx, so their parent is right
        position = parent.index(back[0])
        for sof in back:
            parent.remove(sof)
        wrapper = nodes.section()  # no title: it only lowers the back matter's headings by one level
        wrapper.extend(back)
        parent.insert(position, [nodes.raw("", r"\tekanappendix", format="latex"), wrapper])


def setup_latex(app: Sphinx) -> None:
    """Connect the LaTeX hooks (they do nothing for other builders)."""
    app.connect("config-inited", configure_latex, priority=600)
    app.connect("doctree-resolved", shape_book)
