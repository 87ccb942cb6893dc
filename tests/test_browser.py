"""The built site in headless Chromium: Chinese search in both editions, the script switcher, UI strings.

The site is built once per session (``tekan build html --script all``) and served on 127.0.0.1. Chromium is
Debian's (`tools/setup.sh` installs it), driven by Playwright; the test fails, never skips, when either is missing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tekan.book import load_book
from tekan.glossary import load_glossary
from tekan.scripts import to_hans

from .conftest import BOOK, EDITIONS, GLOSSARY, SEED

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page that records JavaScript errors and failed requests in ``page.tekan_errors``."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(f"page error: {error}"))
    tab.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    tab.on(
        "response",
        lambda response: errors.append(f"{response.status} {response.url}") if response.status >= 400 else None,
    )
    tab.tekan_errors = errors
    yield tab
    context.close()


@pytest.fixture(scope="session")
def statements() -> dict[str, str]:
    """slug → the statement's whole Traditional text (headline, body, byline), from the seed."""
    book = load_book(SEED, GLOSSARY, "hant")
    return {
        st.meta.slug: "\n".join([st.headline, *st.paragraphs, st.attribution.raw]) for st in book.publication.statements
    }


def results(page: Any) -> set[str]:
    """The statement slugs listed once the search page has finished."""
    page.wait_for_function(
        "() => { const s = document.querySelector('#search-results .search-summary');"
        " return s && !s.closest('#search-results').classList.contains('loading') && s.textContent.trim().length; }",
        timeout=30_000,
    )
    # Results come ten at a time: show them all.
    while page.is_visible("#search-results button.tekan-search-more"):
        shown = page.locator("#search-results ul.search li").count()
        page.click("#search-results button.tekan-search-more")
        page.wait_for_function(f"() => document.querySelectorAll('#search-results ul.search li').length > {shown}")
    hrefs = page.eval_on_selector_all(
        "#search-results ul.search li a", "links => links.map(a => a.getAttribute('href'))"
    )
    return {h.split("#")[0].removeprefix("statements/").removesuffix(".html") for h in hrefs if "statements/" in h}


def search(page: Any, site: str, edition: str, query: str) -> set[str]:
    """Run ``query`` on the edition's search page; return the statement slugs found."""
    page.goto(f"{site}/html/{edition}/search.html?q={query}")
    return results(page)


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize(
    ("query", "traditional"),
    [
        ("計量", "計量"),
        ("计量", "計量"),
        ("質量", "質量"),
        ("检验检测", "檢驗檢測"),
        ("檢驗檢測", "檢驗檢測"),
        ("認證認可", "認證認可"),
        ("高質量發展", "高質量發展"),
        ("高质量发展", "高質量發展"),
    ],
)
def test_search_finds_the_statements_that_contain_the_words(
    page: Any, site: str, statements: dict[str, str], edition: str, query: str, traditional: str
) -> None:
    expected = {slug for slug, text in statements.items() if traditional in text}
    assert expected, f"no statement contains {traditional}"
    assert search(page, site, edition, query) == expected
    assert page.tekan_errors == []


def test_search_for_metrology_returns_its_statement_pages(page: Any, site: str) -> None:
    # Issue 2's check, with the pages named: 計量 occurs in these three statements of the seed.
    assert search(page, site, "zh-hant", "計量") == {"zhang-xiaoning", "zhu-huaiqiu", "li-xiang"}


def test_statements_rank_above_the_pages_that_list_them(page: Any, site: str) -> None:
    search(page, site, "zh-hant", "計量")
    hrefs = page.eval_on_selector_all(
        "#search-results ul.search li a", "links => links.map(a => a.getAttribute('href').split('#')[0])"
    )
    pages = [h for h in hrefs if h != "glossary.html"]  # the term's definition may come first
    statements = [i for i, h in enumerate(pages) if h.startswith("statements/")]
    listings = [i for i, h in enumerate(pages) if h == "index.html" or h.startswith("sectors/")]
    assert statements and listings, pages
    assert max(statements) < min(listings), pages


def test_the_audit_page_is_not_a_search_result(page: Any, site: str) -> None:
    search(page, site, "zh-hant", "質量")
    hrefs = page.eval_on_selector_all(
        "#search-results ul.search li a", "links => links.map(a => a.getAttribute('href'))"
    )
    assert hrefs and not any(h.startswith("audit.html") for h in hrefs)


