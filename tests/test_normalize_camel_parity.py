"""Our folding steps agree with camel-tools' on the characters both are meant to handle.

The domain is Arabic letters, camel's diacritics, presentation forms, canonical hamza
sequences, Arabic-Indic digits and ASCII. Outside it the steps differ on purpose (see
docs/normalization.md, "Differences from camel-tools"); those differences are pinned below.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable
from itertools import pairwise

import pytest

from arabnews_nlp._normalize_engine import COMPOSITIONS
from arabnews_nlp.normalize import STEPS, Normalizer

camel_norm = pytest.importorskip("camel_tools.utils.normalize")
camel_dediac = pytest.importorskip("camel_tools.utils.dediac")
camel_charsets = pytest.importorskip("camel_tools.utils.charsets")

N_STRINGS = 3000


def only(*steps: str) -> Normalizer:
    """A normalizer with exactly ``steps`` on (no space folding, no cleanup)."""
    return Normalizer("display", **{s: s in steps for s in STEPS})


def _presentation_forms() -> list[str]:
    out = []
    for cp in [*range(0xFB50, 0xFE00), *range(0xFE70, 0xFEFF)]:
        ch = chr(cp)
        nfkc = unicodedata.normalize("NFKC", ch)
        # Excluded by design: unassigned code points, signs NFKC leaves alone, and the
        # isolated harakat forms that NFKC turns into space + mark (we keep only the mark).
        if unicodedata.category(ch) == "Cn" or nfkc == ch or nfkc.startswith(" "):
            continue
        out.append(ch)
    return out


LETTERS = [chr(c) for c in range(0x0621, 0x064B)] + ["\u0671"]
DIACS = sorted(camel_charsets.AR_DIAC_CHARSET)
PRESENTATION = _presentation_forms()
HAMZA_SEQUENCES = sorted(COMPOSITIONS)  # e.g. "و" + U+0654, which NFC composes to "ؤ"
OTHER = list("abcXYZ019 .,-") + [chr(c) for c in range(0x0660, 0x066A)]


def _corpus(seed: int) -> list[str]:
    rng = random.Random(seed)
    pools = [LETTERS, DIACS, PRESENTATION, HAMZA_SEQUENCES, OTHER]
    weights = [10, 4, 3, 1, 2]
    out = []
    for _ in range(N_STRINGS):
        n = rng.randint(1, 30)
        out.append("".join(rng.choice(rng.choices(pools, weights)[0]) for _ in range(n)))
    return out


CORPUS = _corpus(seed=20240501)


def _assert_same(
    ours: Callable[[str], str], theirs: Callable[[str], str], corpus: list[str] = CORPUS
) -> None:
    assert len(corpus) > N_STRINGS // 2
    diffs = [(s, ours(s), theirs(s)) for s in corpus if ours(s) != theirs(s)]
    assert not diffs, f"{len(diffs)} differences, e.g. {diffs[:3]!r}"


def _stacks_marks(s: str) -> bool:
    """Two combining marks in a row after NFKC: NFKC sorts them, we leave their order."""
    s = unicodedata.normalize("NFKC", s)
    return any(unicodedata.combining(a) and unicodedata.combining(b) for a, b in pairwise(s))


def test_corpus_is_varied() -> None:
    assert len(set(CORPUS)) > 0.95 * N_STRINGS
    joined = "".join(CORPUS)
    assert sum(ch in joined for ch in PRESENTATION) > 0.9 * len(PRESENTATION)


def test_remove_diacritics_matches_dediac_ar() -> None:
    # dediac_ar keeps the combining hamza/madda marks (U+0653..5); we remove them.
    corpus = [s for s in CORPUS if not any("\u0653" <= ch <= "\u0655" for ch in s)]
    _assert_same(only("remove_diacritics").normalize, camel_dediac.dediac_ar, corpus)


def test_normalize_alef_matches() -> None:
    _assert_same(only("normalize_alef").normalize, camel_norm.normalize_alef_ar)


def test_normalize_alef_maksura_matches() -> None:
    _assert_same(only("normalize_alef_maksura").normalize, camel_norm.normalize_alef_maksura_ar)


def test_normalize_teh_marbuta_matches() -> None:
    _assert_same(only("normalize_teh_marbuta").normalize, camel_norm.normalize_teh_marbuta_ar)


def test_unicode_cleanup_matches_normalize_unicode() -> None:
    ours = only("fold_presentation_forms", "compose_arabic").normalize
    corpus = [s for s in CORPUS if not _stacks_marks(s)]
    _assert_same(ours, camel_norm.normalize_unicode, corpus)


def test_whole_chain_matches() -> None:
    ours = only(
        "fold_presentation_forms",
        "compose_arabic",
        "remove_diacritics",
        "normalize_alef",
        "normalize_alef_maksura",
        "normalize_teh_marbuta",
    ).normalize

    def theirs(s: str) -> str:
        s = camel_dediac.dediac_ar(camel_norm.normalize_unicode(s))
        s = camel_norm.normalize_alef_ar(s)
        return camel_norm.normalize_teh_marbuta_ar(camel_norm.normalize_alef_maksura_ar(s))

    _assert_same(ours, theirs)


@pytest.mark.parametrize(
    ("text", "step", "camel_function", "ours", "camel"),
    [
        # An isolated tanween form: NFKC gives space + mark, we keep the mark only.
        ("\ufe70", "fold_presentation_forms", "normalize_unicode", "\u064b", " \u064b"),
        # NFKC folds non-Arabic compatibility characters too; we leave them.
        ("ﬁ ²", "fold_presentation_forms", "normalize_unicode", "ﬁ ²", "fi 2"),
        # We remove every Arabic combining mark, dediac_ar nine of them.
        ("ا\u0653", "remove_diacritics", "dediac_ar", "ا", "ا\u0653"),
        # Alef with wavy hamza above/below is an alef variant for us.
        ("\u0672", "normalize_alef", "normalize_alef_ar", "\u0627", "\u0672"),
    ],
)
def test_documented_differences(
    text: str, step: str, camel_function: str, ours: str, camel: str
) -> None:
    module = camel_dediac if camel_function == "dediac_ar" else camel_norm
    assert only(step).normalize(text) == ours
    assert getattr(module, camel_function)(text) == camel
