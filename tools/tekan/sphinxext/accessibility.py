"""What furo and Sphinx leave out for screen readers, added to every HTML page (checked by axe-core).

- Sphinx writes the caption of a toctree as ``<p class="caption" role="heading">`` without ``aria-level``
  (sphinx#14030), which WAI-ARIA 1.2 requires: it gets level 2, the level browsers assumed.
- furo's two ``<aside>`` drawers are unnamed complementary landmarks: each gets a name.
- The letter sections of the glossary and the English index (rubrics, so that they stay out of the tables of
  contents) are ``<h2>`` in HTML and EPUB, so a screen reader can jump from letter to letter.
- Sphinx's permalinks (``¶``) are named by their title, not read out as a pilcrow.
- furo's labels that its templates do not pass through gettext (the sidebar toggles, the theme button, the
  icons' titles, "Toggle navigation of …" in the navigation tree) are English; a Chinese edition gets them in
  its own script.

The page template (``page.html``) passes its whole body through :func:`accessible_theme` for the page's script.
Seed text never reaches these patterns as markup (it is escaped), so replacing them in the page is safe.
"""

from __future__ import annotations

import re
from functools import partial
from typing import Any

from docutils import nodes
from markupsafe import Markup
from sphinx.application import Sphinx

from ..editions import AccessWords
from .config import edition_of

_CAPTION = re.compile(r'<p class="caption" role="heading">')
_TOGGLE = re.compile(r'aria-label="Toggle navigation of ([^"]*)"')
_HEADERLINK = re.compile(r'<a class="headerlink" href="([^"]*)" title="([^"]*)">')


def accessible_theme(html: str, words: AccessWords) -> Markup:
    """The page's HTML with caption headings levelled, furo's drawers named and its English words in the
    edition's (``words``, from its :class:`~tekan.editions.Edition`)."""
    html = _CAPTION.sub('<p class="caption" role="heading" aria-level="2">', html)
    html = html.replace(
        '<aside class="sidebar-drawer">', f'<aside class="sidebar-drawer" aria-label="{words.site_navigation}">', 1
    )
    html = html.replace('<aside class="toc-drawer', f'<aside aria-label="{words.on_this_page}" class="toc-drawer', 1)
    for english, translated in words.theme:
        html = html.replace(f'aria-label="{english}"', f'aria-label="{translated}"')
        html = html.replace(f"<title>{english}</title>", f"<title>{translated}</title>")
    html = _TOGGLE.sub(lambda m: f'aria-label="{words.toggle_section.format(m[1])}"', html)
    # A heading's or term's permalink is named by its title ("link to this heading"), not read out as "¶".
    html = _HEADERLINK.sub(r'<a class="headerlink" href="\1" title="\2" aria-label="\2">', html)
    return Markup(html)  # the theme's own rendered HTML, changed only in fixed attributes


def theme_footer(html: str, words: AccessWords) -> Markup:
    """furo's footer with its possessive in the edition's language ("@pradyunsg 的 Furo"); as it is in English."""
    if words.possessive:
        html = html.replace("</a>'s", f"</a>{words.possessive}", 1)
    return Markup(html)  # the theme's own rendered HTML


def page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """Give the page template the filter for its body (``tekan_accessible``), bound to the edition's script."""
    words = edition_of(app).access
    context["tekan_accessible"] = partial(accessible_theme, words=words)
    context["tekan_footer"] = partial(theme_footer, words=words)


def letter_headings(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Make the letter rubrics level-2 headings in HTML and EPUB (in LaTeX a level would make them chapters)."""
    if app.builder.format != "html":
        return
    for rubric in doctree.findall(nodes.rubric):
        if "tekan-letter" in rubric["classes"]:
            rubric["heading-level"] = 2


def setup_accessibility(app: Sphinx) -> None:
    """Connect the hooks."""
    app.connect("doctree-resolved", letter_headings)
    app.connect("html-page-context", page_context)
