"""Word tokens with offsets, sentence spans, light clitic segmentation and stop words.

Tokens keep exact character offsets into the text they came from, so they can be normalized,
matched or labelled and still be reported at their original place.

Example:
    >>> from arabnews_nlp.tokenize import tokenize, split_sentences, strip_proclitics
    >>> [(t.text, t.kind) for t in tokenize("زار #بغداد 2024 😀")]
    [('زار', 'arabic'), ('#بغداد', 'hashtag'), ('2024', 'number'), ('😀', 'emoji')]
    >>> text = "وصل الوفد. ماذا بعد؟ لا أحد يعرف."
    >>> [text[s:e] for s, e in split_sentences(text)]
    ['وصل الوفد.', 'ماذا بعد؟', 'لا أحد يعرف.']
    >>> strip_proclitics("وبموسكو"), strip_proclitics("ولبنان"), strip_proclitics("والكرملين")
    ('موسكو', 'لبنان', 'الكرملين')
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from arabnews_nlp._charmaps import SENTENCE_END
from arabnews_nlp._clitics import (
    PROTECTED_WORDS,
    STOP_WORDS,
    Segmentation,
    is_stop_word,
    segment_clitics,
    strip_proclitics,
)
from arabnews_nlp.normalize import INVISIBLE

__all__ = [
    "PROTECTED_WORDS",
    "SENTENCE_END",
    "STOP_WORDS",
    "Segmentation",
    "Token",
    "TokenKind",
    "is_stop_word",
    "iter_tokens",
    "segment_clitics",
    "split_sentences",
    "strip_proclitics",
    "tokenize",
]

TokenKind = Literal[
    "arabic", "latin", "number", "punct", "url", "hashtag", "mention", "emoji", "other"
]


@dataclass(frozen=True)
class Token:
    """A token and where it is: ``text == source[start:end]``.

    Attributes:
        text: The token as written (not normalized).
        start: Offset of its first character in the tokenized string.
        end: Offset just after its last character.
        kind: ``"arabic"``, ``"latin"``, ``"number"``, ``"punct"``, ``"url"`` (also e-mail
            addresses), ``"hashtag"``, ``"mention"``, ``"emoji"`` or ``"other"`` (symbols,
            other scripts).
    """

    text: str
    start: int
    end: int
    kind: TokenKind


# ---------------------------------------------------------------- character classes
def _arabic_class(categories: tuple[str, ...]) -> str:
    """The characters of the Arabic blocks whose Unicode category starts with ``categories``."""
    blocks = [
        (0x0600, 0x06FF),
        (0x0750, 0x077F),
        (0x0870, 0x08FF),
        (0xFB50, 0xFDFF),
        (0xFE70, 0xFEFF),
    ]
    chars = (chr(c) for lo, hi in blocks for c in range(lo, hi + 1))
    return "".join(ch for ch in chars if unicodedata.category(ch).startswith(categories))


_AR_LETTER = _arabic_class(("Lo",))  # tatweel (Lm) is only allowed inside a word
_AR_MARK = _arabic_class(("Mn",))
_LATIN_LETTER = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
_DIGIT = "0-9\u0660-\u0669\u06f0-\u06f9"
_WORD_CHAR = f"{_AR_LETTER}{_AR_MARK}\u0640\u200c\u200d{_LATIN_LETTER}{_DIGIT}_"

_PICTOGRAPH = (
    "\U0001f000-\U0001faff\u2600-\u27bf\u2b50\u2b55\u231a\u231b\u23e9-\u23fa"
    "\u2b05-\u2b07\u2b1b\u2b1c"
)
# Symbols that are emoji only in their emoji presentation (followed by VS16).
_TEXT_SYMBOL = (
    "\u00a9\u00ae\u203c\u2049\u2122\u2139\u2194-\u2199\u21a9\u21aa\u25aa\u25ab\u25b6\u25c0"
    "\u25fb-\u25fe\u2934\u2935\u3030\u303d\u3297\u3299"
)
_EMOJI_UNIT = (
    "(?:[\U0001f1e6-\U0001f1ff]{2}"  # a flag: two regional indicators
    "|[0-9#*]\ufe0f?\u20e3"  # a keycap
    f"|[{_TEXT_SYMBOL}]\ufe0f"
    f"|[{_PICTOGRAPH}](?:\ufe0f|[\U0001f3fb-\U0001f3ff])*[\U000e0020-\U000e007f]*)"
)

_TOKEN = re.compile(
    "|".join(
        [
            r"(?P<url>(?:https?://|www\.)[^\s<>\"'«»()\[\]{}]+"
            r"|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})",
            f"(?P<emoji>{_EMOJI_UNIT}(?:\u200d{_EMOJI_UNIT})*)",
            f"(?P<hashtag>#[{_WORD_CHAR}]+)",
            r"(?P<mention>@[A-Za-z0-9_]+)",
            f"(?P<number>[{_DIGIT}]+(?:[.,:/\u066b\u066c][{_DIGIT}]+)*)",
            f"(?P<arabic>[{_AR_LETTER}][{_AR_LETTER}{_AR_MARK}\u0640\u200c\u200d]*)",
            f"(?P<latin>[{_LATIN_LETTER}](?:[{_LATIN_LETTER}0-9\u0300-\u036f]|['’](?=[A-Za-z]))*)",
            # Words of other scripts (Greek, Cyrillic, Hebrew, CJK...): kind "other".
            r"(?P<script>[^\W\d_]+)",
            # Anything else that is not a space or an invisible mark: one token per run of the
            # same character, so "..." and "!!!" stay whole.
            f"(?P<other>(?P<char>[^\\s{INVISIBLE}])(?P=char)*)",
        ]
    )
)
# A URL does not end with the punctuation of the sentence around it.
_URL_TAIL = ".,;:!?\u060c\u061b\u061f\"'»”’"


def iter_tokens(text: str) -> Iterator[Token]:
    """Yield the tokens of ``text`` lazily (see :func:`tokenize`)."""
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        start, end = m.span()
        if kind == "script":
            kind = "other"
        elif kind == "other":
            kind = "punct" if unicodedata.category(text[start]).startswith("P") else "other"
        elif kind == "url":
            while end > start and text[end - 1] in _URL_TAIL:
                end -= 1
            if end < m.end():  # the trimmed tail is punctuation of its own
                yield Token(text[start:end], start, end, "url")
                for i in range(end, m.end()):
                    yield Token(text[i], i, i + 1, "punct")
                continue
        yield Token(text[start:end], start, end, kind)  # type: ignore[arg-type]


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into word, number, punctuation, URL, hashtag, mention and emoji tokens.

    Arabic words keep their diacritics, tatweel and ZWNJ; numbers keep their separators
    (``3.5``, ``1,200``, ``12:30``, ``٢٠٢٤/٣/١``); a URL does not swallow the sentence's final
    punctuation. Whitespace and invisible marks between tokens are skipped.

    Args:
        text: Any string (normalized or not: offsets refer to it as given).

    Returns:
        The tokens in order, with ``text[t.start:t.end] == t.text``.

    Example:
        >>> [t.text for t in tokenize("قالَ: «السعر 3.5 دولار» (https://example.com).")]
        ['قالَ', ':', '«', 'السعر', '3.5', 'دولار', '»', '(', 'https://example.com', ')', '.']
        >>> tokenize("@news_ar")[0].kind
        'mention'
    """
    return list(iter_tokens(text))


