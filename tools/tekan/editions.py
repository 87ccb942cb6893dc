"""The editions a book is published in: one frozen `Edition` per edition owns everything that varies by edition.

Its tag and Sphinx language, its fonts, how the book's (Traditional) text is converted into it, and every
fixed word the generated pages, the audit page, the glossary, the switcher, the landing page and the print
book use. Adding an edition (zh-Hant-HK, say) is one `Edition(...)` with its words, passed to :func:`register`
(from Tekan's own modules, a book's conf.py or a plug-in): nothing else names editions. No OpenCC and no
Sphinx here: the words are written out, never machine-converted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: ASCII stem of the EPUB, LaTeX and PDF files (an all-Chinese project name would give ``sphinx.epub``).
BASENAME = "tekan"


@dataclass(frozen=True)
class PageWords:
    """The fixed words of the generated pages (home page, glossary, English index)."""

    glossary: str  # title of the glossary page
    glossary_intro: str  # its first paragraph; ``{english}`` is the link to the English index
    glossary_intro_more: str  # the same when it also prints entries the text does not use (see also, [glossary])
    english_index: str  # title of the English index
    contents: str  # caption of the table of contents (also the EPUB's navigation)
    statements: str  # counter word after the number of statements of a sector (16 篇)
    by: str  # the dash before a byline in the edition's language
    by_chinese: str = "——"  # the dash before the Chinese byline (the English edition prints it under its own)
    english_index_intro: str = ""  # the English index's first paragraph ("" for an edition without the page)
    separator: str = "、"  # between the items of a run-in list (the glossary's backlinks, its variants)
    colon: str = "："  # after a run-in label (又作：, 下載詞彙表：)


@dataclass(frozen=True)
class AuditWords:
    """The fixed words of the audit page (what normalisation changed in the seed)."""

    title: str  # page title
    about: str  # title of the editorial note (關於本版), in the contents; it links to the audit page
    intro: str  # ``{total}`` (number of changes) and ``{summary}`` (changes per kind) are filled in
    done: tuple[tuple[str, str], ...]  # rule → the sentence saying what was done, for each rule that changed text
    names: str  # what was left as printed (names, numbers), after the rules' sentences
    log: str  # the link from the note to the audit page; ``{total}`` filled in
    back: str  # the audit page's first line, before the link back to the note
    converted_note: str  # a line for an edition converted from the corrected text; "" for none
    intro_simplified_seed: str  # the intro for a Simplified seed; ``{punctuation}``, ``{conversion}`` filled in
    verbatim: str  # the page of a verbatim edition
    count: str  # ``{label} {n} 處``: one kind in the summary
    print_note: str  # the print appendix: which changes it lists and where the full list is
    summary_head: str  # column of the print summary: the statement
    none: str  # nothing was changed
    masthead: str  # a change in the masthead
    headline: str  # a change in a headline
    paragraph: str  # ``第 {n} 段``
    place: str  # column: where
    before: str  # column: the seed's text
    after: str  # column: the corrected text
    rule: str  # column: kind of change
    punctuation: str  # kind: punctuation
    word: str  # kind: word form
    conversion: str  # kind: a choice the Simplified → Traditional conversion made from context
    quotes: str  # kind: quotation marks
    dash: str  # kind: dash in a range
    customary: str  # kind: customary form (佔, 佈) where the MOE standard form is another
    lookalike: str  # kind: look-alike character misprinted
    byline: str  # a change in a byline
    read: str  # link to the statement


@dataclass(frozen=True)
class GlossaryWords:
    """The fixed words of the glossary entries, their downloads and the tooltips."""

    see: str  # related terms
    source: str  # authority of the English rendering
    used: str  # backlinks: the statements that use the term
    used_count: str  # backlinks past the limit: how many pages use the term (``{count}`` filled in)
    used_search: str  # backlinks past the limit: the link to the term's search results
    note: str  # usage note
    aliases: str  # other forms
    other_script: str  # label before the headword in the other script
    download: str  # "download the glossary"
    csv: str  # the CSV link
    tbx: str  # the TBX link
    close: str  # tooltip: close button
    glossary: str  # tooltip: link to the glossary entry


@dataclass(frozen=True)
class SiteWords:
    """The words of the script switcher (on every page) and of the landing page (``html/index.html``)."""

    caption: str  # switcher heading: the editions
    downloads: str  # aria label of the EPUB/PDF links
    names: tuple[tuple[str, str], ...]  # every edition's name in this edition's language (key → name), for labels
    download: str  # a download link's name: ``{name}`` (from ``names``) and ``{format}`` (EPUB, PDF) filled in
    read: str  # landing page: read the website
    epub: str  # landing page: download the EPUB
    pdf: str  # landing page: download the PDF


@dataclass(frozen=True)
class TranslatedWords:
    """The fixed words of a translated edition's generated pages (the English edition)."""

    contents: str = "Contents"
    glossary: str = "Glossary"
    glossary_intro: str = (
        "The terms used in the statements, in English alphabetical order, "
        "each with its Chinese headword, pinyin and definitions."
    )
    note: str = (
        "Editors’ translation from the Chinese. Terms in the glossary are linked to their bilingual entries; "
        "the Chinese original is in the Traditional and Simplified editions."
    )
    missing: str = "This paragraph has not been translated yet."
    statements: str = "statements"  # a feature's size on a collection's home page: "16 statements"
    statement: str = "statement"  # … and "1 statement"


