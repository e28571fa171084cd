"""Property tests of normalization over arbitrary Unicode (hypothesis)."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arabnews_nlp.normalize import INVISIBLE, PROFILES, STEPS, Normalizer, normalize

ARABIC_LETTERS = frozenset(chr(c) for c in range(0x0621, 0x064B))

# Arbitrary code points, plus a strategy biased towards the characters the steps act on, so
# that runs of marks, spaces, ligatures and hamza sequences occur often enough to matter.
_INTERESTING = (
    [chr(c) for c in range(0x0600, 0x0700)]
    + [chr(c) for c in range(0xFB50, 0xFB60)]
    + [chr(c) for c in range(0xFC5E, 0xFC64)]
    + [chr(c) for c in range(0xFDF0, 0xFDFE)]
    + [chr(c) for c in range(0xFE70, 0xFEFF)]
    + list(INVISIBLE)
    + list(" \n\r\t\u00a0\u2028\u2029\u3000")
    + list("AZaz09İ.,")
)
texts = st.one_of(
    st.text(),
    st.text(st.sampled_from(_INTERESTING), max_size=60),
    st.lists(
        st.sampled_from(["\u0627", "\u0648", "\u064a", "\u064e", "\u0654", "\u0640", " "])
    ).map("".join),
)
profiles = st.sampled_from(sorted(PROFILES))


@settings(max_examples=400, deadline=None)
@given(text=texts, profile=profiles)
def test_never_raises_and_is_idempotent(text: str, profile: str) -> None:
    once = normalize(text, profile)
    assert isinstance(once, str)
    assert normalize(once, profile) == once


@settings(max_examples=400, deadline=None)
@given(text=texts, profile=profiles)
def test_offsets_are_monotonic_in_bounds_and_match_fast_path(text: str, profile: str) -> None:
    nt = normalize(text, profile, return_offsets=True)
    assert nt.text == normalize(text, profile)
    assert len(nt.offsets) == len(nt.text)
    assert all(0 <= o < len(text) for o in nt.offsets)
    assert all(a <= b for a, b in pairwise(nt.offsets))


@settings(max_examples=300, deadline=None)
@given(text=texts, profile=profiles, data=st.data())
def test_span_to_original_stays_in_bounds(text: str, profile: str, data: st.DataObject) -> None:
    nt = normalize(text, profile, return_offsets=True)
    start = data.draw(st.integers(0, len(nt.text)))
    end = data.draw(st.integers(start, len(nt.text)))
    s, e = nt.span_to_original(start, end)
    assert 0 <= s <= e <= len(text)


@settings(max_examples=400, deadline=None)
@given(text=texts)
def test_display_never_changes_arabic_letters(text: str) -> None:
    nt = normalize(text, "display", return_offsets=True)
    kept = set(nt.offsets)
    for i, ch in enumerate(text):
        if ch in ARABIC_LETTERS:
            assert i in kept, f"letter {ch!r} at {i} was dropped"
    for out_ch, o in zip(nt.text, nt.offsets, strict=True):
        if text[o] in ARABIC_LETTERS:
            assert out_ch == text[o]


@pytest.mark.parametrize("step", STEPS)
@settings(max_examples=60, deadline=None)
@given(text=texts)
def test_every_single_step_is_safe(step: str, text: str) -> None:
    # Each step alone, on top of nothing else: no crash and offsets still agree.
    norm = Normalizer("display", **{s: s == step for s in STEPS})
    nt = norm.normalize_with_offsets(text)
    assert nt.text == norm.normalize(text)
    assert all(a <= b for a, b in pairwise(nt.offsets))
