"""Chinese full-text search that finds what readers type, in either script.

Sphinx's own Chinese search indexes nothing without jieba, mis-segments Traditional text (jieba's dictionary is
Simplified) and ships a stemmer name that does not exist in JavaScript (sphinx#14229). Here:

* the text is segmented on its Simplified form (the glossary's forms are a user dictionary, so 檢驗檢測 and
  認證認可 are words), and the original is cut at the same places;
* each word is indexed as printed, in the other script (OpenCC with the project's overrides), and character by
  character Traditional → Simplified, the form the query splitter computes in the browser;
* the browser (``tekan-search.js``, over the shards of :mod:`tekan.sphinxext.searchshards`) cuts a query into
  glossary keys (longest match of a term's form, as typed or converted character by character) and character
  pairs, so 計量 and 计量 find the same pages in both editions, and 高質量發展 finds the pages with its pairs.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from collections.abc import Callable
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.search import SearchLanguage
from sphinx.util import logging

from ..memo import SEGMENTING_PACKAGES, FileMemo, PartitionedMemo, code_digest, versions
from ..searching import TermFinder, chars_to_hans, han_index_words, word_pinyin

logger = logging.getLogger(__name__)
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_LATIN = re.compile(r"[A-Za-z0-9_]+")


@cache
def _js_stemmer() -> str:
    """Latin words (English, pinyin) are stemmed as Sphinx stems English (Snowball); Han words only lower-cased."""
    import sphinx.search

    minified = Path(sphinx.search.__file__).parent / "minified-js"
    code = [(minified / name).read_text(encoding="utf-8") for name in ("base-stemmer.js", "english-stemmer.js")]
    wrapper = """
