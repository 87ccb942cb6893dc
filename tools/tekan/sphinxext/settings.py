"""Docutils settings made once per build, not once per page.

Docutils makes a page's settings with an ``OptionParser`` built from every component's settings specification:
about a millisecond each time. Two callers make them for every page, with the same components and defaults each
time (about 4 % of a 1,600-statement build):

* Sphinx reads each page with settings from ``sphinx.util.docutils._get_settings``. Here the settings of the last
  (components, defaults) asked for are kept, and each page gets its own copy (a ``Values`` of the same values, with
  a fresh list of the files it depends on, as a new one has).
* MyST's renderer makes a document it throws away for every page Sphinx hands it a document for
  (``options.get("document", make_document())`` in ``DocutilsRenderer.setup_render``), and one whose settings it
  replaces at once for each reStructuredText block: here that document gets a copy of default settings made once.

MyST reads every page's front matter twice with ``yaml.safe_load`` (once for the page's own MyST settings, once to
render it: 4 % of the build, in PyYAML's pure-Python scanner). ``yaml.safe_load`` is made the same function read
by libyaml (``CSafeLoader``: PyYAML's own safe constructor and resolver over its C parser, so the same values; ten
times faster) where PyYAML has it.

All three are third-party internals (``tests/test_private_api.py`` fails when they change). Retired by docutils
caching its option parsers, or MyST not making the unused document and reading YAML with libyaml when it can
(executablebooks/MyST-Parser, to propose).
"""

from __future__ import annotations

import copy
from collections.abc import Hashable, Mapping
from typing import Any

import yaml  # type: ignore[import-untyped]  # no type information installed (types-PyYAML)
from docutils import frontend
from sphinx.application import Sphinx

_ORIGINAL_GET_SETTINGS: Any = None
_LAST: list[Any] = []  # [key, settings] of the last call: one build's, not every test app's


def _identity(value: Any) -> Hashable:
    return value if isinstance(value, Hashable) and not isinstance(value, tuple) else ("object", id(value))


def _key(components: tuple[Any, ...], defaults: Mapping[str, Any], read_config_files: bool) -> Hashable:
    kinds = tuple(c if isinstance(c, type) else (type(c), id(getattr(c, "settings_spec", None))) for c in components)
    return kinds, tuple(sorted((name, _identity(value)) for name, value in defaults.items())), read_config_files


def get_settings(*components: Any, defaults: Mapping[str, Any], read_config_files: bool = False) -> frontend.Values:
    """``sphinx.util.docutils._get_settings``, made once for the same components and defaults."""
    key = _key(components, defaults, read_config_files)
    if not _LAST or _LAST[0] != key:
        made = _ORIGINAL_GET_SETTINGS(*components, defaults=defaults, read_config_files=read_config_files)
        _LAST[:] = [key, made]
    return _copy(_LAST[1])


def _copy(settings: frontend.Values) -> frontend.Values:
    """A page's own settings: the same values, and (as new settings have) its own record of its dependencies."""
    from docutils.utils import DependencyList

    own = copy.copy(settings)  # not through Values(), deprecated in docutils (it warns on every call)
    own.record_dependencies = DependencyList()
    return own


_DEFAULTS: dict[type, frontend.Values] = {}


def make_document(source_path: str = "notset", parser_cls: Any = None) -> Any:
    """``myst_parser.mdit_to_docutils.base.make_document``, with the parser's default settings made once."""
    from docutils.parsers.rst import Parser as RSTParser
    from docutils.utils import new_document

    parser_cls = parser_cls or RSTParser
    if parser_cls not in _DEFAULTS:
        _DEFAULTS[parser_cls] = frontend.get_default_settings(parser_cls)
    return new_document(source_path, settings=_copy(_DEFAULTS[parser_cls]))


_ORIGINAL_SAFE_LOAD: Any = yaml.safe_load


def safe_load(stream: Any) -> Any:
    """``yaml.safe_load`` through libyaml: the same safe constructor and resolver, PyYAML's C parser."""
    return yaml.load(stream, Loader=yaml.CSafeLoader)  # CSafeLoader is the safe loader


def setup_settings(app: Sphinx) -> None:
    """Replace the three functions (once per process; the replacements give what the originals give)."""
    global _ORIGINAL_GET_SETTINGS
    if getattr(yaml, "__with_libyaml__", False):
        yaml.safe_load = safe_load
    import sphinx.util.docutils as sphinx_docutils
    from myst_parser.mdit_to_docutils import base

    if sphinx_docutils._get_settings is not get_settings:
        _ORIGINAL_GET_SETTINGS = sphinx_docutils._get_settings
        sphinx_docutils._get_settings = get_settings
    base.make_document = make_document
