"""Chinese full-text search that finds what readers type, in either script.

Sphinx's own Chinese search indexes nothing without jieba, mis-segments Traditional text (jieba's dictionary is
Simplified) and ships a stemmer name that does not exist in JavaScript (sphinx#14229). Here:

* the text is segmented on its Simplified form (the glossary's forms are a user dictionary, so 檢驗檢測 and
  認證認可 are words), and the original is cut at the same places;
* each word is indexed as printed, in the other script (OpenCC with the project's overrides), and character by
  character Traditional → Simplified, the form the query splitter computes in the browser;
* the query splitter cuts a query by longest match against the index's own words, trying each piece as typed
  and converted character by character, so 計量 and 计量 find the same pages in both editions, and 高質量發展
  or 質量發展 are split into words the index knows.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.search import SearchLanguage

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_LATIN = re.compile(r"[A-Za-z0-9_]+")

#: Splits a query into index words. ``TEKAN_T2S`` (filled in at build time) maps Traditional characters to
#: Simplified ones; a piece is kept as typed when the index knows it, else in its converted form.
JS_SPLITTER = r"""
const TEKAN_T2S = new Map();
(() => {
  const [traditional, simplified] = %(table)s;
  const t = Array.from(traditional), s = Array.from(simplified);
  t.forEach((c, i) => TEKAN_T2S.set(c, s[i]));
})();
function tekanToHans(text) {
  return Array.from(text, (c) => TEKAN_T2S.get(c) || c);
}
function splitQuery(query) {
  const index = (typeof Search !== "undefined" && Search._index) ? Search._index : null;
  const own = Object.prototype.hasOwnProperty;
  const known = (w) => index !== null && (own.call(index.terms, w) || own.call(index.titleterms, w));
  // Both forms are indexed; the Simplified edition prefers the Simplified one, so its results highlight the match.
  const hansFirst = document.documentElement.lang === "zh-Hans";
  const result = [];
  for (const chunk of query.split(/[^\p{Letter}\p{Number}_]+/u)) {
    for (const run of chunk.match(/\p{Script=Han}+|[^\p{Script=Han}]+/gu) || []) {
      if (!/\p{Script=Han}/u.test(run)) { result.push(run); continue; }
      const typed = Array.from(run), converted = tekanToHans(run);
      const words = [];
      let i = 0;
      while (i < typed.length) {
        let found = "";
        for (let j = Math.min(typed.length, i + 16); j > i + 1 && !found; j--) {
          const asTyped = typed.slice(i, j).join(""), asHans = converted.slice(i, j).join("");
          const [first, second] = hansFirst ? [asHans, asTyped] : [asTyped, asHans];
          found = known(first) ? first : (known(second) ? second : "");
          if (found) i = j;
        }
        if (found) words.push(found); else i += 1;
      }
      // Nothing the index knows: search for the run itself (Sphinx then reports no match).
      result.push(...(words.length ? words : [run]));
    }
  }
  return result;
}
"""

#: Sphinx's default stemmer stub: Chinese needs none, and Latin words are indexed lower-cased, unstemmed.
JS_STEMMER = """
var Stemmer = function () { this.stemWord = function (w) { return w.toLowerCase(); }; };
"""


@cache
def char_table() -> dict[str, str]:
    """OpenCC's Traditional → Simplified character table (first candidate of each character)."""
    import opencc

    path = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    table: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        source, _, targets = line.partition("\t")
        target = targets.split(" ")[0] if targets else ""
        if len(source) == 1 and len(target) == 1 and source != target:
            table.setdefault(source, target)
    return table


def chars_to_hans(text: str) -> str:
    """``text`` converted character by character, exactly as the browser converts a query."""
    table = char_table()
    return "".join(table.get(c, c) for c in text)


def js_splitter() -> str:
    """The query splitter with its character table."""
    table = char_table()
    pair = json.dumps(["".join(table), "".join(table.values())], ensure_ascii=False)
    return JS_SPLITTER % {"table": pair}


@cache
def _tokenizer(words_file: str) -> Any:
    # jieba's own Tokenizer() loads its whole dictionary (~0.5 s); this one loads what the texts use.
    from ..segmenting import tokenizer

    return tokenizer(words_file)


def index_words(text: str, tokenizer: Any) -> list[str]:
    """The words of ``text`` to index: each as printed, in the other script, and converted character-wise."""
    from ..scripts import to_hans, to_hant

    words: list[str] = []
    for run in _HAN.findall(text):
        simplified = to_hans(run)
        # jieba's dictionary is Simplified: segment the Simplified text and cut the original at the same places.
        if len(simplified) != len(run):
            simplified = run
        is_hans = simplified == run
        for word, start, end in tokenizer.tokenize(simplified, mode="search"):
            original = run[start:end]
            forms = (original, word, chars_to_hans(original), to_hant(original) if is_hans else word)
            words.extend(dict.fromkeys(forms))
    words.extend(_LATIN.findall(text))
    return words


class SearchTekan(SearchLanguage):
    """Chinese search in either script: each word is indexed as printed and in the other script."""

    lang = "zh"
    language_name = "Chinese"
    js_stemmer_code = JS_STEMMER
    js_splitter_code = ""  # set per instance: it carries the character table

    def __init__(self, options: dict[str, str]) -> None:
        super().__init__(options)
        self.words_file = options.get("dict", "")
        self.js_splitter_code = js_splitter()

    def split(self, input: str) -> list[str]:
        return index_words(input, _tokenizer(self.words_file))

    def word_filter(self, word: str) -> bool:
        return len(word) > 1 and not word.isdigit()

    def stem(self, word: str) -> str:
        return word.lower()


#: Default scores, but listing pages (home, sectors) below the statements they list.
SCORER = Path(__file__).resolve().parents[1] / "data" / "search-scorer.js"


def _default_scorer(app: Sphinx, config: Any) -> None:
    # Sphinx opens html_search_scorer relative to the working directory: give an absolute path.
    if not config.html_search_scorer:
        config.html_search_scorer = str(SCORER)


def setup_search(app: Sphinx) -> None:
    """Use SearchTekan for Chinese, and rank statements above the pages that list them."""
    app.add_search_language(SearchTekan)
    app.connect("config-inited", _default_scorer)