var Stemmer = function () {
  const english = new EnglishStemmer();
  this.stemWord = (w) => /\\p{Script=Han}/u.test(w) ? w.toLowerCase() : english.stemWord(w.toLowerCase());
};
"""
    return "\n".join([*code, wrapper])


def _stamp(path: str) -> tuple[int, int]:
    """A file's modification time and size: part of a memo's key, so an edited file is read afresh (Sphinx's
    test builds and ``sphinx-autobuild`` build many times in one process)."""
    try:
        stat = Path(path).stat()
    except OSError:
        return (-1, -1)
    return (stat.st_mtime_ns, stat.st_size)


@cache
def _finder(glossary_path: str, stamp: tuple[int, int] = (0, 0)) -> TermFinder | None:
    del stamp  # part of the memo key only
    if not glossary_path:
        return None
    from ..glossary import load_glossary

    return TermFinder.build(load_glossary(Path(glossary_path)), chars_to_hans)


@cache
def _tokenizer(words_file: str, stamp: tuple[int, int] = (0, 0)) -> Any:
    del stamp  # part of the memo key only
    # jieba's own Tokenizer() loads its whole dictionary (~0.5 s); this one loads what the texts use.
    from ..segmenting import tokenizer

    return tokenizer(words_file)


@lru_cache(maxsize=1 << 16)
def _word_to_hant(word: str) -> str:
    """A word in Traditional script (OpenCC; the same few thousand words come back in text after text)."""
    from ..scripts import to_hant

    return to_hant(word)


def index_words(
    text: str, tokenizer: Any, finder: TermFinder | None = None, pinyin: Callable[[str], str] = word_pinyin
) -> list[str]:
    """The words of ``text`` to index: each as printed, in the other script, and converted character-wise;
    the character pairs and pinyin of the text, and the keys and words of the glossary terms it contains."""
    from ..scripts import to_hans

    words: list[str] = []
    runs = _HAN.findall(text)
    for run in runs:
        simplified = to_hans(run)
        # jieba's dictionary is Simplified: segment the Simplified text and cut the original at the same places.
        if len(simplified) != len(run):
            simplified = run
        is_hans = simplified == run
        for word, start, end in tokenizer.tokenize(simplified, mode="search"):
            original = run[start:end]
            forms = (original, word, chars_to_hans(original), _word_to_hant(original) if is_hans else word)
            words.extend(dict.fromkeys(forms))
    converted = [chars_to_hans(run) for run in runs]
    words.extend(dict.fromkeys(han_index_words(words, [*runs, *converted], pinyin)))
    if finder is not None:
        words.extend(finder.index_words(text))
    words.extend(_LATIN.findall(text))
    return words


def _keep_word(word: str) -> bool:
    """Whether the index keeps ``word``: two characters or more, not a number."""
    return len(word) > 1 and not word.isdigit()


class _Answers(dict[str, Any]):
    """word → answer, each computed on first request (``answers[word]``)."""

    def __init__(self, compute: Callable[[str], Any]) -> None:
        super().__init__()
        self.compute = compute

    def __missing__(self, word: str) -> Any:
        value = self[word] = self.compute(word)
        return value


#: The memo of index words in the doctree folder (:class:`tekan.memo.PartitionedMemo`, a folder of parts): a
#: rewritten page's unchanged paragraphs keep their words, and a build reads the parts of the texts it indexes.
MEMO_FILE = "tekan-search-memo"
STEM_MEMO_FILE = "tekan-stem-memo.pickle"  # beside it: each word's stem
#: The modules whose code decides a text's index words: an edit to any of them starts a new memo.
_INDEXING_CODE = ("sphinxext/search.py", "searching.py", "segmenting.py", "scripts.py")
#: Each word's toneless pinyin, kept in the user's cache folder (beside jieba's split dictionary) for every book:
#: a build that meets no new word does not import pypinyin, whose dictionaries take 0.8 s of CPU to load.
PINYIN_MEMO_FILE = "pinyin-memo.pickle"
#: Between a text's index words in the memo (no index word holds it: words are Han, Latin or digits).
_WORD_SEPARATOR = "\0"


class SearchTekan(SearchLanguage):
    """Chinese search in either script: each word is indexed as printed and in the other script."""

    lang = "zh"
    language_name = "Chinese"
    js_splitter_code = ""  # the query is split by tekan-search.js, with the tables of _search/meta.json

    @property
    def js_stemmer_code(self) -> str:  # type: ignore[override]  # a class attribute in Sphinx, computed here
        return _js_stemmer()

    def __init__(self, options: dict[str, str]) -> None:
        super().__init__(options)
        self.words_file = options.get("dict", "")
        glossary = options.get("glossary", "")
        self.finder = _finder(glossary, _stamp(glossary))
        import snowballstemmer  # type: ignore[import-untyped]  # no type information

        self.english = snowballstemmer.stemmer("english")
        # A text's words depend on the user dictionary (the glossary's forms) and on the terms the finder knows.
        words = Path(self.words_file).read_text(encoding="utf-8") if Path(self.words_file).is_file() else ""
        finder = json.dumps([self.finder.keys, self.finder.words] if self.finder else [], sort_keys=True)
        memo = Path(options["memo"]) if options.get("memo") else None
        key = code_digest(_INDEXING_CODE, words, finder, versions(*SEGMENTING_PACKAGES))
        self.memo: PartitionedMemo[str] = PartitionedMemo(memo, key)
        if memo is not None:  # an earlier version's memo in one file
            for old in ("tekan-search-memo.pickle", "tekan-search-memo.pickle.new"):
                memo.with_name(old).unlink(missing_ok=True)
        # Sphinx stems every word of every page, most of them again and again (and the glossary's on every build).
        stems = memo.with_name(STEM_MEMO_FILE) if memo else None  # small: one file
        self.stems: FileMemo[str] = FileMemo(stems, code_digest(_INDEXING_CODE, versions("snowballstemmer")))
        from ..segmenting import cache_dir

        pinyin_key = code_digest(("searching.py",), versions("pypinyin"))
        self.pinyin: FileMemo[str] = FileMemo(cache_dir() / PINYIN_MEMO_FILE, pinyin_key, keep=100)

        # Sphinx's ``IndexBuilder.feed`` asks the filter about every word of every page (seven million times at
        # 1,600 statements) and the stem of every page's every distinct word: both are answered from a table of this
        # build (a hit is one dictionary look-up in C), the stem computed or read from the memo once per build.
        self.word_filter = _Answers(_keep_word).__getitem__  # type: ignore[method-assign,assignment]  # a table, not a method
        self.stem = _Answers(self._remembered_stem).__getitem__  # type: ignore[method-assign,assignment]  # the same

    def split(self, input: str) -> list[str]:
        # The memo keeps a digest of the text and its words as one string (a build of 16,000 statements remembers
        # every paragraph: as the texts and lists of words, hundreds of megabytes; as digests and strings, a tenth).
        digest = hashlib.blake2b(input.encode(), digest_size=16).hexdigest()
        words = self.memo.get(digest, lambda _: _WORD_SEPARATOR.join(self._index_words(input)))
        return words.split(_WORD_SEPARATOR) if words else []

    def _index_words(self, text: str) -> list[str]:
        tokenizer = _tokenizer(self.words_file, _stamp(self.words_file))
        # Each word once: the index keeps the set of a page's words, and Sphinx goes through the list word by word.
        return list(dict.fromkeys(index_words(text, tokenizer, self.finder, self._word_pinyin)))

    def _word_pinyin(self, word: str) -> str:
        return self.pinyin.get(word, word_pinyin)

    def word_filter(self, word: str) -> bool:
        return _keep_word(word)

    def stem(self, word: str) -> str:
        return self._remembered_stem(word)

    def _remembered_stem(self, word: str) -> str:
        return self.stems.get(word, self._stem)

    def _stem(self, word: str) -> str:
        return word.lower() if _HAN.search(word) else str(self.english.stemWord(word.lower()))


#: Default scores, but listing pages (home, sectors) below the statements they list.
SCORER = Path(__file__).resolve().parents[1] / "data" / "search-scorer.js"


def _default_scorer(app: Sphinx, config: Any) -> None:
    # Sphinx opens html_search_scorer relative to the working directory: give an absolute path.
    if not config.html_search_scorer:
        config.html_search_scorer = str(SCORER)


def save_memo(app: Sphinx, exception: Exception | None) -> None:
    """Keep the index words of this build's texts for the next build (after a successful build only)."""
    language = getattr(getattr(app.builder, "indexer", None), "lang", None)
    if exception is None and isinstance(language, SearchTekan):
        language.memo.save()
        language.stems.save()
        with contextlib.suppress(OSError):  # a read-only cache folder: the next build computes the pinyin again
            language.pinyin.save()


def reindex_all_when_search_terms_change(app: Sphinx, env: Any) -> list[str]:
    """Every page, when the glossary's forms, keys or English words changed (a page's index words depend on
    the terms its text contains, linked or not); nothing for other glossary edits or other builders."""
    if not getattr(app.builder, "search", False) or getattr(app.builder, "indexer", None) is None:
        return []
    from .config import book_of

    finder = TermFinder.build(book_of(env).glossary, chars_to_hans)
    fingerprint = json.dumps([finder.keys, finder.words], ensure_ascii=False, sort_keys=True)
    previous = getattr(env, "tekan_search_terms", None)
    env.tekan_search_terms = fingerprint
    if previous is None or previous == fingerprint:
        return []
    logger.info("tekan: the glossary's search words changed: re-indexing every page")
    return sorted(env.found_docs)


def setup_search(app: Sphinx) -> None:
    """Use SearchTekan for Chinese, and rank statements above the pages that list them."""
    app.add_search_language(SearchTekan)
    app.connect("build-finished", save_memo)
    app.connect("config-inited", _default_scorer)
    app.connect("env-get-updated", reindex_all_when_search_terms_change)
