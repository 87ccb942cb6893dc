"""The extension's own files and its default configuration, so a book's conf.py is one line.

The templates, static files and message catalogs live in ``theme/`` inside the package and are
registered here (the way sphinx-design registers its static folder); every Sphinx setting a Tekan book
needs gets its default at ``config-inited`` unless the book's conf.py or ``-D`` set it; the book's
identity (title, author, copyright line) comes from its metadata, in the edition's script.
"""

from __future__ import annotations

import gettext
from io import BytesIO
from pathlib import Path
from typing import Any

from sphinx import locale
from sphinx import package_dir as sphinx_dir
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util.i18n import CatalogRepository

from .. import __version__
from ..book import identity, translated_identity
from ..editions import BASENAME, EDITIONS, Edition
from ..files import write_if_changed
from .config import edition_of, set_default, user_set
from .glossary import is_site
from .pages import load_for

THEME = Path(__file__).resolve().parent / "theme"
TEMPLATES = THEME / "templates"
STATIC = THEME / "static"
LOCALE = THEME / "locale"


def selected_edition(config: Config) -> Edition:
    """The edition named by ``tekan_target`` (``-D`` first, then conf.py); Traditional when unnamed.

    Read before the option is registered: the UI language must be known while extensions load.
    """
    import json

    value = config.overrides.get("tekan_target") or config._raw_config.get("tekan_target") or {}
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            value = {}  # reported with the field's name at config-inited (tekan.sphinxext.config)
    key = value.get("edition", "hant") if isinstance(value, dict) else getattr(value, "edition", EDITIONS["hant"])
    if isinstance(key, Edition):
        return key
    return EDITIONS.get(str(key), EDITIONS["hant"])  # an unknown key is reported at config-inited


def defaults(edition: Edition, version: str) -> dict[str, Any]:
    """Every setting a Tekan book needs, as the book's conf.py could write it."""
    return {
        "version": version,
        "release": version,
        "exclude_patterns": ["_build", "README.md", "**/.*"],
        # Seed text is data: no syntax extensions beyond the defaults, no typographic rewriting.
        "myst_enable_extensions": [],
        "myst_heading_anchors": 0,
        "smartquotes": False,
        "nitpicky": True,
        # HTML (furo)
        "html_theme": "furo",
        "html_last_updated_fmt": None,
        "html_show_sourcelink": False,
        "html_copy_source": False,
        # Sphinx's general index would repeat the glossary's entries, English and Chinese untagged in one list:
        # the glossary (pinyin order) and the English index are the book's indexes, as in the EPUB.
        "html_use_index": False,
        "html_theme_options": {
            "navigation_with_keys": True,
            "light_css_variables": {
                "font-stack": edition.fonts.web_sans,
                "font-stack--headings": edition.fonts.web_serif,
            },
        },
        # EPUB: title, author, publisher, identifier, cover and language are set by tekan.sphinxext.epub
        "epub_basename": BASENAME,  # an all-Chinese project name would give "sphinx.epub"
        "epub_uid": "bookid",  # the XML id of dc:identifier (must be an XML name)
        "epub_tocscope": "includehidden",  # the home page's toctree is hidden; the nav must still list sectors
        "epub_tocdepth": 2,  # sectors → statements
        "epub_tocdup": False,
        "epub_show_urls": "no",
        "epub_use_index": False,  # the glossary (pinyin order) and the English index are the book's indexes
        "epub_css_files": ["tekan-epub.css"],  # not "epub.css": that is the epub theme's own sheet
        "epub_exclude_files": ["_static/tekan.css"],
        # LaTeX: fonts, title page, PDF metadata and preamble are set by tekan.sphinxext.latex
        "latex_show_urls": "no",
        "latex_show_pagerefs": False,
        "latex_domain_indices": False,
    }


def apply_defaults(app: Sphinx, config: Config) -> None:
    """Fill in every default the book did not set; register the package's templates and static files."""
    for name, value in defaults(edition_of(config), __version__).items():
        set_default(config, name, value)
    # Appended: a book's own templates and static files win over the package's.
    if str(TEMPLATES) not in map(str, config.templates_path):
        config.templates_path = [*config.templates_path, str(TEMPLATES)]
    if str(STATIC) not in map(str, config.html_static_path):
        config.html_static_path = [*config.html_static_path, str(STATIC)]


def apply_identity(app: Sphinx, config: Config) -> None:
    """Title, author and copyright line from the book's metadata (in the edition's script) unless conf.py names them."""
    edition = edition_of(config)
    publication = load_for(app).publication  # already in the edition's script
    book = translated_identity(publication) if edition.translated else identity(publication)
    for name, value in (
        ("project", book.title),
        ("author", book.author),
        ("copyright", book.copyright),
        ("html_title", book.short_title),
    ):
        setattr(config, name, edition.in_script(getattr(config, name)) if user_set(config, name) else value)


def add_site_css(app: Sphinx) -> None:
    """The site's style sheet, for the website only (the EPUB has its own, tekan-epub.css)."""
    if is_site(app.builder):
        app.add_css_file("tekan.css")


def install_catalogs(app: Sphinx, edition: Edition) -> None:
    """The UI language of the edition, with the package's catalog (furo's strings Sphinx lacks) first.

    Sphinx reads catalogs before extensions load, so when the language changes here (or to put the
    package's words before Sphinx's own) the ``sphinx`` translator is rebuilt.
    """
    config = app.config
    if not user_set(config, "language"):
        config.language = edition.sphinx_language
    language = config.language
    # Not added to locale_dirs: Sphinx would compile the catalogs into the installed package.
    locale.translators.pop(("general", "sphinx"), None)
    users = CatalogRepository(app.srcdir, config.locale_dirs, language, config.source_encoding)
    base, _ = locale.init([*users.locale_dirs, None, sphinx_dir / "locale"], language)
    po = LOCALE / str(language) / "LC_MESSAGES" / "sphinx.po"
    translator = base
    if po.is_file():
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        compiled = BytesIO()
        with po.open("rb") as source:
            write_mo(compiled, read_po(source, locale=str(language)))
        compiled.seek(0)
        translator = gettext.GNUTranslations(compiled)
        translator.add_fallback(base)
    locale.translators["general", "sphinx"] = translator
    app.translator = translator


def replace_search_catalog(app: Sphinx, exception: Exception | None) -> None:
    """The package's JavaScript catalog of the search page (Sphinx's lacks a message) for the website."""
    catalog = LOCALE / str(app.config.language) / "LC_MESSAGES" / "sphinx.js"
    target = Path(app.outdir) / "_static" / "translations.js"
    if exception is None and is_site(app.builder) and catalog.is_file() and target.is_file():
        write_if_changed(target, catalog.read_text(encoding="utf-8"))


def setup_defaults(app: Sphinx) -> None:
    """MyST, the UI language and catalogs, the default settings, the package's files, the book's identity."""
    app.setup_extension("myst_parser")
    install_catalogs(app, selected_edition(app.config))
    app.connect("config-inited", apply_defaults, priority=100)
    app.connect("config-inited", apply_identity, priority=550)  # after the target is checked (50)
    app.connect("builder-inited", add_site_css)
    app.connect("build-finished", replace_search_catalog)
