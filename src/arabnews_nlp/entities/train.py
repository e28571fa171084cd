"""Train the NER pipeline from ``../shared/data/ner`` and write it as a spaCy directory.

Training data: ANERcorp minus its last ``dev_fraction`` of sentences (the dev split), optionally
AQMAR and the Wojood sample, tags cleaned to IOB2 over ``PER LOC ORG MISC``. Features use name
lists built from ``../shared/data/gazetteers`` and, when given, a word-cluster table built by
``scripts/ner/build_clusters.py``. The dev scores are stored in the pipeline's ``meta.json``.

Training takes minutes and the ``../shared`` data, so the example is not a doctest; the slow
test ``tests/test_ner_model.py::test_train_reproduces_a_working_pipeline`` runs it::

    from arabnews_nlp.entities.train import train_ner

    result = train_ner("../shared", "/tmp/ner", clusters="clusters.tsv.gz")
    print(result.dev_scores["micro"]["f1"])  # also in /tmp/ner/meta.json
"""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from arabnews_nlp.entities.clusters import ClusterTable
from arabnews_nlp.entities.crf import MODEL_FILE, CRFTagger
from arabnews_nlp.entities.data import (
    Sentence,
    read_anercorp,
    read_aqmar,
    read_wojood,
    split_dev,
    tag_ministries,
)
from arabnews_nlp.entities.evaluate import entity_scores, predict_tags
from arabnews_nlp.entities.features import FeatureExtractor
from arabnews_nlp.entities.lexicons import build_lexicons

__all__ = ["TrainResult", "fit_crf", "load_corpora", "train_ner"]

logger = logging.getLogger(__name__)

#: The extra corpora (besides ANERcorp) and their readers, by name.
EXTRA_CORPORA = {
    "aqmar": ("aqmar", read_aqmar),
    "wojood": ("wojood-sample", read_wojood),
}


@dataclass
class TrainResult:
    """What :func:`train_ner` produced."""

    out_dir: Path
    dev_scores: dict[str, dict[str, float]]
    train_sentences: int
    train_tokens: int
    seconds: float
    settings: dict[str, Any] = field(default_factory=dict)


def load_corpora(
    shared_dir: str | Path,
    *,
    dev_fraction: float = 0.1,
    extra: Sequence[str] = (),
) -> tuple[list[Sentence], list[Sentence]]:
    """``(train, dev)``: ANERcorp's first/last part plus the ``extra`` corpora in train."""
    ner_dir = Path(shared_dir) / "data" / "ner"
    train, dev = split_dev(read_anercorp(ner_dir / "anercorp-train.txt"), dev_fraction)
    for name in extra:
        if name not in EXTRA_CORPORA:
            raise ValueError(f"unknown corpus {name!r}; choose from {sorted(EXTRA_CORPORA)}")
        folder, reader = EXTRA_CORPORA[name]
        train += reader(ner_dir / folder)
    return train, dev


def train_ner(
    shared_dir: str | Path,
    out_dir: str | Path,
    *,
    clusters: str | Path | None = None,
    lexicons: bool = True,
    organisations: bool = True,
    ministries: bool = True,
    extra: Sequence[str] = (),
    dev_fraction: float = 0.1,
    c1: float = 0.03,
    c2: float = 0.01,
    max_iterations: int = 200,
    window: int = 2,
    near_window: int = 2,
    cluster_bigrams: bool = True,
    head_phrase: bool = True,
) -> TrainResult:
    """Train the CRF, package it as a spaCy pipeline in ``out_dir`` and score it on the dev split.

    Args:
        shared_dir: the ``shared`` folder (``data/ner``, ``data/gazetteers``).
        out_dir: where the pipeline is written (created or overwritten).
        clusters: a ``clusters.tsv.gz`` from ``scripts/ner/build_clusters.py``; ``None`` trains
            without cluster features.
        lexicons: use the gazetteer name lists as features.
        organisations: include the organisation lists (head nouns, nationality adjectives,
            sports organisations) in the name lists.
        ministries: tag ministry names ("وزارة الدفاع الروسية") as ``ORG`` in the training
            sentences, which ANERcorp leaves untagged (see
            :func:`~arabnews_nlp.entities.data.tag_ministries`); the dev split is left as is.
        extra: extra training corpora (``"aqmar"``, ``"wojood"``). None by default: each one
            lowered the dev F1 (Wikipedia/social-media domains, Wojood tags acting countries as
            ``ORG`` and splits some clitics), see the model card.
        dev_fraction: the last fraction of ANERcorp held out for scoring (0 trains on all of it).
        c1, c2, max_iterations: CRF regularization and L-BFGS iterations.
        window, near_window, cluster_bigrams, head_phrase: feature settings (see
            :class:`~arabnews_nlp.entities.features.FeatureExtractor`).
    """
    from arabnews_nlp.entities.model import build_pipeline

    started = time.perf_counter()
    train, dev = load_corpora(shared_dir, dev_fraction=dev_fraction, extra=extra)
    with tempfile.TemporaryDirectory() as tmp:
        component_dir = Path(tmp)
        _, settings = fit_crf(
            train,
            shared_dir,
            component_dir,
            clusters=clusters,
            lexicons=lexicons,
            organisations=organisations,
            ministries=ministries,
            c1=c1,
            c2=c2,
            max_iterations=max_iterations,
            window=window,
            near_window=near_window,
            cluster_bigrams=cluster_bigrams,
            head_phrase=head_phrase,
        )
        settings = {"extra": list(extra), "dev_fraction": dev_fraction, **settings}
        nlp = build_pipeline(component_dir)
        scores = entity_scores([s.tags for s in dev], predict_tags(nlp, dev)) if dev else {}
        # Save a fresh pipeline: the scored one has every dev word in its string store.
        nlp = build_pipeline(component_dir)
        nlp.meta["performance"] = {"dev": scores}
        nlp.meta["arabnews_training"] = settings
        nlp.meta["sources"] = _sources(extra, clusters is not None, lexicons, organisations)
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        nlp.to_disk(out)
    return TrainResult(
        out_dir=out,
        dev_scores=scores,
        train_sentences=len(train),
        train_tokens=sum(len(s.tokens) for s in train),
        seconds=time.perf_counter() - started,
        settings=settings,
    )


