"""Canaries: each third-party internal Tekan still relies on, checked where it lives, so an upgrade that changes
it fails here (with the name of what to change) rather than as a wrong book. Each names the public API or the
upstream change that would retire it; the README's "Third-party internals" lists them. (furo's navigation tree:
tests/test_navigation.py; Sphinx's doctree cache: tests/test_memory.py.)"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.sphinx


def test_sphinx_keeps_the_conf_py_namespace_in_raw_config(tmp_path: Path) -> None:
    """``tekan.sphinxext.config.user_set`` asks whether conf.py set a value (so Tekan's defaults never overwrite
    it) through ``Config._raw_config``. Retired by a public question on Sphinx's Config ("was this value set by
    conf.py or -D?", e.g. ``Config.is_set(name)``), which Sphinx does not have (sphinx-doc/sphinx, to propose)."""
    from sphinx.config import Config

    (tmp_path / "conf.py").write_text("project = 'x'\n", encoding="utf-8")
    from sphinx.util.tags import Tags

    config = Config.read(tmp_path, overrides={"language": "fr"}, tags=Tags())
    assert config._raw_config["project"] == "x" and "language" in config.overrides
    assert "copyright" not in config._raw_config


def test_sphinx_keeps_its_translators_in_a_module_dict() -> None:
    """``tekan.sphinxext.defaults.install_catalogs`` puts the package's catalog (furo's words Sphinx lacks)
    before Sphinx's own by replacing ``sphinx.locale.translators[("general", "sphinx")]``. Retired when furo ships
    translations of its own labels (pradyunsg/furo, its open translation request), or by a Sphinx API that adds a
    catalog to the ``sphinx`` domain."""
    from sphinx import locale

    assert isinstance(locale.translators, dict)
    source = inspect.getsource(locale.get_translator)
    assert "translators" in source and "(namespace, catalog)" in source


def test_sphinx_rewrites_the_pages_whose_toctree_lists_a_changed_page_from_files_to_rebuild() -> None:
    """``tekan.sphinxext.incremental.write_what_changed`` empties ``env.files_to_rebuild`` while writing, so an
    edited statement does not rewrite every page whose toctree lists it. Retired by a Sphinx option not to
    rewrite toctree parents (their bytes change only with the navigation, which Tekan handles itself)."""
    from sphinx.environment import BuildEnvironment

    assert "files_to_rebuild" in inspect.getsource(BuildEnvironment.get_outdated_files) + inspect.getsource(
        BuildEnvironment
    )
    from sphinx.builders import Builder

    assert "files_to_rebuild" in inspect.getsource(Builder)


def test_opencc_ships_its_character_table_as_a_text_file() -> None:
    """``tekan.sphinxext.search.char_table`` reads OpenCC's ``dictionary/TSCharacters.txt`` (one character per
    line: the character, a tab, its candidates) to index each character in the other script. Retired by a public
    table in opencc (or by converting each character with ``OpenCC("t2s").convert``, slower at start-up)."""
    import opencc

    path = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    first = path.read_text(encoding="utf-8").splitlines()[0]
    source, tab, candidates = first.partition("\t")
    assert tab and len(source) == 1 and candidates


def test_jieba_keeps_its_prefix_dictionary_in_freq_and_total() -> None:
    """``tekan.segmenting`` splits jieba's prefix dictionary (``Tokenizer.FREQ``, ``Tokenizer.total``, the file
    ``DEFAULT_DICT_NAME`` beside the module) into a per-character cache, so a process does not unmarshal 500,000
    entries. Retired by a lazily loaded dictionary in jieba itself (fxsjy/jieba has no release since 0.42.1)."""
    import jieba

    assert (Path(jieba.__file__).parent / jieba.DEFAULT_DICT_NAME).is_file()
    tokenizer = jieba.Tokenizer()
    for name in ("FREQ", "total", "initialize"):
        assert hasattr(tokenizer, name), name