@pytest.mark.parametrize("edition", EDITIONS)
def test_a_query_of_two_words_finds_pages_with_both(
    page: Any, site: str, statements: dict[str, str], edition: str
) -> None:
    expected = {slug for slug, text in statements.items() if "質量" in text and "標準" in text}
    assert search(page, site, edition, "質量標準") == expected


@pytest.mark.parametrize("edition", (*EDITIONS, "en"))
def test_a_statement_is_one_result_not_also_its_parallel_page(page: Any, site: str, edition: str) -> None:
    page.goto(
        f"{site}/html/{edition}/search.html?q=quality"
        if edition == "en"
        else f"{site}/html/{edition}/search.html?q=質量"
    )
    results(page)
    hrefs = page.eval_on_selector_all(
        "#search-results ul.search li a", "links => links.map(a => a.getAttribute('href').split('#')[0])"
    )
    assert len([h for h in hrefs if h.startswith("statements/")]) >= 10
    assert not any("parallel/" in h for h in hrefs), hrefs
    assert len(hrefs) == len(set(hrefs)), hrefs


@pytest.mark.parametrize(
    ("edition", "query", "statement", "shown"),
    [
        ("zh-hant", "掘進", "zhao-hua", "掘進"),
        ("zh-hans", "掘进", "zhao-hua", "掘进"),
        ("zh-hans", "jiliang", "zhang-xiaoning", "计量"),
        ("en", "jiliang", "zhang-xiaoning", "metrology"),
    ],
)
def test_the_excerpt_starts_at_the_match_and_marks_it(
    page: Any, site: str, edition: str, query: str, statement: str, shown: str
) -> None:
    assert statement in search(page, site, edition, query)
    item = page.locator("#search-results ul.search li").filter(
        has=page.locator(f"a[href='statements/{statement}.html']")
    )
    first = item.locator("p.context")
    marks = first.locator("mark.highlighted").all_inner_texts()
    assert any(shown in mark.lower() for mark in marks), (marks, first.inner_text())
    text = first.inner_text()
    assert text.lower().index(shown) < 80, text  # about 50 characters before the match, not the page's first words
    style = first.evaluate("p => [getComputedStyle(p).textAlign, getComputedStyle(p).textJustify]")
    assert style[0] in ("start", "left") and style[1] != "inter-character", style
    assert page.tekan_errors == []


@pytest.mark.parametrize(("edition", "query"), [("zh-hant", "質量"), ("en", "quality")])
def test_an_excerpt_is_the_pages_text_not_its_title_nor_a_cut_english_word(
    page: Any, site: str, edition: str, query: str
) -> None:
    """The excerpts of a common word: none repeats its result's title, nor its lead (the title's English or
    Chinese, the parallel page's link, the translation note) when the page's text has the word; and one that starts
    in English text starts at a whole word of the page (not 「…ub of innovation」)."""
    import re

    from tekan.editions import ParallelWords, TranslatedWords

    search(page, site, edition, query)
    items = page.locator("#search-results ul.search li").all()
    assert len(items) >= 10
    cut_in_english = 0
    for item in items[:10]:
        link = item.locator("a").first
        title, excerpt = link.inner_text().strip(), item.locator("p.context").inner_text().strip()
        assert not excerpt.lstrip("…").startswith(title), (title, excerpt)
        assert ParallelWords().title not in excerpt, excerpt  # 中英對照, the link under a statement's title
        assert TranslatedWords().note[:30] not in excerpt, excerpt
        assert not re.search(r"[。！？] [^\x00-\x7f]", excerpt), excerpt  # paragraphs joined without 「。 要」
        word = re.match(r"…([A-Za-z]+)", excerpt)
        if word:
            cut_in_english += 1
            html = page.request.get(f"{site}/html/{edition}/{link.get_attribute('href')}").text()
            assert re.search(rf"(?<![A-Za-z]){word.group(1)}\b", re.sub(r"<[^>]+>", "", html)), excerpt
    if edition == "en":
        assert cut_in_english >= 1  # the check above has an English excerpt that starts inside a page to read
    assert page.tekan_errors == []


