"""Property-based round trip: any publication rendered back to seed format parses to the same publication."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tekan.model import Attribution, Publication, PublicationMeta, Statement, StatementMeta
from tekan.parsing import BYLINE, default_positions, load_seed, parse_seed
from tekan.seedformat import render_seed

from .conftest import SEED

PATH = Path("seed.txt")
POSITIONS = default_positions()
_POSITION_CHARS = set("".join(POSITIONS))
#: Han characters that occur in no position word, so generated names and organisations split one way only.
HAN = [
    c
    for c in "國家質量計量標準認證檢驗測試科技集團公司研究院省市縣安徽浙江張王李趙劉陳楊黃周吳"
    if c not in _POSITION_CHARS
]
#: Everything else a pasted text may hold: ASCII (markup included), full-width punctuation, inner spaces.
OTHER = (
    list("abcXYZ019 #*_`<>&$%{}[]()\\|~^:;,.!?'\"-/=+@")
    + list("，。、；：？！“”‘’《》（）【】…　·")
    + ["\u00a0", "\u200b"]
)

text = st.text(alphabet=st.sampled_from(HAN + OTHER), min_size=1, max_size=40).filter(
    lambda s: s == s.strip() and not BYLINE.match(s)
)
name = st.text(alphabet=st.sampled_from(HAN), min_size=2, max_size=4)
organisation = st.text(alphabet=st.sampled_from(HAN), min_size=0, max_size=12)
position = st.lists(st.sampled_from(POSITIONS), min_size=1, max_size=3).map("、".join)


@st.composite
def press_byline(draw: st.DrawFn) -> tuple[str, str, str]:
    return draw(organisation), draw(position), draw(name)


@st.composite
def publications(draw: st.DrawFn) -> Publication:
    statements = []
    line = 1
    for number in range(1, draw(st.integers(1, 5)) + 1):
        headline = draw(text)
        paragraphs = tuple(draw(st.lists(text, min_size=1, max_size=4)))
        if draw(st.booleans()):
            org, pos, person = draw(press_byline())
            attribution = Attribution(org + pos + person, org, pos, person, line + 1 + len(paragraphs))
        else:  # free text: kept whole (or read, when it happens to split)
            raw = draw(text.filter(lambda s: s[0] not in "—―─━" and s.strip("-")))
            attribution = Attribution(raw, "", "", "", line + 1 + len(paragraphs))
        statements.append(
            Statement(number, headline, paragraphs, attribution, line, StatementMeta(slug=f"s{number}", sector=""))
        )
        line += 2 + len(paragraphs)
    masthead = draw(text)
    return Publication(masthead, tuple(statements), PublicationMeta(title=masthead), PATH)


def comparable(publication: Publication, parts: bool) -> object:
    """What a seed carries: text and lines (and byline parts where they were generated)."""
    return (
        publication.masthead,
        [
            (
                s.number,
                s.line,
                s.headline,
                s.paragraphs,
                s.attribution.raw,
                s.attribution.line,
                (s.attribution.organisation, s.attribution.position, s.attribution.person)
                if parts and s.attribution.person
                else None,
            )
            for s in publication.statements
        ],
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(publications())
def test_any_publication_round_trips_through_seed_text(publication: Publication) -> None:
    parsed, _ = parse_seed(render_seed(publication), PATH)
    generated_parts = [bool(s.attribution.person) for s in publication.statements]
    # Text, order and lines come back exactly; press-form bylines come back split into the same parts.
    assert comparable(parsed, parts=False) == comparable(publication, parts=False)
    for mine, theirs, split in zip(publication.statements, parsed.statements, generated_parts, strict=True):
        if split:
            assert theirs.attribution == mine.attribution
    # And the parsed publication is a fixed point: rendering and parsing again changes nothing.
    again, _ = parse_seed(render_seed(parsed), PATH)
    assert again == parsed


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["", " ", "\u3000", "\t"]), st.sampled_from(["\n", "\r\n"])), max_size=3))
@example([])
def test_blank_lines_and_padding_do_not_change_the_book(padding: list[tuple[str, str]]) -> None:
    text = SEED.read_text(encoding="utf-8")
    reference, _ = parse_seed(text, PATH)
    noisy = "".join(pad + end for pad, end in padding) + text.replace("\n", "\n" + "".join(p for p, _ in padding))
    noisy = noisy.replace("\r\n", "\n")
    parsed, _ = parse_seed(noisy, PATH)
    assert parsed.masthead == reference.masthead
    assert [(s.headline, s.paragraphs, s.attribution.raw) for s in parsed.statements] == [
        (s.headline, s.paragraphs, s.attribution.raw) for s in reference.statements
    ]


def test_the_project_seed_round_trips_byte_for_byte() -> None:
    publication, _ = load_seed(SEED)
    assert render_seed(publication) == SEED.read_text(encoding="utf-8").rstrip("\n") + "\n"


@pytest.mark.parametrize(
    "statement",
    [
        Statement(1, "——標題", ("正文",), Attribution("某局局長張三", "", "", "", 3), 1, StatementMeta("a", "")),
        Statement(1, "標題", ("兩行\n正文",), Attribution("某局局長張三", "", "", "", 3), 1, StatementMeta("a", "")),
        Statement(1, "標題", (" 正文",), Attribution("某局局長張三", "", "", "", 3), 1, StatementMeta("a", "")),
        Statement(1, "標題", ("正文",), Attribution("——某局", "", "", "", 3), 1, StatementMeta("a", "")),
        Statement(1, "標題", ("正文",), Attribution("-- -", "", "", "", 3), 1, StatementMeta("a", "")),
    ],
)
def test_text_no_seed_can_hold_is_refused(statement: Statement) -> None:
    with pytest.raises(ValueError):
        render_seed(Publication("報頭", (statement,), PublicationMeta(title="報頭"), PATH))
