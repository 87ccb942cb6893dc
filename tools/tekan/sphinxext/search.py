"""Chinese full-text search: words found by jieba in either script, and a query splitter that needs no dictionary.

Sphinx's own Chinese search indexes nothing without jieba, mis-segments Traditional text (jieba's
dictionary is Simplified) and ships a stemmer name that does not exist in JavaScript (sphinx#14229).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from sphinx.application import Sphinx
from sphinx.search import SearchLanguage

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_LATIN = re.compile(r"[A-Za-z0-9_]+")

#: Splits a query into words: Latin words as they are, Han runs by longest match against the index's own words.
JS_SPLITTER = r"""
function splitQuery(query) {
  const terms = (typeof Search !== "undefined" && Search._index) ? Search._index.terms : {};
  const result = [];
  for (const chunk of query.split(/[^\p{Letter}\p{Number}_]+/u)) {
    if (!chunk) continue;
    if (!/\p{Script=Han}/u.test(chunk) || chunk in terms) { result.push(chunk); continue; }
    let i = 0;
    while (i < chunk.length) {
      let found = "";
      for (let j = Math.min(chunk.length, i + 12); j > i + 1; j--) {
        const piece = chunk.slice(i, j);
        if (piece in terms) { found = piece; break; }
      }
      if (found) { result.push(found); i += found.length; } else { i += 1; }
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
def _tokenizer(words_file: str) -> Any:
    # jieba's own Tokenizer() loads its whole dictionary (~0.5 s); this one loads what the texts use.
    from ..segmenting import tokenizer

    return tokenizer(words_file)


class SearchTekan(SearchLanguage):
    """Chinese search in either script: each word is indexed in its own and in the other script."""

    lang = "zh"
    language_name = "Chinese"
    js_stemmer_code = JS_STEMMER
    js_splitter_code = JS_SPLITTER

    def __init__(self, options: dict[str, str]) -> None:
        super().__init__(options)
        self.words_file = options.get("dict", "")

    def split(self, input: str) -> list[str]:
        from ..scripts import to_hans, to_hant

        words: list[str] = []
        tokenizer = _tokenizer(self.words_file)
        for run in _HAN.findall(input):
            simplified = to_hans(run)
            # jieba's dictionary is Simplified: segment the Simplified text and cut the original at the same places.
            if len(simplified) != len(run):
                simplified = run
            for word, start, end in tokenizer.tokenize(simplified, mode="search"):
                words.append(word)
                original = run[start:end]
                words.append(original if original != word else to_hant(word))
        words.extend(_LATIN.findall(input))
        return words

    def word_filter(self, word: str) -> bool:
        return len(word) > 1 and not word.isdigit()

    def stem(self, word: str) -> str:
        return word.lower()


def setup_search(app: Sphinx) -> None:
    """Use SearchTekan for Chinese."""
    app.add_search_language(SearchTekan)
