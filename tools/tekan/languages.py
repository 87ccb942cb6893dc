"""Which language a run of text is in: Chinese quoted in English text (glossary definitions, usage notes),
so that each run can be tagged with its own language for screen readers, fonts and search."""

from __future__ import annotations

import re

#: Han characters and the punctuation that only Chinese text uses: CJK radicals, symbols and punctuation
#: (、。「」), the unified ideographs with their extensions and compatibility forms, vertical and full-width forms.
CHINESE = (
    "\u2e80-\u2fdf\u3000-\u303f\u31c0-\u31ef\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe10-\ufe1f\ufe30-\ufe4f"
    "\uff00-\uffef\U00020000-\U0003ffff"
)
_CHINESE_RUN = re.compile(f"[{CHINESE}]+")


def chinese_runs(text: str) -> list[tuple[str, bool]]:
    """``text`` cut into runs, each marked True when it is Chinese (Han characters and Chinese punctuation)."""
    runs: list[tuple[str, bool]] = []
    position = 0
    for match in _CHINESE_RUN.finditer(text):
        if match.start() > position:
            runs.append((text[position : match.start()], False))
        runs.append((match.group(), True))
        position = match.end()
    if position < len(text):
        runs.append((text[position:], False))
    return runs


def has_chinese(text: str) -> bool:
    """True when ``text`` holds a Han character or a Chinese punctuation mark."""
    return _CHINESE_RUN.search(text) is not None
