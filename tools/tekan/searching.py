"""The extra words the search index holds so that readers find what they type (no Sphinx here).

* **Substrings.** Every pair of adjacent Han characters is indexed (CJK bigrams, as Lucene's CJK analyzer
  does), so 皖美 finds 皖美品牌 and a query cut into bigrams finds any text that contains it.
* **Glossary terms.** A text that contains any form of a term (headword or alias, either script) is indexed
  under the term's *key* — its pinyin without tones or spaces, e.g. ``jiliang`` — and under the words of
  its pinyin and of its English forms. A query that is a glossary form is searched as the key, so
  現代先進測量體系 also finds 國家現代先進測量體系 and the alias 現代先進計量測試體系, and ``jì liàng``,
  ``jiliang`` or ``metrology`` find the Chinese statements that use 計量.
* **Pinyin of words.** Each segmented word is also indexed as its toneless pinyin (``anhui``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from .model import Glossary, Term

#: English words too common to require in a query (``national quality infrastructure`` = three words).
STOPWORDS = frozenset(
    ["a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "is", "it", "of", "on", "or", "the", "to", "with"]
)
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[a-z0-9]+")


def fold_latin(text: str) -> str:
    """Lower case without accents or tone marks: ``Jì Liàng`` → ``ji liang``, ``lǜ`` → ``lu``."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def latin_words(text: str) -> list[str]:
    """The folded words of a Latin text, stopwords left out."""
    return [w for w in _WORD.findall(fold_latin(text)) if w not in STOPWORDS]


def term_key(term: Term) -> str:
    """The index word standing for a term: its pinyin without tones, spaces or punctuation."""
    return "".join(_WORD.findall(fold_latin(term.pinyin)))


def term_words(term: Term) -> list[str]:
    """Every index word of a term: its key, the words of its pinyin, and the words of its English name and
    abbreviation (not of the translation's variants, which may name a neighbouring concept)."""
    words = [term_key(term), *latin_words(term.pinyin), *latin_words(term.en), *latin_words(term.abbr)]
    return [w for w in dict.fromkeys(words) if len(w) > 1]


def bigrams(run: str) -> list[str]:
    """Each pair of adjacent characters of a Han run (a one-character run gives nothing)."""
    return [run[i : i + 2] for i in range(len(run) - 1)]


@lru_cache(maxsize=65536)
def word_pinyin(word: str) -> str:
    """A Chinese word as toneless pinyin, one string (``安徽`` → ``anhui``); "" when it has no Han."""
    from pypinyin import Style, lazy_pinyin

    if not _HAN.fullmatch(word):
        return ""
    return "".join(lazy_pinyin(word, style=Style.NORMAL, errors="ignore")).replace("ü", "v")


@dataclass(frozen=True)
class TermFinder:
    """Finds which glossary terms a text contains (any form, either script, overlapping occurrences)."""

    by_first: dict[str, tuple[tuple[str, str], ...]]  # first character → (form, term id), longest first
    words: dict[str, tuple[str, ...]]  # term id → its index words (the key first)
    keys: dict[str, str]  # every form → the key of its term, for the query splitter

    @classmethod
    def build(cls, glossary: Glossary, convert: Callable[[str], str]) -> TermFinder:
        """``convert`` turns Traditional text into Simplified (character by character, as the browser does)."""
        from .scripts import HANS_QUOTES

        forms: dict[str, str] = {}
        for term in glossary.terms:
            for form in (term.hant, term.hans, *term.aliases):
                # An alias is written as the Traditional text prints it (「一站式」質量服務站); the Simplified edition
                # prints its quotes as “ ”.
                for variant in (form, convert(form), convert(form.translate(HANS_QUOTES))):
                    forms.setdefault(variant, term.id)
        by_first: dict[str, list[tuple[str, str]]] = {}
        for form, term_id in sorted(forms.items(), key=lambda item: -len(item[0])):
            by_first.setdefault(form[0], []).append((form, term_id))
        words = {term.id: tuple(term_words(term)) for term in glossary.terms}
        keys = {form: words[term_id][0] for form, term_id in forms.items() if words[term_id]}
        return cls({c: tuple(f) for c, f in by_first.items()}, words, keys)

    def terms_in(self, text: str) -> list[str]:
        """The ids of the terms that occur in ``text``, in order of first occurrence."""
        found: dict[str, None] = {}
        for index, char in enumerate(text):
            for form, term_id in self.by_first.get(char, ()):
                if term_id not in found and text.startswith(form, index):
                    found[term_id] = None
        return list(found)

    def index_words(self, text: str) -> list[str]:
        """The index words of every term ``text`` contains."""
        return [word for term_id in self.terms_in(text) for word in self.words[term_id]]


def han_index_words(words: Iterable[str], runs: Iterable[str], pinyin: Callable[[str], str] = word_pinyin) -> list[str]:
    """Bigrams of the Han runs and the pinyin of the segmented words (the extra words of a text); ``pinyin`` gives
    a word's (:func:`word_pinyin`, or a memo of it)."""
    extra = [gram for run in runs for gram in bigrams(run)]
    extra += [p for p in (pinyin(w) for w in words if len(w) > 1) if len(p) > 1]
    return extra


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


@cache
def _char_translation() -> dict[int, str]:
    return str.maketrans(char_table())


def chars_to_hans(text: str) -> str:
    """``text`` converted character by character, exactly as the browser converts a query."""
    return text.translate(_char_translation())
