"""A text folded for matching, its tokens, quotation depth and sentences, and spans back to
the original string."""

from __future__ import annotations

import re
from typing import NamedTuple

from arabnews_nlp.normalize import normalize
from arabnews_nlp.quotes.model import Span
from arabnews_nlp.tokenize import SENTENCE_END

__all__ = ["FoldedText", "Tok"]

# Words, numbers (3.5 and 1,200 stay whole, so their dot ends no sentence), and single
# punctuation marks, a hashtag being a word: simpler than arabnews_nlp.tokenize (no URLs or
# emoji) and several
# times faster; the folded text has no diacritics or tatweel left inside words.
_TOKEN = re.compile(
    r"(?P<number>\d+(?:[.,\u066b\u066c]\d+)*)|(?P<arabic>#?[^\W\d_]\w*)|(?P<punct>[^\w\s])"
)
_OPEN = {"«": 1, "“": 1}


class Tok(NamedTuple):
    """A token of the folded text (a tuple: a text has thousands, built per article)."""

    text: str
    start: int
    end: int
    kind: str  # "arabic" (any word), "number" or "punct"


_CLOSE = {"»": 1, "”": 1}


class FoldedText:
    """``search``-folded text with tokens, per-token quotation depth and sentence numbers.

    Example:
        >>> ft = FoldedText("قالَ: «نعم. لا». وذهب")
        >>> [t.text for t in ft.tokens][:4], ft.depth[:6], ft.sentence[-1]
        (['قال', ':', '«', 'نعم'], [0, 0, 0, 1, 1, 1], 1)
        >>> ft.span(3, 5)
        Span(text='نعم. لا', start=7, end=14)
    """

    def __init__(self, text: str) -> None:
        self.original = text
        self.nt = normalize(text, profile="search", return_offsets=True)
        self.folded = self.nt.text
        self.tokens: list[Tok] = [
            Tok(m.group(), m.start(), m.end(), m.lastgroup or "")
            for m in _TOKEN.finditer(self.folded)
        ]
        self.depth: list[int] = []
        self.sentence: list[int] = []
        depth = 0
        sid = 0
        ended = False
        prev: Tok | None = None
        for tok in self.tokens:
            newline = prev is not None and "\n" in self.folded[prev.end : tok.start]
            if newline:
                depth = 0  # an unclosed quotation does not run past its paragraph
            closing = tok.text in _CLOSE or (tok.text == '"' and depth > 0)
            if newline or (ended and not closing):
                sid += 1
                ended = False
            if tok.text in _CLOSE or (tok.text == '"' and depth > 0):
                depth = max(0, depth - 1)
                self.depth.append(depth)
            elif tok.text in _OPEN or tok.text == '"':
                self.depth.append(depth)
                depth += 1
            else:
                self.depth.append(depth)
            self.sentence.append(sid)
            if depth == 0 and tok.kind == "punct" and set(tok.text) <= SENTENCE_END:
                ended = True
            prev = tok

    def span(self, i: int, j: int, skip: int = 0) -> Span:
        """The original span of tokens ``i..j`` (inclusive), minus ``skip`` leading letters."""
        start, end = self.nt.span_to_original(self.tokens[i].start + skip, self.tokens[j].end)
        return Span(self.original[start:end], start, end)

    def opener_of(self, closer: int) -> int | None:
        """The token index of the quotation mark that token ``closer`` closes."""
        want = self.depth[closer]
        for j in range(closer - 1, -1, -1):
            if self.tokens[j].text in ("«", "“", '"') and self.depth[j] == want:
                return j
        return None

    def first_of_sentence(self, i: int) -> int:
        """The first token of token ``i``'s sentence."""
        sid = self.sentence[i]
        while i > 0 and self.sentence[i - 1] == sid:
            i -= 1
        return i
