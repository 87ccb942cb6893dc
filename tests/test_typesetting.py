"""The pure core of the Typst PDF: every text is a string literal that Typst prints as itself, labels are safe."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tekan import typesetting as ts

from . import pdfreader

HOSTILE = [
    line
    for line in (Path(__file__).parent / "data" / "hostile-lines.txt").read_text(encoding="utf-8").splitlines()
    if line.strip()
]


def test_string_escapes_only_what_a_typst_string_needs() -> None:
    assert ts.string('a"b\\c') == '"a\\"b\\\\c"'
    assert ts.string("line\nbreak\x00") == '"line\\u{a}break\\u{0}"'
    assert ts.text("") == ""
    assert ts.text("#set page(width: 1pt)") == '#"#set page(width: 1pt)"'


@pytest.mark.pdf
def test_every_hostile_line_is_printed_literally_and_runs_nothing(tmp_path: Path) -> None:
    """Each line of the hostile corpus (Typst, TeX, Markdown, HTML syntax …) set as a paragraph comes back from the
    PDF as itself: nothing was read as markup or code (no heading, list, math, raw, label, file read)."""
    source = tmp_path / "hostile.typ"
    # (Between two words: poppler takes a hyphen ending a line for a hyphenated word and drops it.)
    body = "\n\n".join(ts.text(f"正文{line}結束") for line in HOSTILE)
    source.write_text(
        '#set text(font: ("Libertinus Serif", "Noto Serif CJK TC"))\n#set page(height: auto)\n' + body + "\n",
        encoding="utf-8",
    )
    ts.compile_pdf(source, tmp_path / "hostile.pdf", None, standards=())
    printed = pdfreader.text(tmp_path / "hostile.pdf")
    position = 0
    squeezed = pdfreader.squeeze(printed)
    for line in HOSTILE:
        found = squeezed.find(pdfreader.squeeze(f"正文{line}結束"), position)
        assert found >= 0, line
        position = found
    assert "root:x:0:0" not in printed
    assert not list(tmp_path.glob("tekan-pwned*"))


@pytest.mark.pdf
@settings(max_examples=25, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp", "Co", "Cn")), max_size=40))
def test_any_text_is_a_valid_literal(value: str) -> None:
    """Whatever the text, the string literal compiles (Typst reads it back; no syntax error, no code)."""
    import typst

    result = typst.query(_one(value), "<probe>", field="value", one=True)
    assert result.strip() == f'"{_json(value)}"'


def _one(value: str) -> bytes:
    return f"#metadata({ts.string(value)})<probe>".encode()


def _json(value: str) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)[1:-1]


def test_labels_are_typst_label_names_and_distinct() -> None:
    names = {ts.label("statements/中文", "term-x"), ts.label("statements/__", "term-x"), ts.label("a", "b c")}
    assert len(names) == 3
    assert all(re.fullmatch(r"[A-Za-z0-9_.:-]+", name) for name in names)
    assert ts.label("glossary", "term-quality") == "t:glossary:term-quality"


def test_layout_values_are_literals() -> None:
    layout = ts.Layout(
        lang="zh",
        region="tw",
        script="hant",
        serif="Noto Serif CJK TC",
        sans="Noto Sans CJK TC",
        other_serif="Noto Serif CJK SC",
        title='書名"#x',
        author="作者",
        subject="Subject",
        words={"contents": "目錄"},
    )
    arguments = layout.arguments()
    assert 'title: "書名\\"#x"' in arguments and 'words: ("contents": "目錄")' in arguments
    assert ts.value([]) == "()" and ts.value(["a"]) == '("a",)' and ts.value({}) == "(:)"


def test_document_date_from_source_date_epoch() -> None:
    assert ts.document_date("1630454400") == (2021, 9, 1, 0, 0, 0)
    assert ts.document_date("") is None and ts.document_date("x") is None


@pytest.mark.pdf
def test_plain_sphinx_build_checks_the_glyphs_before_compiling(tmp_path: Path) -> None:
    """``sphinx-build -b typst`` (no tekan command around it) names a character the fonts lack and makes no PDF."""
    import subprocess
    import sys

    seed = tmp_path / "f.txt"
    seed.write_text(
        "以標準引領浙江製造\n標準化是國家質量基礎設施的重要組成部分😀。\n——浙江省市場監督管理局局長陳立新\n《浙江標準報》\n",
        encoding="utf-8",
    )
    (tmp_path / "src").mkdir()
    command = [sys.executable, "-m", "sphinx", "-b", "typst", "-C", "-D", "extensions=tekan.sphinxext"]
    command += [
        "-D",
        f"tekan_target.seed={seed}",
        "-D",
        "tekan_target.report_gaps=0",
        "-q",
        str(tmp_path / "src"),
        str(tmp_path / "out"),
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert f"{seed}:2: WARNING: paragraph, column 20: '😀' U+1F600" in result.stderr, result.stderr[-2000:]
    assert "no PDF made" in result.stderr
    assert (tmp_path / "out" / "tekan.typ").is_file() and not (tmp_path / "out" / "tekan.pdf").exists()
    seed.write_text(seed.read_text(encoding="utf-8").replace("😀", ""), encoding="utf-8")
    again = subprocess.run([*command[:3], "-W", *command[3:]], capture_output=True, text=True, check=False)
    assert again.returncode == 0, again.stderr[-2000:]
    assert (tmp_path / "out" / "tekan.pdf").stat().st_size > 10_000


@pytest.mark.pdf
def test_the_fonts_are_the_editions_faces_cut_to_the_books_characters(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Typst is given the edition's Noto CJK faces (every weight) holding the book's characters and not the rest of
    the 65,000 glyphs; the same characters again reuse the cut faces (in the folder, or from the user's cache into a
    new folder), others cut them anew."""
    import typst
    import uharfbuzz as hb

    families = ("Noto Serif CJK TC", "Noto Sans CJK TC", "Noto Serif CJK SC")
    cache = tmp_path / "cache"
    folder = ts.cut_fonts(families, "標準引領「」，。", tmp_path / "fonts", cache=cache)
    assert folder == tmp_path / "fonts"
    faces = sorted(folder.glob("*.otf"))
    listed = typst.Fonts(include_system_fonts=False, include_embedded_fonts=False, font_paths=[str(folder)])
    assert sorted(listed.families()) == sorted(families)
    assert {f.weight for f in listed.fonts() if f.family == "Noto Serif CJK TC"} == {400, 700}
    for path in faces:
        face = hb.Face(hb.Blob.from_file_path(str(path)))
        covered = set(face.unicodes)
        assert {ord(c) for c in "標準引領「」，。AZaz09"} <= covered
        assert ord("國") not in covered and face.glyph_count < 1000  # the whole face has 65,535
    made = {path: path.stat().st_mtime_ns for path in faces}
    assert ts.cut_fonts(families, "標準引領「」，。", folder) == folder
    assert {path: path.stat().st_mtime_ns for path in folder.glob("*.otf")} == made
    with monkeypatch.context() as patched:  # from the cache, not cut again
        patched.setattr(ts, "_cut_face", None)
        again = ts.cut_fonts(families, "標準引領「」，。", tmp_path / "again", cache=cache)
        assert again is not None
        assert {p.name: p.read_bytes() for p in again.iterdir()} == {p.name: p.read_bytes() for p in folder.iterdir()}
    ts.cut_fonts(families, "國", folder)
    assert all(ord("國") in hb.Face(hb.Blob.from_file_path(str(p))).unicodes for p in folder.glob("*.otf"))