def test_furo_writes_the_english_labels_tekan_translates() -> None:
    """``tekan.sphinxext.accessibility`` replaces furo's fixed English aria labels and icon titles (and names its
    two drawers) in each page's HTML: every label an edition translates must still be in furo's templates.
    Retired when furo translates its own labels (they are not in any catalog)."""
    import furo

    from tekan.editions import HANT

    package = Path(furo.__file__).parent
    templates = "".join(p.read_text(encoding="utf-8") for p in [*package.rglob("*.html"), *package.glob("*.py")])
    missing = [english for english, _ in HANT.access.theme if english not in templates]
    assert missing == []
    assert '<aside class="sidebar-drawer">' in templates and '<aside class="toc-drawer' in templates
    assert "Toggle navigation of" in templates


def test_sphinx_writes_the_epub_package_tekan_completes() -> None:
    """``tekan.epub`` completes Sphinx's OPF, navigation document and NCX by rewriting the files Sphinx's epub
    builder writes from its own templates (``content.opf_t``, ``nav.xhtml_t``, ``toc.ncx_t``), which a book cannot
    override. Retired by overridable EPUB templates in Sphinx, or options for the metadata Tekan adds
    (dcterms:modified, accessibility metadata, landmarks)."""
    import sphinx

    templates = Path(sphinx.__file__).parent / "templates" / "epub3"
    opf = (templates / "content.opf.jinja").read_text(encoding="utf-8")
    nav = (templates / "nav.xhtml.jinja").read_text(encoding="utf-8")
    ncx = (templates / "toc.ncx.jinja").read_text(encoding="utf-8")
    assert "<dc:title>" in opf and "<dc:contributor>" in opf and "<dc:date>" in opf and "<itemref idref=" in opf
    assert '<nav epub:type="toc"' in nav and "<title>" in nav
    assert re.search(r'<meta name="dtb:uid" content="', ncx)


def test_sphinxext_opengraph_writes_a_relative_og_url_without_a_site_url() -> None:
    """``tekan.sphinxext.sitemeta.page_links`` drops the ``og:url`` line sphinxext-opengraph writes when the site's
    URL is unknown (a relative og:url is invalid). Retired by an opengraph option to leave og:url out."""
    from sphinxext import opengraph

    assert "og:url" in inspect.getsource(opengraph)


def test_sphinx_search_keeps_the_loaded_index_in_search_index() -> None:
    """tekan.sphinxext.search's query expansion reads the loaded index from ``Search._index`` in Sphinx's
    ``searchtools.js``. Retired by a public accessor of the loaded index (or a query hook) in Sphinx's search."""
    import sphinx

    script = (Path(sphinx.__file__).parent / "themes" / "basic" / "static" / "searchtools.js").read_text(
        encoding="utf-8"
    )
    assert "_index" in script and "setIndex" in script


def test_sphinx_makes_each_pages_settings_through_one_module_function() -> None:
    """``tekan.sphinxext.settings`` replaces ``sphinx.util.docutils._get_settings`` (looked up when a page is read)
    with one that makes the settings once per build. Retired by docutils caching its option parsers."""
    import sphinx.util.docutils as sphinx_docutils

    assert "_get_settings(" in inspect.getsource(sphinx_docutils._parse_str_to_doctree)
    parameters = inspect.signature(sphinx_docutils._get_settings).parameters
    assert list(parameters) == ["components", "defaults", "read_config_files"]


def test_the_kept_settings_are_those_sphinx_makes_each_with_its_own_dependencies() -> None:
    from docutils.parsers.rst import Parser
    from docutils.readers import standalone

    from tekan.sphinxext import settings

    original = settings._ORIGINAL_GET_SETTINGS
    if original is None:  # no Sphinx application set the module up in this process yet
        import sphinx.util.docutils as sphinx_docutils

        original = settings._ORIGINAL_GET_SETTINGS = sphinx_docutils._get_settings
    defaults = {"traceback": True, "env": object(), "smartquotes_locales": [], "tab_width": 4}
    made = original(standalone.Reader, Parser(), defaults=defaults, read_config_files=True)
    first = settings.get_settings(standalone.Reader, Parser(), defaults=defaults, read_config_files=True)
    second = settings.get_settings(standalone.Reader, Parser(), defaults=dict(defaults), read_config_files=True)
    assert first is not second and first.record_dependencies is not second.record_dependencies
    assert first.record_dependencies.list == [] and first.env is defaults["env"]
    assert {k: v for k, v in vars(first).items() if k != "record_dependencies"} == {
        k: v for k, v in vars(made).items() if k != "record_dependencies"
    }
    first.record_dependencies.add("a.txt")
    assert second.record_dependencies.list == []


