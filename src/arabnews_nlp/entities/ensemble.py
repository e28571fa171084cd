"""An ensemble of entity taggers: their per-token marginals averaged, then a valid IOB2 path.

The CRF (hand-written features, name lists, clusters) and the neural tagger (subword vectors,
char CNN, BiLSTM) make different mistakes: averaging what each believes about every token and
decoding the best valid path of that average (:func:`~arabnews_nlp.entities.crossval.
constrained_tags`) keeps what both see and lets the more confident one decide elsewhere.

Example:
    >>> from arabnews_nlp.entities.crf import DEFAULT_COMPONENT_DIR, CRFTagger
    >>> crf = CRFTagger.from_directory(DEFAULT_COMPONENT_DIR)
    >>> EnsembleTagger([crf, crf]).tag([["زار", "ماكرون", "بيروت", "."]])
    [['O', 'B-PER', 'B-LOC', 'O']]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from arabnews_nlp.entities.crossval import TAG_SET
from arabnews_nlp.entities.linear_chain import Decoded, constrained_decode

__all__ = ["EnsembleTagger"]


class EnsembleTagger:
    """Averages the marginals of several taggers (anything with ``labels`` and ``marginals``).

    Args:
        taggers: The members.
        weights: Their weights (equal by default).
    """

    labels: tuple[str, ...] = TAG_SET

    def __init__(self, taggers: Sequence[Any], weights: Sequence[float] | None = None) -> None:
        self.taggers = list(taggers)
        self.weights = np.asarray(weights if weights is not None else [1.0] * len(self.taggers))
        self.weights = self.weights / self.weights.sum()

    def marginals(self, sentences: Sequence[Sequence[str]]) -> list[np.ndarray]:
        """Per sentence, the weighted mean of the members' marginals (columns in TAG_SET order)."""
        total: list[np.ndarray] = [np.zeros((len(s), len(TAG_SET))) for s in sentences]
        for tagger, weight in zip(self.taggers, self.weights, strict=True):
            order = [list(tagger.labels).index(t) for t in TAG_SET]
            for out, m in zip(total, tagger.marginals(sentences), strict=True):
                out += weight * m[:, order]
        return total

    def decode(self, sentences: Sequence[Sequence[str]]) -> list[Decoded]:
        """The valid path of highest summed log mean-marginal, with each tag's mean marginal."""
        return constrained_decode(self.marginals(sentences), TAG_SET)

    def tag(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """IOB2 tags of each sentence."""
        return [[TAG_SET[i] for i in d.labels.tolist()] for d in self.decode(sentences)]