def test_the_search_page_loads_a_few_shards_not_the_whole_index(page: Any, site: str) -> None:
    loaded: list[str] = []
    page.on("request", lambda request: loaded.append(request.url))
    search(page, site, "zh-hant", "計量")
    assert not any("searchindex.js" in url for url in loaded)
    shards = [url for url in loaded if "/_search/heads/" in url]
    assert len(shards) == 1, shards  # the head of the word 計量 stands for (its five pages: no tail)
    assert not any("/_search/tails/" in url for url in loaded)
    assert not any(url.endswith("statements/zhu-huaiqiu.html") for url in loaded)  # excerpts from _search/pages/


def _whole_ranking(search_dir: Path, query: str) -> list[str]:
    """The pages of a one-word query (a pair or a term's form) in the order a reader should get them, read from
    the search files: every page of the word (head and tail), ranked as tekan.searchshards ranks them."""
    import json

    from tekan.searching import chars_to_hans
    from tekan.searchshards import join_entry, ranked, shard_of

    meta = json.loads((search_dir / "meta.json").read_text(encoding="utf-8"))
    word = meta["terms"].get(query) or chars_to_hans(query)

    def entry(kind: str) -> Any:
        return json.loads((search_dir / kind / f"{shard_of(word, meta[kind])}.json").read_text(encoding="utf-8"))[word]

    head = entry("heads")
    order = ranked(*join_entry(head, entry("tails") if len(head) > 2 else None))
    return [json.loads((search_dir / "pages" / f"{n}.json").read_text(encoding="utf-8"))["n"] for n in order]


@pytest.mark.parametrize("query", ["發展", "質量"])  # a pair; a glossary term (its key)
def test_more_results_fetch_the_rest_of_the_results_in_order_each_once(
    page: Any, site: str, book_out: Path, query: str
) -> None:
    """The first screen comes from the word's head alone (no tail fetched) and says how many results there are;
    "More results" fetches the tail and shows the rest, in the order of the whole ranking, each page once."""
    loaded: list[str] = []
    page.on("request", lambda request: loaded.append(request.url))
    page.goto(f"{site}/html/zh-hant/search.html?q={query}")
    page.wait_for_function(
        "() => { const s = document.querySelector('#search-results .search-summary');"
        " return s && !s.closest('#search-results').classList.contains('loading') && s.textContent.trim().length; }"
    )
    expected = _whole_ranking(book_out / "html" / "zh-hant" / "_search", query)
    assert len(expected) > 10  # more than one screen
    assert page.locator("#search-results ul.search li").count() == 10
    assert not any("/_search/tails/" in url for url in loaded)
    assert f"{len(expected)}" in page.inner_text("#search-results .search-summary")
    first_screen = [url for url in loaded if "/_search/pages/" in url]
    assert len(first_screen) == 10  # excerpts of the results shown only
    results(page)  # "More results" until every result is shown
    assert any("/_search/tails/" in url for url in loaded)
    hrefs = page.eval_on_selector_all(
        "#search-results ul.search li a", "links => links.map(a => a.getAttribute('href').split('#')[0])"
    )
    assert hrefs == [f"{name}.html" for name in expected]
    scores = page.eval_on_selector_all("#search-results ul.search li a", "links => links.map(a => +a.dataset.score)")
    assert scores == sorted(scores, reverse=True)
    assert page.tekan_errors == []


def test_switcher_lands_on_the_same_statement(page: Any, site: str) -> None:
    hans = {st.meta.slug: st for st in load_book(SEED, GLOSSARY, "hans").publication.statements}
    hant = {st.meta.slug: st for st in load_book(SEED, GLOSSARY, "hant").publication.statements}
    page.goto(f"{site}/html/zh-hant/statements/liu-qingfeng.html")
    assert page.get_attribute("html", "lang") == "zh-Hant"
    page.click("nav.tekan-editions a.tekan-switch")
    page.wait_for_url("**/html/zh-hans/statements/liu-qingfeng.html")
    assert page.get_attribute("html", "lang") == "zh-Hans"
    assert page.inner_text("article h1").strip().rstrip("#¶").strip() == hans["liu-qingfeng"].headline
    page.click("nav.tekan-editions a.tekan-switch")
    page.wait_for_url("**/html/zh-hant/statements/liu-qingfeng.html")
    assert page.inner_text("article h1").strip().rstrip("#¶").strip() == hant["liu-qingfeng"].headline
    assert page.tekan_errors == []


def test_switcher_keeps_the_search_query(page: Any, site: str) -> None:
    found = search(page, site, "zh-hant", "計量")
    page.click("nav.tekan-editions a.tekan-switch")
    page.wait_for_url("**/html/zh-hans/search.html?q=*")
    assert results(page) == found
    assert page.tekan_errors == []


