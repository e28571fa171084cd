"""Silver data for self-training: sentences split like ANERcorp, tagged by the shipped taggers,
kept only where the ensemble is sure."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from arabnews_nlp.entities.constants import DEFAULT_COMPONENT_DIR, NEURAL_COMPONENT_DIR
from arabnews_nlp.entities.crf import CRFTagger
from arabnews_nlp.entities.data import read_conll, text_sentences
from arabnews_nlp.entities.ensemble import EnsembleTagger
from arabnews_nlp.entities.neural import NeuralTagger
from arabnews_nlp.entities.selftrain import silver_sentences, write_conll

TEXT = """استقبل الرئيس الفرنسي إيمانويل ماكرون في باريس وزير الخارجية الأردني أيمن الصفدي أمس.
وقال الصفدي إن المحادثات تناولت الأوضاع في غزة ولبنان وسوريا.
الطقس معتدل اليوم على معظم المناطق مع ارتفاع طفيف في درجات الحرارة.
وأعلنت منظمة الصحة العالمية في جنيف عن حملة جديدة للتطعيم في السودان.
ويتوقع الخبراء أن تستمر الأسعار في الارتفاع خلال الأشهر المقبلة."""


@cache
def _taggers() -> tuple[CRFTagger, NeuralTagger]:
    return CRFTagger.from_directory(DEFAULT_COMPONENT_DIR), NeuralTagger.from_directory(
        NEURAL_COMPONENT_DIR
    )


def _teacher() -> EnsembleTagger:
    return EnsembleTagger(_taggers())


def test_text_sentences_split_at_line_breaks_and_final_marks() -> None:
    sentences = list(text_sentences("قال الوزير: نعم. هل يأتي؟ لا\nسطر ثان"))
    assert sentences == [
        ["قال", "الوزير", ":", "نعم", "."],
        ["هل", "يأتي", "؟"],
        ["لا"],
        ["سطر", "ثان"],
    ]


def test_the_teachers_marginals_are_the_mean_of_the_members() -> None:
    crf, neural = _taggers()
    tokens = [["زار", "ماكرون", "باريس", "أمس"]]
    [both] = EnsembleTagger([crf, neural]).marginals(tokens)
    [alone] = EnsembleTagger([crf]).marginals(tokens)
    assert both.shape == alone.shape == (4, both.shape[1])
    assert both.sum(axis=1) == pytest.approx([1.0] * 4, abs=1e-4)
    [weighted] = EnsembleTagger([crf, neural], weights=[1.0, 0.0]).marginals(tokens)
    assert weighted == pytest.approx(alone, abs=1e-6)


def test_silver_keeps_confident_sentences_with_their_tags(tmp_path: Path) -> None:
    teacher = _teacher()
    kept = list(silver_sentences([TEXT], teacher, limit=10, min_confidence=0.6, empty_every=1))
    assert kept, "the ensemble is sure of at least one sentence"
    found = {(tok, tag) for s in kept for tok, tag in zip(s.tokens, s.tags, strict=True)}
    assert ("باريس", "B-LOC") in found or ("غزة", "B-LOC") in found or ("جنيف", "B-LOC") in found
    # A stricter threshold keeps a subset, and the limit is honoured.
    strict = list(silver_sentences([TEXT], teacher, limit=10, min_confidence=0.999))
    assert {tuple(s.tokens) for s in strict} <= {tuple(s.tokens) for s in kept}
    assert len(list(silver_sentences([TEXT], teacher, limit=1, min_confidence=0.6))) == 1
    # Written as CoNLL and read back unchanged.
    path = tmp_path / "silver.txt"
    assert write_conll(kept, path) == len(kept)
    back = read_conll(path)
    assert [(s.tokens, s.tags) for s in back] == [(s.tokens, s.tags) for s in kept]


def test_sentences_without_entities_are_thinned() -> None:
    teacher = _teacher()
    plain = "الطقس معتدل اليوم على معظم المناطق مع ارتفاع طفيف في درجات الحرارة.\n" * 8
    every = list(silver_sentences([plain], teacher, limit=100, min_confidence=0.5, empty_every=1))
    fourth = list(silver_sentences([plain], teacher, limit=100, min_confidence=0.5, empty_every=4))
    assert len(every) == 8
    assert len(fourth) == 2
    assert all(tag == "O" for s in every for tag in s.tags)
