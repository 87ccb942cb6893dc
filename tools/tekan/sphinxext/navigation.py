"""furo's navigation sidebar, computed once per output folder instead of once per page.

furo builds the sidebar of every page from Sphinx's global toctree of the whole book (resolved for that
page) and a BeautifulSoup pass over it, so an HTML build costs pages × book: quadratic. Within one output
folder the links of that tree are the same on every page; only the marks of the current page differ
(``current`` on its item, its ancestors and their lists, ``current-page`` on its item, the ancestors'
checkboxes ``checked``, its own link ``href="#"``). So the tree is computed once per folder, for a page
that does not exist there (nothing marked), indexed, and each page gets a copy with its marks spliced in.
The result is byte for byte furo's own (``tests/test_navigation.py`` compares every page of a book).

In a collection (one part per feature) the tree of a page lists every feature, but holds the contents of
only the feature the page belongs to; in a collection of more than ``tekan_sidebar_features`` features it
lists only that feature (the home page lists them all): a page's size then follows its feature, not the
archive.

This relies on how furo computes its tree (``furo._compute_navigation_tree``: ``context["toctree"]`` called
with fixed arguments, then ``furo.navigation.get_navigation_tree``); furo's version is pinned in
pyproject.toml and the test above fails when furo changes it.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment.adapters.toctree import global_toctree_for_doc

from .config import book_of

#: The arguments furo passes to ``toctree()`` for its sidebar (furo/__init__.py, _compute_navigation_tree).
FURO_TOCTREE_ARGS: dict[str, Any] = {"collapse": False, "titles_only": True, "maxdepth": -1, "includehidden": True}
#: A page name no book has: the tree computed for it marks nothing as current.
_NOWHERE = "\x00tekan-navigation"
_TAG = re.compile(r"<(/?)(ul|li|a|input)\b([^>]*)>")
_CLASS = re.compile(r'class="([^"]*)"')
_HREF = re.compile(r'href="([^"]*)"')


@dataclass(frozen=True)
class _Item:
    """One ``<li>`` of the tree: where its tags are, so a page's marks can be spliced in."""

    li: tuple[int, int]  # span of the value of the li's class attribute
    ul: tuple[int, int] | None  # span of the enclosing <ul>'s opening tag (the whole tag)
    checkbox: int | None  # where ``checked=""`` goes in the item's checkbox, if it has children
    parent: int | None  # index of the enclosing item, None at the top


@dataclass(frozen=True)
class FolderTree:
    """The sidebar of one output folder, unmarked, with the positions of every link."""

    html: str  # furo's navigation tree for a page of this folder that is none of its entries
    items: tuple[_Item, ...]
    links: dict[str, tuple[int, tuple[int, int]]]  # href → (item index, span of the <a> tag)

    def for_page(self, href: str, ancestors: tuple[str, ...] = ()) -> str:
        """The tree as furo would render it on the page this folder reaches as ``href``; a page the tree does not
        list (a statement of a sidebar that lists only sectors) marks the nearest of its ``ancestors`` it lists
        as furo marks the ancestors of a page."""
        found = self.links.get(href)
        edits: list[tuple[int, int, str]] = []
        first = True
        if found is None:
            ancestor = next((self.links[a] for a in ancestors if a in self.links), None)
            if ancestor is None:  # the page is not in the tree (home, search, index): nothing is marked
                return self.html
            item_index, first = ancestor[0], False
        else:
            item_index, anchor = found
            tag = self.html[anchor[0] : anchor[1]]
            tag = tag.replace('class="', 'class="current ', 1).replace(f'href="{href}"', 'href="#"', 1)
            edits.append((anchor[0], anchor[1], tag))
        index: int | None = item_index
        while index is not None:
            item = self.items[index]
            classes = self.html[item.li[0] : item.li[1]].split(" ")
            # Sphinx appends "current" after the depth class; furo adds has-children, then current-page.
            classes.insert(1, "current")
            if first:
                classes.append("current-page")
            edits.append((item.li[0], item.li[1], " ".join(classes)))
            if item.checkbox is not None:
                edits.append((item.checkbox, item.checkbox, ' checked=""'))
            if item.ul is not None:
                ul = self.html[item.ul[0] : item.ul[1]]
                edits.append((item.ul[0], item.ul[1], '<ul class="current">' if ul == "<ul>" else ul))
            index = item.parent
            first = False
        edits.sort()
        parts, position = [], 0
        for start, end, text in edits:
            parts += [self.html[position:start], text]
            position = end
        parts.append(self.html[position:])
        return "".join(parts)


