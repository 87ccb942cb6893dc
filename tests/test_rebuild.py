"""An incremental `tekan build` gives the same bytes as a clean one, and browsers are told when a file changed:
the tooltip data's cache-busting ``?v=`` is that file's own checksum."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zlib
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
    rounds = [
        [(glossary, 'definition_en = "', 'definition_en = "Edited: ')],  # the tooltips' data changes
        [(seed, "計量是基礎", "計量是一切的基礎"), (glossary, 'en = "', 'en = "Renamed ')],  # a page; a term's name
    ]
    for number, edits in enumerate(rounds):
        for path, old, new in edits:
            edit(path, old, new)
        build(seed, glossary, out)
        clean = tmp_path / f"clean-{number}"
        build(seed, glossary, clean)
        got, want = tree(out), tree(clean)
        assert sorted(got) == sorted(want)
        assert [name for name in want if got[name] != want[name]] == [], f"after edit {number}"
        site = out / "html" / "zh-hant"
        data = (site / "_static" / "tekan-terms-data.js").read_bytes()
        checksum = format(zlib.crc32(data.replace(b"\r", b"")), "08x")  # Sphinx's checksum of a static file
        for page in ("index.html", "statements/han-yongsheng.html", "glossary.html"):
            asked = re.findall(r'src="[./]*_static/tekan-terms-data\.js\?v=([0-9a-f]+)"', (site / page).read_text())
            assert asked == [checksum], (page, asked, checksum)
