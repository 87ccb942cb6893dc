"""Per-script settings of an edition: language tags, fonts and titles (shared by conf.py and the CLI)."""

from __future__ import annotations

from typing import Any

#: Sphinx ``language`` (selects UI strings) and BCP 47 tag (HTML ``lang``, EPUB) for each script.
LANGUAGES = {"hant": ("zh_TW", "zh-Hant"), "hans": ("zh_CN", "zh-Hans")}
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
    region = FONT_REGION[script]
    return {
        "language": language,
        "tekan_language_tag": tag,
        "html_theme_options_fonts": region,
        "epub_language": tag,  # EPUB needs a BCP 47 tag, not Sphinx's zh_TW
    }
