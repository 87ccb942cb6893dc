"""The glue's one way in: the build's :class:`~tekan.target.Target` and the loaded book (a leaf module).

``tekan_target`` is one config value — a dict in a book's conf.py, one JSON object from ``tekan build``
(``-D tekan_target=…``) — validated once at ``config-inited`` (a bad field stops the build with a message
naming it) and read everywhere through :func:`get_target`, the way sphinx-design reads ``SdConfig``
through ``get_sd_config``. :func:`book_of` is the book the pages were generated from; every glue module
imports both from here, so none imports another for them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.errors import ConfigError, ExtensionError

from ..editions import Edition
from ..target import FIELDS, Site, Target, TargetError, format_of_builder

if TYPE_CHECKING:
    from ..book import Book

#: Bump when the shape of what the extension stores in the environment changes.
ENV_VERSION = 4


def resolve_target(app: Sphinx, config: Config) -> None:
    """Validate ``tekan_target`` once (paths from conf.py's folder); a bad field stops the build naming it.

    The configuration keeps the target without its format and its site: what Sphinx reads (the pages, the
    environment) is the edition's whichever format writes it and whatever is published beside it, so the formats
    of an edition can share one environment (``tekan.building`` starts a PDF or EPUB build from the HTML build's).
    The site (the switcher's editions and downloads, written into the HTML pages) is ``tekan_site``, a value of the
    HTML output (a change rewrites the site's pages, as any ``html`` value does, without reading them again); the
    format is kept in a private attribute Sphinx neither pickles nor compares (it drops names starting with ``_``).
    """
    target = parse_target(config.tekan_target, Path(app.confdir))
    config.tekan_target = replace(target, format=None, site=Site())
    config.tekan_site = target.site  # what the site's pages link to: Sphinx rewrites them when it changes
    config._tekan_format = target.format


def parse_target(value: Any, base: Path | None = None) -> Target:
    """A ``tekan_target`` value (Target, dict or JSON) as a Target; ConfigError naming a bad field."""
    try:
        if isinstance(value, Target):
            return value
        if isinstance(value, Mapping):
            return Target.from_mapping(value, base)
        if isinstance(value, str) and value.strip():
            return Target.from_json(value, base)
        return Target.from_mapping({}, base)  # reports the missing seed
    except TargetError as exc:
        raise ConfigError(str(exc)) from None


def get_target(source: Sphinx | BuildEnvironment | Config) -> Target:
    """The build's target; given the application, with the format its builder makes when the target names none."""
    config = source if isinstance(source, Config) else source.config
    value = config.tekan_target
    target = value if isinstance(value, Target) else parse_target(value)
    site = config.tekan_site  # set by resolve_target (a value given as a Target keeps its own)
    if isinstance(site, Site) and site != target.site:
        target = replace(target, site=site)
    fmt = config.__dict__.get("_tekan_format")
    if fmt is not None:
        return target.with_format(fmt)
    builder = getattr(source, "builder", None) if isinstance(source, Sphinx) else None
    if target.format is None and builder is not None:
        fmt = format_of_builder(builder.name)
        if fmt is not None:
            return target.with_format(fmt)
    return target


def edition_of(source: Sphinx | BuildEnvironment | Config) -> Edition:
    """The edition being built."""
    return get_target(source).edition


class NotPickled:
    """A value kept on the environment for this build only: Sphinx pickles its environment after reading, and the
    book (10 MB at 1,600 statements) is loaded again at every start-up anyway."""

    def __init__(self, value: Any = None) -> None:
        self.value = value

    def __getstate__(self) -> dict[str, Any]:
        return {}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.value = None


def env_book(env: BuildEnvironment | None) -> Book | None:
    """The book loaded at start-up, or None before it is."""
    holder = getattr(env, "tekan_book", None)
    return holder.value if isinstance(holder, NotPickled) else None


def book_of(env: BuildEnvironment) -> Book:
    """The book loaded at start-up (``tekan.sphinxext.pages.generate_pages``)."""
    book = env_book(env)
    if book is None:
        raise ExtensionError("tekan: the book was not loaded (is tekan.sphinxext in `extensions`?)")
    return book


def user_set(config: Config, name: str) -> bool:
    """True when the book's conf.py or a ``-D`` option gave ``name`` a value (then Tekan never overwrites it)."""
    # Sphinx keeps conf.py's namespace only privately; there is no public "was this set" question (canary:
    # tests/test_private_api.py; retired by a public Config API for it, e.g. ``Config.is_set(name)``).
    return name in config.overrides or name in config._raw_config


def set_default(config: Config, name: str, value: Any) -> None:
    """Give ``name`` Tekan's ``value`` unless the book's conf.py or ``-D`` set it: the one precedence everywhere."""
    if not user_set(config, name):
        setattr(config, name, value)


def setup_config(app: Sphinx) -> None:
    """Register ``tekan_target`` and validate it first at ``config-inited``."""
    app.add_config_value(
        "tekan_target",
        "",
        "env",
        types=frozenset({str, dict, Target}),
        description="what is built: a dict (conf.py) or a JSON object (-D) with the fields "
        + "; ".join(f"{name}: {meaning}" for name, meaning in FIELDS.items()),
    )
    app.add_config_value(
        "tekan_site",
        None,
        "html",
        types=frozenset({Site, type(None)}),
        description="set by Tekan from tekan_target (its editions, downloads and site_url): not a setting",
    )
    app.connect("config-inited", resolve_target, priority=50)
