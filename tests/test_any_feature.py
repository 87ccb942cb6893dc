"""A release-quality book from any paper's feature (issue 20), as a stranger gets it: the installed wheel (shared
with tests/test_install.py), empty folders, and features the repository does not contain — a Traditional original
of another paper, a Simplified original, and a collection of both with this repository's book — built in every
edition and format. Each kind the issue names is asserted on what a reader gets:

* the glossary prints the entries the text uses (and those they refer to), and says 本書所用 only when true;
* the editorial note claims no machine conversion where none was made, and the production log is off the contents;
* every Simplified edition prints “ ”, never 「」;
* bylines split as an editor would (某質量認證中心 · 主任, …股份有限公司 · 董事長兼總經理);
* a fresh draft builds as it is, and ``--strict`` refuses an untranslated English edition at its catalogs;
* no term is linked inside a company's name or inside 計量標準;
* a collection's Simplified title is converted and its publishers, not its title, author it;
* a collection has an English edition: each feature's catalogs, English home and feature pages, the parallel pages,
  its English title (a gap at the collection file until it has one) on the site, in the EPUB and in the PDF.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from lxml import etree

from . import pdfreader as reader
from .conftest import ROOT, SEED, Installed

pytestmark = [pytest.mark.sphinx, pytest.mark.pdf]

#: A Traditional original from another paper, typeset as a Traditional text should be: nothing to normalise.
METROLOGY_DAY = """讓計量守護品質生活
5月20日是世界計量日。某質量認證中心建立了計量標準，為企業提供「一站式」服務。
我們把計量作為質量的基礎，推動計量與標準協同發展。
——某質量認證中心主任 陳建國
以質量贏得市場
我們堅持質量第一，參與制定國家標準。安徽國科檢測科技有限公司為我們提供檢測服務。
——某精密儀器股份有限公司董事長兼總經理趙明
《江淮計量報》【世界計量日特刊】
"""

#: A Simplified original from a third paper, quoting with “ ” as GB/T 15834 wants.
JIANTI = """计量是工业的“眼睛”
“计量”是质量的基础,我们建立了计量标准,服务“专精特新”企业。
——某市计量测试研究院院长 王小明
《华东质量报》2023年5月20日【世界计量日特刊】
"""

#: What the editors write into the TODO fields of the two features' drafts (in order) and their English publishers.
ENGLISH_METADATA = {
    "metrology-day": {
        "title_en": ["Jianghuai Metrology News: World Metrology Day Special Issue"],
        "date": ["2024-05-20"],
        "headline_en": ["Metrology safeguards the quality of life", "Winning the market with quality"],
        "organisation_en": ["A Quality Certification Centre", "A Precision Instruments Co., Ltd."],
        "position_en": ["Director", "Chairman and General Manager"],
        "publisher_en": ["Jianghuai Metrology News"],
    },
    "jianti": {
        "title_en": ["East China Quality News: World Metrology Day Special Issue"],
        "headline_en": ["Metrology is the eyes of industry"],
        "organisation_en": ["A Municipal Institute of Metrology and Testing"],
        "position_en": ["President"],
        "publisher_en": ["East China Quality News"],
    },
}
#: The translators' English of the two features' paragraphs (catalog msgid: the paragraph as the seed prints it).
TRANSLATIONS = {
    METROLOGY_DAY.splitlines()[1]: "May 20 is World Metrology Day. A quality certification centre has set up "
    "measurement standards and offers enterprises a “one-stop” service.",
    METROLOGY_DAY.splitlines()[2]: "We treat metrology as the foundation of quality and advance metrology and "
    "standards together.",
    METROLOGY_DAY.splitlines()[5]: "We put quality first and take part in drafting national standards. Anhui Guoke "
    "Testing Technology Co., Ltd. provides our testing services.",
    JIANTI.splitlines()[1]: "“Metrology” is the foundation of quality: we have set up measurement standards and serve "
    "“specialized and sophisticated” enterprises.",
}
#: The collection's English title, which its editors write.
COLLECTION_EN = "Quality Papers: Special Issues"

#: Entries of the shipped glossary that only this repository's book uses: never in the new feature's glossary.
OTHER_BOOKS_TERMS = ("wanmei-brand", "three-places-one-zone", "common-prosperity-zone", "china-quality-conference")


def runner(installed: Installed, folder: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    def tekan(*args: str) -> subprocess.CompletedProcess[str]:
        command = [str(installed.bin / "tekan"), *args]
        return subprocess.run(command, cwd=folder, env=installed.env(), capture_output=True, text=True, check=False)

    return tekan


def page(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def main_text(path: Path) -> str:
    return page(path).find("article").get_text()


def pdf_text(pdf: Path) -> str:
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True)
    return text.stdout


def epub_texts(epub: Path) -> dict[str, str]:
    with zipfile.ZipFile(epub) as archive:
        return {n: archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith((".xhtml", ".opf"))}


def one(folder: Path, pattern: str) -> Path:
    found = sorted(folder.glob(pattern))
    assert len(found) == 1, (folder, pattern, found)
    return found[0]


def fill(draft: Path, values: dict[str, list[str]]) -> None:
    """Fill a `tekan init` draft's empty fields as its editors would: each field's values in the order they occur."""
    left = {field: list(texts) for field, texts in values.items()}

    def value(match: re.Match[str]) -> str:
        texts = left.get(match[1])
        return f'{match[1]} = "{texts.pop(0)}"' if texts else match[0]

    text = re.sub(r'^(\w+) = ""', value, draft.read_text(encoding="utf-8"), flags=re.MULTILINE)
    draft.write_text(text, encoding="utf-8")


def translate(catalogs: Path) -> int:
    """Write the translators' English into the catalogs of the two features; return how many messages."""
    from babel.messages.pofile import read_po, write_po

    done = 0
    for path in catalogs.glob("*.po"):
        with path.open("rb") as handle:
            catalog = read_po(handle)
        for message in catalog:
            if message.id in TRANSLATIONS:
                message.string, done = TRANSLATIONS[message.id], done + 1
        with path.open("wb") as handle:
            write_po(handle, catalog, width=0)
    return done