def test_switcher_links_the_downloads(page: Any, site: str) -> None:
    page.goto(f"{site}/html/zh-hans/statements/zhao-hua.html")
    links = page.eval_on_selector_all(
        "nav.tekan-editions a.tekan-epub, nav.tekan-editions a.tekan-pdf", "links => links.map(a => a.href)"
    )
    assert sorted(links) == sorted(
        f"{site}/{kind}/{BOOK}-{edition}.{kind}" for kind in ("epub", "pdf") for edition in (*EDITIONS, "en")
    )


@pytest.mark.parametrize(
    ("edition", "words"),
    [
        ("zh-hant", ("回到頁首", "本頁內容", "上一頁", "下一頁", "關於本站", "本站以")),
        ("zh-hans", ("回到顶部", "本页内容", "上一页", "下一页", "关于本站", "本站以")),
    ],
)
def test_ui_strings_are_chinese(page: Any, site: str, edition: str, words: tuple[str, ...]) -> None:
    html = text = ""
    # Between them: previous, next, a table of contents, the footer's colophon link and the tool credit.
    for name in ("glossary", "about", "colophon"):
        page.goto(f"{site}/html/{edition}/{name}.html")
        html += page.content()
        text += page.evaluate("() => document.body.textContent")
    for english in ("Previous", "Next", "Back to top", "On this page", "Made with", "'s Furo", "Skip to content"):
        assert english not in text, english
    for chinese in words:
        assert chinese in html, chinese
    assert page.get_attribute("input.sidebar-search", "placeholder") == ("搜尋" if edition == "zh-hant" else "搜索")


def test_landing_page_leads_to_both_editions(page: Any, site: str) -> None:
    page.goto(f"{site}/html/index.html")
    for edition, lang in (("zh-hant", "zh-Hant"), ("zh-hans", "zh-Hans")):
        page.goto(f"{site}/html/index.html")
        page.click(f"li.edition[lang={lang}] h2 a")
        page.wait_for_url(f"**/html/{edition}/index.html")
        assert page.get_attribute("html", "lang") == lang
    assert page.tekan_errors == []


def _metrology_link(page: Any, site: str, edition: str) -> Any:
    page.goto(f"{site}/html/{edition}/statements/zhu-huaiqiu.html")
    return page.locator("article a[href$='glossary.html#term-metrology']").first


@pytest.mark.parametrize("edition", EDITIONS)
def test_hovering_a_term_shows_its_english_and_definition(page: Any, site: str, edition: str) -> None:
    glossary = load_glossary(GLOSSARY)
    metrology = glossary.by_id["metrology"]
    link = _metrology_link(page, site, edition)
    tip = page.locator("#tekan-tip-metrology")
    assert link.get_attribute("aria-describedby") == "tekan-tip-metrology"
    assert not tip.is_visible()
    link.hover()
    tip.wait_for(state="visible")
    text = tip.inner_text()
    assert metrology.en in text and metrology.pinyin in text
    assert (metrology.hant if edition == "zh-hant" else metrology.hans) in text
    # The Chinese definition, in the edition's script, for a Chinese reader (the English term is in the head).
    chinese = metrology.definition_zh if edition == "zh-hant" else to_hans(metrology.definition_zh)
    assert chinese in text and metrology.definition_en not in text
    assert tip.locator(".tekan-tip-def").get_attribute("lang") == ("zh-Hant" if edition == "zh-hant" else "zh-Hans")
    assert tip.get_attribute("role") == "tooltip"
    page.mouse.move(1, 1)
    tip.wait_for(state="hidden")
    assert page.url.endswith("zhu-huaiqiu.html")  # hovering never navigates
    assert page.tekan_errors == []


def test_the_english_edition_explains_a_term_in_english(page: Any, site: str) -> None:
    metrology = load_glossary(GLOSSARY).by_id["metrology"]
    link = _metrology_link(page, site, "en")
    link.hover()
    tip = page.locator("#tekan-tip-metrology")
    tip.wait_for(state="visible")
    # The Chinese headword and its pinyin head the tooltip; the definition is the English one.
    text = tip.inner_text()
    assert metrology.definition_en in text and metrology.definition_zh not in text and metrology.pinyin in text
    assert tip.locator(".tekan-tip-def").get_attribute("lang") == "en"
    assert page.tekan_errors == []