@dataclass(frozen=True)
class ParallelWords:
    """The fixed words of a Chinese edition's parallel pages (each paragraph beside its translation)."""

    title: str = "中英對照"  # link text on the statement page and suffix of the parallel page's title
    note: str = "英文為編者譯文，術語譯名依詞彙表。"
    missing: str = "（本段尚無譯文）"


@dataclass(frozen=True)
class PrintWords:
    """The fixed words of the PDF and the EPUB's package (beyond the page words)."""

    appendix: str  # the part holding glossary and English index
    index: str  # the index's title
    part_before: str  # before a part's number (第)
    part_after: str  # after it (部分)
    cover: str  # the EPUB cover's title in the guide
    date_units: str = "年月日"  # after the year, month and day of an ISO date (2021年9月); "" for ``months``
    months: tuple[str, ...] = ()  # the months' names, for an edition that writes "September 2021"


@dataclass(frozen=True)
class AccessWords:
    """What assistive technology and browsers are told: furo's labels, landmark names, the 404 page.

    The defaults are furo's own English words (an English edition needs no translation of them).
    """

    theme: tuple[tuple[str, str], ...] = ()  # furo's fixed English aria labels and icon titles → these words
    toggle_section: str = "Toggle navigation of {}"  # the button that opens a section of the navigation tree
    site_navigation: str = "Site navigation"  # name of the left drawer (complementary landmark)
    on_this_page: str = "On this page"  # name of the right drawer
    possessive: str = ""  # replaces the "'s" of furo's footer ("@pradyunsg's Furo"); "" keeps furo's English
    not_found: str = "Page not found"  # the 404 page's title
    not_found_text: str = "There is no page at this address: it may have moved, or the address may be mistyped."
    bodymatter: str = "Start of content"  # EPUB landmark: where the text begins
    colophon: str = "About this site"  # the colophon page (the site's tool credit) and every footer's link to it


@dataclass(frozen=True)
class Fonts:
    """The Noto CJK families of an edition (Debian fonts-noto-cjk) and the CSS font stacks of its site."""

    serif: str  # body text of the PDF and the EPUB cover
    sans: str  # headings of the PDF
    mono: str  # code (never in a statement, but LaTeX needs one)
    web_sans: str  # CSS font-family of the site's text
    web_serif: str  # CSS font-family of the site's headings


