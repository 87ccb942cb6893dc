"""An incremental `tekan build` gives the same bytes as a clean one, and a page's tooltips follow the glossary:
each page carries the data of the terms it links to, so an edited definition reaches the pages that use it."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import GLOSSARY, ROOT

SEED = (
    "讓質量成為美好安徽靚麗底色\n質量是發展的生命線，標準化工作很重要，計量是基礎。\n——安徽省市場監管局局長韓永生\n"
    "以標準引領高質量發展\n認證認可是市場經濟的基礎制度。\n——浙江省標準化研究院院長李四\n中國質量報\n"
)


def build(seed: Path, glossary: Path, out: Path) -> None:
    command = [sys.executable, "-m", "tekan", "--glossary", str(glossary), "build", "html", "--script", "hant"]
    result = subprocess.run(
        [*command, "--seed", str(seed), "--out", str(out)], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr[-3000:]


def tree(out: Path) -> dict[str, bytes]:
    site = out / "html"
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_incremental_builds_equal_clean_builds_byte_for_byte(tmp_path: Path) -> None:
    seed = tmp_path / "in" / "s.txt"
    seed.parent.mkdir()
    seed.write_text(SEED, encoding="utf-8")
    glossary = tmp_path / "in" / "terms.toml"
    shutil.copy(GLOSSARY, glossary)
    out = tmp_path / "incremental"
    build(seed, glossary, out)
    definition = 'definition_zh = "實現單位統一'  # metrology's: the tooltips' data changes
    rounds = [
        [(glossary, definition, definition.replace('"', '"已修訂：'))],
        [(seed, "計量是基礎", "計量是一切的基礎"), (glossary, 'en = "', 'en = "Renamed ')],  # a page; a term's name
    ]
    for number, edits in enumerate(rounds):
        before = tree(out)
        for path, old, new in edits:
            edit(path, old, new)
        build(seed, glossary, out)
        if number == 0:  # only the pages that link to the term, and the glossary's own pages, have changed
            after = tree(out)
            changed = {name for name in after if after[name] != before.get(name)}
            link = b'glossary.html#term-metrology"'
            linking = {name for name in after if name.endswith(".html") and link in after[name]}
            # The glossary, its English index, its exports, and the search index (which holds the glossary page).
            glossary_files = {"glossary.html", "english-index.html", "_static/tekan-glossary.csv"}
            glossary_files |= {"_static/tekan-glossary.tbx"}
            assert "zh-hant/statements/han-yongsheng.html" in linking
            # The search files that hold the glossary page's words and excerpt (tekan.sphinxext.searchshards).
            searched = {name for name in changed if name.startswith("zh-hant/_search/")}
            assert changed - linking - searched - {f"zh-hant/{name}" for name in glossary_files} == set(), sorted(
                changed
            )
        clean = tmp_path / f"clean-{number}"
        build(seed, glossary, clean)
        got, want = tree(out), tree(clean)
        assert sorted(got) == sorted(want)
        assert [name for name in want if got[name] != want[name]] == [], f"after edit {number}"
        site = out / "html" / "zh-hant"
        page = (site / "statements" / "han-yongsheng.html").read_text(encoding="utf-8")  # links 計量 (metrology)
        data = re.search(r'<script type="application/json" id="tekan-terms-data">(.*?)</script>', page)
        assert data is not None and "已修訂：" in json.loads(data[1])["terms"]["metrology"]["def"]