@pytest.mark.parametrize("edition", EDITIONS)
def test_the_glossary_page_explains_the_terms_it_links_to(page: Any, site: str, edition: str) -> None:
    """The "see also" links of an entry show the other term's tooltip, and only links the page has get one."""
    glossary = load_glossary(GLOSSARY)
    page.goto(f"{site}/html/{edition}/glossary.html")
    linked = page.eval_on_selector_all(
        "article a.reference.internal[href^='#term-']", "links => links.map(a => a.getAttribute('href').slice(6))"
    )
    assert "nqi" in linked  # metrology's entry says: see also 國家質量基礎設施
    explained = page.eval_on_selector_all(
        "article a[aria-describedby^='tekan-tip-']", "links => links.map(a => a.getAttribute('href').slice(6))"
    )
    assert set(explained) == set(linked)
    link = page.locator("article dd a[href='#term-nqi']").first
    link.hover()
    tip = page.locator("#tekan-tip-nqi")
    tip.wait_for(state="visible")
    assert glossary.by_id["nqi"].en in tip.inner_text()
    assert page.tekan_errors == []


def test_keyboard_focus_shows_the_tooltip_and_escape_hides_it(page: Any, site: str) -> None:
    link = _metrology_link(page, site, "zh-hant")
    tip = page.locator("#tekan-tip-metrology")
    link.focus()
    tip.wait_for(state="visible")
    page.keyboard.press("Escape")
    tip.wait_for(state="hidden")
    assert page.url.endswith("zhu-huaiqiu.html")


def test_a_tap_shows_the_tooltip_and_a_second_tap_follows_the_link(browser: Any, site: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    try:
        tab = context.new_page()
        link = _metrology_link(tab, site, "zh-hant")
        tip = tab.locator("#tekan-tip-metrology")
        link.tap()
        tip.wait_for(state="visible")
        assert tab.url.endswith("zhu-huaiqiu.html")  # the first tap only explains the term
        link.tap()
        tab.wait_for_url("**/glossary.html#term-metrology")
    finally:
        context.close()


PHONE_WIDTHS = (320, 390)


@pytest.mark.parametrize("width", PHONE_WIDTHS)
@pytest.mark.parametrize("edition", EDITIONS)
def test_a_statement_on_a_phone_justifies_chinese_only(browser: Any, site: str, edition: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800}, is_mobile=True, has_touch=True)
    try:
        tab = context.new_page()
        tab.goto(f"{site}/html/{edition}/statements/zhu-huaiqiu.html")
        style = tab.evaluate(
            """() => {
              const s = (sel) => { const e = document.querySelector(sel); return e && getComputedStyle(e); };
              const body = s("article[role=main] section > p:not(.tekan-english)");
              const english = s("article[role=main] p.tekan-english");
              const byline = s("article[role=main] div.tekan-byline p");
              return {body: [body.textAlign, body.textJustify, body.textAutospace],
                      english: [english.textAlign, english.textJustify],
                      byline: byline.textAlign,
                      overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth};
            }"""
        )
        assert style["body"][0] == "justify" and style["body"][1] != "inter-character", style
        assert style["body"][2] == "normal", style  # text-autospace between Han and Latin
        assert style["english"][0] in ("left", "start") and style["english"][1] != "inter-character", style
        assert style["byline"] == "right", style
        assert style["overflow"] <= 0, style  # nothing wider than the screen
    finally:
        context.close()


@pytest.mark.parametrize("width", PHONE_WIDTHS)
def test_the_glossary_downloads_fit_a_phone(browser: Any, site: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800}, is_mobile=True, has_touch=True)
    try:
        tab = context.new_page()
        tab.goto(f"{site}/html/zh-hant/glossary.html")
        boxes = tab.evaluate(
            """() => { const box = document.querySelector("p.tekan-downloads").getBoundingClientRect();
              return Array.from(document.querySelectorAll("p.tekan-downloads a")).map((a) => {
                const r = a.getBoundingClientRect();
                return [r.left >= box.left - 0.5, r.right <= box.right + 0.5, r.right <= window.innerWidth]; }); }"""
        )
        assert boxes and all(all(fits) for fits in boxes), boxes
    finally:
        context.close()


