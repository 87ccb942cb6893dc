"""Normalised Traditional text: full-width punctuation in Chinese context, Traditional word forms, every change
recorded with its place, glossary links kept, and a verbatim switch."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from tekan.book import book_pages, load_book
from tekan.cli import main
from tekan.errors import TekanError
from tekan.normalise import Edit, Normaliser, load_words
from tekan.rendering import render_about

from .conftest import GLOSSARY, SEED


@pytest.fixture(scope="module")
def book():  # type: ignore[no-untyped-def]
    return load_book(SEED, GLOSSARY, "hant")


@pytest.fixture(scope="module")
def verbatim():  # type: ignore[no-untyped-def]
    return load_book(SEED, GLOSSARY, "hant", normalise=False)


def normalise(text: str, protected: tuple[str, ...] = ()) -> str:
    return Normaliser(protected=protected).normalise(text)[0]


@pytest.mark.parametrize(
    ("seed", "expected"),
    [
        ("質量強則國家強,質量興則民族興。", "質量強則國家強，質量興則民族興。"),
        ("框架基本形成;24個國家級", "框架基本形成；24個國家級"),
        ("展了許多探索:在全國", "展了許多探索：在全國"),
        ("質量競爭優勢?", "質量競爭優勢？"),
        ("主導(參與)編制了", "主導（參與）編制了"),
        ("中國質量(杭州)大會", "中國質量（杭州）大會"),
        ("規劃2020-2025》,推進", "規劃2020–2025》，推進"),  # a range of years takes an en dash
        ("編號2020-1234", "編號2020-1234"),  # not a range of years: the hyphen stays
        ("1/60", "1/60"),
        ("占河南省的1/6、全國的1/60,是全省", "佔河南省的1/6、全國的1/60，是全省"),
        ("5G、AI和QI", "5G、AI和QI"),
        ("共1,000家", "共1,000家"),  # a thousands separator is not Chinese punctuation
        ("AI,5G and (QI)", "AI,5G and (QI)"),  # Latin context stays ASCII
        ("“人工智能+雙隨機”", "「人工智能+雙隨機」"),  # W3C clreq: corner brackets in Traditional
        ("他說：“要用‘雙隨機’監管。”", "他說：「要用『雙隨機』監管。」"),  # nested quotes
        ("China’s “AI” plan", "China’s “AI” plan"),  # English: apostrophe and quotes stay
    ],
)
def test_punctuation_in_chinese_context_only(seed: str, expected: str) -> None:
    assert normalise(seed) == expected


@pytest.mark.parametrize(
    ("seed", "expected"),
    [
        ("《關于開展質量提升行動的實施方案》", "《關於開展質量提升行動的實施方案》"),
        ("市場并通過消費", "市場並通過消費"),
        ("企業兼并重組", "企業兼併重組"),
        ("市場占有率", "市場佔有率"),
        ("扎實開展", "紮實開展"),
        ("為安徽經濟社會發展筑勢賦能", "為安徽經濟社會發展築勢賦能"),
        ("先進制造業", "先進製造業"),
        ("全國質量強市示范城市", "全國質量強市示範城市"),
        ("真抓實干", "真抓實幹"),
        ("相互制約制度體系", "相互制約制度體系"),
        ("建立和完善質量促進機制", "建立和完善質量促進機制"),
        ("機制造成", "機制造成"),  # 機制 + 造成, not 制造
        ("體制、制定、管制、控制", "體制、制定、管制、控制"),
        ("占卜", "占卜"),
    ],
)
def test_word_forms_from_the_word_list(seed: str, expected: str) -> None:
    assert normalise(seed) == expected


def test_protected_names_are_not_touched() -> None:
    assert normalise("中國制造研究所推動制造業", protected=("中國制造研究所",)) == "中國制造研究所推動製造業"


def test_word_list_errors_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "words.txt"
    path.write_text("關于\t關於\n并\n", encoding="utf-8")
    with pytest.raises(TekanError) as info:
        load_words(path)
    assert info.value.location.line == 2


def test_no_ascii_punctuation_left_in_chinese_text(book) -> None:  # type: ignore[no-untyped-def]
    seed_text = SEED.read_text(encoding="utf-8")
    statements = book.publication.statements
    text = "\n".join(p for st in statements for p in (st.headline, *st.paragraphs)) + book.publication.masthead
    assert seed_text.count(",") == 225  # the count the issue reports
    assert re.findall(r"[,;:?()]", text) == []
    commas = [c for c in book.publication.changes if c.old == ","]
    assert len(commas) == 225


def test_every_change_is_at_its_place_in_the_seed(book, verbatim) -> None:  # type: ignore[no-untyped-def]
    seed_lines = [line.strip() for line in SEED.read_text(encoding="utf-8").split("\n")]
    printed = {st.number: st for st in verbatim.publication.statements}
    assert book.publication.changes
    for change in book.publication.changes:
        assert change.before[change.start : change.start + len(change.old)] == change.old
        assert change.after[change.start : change.start + len(change.new)] == change.new
        line = seed_lines[change.line - 1]
        assert change.before in line, change
        if change.part == "paragraph":
            assert line == printed[change.statement].paragraphs[change.paragraph - 1]
        elif change.part == "headline":
            assert line == printed[change.statement].headline
        elif change.part == "byline":
            assert line == "——" + printed[change.statement].attribution.raw
        else:
            assert line == verbatim.publication.masthead


def test_changes_replayed_on_the_seed_give_the_normalised_text(book, verbatim) -> None:  # type: ignore[no-untyped-def]
    for normalised, original in zip(book.publication.statements, verbatim.publication.statements, strict=True):
        for index, paragraph in enumerate(original.paragraphs, start=1):
            edits = [c for c in book.publication.changes if c.statement == original.number and c.paragraph == index]
            replayed, cursor = paragraph, 0
            for change in edits:  # in text order; every edit here keeps the length, so offsets stay valid
                position = paragraph.find(change.before, max(0, cursor - len(change.before))) + change.start
                assert position >= cursor
                replayed = replayed[:position] + change.new + replayed[position + len(change.old) :]
                cursor = position + 1
            assert replayed == normalised.paragraphs[index - 1]


def test_bylines_are_kept_as_printed_but_for_look_alike_misprints(book, verbatim) -> None:  # type: ignore[no-untyped-def]
    for a, b in zip(book.publication.statements, verbatim.publication.statements, strict=True):
        assert a.attribution.raw == b.attribution.raw.replace("陜西", "陝西")
        assert a.attribution.person == b.attribution.person
    corrected = [c for c in book.publication.changes if c.rule == "lookalike"]
    assert [c.part for c in corrected] == ["byline", "paragraph", "paragraph", "paragraph"]
    assert all((c.old, c.new) == ("陜西", "陝西") for c in corrected)


def test_look_alike_is_corrected_inside_a_protected_name_and_rules_can_be_switched_off() -> None:
    name = "陜西省某局"
    assert Normaliser(protected=(name,)).normalise("陜西省某局,制造")[0] == "陝西省某局，製造"
    only = Normaliser(protected=(name,), rules=("lookalike",))
    assert only.normalise("陜西省某局,“制造”")[0] == "陝西省某局,“制造”"
    none = Normaliser(protected=(name,), rules=())
    assert none.normalise("陜西省某局,“制造”2020-2025")[0] == "陜西省某局,“制造”2020-2025"


def test_customary_forms_are_labelled_as_such_not_as_mainland_forms() -> None:
    edits = Normaliser().edits("市場占有率和全球布局")
    assert [(e.old, e.new, e.rule) for e in edits] == [("占", "佔", "customary"), ("布局", "佈局", "customary")]


def test_the_audit_page_speaks_of_the_book_and_prints_a_compact_appendix(book) -> None:  # type: ignore[no-untyped-def]
    for script in ("hant", "hans"):
        pages = book_pages(load_book(SEED, GLOSSARY, script))
        page, note = pages["audit.md"], pages["about.md"]
        assert SEED.name not in page and "--verbatim" not in page and "tekan" not in page.split("```")[0]
        places = [json.loads(line)[0] for line in page.split("\n") if line.startswith('["')]
        assert places and not any("行" in place for place in places)  # paragraphs, never seed line numbers
        assert "{container} tekan-audit-print" in note and "tekan-audit-print" not in page
    note = book_pages(book)["about.md"]
    assert "通行寫法 5 處" in note and "形近誤字 4 處" in note and "引號 142 處" in note
    # The site's table: a row of JSON cells, the change in each context a cell of its own (shown in bold).
    row = '["署名", ["", "陜西", "省市場監管局"], ["", "陝西", "省市場監管局"], "形近誤字"]'
    assert row in book_pages(book)["audit.md"]
    line = "* 推動高質量發展邁出堅實步伐，署名：{strong}`陜西`省市場監管局 → {strong}`陝西`省市場監管局（形近誤字）"
    assert line in note  # the print appendix
    assert "- 報頭：標點 2 處" in note


def test_the_editorial_note_says_what_was_done_and_nothing_else(tmp_path: Path) -> None:
    """The note is derived from the changes: a clean Traditional text is not said to be a machine conversion, and
    only the kinds of change that were made are explained."""
    seed = tmp_path / "clean.txt"
    seed.write_text(
        "計量是工業的「眼睛」\n計量是工業的眼睛，也是質量的基礎。\n——某市計量測試研究院院長 王小明\n《某報》\n",
        encoding="utf-8",
    )
    pages = book_pages(load_book(seed, GLOSSARY, "hant"))
    assert "audit.md" not in pages  # nothing changed: no log to link to
    assert "原稿無需校訂" in pages["about.md"] and "簡體" not in pages["about.md"]
    seed.write_text(
        "計量是工業的「眼睛」\n計量是工業的眼睛,也是質量的基礎。\n——某市計量測試研究院院長 王小明\n《某報》\n",
        encoding="utf-8",
    )
    pages = book_pages(load_book(seed, GLOSSARY, "hant"))
    note = pages["about.md"]
    assert "共 1 處：標點 1 處" in note and "半形標點改為全形" in note
    assert "簡體" not in note and "彎引號" not in note and "大陸字形" not in note
    assert "](audit.md)" in note


def test_verbatim_keeps_the_seed(verbatim) -> None:  # type: ignore[no-untyped-def]
    seed_lines = {line.strip() for line in SEED.read_text(encoding="utf-8").split("\n")}
    assert not verbatim.publication.normalised and verbatim.publication.changes == ()
    for st in verbatim.publication.statements:
        assert all(p in seed_lines for p in st.paragraphs)
    assert "未作任何校訂" in render_about(verbatim.publication)


def test_glossary_headword_links_after_normalisation(book) -> None:  # type: ignore[no-untyped-def]
    pages = book_pages(book)
    page = pages["statements/tang-yingyu.md"]
    assert "{term}`真抓實幹 <" in page
    assert "真抓實干" not in page


def test_audit_page_lists_every_change(book) -> None:  # type: ignore[no-untyped-def]
    page = book_pages(book)["audit.md"]
    rows = [line for line in page.split("\n") if line.startswith(('["第', '["標題', '["報頭', '["署名'))]
    assert len(rows) == len(book.publication.changes)
    assert f"共 {len(book.publication.changes)} 處" in book_pages(book)["about.md"]
    # The note is in the home page's toctree; the log (the long table) is not: the note links to it.
    index = book_pages(book)["index.md"]
    assert "/about" in index and "/audit" not in index and "orphan: true" in page
    hans = book_pages(load_book(SEED, GLOSSARY, "hans"))["audit.md"]
    assert "(audit)=\n# 文字校订记录" in hans


def test_cli_convert_verbatim(tmp_path: Path) -> None:
    assert main(["convert", str(SEED), "--out", str(tmp_path / "normalised")]) == 0
    assert main(["convert", str(SEED), "--verbatim", "--out", str(tmp_path / "verbatim")]) == 0
    normalised = (tmp_path / "normalised" / "statements" / "han-yongsheng.md").read_text(encoding="utf-8")
    as_printed = (tmp_path / "verbatim" / "statements" / "han-yongsheng.md").read_text(encoding="utf-8")
    assert "國家強，質量興" in normalised and "國家強,質量興" in as_printed
    assert "筑勢" in as_printed and "築勢" in normalised


def test_changes_carry_seed_lines_from_the_parsed_model_without_rereading_the_seed(tmp_path: Path) -> None:
    from tekan.normalise import normalise_publication
    from tekan.parsing import parse_seed

    text = "\n標題,一\n\n正文一。\n\n正文二,有逗號。\n——某局局長張三\n《某報》(特刊)\n"
    publication, _ = parse_seed(text, tmp_path / "never-written.txt")  # the file does not exist
    assert publication.statements[0].paragraph_lines == (4, 6)
    assert publication.masthead_line == 8
    changes = normalise_publication(publication).changes
    assert [(c.part, c.paragraph, c.line) for c in changes] == [
        ("headline", 0, 2),
        ("paragraph", 2, 6),
        ("masthead", 0, 8),
        ("masthead", 0, 8),
    ]


def _many_statements_seed(path: Path, count: int) -> Path:
    """A seed of ``count`` statements, each with one half-width comma to correct (one audited change each)."""
    given = "明華強國偉芳敏靜麗軍德志"
    blocks = []
    for n in range(count):
        name = "王" + given[n // len(given)] + given[n % len(given)]
        blocks.append(f"第{n + 1}號意見\n計量是工業的眼睛,也是質量的基礎。\n——某市計量測試研究院院長 {name}\n")
    path.write_text("".join(blocks) + "《某報》\n", encoding="utf-8")
    return path


def test_a_long_audit_log_goes_on_over_numbered_pages(tmp_path: Path) -> None:
    """Past 48 statements with changes the log is split (a single feature of 1,600 statements made one page of
    10 MB): every change on exactly one page, each page linking to all the others, the note to the first."""
    from tekan.rendering import AUDIT_STATEMENTS_PER_PAGE, audit_docs

    count = 2 * AUDIT_STATEMENTS_PER_PAGE + 5
    book = load_book(_many_statements_seed(tmp_path / "many.txt", count), GLOSSARY, "hant")
    assert len({c.statement for c in book.publication.changes}) == count
    pages = book_pages(book)
    logs = sorted((name for name in pages if re.fullmatch(r"audit(-\d+)?\.md", name)), key=len)
    assert logs == ["audit.md", "audit-2.md", "audit-3.md"]
    assert audit_docs(book.publication) == {"audit", "audit-2", "audit-3"}  # the pages the print does not read
    rows = [line for name in logs for line in pages[name].split("\n") if line.startswith('["第')]
    assert len(rows) == len(book.publication.changes) == count
    sections = [pages[name].count("\n## ") for name in logs]
    assert sections == [AUDIT_STATEMENTS_PER_PAGE, AUDIT_STATEMENTS_PER_PAGE, 5]
    assert "# 文字校訂記錄 1/3" in pages["audit.md"] and "# 文字校訂記錄 3/3" in pages["audit-3.md"]
    assert "[1](audit.md) · **2** · [3](audit-3.md)" in pages["audit-2.md"]
    assert "](audit.md)" in pages["about.md"] and "audit-2" not in pages["about.md"]
    assert all("orphan: true" in pages[name] and "nosearch: true" in pages[name] for name in logs)


def test_a_further_audit_page_has_no_english_counterpart() -> None:
    from tekan.sphinxext.html import counterpart

    assert counterpart("audit-2", "hant", "en") == counterpart("audit", "hant", "en") == "index"
    assert counterpart("audit-2", "hant", "hans") == "audit-2"


def test_a_text_met_again_in_a_run_is_normalised_once_with_the_same_edits(monkeypatch: pytest.MonkeyPatch) -> None:
    """A book repeats its stock sentences: each distinct text is worked out once, and each time it is met it
    gets the same text and the same edits (a list of its own, which the caller may change)."""
    normaliser = Normaliser()
    worked: list[str] = []
    original = Normaliser.edits

    def counting(self: Normaliser, text: str) -> list:  # type: ignore[type-arg]  # Edit is the module's own
        worked.append(text)
        return original(self, text)

    monkeypatch.setattr(Normaliser, "edits", counting)
    first = normaliser.normalise("產品質量,要提高")
    first[1].clear()
    second = normaliser.normalise("產品質量,要提高")
    assert second[0] == first[0] == "產品質量，要提高" and len(second[1]) == 1
    assert worked == ["產品質量,要提高"]


# --- the punctuation and quotation rules against their plain statement ------------------------------------------

_OLD_CJK = re.compile(
    r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef\u2018\u2019\u201c\u201d\u2014\u2026\u00b7]"
)


def _plain_punctuation(text: str, covered: list[bool]) -> list[tuple[int, str, str]]:
    """The punctuation rule character by character: a half-width mark with a Chinese neighbour, a pair of brackets
    with Chinese beside either or between them."""
    from tekan.normalise import FULL_WIDTH

    def chinese(char: str) -> bool:
        return bool(char) and _OLD_CJK.match(char) is not None

    edits, pending = [], None
    for i, char in enumerate(text):
        if char not in FULL_WIDTH or covered[i]:
            continue
        before, after = text[i - 1 : i] if i else "", text[i + 1 : i + 2]
        if char == "(":
            pending = i
        elif char == ")":
            if pending is not None:
                around = (text[pending - 1] if pending else "", after)
                if any(chinese(c) for c in text[pending + 1 : i]) or any(chinese(c) for c in around):
                    edits += [(pending, "(", "（"), (i, ")", "）")]
            pending = None
        elif chinese(before) or chinese(after):
            edits.append((i, char, FULL_WIDTH[char]))
    return sorted(edits)


def _plain_quotes(text: str, covered: list[bool], quotes: dict[str, str], anywhere: bool) -> list[tuple[int, str, str]]:
    return [
        (i, char, quotes[char])
        for i, char in enumerate(text)
        if char in quotes
        and not covered[i]
        and (anywhere or any(_OLD_CJK.match(c) for c in (text[i - 1 : i] if i else "", text[i + 1 : i + 2]) if c))
    ]


def test_punctuation_and_quote_edits_are_the_plain_rules_on_varied_text() -> None:
    """Only the marks that change are looked at (one pattern with Chinese on either side): the same edits as the
    rules applied character by character, on random runs of Han characters, Latin letters, digits, spaces, the
    half-width marks, brackets and both kinds of quotation marks, some of them covered by a word edit."""
    import random

    from tekan.normalise import _CJK_CHARS, CORNER_QUOTES, CURLY_QUOTES, _punctuation_edits, _quote_edits

    assert {chr(code) for code in range(0x10000) if _OLD_CJK.match(chr(code))} == _CJK_CHARS
    rng = random.Random(7)
    pool = "質量強國家計量aZ09 ,;:?!()（）“”‘’「」『』—…·.-\u3000"
    for _ in range(3_000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 40)))
        covered = [rng.random() < 0.1 for _ in text]
        found = sorted((e.start, e.old, e.new) for e in _punctuation_edits(text, covered))
        assert found == _plain_punctuation(text, covered), text
        for quotes in (CORNER_QUOTES, CURLY_QUOTES):
            found = sorted((e.start, e.old, e.new) for e in _quote_edits(text, covered, quotes))
            assert found == _plain_quotes(text, covered, quotes, quotes is CURLY_QUOTES), text


def test_a_publication_normalised_through_the_memo_equals_one_normalised_afresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The memo keeps each text's edits (as one flat tuple); a later run rebuilds the text and its changes from it
    without working any text out again, and gets the same publication as a run without the memo."""
    from tekan.memo import FileMemo
    from tekan.metadata import load_publication
    from tekan.normalise import normalise_publication

    publication, _ = load_publication(SEED)
    fresh = normalise_publication(publication)
    path = tmp_path / "normalise.pickle"
    first: FileMemo[tuple[int | str, ...]] = FileMemo(path, "key")
    assert normalise_publication(publication, memo=first) == fresh
    first.save()

    def refused(self: Normaliser, text: str) -> None:
        raise AssertionError(f"worked out again: {text}")

    monkeypatch.setattr(Normaliser, "edits", refused)
    again: FileMemo[tuple[int | str, ...]] = FileMemo(path, "key")
    assert normalise_publication(publication, memo=again) == fresh
    assert len(fresh.changes) > 100


