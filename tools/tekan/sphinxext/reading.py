"""Reading the pages (MyST to doctree, transforms): work done once per build, not once per page, and transforms
that walk every node of a page only where the page holds what they look for.

* MyST makes a new Markdown parser (markdown-it with its plugins, and a renderer that looks up its ``render_*``
  methods with ``inspect``) for every page: about a third of a millisecond, 0.75 s of CPU for the 2,203 pages of a
  1,600-statement collection. Here the parser made for a page's configuration is kept and given to the next page
  whose configuration is the same but for ``html_meta`` (what a page's front matter sets: its description and
  author), which the parser does not read; the renderer reads the page's own configuration, set for each page as
  MyST sets it.
* Four of Sphinx's transforms go through every node of every page, in Python, to find nodes Tekan's pages seldom
  or never hold: footnotes (``FootnoteDocnameUpdater``), inline nodes kept for translation
  (``RemoveTranslatableInline``), translated nodes (``TranslationProgressTotaliser``) and references by name
  (the visitor of ``SphinxDanglingReferences``). Each is replaced by a subclass that first looks for those nodes
  with one quick walk (:func:`holds`, a tenth of the matcher's time) and runs the original when it finds one,
  and otherwise does what the original does on a page without them: nothing, or the totals (0 of 0), or only its
  report of targets nobody refers to. 1.1 s of a 1,600-statement collection's reading.
* Every ``findall(cls)`` (some forty walks of each page while it is read, more while it is written) goes through
  docutils' recursive generators, one per node, each yield passing up through every ancestor's: here one
  generator walks the whole tree (:func:`fast_findall`), the same nodes in the same order, in half the time.
* Sphinx logs a debug record for every event it emits (and more) whatever its verbosity: the ``sphinx`` logger is
  set to the lowest level one of its handlers writes, so records none would write are not made.

Third-party internals (``tests/test_private_api.py`` fails when they change): MyST's ``create_md_parser`` as the
MyST Sphinx parser calls it, Sphinx's list of registered transforms (``app.registry.transforms``), the four
transforms' code, docutils' ``DanglingReferences.apply`` (its report of unreferenced targets is repeated here) and
``Node._fast_findall`` and ``Node._superfast_findall`` (replaced).
Retired by MyST keeping its parser between documents, docutils or Sphinx looking for nodes by class, and
docutils walking a tree without nested generators (to propose).
"""

from __future__ import annotations

import dataclasses
import logging as std_logging
from collections.abc import Callable, Iterator
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders.latex.transforms import FootnoteDocnameUpdater
from sphinx.transforms.i18n import RemoveTranslatableInline, TranslationProgressTotaliser
from sphinx.transforms.references import SphinxDanglingReferences
from sphinx.util import logging

# --- one Markdown parser per configuration ------------------------------------------------------------------

_ORIGINAL_CREATE: Any = None
#: The parsers made so far: (configuration, renderer class, parser); a build has one or two configurations.
_PARSERS: list[tuple[Any, Any, Any]] = []
_KEEP = 4


def _same_but_meta(config: Any, other: Any) -> bool:
    """Whether two MyST configurations are equal in every field but ``html_meta``."""
    if type(config) is not type(other):
        return False
    return all(
        getattr(config, field.name) == getattr(other, field.name)
        for field in dataclasses.fields(config)
        if field.name != "html_meta"
    )


def create_md_parser(config: Any, renderer: Callable[..., Any]) -> Any:
    """``myst_parser.parsers.mdit.create_md_parser``, made once for configurations that differ only in
    ``html_meta``; the parser's ``myst_config`` option (what its renderer reads) is the page's own."""
    for made, made_renderer, parser in _PARSERS:
        if made_renderer is renderer and _same_but_meta(config, made):
            parser.options["myst_config"] = config
            return parser
    parser = _ORIGINAL_CREATE(config, renderer)
    _PARSERS.insert(0, (config, renderer, parser))
    del _PARSERS[_KEEP:]
    return parser


# --- transforms that look first -----------------------------------------------------------------------------


def holds(document: nodes.Node, found: Callable[[nodes.Node], bool]) -> bool:
    """Whether any node of ``document`` (itself included) is ``found``: a walk without generators."""
    stack = [document]
    while stack:
        node = stack.pop()
        if found(node):
            return True
        stack.extend(node.children)
    return False


def _catalog_builder(transform: Any) -> bool:
    from sphinx.builders.gettext import MessageCatalogBuilder

    return issubclass(transform.env._builder_cls, MessageCatalogBuilder)


def _translated(node: nodes.Node) -> bool:
    return isinstance(node, nodes.Element) and "translated" in node.attributes


class QuickTranslationProgressTotaliser(TranslationProgressTotaliser):
    """Sphinx's totals of translated nodes; 0 of 0 without a walk of its own when no node was translated."""

    def apply(self, **kwargs: Any) -> None:
        if _catalog_builder(self) or holds(self.document, _translated):
            super().apply(**kwargs)
        else:
            self.document["translation_progress"] = {"total": 0, "translated": 0}


def _translatable_inline(node: nodes.Node) -> bool:
    return isinstance(node, nodes.inline) and "translatable" in node.attributes


class QuickRemoveTranslatableInline(RemoveTranslatableInline):
    """Sphinx's removal of the inline nodes kept for translation, only where a page holds one."""

    def apply(self, **kwargs: Any) -> None:
        if holds(self.document, _translatable_inline):
            super().apply(**kwargs)


