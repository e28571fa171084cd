"""The neural tagger's forward pass at inference: lookup-table char CNN, packed BiLSTM.

:mod:`.neural` defines the network and runs it the plain way (padded batches,
:func:`emission_scores`); this module runs the same arithmetic
faster, and :class:`~arabnews_nlp.entities.neural.NeuralTagger` uses it:

* **Char CNN by lookup.** A width-3 convolution over character embeddings is, at each letter,
  the sum of three vectors that depend on one character each (``char_emb @ conv_w`` cut in
  three): :class:`CharConv` keeps those three tables, so a word type's encoding is three row
  lookups per letter instead of a matrix product over padded windows, and only real letters
  are computed.
* **Packed BiLSTM.** The padded loop runs every sentence of a batch as many steps as the
  longest, so sentences must be grouped by length. Here the sentences of a whole chunk run
  together without padding, as PyTorch's packed sequences do: sorted longest first, step ``t``
  updates only the sentences that still have a token ``t`` (a prefix of the rows), and the
  forward and backward directions are one ``(2, rows, …)`` array: a step is one stacked matrix
  product and a dozen in-place element-wise operations.

Everything runs in float64 with the plain path's operations in its order; only sums may be
grouped differently (BLAS blocks a product by its number of rows, the convolution is summed
by thirds), a drift of ~1e-16 that the tagger's rounding of its scores hides.
``tests/test_ner_neural_infer.py`` compares both paths on real text.

Example:
    >>> plan = Packing([3, 1, 2])
    >>> plan.order.tolist(), plan.active.tolist()  # sentences longest first; rows per step
    ([0, 2, 1], [3, 2, 1])
    >>> plan.forward.tolist(), plan.backward.tolist()  # flat token index of each packed slot
    ([0, 4, 3, 1, 5, 2], [2, 5, 3, 1, 4, 0])
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = ["CharConv", "Packing", "packed_bilstm", "packed_emissions"]


class CharConv:
    """The char CNN of :func:`~arabnews_nlp.entities.neural.char_features` as lookup tables.

    Args:
        char_emb: ``(chars, dim)`` character embeddings (id 0 is padding).
        conv_w: ``(3 * dim, filters)`` convolution over (previous, this, next) letter.
        conv_b: ``(filters,)`` its bias.
    """

    def __init__(self, char_emb: np.ndarray, conv_w: np.ndarray, conv_b: np.ndarray) -> None:
        dim = char_emb.shape[1]
        zero = np.zeros((1, conv_w.shape[1]), dtype=char_emb.dtype)
        # Per window position, what each character adds; the extra last row (id -1) stands
        # for the zeros beyond the 16 letters read.
        self.tables = [
            np.concatenate([char_emb @ conv_w[k * dim : (k + 1) * dim], zero]) for k in range(3)
        ]
        self.bias = conv_b

    def __call__(self, chars: np.ndarray) -> np.ndarray:
        """``(types, filters)`` encodings of ``(types, letters)`` char ids (0 after the word):
        ReLU of the convolution at each letter of the word, max over the letters."""
        n = len(chars)
        outside = np.full((n, 1), -1, dtype=chars.dtype)
        before = np.concatenate([outside, chars[:, :-1]], axis=1)
        after = np.concatenate([chars[:, 1:], outside], axis=1)
        real = chars > 0
        lengths = real.sum(axis=1)
        # Letters only: padding positions give 0 after the ReLU mask, which never beats the
        # max of the (non-negative) letters; a padding neighbour still adds its own row.
        previous, current, following = self.tables
        conv = previous[before[real]] + current[chars[real]] + following[after[real]]
        conv += self.bias
        np.maximum(conv, 0.0, out=conv)
        out = np.zeros((n, conv.shape[1]), dtype=conv.dtype)
        has = lengths > 0
        if has.any():
            starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
            out[has] = np.maximum.reduceat(conv, starts[has], axis=0)
        return out


class Packing:
    """Where each token of a list of sentences sits in the packed, time-major layout.

    Tokens are numbered as in the sentences concatenated (``flat``). Slot ``offsets[t] + r`` of
    the packed layout holds, in the forward direction, token ``t`` of the ``r``-th longest
    sentence, and in the backward direction its token ``length - 1 - t``.

    Args:
        lengths: Tokens per sentence (each at least 1).
    """

    def __init__(self, lengths: Sequence[int]) -> None:
        sizes = np.asarray(lengths, dtype=np.intp)
        if len(sizes) and sizes.min() < 1:
            raise ValueError("every sentence needs at least one token")
        #: Sentence indices, longest first (ties in input order).
        self.order = np.argsort(-sizes, kind="stable")
        steps = int(sizes.max(initial=0))
        #: Rows active at each step (non-increasing).
        self.active = (sizes[None, :] > np.arange(steps)[:, None]).sum(axis=1)
        #: Start of each step's rows in the packed layout.
        self.offsets = np.concatenate([[0], np.cumsum(self.active)])
        starts = np.concatenate([[0], np.cumsum(sizes)])[self.order]
        ordered = sizes[self.order]
        # A (step, row) grid of flat token indices; the active slots, read step by step, are
        # the packed layout (the active rows of a step are a prefix: sentences longest first).
        t = np.arange(steps)[:, None]
        live = t < ordered[None, :]
        #: Flat token index of each packed slot, forward and backward.
        self.forward = (starts[None, :] + t)[live]
        self.backward = (starts[None, :] + ordered[None, :] - 1 - t)[live]

    @property
    def steps(self) -> int:
        """Steps of the recurrence (the longest sentence's tokens)."""
        return len(self.active)


def packed_bilstm(
    table: np.ndarray, rows: np.ndarray, w_hh: np.ndarray, plan: Packing
) -> np.ndarray:
    """Both LSTM directions over the input projections of packed tokens.

    Args:
        table: ``(types, 2 * 4 * hidden)`` input projections of word types (float32 or
            float64; added in float64), the forward direction's then the backward one's,
            gate columns (i, f, g, o) scaled by
            :func:`~arabnews_nlp.entities.neural.gate_scale`.
        rows: ``(2, slots)`` the ``table`` row of each packed slot, per direction.
        w_hh: ``(2, hidden, 4 * hidden)`` recurrent weights, scaled the same way.
        plan: The packing.

    Returns:
        ``(2, slots, hidden)`` float64 hidden states in ``plan``'s packed layout.
    """
    hidden = w_hh.shape[1]
    # One row per (type, direction): the gather of a step reads a contiguous table.
    halves = np.ascontiguousarray(table).reshape(-1, 4 * hidden)
    # Step by step, the forward rows then the backward rows: slot s of step t (which starts
    # at offsets[t] and has active[t] rows) goes to offsets[t] + s, and to
    # offsets[t] + s + active[t] for the backward direction.
    step = np.repeat(np.arange(plan.steps), plan.active)
    where = plan.offsets[step] + np.arange(rows.shape[1])
    wanted = np.empty(2 * rows.shape[1], dtype=np.intp)
    wanted[where] = 2 * rows[0]
    wanted[where + plan.active[step]] = 2 * rows[1] + 1
    width = int(plan.active[0]) if plan.steps else 0
    out = np.empty((2, rows.shape[1], hidden))
    z = np.empty((2, width, 4 * hidden))
    c = np.zeros((2, width, hidden))
    x = np.empty((2 * width, 4 * hidden), dtype=table.dtype)
    offsets, active = plan.offsets.tolist(), plan.active.tolist()
    for t, n in enumerate(active):
        lo = offsets[t]
        zt = z[:, :n]
        xt = np.take(halves, wanted[2 * lo : 2 * (lo + n)], axis=0, out=x[: 2 * n])
        xt = xt.reshape(2, n, 4 * hidden)
        if t:
            # The rows still active are a prefix of the previous step's.
            before = offsets[t - 1]
            np.matmul(out[:, before : before + n], w_hh, out=zt)
            zt += xt
        else:
            zt[...] = xt  # h = 0: h @ w_hh would add exact zeros
        np.tanh(zt, out=zt)
        i, f, g, o = (zt[..., k * hidden : (k + 1) * hidden] for k in range(4))
        ct = c[:, :n]
        # c = 0.5 * ((f + 1) * c + (i + 1) * g): lstm_direction's operations, in its order.
        f += 1.0
        f *= ct
        i += 1.0
        i *= g
        f += i
        np.multiply(f, 0.5, out=ct)
        # h = 0.5 * (o + 1) * tanh(c)
        o += 1.0
        o *= 0.5
        np.tanh(ct, out=g)
        np.multiply(o, g, out=out[:, lo : lo + n])
    return out


def packed_emissions(
    table: np.ndarray,
    rows: np.ndarray,
    lengths: Sequence[int],
    w_hh: np.ndarray,
    output: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> np.ndarray:
    """:func:`emission_scores` of sentences run packed.

    Args:
        table: The word types' input projections (see :func:`packed_bilstm`).
        rows: The ``table`` row of every token, the sentences concatenated.
        lengths: Tokens per sentence (each at least 1).
        w_hh: The recurrent weights (see :func:`packed_bilstm`).
        output: ``(out_w, out_b, start)``: the output layer and the start scores.

    Returns:
        ``(tokens, labels)`` state scores, the sentences concatenated.
    """
    plan = Packing(lengths)
    states = packed_bilstm(table, np.stack([rows[plan.forward], rows[plan.backward]]), w_hh, plan)
    hidden = states.shape[2]
    both = np.empty((len(rows), 2 * hidden))
    both[plan.forward, :hidden] = states[0]
    both[plan.backward, hidden:] = states[1]
    out_w, out_b, start = output
    scores = both @ out_w + out_b
    scores[np.cumsum([0, *lengths[:-1]])] += start
    return scores


# The padded reference: the plain arithmetic that packed_emissions reproduces (tests compare the
# two), and the twin of the JAX training graph (neural_train).


def lstm_direction(projected: np.ndarray, w_hh: np.ndarray) -> np.ndarray:
    """One LSTM direction over ``(B, T, 4 * hidden)`` input projections, read left to right;
    only this recurrence runs step by step. Both ``projected`` and ``w_hh`` come with their gate
    columns (i, f, g, o) multiplied by :func:`~arabnews_nlp.entities.neural.gate_scale`."""
    n, steps, _ = projected.shape
    hidden = w_hh.shape[0]
    h = np.zeros((n, hidden), dtype=projected.dtype)
    c = np.zeros((n, hidden), dtype=projected.dtype)
    out = np.empty((n, steps, hidden), dtype=projected.dtype)
    for t in range(steps):
        z = np.tanh(projected[:, t] + h @ w_hh)
        i, f, g, o = (z[:, k * hidden : (k + 1) * hidden] for k in range(4))
        c = 0.5 * ((f + 1.0) * c + (i + 1.0) * g)
        h = 0.5 * (o + 1.0) * np.tanh(c)
        out[:, t] = h
    return out


def reverse_padded(x: Any, lengths: Any, xp: Any = np) -> Any:
    """Each sentence's tokens in reverse order, padding left at the end (its own inverse)."""
    steps = x.shape[1]
    t = xp.arange(steps)[None, :]
    index = xp.where(t < lengths[:, None], lengths[:, None] - 1 - t, t)
    return xp.take_along_axis(x, index[:, :, None], axis=1)


def emission_scores(
    p: dict[str, np.ndarray], projected: np.ndarray, lengths: np.ndarray
) -> np.ndarray:
    """``(B, T, labels)`` state scores of a padded batch of input projections (see
    :func:`~arabnews_nlp.entities.neural.type_projections`; projections and
    ``fw_hh``/``bw_hh`` scaled by :func:`~arabnews_nlp.entities.neural.gate_scale`), the start
    scores added at t = 0."""
    half = projected.shape[2] // 2
    forward = lstm_direction(projected[..., :half], p["fw_hh"])
    backward = lstm_direction(reverse_padded(projected[..., half:], lengths), p["bw_hh"])
    hidden = np.concatenate([forward, reverse_padded(backward, lengths)], axis=-1)
    scores = hidden @ p["out_w"] + p["out_b"]
    scores[:, 0] += p["start"]
    return scores