def test_a_text_normalised_through_the_memo_is_kept_by_the_memo_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """With a memo, each text's edits are kept by the memo only (the normaliser's own memory of the run stays empty:
    16,000 statements' edits were kept twice); a text met twice in one run is still worked out once, and the
    publication is the one normalised without a memo."""
    from tekan.memo import FileMemo
    from tekan.metadata import load_publication
    from tekan.normalise import normalise_publication

    publication, _ = load_publication(SEED)
    first = publication.statements[0]
    twice = replace(first, paragraphs=(*first.paragraphs, first.paragraphs[0]))  # a paragraph printed again
    publication = replace(publication, statements=(twice, *publication.statements[1:]))
    fresh = normalise_publication(publication)
    worked: list[str] = []
    made: list[Normaliser] = []
    real_edits, real_init = Normaliser.edits, Normaliser.__init__

    def counted(self: Normaliser, text: str) -> list[Edit]:
        worked.append(text)
        return real_edits(self, text)

    def kept(self: Normaliser, *args: Any, **kwargs: Any) -> None:
        real_init(self, *args, **kwargs)
        made.append(self)

    monkeypatch.setattr(Normaliser, "edits", counted)
    monkeypatch.setattr(Normaliser, "__init__", kept)
    memo: FileMemo[tuple[int | str, ...]] = FileMemo(None, "key")
    assert normalise_publication(publication, memo=memo) == fresh
    assert worked.count(first.paragraphs[0]) == 1
    assert len(made) == 1 and not made[0]._done


