"""Cross-validation helpers, full CRF marginals and IOB2-constrained decoding."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from arabnews_nlp.entities.crf import DEFAULT_COMPONENT_DIR, CRFTagger
from arabnews_nlp.entities.crossval import (
    TAG_SET,
    constrained_tags,
    contiguous_folds,
    fold_summary,
    paired_bootstrap,
)
from arabnews_nlp.entities.data import tag_spans
from arabnews_nlp.entities.linear_chain import decode, forbidden_transitions, posteriors

# Original sentences written for these tests.
TEXTS = [
    "استقبل الملك عبد الله الثاني في عمان وزير الخارجية الياباني .",
    "وقالت منظمة الصحة العالمية إن الوباء انحسر في القاهرة والإسكندرية .",
    "سجل محمد صلاح هدفين لنادي ليفربول أمس .",
]
SENTENCES = [text.split() for text in TEXTS]


def test_folds_are_contiguous_and_cover_everything() -> None:
    folds = contiguous_folds(4047, 5)
    assert [len(f) for f in folds] == [810, 810, 809, 809, 809]
    assert list(itertools.chain.from_iterable(folds)) == list(range(4047))
    with pytest.raises(ValueError):
        contiguous_folds(3, 5)


def test_fold_summary_mean_and_sample_sd() -> None:
    folds = [{"PER": {"f1": v}} for v in (0.6, 0.7, 0.8)]
    out = fold_summary(folds)["PER"]["f1"]
    assert out["mean"] == pytest.approx(0.7)
    assert out["sd"] == pytest.approx(0.1)


def test_bootstrap_sees_no_difference_between_identical_systems() -> None:
    gold = [["B-PER", "I-PER", "O"], ["B-LOC"], ["O", "B-ORG"]] * 10
    pred = [["B-PER", "O", "O"], ["B-LOC"], ["O", "O"]] * 10
    out = paired_bootstrap(gold, pred, pred, samples=300)
    assert out["delta"] == out["low"] == out["high"] == 0.0


def test_forbidden_transitions_rule_out_invalid_iob2() -> None:
    trans, start = forbidden_transitions(TAG_SET)
    rng = np.random.default_rng(0)
    scores = [rng.normal(size=(n, len(TAG_SET))) * 5 for n in (1, 4, 9, 17)]
    for scored in scores:
        scored[0] += start
    for d in decode(scores, trans):
        tags = [TAG_SET[i] for i in d.labels]
        for prev, tag in zip(["O", *tags], tags, strict=False):
            if tag.startswith("I-"):
                assert prev[2:] == tag[2:] and prev != "O"


def test_constrained_tags_prefer_the_most_probable_valid_path() -> None:
    p = np.full((3, len(TAG_SET)), 1e-3)
    p[0, TAG_SET.index("O")] = 0.6  # an I- at the start is forbidden
    p[0, TAG_SET.index("I-LOC")] = 0.7
    p[1, TAG_SET.index("B-LOC")] = 0.9
    p[2, TAG_SET.index("I-LOC")] = 0.9
    assert constrained_tags([p]) == [["O", "B-LOC", "I-LOC"]]


def test_crf_marginals_agree_with_the_decoder() -> None:
    tagger = CRFTagger.from_directory(DEFAULT_COMPONENT_DIR)
    marginals = tagger.marginals(SENTENCES)
    for sentence, m, d in zip(SENTENCES, marginals, tagger.decode(SENTENCES), strict=True):
        assert m.shape == (len(sentence), len(tagger.labels))
        np.testing.assert_allclose(m.sum(axis=1), 1.0)
        chosen = m[np.arange(len(sentence)), d.labels]
        np.testing.assert_allclose(chosen, d.confidence, atol=1e-12)
    # The people and places of these sentences come out of the marginals too.
    order = [tagger.labels.index(t) for t in TAG_SET]
    spans = [tag_spans(t) for t in constrained_tags([m[:, order] for m in marginals])]
    assert ("LOC", 6, 7) in spans[0]  # عمان
    assert any(label == "PER" for label, *_ in spans[2])


def test_posteriors_of_empty_and_single_token_sentences() -> None:
    out = posteriors([np.zeros((0, 3)), np.array([[0.0, np.log(3.0), 0.0]])], np.zeros((3, 3)))
    assert out[0].shape == (0, 3)
    np.testing.assert_allclose(out[1], [[0.2, 0.6, 0.2]])