def fit_crf(
    train: list[Sentence],
    shared_dir: str | Path,
    component_dir: Path,
    *,
    clusters: str | Path | None = None,
    lexicons: bool = True,
    organisations: bool = True,
    ministries: bool = True,
    c1: float = 0.03,
    c2: float = 0.01,
    max_iterations: int = 200,
    window: int = 2,
    near_window: int = 2,
    cluster_bigrams: bool = True,
    head_phrase: bool = True,
) -> tuple[CRFTagger, dict[str, Any]]:
    """Train a CRF on ``train`` (ministries retagged in place when asked) and write its model
    and tables into ``component_dir``; returns the tagger and its settings (see
    :func:`train_ner` for the arguments)."""
    extractor = FeatureExtractor(
        clusters=ClusterTable.load(clusters) if clusters else None,
        lexicons=build_lexicons(shared_dir, organisations=organisations) if lexicons else None,
        window=window,
        near_window=near_window,
        cluster_bigrams=cluster_bigrams,
        head_phrase=head_phrase,
    )
    retagged = 0
    if ministries:
        lists = extractor.lexicons.lists if extractor.lexicons is not None else {}
        retagged = tag_ministries(train, lists.get("nisba", ()))
    settings = {
        "clusters": Path(clusters).name if clusters else None,
        "lexicons": lexicons,
        "organisations": lexicons and organisations,
        "ministries_tagged": retagged,
        "c1": c1,
        "c2": c2,
        "max_iterations": max_iterations,
        **extractor.config(),
    }
    logger.info("training on %d sentences, settings %s", len(train), settings)
    tagger = CRFTagger(extractor, c1=c1, c2=c2, max_iterations=max_iterations)
    tagger.fit(train, component_dir / MODEL_FILE)
    tagger.save_tables(component_dir)
    return tagger, settings


def _sources(
    extra: Sequence[str], clusters: bool, lexicons: bool, organisations: bool = False
) -> list[dict[str, str]]:
    """The datasets behind the model, for ``meta.json`` (the model card has the details)."""
    sources = [{"name": "ANERcorp (training portion)", "license": "CC BY-SA 4.0"}]
    names = {"aqmar": ("AQMAR", "CC BY-SA 3.0"), "wojood": ("Wojood sample", "MIT")}
    sources += [{"name": names[e][0], "license": names[e][1]} for e in extra]
    if lexicons:
        sources.append(
            {
                "name": "Wikidata / GeoNames / CLDR / ISO 3166 name lists",
                "license": "CC0 / CC BY 4.0 / Unicode-3.0 / MIT",
            }
        )
    if lexicons and organisations:
        sources.append(
            {
                "name": "ArWikiCats nationality adjectives and sports organisations (word lists)",
                "license": "MIT (ArWikiCats); titles from Arabic Wikipedia",
            }
        )
    if clusters:
        sources.append(
            {
                "name": "word clusters from egy-news-2013 + ANT v2.1 (ids only)",
                "license": "derived data; no text shipped",
            }
        )
    return sources
