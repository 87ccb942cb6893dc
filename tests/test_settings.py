"""Docutils and MyST settings made once per build; front matter read by libyaml, to the same values."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml  # type: ignore[import-untyped]  # no type information installed (types-PyYAML)

from tekan.sphinxext import settings

ROOT = Path(__file__).resolve().parents[1]


def _front_matters(folder: Path) -> list[str]:
    found = []
    for page in sorted(folder.rglob("*.md")):
        text = page.read_text(encoding="utf-8")
        if text.startswith("---\n"):
            found.append(text[4 : text.index("\n---", 4) + 1])
    return found


@pytest.mark.sphinx("html", testroot="book")
def test_a_build_reads_front_matter_through_libyaml_to_the_values_pyyaml_reads(app) -> None:  # type: ignore[no-untyped-def]
    app.build()
    assert yaml.safe_load is settings.safe_load
    matters = _front_matters(Path(app.srcdir))
    assert len(matters) > 10
    tricky = ['title: "a: b # c"\nn: 007\nx: 1e3\nt: yes\nd: 2024-01-02\nempty:\nlist: [1, "二", ~]\n', "just text\n"]
    for text in [*matters, *tricky]:
        assert settings.safe_load(text) == yaml.load(text, Loader=yaml.SafeLoader)
