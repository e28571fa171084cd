"""Property tests of tokenization, sentence splitting and segmentation (hypothesis)."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from arabnews_nlp.normalize import INVISIBLE
from arabnews_nlp.tokenize import segment_clitics, split_sentences, strip_proclitics, tokenize

_PIECES = [
    "وزير",
    "بالقاهرة",
    "ولبنان",
    "ﻻ",
    "مُحَمَّد",
    "ـ",
    "2024",
    "٣٫٥",
    "Paris",
    "https://a.b/c",
    "#وسم",
    "@user",
    "😀",
    "\u200d",
    "\u200f",
    "\ufe0f",
    "د.",
    ".",
    "؟",
    "!",
    "«",
    "»",
    " ",
    "\n",
    "\u00a0",
]
texts = st.one_of(st.text(), st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
arabic_words = st.text(
    st.sampled_from([chr(c) for c in range(0x0621, 0x0653)] + ["\u0670", "\u0640"]), max_size=12
)


@settings(max_examples=400, deadline=None)
@given(text=texts)
def test_tokens_are_ordered_slices_that_cover_all_visible_characters(text: str) -> None:
    tokens = tokenize(text)
    covered: set[int] = set()
    for tok in tokens:
        assert 0 <= tok.start < tok.end <= len(text)
        assert text[tok.start : tok.end] == tok.text
        assert not any(ch.isspace() for ch in tok.text)
        covered.update(range(tok.start, tok.end))
    for a, b in pairwise(tokens):
        assert a.end <= b.start
    for i, ch in enumerate(text):
        if not ch.isspace() and ch not in INVISIBLE:
            assert i in covered, f"{ch!r} at {i} is in no token"


@settings(max_examples=400, deadline=None)
@given(text=texts)
def test_sentences_are_ordered_spans_over_whole_tokens(text: str) -> None:
    spans = split_sentences(text)
    starts = {t.start for t in tokenize(text)}
    ends = {t.end for t in tokenize(text)}
    for s, e in spans:
        assert 0 <= s < e <= len(text)
        assert s in starts and e in ends
    for (_, e1), (s2, _) in pairwise(spans):
        assert e1 <= s2
    in_sentences = sum(1 for t in tokenize(text) if any(s <= t.start < e for s, e in spans))
    assert in_sentences == len(tokenize(text))


@settings(max_examples=400, deadline=None)
@given(word=st.one_of(arabic_words, st.text(max_size=12)))
def test_segmentation_pieces_rebuild_the_word(word: str) -> None:
    seg = segment_clitics(word)
    assert "".join(seg.parts) == word
    assert strip_proclitics(word).endswith(seg.stem + "".join(seg.suffixes))