def index_tree(html: str) -> FolderTree:
    """Find the items, lists, checkboxes and links of furo's rendering of a toctree."""
    items: list[_Item] = []
    links: dict[str, tuple[int, tuple[int, int]]] = {}
    open_items: list[int] = []  # stack of item indexes
    open_lists: list[tuple[int, int]] = []  # stack of <ul> tag spans
    linked: set[int] = set()  # items whose own link (their first <a>) was seen
    for match in _TAG.finditer(html):
        closing, name, attributes = match.group(1), match.group(2), match.group(3)
        if name == "ul":
            if closing:
                open_lists.pop()
            else:
                open_lists.append(match.span())
        elif name == "li":
            if closing:
                open_items.pop()
                continue
            found = _CLASS.search(attributes)
            if found is None:
                raise ValueError(
                    f"navigation item without a class at {match.start()}: {html[match.start() : match.end()]}"
                )
            offset = match.start(3)
            items.append(
                _Item(
                    li=(offset + found.start(1), offset + found.end(1)),
                    ul=open_lists[-1] if open_lists else None,
                    checkbox=None,
                    parent=open_items[-1] if open_items else None,
                )
            )
            open_items.append(len(items) - 1)
        elif name == "input" and open_items and 'class="toctree-checkbox"' in attributes:
            # Attributes are written in alphabetical order: ``checked`` goes right after aria-label.
            index = open_items[-1]
            label = re.search(r'aria-label="[^"]*"', attributes)
            at = match.start(3) + label.end() if label else match.start(3)
            items[index] = _Item(items[index].li, items[index].ul, at, items[index].parent)
        elif name == "a" and not closing and open_items:
            href = _HREF.search(attributes)
            if href is not None and open_items[-1] not in linked:
                linked.add(open_items[-1])
                links.setdefault(href.group(1), (open_items[-1], match.span()))
    return FolderTree(html, tuple(items), links)


def _folder(pagename: str) -> str:
    return pagename.rpartition("/")[0]


def _page_href(app: Sphinx, pagename: str) -> str:
    """How a page of the same folder links to ``pagename``."""
    return str(app.builder.get_relative_uri(f"{_folder(pagename)}/{_NOWHERE}".lstrip("/"), pagename))


#: The folders' trees of the last build, beside the doctrees, with the digest of what they were made from.
TREES_FILE = "tekan-navigation.pickle"


def _navigation_key(app: Sphinx) -> str:
    """A digest of everything the sidebar is made from: every page's table of contents (its toctrees too), title
    and included pages, the section numbers, the builder, its tags, the sidebar's settings and this code."""
    import hashlib
    import pickle

    import furo

    env = app.env
    inputs = (
        sorted(_toc_digests(env).items()),
        sorted((name, title.astext()) for name, title in env.titles.items()),
        sorted(env.toctree_includes.items()),
        sorted(env.toc_secnumbers.items()),
        app.builder.name,
        sorted(app.builder.tags),
        app.config.root_doc,
        app.config.tekan_sidebar_entries,
        app.config.tekan_sidebar_features,
        bool(book_of(env).features),
        furo.__version__,
        Path(__file__).read_bytes(),
    )
    return hashlib.sha256(pickle.dumps(inputs, pickle.HIGHEST_PROTOCOL)).hexdigest()


def _toc_digests(env: Any) -> dict[str, bytes]:
    """Each page's table of contents as a digest, kept in the environment from the build that read the page to the
    one that reads it again (:func:`forget_toc_digest`): an edit does not write out 1,700 tables of contents."""
    import hashlib

    kept: dict[str, bytes] = env.__dict__.setdefault("tekan_toc_digests", {})
    for name, toc in env.tocs.items():
        if name not in kept:
            kept[name] = hashlib.sha256(str(toc).encode()).digest()[:16]
    return {name: kept[name] for name in env.tocs}


def forget_toc_digest(app: Sphinx, env: Any, docname: str) -> None:
    """A page about to be read again (or gone): its table of contents is digested again when next asked."""
    env.__dict__.get("tekan_toc_digests", {}).pop(docname, None)


def digest_tocs(app: Sphinx, env: Any) -> list[str]:
    """After reading, before the environment is saved: the digests of the pages read (kept with it)."""
    _toc_digests(env)
    return []


def _trees(app: Sphinx) -> dict[str, FolderTree]:
    """The folders' trees of this build: those of the last build when nothing they are made from changed (an edit
    to a statement's text: the sidebar of a feature of 1,600 statements is not resolved again)."""
    cache: dict[str, FolderTree] | None = app.builder.__dict__.get("_tekan_navigation")
    if cache is None:
        import pickle

        from ..files import read_private

        key = _navigation_key(app)
        cache = {}
        data = read_private(Path(app.doctreedir) / TREES_FILE)
        try:
            stored = pickle.loads(data) if data is not None else None
            if isinstance(stored, dict) and stored.get("key") == key:
                cache = dict(stored["trees"])
        except Exception:  # another version's, or cut short: computed again
            cache = {}
        app.builder.__dict__["_tekan_navigation"] = cache
        app.builder.__dict__["_tekan_navigation_key"] = (key, set(cache))
    return cache