def glossary_entries(site: Path) -> dict[str, bool]:
    """Each entry of an edition's glossary page → whether a statement uses it (its 出現於 links to a page)."""
    soup = page(site / "glossary.html")
    entries = {}
    for term in soup.select("dt[id^=term-]"):
        definition = term.find_next_sibling("dd")
        entries[term["id"].removeprefix("term-")] = bool(definition.select("a.tekan-backlink"))
    return entries


def test_a_new_papers_traditional_feature_is_a_book_that_tells_the_truth(installed: Installed, tmp_path: Path) -> None:
    book = tmp_path / "metrology-day"
    (book / "seeds").mkdir(parents=True)
    (book / "seeds" / "metrology-day.txt").write_text(METROLOGY_DAY, encoding="utf-8")
    tekan = runner(installed, book)

    # The draft: `tekan check` names the command that works here, `tekan init` needs no argument.
    checked = tekan("check")
    assert checked.returncode == 0 and "`tekan init seeds/metrology-day.txt`" in checked.stderr, checked.stderr
    assert tekan("init").returncode == 0
    assert 'date = ""' in (book / "seeds" / "metrology-day.toml").read_text(encoding="utf-8")  # a TODO, no error
    assert tekan("translate").returncode == 0
    # --strict: the English edition is refused, each untranslated paragraph named at its catalog line.
    strict = tekan("build", "html", "--edition", "en", "--strict")
    assert strict.returncode == 1
    errors = [line for line in strict.stderr.splitlines() if ": error: paragraph" in line]
    assert len(errors) == 3 and all(".po:" in line and "[tekan.translation]" in line for line in errors), strict.stderr
    # The fresh draft builds as it is, in every edition and format.
    built = tekan("build", "html", "epub", "pdf", "--edition", "all")
    assert built.returncode == 0, built.stderr[-3000:]
    out = book / "_build"
    hant, hans, en = (out / "html" / tag for tag in ("zh-hant", "zh-hans", "en"))

    # The glossary: the entries the text uses and those they refer to, nothing of the repository's book.
    entries = glossary_entries(hant)
    used = {term for term, is_used in entries.items() if is_used}
    assert {"metrology", "quality", "quality-first", "national-standard", "testing"} <= used
    assert not set(OTHER_BOOKS_TERMS) & set(entries) and len(entries) < 40
    intro = page(hant / "glossary.html").find("article").find("p").get_text()
    assert ("另收" in intro) == (used != set(entries)), intro
    assert glossary_entries(hans).keys() == entries.keys() == glossary_entries(en).keys()
    with zipfile.ZipFile(one(out / "epub", "*zh-hant.epub")) as epub:
        glossary_page = next(epub.read(n).decode() for n in epub.namelist() if n.endswith("glossary.xhtml"))
    assert set(re.findall(r'<dt id="term-([a-z0-9-]+)"', glossary_page)) == set(entries)
    printed = pdf_text(one(out / "pdf", "*zh-hant.pdf"))
    # Every numbered page of every PDF prints its number: a page a statement opens after its sector's part page too
    # (the layout of a book this small once left it out, on the first statement's page).
    pdfs = sorted((out / "pdf").glob("*.pdf"))
    assert len(pdfs) == 3  # an edition each
    for pdf in pdfs:
        assert reader.pages_without_folio(pdf) == [], pdf.name
    assert "皖美品牌" not in printed and "三地一區" not in printed and "共同富裕示範區" not in printed

    # The editorial note: a clean Traditional text was not converted, and the note says what was done.
    note = main_text(hant / "about.html")
    assert "簡體" not in note and "機器" not in note and "原稿無需校訂" in note
    contents = [a.get_text() for a in page(hant / "index.html").select(".sidebar-tree a")]
    assert "關於本版" in contents and "文字校訂記錄" not in contents

    # Bylines as an editor splits them: 中心 ends the organisation (an institution), 董事長兼總經理 stays whole.
    draft = (book / "seeds" / "metrology-day.toml").read_text(encoding="utf-8")
    assert 'sector = "institution"  # derived: the organisation\'s name ends in 中心' in draft
    assert 'position_en = ""  # TODO: English for 董事長兼總經理' in draft
    chen = page(hant / "statements" / "chen-jianguo.html")
    zhao = page(hant / "statements" / "zhao-ming.html")
    assert "某質量認證中心主任 陳建國" in chen.select_one(".tekan-byline").get_text()  # printed as written
    parts = [zhao.select_one(f".tekan-{part}").get_text() for part in ("organisation", "position", "person")]
    assert parts == ["某精密儀器股份有限公司", "董事長兼總經理", "趙明"]
    assert "chen-jianguo" in (hant / "sectors" / "institution.html").read_text(encoding="utf-8")
    # No term is linked inside a company's name or inside 計量標準 (a measurement standard).
    assert any("安徽國科檢測科技有限公司" in text for text in zhao.find("article").strings)
    assert any("計量標準" in text for text in chen.find("article").strings)  # not cut by a link to 標準

    # Simplified edition: “ ” in every format.
    hans_text = main_text(hans / "statements" / "chen-jianguo.html")
    assert "“一站式”" in hans_text and not re.search("[「」『』]", hans_text)
    assert "“一站式”" in pdf_text(one(out / "pdf", "*zh-hans.pdf")).replace("\n", "")
    epub = epub_texts(one(out / "epub", "*zh-hans.epub"))
    assert not any(re.search("[「」]", text) for name, text in epub.items() if "statements" in name)


