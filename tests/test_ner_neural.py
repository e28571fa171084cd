"""The neural tagger: numpy inference against the JAX training code, the spaCy component."""

from __future__ import annotations

import numpy as np
import pytest

from arabnews_nlp.entities.crossval import TAG_SET
from arabnews_nlp.entities.linear_chain import decode, forbidden_transitions
from arabnews_nlp.entities.model import build_pipeline, load_ner
from arabnews_nlp.entities.neural import NeuralTagger, TokenInputs
from arabnews_nlp.entities.subwords import SubwordVectors

# Original words, combined at random into a few hundred sentences of varied lengths.
TEXT = (
    "زار الرئيس ماكرون بيروت وبيروت أمس وقال إن الحكومة اللبنانية ستلتقي وفد صندوق النقد "
    "الدولي في القاهرة والإسكندرية يوم الأحد ، . محمد صلاح ليفربول 2024 15.5% «نعم»"
)
WORDS = TEXT.split()


def _sentences(n: int, seed: int = 0) -> list[list[str]]:
    rng = np.random.default_rng(seed)
    return [list(rng.choice(WORDS, size=rng.integers(1, 70))) for _ in range(n)]


def _vectors(dim: int = 16) -> SubwordVectors:
    rng = np.random.default_rng(1)
    known = WORDS[:10]  # the others take the n-gram path
    return SubwordVectors(
        known,
        rng.integers(-127, 128, (len(known), dim), dtype=np.int8),
        np.full(len(known), 0.01, dtype=np.float32),
        rng.integers(-127, 128, (500, dim), dtype=np.int8),
        np.full(500, 0.01, dtype=np.float32),
        2,
        4,
    )


def _random_tagger(flags: bool = False) -> NeuralTagger:
    """A tagger with random weights (numpy only): the arithmetic, not the accuracy, is tested."""
    rng = np.random.default_rng(2)
    chars = {ch: i + 2 for i, ch in enumerate(sorted({c for w in WORDS for c in w}))}
    n_tags, hidden, width = len(TAG_SET), 8, 16 + 6 + (4 if flags else 0)
    shapes = {
        "char_emb": (len(chars) + 2, 5),
        "conv_w": (15, 6),
        "conv_b": (6,),
        "fw_ih": (width, 4 * hidden),
        "fw_hh": (hidden, 4 * hidden),
        "fw_b": (4 * hidden,),
        "bw_ih": (width, 4 * hidden),
        "bw_hh": (hidden, 4 * hidden),
        "bw_b": (4 * hidden,),
        "out_w": (2 * hidden, n_tags),
        "out_b": (n_tags,),
        "start": (n_tags,),
        "transitions": (n_tags, n_tags),
    }
    params = {k: rng.normal(0, 0.5, v).astype(np.float32) for k, v in shapes.items()}
    forbidden, start = forbidden_transitions(TAG_SET)
    params["transitions"] += forbidden.astype(np.float32)
    params["start"] += start.astype(np.float32)
    lexicons = None
    if flags:
        from arabnews_nlp.entities.lexicons import Lexicons

        lexicons = Lexicons({"city": {"بيروت", "القاهره"}, "given": {"محمد"}})
        params["flag_w"] = rng.normal(0, 0.5, (16, 4)).astype(np.float32)
    return NeuralTagger(params, TAG_SET, TokenInputs(_vectors(), chars, lexicons), batch_size=32)


@pytest.mark.parametrize("flags", [False, True])
def test_numpy_forward_pass_matches_jax(flags: bool) -> None:
    pytest.importorskip("jax")
    import jax.numpy as jnp

    from arabnews_nlp.entities.neural_train import jax_emissions, type_batch

    tagger = _random_tagger(flags)
    sentences = _sentences(300)
    ours = tagger.emissions(sentences)
    steps = max(len(s) for s in sentences)
    batch = type_batch(sentences, tagger.inputs, steps)
    params = {k: jnp.asarray(v) for k, v in tagger.params.items()}
    theirs = np.asarray(jax_emissions(params, {k: jnp.asarray(v) for k, v in batch.items()}))
    theirs_list = [theirs[i, : len(s)].astype(np.float64) for i, s in enumerate(sentences)]
    for a, b in zip(ours, theirs_list, strict=True):
        np.testing.assert_allclose(a, b, atol=1e-4)
    same = decode(theirs_list, tagger.transitions)
    for d, e in zip(tagger.decode(sentences), same, strict=True):
        assert d.labels.tolist() == e.labels.tolist()


