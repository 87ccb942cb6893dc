"""The benchmark script keeps working: a smoke run at tiny sizes (timings are not checked, only that it runs)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.sphinx


def test_benchmark_smoke_run(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "benchmark.py"), "--smoke", "--out", str(out), "--work", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=900,  # a shared machine under load: the smoke run also builds and searches the real book
    )
    assert result.returncode == 0, result.stderr[-3000:]
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["failures"] == []
    assert data["machine"]["nproc"] >= 1

    convert = {row["statements"]: row for row in data["convert"]}
    assert set(convert) == {16, 32}
    assert convert[32]["bytes"] > convert[16]["bytes"] > 0
    assert all(row["convert_s"] > 0 and row["peak_mb"] > 0 for row in convert.values())
    # tekan convert itself, the book's first conversion and the next (each a process that ran to its end)
    assert all(row["cli_ok"] and row["cli_warm_ok"] and row["cli_cpu_s"] > 0 for row in convert.values())
    assert all(row["warm_up_ok"] and row["cli_user_s"] > 0 for row in convert.values())
    # and what making as many empty files cost the disk then (its share of the conversion's CPU)
    assert all(row["empty_files"] == 32 and row["empty_files_sys_s"] >= 0 for row in convert.values())

    links = data["linking"]["link"]
    # Linking finds terms of the real glossary and of the n-gram glossary, none of random strings (almost surely).
    assert any(row["links"] > 0 for row in links if row["glossary"].startswith("real"))
    assert any(row["links"] > 0 for row in links if row["glossary"].startswith("ngram"))

    assert {(row["statements"], row["jobs"]) for row in data["html"]} == {(16, "1"), (16, "auto")}
    assert all(row["ok"] and row["peak_mb"] > 0 for row in data["html"])
    assert [row["format"] for row in data["formats"]] == ["html", "epub", "typst"]
    assert data["overhead"][0]["plain_s"] > 0 and data["overhead"][0]["tekan_s"] > 0
    assert data["incremental"][0]["one_edit_s"] > 0

    # The printed table names each part.
    for title in ("Conversion", "Linking time", "HTML builds", "Extension overhead", "Incremental"):
        assert title in result.stdout

    # The search measurement ran in Chromium on the real book, and every target of issue 24 is printed.
    assert data["search"] and all(row["bytes"] > 0 and row["index_bytes"] > 0 for row in data["search"])
    assert all("searchindex.js" not in row["summary"] for row in data["search"])
    assert "Targets of issue 24" in result.stdout and "conversion of 16,000 statements" in result.stdout
    # Every target of issue 24 has a line, measured or saying why not; the single feature's edit was measured.
    archive = result.stdout.split("Targets of issue 24", 1)[1].split("\n###", 1)[0]
    for target in ("< 60 s CPU", "0.75× plain Sphinx", "both Chinese editions", "16,000 statements, HTML",
                   "at 1,600 statements than at 16", "at 16,000 statements than at 16", "flat from 16 to 1,600",
                   "one statement edited at 1,600", "conversion of 16,000"):  # fmt: skip
        line = next(line for line in archive.split("\n") if target in line)
        assert "| – |" not in line or "not measured" in line, line
    single = data["single_feature"][-1]
    assert single["edit_ok"] and single["edit_cpu_s"] > 0 and single["largest_site_kb"] > single["page_kb"] > 0


def test_the_benchmarks_large_seeds_repeat_no_paragraph(tmp_path: Path) -> None:
    """A memo of paragraphs must not make the benchmark's archive cheap: past the real 16, every copy of a
    statement has paragraphs of its own, in a single feature's seed as in a collection's features."""
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import benchmark
    finally:
        sys.path.remove(str(ROOT / "tools"))
    blocks, _ = benchmark.real_blocks()
    real = {line for block in blocks for line in block[1:-1]}
    seed = benchmark.make_seed(3 * len(blocks), tmp_path / "single")
    lines = [line for line in seed.read_text(encoding="utf-8").split("\n") if line.strip()][:-1]  # not the masthead
    paragraphs = [line for line in lines if not line.startswith("——") and line not in {b[0] for b in blocks}]
    assert len(paragraphs) == 3 * len(real) and len(set(paragraphs)) == len(paragraphs)
    collection = benchmark.make_collection(3 * len(blocks), tmp_path / "collection")
    texts = [path.read_text(encoding="utf-8") for path in sorted(collection.parent.glob("issue-*.txt"))]
    seen = [line for text in texts for line in text.split("\n") if line.strip() and not line.startswith("——")]
    assert len([line for line in seen if line in real]) == len(real)  # the first feature alone is the real book