@dataclass(frozen=True)
class Edition:
    """One edition: its names, tags, fonts, text conversion and fixed words."""

    key: str  # the value of ``tekan_target.edition`` and ``--edition``: "hant", "hans"
    tag: str  # BCP 47 language tag: HTML ``lang``, EPUB ``dc:language``, PDF ``/Lang``
    sphinx_language: str  # Sphinx ``language`` (selects Sphinx's and furo's UI strings)
    script: str  # the Chinese script of its text: "hant" as the seed is kept, "hans" converted by OpenCC
    name: str  # the edition's name in its own script (switcher, landing page)
    fonts: Fonts  # typefaces
    pages: PageWords  # words of the generated pages
    audit: AuditWords  # words of the audit page
    glossary: GlossaryWords  # words of the glossary
    site: SiteWords  # words of the switcher and the landing page
    print: PrintWords  # words of the PDF and EPUB
    access: AccessWords = field(default_factory=AccessWords)  # words for screen readers, browsers, the 404 page
    translation: str = ""  # language of the catalogs its statements come from ("en"); "" for the Chinese text
    forms: str = ""  # OpenCC configuration giving its regional character forms from the Traditional text ("t2hk")
    parallel: ParallelWords = field(default_factory=ParallelWords)  # words of the parallel pages (Chinese editions)
    translated_pages: TranslatedWords = field(default_factory=TranslatedWords)  # words of a translated edition

    @property
    def translated(self) -> bool:
        """True for an edition of the editors' translation (its pages come from the catalogs, not the seed)."""
        return bool(self.translation)

    @property
    def folder(self) -> str:
        """The edition's folder and file tag: ``html/zh-hant/``, ``epub/tekan-zh-hant.epub``."""
        return self.tag.lower()

    @property
    def converts(self) -> bool:
        """True when the book's Traditional text is converted (by OpenCC with Tekan's protections) for it."""
        return self.script == "hans" or bool(self.forms)

    def headword(self, hant: str, hans: str) -> str:
        """Of a glossary term's two written-out headwords, the one this edition prints."""
        return hans if self.script == "hans" else hant

    def date(self, iso: str) -> str:
        """An ISO date (``2021-09``) as the edition prints it: ``2021年9月``, ``September 2021``."""
        parts = [int(p) for p in iso.split("-") if p.isdigit()]
        months = self.print.months
        if months:
            return f"{months[parts[1] - 1]} {parts[0]}" if len(parts) > 1 and 1 <= parts[1] <= 12 else iso
        return "".join(f"{n}{unit}" for n, unit in zip(parts, self.print.date_units, strict=False))

    def other_headword(self, hant: str, hans: str) -> tuple[str, str]:
        """The headword in the other Chinese script, with that script's language tag (shown beside the entry)."""
        return (hant, "zh-Hant") if self.script == "hans" else (hans, "zh-Hans")

    @property
    def other_script_tag(self) -> str:
        """The language tag of the other Chinese script (``zh-Hans`` beside a Traditional edition)."""
        return "zh-Hant" if self.script == "hans" else "zh-Hans"

    def in_script(self, text: str) -> str:
        """Traditional ``text`` (metadata, byline, definition) in this edition's script and character forms."""
        if not self.converts:
            return text
        from .scripts import to_forms, to_hans  # late: OpenCC loads only when an edition needs it

        return to_hans(text) if self.script == "hans" else to_forms(text, self.forms)


def _noto(region: str) -> tuple[str, str, str]:
    return f"Noto Serif CJK {region}", f"Noto Sans CJK {region}", f"Noto Sans Mono CJK {region}"


