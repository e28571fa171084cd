"""The numpy CRF decoder: crfsuite's weights, tags and marginals, and exact inference."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pycrfsuite
import pytest

from arabnews_nlp.entities.crf import DEFAULT_COMPONENT_DIR, MODEL_FILE, CRFTagger
from arabnews_nlp.entities.data import word_tokens
from arabnews_nlp.entities.linear_chain import CRFWeights, decode

MODEL = DEFAULT_COMPONENT_DIR / MODEL_FILE


@pytest.fixture(scope="module")
def crfsuite_tagger() -> pycrfsuite.Tagger:
    tagger = pycrfsuite.Tagger()
    tagger.open(str(MODEL))
    return tagger


def _sample_sentences(path) -> list[list[str]]:
    """Sentences of the shipped sample corpus (original articles), split on full stops."""
    sentences = []
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        for part in (record["title"], record.get("lede") or "", record["body"]):
            for sentence in part.split("."):
                if tokens := word_tokens(sentence):
                    sentences.append(tokens)
    return sentences


def test_weights_are_the_ones_crfsuite_reads(crfsuite_tagger) -> None:
    weights = CRFWeights.read(MODEL)
    info = crfsuite_tagger.info()
    assert set(weights.labels) == set(info.labels)
    assert list(weights.attributes) == list(info.attributes)
    ids = weights.attribute_ids
    label = {name: i for i, name in enumerate(weights.labels)}
    for (attribute, name), value in itertools.islice(info.state_features.items(), 5000):
        assert weights.state[ids[attribute], label[name]] == pytest.approx(
            value, abs=1e-6
        )  # info() prints 6 decimals
    for (a, b), value in info.transitions.items():
        assert weights.transitions[label[a], label[b]] == pytest.approx(
            value, abs=1e-6
        )  # info() prints 6 decimals


def test_read_rejects_other_files(tmp_path) -> None:
    bad = tmp_path / "x.model"
    bad.write_bytes(b"lCRF not really a model, only bytes " * 3)
    with pytest.raises(ValueError):
        CRFWeights.read(bad)


def test_tags_and_marginals_equal_crfsuite_on_the_sample_corpus(crfsuite_tagger, sample_path):
    sentences = _sample_sentences(sample_path)
    assert len(sentences) > 300
    crf = CRFTagger.from_directory(DEFAULT_COMPONENT_DIR)
    decoded = crf.decode(sentences)
    labels = crf.weights_.labels
    entities = 0
    for tokens, d in zip(sentences, decoded, strict=True):
        expected = crfsuite_tagger.tag(crf.extractor.sentence_features(tokens))
        assert [labels[i] for i in d.labels.tolist()] == expected
        marginals = [crfsuite_tagger.marginal(tag, i) for i, tag in enumerate(expected)]
        np.testing.assert_allclose(d.confidence, marginals, rtol=0, atol=1e-9)
        entities += sum(tag.startswith("B-") for tag in expected)
    assert entities > 100  # the comparison covers real entities, not only O tags


def _brute_force(emissions: np.ndarray, transitions: np.ndarray) -> tuple[list[int], np.ndarray]:
    """Best path and per-token marginals by enumerating every label sequence."""
    n_tokens, n_labels = emissions.shape
    paths = list(itertools.product(range(n_labels), repeat=n_tokens))
    scores = np.array(
        [
            emissions[np.arange(n_tokens), path].sum()
            + sum(transitions[a, b] for a, b in itertools.pairwise(path))
            for path in paths
        ]
    )
    weights = np.exp(scores - scores.max())  # stable at any scale
    marginal = np.zeros((n_tokens, n_labels))
    for path, weight in zip(paths, weights, strict=True):
        marginal[np.arange(n_tokens), path] += weight
    return list(paths[int(scores.argmax())]), marginal / weights.sum()


@pytest.mark.parametrize("scale", [2.0, 200.0])
def test_batched_decoding_is_exact_for_every_length(scale: float) -> None:
    rng = np.random.default_rng(7)
    transitions = rng.normal(scale=scale / 4, size=(3, 3))
    # Lengths 0..6 mixed, so groups pad short sentences next to long ones; at scale 200 the
    # path scores span thousands (exp() of them overflows without rescaling).
    emissions = [rng.normal(scale=scale, size=(n, 3)) for n in [5, 1, 0, 6, 2, 3, 4, 1, 6]]
    for e, d in zip(emissions, decode(emissions, transitions), strict=True):
        if len(e) == 0:
            assert d.labels.size == 0
            continue
        path, marginal = _brute_force(e, transitions)
        assert d.labels.tolist() == path
        np.testing.assert_allclose(d.confidence, marginal[np.arange(len(e)), path], atol=1e-9)