@pytest.mark.parametrize("width", PHONE_WIDTHS)
def test_the_audit_tables_cells_are_not_spread_on_a_phone(browser: Any, site: str, width: int) -> None:
    """A table cell is a short run, not a paragraph: on a phone its characters are not spread apart by
    justification, and the place (第1段) and the kind (標點) each stay on one line, in every table of the page
    (the first ones made as nodes, the later ones written as HTML directly)."""
    context = browser.new_context(viewport={"width": width, "height": 800}, is_mobile=True, has_touch=True)
    try:
        tab = context.new_page()
        tab.goto(f"{site}/html/zh-hant/audit.html")
        cells = tab.evaluate(
            """() => Array.from(document.querySelectorAll("article[role=main] table tbody tr")).map((row) => {
              const cells = Array.from(row.querySelectorAll("td"));
              const lines = (td) => { const p = td.querySelector("p");
                return p.getBoundingClientRect().height / parseFloat(getComputedStyle(p).lineHeight); };
              return {align: getComputedStyle(cells[1].querySelector("p")).textAlign,
                      place: lines(cells[0]), kind: lines(cells[cells.length - 1])}; })"""
        )
        assert len(cells) > 400, len(cells)  # every change of the real book
        assert {c["align"] for c in cells} == {"start"}, {c["align"] for c in cells}
        assert max(c["place"] for c in cells) < 1.5 and max(c["kind"] for c in cells) < 1.5, cells[:3]
    finally:
        context.close()


def test_a_position_in_a_byline_links_to_its_glossary_entry(book_out: Any) -> None:
    page = (book_out / "html" / "zh-hant" / "statements" / "han-yongsheng.html").read_text(encoding="utf-8")
    assert (
        '<span class="tekan-position"><a class="reference internal" href="../glossary.html#term-leading-party-' in page
    )
    glossary = (book_out / "html" / "zh-hant" / "glossary.html").read_text(encoding="utf-8")
    entry = glossary[glossary.index('id="term-leading-party-group-secretary"') :]
    backlinks = entry[entry.index("tekan-backlinks") : entry.index("</p>", entry.index("tekan-backlinks"))]
    assert "statements/han-yongsheng.html" in backlinks


# --- phones: tooltips, the glossary's head lines; focus; the footer ----------------------------------


def _boxes_overlap(a: list[float], b: list[float]) -> bool:
    """True when two [left, top, right, bottom] boxes share more than half a pixel each way."""
    return a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5


@pytest.mark.parametrize("edition", ["zh-hant", "en"])
def test_a_tapped_terms_tooltip_never_covers_the_term(browser: Any, site: str, edition: str) -> None:
    """At 390 px, every term of a statement tapped at the foot of the screen: its tooltip stays on the screen and off
    the term, all of it (a term that wraps onto a second line too)."""
    height = 844
    context = browser.new_context(viewport={"width": 390, "height": height}, has_touch=True, is_mobile=True)
    try:
        tab = context.new_page()
        tab.goto(f"{site}/html/{edition}/statements/zhu-huaiqiu.html")
        links = tab.locator("article a.tekan-term-link")
        wrapped = 0
        for index in range(links.count()):
            link = links.nth(index)
            # At the screen's foot, the hardest place: no room below, so the tooltip must go above the whole term.
            for where in ("end",):
                link.evaluate("(a, block) => a.scrollIntoView({block})", where)
                link.tap()
                tip = tab.locator(".tekan-tip:not([hidden])")
                tip.wait_for(state="visible")
                rects = link.evaluate("a => [...a.getClientRects()].map(r => [r.left, r.top, r.right, r.bottom])")
                box = tip.evaluate(
                    "t => { const r = t.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom] }"
                )
                assert not [r for r in rects if _boxes_overlap(box, r)], (index, where, box, rects)
                assert box[1] >= 0 and box[3] <= height, (index, where, box)
                wrapped += len(rects) > 1
                tab.keyboard.press("Escape")
                tip.wait_for(state="hidden")
        assert wrapped  # the page has a term broken across two lines at this width (the case that was covered)
        assert tab.url.endswith("zhu-huaiqiu.html")
    finally:
        context.close()


@pytest.mark.parametrize(("edition", "lang"), [("zh-hant", "zh-Hant"), ("zh-hans", "zh-Hans"), ("en", "zh-Hant")])
def test_the_tooltips_chinese_headword_carries_its_language(page: Any, site: str, edition: str, lang: str) -> None:
    link = _metrology_link(page, site, edition)
    link.hover()
    tip = page.locator("#tekan-tip-metrology")
    tip.wait_for(state="visible")
    assert page.locator(".tekan-tip:not([hidden]) .tekan-tip-hw").get_attribute("lang") == lang


