"""Train the neural entity tagger in JAX and export it for numpy inference (:mod:`.neural`).

Training only: needs ``pip install arabnews-nlp[train]`` (jax, optax, gensim). The network is a
char CNN (embeddings 32, width 3, 64 filters, max-pool) and the frozen subword vector of each
token (L2-normalized, ×3), optionally name-list flags through a small linear layer, then
dropout, a BiLSTM (128 per direction), dropout, a linear layer and a CRF whose invalid IOB2
transitions are hard-masked. Adam (lr 3e-3), gradient norm clipped at 5, batches of 64
length-sorted sentences padded to a multiple of 32 tokens (few shapes to compile), sentences
cut at 120 tokens.

Usage (needs the ``train`` extra and the vectors, so it is not run as a doctest; the
command line is ``scripts/ner/train_neural.py``)::

    from arabnews_nlp.entities.neural_train import NeuralSettings, train_neural
    tagger = train_neural(sentences, "subwords.npz", NeuralSettings(epochs=30))
    tagger.save("models/ner-neural/arabnews_neural_ner")
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from arabnews_nlp.entities.crossval import TAG_SET
from arabnews_nlp.entities.data import Sentence
from arabnews_nlp.entities.linear_chain import forbidden_transitions
from arabnews_nlp.entities.neural import (
    MAX_CHARS,
    NeuralTagger,
    TokenInputs,
    char_features,
    param_shapes,
)
from arabnews_nlp.entities.neural_infer import reverse_padded
from arabnews_nlp.entities.subwords import SubwordVectors
from arabnews_nlp.normalize import normalize

__all__ = ["NeuralSettings", "init_params", "jax_emissions", "train_neural", "type_batch"]

logger = logging.getLogger(__name__)


@dataclass
class NeuralSettings:
    """Hyper-parameters of :func:`train_neural` (the defaults are the recipe of the notes)."""

    epochs: int = 20
    seed: int = 0
    flags: bool = False
    hidden: int = 128
    char_dim: int = 32
    filters: int = 64
    flag_dim: int = 16
    dropout: float = 0.33
    lr: float = 3e-3
    batch_size: int = 64
    max_len: int = 120
    pad_to: int = 32


def _chunks(sentences: Sequence[Sentence], max_len: int) -> list[Sentence]:
    """Sentences cut into pieces of at most ``max_len`` tokens (a cut ``I-`` reopens as ``B-``)."""
    out = []
    for s in sentences:
        for k in range(0, len(s.tokens), max_len):
            tags = list(s.tags[k : k + max_len])
            if tags and tags[0].startswith("I-"):
                tags[0] = "B-" + tags[0][2:]
            out.append(Sentence(list(s.tokens[k : k + max_len]), tags))
    return out


def _init(key: Any, shapes: dict[str, tuple[int, ...]]) -> dict[str, Any]:
    import jax
    import jax.numpy as jnp

    params = {}
    for (name, shape), k in zip(shapes.items(), jax.random.split(key, len(shapes)), strict=True):
        if len(shape) == 1 or name in {"transitions"}:
            params[name] = jnp.zeros(shape, dtype=jnp.float32)
            continue
        fan = shape[-2] + shape[-1] if name != "char_emb" else shape[-1] * 2
        limit = float(np.sqrt(6.0 / fan))
        params[name] = jax.random.uniform(k, shape, jnp.float32, -limit, limit)
    # Forget gates open at the start (bias 1): gradients flow through long sentences.
    for direction in ("fw", "bw"):
        hidden = shapes[f"{direction}_hh"][0]
        params[f"{direction}_b"] = params[f"{direction}_b"].at[hidden : 2 * hidden].set(1.0)
    return params


def init_params(
    key: Any, settings: NeuralSettings, vector_dim: int, n_chars: int, n_flags: int
) -> dict[str, Any]:
    """Fresh weights (JAX arrays) for ``n_chars`` char ids (padding and unknown included) and
    ``n_flags`` flag inputs (0: no flag layer)."""
    shapes = param_shapes(
        vector_dim,
        n_chars,
        n_flags,
        hidden=settings.hidden,
        char_dim=settings.char_dim,
        filters=settings.filters,
        flag_dim=settings.flag_dim,
    )
    return _init(key, shapes)


def _lstm(projected: Any, w_hh: Any) -> Any:
    """The JAX twin of :func:`~arabnews_nlp.entities.neural_infer.lstm_direction` (``lax.scan``)."""
    import jax
    import jax.numpy as jnp

    hidden = w_hh.shape[0]
    h0 = jnp.zeros((projected.shape[0], hidden), dtype=projected.dtype)

    def step(carry: Any, z_t: Any) -> Any:
        h, c = carry
        i, f, g, o = jnp.split(z_t + h @ w_hh, 4, axis=1)
        c = jax.nn.sigmoid(f) * c + jax.nn.sigmoid(i) * jnp.tanh(g)
        h = jax.nn.sigmoid(o) * jnp.tanh(c)
        return (h, c), h

    _, hs = jax.lax.scan(step, (h0, h0), projected.swapaxes(0, 1))
    return hs.swapaxes(0, 1)


def jax_emissions(
    p: dict[str, Any], inputs: dict[str, Any], key: Any = None, dropout: float = 0.0
) -> Any:
    """``(B, T, labels)`` state scores in JAX; with ``key`` and ``dropout`` > 0, training mode.

    ``inputs`` holds the batch's word types (``vectors (U, D)``, ``chars (U, C)``, ``flags (U,
    F)``, row 0 the padding type), each token's type id ``ids (B, T)`` and ``lengths (B,)``:
    the char CNN and the input projections run once per type, as in numpy inference
    (dropout masks a type's input everywhere in the batch).
    """
    import jax
    import jax.numpy as jnp

    def drop(x: Any, k: Any) -> Any:
        if key is None or dropout <= 0:
            return x
        keep = jax.random.bernoulli(k, 1.0 - dropout, x.shape)
        return jnp.where(keep, x / (1.0 - dropout), 0.0)

    k1, k2 = jax.random.split(key) if key is not None else (None, None)
    parts = [inputs["vectors"], char_features(p, inputs["chars"][None], jnp)[0]]
    if "flag_w" in p:
        parts.append(inputs["flags"] @ p["flag_w"])
    x = drop(jnp.concatenate(parts, axis=-1), k1)
    hidden = p["fw_hh"].shape[0]
    projected = (x @ jnp.concatenate([p["fw_ih"], p["bw_ih"]], axis=1))[inputs["ids"]]
    projected = projected + jnp.concatenate([p["fw_b"], p["bw_b"]])
    lengths = inputs["lengths"]
    forward = _lstm(projected[..., : 4 * hidden], p["fw_hh"])
    backward = _lstm(reverse_padded(projected[..., 4 * hidden :], lengths, jnp), p["bw_hh"])
    states = jnp.concatenate([forward, reverse_padded(backward, lengths, jnp)], -1)
    scores = drop(states, k2) @ p["out_w"] + p["out_b"]
    return scores.at[:, 0].add(p["start"])


def type_batch(
    sentences: Sequence[Sequence[str]], inputs: TokenInputs, steps: int, pad_types: int = 256
) -> dict[str, np.ndarray]:
    """The inputs :func:`jax_emissions` reads for padded sentences of ``steps`` tokens (types
    padded to a multiple of ``pad_types`` rows, so that few shapes are compiled)."""
    types = list(dict.fromkeys(w for s in sentences for w in s))
    row = {w: i + 1 for i, w in enumerate(types)}
    n_rows = -(-(len(types) + 1) // pad_types) * pad_types
    vectors = np.zeros((n_rows, inputs.vectors.dim), dtype=np.float32)
    chars = np.zeros((n_rows, MAX_CHARS), dtype=np.int32)
    flags = np.zeros((n_rows, inputs.n_flags), dtype=np.float32)
    for w, i in row.items():
        vectors[i], chars[i], flags[i] = inputs.token(w)
    ids = np.zeros((len(sentences), steps), dtype=np.int32)
    for b, s in enumerate(sentences):
        ids[b, : len(s)] = [row[w] for w in s]
    lengths = np.array([len(s) for s in sentences], dtype=np.int32)
    return {"vectors": vectors, "chars": chars, "flags": flags, "ids": ids, "lengths": lengths}


def _crf_nll(scores: Any, tags: Any, lengths: Any, transitions: Any) -> Any:
    """Mean negative log-likelihood of the gold paths (sentences of length 0 count nothing)."""
    import jax
    import jax.numpy as jnp

    steps = scores.shape[1]
    mask = jnp.arange(steps)[None, :] < lengths[:, None]
    emitted = jnp.take_along_axis(scores, tags[..., None], axis=2)[..., 0]
    moved = transitions[tags[:, :-1], tags[:, 1:]]
    gold = (emitted * mask).sum(1) + (moved * mask[:, 1:]).sum(1)

    def step(alpha: Any, inputs: Any) -> Any:
        s_t, m_t = inputs
        new = jax.nn.logsumexp(alpha[:, :, None] + transitions[None], axis=1) + s_t
        return jnp.where(m_t[:, None], new, alpha), None

    alpha, _ = jax.lax.scan(step, scores[:, 0], (scores[:, 1:].swapaxes(0, 1), mask[:, 1:].T))
    log_z = jax.nn.logsumexp(alpha, axis=1)
    real = lengths > 0
    return jnp.sum(jnp.where(real, log_z - gold, 0.0)) / jnp.maximum(real.sum(), 1)


def _batches(
    sentences: list[Sentence], inputs: TokenInputs, settings: NeuralSettings
) -> list[dict[str, np.ndarray]]:
    """Length-sorted batches, padded to full batch size and to a multiple of ``pad_to`` steps."""
    order = sorted(range(len(sentences)), key=lambda i: len(sentences[i].tokens))
    out = []
    for k in range(0, len(order), settings.batch_size):
        chunk = [sentences[i] for i in order[k : k + settings.batch_size]]
        longest = max(len(s.tokens) for s in chunk)
        steps = -(-longest // settings.pad_to) * settings.pad_to
        chunk += [Sentence([])] * (settings.batch_size - len(chunk))
        batch = type_batch([s.tokens for s in chunk], inputs, steps)
        tags = np.zeros((len(chunk), steps), dtype=np.int32)
        for b, s in enumerate(chunk):
            tags[b, : len(s.tags)] = [TAG_SET.index(t) for t in s.tags]
        batch["tags"] = tags
        out.append(batch)
    return out


def train_neural(
    sentences: Sequence[Sentence],
    vectors: str | Path | SubwordVectors,
    settings: NeuralSettings | None = None,
    *,
    shared_dir: str | Path | None = None,
) -> NeuralTagger:
    """Train on tagged sentences; returns the numpy tagger (call ``.save(dir)`` to export).

    Args:
        sentences: IOB2-tagged training sentences (``PER LOC ORG MISC``).
        vectors: The subword vectors (a ``.npz`` from ``scripts/ner/build_subwords.py``).
        settings: Hyper-parameters.
        shared_dir: The ``shared`` folder, for the name lists when ``settings.flags``.
    """
    import jax
    import jax.numpy as jnp
    import optax

    settings = settings or NeuralSettings()
    if not isinstance(vectors, SubwordVectors):
        vectors = SubwordVectors.load(vectors)
    lexicons = None
    if settings.flags:
        from arabnews_nlp.entities.lexicons import build_lexicons

        if shared_dir is None:
            raise ValueError("flags need the name lists: pass shared_dir")
        lexicons = build_lexicons(shared_dir)
    data = _chunks(sentences, settings.max_len)
    counts = Counter(ch for s in data for w in s.tokens for ch in normalize(w, profile="ner"))
    chars = {ch: i + 2 for i, ch in enumerate(sorted(counts))}
    inputs = TokenInputs(vectors, chars, lexicons)
    batches = _batches(data, inputs, settings)

    key = jax.random.PRNGKey(settings.seed)
    key, init_key = jax.random.split(key)
    params = init_params(init_key, settings, vectors.dim, len(chars) + 2, inputs.n_flags)
    forbidden, forbidden_start = (
        jnp.asarray(a, jnp.float32) for a in forbidden_transitions(TAG_SET)
    )

    def effective(p: dict[str, Any]) -> dict[str, Any]:
        return {
            **p,
            "start": p["start"] + forbidden_start,
            "transitions": p["transitions"] + forbidden,
        }

    def loss(p: dict[str, Any], batch: dict[str, Any], k: Any) -> Any:
        p = effective(p)
        scores = jax_emissions(p, batch, k, settings.dropout)
        return _crf_nll(scores, batch["tags"], batch["lengths"], p["transitions"])

    optimizer = optax.chain(optax.clip_by_global_norm(5.0), optax.adam(settings.lr))
    state = optimizer.init(params)

    @jax.jit
    def train_step(p: Any, s: Any, batch: Any, k: Any) -> Any:
        value, grads = jax.value_and_grad(loss)(p, batch, k)
        updates, s = optimizer.update(grads, s, p)
        return optax.apply_updates(p, updates), s, value

    rng = np.random.default_rng(settings.seed)
    device_batches = [{k: jnp.asarray(v) for k, v in b.items()} for b in batches]
    for epoch in range(settings.epochs):
        started, total = time.perf_counter(), 0.0
        for i in rng.permutation(len(device_batches)):
            key, step_key = jax.random.split(key)
            params, state, value = train_step(params, state, device_batches[i], step_key)
            total += float(value)
        logger.info(
            "epoch %d: loss %.3f (%.0f s)",
            epoch + 1,
            total / len(batches),
            time.perf_counter() - started,
        )
    exported = {k: np.asarray(v, dtype=np.float32) for k, v in effective(params).items()}
    tagger = NeuralTagger(exported, TAG_SET, inputs)
    tagger.settings = asdict(settings)  # type: ignore[attr-defined]
    return tagger
