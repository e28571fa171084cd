"""The settings of a CRF training run, as one frozen object: the same recipe drives
:func:`~arabnews_nlp.entities.train.train_ner`, :func:`~arabnews_nlp.entities.train.fit_crf`,
the cross-validation script and ``arabnews train ner``.

The defaults are the shipped model's recipe except for the word clusters: those need a table
(:meth:`CRFRecipe.shipped` names the shipped one). Which sentences are trained on (the dev
split, extra corpora) is not part of the recipe: that is the caller's data.

Example:
    >>> from arabnews_nlp.entities.recipe import CRFRecipe
    >>> recipe = CRFRecipe(c1=0.05, max_iterations=60)
    >>> recipe.c1, recipe.c2, recipe.max_iterations, recipe.clusters
    (0.05, 0.01, 60, None)
    >>> CRFRecipe.shipped().clusters.name
    'clusters.tsv.gz'
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from arabnews_nlp.entities.constants import DEFAULT_COMPONENT_DIR

__all__ = ["DEFAULT_DEV_FRACTION", "CRFRecipe"]

#: The last fraction of ANERcorp's training file held out as the dev split.
DEFAULT_DEV_FRACTION = 0.1


@dataclass(frozen=True)
class CRFRecipe:
    """How a CRF entity tagger is trained: its name-list features, its feature window and its
    regularization.

    Attributes:
        clusters: a ``clusters.tsv.gz`` from ``scripts/ner/build_clusters.py``; ``None`` trains
            without cluster features.
        lexicons: use the gazetteer name lists (``../shared/data/gazetteers``) as features.
        organisations: include the organisation lists (head nouns, nationality adjectives,
            sports organisations) in the name lists.
        ministries: tag ministry names ("وزارة الدفاع الروسية") as ``ORG`` in the training
            sentences, which ANERcorp leaves untagged (see
            :func:`~arabnews_nlp.entities.data.tag_ministries`).
        c1, c2: the CRF's L1 and L2 regularization.
        max_iterations: L-BFGS iterations.
        window, near_window, cluster_bigrams, head_phrase, stemmer: feature settings (see
            :class:`~arabnews_nlp.entities.features.FeatureExtractor`).
        org_names: the hand-written organisation list as name-list words (``"words"``) or as
            whole names with the ``org_phrases`` feature (``"phrase"``), or ``"both"``; ``""``:
            not used (see
            :func:`~arabnews_nlp.entities.lexicons.build_lexicons`).
    """

    clusters: str | Path | None = None
    lexicons: bool = True
    organisations: bool = True
    ministries: bool = True
    c1: float = 0.03
    c2: float = 0.01
    max_iterations: int = 200
    window: int = 2
    near_window: int = 2
    cluster_bigrams: bool = True
    head_phrase: bool = True
    stemmer: str = "shared"
    org_names: str = "both"

    @classmethod
    def shipped(cls) -> CRFRecipe:
        """The recipe of the shipped model: the defaults with the shipped word-cluster table."""
        # The file name is the tagger's (crf.py, which loads pycrfsuite): only asked when training.
        from arabnews_nlp.entities.crf import CLUSTERS_FILE

        return cls(clusters=DEFAULT_COMPONENT_DIR / CLUSTERS_FILE)
