"""State scores of a CRF's tokens, computed from word-type tables instead of feature strings.

The tagger's features (:mod:`.features`) are strings: what a word type says about itself and
about its window neighbours, plus bigrams and head phrases that depend on a token's
neighbours. Decoding only needs their summed weights per label, so :class:`EmissionTable` keeps,
per word type, those sums as vectors; a batch of sentences is then scored with array lookups,
and the pair features with one sorted-array search per batch.

Example:
    >>> from arabnews_nlp.entities.crf import DEFAULT_COMPONENT_DIR, CRFTagger
    >>> table = CRFTagger.from_directory(DEFAULT_COMPONENT_DIR).emissions_
    >>> [e.shape for e in table.emissions([["زار", "ماكرون", "بيروت"], ["."]])]
    [(3, 9), (1, 9)]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import scipy.sparse as sp

from arabnews_nlp.entities.features import WORD_TYPES_KEPT, FeatureExtractor, TokenFeatures
from arabnews_nlp.entities.linear_chain import CRFWeights

__all__ = ["EmissionTable"]


class EmissionTable:
    """State scores of word types: what a token adds to each label, summed once per type.

    For every surface form the extractor's cached feature strings (its own, and what it gives
    each window neighbour) become label-score vectors on first sight; a sentence's state
    scores are then array lookups plus the few context features (bigrams, head phrases).

    Args:
        extractor: The feature extractor (restricted to the model's attributes).
        weights: The model's weights.
        limit: Word types kept before the table starts afresh (bounds memory on a long
            stream; default :data:`~arabnews_nlp.entities.features.WORD_TYPES_KEPT`).
    """

    def __init__(
        self, extractor: FeatureExtractor, weights: CRFWeights, limit: int = WORD_TYPES_KEPT
    ) -> None:
        self.extractor = extractor
        self.weights = weights
        self.limit = limit
        self._offsets = extractor.offsets
        self._window = max((abs(o) for o in self._offsets), default=0)
        self._pairs = [
            _PairScores(kind, field, extractor, weights) for kind, field in extractor.pair_kinds
        ]
        self._reset()

    def _reset(self) -> None:
        self._rows: dict[str, int] = {}
        # Per row, what the head phrases need of the type (its kind), not its feature strings:
        # those are summed into the rows' vectors and dropped (~2 KB a type).
        self._kinds: list[TokenFeatures] = []
        # Per row, the form and phrase start of the type (known organisation names).
        self._norms: list[str] = []
        self._starts: list[str | None] = []
        # Per row: the type's own score, then what it gives each window slot; whether it is
        # an organisation head noun (head phrases); its form id in each kind of pair feature.
        self._vectors = np.zeros((1024, 1 + len(self._offsets), self.weights.n_labels))
        self._is_head = np.zeros(1024, dtype=bool)
        self._is_start = np.zeros(1024, dtype=bool)
        self._forms = np.zeros((1024, len(self._pairs)), dtype=np.int64)
        self._add([self.extractor.edge])  # row 0 pads every sentence

    def _add(self, parts: list[TokenFeatures]) -> None:
        """Append the rows of new word types (score vectors all in one sparse product)."""
        first, n_slots = len(self._kinds), self._vectors.shape[1]
        while first + len(parts) > len(self._vectors):  # grow by doubling
            self._vectors, self._is_head, self._is_start, self._forms = (
                np.concatenate([a, np.zeros_like(a)])
                for a in (self._vectors, self._is_head, self._is_start, self._forms)
            )
        ids = self.weights.attribute_ids
        segment: list[int] = []
        attribute: list[int] = []
        for j, part in enumerate(parts):
            for k, features in enumerate((part.own, *part.given)):
                segment += [j * n_slots + k] * len(features)
                attribute += [ids[f] for f in features]  # the extractor keeps known ones only
        incidence = sp.csr_matrix(
            (np.ones(len(segment)), (segment, attribute)),
            shape=(len(parts) * n_slots, len(self.weights.attributes)),
        )
        vectors = np.asarray(incidence @ self.weights.state)
        new = slice(first, first + len(parts))
        self._vectors[new] = vectors.reshape(len(parts), n_slots, -1)
        self._is_head[new] = [p.is_head for p in parts]
        self._is_start[new] = [p.start is not None for p in parts]
        if self.extractor.org_phrases:
            self._norms += [p.norm for p in parts]
            self._starts += [p.start for p in parts]
        for k, pairs in enumerate(self._pairs):
            self._forms[new, k] = [pairs.form_of(p) for p in parts]
        self._kinds += [_kind_only(p) for p in parts]

    def _ids(self, tokens: Sequence[str]) -> list[int]:
        rows = self._rows
        new = [t for t in dict.fromkeys(tokens) if t not in rows]
        if new:
            rows.update((t, len(self._kinds) + j) for j, t in enumerate(new))
            self._add([self.extractor.token_features(t, cache=False) for t in new])
        return [rows[t] for t in tokens]

    def emissions(self, sentences: Sequence[Sequence[str]]) -> list[np.ndarray]:
        """One ``(n_tokens, n_labels)`` state-score array per sentence."""
        if len(self._rows) > self.limit:
            self._reset()
        rows = np.asarray(self._ids([t for tokens in sentences for t in tokens]), dtype=np.int64)
        lengths = np.array([len(t) for t in sentences], dtype=np.int64)
        w = self._window
        # Every sentence in one array of rows with ``w`` edge rows (row 0) around each, so a
        # window lookup never leaves its sentence's padding.
        sentence = np.repeat(np.arange(len(lengths)), lengths)
        positions = np.arange(len(rows)) + w * (sentence + 1)
        flat = np.zeros(len(rows) + w * (len(lengths) + 1), dtype=np.int64)
        flat[positions] = rows
        scores = self._vectors[rows, 0]
        for k, offset in enumerate(self._offsets, start=1):
            scores += self._vectors[flat[positions + offset], k]
        # Pairs of neighbours inside one sentence.
        linked = np.flatnonzero(sentence[1:] == sentence[:-1])
        for k, pairs in enumerate(self._pairs):
            forms = self._forms[rows, k]
            pairs.score(forms[linked], forms[linked + 1], linked, scores)
        bounds = np.cumsum([0, *lengths.tolist()])
        if self.extractor.head_phrase:
            self._add_head_phrases(rows, np.unique(sentence[self._is_head[rows]]), bounds, scores)
        if self.extractor.org_phrases:
            self._add_org_phrases(rows, np.unique(sentence[self._is_start[rows]]), bounds, scores)
        return [scores[bounds[i] : bounds[i + 1]] for i in range(len(lengths))]

    def _add_head_phrases(
        self, rows: np.ndarray, with_head: np.ndarray, bounds: np.ndarray, scores: np.ndarray
    ) -> None:
        """Head-phrase features of the sentences ``with_head`` (an organisation head noun)."""

        def add(found: list[int], out: list[list[str]]) -> None:
            self.extractor.add_head_phrase([self._kinds[r] for r in found], out)

        self._add_context(rows, with_head, bounds, scores, add)

    def _add_org_phrases(
        self, rows: np.ndarray, with_start: np.ndarray, bounds: np.ndarray, scores: np.ndarray
    ) -> None:
        """Known-name features of the sentences ``with_start`` (a word that opens a name)."""

        def add(found: list[int], out: list[list[str]]) -> None:
            norms, starts = [self._norms[r] for r in found], [self._starts[r] for r in found]
            self.extractor.add_org_phrases(norms, starts, out)

        self._add_context(rows, with_start, bounds, scores, add)

    def _add_context(
        self,
        rows: np.ndarray,
        sentences: np.ndarray,
        bounds: np.ndarray,
        scores: np.ndarray,
        add: Callable[[list[int], list[list[str]]], None],
    ) -> None:
        """Add to ``scores`` the weights of the features ``add`` appends, per token, for the
        rows of each of ``sentences``."""
        ids = self.weights.attribute_ids
        token_index: list[int] = []
        attribute: list[int] = []
        for s in sentences.tolist():
            lo, hi = int(bounds[s]), int(bounds[s + 1])
            out: list[list[str]] = [[] for _ in range(hi - lo)]
            add(rows[lo:hi].tolist(), out)
            for i, features in enumerate(out, start=lo):
                token_index += [i] * len(features)
                attribute += [ids[f] for f in features]
        if token_index:
            np.add.at(scores, np.asarray(token_index), self.weights.state[attribute])


_KINDS: dict[str, TokenFeatures] = {}


def _kind_only(part: TokenFeatures) -> TokenFeatures:
    """A word type reduced to its head-phrase kind (all :meth:`add_head_phrase` reads); one
    shared object per kind."""
    kind = part.kind
    found = _KINDS.get(kind)
    if found is None:
        found = TokenFeatures([], (), "", "", kind)
        if not part.is_head:  # "adj", "def", "other", "punct": shared by every type
            _KINDS[kind] = found
    return found


class _PairScores:
    """The scores of one kind of pair feature (``bi-=a|b`` on ``b``, ``bi+=a|b`` on ``a``).

    Forms that occur in a known pair get a small integer id; a pair of neighbours is then a
    code ``id(a) * n + id(b)`` looked up in sorted arrays of the known codes, for a whole batch
    at once.
    """

    def __init__(self, kind: str, field: str, extractor: FeatureExtractor, weights: CRFWeights):
        self.field = field
        minus, plus = extractor.known_pairs(kind)
        forms = sorted({form for table in (minus, plus) for pair in table for form in pair})
        self.form_ids = {form: i for i, form in enumerate(forms)}
        self.n = max(len(forms), 1)
        ids = weights.attribute_ids
        self.state = weights.state
        self.tables = [self._table(t, ids) for t in (minus, plus)]

    def _table(
        self, pairs: dict[tuple[str, str], str], ids: dict[str, int]
    ) -> tuple[np.ndarray, np.ndarray]:
        codes = np.array(
            [self.form_ids[a] * self.n + self.form_ids[b] for a, b in pairs], dtype=np.int64
        )
        attributes = np.array([ids[attr] for attr in pairs.values()], dtype=np.int64)
        order = np.argsort(codes, kind="stable")
        return codes[order], attributes[order]

    def form_of(self, part: TokenFeatures) -> int:
        """The id of a word type's form in the known pairs (-1: in none)."""
        return self.form_ids.get(getattr(part, self.field), -1)

    def score(
        self, left: np.ndarray, right: np.ndarray, linked: np.ndarray, scores: np.ndarray
    ) -> None:
        """Add the pair features of neighbours to ``scores``: ``linked`` are the left tokens'
        positions, ``left`` and ``right`` the two tokens' form ids."""
        keep = (left >= 0) & (right >= 0)
        linked, codes = linked[keep], left[keep] * self.n + right[keep]
        # The right token gets "-" features, the left one "+" features.
        for (known, attributes), target in zip(self.tables, (linked + 1, linked), strict=True):
            if not len(known):
                continue
            at = np.minimum(np.searchsorted(known, codes), len(known) - 1)
            hit = known[at] == codes
            if hit.any():
                np.add.at(scores, target[hit], self.state[attributes[at[hit]]])