def test_myst_makes_a_document_it_does_not_use_for_every_page() -> None:
    """``tekan.sphinxext.settings`` replaces MyST's ``make_document`` (one new option parser a page) with one that
    makes the default settings once: MyST uses that document only where it is given none (Sphinx always gives one)
    and replaces its settings at once for reStructuredText blocks. Retired when MyST makes it only when needed."""
    from myst_parser.mdit_to_docutils import base

    assert 'options.get("document", make_document())' in inspect.getsource(base.DocutilsRenderer.setup_render)
    source = inspect.getsource(base.DocutilsRenderer.render_restructuredtext)
    assert "newdoc = make_document()" in source and "newdoc.settings = self.document.settings" in source


def test_sphinx_announces_each_purge_of_a_page_right_before_it() -> None:
    """``tekan.sphinxext.purge`` learns at ``env-purge-doc`` whether the environment ever read the page, and its
    standard domain skips the scan for one it never read: each ``clear_doc`` of the builder must follow that event."""
    from sphinx.builders import Builder

    source = inspect.getsource(Builder)
    purges = source.count("self.env.clear_doc(docname)")
    assert purges >= 2
    paired = "self.events.emit('env-purge-doc', self.env, docname)\n            self.env.clear_doc(docname)"
    assert source.count(paired) == purges


@pytest.mark.sphinx("html", testroot="book")
def test_a_page_read_before_is_purged_and_one_never_read_is_not_scanned(app) -> None:  # type: ignore[no-untyped-def]
    from tekan.sphinxext.purge import FreshPagesStandardDomain

    app.build()
    domain = app.env.domains.standard_domain
    assert isinstance(domain, FreshPagesStandardDomain)
    page = "statements/han-yongsheng"
    assert any(docname == page for docname, _, _ in domain.labels.values())
    app.events.emit("env-purge-doc", app.env, "statements/not-a-page")
    assert domain.unread == "statements/not-a-page"
    app.env.clear_doc("statements/not-a-page")
    assert domain.unread is None
    app.events.emit("env-purge-doc", app.env, page)
    app.env.clear_doc(page)
    assert not any(docname == page for docname, _, _ in domain.labels.values())


@pytest.mark.sphinx("html", testroot="book", parallel=2)
def test_a_parallel_build_merges_what_the_workers_read(app) -> None:  # type: ignore[no-untyped-def]
    """Each worker's standard domain data has the shape Sphinx's merge expects (the terms' table, which Sphinx's
    own scan makes on first use), though no page was scanned."""
    app.build()
    assert app.warning.getvalue().strip() == ""
    labels = app.env.domains.standard_domain.labels
    assert any(docname == "statements/han-yongsheng" for docname, _, _ in labels.values())


def test_sphinx_toc_collector_purges_what_tekan_purges_for_a_page_never_read() -> None:
    """``tekan.sphinxext.purge.clear_toc`` stands in for ``TocTreeCollector.clear_doc`` at ``env-purge-doc``: for a
    page never read it clears the same tables but skips the pass over ``files_to_rebuild`` (only a page's reading adds
    it there). Retired by Sphinx skipping that pass itself (sphinx-doc/sphinx, to propose)."""
    import sphinx.environment
    from sphinx.environment.adapters import toctree as toctree_adapter
    from sphinx.environment.collectors import EnvironmentCollector
    from sphinx.environment.collectors.toctree import TocTreeCollector

    from tekan.sphinxext import purge

    cleared = set(re.findall(r"env\.(\w+)\.(?:pop|discard)\(docname", inspect.getsource(TocTreeCollector.clear_doc)))
    ours = set(re.findall(r"env\.(\w+)\.(?:pop|discard)\(docname", inspect.getsource(purge.clear_toc)))
    tables = set(re.findall(r"env\.(\w+)", inspect.getsource(purge.clear_toc).split("for table in (")[1].split(")")[0]))
    assert cleared == ours | tables, "TocTreeCollector.clear_doc clears other tables: update clear_toc"
    assert "files_to_rebuild" in inspect.getsource(TocTreeCollector.clear_doc)
    # The includers' lists name the page being read (the toctree's own page) and, after a parallel read, the pages
    # the workers read.
    source = inspect.getsource(toctree_adapter.note_toctree)
    assert "env.files_to_rebuild.setdefault(include_file, set()).add(docname)" in source
    added = "".join(line for line in inspect.getsource(sphinx.environment).splitlines() if "files_to_rebuild" in line)
    assert "files_to_rebuild[" not in added and ".add(" not in added
    assert "'env-purge-doc': app.connect('env-purge-doc', self.clear_doc)" in inspect.getsource(
        EnvironmentCollector.enable
    )


