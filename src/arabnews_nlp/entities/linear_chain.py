"""Linear-chain CRF inference in numpy, from a crfsuite model file.

crfsuite (through python-crfsuite) trains the entity tagger; tagging runs here instead. Its
``Tagger`` takes one sentence at a time as lists of feature strings, so a news article costs a
few hundred Python-to-C++ calls and thousands of string conversions. Here every word type's
feature weights are summed once (see :class:`~arabnews_nlp.entities.emissions.EmissionTable`), and
Viterbi decoding and forward-backward marginals run over all the sentences of a batch at once,
sentences of similar length side by side.

The arithmetic is crfsuite's CRF1d: the state score of a label is the sum of the weights of the
token's attributes for it, a path scores its state scores plus the transition weights between
consecutive labels, Viterbi keeps the first best predecessor on ties, and a marginal is
``P(y_t = label | sentence)``. Only the order of floating-point additions differs; the tests
compare tags and marginals with crfsuite's own tagger.

Example:
    >>> w = CRFWeights.read(DEFAULT_MODEL_FILE)
    >>> w.labels[:2], w.state.shape[1] == len(w.labels) == w.transitions.shape[0]
    (('O', 'B-ORG'), True)
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from arabnews_nlp.entities.constants import DEFAULT_COMPONENT_DIR

__all__ = [
    "DEFAULT_MODEL_FILE",
    "FORBIDDEN",
    "CRFWeights",
    "Decoded",
    "constrained_decode",
    "decode",
    "forbidden_transitions",
    "length_groups",
    "posteriors",
    "read_cqdb_keys",
]

DEFAULT_MODEL_FILE = DEFAULT_COMPONENT_DIR / "crf.model"
#: Sentences decoded side by side: longer groups waste less Python time per step, but pad
#: more when lengths differ.
GROUP_SIZE = 256

# crfsuite's CRF1d file: magic, size, type, version, #features, #labels, #attributes, then the
# offsets of the feature chunk, the label and attribute CQDBs and the two reference chunks.
_HEADER = struct.Struct("<4sI4sIIIIIIIII")
_FEATURE = np.dtype([("type", "<u4"), ("src", "<u4"), ("dst", "<u4"), ("weight", "<f8")])
_STATE, _TRANSITION = 0, 1
#: The score of a forbidden transition: low enough that no path takes it, finite so that
#: ``exp`` of it is 0 without warnings and sums stay finite.
FORBIDDEN = -1e4


def read_cqdb_keys(buf: bytes, base: int) -> list[str]:
    """The strings of a crfsuite CQDB (constant quark database) at ``base``, by id."""
    if buf[base : base + 4] != b"CQDB":
        raise ValueError("no CQDB where the model header points")
    bwd_size, bwd_offset = struct.unpack_from("<II", buf, base + 16)
    keys = []
    for offset in struct.unpack_from(f"<{bwd_size}I", buf, base + bwd_offset):
        if not offset:  # ids are dense in models crfsuite writes
            raise ValueError("CQDB with a hole in its ids")
        (size,) = struct.unpack_from("<I", buf, base + offset + 4)  # record: id, size, key\0
        keys.append(buf[base + offset + 8 : base + offset + 7 + size].decode("utf-8"))
    return keys


@dataclass(frozen=True)
class CRFWeights:
    """The learned weights of a crfsuite CRF1d model.

    Attributes:
        labels: Label strings, by label id.
        attributes: Attribute (feature) strings, by attribute id.
        state: ``(n_attributes, n_labels)`` weight of each attribute for each label.
        transitions: ``(n_labels, n_labels)`` weight of label ``i`` followed by label ``j``.
    """

    labels: tuple[str, ...]
    attributes: tuple[str, ...]
    state: np.ndarray
    transitions: np.ndarray

    @classmethod
    def read(cls, path: str | Path) -> CRFWeights:
        """Read a model file written by crfsuite's trainer (no crfsuite call)."""
        buf = Path(path).read_bytes()
        if len(buf) < _HEADER.size or buf[:4] != b"lCRF" or buf[8:12] != b"FOMC":
            raise ValueError(f"not a crfsuite CRF1d model: {path}")
        header = _HEADER.unpack_from(buf, 0)
        n_labels, n_attrs, off_features, off_labels, off_attrs = header[5:10]
        if buf[off_features : off_features + 4] != b"FEAT":
            raise ValueError(f"no feature chunk where expected in {path}")
        (n_features,) = struct.unpack_from("<I", buf, off_features + 8)
        feats = np.frombuffer(buf, _FEATURE, n_features, off_features + 12)
        labels = read_cqdb_keys(buf, off_labels)
        attributes = read_cqdb_keys(buf, off_attrs)
        if len(labels) != n_labels or len(attributes) != n_attrs:
            raise ValueError(f"label or attribute table does not match the header in {path}")
        state = _summed(feats, _STATE, (n_attrs, n_labels))
        transitions = _summed(feats, _TRANSITION, (n_labels, n_labels))
        return cls(tuple(labels), tuple(attributes), state, transitions)

    @property
    def n_labels(self) -> int:
        """Number of labels."""
        return len(self.labels)

    @cached_property
    def attribute_ids(self) -> dict[str, int]:
        """Attribute string → attribute id."""
        return {a: i for i, a in enumerate(self.attributes)}