@pytest.mark.parametrize("edition", EDITIONS)
def test_the_glossary_head_lines_are_not_justified_on_a_phone(browser: Any, site: str, edition: str) -> None:
    """Pinyin, English and abbreviation: a few words that justification would spread across the line."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        tab = context.new_page()
        tab.goto(f"{site}/html/{edition}/glossary.html")
        aligns = tab.eval_on_selector_all(
            "article p.tekan-term-head", "ps => [...new Set(ps.map(p => getComputedStyle(p).textAlign))]"
        )
        assert aligns and set(aligns) <= {"left", "start"}, aligns
    finally:
        context.close()


@pytest.mark.parametrize("edition", ["zh-hant", "en"])
def test_the_search_box_shows_a_focus_ring(page: Any, site: str, edition: str) -> None:
    """WCAG 2.4.7 and 2.4.11: focused by the keyboard, the search box has a visible outline (furo removes it)."""
    page.goto(f"{site}/html/{edition}/index.html")
    box = page.locator("input.sidebar-search")
    before = box.screenshot()
    box.focus()
    ring = box.evaluate(
        "e => { const s = getComputedStyle(e); return [s.outlineStyle, parseFloat(s.outlineWidth), s.outlineColor] }"
    )
    assert ring[0] != "none" and ring[1] >= 2, ring
    assert box.screenshot() != before  # and it shows: the focused box looks different


FURO_CREDIT = "pradyunsg"


@pytest.mark.parametrize(
    ("edition", "words"), [("zh-hant", "關於本站"), ("zh-hans", "关于本站"), ("en", "About this site")]
)
def test_the_tool_credit_is_on_the_colophon_only(book_out: Any, edition: str, words: str) -> None:
    """The theme's "Made with Sphinx and @pradyunsg's Furo" is the site's credit, not the book's: it stands on the
    colophon (in the edition's language), and every other page's footer links there instead."""
    folder = book_out / "html" / edition
    colophon = (folder / "colophon.html").read_text(encoding="utf-8")
    assert FURO_CREDIT in colophon and "sphinx-doc.org" in colophon
    assert f"<h1>{words}</h1>" in colophon
    if edition != "en":  # furo's own words in the edition's language
        assert "本站以" in colophon
    pages = [p for p in folder.rglob("*.html") if p.name != "colophon.html"]
    assert len(pages) > 10
    credited = [p.name for p in pages if FURO_CREDIT in p.read_text(encoding="utf-8")]
    assert credited == []
    statement = (folder / "statements" / "zhu-huaiqiu.html").read_text(encoding="utf-8")
    assert f'<a href="../colophon.html">{words}</a>' in statement


def test_the_colophon_link_leads_to_the_colophon(page: Any, site: str) -> None:
    page.goto(f"{site}/html/zh-hans/statements/zhu-huaiqiu.html")
    page.locator("footer .tekan-colophon-link a").click()
    page.wait_for_url("**/html/zh-hans/colophon.html")
    assert page.locator("article h1").inner_text() == "关于本站"
    assert "Furo" in page.locator("footer").inner_text()
    assert page.tekan_errors == []


# --- the EPUBs' pages in Chromium ------------------------------------------------------------------


@pytest.fixture(scope="session")
def unzipped_epubs(book_out: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each edition's EPUB unpacked, so Chromium can open its pages with their stylesheets."""
    import zipfile

    folders = {}
    for tag in ("zh-hant", "zh-hans", "en"):
        folder = tmp_path_factory.mktemp(f"epub-{tag}")
        with zipfile.ZipFile(book_out / "epub" / f"{BOOK}-{tag}.epub") as archive:
            archive.extractall(folder)
        folders[tag] = folder
    return folders


def _used_fonts(tab: Any, selector: str) -> list[str]:
    """The fonts Chromium actually drew the element's own text with (DevTools' platform fonts)."""
    cdp = tab.context.new_cdp_session(tab)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    assert node, selector
    return [font["familyName"] for font in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]]


