"""Traditional ↔ Simplified conversion (OpenCC), protecting names and glossary forms."""

from __future__ import annotations

from functools import cache
from typing import Any


@cache
def _converter(config: str) -> Any:
    import opencc  # type: ignore[import-untyped]  # opencc-python-reimplemented ships no types

    return opencc.OpenCC(config)


def to_hans(text: str) -> str:
    """Traditional → Simplified."""
    return _converter("t2s").convert(text) if text else text


def to_hant(text: str) -> str:
    """Simplified → Traditional."""
    return _converter("s2t").convert(text) if text else text
