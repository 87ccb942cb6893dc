"""Finding glossary terms in statement text: one compiled trie pattern, longest match first.

Longest match alone does not know where words end: the alias 品質 would match inside 產品質量 (產品 + 質量).
A linker built with ``boundaries`` (a function giving the word boundaries of a text, e.g. from jieba in
:mod:`tekan.segmenting`) accepts only occurrences that start and end on a boundary, the longest first.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

#: Nested dict of characters; the key "" marks the end of a form.
Trie = dict[str, "Trie"]
#: A run of a paragraph: plain text, or a term occurrence linked to the entry ``term`` (an id).
Segment = tuple[str, str | None]
#: The offsets in a text where a word starts or ends (0 and len(text) included), as a container that may work them
#: out only when asked.
Boundaries = Callable[[str], Container[int]]


#: Python's regex engine tries the branches of an alternation one after another; a trie node with more
#: branches than this is split into groups, each behind a lookahead for its first characters.
WIDE = 256
#: Branches per group when a node is split.
GROUP = 16


def _alternation(branches: list[tuple[str, str]], limit: int = WIDE) -> str:
    """``(?:a…|b…|…)`` over (first character, regex) pairs; wide ones as nested groups with a lookahead each."""
    if len(branches) == 1:
        return branches[0][1]
    if len(branches) <= limit:
        return "(?:" + "|".join(regex for _, regex in branches) + ")"
    size = -(-len(branches) // GROUP)
    groups = [branches[i : i + size] for i in range(0, len(branches), size)]
    # A lookahead only skips branches whose first character is not next, so the match is unchanged.
    parts = ["(?=[" + "".join(re.escape(c) for c, _ in group) + "])" + _alternation(group, GROUP) for group in groups]
    return "(?:" + "|".join(parts) + ")"


#: Deepest nesting of groups the trie pattern may have (one per form that is a prefix of a longer one on
#: the same path): Python's regex compiler recurses once per group and fails near a thousand.
MAX_NESTING = 100


def _trie_pattern(forms: Iterable[str]) -> str:
    """A regex that matches any of ``forms``, preferring the longest, in time nearly independent of their number.

    With thousands of forms the root has thousands of branches: they are grouped (see ``WIDE``) and the
    pattern starts with one character class of every first character, so most positions fail at once.
    Built without recursion, so a form may be as long as a paragraph; when forms nest deeper than
    ``MAX_NESTING`` the pattern is a flat alternation, longest first (the same matches, more slowly).
    """
    forms = list(forms)
    trie: Trie = {}
    for form in forms:
        node = trie
        for char in form:
            node = node.setdefault(char, {})
        node[""] = {}

    # Post-order over the trie with an explicit stack: each node's regex and group depth from its children's.
    built: dict[int, tuple[str, int]] = {}
    stack: list[tuple[Trie, bool]] = [(trie, False)]
    while stack:
        node, children_done = stack.pop()
        if not children_done:
            stack.append((node, True))
            stack.extend((child, False) for char, child in node.items() if char)
            continue
        branches = []
        depth = 0
        for char, child in sorted(node.items()):
            if char:
                regex, child_depth = built.pop(id(child))
                branches.append((char, re.escape(char) + regex))
                depth = max(depth, child_depth)
        if not branches:
            built[id(node)] = ("", 0)
            continue
        body = _alternation(branches)
        depth += len(branches) > 1
        if "" in node:  # a shorter form ends here: the longer continuation is tried first (greedy ?)
            body, depth = "(?:" + body + ")?", depth + 1
        built[id(node)] = (body, depth)
    pattern, depth = built[id(trie)]
    if depth > MAX_NESTING:
        return "(?:" + "|".join(re.escape(form) for form in sorted(set(forms), key=len, reverse=True)) + ")"
    if len(trie) > WIDE:
        pattern = "(?=[" + "".join(re.escape(char) for char in sorted(trie)) + "])" + pattern
    return pattern


#: The "term" of a protected name (an organisation's name, a compound such as 計量標準): matched, so that no term
#: inside it is linked, and never linked itself.
PROTECTED = "\x00protected"


class Remembers(Protocol):
    """A memo of text → value (:class:`tekan.memo.FileMemo`): the value remembered, or computed and remembered."""

    def get(self, text: str, compute: Callable[[str], list[int]]) -> list[int]: ...


@dataclass(frozen=True)
class Linker:
    """Links occurrences of glossary forms; built once per glossary and script."""

    forms: Mapping[str, str]  # every linkable string → term id
    pattern: re.Pattern[str] | None  # compiled trie over ``forms``: the longest form at the leftmost place
    boundaries: Boundaries | None = None  # word boundaries of a text; None: any character boundary
    trie: Trie | None = None  # ``forms`` as a trie, for the shorter forms at a place (between word boundaries)
    # Between word boundaries: each text's occurrences, once per run (a book repeats its stock sentences).
    found: dict[str, list[tuple[int, int, str]]] = field(default_factory=dict, compare=False, repr=False)
    # Between word boundaries: each text's occurrences as [start, end, start, end, …], from build to build.
    memo: Remembers | None = field(default=None, compare=False, repr=False)

    @classmethod
    def build(
        cls,
        forms: Mapping[str, str],
        boundaries: Boundaries | None = None,
        protected: Iterable[str] = (),
        memo: Remembers | None = None,
    ) -> Linker:
        """Compile a linker for ``forms`` (string → term id), matching on ``boundaries`` when given.

        ``protected`` strings are never linked and nothing inside them is (安徽國科檢測科技有限公司 holds 檢測, but
        a company's name is not text to link); a protected string that is also a form stays a form. ``memo``
        (keyed by the forms, the protected strings and the code that finds boundaries) remembers each text's
        occurrences between word boundaries from one build to the next.
        """
        usable = {form: term for form, term in forms.items() if form}
        for name in protected:
            if name:
                usable.setdefault(name, PROTECTED)
        pattern = re.compile(_trie_pattern(usable)) if usable else None
        trie: Trie | None = None
        if boundaries is not None:
            trie = {}
            for form in usable:
                node = trie
                for char in form:
                    node = node.setdefault(char, {})
                node[""] = {}
        return cls(dict(usable), pattern, boundaries, trie, memo=memo)

    def occurrences(self, text: str) -> list[tuple[int, int, str]]:
        """Every non-overlapping occurrence as (start, end, term id), leftmost-longest (between word boundaries)."""
        return [found for found in self._matches(text) if found[2] != PROTECTED]

    def _matches(self, text: str) -> list[tuple[int, int, str]]:
        if self.pattern is None:
            return []
        if self.boundaries is None or self.trie is None:
            return [(m.start(), m.end(), self.forms[m.group()]) for m in self.pattern.finditer(text) if m.group()]
        done = self.found.get(text)
        if done is None:
            if self.memo is None:
                done = self._between_boundaries(text, self.pattern, self.trie, self.boundaries)
            else:
                fresh: list[list[tuple[int, int, str]]] = []  # what the memo had computed now, if anything

                def spans_between_boundaries(text: str) -> list[int]:
                    assert self.pattern is not None and self.trie is not None and self.boundaries is not None
                    fresh.append(self._between_boundaries(text, self.pattern, self.trie, self.boundaries))
                    return [offset for start, end, _ in fresh[0] for offset in (start, end)]

                spans = self.memo.get(text, spans_between_boundaries)
                if fresh:  # found now: not rebuilt from the offsets (a long book's first conversion finds them all)
                    done = fresh[0]
                else:
                    pairs = zip(spans[::2], spans[1::2], strict=True)
                    done = [(start, end, self.forms[text[start:end]]) for start, end in pairs]
            self.found[text] = done
        return done

    def _between_boundaries(
        self, text: str, pattern: re.Pattern[str], trie: Trie, boundaries: Boundaries
    ) -> list[tuple[int, int, str]]:
        """Leftmost-longest between word boundaries: at each place where a form starts (the trie pattern finds the
        next one and its longest form), in order, the longest form that starts and ends on a boundary; the next
        place is looked for after it. The boundaries are asked for only at the places where a form starts and ends
        (``boundaries`` may work them out lazily)."""
        search = pattern.search
        match = search(text)
        if match is None:  # most paragraphs of a long book hold no form: no boundaries are asked for
            return []
        cuts = boundaries(text)
        size = len(text)
        found: list[tuple[int, int, str]] = []
        while match is not None:
            start, end = match.span()
            following = start + 1
            if start == 0 or start in cuts:  # the text's own start and end are boundaries, whatever ``cuts`` says
                if end != size and end not in cuts:
                    end = _shorter_end(text, start, end, trie, cuts)
                if end:
                    found.append((start, end, self.forms[text[start:end]]))
                    following = end
            match = search(text, following)
        return found

    def link(self, paragraphs: Iterable[str], seen: set[str] | None = None) -> list[list[Segment]]:
        """Split paragraphs into segments, linking the first occurrence of each term only.

        ``seen`` holds term ids already linked on the page; it is updated.
        """
        return link_first_occurrences(paragraphs, self.occurrences, seen)


def _shorter_end(text: str, start: int, longest: int, trie: Trie, cuts: Container[int]) -> int:
    """The end of the longest form shorter than ``text[start:longest]`` that starts at ``start`` and ends on one of
    ``cuts``; 0 if none does."""
    ends = []
    node = trie[text[start]]
    for end in range(start + 1, longest):
        if "" in node:
            ends.append(end)
        node = node[text[end]]
    for end in reversed(ends):
        if end in cuts:
            return end
    return 0


def link_first_occurrences(
    paragraphs: Iterable[str],
    occurrences: Callable[[str], Iterable[tuple[int, int, str]]],
    seen: set[str] | None = None,
) -> list[list[Segment]]:
    """Split paragraphs into segments at ``occurrences`` (start, end, term), linking each term's first one only.

    Shared by the Chinese linker and the English one; ``seen`` holds term ids already linked and is updated.
    """
    seen = set() if seen is None else seen
    result: list[list[Segment]] = []
    for text in paragraphs:
        segments: list[Segment] = []
        position = 0
        for start, end, term in occurrences(text):
            if term in seen:
                continue
            seen.add(term)
            if start > position:
                segments.append((text[position:start], None))
            segments.append((text[start:end], term))
            position = end
        if position < len(text) or not segments:
            segments.append((text[position:], None))
        result.append(segments)
    return result
