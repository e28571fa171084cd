"""Train the NER pipeline from ``../shared/data/ner`` and write it as a spaCy directory.

Training data: ANERcorp minus its last ``dev_fraction`` of sentences (the dev split), optionally
AQMAR and the Wojood sample, tags cleaned to IOB2 over ``PER LOC ORG MISC``. Features use name
lists built from ``../shared/data/gazetteers`` and, when given, a word-cluster table built by
``scripts/ner/build_clusters.py``. The dev scores are stored in the pipeline's ``meta.json``.

Training takes minutes and the ``../shared`` data, so the example is not a doctest; the slow
test ``tests/test_ner_model.py::test_train_reproduces_a_working_pipeline`` runs it::

    from arabnews_nlp.entities.train import train_ner

    from arabnews_nlp.entities.recipe import CRFRecipe

    result = train_ner("../shared", "/tmp/ner", CRFRecipe(clusters="clusters.tsv.gz"))
    print(result.dev_scores["micro"]["f1"])  # also in /tmp/ner/meta.json

:meth:`CRFRecipe.shipped() <arabnews_nlp.entities.recipe.CRFRecipe.shipped>` is the shipped
model's recipe.
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
    read_conll,
    read_wojood,
    split_dev,
    tag_ministries,
)
from arabnews_nlp.entities.evaluate import entity_scores, predict_tags
from arabnews_nlp.entities.features import FeatureExtractor
from arabnews_nlp.entities.lexicons import build_lexicons
from arabnews_nlp.entities.recipe import DEFAULT_DEV_FRACTION, CRFRecipe

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
    dev_fraction: float = DEFAULT_DEV_FRACTION,
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
    recipe: CRFRecipe | None = None,
    *,
    extra: Sequence[str] = (),
    silver: Sequence[str | Path] = (),
    dev_fraction: float = DEFAULT_DEV_FRACTION,
) -> TrainResult:
    """Train the CRF, package it as a spaCy pipeline in ``out_dir`` and score it on the dev split.

    Args:
        shared_dir: the ``shared`` folder (``data/ner``, ``data/gazetteers``).
        out_dir: where the pipeline is written (created or overwritten).
        recipe: the training settings (default: ``CRFRecipe()``, which has no word clusters).
            Ministries are retagged in the training sentences only; the dev split is left as is.
        extra: extra training corpora (``"aqmar"``, ``"wojood"``). None by default: each one
            lowered the dev F1 (Wikipedia/social-media domains, Wojood tags acting countries as
            ``ORG`` and splits some clitics), see the model card.
        silver: machine-tagged training files (self-training: unlabelled news tagged by the
            ensemble, written by ``scripts/ner/silver.py``).
        dev_fraction: the last fraction of ANERcorp held out for scoring (0 trains on all of it).
    """
    from arabnews_nlp.entities.model import build_pipeline

    recipe = recipe or CRFRecipe()
    started = time.perf_counter()
    train, dev = load_corpora(shared_dir, dev_fraction=dev_fraction, extra=extra)
    silver_sentences = [s for path in silver for s in read_conll(path)]
    train += silver_sentences
    with tempfile.TemporaryDirectory() as tmp:
        component_dir = Path(tmp)
        _, settings = fit_crf(train, shared_dir, component_dir, recipe)
        settings = {
            "extra": list(extra),
            "silver_sentences": len(silver_sentences),
            "dev_fraction": dev_fraction,
            **settings,
        }
        nlp = build_pipeline(component_dir)
        scores = entity_scores([s.tags for s in dev], predict_tags(nlp, dev)) if dev else {}
        # Save a fresh pipeline: the scored one has every dev word in its string store.
        nlp = build_pipeline(component_dir)
        nlp.meta["performance"] = {"dev": scores}
        nlp.meta["arabnews_training"] = settings
        nlp.meta["sources"] = _sources(
            extra,
            recipe.clusters is not None,
            recipe.lexicons,
            recipe.organisations,
            org_names=bool(recipe.org_names),
        )
        if silver_sentences:
            nlp.meta["sources"].append(SILVER_SOURCE)
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
    recipe: CRFRecipe | None = None,
) -> tuple[CRFTagger, dict[str, Any]]:
    """Train a CRF on ``train`` (ministries retagged in place when the recipe says so) and write
    its model and tables into ``component_dir``; returns the tagger and the settings recorded in
    the model's ``meta.json`` (the recipe as applied: the clusters' file name, the number of
    retagged ministries)."""
    r = recipe or CRFRecipe()
    extractor = FeatureExtractor(
        clusters=ClusterTable.load(r.clusters) if r.clusters else None,
        lexicons=(
            build_lexicons(shared_dir, organisations=r.organisations, org_names=r.org_names)
            if r.lexicons
            else None
        ),
        window=r.window,
        near_window=r.near_window,
        cluster_bigrams=r.cluster_bigrams,
        head_phrase=r.head_phrase,
        stemmer=r.stemmer,
        org_phrases=r.lexicons and r.org_names in ("phrase", "both"),
    )
    retagged = 0
    if r.ministries:
        lists = extractor.lexicons.lists if extractor.lexicons is not None else {}
        retagged = tag_ministries(train, lists.get("nisba", ()))
    settings = {
        "clusters": Path(r.clusters).name if r.clusters else None,
        "lexicons": r.lexicons,
        "organisations": r.lexicons and r.organisations,
        **({"org_names": r.org_names} if r.lexicons and r.org_names else {}),
        "ministries_tagged": retagged,
        "c1": r.c1,
        "c2": r.c2,
        "max_iterations": r.max_iterations,
        **extractor.config(),
    }
    logger.info("training on %d sentences, settings %s", len(train), settings)
    tagger = CRFTagger(extractor, c1=r.c1, c2=r.c2, max_iterations=r.max_iterations)
    tagger.fit(train, component_dir / MODEL_FILE)
    tagger.save_tables(component_dir)
    return tagger, settings


#: How ``meta.json`` names machine-tagged training data (see the model card).
SILVER_SOURCE = {
    "name": "Unlabelled news (egy-news-2013) tagged by the CRF + neural ensemble (self-training)",
    "license": "derived tags and weights only; the text is not shipped",
}


def _sources(
    extra: Sequence[str],
    clusters: bool,
    lexicons: bool,
    organisations: bool = False,
    *,
    org_names: bool = False,
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
    if lexicons and org_names:
        sources.append(
            {
                "name": "organisation names written for arabnews-nlp (organisations.tsv)",
                "license": "MIT",
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