def _summed(feats: np.ndarray, kind: int, shape: tuple[int, int]) -> np.ndarray:
    """The weights of the features of one ``kind`` as a ``(src, dst)`` matrix."""
    chosen = feats[feats["type"] == kind]
    out = np.zeros(shape)
    np.add.at(out, (chosen["src"], chosen["dst"]), chosen["weight"])
    return out


@dataclass(frozen=True)
class Decoded:
    """The best label path of one sentence.

    Attributes:
        labels: Label ids, one per token (``CRFWeights.labels`` names them).
        confidence: The marginal probability of each token's label on that path.
    """

    labels: np.ndarray
    confidence: np.ndarray


def decode(
    emissions: Sequence[np.ndarray], transitions: np.ndarray, *, marginals: bool = True
) -> list[Decoded]:
    """Viterbi paths and their marginals for many sentences.

    Args:
        emissions: Per sentence a ``(n_tokens, n_labels)`` array of state scores.
        transitions: ``(n_labels, n_labels)`` transition weights.
        marginals: Compute each chosen label's marginal (forward-backward); without, the
            confidences are left empty (for a caller that has its own).

    Returns:
        One :class:`Decoded` per sentence, in order (empty arrays for an empty sentence).

    >>> t = np.zeros((2, 2))
    >>> [d.labels.tolist() for d in decode([np.array([[1.0, 0.0], [0.0, 2.0]])], t)]
    [[0, 1]]
    """
    out: list[Decoded | None] = [None] * len(emissions)
    exp_trans = np.exp(transitions)
    for group in length_groups([len(e) for e in emissions]):
        decoded = _decode_group([emissions[i] for i in group], transitions, exp_trans, marginals)
        for i, d in zip(group, decoded, strict=True):
            out[i] = d
    return out  # type: ignore[return-value]


def posteriors(emissions: Sequence[np.ndarray], transitions: np.ndarray) -> list[np.ndarray]:
    """Per-token marginal probabilities ``P(y_t = label | sentence)`` of many sentences.

    Args:
        emissions: Per sentence a ``(n_tokens, n_labels)`` array of state scores.
        transitions: ``(n_labels, n_labels)`` transition weights.

    Returns:
        Per sentence a ``(n_tokens, n_labels)`` array whose rows sum to 1.

    >>> p = posteriors([np.array([[0.0, 0.0]])], np.zeros((2, 2)))
    >>> p[0].tolist()
    [[0.5, 0.5]]
    """
    out: list[np.ndarray] = [np.zeros((0, transitions.shape[0]))] * len(emissions)
    exp_trans = np.exp(transitions)
    for group in length_groups([len(e) for e in emissions]):
        state, lengths = _stack([emissions[i] for i in group], transitions.shape[0])
        if state.shape[0] == 0:
            continue
        marginal = _forward_backward(state, lengths - 1, exp_trans)
        for k, i in enumerate(group):
            out[i] = marginal[: lengths[k], k].copy()
    return out


