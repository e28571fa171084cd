"""The neural entity tagger (char CNN + subword vectors + BiLSTM + CRF), run in numpy.

Training happens in JAX (:mod:`.neural_train`, ``pip install arabnews-nlp[train]``); the
weights are exported to an ``.npz`` and this module runs the forward pass with numpy alone,
batched over sentences: the LSTM input projections are computed once per word type, only the
recurrence runs step by step, packed (:mod:`.neural_infer`: no padding, both directions in one
loop; the plain padded definitions here are its reference). The CRF layer is decoded by the
package's numpy decoder (:mod:`.linear_chain`: Viterbi and forward-backward marginals), with
invalid IOB2 transitions ruled out.

Per token the network sees: its frozen subword vector (:mod:`.subwords`, so unseen forms and
clitic-attached forms get one), a char-CNN encoding of its letters and, optionally, which name
lists it belongs to (:mod:`.lexicons`).

Example:
    >>> tagger = NeuralTagger.from_directory(NEURAL_COMPONENT_DIR)
    >>> tagger.tag([["زار", "ماكرون", "بيروت", "."]])
    [['O', 'B-PER', 'B-LOC', 'O']]
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from arabnews_nlp.entities.constants import NEURAL_COMPONENT_DIR, NEURAL_COMPONENT_NAME
from arabnews_nlp.entities.crf import CRFEntityRecognizer
from arabnews_nlp.entities.crossval import TAG_SET
from arabnews_nlp.entities.lexicons import Lexicons
from arabnews_nlp.entities.linear_chain import Decoded, decode, posteriors
from arabnews_nlp.entities.neural_infer import CharConv, packed_emissions
from arabnews_nlp.entities.subwords import SubwordVectors
from arabnews_nlp.normalize import normalize
from arabnews_nlp.tokenize import strip_proclitics

__all__ = [
    "FLAG_LISTS",
    "MAX_CHARS",
    "NeuralEntityRecognizer",
    "NeuralTagger",
    "TokenInputs",
    "load_inputs",
    "param_shapes",
]

WEIGHTS_FILE = "neural.npz"
VECTORS_FILE = "subwords.npz"
LEXICONS_FILE = "lexicons.json.gz"
#: Letters of a token the char CNN reads (longer tokens keep their first ones).
MAX_CHARS = 16
#: The name lists given to the network as flags (a token's normalized form and its stem).
FLAG_LISTS = ("given", "surname", "city", "country", "place", "org_head", "nisba", "org")


class TokenInputs:
    """Turns tokens into the network's inputs.

    Args:
        vectors: The subword vectors.
        chars: Character → id (0 is padding, 1 unknown).
        lexicons: Name lists for the flag inputs (``None``: no flags).
    """

    def __init__(
        self, vectors: SubwordVectors, chars: dict[str, int], lexicons: Lexicons | None = None
    ) -> None:
        self.vectors = vectors
        self.chars = chars
        self.lexicons = lexicons

    @property
    def n_flags(self) -> int:
        """Length of the flag vector (0 without lexicons)."""
        return 2 * len(FLAG_LISTS) if self.lexicons is not None else 0

    def token(self, word: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(vector, char ids, flags)`` of one token."""
        norm = normalize(word, profile="ner") or word
        ids = np.zeros(MAX_CHARS, dtype=np.int32)
        for i, ch in enumerate(norm[:MAX_CHARS]):
            ids[i] = self.chars.get(ch, 1)
        flags = np.zeros(self.n_flags, dtype=np.float32)
        if self.lexicons is not None:
            for k, form in enumerate((norm, strip_proclitics(norm))):
                names = self.lexicons.tags(form)
                for j, name in enumerate(FLAG_LISTS):
                    flags[k * len(FLAG_LISTS) + j] = name in names
        return self.vectors.vector(norm), ids, flags

    def batch(self, words: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(vectors, char ids, flags)`` of many tokens, stacked: :meth:`token`'s values."""
        norms = [normalize(w, profile="ner") or w for w in words]
        cut = [n[:MAX_CHARS] for n in norms]
        lengths = np.array([len(n) for n in cut], dtype=np.intp)
        ids = np.zeros((len(words), MAX_CHARS), dtype=np.int32)
        get = self.chars.get
        ids[np.arange(MAX_CHARS)[None, :] < lengths[:, None]] = [get(ch, 1) for ch in "".join(cut)]
        if self.lexicons is None:
            flags = np.zeros((len(words), 0), dtype=np.float32)
        else:
            flags = np.stack([self.token(w)[2] for w in words])
        return self.vectors.vectors(norms), ids, flags


def param_shapes(
    vector_dim: int,
    n_chars: int,
    n_flags: int,
    *,
    hidden: int = 128,
    char_dim: int = 32,
    filters: int = 64,
    flag_dim: int = 16,
) -> dict[str, tuple[int, ...]]:
    """The shape of every weight array of the network (``flag_w`` only when ``n_flags``)."""
    n_tags = len(TAG_SET)
    width = vector_dim + filters + (flag_dim if n_flags else 0)
    shapes: dict[str, tuple[int, ...]] = {
        "char_emb": (n_chars, char_dim),
        "conv_w": (3 * char_dim, filters),
        "conv_b": (filters,),
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
    if n_flags:
        shapes["flag_w"] = (n_flags, flag_dim)
    return shapes


def char_features(p: dict[str, Any], chars: Any, xp: Any = np) -> Any:
    """Char CNN: embeddings, width-3 convolution, ReLU, max over the token's letters.

    ``xp`` is the array module (numpy here, ``jax.numpy`` in training: one definition).
    """
    emb = p["char_emb"][chars]  # (B, T, C, E)
    padded = xp.pad(emb, ((0, 0), (0, 0), (1, 1), (0, 0)))
    width = chars.shape[2]
    windows = xp.concatenate([padded[:, :, i : i + width] for i in range(3)], axis=-1)
    conv = windows @ p["conv_w"] + p["conv_b"]
    conv = xp.where((chars > 0)[..., None], xp.maximum(conv, 0.0), 0.0)
    return conv.max(axis=2)


def type_projections(
    p: dict[str, np.ndarray], vectors: np.ndarray, chars: np.ndarray, flags: np.ndarray
) -> np.ndarray:
    """``(n, 8 * hidden)``: the LSTM input projections of ``n`` word types, forward then
    backward direction. A token's input depends on its word type alone, so each type's
    projection is computed once and looked up afterwards."""
    parts = [vectors, char_features(p, chars[None])[0]]
    if "flag_w" in p:
        parts.append(flags @ p["flag_w"])
    x = np.concatenate(parts, axis=-1)
    return x @ np.concatenate([p["fw_ih"], p["bw_ih"]], axis=1) + np.concatenate(
        [p["fw_b"], p["bw_b"]]
    )


def gate_scale(hidden: int) -> np.ndarray:
    """Column scale of the gate pre-activations (i, f, g, o) that :func:`lstm_direction` expects:
    ½ for the sigmoid gates, 1 for g. ``sigmoid(x) = (1 + tanh(x / 2)) / 2``, so one ``tanh``
    call over all four gates serves them all."""
    return np.concatenate([np.full(2 * hidden, 0.5), np.ones(hidden), np.full(hidden, 0.5)])


#: Emission scores are rounded to this many decimals (see :class:`NeuralTagger`).
_DECIMALS = 7


@functools.cache
def _blas_controller() -> Any:
    """The process's BLAS libraries (inspected once: it costs milliseconds)."""
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


class NeuralTagger:
    """The exported network and what it needs to read tokens.

    Args:
        params: Weight arrays by name (see
            :func:`~arabnews_nlp.entities.neural_infer.emission_scores`), float32, plus
            ``transitions`` (learned scores with invalid transitions at
            :data:`~arabnews_nlp.entities.linear_chain.FORBIDDEN`).
        labels: Tag names, by id.
        inputs: The token reader.
        batch_size: Most sentences run side by side (and at most :attr:`chunk_tokens` tokens).
    """

    def __init__(
        self,
        params: dict[str, np.ndarray],
        labels: Sequence[str],
        inputs: TokenInputs,
        batch_size: int = 256,
    ) -> None:
        self.params = {k: np.asarray(v, dtype=np.float32) for k, v in params.items()}
        scale = gate_scale(self.params["fw_hh"].shape[0])
        # The weights the network runs with; params stay as trained. In float64: BLAS sums in
        # an order that depends on a product's row count (float32: ~1e-8 on a score); float64's
        # drift (~1e-15) is far below the rounding of the scores, so the output does not
        # depend on batching (a resumed corpus run writes the same bytes).
        run = {k: v.astype(np.float64) for k, v in self.params.items()}
        self._run = {**run, "fw_hh": run["fw_hh"] * scale, "bw_hh": run["bw_hh"] * scale}
        self._scale = np.concatenate([scale, scale])
        # What the fast path (neural_infer) reads: the same float64 weights, rearranged.
        self._conv = CharConv(run["char_emb"], run["conv_w"], run["conv_b"])
        self._w_ih = np.concatenate([run["fw_ih"], run["bw_ih"]], axis=1)
        self._b_ih = np.concatenate([run["fw_b"], run["bw_b"]])
        self._w_hh = np.stack([self._run["fw_hh"], self._run["bw_hh"]])
        self.transitions = np.asarray(params["transitions"], dtype=np.float64)
        self.labels = tuple(labels)
        self.inputs = inputs
        self.batch_size = batch_size
        #: Tokens run side by side in one packed recurrence (bounds its memory: ~4 KB each).
        self.chunk_tokens = 8192
        #: Word types kept in the projection table (4 KB each at 128 units) before it restarts:
        #: 20,000 is 80 MB per stage-1 worker. A restart recomputes the types that come back
        #: (~0.1 ms each), under 3% of the tagging time at this size.
        self.limit = 20_000
        self._reset()

    def _reset(self) -> None:
        # Row 0 is padding; every other row a word type's input projections (forward, then
        # backward), float32 computed in float64: the rounding hides the drift (see __init__).
        # The table is let go of (a restart gives its memory back) and allocated again, whole,
        # by the next types (:meth:`_type_rows`).
        self._rows: dict[str, int] = {}
        self._table = np.zeros((1, 8 * self.params["fw_hh"].shape[0]), dtype=np.float32)

    def _type_rows(self, sentences: Sequence[Sequence[str]]) -> np.ndarray:
        """The projection-table row of every token of ``sentences``, concatenated; the
        projections of word types not in the table are computed first."""
        new = list(dict.fromkeys(w for s in sentences for w in s if w not in self._rows))
        if len(self._rows) + len(new) >= self.limit:  # bound memory on a long stream
            self._reset()
            new = list(dict.fromkeys(w for s in sentences for w in s))
        if new:
            first = len(self._rows) + 1
            if first + len(new) > len(self._table):
                # Allocated at its full size at once (zeroed pages take memory only once
                # written, so it fills as types come): grown by doubling, it held the old
                # table and the new one together (64 + 80 MB for a moment at 20,000 types).
                size = max(first + len(new), self.limit + 1)
                grown = np.zeros((size, self._table.shape[1]), dtype=self._table.dtype)
                grown[:first] = self._table[:first]
                self._table = grown
            # A thousand types at a time: the float64 temporaries stay ~8 MB.
            for start in range(0, len(new), 1024):
                self._add_types(new[start : start + 1024], first + start)
            self._rows.update(zip(new, range(first, first + len(new)), strict=True))
        rows = self._rows
        return np.array([rows[w] for s in sentences for w in s], dtype=np.intp)

    def _add_types(self, words: Sequence[str], first: int) -> None:
        """Write the projections of ``words`` into the table from row ``first`` on:
        :func:`type_projections`' arithmetic, with the char CNN by lookup (:mod:`.neural_infer`)."""
        vectors, chars, flags = self.inputs.batch(words)
        parts = [vectors, self._conv(chars)]
        if "flag_w" in self._run:
            parts.append(flags @ self._run["flag_w"])
        projected = np.concatenate(parts, axis=-1) @ self._w_ih + self._b_ih
        self._table[first : first + len(words)] = projected * self._scale

    def emissions(self, sentences: Sequence[Sequence[str]]) -> list[np.ndarray]:
        """Per sentence, its ``(tokens, labels)`` state scores (float64, for the decoder).

        Runs on one BLAS thread: the recurrence's matrices are small, and BLAS threads spun
        on them for 4x the CPU time of the work itself (300 news articles: 51 against 13
        CPU-s) while giving no speed-up.
        """
        with _blas_controller().limit(limits=1, user_api="blas"):
            return self._emissions(sentences)

    def _emissions(self, sentences: Sequence[Sequence[str]]) -> list[np.ndarray]:
        out: list[np.ndarray] = [np.zeros((0, len(self.labels)))] * len(sentences)
        nonempty = [i for i in range(len(sentences)) if sentences[i]]
        # Chunks of at most ``batch_size`` sentences and ``chunk_tokens`` tokens run packed
        # (neural_infer), whatever their sentences' lengths.
        chunk: list[int] = []
        size = 0
        for i in [*nonempty, -1]:
            full = len(chunk) >= self.batch_size or size + len(sentences[i]) > self.chunk_tokens
            if chunk and (i < 0 or full):
                batch = [sentences[k] for k in chunk]
                for k, scores in zip(chunk, self._packed_scores(batch), strict=True):
                    out[k] = scores
                chunk, size = [], 0
            if i >= 0:
                chunk.append(i)
                size += len(sentences[i])
        return out

    def _packed_scores(self, sentences: Sequence[Sequence[str]]) -> list[np.ndarray]:
        """The padded reference's scores (:func:`.neural_infer.emission_scores`) of non-empty
        sentences, run packed, rounded."""
        lengths = [len(s) for s in sentences]
        run = self._run
        output = (run["out_w"], run["out_b"], run["start"])
        rows = self._type_rows(sentences)  # first: it may grow the table
        flat = packed_emissions(self._table, rows, lengths, self._w_hh, output)
        flat = np.round(flat, _DECIMALS)
        bounds = np.cumsum([0, *lengths]).tolist()
        return [flat[bounds[k] : bounds[k + 1]] for k in range(len(sentences))]

    @property
    def lexicons(self) -> Lexicons | None:
        """The name lists the network reads as flags, if any."""
        return self.inputs.lexicons

    def decode(self, sentences: Sequence[Sequence[str]]) -> list[Decoded]:
        """The best valid tag path of each sentence, with each token's marginal."""
        return decode(self.emissions(sentences), self.transitions)

    def marginals(self, sentences: Sequence[Sequence[str]]) -> list[np.ndarray]:
        """Per sentence, ``(tokens, labels)`` marginal probabilities."""
        return posteriors(self.emissions(sentences), self.transitions)

    def tag(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """IOB2 tags of each sentence."""
        return [[self.labels[i] for i in d.labels.tolist()] for d in self.decode(sentences)]

    def save(self, directory: str | Path) -> None:
        """Write ``neural.npz`` (weights, labels, char table), ``subwords.npz`` and the lists."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        self.save_network(directory / WEIGHTS_FILE)
        self.inputs.vectors.save(directory / VECTORS_FILE)
        if self.inputs.lexicons is not None:
            self.inputs.lexicons.save(directory / LEXICONS_FILE)

    def save_network(self, path: str | Path) -> None:
        """Write the network alone (weights, labels, char table): beside another network's
        folder trained on the same vectors, it loads with ``from_directory(folder, weights=)``."""
        chars = sorted(self.inputs.chars, key=self.inputs.chars.__getitem__)
        arrays: dict[str, Any] = {
            **self.params,
            "labels": np.array(json.dumps(list(self.labels))),
            "chars": np.array(json.dumps(chars, ensure_ascii=False)),
        }
        np.savez_compressed(path, **arrays)

    @classmethod
    def from_directory(
        cls,
        directory: str | Path,
        weights: str = WEIGHTS_FILE,
        shared: tuple[SubwordVectors, Lexicons | None] | None = None,
        **kwargs: Any,
    ) -> NeuralTagger:
        """Load a tagger written by :meth:`save`.

        Args:
            directory: The folder.
            weights: The network's file in it: a folder may hold several networks trained on
                its vectors (an ensemble's seeds), which then share them.
            shared: The folder's vectors and name lists, already loaded by
                :func:`load_inputs` (one copy in memory for all its networks).
        """
        directory = Path(directory)
        with np.load(directory / weights, allow_pickle=False) as z:
            params = {k: z[k] for k in z.files if k not in {"labels", "chars"}}
            labels = json.loads(str(z["labels"]))
            # Ids 0 and 1 are padding and unknown; the table lists the others in id order.
            chars = {ch: i + 2 for i, ch in enumerate(json.loads(str(z["chars"])))}
        vectors, lexicons = shared if shared is not None else load_inputs(directory)
        return cls(params, labels, TokenInputs(vectors, chars, lexicons), **kwargs)


def load_inputs(directory: str | Path) -> tuple[SubwordVectors, Lexicons | None]:
    """The subword vectors and the name lists (if any) of a neural tagger's folder."""
    directory = Path(directory)
    lexicons_path = directory / LEXICONS_FILE
    lexicons = Lexicons.load(lexicons_path) if lexicons_path.exists() else None
    return SubwordVectors.load(directory / VECTORS_FILE), lexicons


class NeuralEntityRecognizer(CRFEntityRecognizer):
    """spaCy component ``arabnews_neural_ner``: runs a :class:`NeuralTagger` (same output as
    the CRF component: ``doc.ents`` with ``span._.score``, the lowest tag marginal)."""

    files = (WEIGHTS_FILE, VECTORS_FILE, LEXICONS_FILE)
    default_dir = NEURAL_COMPONENT_DIR
    default_name = NEURAL_COMPONENT_NAME

    def load_tagger(self, path: Path) -> NeuralTagger:
        """The tagger saved in ``path`` by :meth:`NeuralTagger.save`."""
        return NeuralTagger.from_directory(path)