def test_tags_are_valid_iob2_and_survive_save_and_load(tmp_path) -> None:
    tagger = _random_tagger(flags=True)
    sentences = _sentences(40, seed=3)
    tags = tagger.tag(sentences)
    for sentence in tags:
        for prev, tag in zip(["O", *sentence], sentence, strict=False):
            assert not tag.startswith("I-") or prev[2:] == tag[2:]
    tagger.save(tmp_path / "model")
    again = NeuralTagger.from_directory(tmp_path / "model")
    assert again.tag(sentences) == tags
    assert [m.shape for m in again.marginals(sentences[:2])] == [
        (len(s), len(TAG_SET)) for s in sentences[:2]
    ]
    # Batch order and the word-type cache do not change the result.
    assert again.tag(sentences[::-1]) == tags[::-1]


def test_neural_component_in_a_spacy_pipeline(tmp_path) -> None:
    _random_tagger(flags=True).save(tmp_path / "component")
    nlp = build_pipeline(tmp_path / "component", component="arabnews_neural_ner")
    nlp.to_disk(tmp_path / "pipeline")
    again = load_ner(tmp_path / "pipeline")
    assert again.pipe_names == ["arabnews_neural_ner"]
    text = "زار الرئيس ماكرون بيروت أمس.\nوقال محمد صلاح إن القاهرة «نعم»."
    docs = [nlp(text), again(text)]
    assert [(e.start, e.end, e.label_) for e in docs[0].ents] == [
        (e.start, e.end, e.label_) for e in docs[1].ents
    ]
    assert all(0.0 < e._.score <= 1.0 for e in docs[1].ents)
    assert all(e.label_ in {"PER", "LOC", "ORG"} for e in docs[1].ents)


def test_the_crf_stays_loadable_by_name() -> None:
    assert load_ner("crf").pipe_names == ["arabnews_crf_ner"]


def test_ensemble_averages_marginals_into_a_valid_path() -> None:
    from arabnews_nlp.entities.constants import DEFAULT_COMPONENT_DIR
    from arabnews_nlp.entities.crf import CRFTagger
    from arabnews_nlp.entities.ensemble import EnsembleTagger

    crf = CRFTagger.from_directory(DEFAULT_COMPONENT_DIR)
    sentences = [*_sentences(30, seed=4), TEXT.split()]
    ensemble = EnsembleTagger([crf, _random_tagger()], weights=[0.7, 0.3])
    for m in ensemble.marginals(sentences):
        np.testing.assert_allclose(m.sum(axis=1), 1.0)
    for tags in ensemble.tag(sentences):
        for prev, tag in zip(["O", *tags], tags, strict=False):
            assert not tag.startswith("I-") or prev[2:] == tag[2:]
    # With all the weight on the CRF, the ensemble finds the CRF's entities.
    alone = EnsembleTagger([crf, _random_tagger()], weights=[1.0, 0.0])
    assert alone.tag(sentences[-1:]) == [crf.tag(sentences[-1])]


def test_shipped_neural_model_loads_by_name_and_stays_small() -> None:
    from arabnews_nlp.entities.constants import NEURAL_MODEL_DIR

    files = [p for p in NEURAL_MODEL_DIR.rglob("*") if p.is_file()]
    assert sum(p.stat().st_size for p in files) < 30_000_000
    assert not [p for p in files if p.suffix in {".pkl", ".pickle"}]
    nlp = load_ner("neural")
    assert nlp.pipe_names == ["arabnews_neural_ner"]
    assert nlp.meta["license"] == "CC BY-SA 4.0"
    doc = nlp("وصل الرئيس الفرنسي إيمانويل ماكرون إلى بيروت صباح الثلاثاء في زيارة تستمر يومين.")
    assert ("بيروت", "LOC") in {(e.text, e.label_) for e in doc.ents}
    assert all(0.0 < e._.score <= 1.0 for e in doc.ents)