def save_trees(app: Sphinx, exception: Exception | None) -> None:
    """Keep this build's trees for the next build (when it computed one)."""
    cache = app.builder.__dict__.get("_tekan_navigation")
    key, stored = app.builder.__dict__.get("_tekan_navigation_key", ("", set()))
    if exception is not None or cache is None or set(cache) == stored:
        return
    import contextlib
    import pickle

    from ..files import atomic_write

    data = pickle.dumps({"key": key, "trees": cache}, pickle.HIGHEST_PROTOCOL)
    with contextlib.suppress(OSError):
        atomic_write(Path(app.doctreedir) / TREES_FILE, data, mode=0o600, follow_link=False, private=True)


def _base_folder(app: Sphinx, folder: str) -> str:
    """The folder whose tree ``folder``'s is, but for the links: its part's top folder in a collection (a feature's
    statements and sectors show its own tree), the top folder in a single book."""
    return folder.split("/", 1)[0] if book_of(app.env).features else ""


def rebase(html: str, source: str, target: str) -> str | None:
    """The tree ``html`` of folder ``source`` with its relative links made relative to folder ``target``, as
    Sphinx writes them there (None when a link holds a character the HTML escapes: then computed afresh)."""
    found = _HREF.findall(html)
    if any(c in href for href in found for c in "&<>\"'"):
        return None

    def moved(match: re.Match[str]) -> str:
        href = match.group(1)
        if not href or href.startswith(("#", "/")) or ":" in href.split("/", 1)[0]:
            return match.group(0)
        path, hash_, fragment = href.partition("#")
        whole = posixpath.normpath(posixpath.join(source, path))
        moved = posixpath.relpath(whole, target or ".") + ("/" if path.endswith("/") else "")  # dirhtml's folders
        return f'href="{moved}{hash_}{fragment}"'

    return _HREF.sub(moved, html)


def folder_tree(app: Sphinx, folder: str) -> FolderTree:
    """The unmarked tree of ``folder``, computed on first use in this build (and this process), or kept from the last
    build; a folder below its base (a feature's statements, its sectors) gets its base's with the links moved."""
    cache = _trees(app)
    tree = cache.get(folder)
    base = _base_folder(app, folder) if tree is None else folder
    if tree is None and base != folder:
        html = rebase(folder_tree(app, base).html, base, folder)
        if html is not None:
            tree = cache[folder] = index_tree(html)
    if tree is None:
        from furo.navigation import get_navigation_tree

        if book_of(app.env).features:
            toctree = _collection_toctree(app, folder)
        else:
            nowhere = f"{folder}/{_NOWHERE}" if folder else _NOWHERE
            toctree = global_toctree_for_doc(app.env, nowhere, app.builder, tags=app.builder.tags, **FURO_TOCTREE_ARGS)
        if toctree is not None:
            toctree = prune_deepest(toctree, app.config.tekan_sidebar_entries)
        html = app.builder.render_partial(toctree)["fragment"] if toctree is not None else ""  # type: ignore[attr-defined]
        tree = index_tree(get_navigation_tree(html))
        cache[folder] = tree
    return tree


def _depth(item: nodes.list_item) -> int:
    return next((int(c[len("toctree-l") :]) for c in item["classes"] if c.startswith("toctree-l")), 0)


def prune_deepest(toctree: nodes.Element, limit: int) -> nodes.Element:
    """Leave out the deepest level of the tree while it has more than ``limit`` entries (the top level stays): in
    a feature of 1,600 statements the sidebar lists its sectors, and each sector's page its statements."""
    while True:
        items = list(toctree.findall(nodes.list_item))
        deepest = max((_depth(item) for item in items), default=0)
        if len(items) <= limit or deepest <= 1:
            return toctree
        for item in items:
            if _depth(item) == deepest - 1:
                for child in [c for c in item.children if isinstance(c, nodes.bullet_list)]:
                    item.remove(child)


def _parents(app: Sphinx) -> dict[str, str]:
    """Each page → the page whose toctree includes it (computed once per build)."""
    cache: dict[str, dict[str, str]] = app.builder.__dict__.setdefault("_tekan_navigation_parents", {})
    if "" not in cache:
        cache[""] = {child: parent for parent, children in app.env.toctree_includes.items() for child in children}
    return cache[""]


def _ancestors(app: Sphinx, pagename: str) -> tuple[str, ...]:
    """How a page links to each page above it in the toctrees, nearest first."""
    parents, page = _parents(app), pagename
    found: list[str] = []
    while page in parents and len(found) < 16:
        page = parents[page]
        found.append(str(app.builder.get_relative_uri(pagename, page)))
    return tuple(found)