def forbidden_transitions(labels: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """``(transitions, start)`` scores that rule out invalid IOB2 paths.

    ``transitions[i, j]`` is :data:`FORBIDDEN` when label ``j`` cannot follow label ``i`` (an
    ``I-X`` after anything but ``B-X``/``I-X``), else 0; ``start[j]`` is :data:`FORBIDDEN` for
    ``I-`` labels (no sentence starts inside an entity).

    >>> t, s = forbidden_transitions(["O", "B-PER", "I-PER"])
    >>> (t < 0).astype(int).tolist(), (s < 0).astype(int).tolist()
    ([[0, 0, 1], [0, 0, 0], [0, 0, 0]], [0, 0, 1])
    """
    n = len(labels)
    transitions = np.zeros((n, n))
    start = np.zeros(n)
    for j, to in enumerate(labels):
        if not to.startswith("I-"):
            continue
        start[j] = FORBIDDEN
        for i, frm in enumerate(labels):
            if frm[2:] != to[2:] or frm == "O":
                transitions[i, j] = FORBIDDEN
    return transitions, start


def constrained_decode(marginals: Sequence[np.ndarray], labels: Sequence[str]) -> list[Decoded]:
    """The valid IOB2 path of highest summed log-probability under per-token probabilities
    (``(tokens, labels)`` per sentence), with each chosen tag's probability.

    >>> p = np.array([[0.4, 0.0, 0.6], [0.1, 0.1, 0.8]])  # an I- may not start a sentence
    >>> [d.labels.tolist() for d in constrained_decode([p], ["O", "B-PER", "I-PER"])]
    [[0, 0]]
    """
    transitions, start = forbidden_transitions(labels)
    bounds = np.cumsum([0, *map(len, marginals)]).tolist()
    # One log over every sentence's tokens (the empty array keeps concatenate happy with none).
    flat = np.log(np.clip(np.concatenate([*marginals, np.zeros((0, len(labels)))]), 1e-12, None))
    scores = [flat[bounds[k] : bounds[k + 1]] for k in range(len(marginals))]
    for s in scores:
        if len(s):
            s[0] += start
    return [
        Decoded(d.labels, p[np.arange(len(p)), d.labels])
        for d, p in zip(decode(scores, transitions, marginals=False), marginals, strict=True)
    ]


def _stack(emissions: list[np.ndarray], n_labels: int) -> tuple[np.ndarray, np.ndarray]:
    """``(state, lengths)``: the sentences' scores as one ``(steps, sentence, label)`` array."""
    lengths = np.array([len(e) for e in emissions], dtype=np.intp)
    state = np.zeros((int(lengths.max(initial=0)), len(emissions), n_labels))
    for i, e in enumerate(emissions):
        state[: len(e), i] = e
    return state, lengths


def _forward_backward(state: np.ndarray, last: np.ndarray, exp_trans: np.ndarray) -> np.ndarray:
    """Marginals ``(steps, sentence, label)`` of stacked sentences ending at ``last``."""
    # Each step rescaled to sum 1: marginals are per-position ratios, so the scale factors
    # cancel and nothing overflows.
    # In place, with the ufuncs called directly: the arrays are small, so a step costs what
    # its calls cost (the values are those of the plain expressions, in the same order).
    steps = state.shape[0]
    total = np.add.reduce
    exp_state = np.exp(state - state.max(axis=2, keepdims=True))
    alpha = np.empty_like(state)
    alpha[0] = exp_state[0] / total(exp_state[0], axis=1, keepdims=True)
    for t in range(1, steps):
        a = np.matmul(alpha[t - 1], exp_trans, out=alpha[t])
        a *= exp_state[t]
        a /= total(a, axis=1, keepdims=True)
    beta = np.empty_like(state)
    beta[steps - 1] = 1.0
    backward = exp_trans.T
    ended = (np.arange(steps)[:, None] >= last[None, :])[:, :, None]
    for t in range(steps - 2, -1, -1):
        b = np.matmul(exp_state[t + 1] * beta[t + 1], backward)
        b /= total(b, axis=1, keepdims=True)
        # A sentence's own last token starts its backward pass.
        np.copyto(beta[t], np.where(ended[t], 1.0, b))
    joint = alpha * beta
    return joint / total(joint, axis=2, keepdims=True)


def length_groups(lengths: list[int], size: int = GROUP_SIZE) -> list[list[int]]:
    """Sentence indices grouped by similar length, at most ``size`` per group: a group runs as
    many steps as its longest sentence, so padding is bounded by doubling the length at most."""
    groups: list[list[int]] = []
    shortest = -1
    for i in sorted(range(len(lengths)), key=lengths.__getitem__):
        if not groups or len(groups[-1]) >= size or lengths[i] > 2 * shortest:
            groups.append([])
            shortest = lengths[i]
        groups[-1].append(i)
    return groups


def _decode_group(
    emissions: list[np.ndarray], transitions: np.ndarray, exp_trans: np.ndarray, marginals: bool
) -> list[Decoded]:
    state, lengths = _stack(emissions, transitions.shape[0])
    n, steps = len(emissions), state.shape[0]
    if steps == 0:
        empty = Decoded(np.zeros(0, dtype=np.int64), np.zeros(0))
        return [empty] * n
    rows = np.arange(n)
    last = lengths - 1

    # Viterbi: the best score of a path ending in each label, and its best predecessor. The
    # arrays are (sentence, to, from) so the reductions run over contiguous memory.
    back = np.zeros(state.shape, dtype=np.intp)
    scores = np.empty_like(state)
    scores[0] = state[0]
    to_from = transitions.T[None]
    candidates = np.empty((n, *transitions.shape))
    for t in range(1, steps):
        np.add(scores[t - 1][:, None, :], to_from, out=candidates)
        np.argmax(candidates, axis=2, out=back[t])  # the first maximum, as crfsuite
        np.maximum.reduce(candidates, axis=2, out=scores[t])  # its value
        scores[t] += state[t]
    path = np.zeros((steps, n), dtype=np.intp)
    current = scores[last, rows].argmax(axis=1)  # each sentence's best final label
    for t in range(steps - 1, -1, -1):
        active = t <= last
        path[t] = np.where(active, current, 0)
        if t:
            current = np.where(t <= last, back[t, rows, current], current)

    if not marginals:
        return [Decoded(path[: lengths[i], i].copy(), np.zeros(0)) for i in range(n)]
    marginal = _forward_backward(state, last, exp_trans)
    chosen = np.take_along_axis(marginal, path[:, :, None], axis=2)[:, :, 0]
    return [Decoded(path[: lengths[i], i].copy(), chosen[: lengths[i], i].copy()) for i in range(n)]
