"""Per-script settings of an edition: language tags, fonts and titles (shared by conf.py and the CLI)."""

from __future__ import annotations

from typing import Any

#: The scripts an edition can be in: Traditional and Simplified.
SCRIPTS = ("hant", "hans")
#: Sphinx ``language`` (selects UI strings) and BCP 47 tag (HTML ``lang``, EPUB) for each script.
LANGUAGES = {"hant": ("zh_TW", "zh-Hant"), "hans": ("zh_CN", "zh-Hans")}
#: Each edition's folder and file tag: ``html/zh-hant/``, ``epub/tekan-zh-hant.epub``.
TAGS = {script: tag.lower() for script, (_, tag) in LANGUAGES.items()}
#: ASCII stem of the EPUB, LaTeX and PDF files (an all-Chinese project name would give ``sphinx.epub``).
BASENAME = "tekan"
#: Noto CJK font families per script (Debian fonts-noto-cjk).
FONT_REGION = {"hant": "TC", "hans": "SC"}


def cjk_fonts(script: str) -> dict[str, str]:
    """The Noto CJK families of an edition: serif body, sans headings, monospace (for PDF and the EPUB cover)."""
    region = FONT_REGION[script]
    return {
        "serif": f"Noto Serif CJK {region}",
        "sans": f"Noto Sans CJK {region}",
        "mono": f"Noto Sans Mono CJK {region}",
    }


def edition_settings(script: str) -> dict[str, Any]:
    """Sphinx settings that depend on the script of the edition."""
    language, tag = LANGUAGES[script]
    return {
        "language": language,
        "epub_language": tag,  # EPUB needs a BCP 47 tag, not Sphinx's zh_TW
    }