# ---------------------------------------------------------------- sentences
_CLOSING = frozenset("»”’\"')]}›")
# A dot after these is an abbreviation, not the end of a sentence (د. = doctor, أ. = professor).
_ABBREVIATIONS = frozenset(
    {"د", "أ", "م.د", "Dr", "Mr", "Mrs", "Ms", "Prof", "St", "Jr", "Sr", "No", "vs", "etc"}
)


def _is_sentence_end(tok: Token, prev: Token | None) -> bool:
    if tok.kind != "punct" or not set(tok.text) <= SENTENCE_END:
        return False
    # "U.S." and "د." do not end a sentence.
    abbreviation = prev is not None and (
        prev.text in _ABBREVIATIONS or (prev.kind == "latin" and len(prev.text) == 1)
    )
    return not (tok.text == "." and abbreviation and prev is not None and prev.end == tok.start)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of ``text``, as ``(start, end)`` offsets.

    A sentence ends after ``.``, ``!``, ``?``, ``؟``, ``…`` or ``۔`` (and the closing quotes
    or brackets right after it), and at every line break: news paragraphs are sentences even
    without final punctuation. Dots inside numbers and URLs, and after a few abbreviations
    (``د.``, ``Dr.``, single Latin initials), do not end a sentence.

    Example:
        >>> text = "قال د. أحمد إن النمو بلغ 3.5% هذا العام. وأضاف: «سنواصل»!\\nعنوان آخر"
        >>> [text[s:e] for s, e in split_sentences(text)]
        ['قال د. أحمد إن النمو بلغ 3.5% هذا العام.', 'وأضاف: «سنواصل»!', 'عنوان آخر']
    """
    spans: list[tuple[int, int]] = []
    start: int | None = None
    prev: Token | None = None
    ended = False
    for tok in iter_tokens(text):
        if start is not None and prev is not None:
            line_break = "\n" in text[prev.end : tok.start]
            if line_break or (ended and not (tok.kind == "punct" and tok.text[0] in _CLOSING)):
                spans.append((start, prev.end))
                start = None
        if start is None:
            start, ended = tok.start, False
        ended = ended or _is_sentence_end(tok, prev)
        prev = tok
    if start is not None and prev is not None:
        spans.append((start, prev.end))
    return spans