def test_a_publication_and_its_changes_pickle_back_as_they_were(book) -> None:  # type: ignore[no-untyped-def]
    """Memos pickle a long book's changes as ten columns; unpickled they are Change records again, equal to the
    originals (and so is the publication, copied or pickled, and one without changes)."""
    import copy
    import pickle

    from tekan.model import Change

    publication = book.publication
    again = pickle.loads(pickle.dumps(publication, pickle.HIGHEST_PROTOCOL))
    assert again == publication == copy.deepcopy(publication) and len(again.changes) > 100
    assert all(type(change) is Change for change in again.changes)
    assert all(type(change) is Change for change in publication.changes)  # made with tuple.__new__: records still
    from tekan.normalise import Edit

    edits = Normaliser().normalise("“質量”,制造")[1]
    assert [e.rule for e in edits] == ["quotes", "quotes", "punctuation", "word"]
    assert all(type(edit) is Edit for edit in edits)
    assert again.changes[0].before == publication.changes[0].before
    unchanged = replace(publication, changes=())
    assert pickle.loads(pickle.dumps(unchanged, pickle.HIGHEST_PROTOCOL)) == unchanged


def test_the_change_records_of_a_text_s_edits_are_each_edit_s_change_record() -> None:
    """The changes of a text are made in one loop over its edits (no call per edit): the same Change records as
    ``change_record`` of each, at the text's start and end, for edits of every length and a text shorter than the
    context."""
    from tekan.model import Change
    from tekan.normalise import CONTEXT, Edit, _change_records, change_record

    text = "質量強則國家強,質量興則民族興。要用創新的思維"
    edits = [Edit(start, text[start : start + length], "ＸＹ"[: length + 1], "word") for start in range(len(text))
             for length in (0, 1, 2) if start + length <= len(text)]  # fmt: skip
    records = _change_records(text, edits, 7, 3, "paragraph", 2)
    assert records == [change_record(text, edit, 7, 3, "paragraph", 2) for edit in edits]
    assert all(type(record) is Change for record in records)
    short = "品,質"
    assert len(short) < CONTEXT
    assert _change_records(short, [Edit(1, ",", "，", "punctuation")], 1, 0, "masthead") == [
        Change(1, 0, "masthead", 0, "品,質", "品，質", 1, ",", "，", "punctuation")
    ]