HANT = Edition(
    key="hant",
    tag="zh-Hant",
    sphinx_language="zh_TW",
    script="hant",
    name="繁體中文",
    fonts=Fonts(
        *_noto("TC"),
        web_sans='"Noto Sans CJK TC", "Noto Sans TC", "PingFang TC", "Microsoft JhengHei", '
        '"Source Han Sans TC", system-ui, sans-serif',
        web_serif='"Noto Serif CJK TC", "Noto Serif TC", "Songti TC", "PMingLiU", serif',
    ),
    pages=PageWords(
        glossary="詞彙表",
        glossary_intro="本書所用術語的中英對照釋義，按漢語拼音排序；按英文字母排序的術語見{english}。",
        glossary_intro_more=(
            "本書所用術語的中英對照釋義，另收所參見或編者選收的詞條（正文未用者，「出現於」為「—」），"
            "按漢語拼音排序；按英文字母排序的術語見{english}。"
        ),
        english_index="英文索引",
        contents="目錄",
        statements="篇",
        by="——",
        english_index_intro="詞彙表的術語按英文名稱的字母順序排列，每條連結至詞彙表中的詞條。",
    ),
    audit=AuditWords(
        title="文字校訂記錄",
        about="關於本版",
        intro="本版依繁體中文排版慣例校訂原稿，共 {total} 處：{summary}。",
        done=(
            ("punctuation", "中文句中的半形標點改為全形。"),
            ("quotes", "彎引號改為繁體慣用的「」『』。"),
            ("dash", "年份之間的連字號改為連接號。"),
            ("word", "大陸字形與用字（由簡體轉換的文本常見的遺留）改為臺灣通行的字形。"),
            ("customary", "佔、佈是臺灣通行寫法，教育部標準字體作占、布，故另列為「通行寫法」。"),
            ("lookalike", "形近誤字逐一改正。"),
        ),
        names="數字、英文縮寫（如 5G、AI）中的符號照錄；人名、機構名只改正形近誤字。",
        log="逐處校訂記錄（{total} 處，原稿與校訂對照）",
        back="本頁逐處列出原稿與校訂的文字；校訂的原則見",
        converted_note="",
        intro_simplified_seed=(
            "本書原稿以簡體寫成。本版把中文語境中的半形標點改為全形（{punctuation} 處），引號用繁體慣用的「」『』，"
            "再由 OpenCC 轉為繁體（s2tw：臺灣字形，不改大陸用語），人名、機構名與詞彙表詞目整體轉換；"
            "轉換依上下文選用非常用字形之處（{conversion} 處）逐一列於下表，請核對。"
        ),
        verbatim="本版照錄原稿，未作任何校訂。",
        count="{label} {n} 處",
        print_note="下表列出字形、寫法、誤字與連接號的校訂；標點與引號的逐處校訂見本書網頁版的文字校訂記錄。",
        summary_head="篇",
        none="本版依繁體中文排版慣例核對，原稿無需校訂。",
        masthead="報頭",
        headline="標題",
        paragraph="第 {n} 段",
        place="位置",
        before="原稿",
        after="校訂",
        rule="類別",
        punctuation="標點",
        conversion="轉換",
        word="大陸字形",
        quotes="引號",
        dash="連接號",
        customary="通行寫法",
        lookalike="形近誤字",
        byline="署名",
        read="閱讀本篇",
    ),
    glossary=GlossaryWords(
        see="另見",
        source="譯名依據",
        used="出現於",
        used_count="{count} 頁",
        used_search="見搜尋結果",
        note="用法",
        aliases="又作",
        other_script="简",
        download="下載詞彙表",
        csv="CSV（試算表，UTF-8）",
        tbx="TBX（TBX-Basic 術語交換格式，供翻譯軟體匯入）",
        close="關閉",
        glossary="詞彙表",
    ),
    site=SiteWords(
        caption="版本",
        downloads="下載",
        names=(("hant", "繁體中文"), ("hans", "簡體中文"), ("en", "英文")),
        download="下載{name} {format}",
        read="閱讀網頁版",
        epub="下載 EPUB",
        pdf="下載 PDF",
    ),
    print=PrintWords(
        appendix="附錄",
        index="索引",
        part_before="第",
        part_after="部分",
        cover="封面",
    ),
    access=AccessWords(
        theme=(
            ("Toggle site navigation sidebar", "顯示或隱藏網站導覽"),
            ("Toggle table of contents sidebar", "顯示或隱藏本頁目錄"),
            ("Toggle Light / Dark / Auto color theme", "切換淺色、深色或自動配色"),
            ("Contents", "目錄"),
            ("Menu", "選單"),
            ("Expand", "展開"),
            ("Light mode", "淺色模式"),
            ("Dark mode", "深色模式"),
            ("Auto light/dark, in light mode", "自動配色（目前為淺色）"),
            ("Auto light/dark, in dark mode", "自動配色（目前為深色）"),
        ),
        toggle_section="展開或收合「{}」",
        possessive=" 的",
        site_navigation="網站導覽",
        on_this_page="本頁內容",
        not_found="找不到此頁",
        not_found_text="此網址沒有頁面：可能已移動，或網址有誤。請從目錄或搜尋找尋所需的內容。",
        bodymatter="正文",
        colophon="關於本站",
    ),
)