class _CountedTable(dict):  # type: ignore[type-arg]  # any keys: a stand-in for env.files_to_rebuild
    """A dict that counts how often it is gone through."""

    passes = 0

    def items(self):  # type: ignore[no-untyped-def,override]  # dict's own, counted
        type(self).passes += 1
        return super().items()


@pytest.mark.sphinx("html", testroot="book")
def test_a_page_never_read_is_not_looked_for_in_every_toctree(app) -> None:  # type: ignore[no-untyped-def]
    """The purge of a page never read leaves ``files_to_rebuild`` unread; a page read before is taken out of it."""
    app.build()
    env = app.env
    page = "index"  # a page whose toctree includes others: it is in their lists of includers
    assert any(page in includers for includers in env.files_to_rebuild.values()) and page in env.tocs
    env.files_to_rebuild = _CountedTable(env.files_to_rebuild)
    app.events.emit("env-purge-doc", env, "statements/not-a-page")
    assert _CountedTable.passes == 0
    app.events.emit("env-purge-doc", env, page)
    assert _CountedTable.passes == 1
    assert page not in env.tocs and not any(page in includers for includers in env.files_to_rebuild.values())


def test_myst_reads_front_matter_with_yaml_safe_load() -> None:
    """``tekan.sphinxext.settings`` makes ``yaml.safe_load`` read through libyaml: MyST must still read a page's front
    matter with it, twice. Retired when MyST reads YAML with libyaml when it can (executablebooks/MyST-Parser, to
    propose)."""
    from myst_parser.config import main
    from myst_parser.mdit_to_docutils import base

    assert "yaml.safe_load(" in inspect.getsource(main.read_topmatter)
    assert "yaml.safe_load(token.content)" in inspect.getsource(base.DocutilsRenderer.render_front_matter)
    assert base.yaml.safe_load is __import__("yaml").safe_load  # the module, not a name imported from it


def test_myst_makes_a_markdown_parser_for_every_page_from_settings_without_html_meta() -> None:
    """``tekan.sphinxext.reading`` replaces ``create_md_parser`` where MyST's Sphinx parser looks it up (a module
    global, called once a page) with one that keeps the parser for settings equal but for ``html_meta``, which the
    parser does not read (its renderer reads the page's settings from the ``myst_config`` option, set for each
    page). Retired when MyST keeps its parser between documents (executablebooks/MyST-Parser, to propose)."""
    from myst_parser.mdit_to_docutils import base
    from myst_parser.parsers import mdit, sphinx_

    parse = inspect.getsource(sphinx_.MystParser.parse)
    assert "create_md_parser(config, SphinxRenderer)" in parse and 'parser.options["document"] = document' in parse
    assert "create_md_parser" in sphinx_.MystParser.parse.__code__.co_names  # a global, looked up at each call
    creation = inspect.getsource(mdit.create_md_parser)
    assert "html_meta" not in creation and '"myst_config": config' in creation
    assert 'options["myst_config"]' in inspect.getsource(base.DocutilsRenderer.setup_render)


