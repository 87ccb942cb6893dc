"""HTML-only touches: the edition's BCP 47 language tag on ``<html lang>``."""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from ..editions import LANGUAGES


def set_language_tag(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """Tag pages ``zh-Hant`` / ``zh-Hans`` (script, not region), so browsers choose the right glyphs."""
    context["language"] = LANGUAGES[app.config.tekan_script][1]


def setup_html(app: Sphinx) -> None:
    """Connect the HTML page hooks."""
    app.connect("html-page-context", set_language_tag)