HANS = Edition(
    key="hans",
    tag="zh-Hans",
    sphinx_language="zh_CN",
    script="hans",
    name="简体中文",
    fonts=Fonts(
        *_noto("SC"),
        web_sans='"Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", '
        '"Source Han Sans SC", system-ui, sans-serif',
        web_serif='"Noto Serif CJK SC", "Noto Serif SC", "Songti SC", "SimSun", serif',
    ),
    pages=PageWords(
        glossary="词汇表",
        glossary_intro="本书所用术语的中英对照释义，按汉语拼音排序；按英文字母排序的术语见{english}。",
        glossary_intro_more=(
            "本书所用术语的中英对照释义，另收所参见或编者选收的词条（正文未用者，“出现于”为“—”），"
            "按汉语拼音排序；按英文字母排序的术语见{english}。"
        ),
        english_index="英文索引",
        contents="目录",
        statements="篇",
        by="——",
        english_index_intro="词汇表的术语按英文名称的字母顺序排列，每条链接至词汇表中的词条。",
    ),
    audit=AuditWords(
        title="文字校订记录",
        about="关于本版",
        intro="繁体版依繁体中文排版惯例校订原稿，共 {total} 处：{summary}。",
        done=(
            ("punctuation", "中文句中的半角标点改为全角。"),
            ("quotes", "弯引号在繁体版改为「」『』，简体版仍用“ ”‘ ’。"),
            ("dash", "年份之间的连字号改为连接号。"),
            ("word", "大陆字形与用字（由简体转换的文本常见的遗留）在繁体版改为台湾通行的字形。"),
            ("customary", "佔、佈是台湾通行写法，教育部标准字体作占、布，故另列为“通行写法”。"),
            ("lookalike", "形近误字逐一改正。"),
        ),
        names="数字、英文缩写（如 5G、AI）中的符号照录；人名、机构名只改正形近误字。",
        log="逐处校订记录（{total} 处，原稿与校订对照）",
        back="本页逐处列出原稿与校订的文字；校订的原则见",
        converted_note="简体版由校订后的繁体文本转换而来，引号依简体中文惯例用“ ”；校订记录按原稿以繁体列出。",
        intro_simplified_seed=(
            "本书原稿以简体写成。本版把中文语境中的半角标点改为全角（{punctuation} 处），引号依 GB/T 15834 用“ ”‘ ’，"
            "简体原稿的字形与用语一律照录；繁体版另列转换时依上下文选用的字形。"
        ),
        verbatim="本版照录原稿，未作任何校订。",
        count="{label} {n} 处",
        print_note="下表列出字形、写法、误字与连接号的校订；标点与引号的逐处校订见本书网页版的文字校订记录。",
        summary_head="篇",
        none="繁体版依繁体中文排版惯例核对，原稿无需校订。",
        masthead="报头",
        headline="标题",
        paragraph="第 {n} 段",
        place="位置",
        before="原稿",
        after="校订",
        rule="类别",
        punctuation="标点",
        conversion="转换",
        word="大陆字形",
        quotes="引号",
        dash="连接号",
        customary="通行写法",
        lookalike="形近误字",
        byline="署名",
        read="阅读本篇",
    ),
    glossary=GlossaryWords(
        see="另见",
        source="译名依据",
        used="出现于",
        used_count="{count} 页",
        used_search="见搜索结果",
        note="用法",
        aliases="又作",
        other_script="繁",
        download="下载词汇表",
        csv="CSV（电子表格，UTF-8）",
        tbx="TBX（TBX-Basic 术语交换格式，供翻译软件导入）",
        close="关闭",
        glossary="词汇表",
    ),
    site=SiteWords(
        caption="版本",
        downloads="下载",
        names=(("hant", "繁体中文"), ("hans", "简体中文"), ("en", "英文")),
        download="下载{name} {format}",
        read="阅读网页版",
        epub="下载 EPUB",
        pdf="下载 PDF",
    ),
    print=PrintWords(
        appendix="附录",
        index="索引",
        part_before="第",
        part_after="部分",
        cover="封面",
    ),
    parallel=ParallelWords("中英对照", "英文为编者译文，术语译名依词汇表。", "（本段尚无译文）"),
    access=AccessWords(
        theme=(
            ("Toggle site navigation sidebar", "显示或隐藏网站导航"),
            ("Toggle table of contents sidebar", "显示或隐藏本页目录"),
            ("Toggle Light / Dark / Auto color theme", "切换浅色、深色或自动配色"),
            ("Contents", "目录"),
            ("Menu", "菜单"),
            ("Expand", "展开"),
            ("Light mode", "浅色模式"),
            ("Dark mode", "深色模式"),
            ("Auto light/dark, in light mode", "自动配色（当前为浅色）"),
            ("Auto light/dark, in dark mode", "自动配色（当前为深色）"),
        ),
        toggle_section="展开或收起“{}”",
        possessive=" 的",
        site_navigation="网站导航",
        on_this_page="本页内容",
        not_found="找不到此页",
        not_found_text="此网址没有页面：可能已移动，或网址有误。请从目录或搜索查找所需的内容。",
        bodymatter="正文",
        colophon="关于本站",
    ),
)