@pytest.mark.parametrize("tag", ["zh-hant", "zh-hans"])
def test_english_in_a_chinese_epub_is_set_in_a_latin_font(
    browser: Any, unzipped_epubs: dict[str, Path], tag: str
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        tab = context.new_page()
        tab.goto((unzipped_epubs[tag] / "statements" / "zhu-huaiqiu.xhtml").as_uri())
        english = _used_fonts(tab, "p.tekan-english")
        assert english and not [f for f in english if "CJK" in f], english
        assert [f for f in _used_fonts(tab, "section > p:not([class])") if "CJK" in f]  # the Chinese stays CJK
    finally:
        context.close()


def test_the_english_epub_is_ragged_right_and_indents_only_running_paragraphs(
    browser: Any, unzipped_epubs: dict[str, Path]
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        tab = context.new_page()
        tab.goto((unzipped_epubs["en"] / "glossary.xhtml").as_uri())
        glossary = tab.eval_on_selector_all(
            "div.body dd p",
            "ps => [...new Set(ps.map(p => [getComputedStyle(p).textAlign, getComputedStyle(p).textIndent,"
            " getComputedStyle(p).hyphens].join(' ')))]",
        )
        assert glossary == ["left 0px auto"], glossary
        tab.goto((unzipped_epubs["en"] / "statements" / "zhu-huaiqiu.xhtml").as_uri())
        running = tab.eval_on_selector_all(
            "section > p:not([class])",
            "ps => ps.map(p => { const s = getComputedStyle(p); return [s.textAlign, s.textIndent, s.hyphens]; })",
        )
        assert len(running) > 2 and all(align == "left" and hyphens == "auto" for align, _, hyphens in running), running
        # A first-line indent for a paragraph that follows another, as English books set it; not the first.
        assert running[0][1] == "0px" and all(indent != "0px" for _, indent, _ in running[1:]), running
        tab.goto((unzipped_epubs["en"] / "index.xhtml").as_uri())
        lists = tab.eval_on_selector_all(
            "div.body li p", "ps => [...new Set(ps.map(p => getComputedStyle(p).textIndent))]"
        )
        assert lists in ([], ["0px"]), lists
    finally:
        context.close()


def test_an_epub_note_is_shown_after_the_page_with_its_way_back(browser: Any, unzipped_epubs: dict[str, Path]) -> None:
    """Without pop-ups (Chromium), a term's note follows the page's text; its links lead to the glossary entry and
    back to the term."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        tab = context.new_page()
        tab.goto((unzipped_epubs["zh-hant"] / "statements" / "zhu-huaiqiu.xhtml").as_uri())
        ref = tab.locator("a[href='#tekan-note-metrology']").first
        note = tab.locator("aside#tekan-note-metrology")
        assert note.is_visible()
        assert ref.bounding_box()["y"] < note.bounding_box()["y"]
        ref.click()
        assert tab.url.endswith("#tekan-note-metrology")
        note.locator("a[role='doc-backlink']").click()
        assert tab.url.endswith(f"#{ref.get_attribute('id')}")
        note.locator("a[href$='glossary.xhtml#term-metrology']").click()
        tab.wait_for_url("**/glossary.xhtml#term-metrology")
    finally:
        context.close()


#: Statements of the generated collection whose search is measured against the real book's (ten features).
LARGE = 160


def test_a_query_fetches_no_more_bytes_on_a_large_generated_book_than_on_the_real_one(
    browser: Any, tmp_path: Path
) -> None:
    """Everything the search page loads for a query (the page, its scripts and styles, the index files, the excerpts
    of the first screen; as tools/benchmark.py measures it in Chromium) is no more on a collection of ten copies
    of the book than on the book: the index files a query needs do not grow with the pages (issue 24)."""
    import sys

    from .conftest import ROOT, tekan

    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import benchmark
    finally:
        sys.path.remove(str(ROOT / "tools"))
    collection = benchmark.make_collection(LARGE, tmp_path / "collection")
    fetched = {}
    for name, seed in (("real", []), ("large", ["--seed", str(collection)])):
        built = tekan(
            "--glossary", str(GLOSSARY), "build", "html", "--script", "hant", *seed, "--out", str(tmp_path / name)
        )
        assert built.returncode == 0, built.stderr[-3000:]
        rows = benchmark.measure_search(tmp_path / name / "html", browser=browser)
        fetched[name] = {row["query"]: row for row in rows}
    for query in benchmark.SEARCH_QUERIES:
        real, large = fetched["real"][query], fetched["large"][query]
        assert large["shown"] == 10 and real["shown"] >= 5, (real, large)  # more results on the large book
        assert large["bytes"] <= real["bytes"], (query, real["bytes"], large["bytes"])