def test_no_fonts_are_cut_without_a_face_of_each_family(tmp_path: Path) -> None:
    assert ts.cut_fonts(("Noto Serif CJK TC", "No Such Family 7"), "標", tmp_path / "fonts") is None


def _layout() -> ts.Layout:
    return ts.Layout(
        lang="zh",
        region="tw",
        script="hant",
        serif="Noto Serif CJK TC",
        sans="Noto Sans CJK TC",
        other_serif="Noto Serif CJK SC",
        title="標題",
        author="作者",
        subject="Title",
        identifier="urn:tekan:test:zh-hant",
        date="2021-09",
        tag="zh-Hant",
        publisher="中國質量報社",
        rights="版權所有 © 2021 中國質量報社",
    )


def _finished_facts(path: Path) -> tuple[object, ...]:
    import pikepdf

    with pikepdf.open(path) as pdf:
        meta = pdf.open_metadata()
        fields = ("dc:language", "dc:identifier", "dc:publisher", "dc:date", "dc:rights", "dc:title")
        return (str(pdf.Root.Lang), dict(pdf.Root.MarkInfo), [meta.get(name) for name in fields], len(pdf.pages))


@pytest.mark.pdf
def test_the_finished_pdf_keeps_the_compilers_bytes_and_adds_the_editions_metadata(tmp_path: Path) -> None:
    """The finishing step appends the catalog and XMP packet it changes to the compiler's file (an incremental
    update: the compiler's bytes are the finished file's start), and a reader finds the edition's language tag,
    identifier, publisher, date and rights; a file whose cross-references are a stream (no classic table to follow)
    is saved whole, with the same metadata."""
    import pikepdf

    source = tmp_path / "book.typ"
    source.write_text(
        '#set document(title: "標題")\n'
        '#set text(lang: "zh", region: "tw", font: "Noto Serif CJK TC")\n質量強則國家強。\n',
        encoding="utf-8",
    )
    compiled = tmp_path / "book.pdf"
    assert ts.compile_pdf(source, compiled, 0) == []
    written = compiled.read_bytes()
    ts.finish_pdf(compiled, _layout())
    finished = compiled.read_bytes()
    assert finished.startswith(written) and len(finished) > len(written)
    facts = _finished_facts(compiled)
    expected_fields = [
        {"zh-Hant"},
        "urn:tekan:test:zh-hant",
        {"中國質量報社"},
        ["2021-09"],
        "版權所有 © 2021 中國質量報社",
    ]
    assert facts[0] == "zh-Hant" and "/Suspects" not in facts[1] and facts[2][:5] == expected_fields
    assert facts[2][5] == "標題" and facts[3] == 1
    assert "質量強則國家強" in pdfreader.text(compiled)

    streamed = tmp_path / "streamed.pdf"
    with pikepdf.open(tmp_path / "book.pdf") as pdf:  # (already finished: its metadata are set again, the same)
        pdf.save(streamed, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    ts.finish_pdf(streamed, _layout())
    assert _finished_facts(streamed) == facts


@pytest.mark.pdf
def test_a_long_contents_is_laid_out_whole_in_typsts_first_layout(tmp_path: Path) -> None:
    """Contents of three pages and more (a collection's): Typst's first layout knows no heading for the outline to
    list, and sets the same lines from the builder's list of them (``entries``), so the body starts there on the page
    it starts on in the book, and the pages settle in two layouts. With the outline alone the first layout's
    contents were one page, every later page of that layout one or more pages early: a layout more, in which every
    paragraph with a link (whose text names its target's page) was laid out again."""
    (tmp_path / "tekanbook.typ").write_text(ts.TEMPLATE.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / ts.EDITION).write_text(_layout().settings(), encoding="utf-8")
    chapters = [f"第{n}篇：{'質量強則國家強' * (1 + n % 3)}" for n in range(1, 121)]
    entries = [(1, ts.text("第一部"))] + [(2, ts.text(title)) for title in chapters]
    body = [f"#part([{ts.text('第一部')}], plain: {ts.string('第一部')}, index: 1)"]
    for index, title in enumerate(chapters, start=2):
        body.append(f"#chapter([{ts.text(title)}], plain: {ts.string(title)}, index: {index})")
        body.append(ts.text("質量是人類生產生活的重要保障。" * 12))
    rows = "".join(f"({level}, [{markup}]), " for level, markup in entries)
    source = [
        '#import "tekanbook.typ": *',
        f"#show: book.with({_layout().arguments()})",
        f"#contents({ts.string('目錄')}, entries: ({rows}))",
        "#body-matter()",
        "#set page(..body-page)",
        *body,
    ]
    (tmp_path / "tekan.typ").write_text("\n\n".join(source) + "\n", encoding="utf-8")
    assert ts.compile_pdf(tmp_path / "tekan.typ", tmp_path / "tekan.pdf", 0) == []
    contents = pdfreader.text(tmp_path / "tekan.pdf").split("\f")
    roman = [page for page in contents if re.search(r"^\s*(iii|iv|v)\s*$", page, re.MULTILINE)]
    assert roman, "the contents are shorter than three pages: the test proves nothing"
    assert pdfreader.typst_settles_within(tmp_path, 2)