EN = Edition(
    key="en",
    tag="en",
    sphinx_language="en",
    script="hant",  # the Chinese beside the English (headlines, glossary headwords) is the Traditional text
    name="English",
    fonts=Fonts(
        *_noto("TC"),
        web_sans='-apple-system, "Segoe UI", "Helvetica Neue", Arial, "Noto Sans", "DejaVu Sans", '
        '"Noto Sans CJK TC", "Noto Sans TC", "PingFang TC", "Microsoft JhengHei", system-ui, sans-serif',
        web_serif='Georgia, "Times New Roman", "Noto Serif", "DejaVu Serif", '
        '"Noto Serif CJK TC", "Noto Serif TC", "Songti TC", serif',
    ),
    pages=PageWords(
        separator=", ",
        colon=": ",
        glossary="Glossary",
        glossary_intro=(
            "The terms used in the statements, in English alphabetical order, "
            "each with its Chinese headword, pinyin and definitions."
        ),
        glossary_intro_more=(
            "The terms used in the statements, with the entries they refer to or "
            "those the editors added (the text uses those nowhere: their Used in shows a dash), in English "
            "alphabetical order, "
            "each with its Chinese headword, pinyin and definitions."
        ),
        english_index="English index",
        contents="Contents",
        statements="statements",
        by="—",
    ),
    audit=AuditWords(  # the English edition has no audit page (it records changes to the Chinese text)
        title="Corrections to the Chinese text",
        about="About this edition",
        intro="",
        done=(),
        names="",
        log="",
        back="",
        converted_note="",
        intro_simplified_seed="",
        verbatim="",
        count="{label}: {n}",
        print_note="",
        summary_head="Statement",
        none="",
        masthead="Masthead",
        headline="Headline",
        paragraph="paragraph {n}",
        place="Place",
        before="Seed",
        after="Corrected",
        rule="Kind",
        punctuation="punctuation",
        word="word form",
        conversion="conversion",
        quotes="quotation marks",
        dash="dash",
        customary="customary form",
        lookalike="look-alike character",
        byline="Byline",
        read="Read the statement",
    ),
    glossary=GlossaryWords(
        see="See also",
        source="Source of the English term",
        used="Used in",
        used_count="{count} pages",
        used_search="see the search results",
        note="Usage",
        aliases="Also written",
        other_script="Simplified",
        download="Download the glossary",
        csv="CSV (spreadsheet, UTF-8)",
        tbx="TBX (TBX-Basic term exchange, for translation software)",
        close="Close",
        glossary="Glossary",
    ),
    site=SiteWords(
        caption="Editions",
        downloads="Downloads",
        names=(("hant", "Traditional Chinese"), ("hans", "Simplified Chinese"), ("en", "English")),
        download="Download the {name} {format}",
        read="Read online",
        epub="Download the EPUB",
        pdf="Download the PDF",
    ),
    print=PrintWords(
        appendix="Appendix",
        index="Index",
        part_before="Part ",
        part_after="",
        cover="Cover",
        date_units="",
        months=(
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ),
    ),
    translation="en",
    translated_pages=TranslatedWords(),
)

#: Every edition, by key, in the order they are built and listed (:func:`register` adds one).
EDITIONS: dict[str, Edition] = {edition.key: edition for edition in (HANT, HANS, EN)}
#: Tekan's own editions' keys, as Tekan ships them (``--edition`` choices are :func:`keys`).
SCRIPTS = tuple(EDITIONS)
#: Tekan's own editions of the Chinese text.
CHINESE = tuple(key for key, edition in EDITIONS.items() if not edition.translated)
#: Each of Tekan's own editions' folder and file tag: ``html/zh-hant/``, ``epub/NAME-zh-hant.epub``.
TAGS = {key: edition.folder for key, edition in EDITIONS.items()}


def register(edition: Edition) -> Edition:
    """Add ``edition`` to the editions Tekan builds and lists (replacing one of the same key); return it."""
    EDITIONS[edition.key] = edition
    return edition


def keys(chinese_only: bool = False) -> tuple[str, ...]:
    """The keys of the registered editions (the Chinese ones only with ``chinese_only``), in order."""
    return tuple(key for key, e in EDITIONS.items() if not (chinese_only and e.translated))


def edition(key: str) -> Edition:
    """The edition called ``key``; ValueError naming the choices for an unknown one."""
    try:
        return EDITIONS[key]
    except KeyError:
        raise ValueError(f"unknown edition {key!r}: choose from {', '.join(EDITIONS)}") from None


def edition_for_language(language: str | None) -> Edition | None:
    """The edition whose Sphinx ``language`` is ``language`` (``zh_TW`` → hant), if any."""
    return next((e for e in EDITIONS.values() if e.sphinx_language == language), None)


def cjk_fonts(script: str) -> dict[str, str]:
    """The Noto CJK families of an edition: serif body, sans headings, monospace (for PDF and the EPUB cover)."""
    fonts = edition(script).fonts
    return {"serif": fonts.serif, "sans": fonts.sans, "mono": fonts.mono}