def test_sphinx_keeps_its_transforms_in_a_list_and_walks_every_node_in_four() -> None:
    """``tekan.sphinxext.reading`` swaps four of Sphinx's transforms in ``app.registry.transforms`` for subclasses
    that look for the nodes they act on first (their ``apply`` checked here), and repeats the second half of
    docutils' ``DanglingReferences.apply`` (the report of unreferenced targets). Retired by docutils or Sphinx
    finding these nodes by class (sphinx-doc/sphinx, to propose)."""
    from docutils.transforms.references import DanglingReferences, DanglingReferencesVisitor
    from sphinx.builders.latex.transforms import FootnoteDocnameUpdater
    from sphinx.registry import SphinxComponentRegistry
    from sphinx.transforms.i18n import RemoveTranslatableInline, TranslationProgressTotaliser
    from sphinx.transforms.references import SphinxDanglingReferences

    assert "return self.transforms" in inspect.getsource(SphinxComponentRegistry.get_transforms)
    assert "self.transforms.append(transform)" in inspect.getsource(SphinxComponentRegistry.add_transform)
    assert "NodeMatcher(nodes.Element, translated=Any)" in inspect.getsource(TranslationProgressTotaliser.apply)
    assert "NodeMatcher(nodes.inline, translatable=Any)" in inspect.getsource(RemoveTranslatableInline.apply)
    assert "NodeMatcher(*self.TARGET_NODES)" in inspect.getsource(FootnoteDocnameUpdater.apply)
    assert "super().apply()" in inspect.getsource(SphinxDanglingReferences.apply)
    visits = {name for name in vars(DanglingReferencesVisitor) if name.startswith("visit_")}
    assert visits == {"visit_reference", "visit_footnote_reference", "visit_citation_reference"}
    assert "if node.resolved or not node.hasattr('refname'):" in inspect.getsource(DanglingReferencesVisitor)
    theirs = inspect.getsource(DanglingReferences.apply).split("# targets:", 1)[1]
    code = [line.strip() for line in theirs.splitlines() if line.strip() and not line.strip().startswith("#")]
    assert code == [
        "for target in self.document.findall(nodes.target):",
        "if not target.referenced:",
        "if target.get('anonymous'):",
        "continue",
        "if target['names']:",
        "naming = target['names'][0]",
        "elif target['ids']:",
        "naming = target['ids'][0]",
        "else:",
        "naming = target['refid']",
        "self.document.reporter.info(",
        "'Hyperlink target \"%s\" is not referenced.'",
        "% naming, base_node=target)",
    ]


def test_docutils_walks_a_tree_with_a_generator_per_node() -> None:
    """``tekan.sphinxext.reading`` replaces ``Node._fast_findall`` and ``Node._superfast_findall`` (what ``findall``
    uses for a class or no condition) with walks of one generator that meet the same nodes in the same order; no
    node class of docutils, Sphinx, MyST or furo has its own. Retired by docutils walking without nested
    generators (to propose)."""
    from docutils import nodes

    from tekan.sphinxext import reading

    fast, superfast = (inspect.getsource(walk) for walk in reading.DOCUTILS_WALKS)
    assert "yield self\n        for child in self.children:\n            yield from child._fast_findall(cls)" in fast
    assert (
        "yield self\n        for child in self.children:\n            yield from child._superfast_findall()"
        in superfast
    )
    findall = inspect.getsource(nodes.Node.findall)
    assert "yield from self._superfast_findall()" in findall and "yield from self._fast_findall(condition)" in findall
    assert nodes.Text.children == ()


def test_sphinx_batches_its_parallel_reading_with_its_builders_modules_make_chunks() -> None:
    """``tekan.sphinxext.typst.one_batch_per_process`` has the PDF's parallel reading done in one batch per process
    by replacing ``make_chunks`` where ``Builder._read_parallel`` looks it up, in ``sphinx.builders``. Retired by a
    Sphinx setting for the size of parallel reading's batches (sphinx-doc/sphinx, to propose)."""
    from sphinx import builders

    from tekan.sphinxext.typst import one_batch_per_process

    assert "make_chunks(docnames, nproc)" in inspect.getsource(builders.Builder._read_parallel)
    # (a few pages are read as without -j: by the builder's own ``_read_serial``)
    assert list(inspect.signature(builders.Builder._read_serial).parameters) == ["self", "docnames"]
    pages = [f"page-{n}" for n in range(2103)]
    assert len(builders.make_chunks(pages, 2)) == 21  # type: ignore[attr-defined]  # Sphinx's own: sqrt(n × 5)
    with one_batch_per_process():
        batches = builders.make_chunks(pages, 2)  # type: ignore[attr-defined]
    assert [len(batch) for batch in batches] == [1052, 1051] and [p for batch in batches for p in batch] == pages
    assert len(builders.make_chunks(pages, 2)) == 21  # type: ignore[attr-defined]  # given back