def test_a_simplified_original_and_a_collection_with_this_repositorys_book(
    installed: Installed, tmp_path: Path
) -> None:
    folder = tmp_path / "collection"
    seeds = folder / "seeds"
    seeds.mkdir(parents=True)
    (seeds / "metrology-day.txt").write_text(METROLOGY_DAY, encoding="utf-8")
    (seeds / "jianti.txt").write_text(JIANTI, encoding="utf-8")
    shutil.copy(SEED, seeds / SEED.name)
    shutil.copy(SEED.with_suffix(".toml"), seeds / SEED.with_suffix(".toml").name)
    collection = (
        f'seeds = ["jianti.txt", "metrology-day.txt", "{SEED.name}"]\n\n[collection]\ntitle = "質量報刊特刊合集"\n'
    )
    (seeds / "archive.toml").write_text(collection, encoding="utf-8")
    tekan = runner(installed, folder)

    # The Simplified original on its own: its Simplified edition is the text as written, quotes and all.
    alone = tekan("build", "html", "epub", "pdf", "--script", "all", "--seed", "seeds/jianti.txt", "--out", "alone")
    assert alone.returncode == 0, alone.stderr[-3000:]
    site = folder / "alone" / "html"
    statement = main_text(site / "zh-hans" / "statements" / "wang-xiaoming.html")
    assert "计量是工业的“眼睛”" in statement and "“专精特新”" in statement and "「" not in statement
    assert "計量是工業的「眼睛」" in main_text(site / "zh-hant" / "statements" / "wang-xiaoming.html")
    assert "计量是工业的“眼睛”" in pdf_text(one(folder / "alone" / "pdf", "*zh-hans.pdf")).replace("\n", "")
    note = main_text(site / "zh-hans" / "about.html")
    assert "以简体写成" in note and "机器" not in note

    # The collection: `tekan check FILE` and a plain `tekan build` take the collection file. Without an English
    # title of its own, a gap at the collection file: the English edition would be titled in Chinese.
    checked = tekan("check", "seeds/archive.toml")
    assert checked.returncode == 0 and "no byline found" not in checked.stderr, checked.stderr[-3000:]
    assert "seeds/archive.toml:3: warning: [collection] has no title_en" in checked.stderr, checked.stderr[-3000:]
    (seeds / "archive.toml").write_text(collection + f'title_en = "{COLLECTION_EN}"\n', encoding="utf-8")
    # The English edition: the features' metadata filled in, each feature's catalogs made by one command.
    for name, values in ENGLISH_METADATA.items():
        assert tekan("init", f"seeds/{name}.txt").returncode == 0
        fill(seeds / f"{name}.toml", values)
    shutil.copytree(ROOT / "locale", folder / "locale")  # this repository's book comes translated
    translated = tekan("translate", "seeds/archive.toml")
    assert translated.returncode == 0, translated.stderr[-3000:]
    strict = tekan("build", "html", "--edition", "en", "--strict")
    assert strict.returncode == 1
    errors = [line for line in strict.stderr.splitlines() if ": error: paragraph" in line]
    assert len(errors) == 4 and all(".po:" in line and "[tekan.translation]" in line for line in errors), strict.stderr
    assert translate(folder / "locale" / "en" / "LC_MESSAGES" / "statements") == 4
    built = tekan("build", "--edition", "all")
    assert built.returncode == 0, built.stderr[-3000:]
    out = folder / "_build"
    hans = out / "html" / "zh-hans"
    assert page(hans / "index.html").title.get_text().startswith("质量报刊特刊合集")
    texts = "".join(main_text(p) for p in hans.glob("*/statements/*.html"))
    assert "“眼睛”" in texts and "“一站式”" in texts and not re.search("[「」『』]", texts)
    opf = etree.fromstring(epub_texts(one(out / "epub", "*zh-hans.epub"))["content.opf"].encode())
    dc = {"dc": "http://purl.org/dc/elements/1.1/"}
    assert opf.findtext(".//dc:title", namespaces=dc) == "质量报刊特刊合集"
    creator = opf.findtext(".//dc:creator", namespaces=dc) or ""
    assert creator and "特刊合集" not in creator and "中国质量报" in creator, creator
    assert "特刊合集" not in (opf.findtext(".//dc:rights", namespaces=dc) or "")
    info = subprocess.run(["pdfinfo", str(one(out / "pdf", "*zh-hans.pdf"))], capture_output=True, text=True)
    assert "质量报刊特刊合集" in info.stdout and "質量報刊" not in info.stdout
    # This repository's book in the collection keeps the entries its text uses, and no others.
    entries = glossary_entries(out / "html" / "zh-hant")
    # (its masthead names 中國質量（杭州）大會: that entry is the book's too)
    assert "wanmei-brand" in entries and "china-quality-conference" in entries
    assert all(entries.values()) == ("另收" not in main_text(out / "html" / "zh-hant" / "glossary.html"))

    # The English edition of the collection: its English title, a page per feature, every statement in English.
    en = out / "html" / "en"
    home = page(en / "index.html")
    # (the page's title is the whole title: the Chinese edition keeps 「質量報刊特刊合集」 whole, so the English
    # keeps its paper's name; only a feature's "Paper: Feature" title is shortened to the feature)
    assert home.title.get_text() == COLLECTION_EN and home.find("h1").get_text().strip("¶") == COLLECTION_EN
    assert home.select_one(".tekan-chinese").get_text() == "質量報刊特刊合集"
    features = [(a.get_text(), a["href"]) for a in home.find("article").find_all("a", class_="reference")]
    assert [title for title, _ in features] == [
        "East China Quality News: World Metrology Day Special Issue",
        "Jianghuai Metrology News: World Metrology Day Special Issue",
        "China Quality News: Special Issue for the China Quality (Hangzhou) Conference",
    ]
    assert all((en / href).is_file() for _, href in features)
    feature = page(en / "metrology-day" / "index.html").find("article")
    assert "May 2024" in feature.get_text() and "Winning the market with quality" in feature.get_text()
    assert "May 20 is World Metrology Day" in main_text(en / "metrology-day" / "statements" / "chen-jianguo.html")
    assert "specialized and sophisticated" in main_text(en / "jianti" / "statements" / "wang-xiaoming.html")
    statements = sorted(en.glob("*/statements/*.html"))
    assert len(statements) == 19 and not any("not been translated" in main_text(p) for p in statements)
    # The Chinese editions: each statement's parallel page, in its feature's folder.
    chen = out / "html" / "zh-hant" / "metrology-day" / "statements" / "chen-jianguo.html"
    link = page(chen).select_one(".tekan-parallel-link a")["href"]
    assert "May 20 is World Metrology Day" in main_text((chen.parent / link).resolve())
    # The English EPUB and PDF: title, language and authors in English.
    opf = etree.fromstring(epub_texts(one(out / "epub", "*-en.epub"))["content.opf"].encode())
    assert opf.findtext(".//dc:title", namespaces=dc) == COLLECTION_EN
    assert opf.findtext(".//dc:language", namespaces=dc) == "en"
    creator = opf.findtext(".//dc:creator", namespaces=dc) or ""
    assert "Jianghuai Metrology News" in creator and not re.search(r"[\u4e00-\u9fff]", creator), creator
    english_pdf = one(out / "pdf", "*-en.pdf")
    info = subprocess.run(["pdfinfo", str(english_pdf)], capture_output=True, text=True).stdout
    assert f"Title:           {COLLECTION_EN}" in info, info
    printed = pdf_text(english_pdf)
    front = printed[: printed.index("East China Quality News: World Metrology Day")]
    # The title page: the English title (its paper's part as the masthead), the Chinese under it.
    assert front.split("\n")[:4] == ["Quality Papers", "", "Special Issues", "質量報刊特刊合集"], front[:200]
    assert "May 20 is World Metrology Day" in printed.replace("\n", " ")
