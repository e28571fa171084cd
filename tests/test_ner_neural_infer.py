"""The neural tagger's fast inference path against the plain one, on real news text.

The shipped tagger runs the char CNN by lookup tables and the BiLSTM packed
(:mod:`arabnews_nlp.entities.neural_infer`); the plain definitions in
:mod:`arabnews_nlp.entities.neural` (padded batches) are the reference. Scores are rounded to
1e-7, so both must give the same numbers, whatever the sentences are tagged with.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from arabnews_nlp.entities.constants import NEURAL_COMPONENT_DIR
from arabnews_nlp.entities.crf import sentence_slices
from arabnews_nlp.entities.data import doc_words
from arabnews_nlp.entities.neural import (
    NeuralTagger,
    char_features,
    type_projections,
)
from arabnews_nlp.entities.neural_infer import Packing, emission_scores, packed_bilstm


@pytest.fixture(scope="module")
def tagger() -> NeuralTagger:
    return NeuralTagger.from_directory(NEURAL_COMPONENT_DIR)


@pytest.fixture(scope="module")
def sentences(sample_path) -> list[list[str]]:
    """The sample corpus's titles and bodies, tokenized and split as the component does."""
    import spacy

    config = {"nlp": {"tokenizer": {"@tokenizers": "arabnews.news_tokenizer.v1"}}}
    tokenizer = spacy.blank("ar", config=config).tokenizer
    out = []
    with sample_path.open(encoding="utf-8") as fh:
        for line in fh:
            article = json.loads(line)
            doc = tokenizer(f"{article['title']}\n\n{article['body']}")
            words = doc_words(doc)
            is_space = [t.is_space for t in doc]
            out += [[words[i] for i in s] for s in sentence_slices(words, is_space)]
    return out


def _plain(tagger: NeuralTagger, sentences: list[list[str]]) -> list[np.ndarray]:
    """The padded reference: per-type projections (float32 table), then emission_scores."""
    with threadpool_limits(1):  # idle BLAS threads spin on the small products
        return _plain_scores(tagger, sentences)


def _plain_scores(tagger: NeuralTagger, sentences: list[list[str]]) -> list[np.ndarray]:
    types = list(dict.fromkeys(w for s in sentences for w in s))
    vectors, chars, flags = (
        np.stack(c) for c in zip(*map(tagger.inputs.token, types), strict=True)
    )
    table = np.zeros((len(types) + 1, 2 * tagger._w_hh.shape[2]), dtype=np.float32)
    table[1:] = type_projections(tagger._run, vectors, chars, flags) * tagger._scale
    row = {w: i + 1 for i, w in enumerate(types)}
    ids = np.zeros((len(sentences), max(map(len, sentences))), dtype=np.intp)
    for b, s in enumerate(sentences):
        ids[b, : len(s)] = [row[w] for w in s]
    lengths = np.array([len(s) for s in sentences])
    scores = emission_scores(tagger._run, table[ids].astype(np.float64), lengths)
    return [np.round(scores[b, : len(s)], 7) for b, s in enumerate(sentences)]


def test_packed_scores_equal_the_padded_reference(tagger, sentences) -> None:
    fast = tagger.emissions(sentences)
    tokens = differ = 0
    # Sentences of similar lengths side by side, as the padded path ran them.
    order = sorted(range(len(sentences)), key=lambda i: len(sentences[i]))
    for start in range(0, len(order), 64):
        group = order[start : start + 64]
        plain = _plain(tagger, [sentences[i] for i in group])
        for a, b in zip([fast[i] for i in group], plain, strict=True):
            tokens += len(a)
            differ += int((a != b).any(axis=1).sum())
            np.testing.assert_allclose(a, b, rtol=0, atol=1.01e-7)
    # Sums grouped otherwise drift by ~1e-16, which the rounding hides: a 1e-7 flip is rare.
    assert tokens > 5000 and differ <= tokens // 2000


def test_scores_do_not_depend_on_what_a_sentence_is_tagged_with(tagger, sentences) -> None:
    some = sentences[:300]
    whole = tagger.emissions(some)
    small = NeuralTagger.from_directory(NEURAL_COMPONENT_DIR)
    small.chunk_tokens = 400  # smaller chunks, in the reverse order
    alone = small.emissions(some[::-1])[::-1]
    assert all(np.array_equal(a, b) for a, b in zip(whole, alone, strict=True))


def test_char_cnn_by_lookup_equals_the_convolution(tagger, sentences) -> None:
    words = list(dict.fromkeys(w for s in sentences for w in s))[:1500]
    words += ["", "بالتأكيدوالاستثنائيةالكبرى", "x"]  # no letter, more than 16, one
    _, chars, _ = tagger.inputs.batch(words)
    reference = char_features(tagger._run, chars[None])[0]
    np.testing.assert_allclose(tagger._conv(chars), reference, rtol=0, atol=1e-12)


def test_batched_inputs_equal_the_per_token_ones(tagger, sentences) -> None:
    words = list(dict.fromkeys(w for s in sentences for w in s))
    vectors, chars, flags = tagger.inputs.batch(words)
    unknown = sum(w not in tagger.inputs.vectors.index for w in words)
    assert unknown > 50  # the n-gram path is exercised too
    for k, word in enumerate(words):
        vector, ids, flag = tagger.inputs.token(word)
        assert np.array_equal(vectors[k], vector) and np.array_equal(chars[k], ids)
        assert np.array_equal(flags[k], flag)


def test_packed_lstm_runs_each_sentence_as_if_alone() -> None:
    rng = np.random.default_rng(0)
    table = rng.normal(0, 1, (30, 16)).astype(np.float32)
    w_hh = rng.normal(0, 0.5, (2, 2, 8))
    lengths = [4, 1, 6, 4]
    flat = rng.integers(1, 30, sum(lengths))
    plan = Packing(lengths)
    both = packed_bilstm(table, np.stack([flat[plan.forward], flat[plan.backward]]), w_hh, plan)
    start = 0
    for n in lengths:
        tokens = flat[start : start + n]
        one = Packing([n])
        alone = packed_bilstm(table, np.stack([tokens, tokens[::-1]]), w_hh, one)
        fw = both[0][np.argsort(plan.forward)][start : start + n]
        bw = both[1][np.argsort(plan.backward)][start : start + n]
        np.testing.assert_allclose(fw, alone[0], atol=1e-12)
        np.testing.assert_allclose(bw, alone[1][::-1], atol=1e-12)
        start += n


def test_cached_ngram_buckets_equal_the_hashes(tagger, sentences) -> None:
    from arabnews_nlp.entities.subwords import ngram_hashes
    from arabnews_nlp.normalize import normalize

    vectors = tagger.inputs.vectors
    words = {normalize(w, profile="ner") or w for s in sentences for w in s}
    unseen = sorted(w for w in words if w not in vectors.index)
    assert len(unseen) > 50
    for word in unseen * 2:  # the second pass reads the cache
        expected = ngram_hashes(word, vectors.min_n, vectors.max_n, len(vectors.ngram_q))
        assert vectors._bucket_ids(word).tolist() == expected.tolist()
