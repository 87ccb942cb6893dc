"""An unseen feature, written by the tests: another paper, another city, other speakers.

Nothing of the repository's book (中國質量報, 杭州, its sixteen speakers) may appear in what Tekan makes of it.
Its text uses terms of the quality-infrastructure glossary Tekan ships (計量, 標準化, 認證認可, 檢驗檢測),
so a book without a glossary of its own is cross-referenced from its first build.
"""

from __future__ import annotations

from pathlib import Path

SEED = """以標準引領浙江製造
標準化是國家質量基礎設施的重要組成部分,我們堅持以標準提升質量,推動認證認可和檢驗檢測協同發展。
今年全省新制定地方標準一百二十項。
——浙江省市場監督管理局局長陳立新
讓計量守護民生
計量是工業的眼睛。我們為一萬多家企業提供校準服務。
——浙江省計量科學研究院院長周文華
《浙江標準報》【浙江標準化周特刊】
"""

METADATA = """[publication]
title = "浙江標準報·浙江標準化周特刊"
title_en = "Zhejiang Standards News: Special Issue for Standardisation Week"
publisher = "浙江標準報社"
publisher_en = "Zhejiang Standards News"
date = "2024-10"
identifier = "urn:example:zjbz:2024-week"
description_zh = "《浙江標準報》為浙江標準化周推出的特刊。"

[[sector]]
id = "regulator"
zh = "監管部門"
en = "Regulators"

[[sector]]
id = "institution"
zh = "技術機構"
en = "Technical institutions"

[[statement]]
byline = "浙江省市場監督管理局局長陳立新"
slug = "chen-lixin"
sector = "regulator"
headline_en = "Standards lead Zhejiang manufacturing"

[[statement]]
byline = "浙江省計量科學研究院院長周文華"
slug = "zhou-wenhua"
sector = "institution"
"""

#: What the book is called and whose it is, as every format must say.
TITLE = "浙江標準化周特刊"
FULL_TITLE = "浙江標準報·浙江標準化周特刊"
AUTHOR = "浙江標準報"
PUBLISHER = "浙江標準報社"
COPYRIGHT = "2024, 浙江標準報社"
#: Words of the repository's own book that must appear nowhere in another book: its paper, its
#: copyright line, its speakers, what its glossary once said of it. (Not 杭州: the shipped glossary names
#: the China Quality (Hangzhou) Conference as an example of a general term.)
FOREIGN = ("中國質量報", "China Quality News", "本書所收", "this book", "韓永生", "劉慶峰", "大會特刊")


def write_feature(folder: Path, name: str = "feature", metadata: bool = True) -> Path:
    """Write the unseen seed (and, unless told not to, its metadata) into ``folder``; return the seed."""
    folder.mkdir(parents=True, exist_ok=True)
    seed = folder / f"{name}.txt"
    seed.write_text(SEED, encoding="utf-8")
    if metadata:
        (folder / f"{name}.toml").write_text(METADATA, encoding="utf-8")
    return seed


#: What an editor writes into the fields `tekan init` marks TODO (and the publisher it took from the masthead).
FILLED = {
    "title_en": "Zhejiang Standards News: Special Issue for Standardisation Week",
    "date": "2024-10",
    "headline_en": "An English headline",
    "organisation_en": "An organisation",
    "position_en": "Director",
}


def fill_draft(draft: Path) -> int:
    """Fill every TODO field of a `tekan init` draft as an editor would; return how many were filled."""
    import re

    text = draft.read_text(encoding="utf-8")
    text, todo = re.subn(
        r'^(\w+) = ""(\s*#\s*TODO.*)$', lambda m: f'{m[1]} = "{FILLED[m[1]]}"', text, flags=re.MULTILINE
    )
    text = re.sub(r"^publisher = .*$", f'publisher = "{PUBLISHER}"', text, count=1, flags=re.MULTILINE)
    draft.write_text(text, encoding="utf-8")
    return todo


def foreign_words(folder: Path) -> list[str]:
    """Every file under ``folder`` (text, or text inside a zip) that names the repository's own book."""
    import zipfile

    found = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path.suffix == ".epub":
            with zipfile.ZipFile(path) as archive:
                texts = [(f"{path}!{n}", archive.read(n)) for n in archive.namelist()]
        elif path.suffix in (".html", ".js", ".xhtml", ".opf", ".ncx", ".tex", ".csv", ".tbx", ".txt", ".md"):
            texts = [(str(path), path.read_bytes())]
        else:
            continue
        for where, data in texts:
            text = data.decode("utf-8", errors="replace")
            found += [f"{where}: {word}" for word in FOREIGN if word in text]
    return found