def _footnote(node: nodes.Node) -> bool:
    return isinstance(node, FootnoteDocnameUpdater.TARGET_NODES)


class QuickFootnoteDocnameUpdater(FootnoteDocnameUpdater):
    """Sphinx's (LaTeX builder's) page name on footnotes, only where a page holds one."""

    def apply(self, **kwargs: Any) -> None:
        if holds(self.document, _footnote):
            super().apply(**kwargs)


#: The nodes docutils' dangling-references visitor looks at (its ``visit_*`` methods; every other node is passed).
_VISITED = frozenset({"reference", "footnote_reference", "citation_reference"})


def _by_name(node: nodes.Node) -> bool:
    """A node the visitor would resolve: one of those it visits, referring by name and not yet resolved."""
    return type(node).__name__ in _VISITED and not getattr(node, "resolved", 0) and "refname" in node.attributes  # type: ignore[attr-defined]


class QuickDanglingReferences(SphinxDanglingReferences):
    """Sphinx's check of references by name and of unreferenced targets; where no reference refers by name (MyST
    resolves Markdown's own), the visitor's walk would change nothing and only the targets are checked."""

    def apply(self, **kwargs: Any) -> None:
        if holds(self.document, _by_name):
            super().apply(**kwargs)
            return
        reporter = self.document.reporter
        report_level = reporter.report_level
        try:  # as SphinxDanglingReferences: no info messages
            reporter.report_level = max(reporter.WARNING_LEVEL, reporter.report_level)
            self._report_unreferenced_targets()
        finally:
            reporter.report_level = report_level

    def _report_unreferenced_targets(self) -> None:
        """The second half of docutils' ``DanglingReferences.apply``, as it is."""
        for target in self.document.findall(nodes.target):
            if not target.referenced:
                if target.get("anonymous"):
                    continue
                if target["names"]:
                    naming = target["names"][0]
                elif target["ids"]:
                    naming = target["ids"][0]
                else:
                    naming = target["refid"]
                self.document.reporter.info(f'Hyperlink target "{naming}" is not referenced.', base_node=target)


#: Each of Sphinx's transforms with the subclass that takes its place.
QUICK_TRANSFORMS: dict[type, type] = {
    TranslationProgressTotaliser: QuickTranslationProgressTotaliser,
    RemoveTranslatableInline: QuickRemoveTranslatableInline,
    FootnoteDocnameUpdater: QuickFootnoteDocnameUpdater,
    SphinxDanglingReferences: QuickDanglingReferences,
}


def _quick_transforms(app: Sphinx) -> None:
    transforms: list[type] = app.registry.transforms
    transforms[:] = [QUICK_TRANSFORMS.get(transform, transform) for transform in transforms]


# --- walking a tree without a generator per node ----------------------------------------------------------


#: docutils' own walks, as they were before :func:`_walk_without_nested_generators` (the tests compare the two).
_NODE: Any = nodes.Node  # the walks are not in docutils' type information
DOCUTILS_WALKS: tuple[Any, Any] = (_NODE._fast_findall, _NODE._superfast_findall)


def fast_findall(self: nodes.Node, cls: type) -> Iterator[nodes.Node]:
    """docutils' ``Node._fast_findall`` (``findall(cls)``: ``self`` and its descendants that are ``cls``, in document
    order) with one generator for the whole walk instead of one per node, each yield passing through every
    ancestor's. As there, each list of children is gone through as it is when the walk reaches it (a consumer may
    change the tree between two nodes): a node's children are looked up after the node is yielded."""
    if isinstance(self, cls):
        yield self
    stack = [iter(self.children)]
    while stack:
        for child in stack[-1]:
            if isinstance(child, cls):
                yield child
            children = child.children
            if children:
                stack.append(iter(children))
                break
        else:
            stack.pop()


def superfast_findall(self: nodes.Node) -> Iterator[nodes.Node]:
    """docutils' ``Node._superfast_findall`` (``findall()``: ``self`` and every descendant, in document order), one
    generator for the whole walk as :func:`fast_findall`."""
    yield self
    stack = [iter(self.children)]
    while stack:
        for child in stack[-1]:
            yield child
            children = child.children
            if children:
                stack.append(iter(children))
                break
        else:
            stack.pop()


def _walk_without_nested_generators() -> None:
    node: Any = nodes.Node
    node._fast_findall = fast_findall
    node._superfast_findall = superfast_findall


# --- logging ------------------------------------------------------------------------------------------------


def _log_only_what_is_written(app: Sphinx) -> None:
    """The ``sphinx`` logger at the lowest level among its handlers (Sphinx sets it to DEBUG, and its handlers to
    the verbosity's level or higher): a record no handler would write is not made."""
    logger = std_logging.getLogger(logging.NAMESPACE)
    levels = [handler.level for handler in logger.handlers]
    if levels and min(levels) > logger.level:
        logger.setLevel(min(levels))


def setup_reading(app: Sphinx) -> None:
    """The Markdown parser kept between pages, the quick transforms, the walks and the logger's level."""
    global _ORIGINAL_CREATE
    from myst_parser.parsers import sphinx_

    myst_sphinx: Any = sphinx_  # the name it imported from mdit, not one it exports
    if myst_sphinx.create_md_parser is not create_md_parser:
        _ORIGINAL_CREATE = myst_sphinx.create_md_parser
        myst_sphinx.create_md_parser = create_md_parser
    _quick_transforms(app)
    _walk_without_nested_generators()
    _log_only_what_is_written(app)
