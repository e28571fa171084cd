"""A text folded for matching, its tokens, quotation depth and sentences, and spans back to
the original string."""

from __future__ import annotations

import re
from typing import NamedTuple

from arabnews_nlp._search_fold import search_fold
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
_BREAK = re.compile(r"\n\s*")


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
        self.nt = search_fold(text)
        self.folded = self.nt.text
        make = tuple.__new__  # Tok(...) costs a Python-level __new__ per token
        self.tokens: list[Tok] = [
            make(Tok, (m.group(), m.start(), m.end(), m.lastgroup))
            for m in _TOKEN.finditer(self.folded)
        ]
        self.depth: list[int] = []
        self.sentence: list[int] = []
        self._mark_quotes_and_sentences()

    def _mark_quotes_and_sentences(self) -> None:
        """Fill ``depth`` and ``sentence``. Words only carry the state on; punctuation and
        paragraph breaks change it (the fast path matters: a text has hundreds of words)."""
        # Token starts that follow a line break (the first token follows nothing).
        after_break = {m.end() for m in _BREAK.finditer(self.folded)}
        if self.tokens:
            after_break.discard(self.tokens[0].start)
        depths, sentences = self.depth, self.sentence
        depth = sid = 0
        ended = False
        for text, start, _, kind in self.tokens:
            if start in after_break:
                depth = 0  # an unclosed quotation does not run past its paragraph
                sid += 1
                ended = False
            if kind != "punct":
                if ended:
                    sid += 1
                    ended = False
                depths.append(depth)
                sentences.append(sid)
                continue
            closing = text in _CLOSE or (text == '"' and depth > 0)
            if ended and not closing:
                sid += 1
                ended = False
            if closing:
                depth = max(0, depth - 1)
                depths.append(depth)
            elif text in _OPEN or text == '"':
                depths.append(depth)
                depth += 1
            else:
                depths.append(depth)
            sentences.append(sid)
            if depth == 0 and set(text) <= SENTENCE_END:
                ended = True

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