def _collection_toctree(app: Sphinx, folder: str) -> nodes.Element | None:
    """The toctree of a folder of a collection: every part listed, only the folder's own part with contents.

    Resolving the whole toctree for each folder would cost folders × book again; it is resolved once (links
    relative to the top folder), then each folder copies the part it shows and makes the links relative.
    """
    cache = app.builder.__dict__.setdefault("_tekan_navigation_whole", {})
    if "" not in cache:
        whole = global_toctree_for_doc(app.env, _NOWHERE, app.builder, tags=app.builder.tags, **FURO_TOCTREE_ARGS)
        # The parts the top level lists, found once (the tree holds every page of the collection).
        parts = set() if whole is None else {_part_of(i) for i in whole.findall(nodes.list_item) if _top(i)}
        cache[""] = (whole, parts)
    whole, parts = cache[""]
    if whole is None:
        return None
    limit = app.config.tekan_sidebar_features
    tree = _copy_part(whole, folder.split("/", 1)[0], listed=len(parts - {""}) <= limit)
    for reference in tree.findall(nodes.reference):
        uri = str(reference.get("refuri", ""))
        if uri and not uri.startswith("#") and "://" not in uri:
            reference["refuri"] = posixpath.relpath(uri, folder or ".")
    return tree


def _copy_part(node: nodes.Element, part: str, listed: bool) -> nodes.Element:
    """A copy of ``node`` in which the top-level entries of other parts than ``part`` have no contents (or,
    unless ``listed``, are left out: the home page lists them)."""
    copy = node.copy()
    for child in node.children:
        if isinstance(child, nodes.list_item) and "toctree-l1" in child["classes"]:
            own = _part_of(child)
            if own == part or not own:
                copy.append(child.deepcopy())
            elif listed:
                entry = child.copy()
                entry.extend(c.deepcopy() for c in child.children if not isinstance(c, nodes.bullet_list))
                copy.append(entry)
        elif isinstance(child, nodes.Element):
            copy.append(_copy_part(child, part, listed))
        else:
            copy.append(child.deepcopy())
    return copy


def _top(item: nodes.list_item) -> bool:
    return "toctree-l1" in item["classes"]


def _part_of(item: nodes.list_item) -> str:
    """The part (top folder) of a top-level entry, from its link relative to the top folder; "" for none."""
    reference = next(iter(item.findall(nodes.reference)), None)
    uri = str(reference.get("refuri", "")) if reference is not None else ""
    return uri.split("/", 1)[0] if "/" in uri else ""


def shared_navigation_on(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """Before furo: hand furo an empty tree for its sidebar (it would compute the whole book's)."""
    if not app.config.tekan_shared_navigation or "toctree" not in context:
        return
    original = context["toctree"]

    def toctree(**kwargs: Any) -> str:
        if kwargs == FURO_TOCTREE_ARGS:
            return ""
        return str(original(**kwargs))

    context["tekan_toctree"] = original
    context["toctree"] = toctree


def shared_navigation_off(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """After furo: the folder's tree with this page marked, and Sphinx's ``toctree()`` back for templates."""
    original = context.pop("tekan_toctree", None)
    if original is None:
        return
    context["toctree"] = original
    tree = folder_tree(app, _folder(pagename))
    href = _page_href(app, pagename)
    ancestors = _ancestors(app, pagename) if href not in tree.links else ()
    context["furo_navigation_tree"] = tree.for_page(href, ancestors)


def setup_navigation(app: Sphinx) -> None:
    """The sidebar computed once per folder, around furo's own page-context handler (priority 500)."""
    app.add_config_value(
        "tekan_shared_navigation",
        True,
        "html",
        types=frozenset({bool}),
        description="compute furo's navigation tree once per output folder (False: furo's own, once per page)",
    )
    app.add_config_value(
        "tekan_sidebar_features",
        12,
        "html",
        types=frozenset({int}),
        description="a collection of more features lists only the page's own feature in the sidebar (the home "
        "page lists them all), so a page's size does not grow with the archive",
    )
    app.add_config_value(
        "tekan_sidebar_entries",
        48,
        "html",
        types=frozenset({int}),
        description="a sidebar of more entries leaves out its deepest level (a feature's statements: the sidebar "
        "lists the sectors, a sector's page its statements), so a page's size does not grow with the feature",
    )
    app.connect("build-finished", save_trees)
    app.connect("env-purge-doc", forget_toc_digest)
    app.connect("env-updated", digest_tocs)
    app.connect("html-page-context", shared_navigation_on, priority=400)
    app.connect("html-page-context", shared_navigation_off, priority=600)
