"""An ensemble of entity taggers: their per-token marginals averaged, then a valid IOB2 path.

The CRF (hand-written features, name lists, clusters) and the neural tagger (subword vectors,
char CNN, BiLSTM) make different mistakes: averaging what each believes about every token and
decoding the best valid path of that average (:func:`~arabnews_nlp.entities.crossval.
constrained_tags`) keeps what both see and lets the more confident one decide elsewhere.

The spaCy component ``arabnews_ensemble_ner`` runs it: its folder holds ``ensemble.json``,
which names each member's architecture, folder (relative to the component's), weight and, for
a neural member, its network's file in that folder (several networks trained on the same
subword vectors share one folder and one copy of the vectors in memory). The shipped one points
at the shipped CRF and neural folders, so no weights are stored twice; a pipeline saved with
``nlp.to_disk`` copies the members in beside it and stands alone.

Example:
    >>> from arabnews_nlp.entities.crf import DEFAULT_COMPONENT_DIR, CRFTagger
    >>> crf = CRFTagger.from_directory(DEFAULT_COMPONENT_DIR)
    >>> EnsembleTagger([crf, crf]).tag([["زار", "ماكرون", "بيروت", "."]])
    [['O', 'B-PER', 'B-LOC', 'O']]
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from arabnews_nlp.entities.constants import ENSEMBLE_COMPONENT_DIR, ENSEMBLE_COMPONENT_NAME
from arabnews_nlp.entities.crf import CRFEntityRecognizer, CRFTagger
from arabnews_nlp.entities.crossval import TAG_SET
from arabnews_nlp.entities.lexicons import Lexicons
from arabnews_nlp.entities.linear_chain import Decoded, constrained_decode
from arabnews_nlp.entities.neural import (
    WEIGHTS_FILE,
    NeuralEntityRecognizer,
    NeuralTagger,
    load_inputs,
)
from arabnews_nlp.files import atomic_file

__all__ = [
    "ENSEMBLE_FILE",
    "EnsembleEntityRecognizer",
    "EnsembleTagger",
    "Member",
    "write_ensemble",
]

#: The ensemble component's own file:
#: ``{"members": [{"arch", "path", "weight", "network"?}, ...]}``.
ENSEMBLE_FILE = "ensemble.json"

#: Per member architecture, the files of its folder (a neural member's own network aside).
_ARCHS: dict[str, tuple[str, ...]] = {
    "crf": CRFEntityRecognizer.files,
    "neural": tuple(f for f in NeuralEntityRecognizer.files if f != WEIGHTS_FILE),
}


class Member(NamedTuple):
    """One line of ``ensemble.json``."""

    arch: str
    path: str | Path
    weight: float
    #: A neural member's network file in ``path`` (its ``neural.npz`` by default).
    network: str = WEIGHTS_FILE

    def spec(self) -> dict[str, Any]:
        """The JSON object (``network`` only where it is not the default)."""
        out: dict[str, Any] = {"arch": self.arch, "path": str(self.path), "weight": self.weight}
        if self.network != WEIGHTS_FILE:
            out["network"] = self.network
        return out


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

    @property
    def lexicons(self) -> Lexicons | None:
        """The name lists of the first member that has any (the CRF's gazetteers)."""
        found = (getattr(m, "lexicons", None) for m in self.taggers)
        return next((lexicons for lexicons in found if lexicons is not None), None)

    def marginals(self, sentences: Sequence[Sequence[str]]) -> list[np.ndarray]:
        """Per sentence, the weighted mean of the members' marginals (columns in TAG_SET order)."""
        # All sentences' tokens in one array: one product per member, not one per sentence.
        bounds = np.cumsum([0, *map(len, sentences)]).tolist()
        total = np.zeros((bounds[-1], len(TAG_SET)))
        for tagger, weight in zip(self.taggers, self.weights, strict=True):
            order = [list(tagger.labels).index(t) for t in TAG_SET]
            found = tagger.marginals(sentences)
            if found:
                total += weight * np.concatenate(found)[:, order]
        return [total[bounds[k] : bounds[k + 1]] for k in range(len(sentences))]

    def decode(self, sentences: Sequence[Sequence[str]]) -> list[Decoded]:
        """The valid path of highest summed log mean-marginal, with each tag's mean marginal."""
        return constrained_decode(self.marginals(sentences), TAG_SET)

    def tag(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """IOB2 tags of each sentence."""
        return [[TAG_SET[i] for i in d.labels.tolist()] for d in self.decode(sentences)]


def write_ensemble(directory: str | Path, members: Sequence[Sequence[Any]]) -> None:
    """Write ``ensemble.json`` into ``directory``: ``members`` are :class:`Member` fields
    ``(arch, folder, weight[, network])``, each folder relative to ``directory`` (or absolute);
    ``arch`` is ``"crf"`` or ``"neural"``."""
    rows = [Member(m[0], m[1], float(m[2]), *m[3:]) for m in members]
    unknown = sorted({m.arch for m in rows} - set(_ARCHS))
    if unknown:
        raise ValueError(
            f"unknown member architecture(s) {unknown}: expected one of {sorted(_ARCHS)}"
        )
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    spec = {"members": [m.spec() for m in rows]}
    with atomic_file(directory / ENSEMBLE_FILE) as f:
        f.write(json.dumps(spec, indent=1) + "\n")


def _members(directory: Path) -> list[Member]:
    spec = json.loads((directory / ENSEMBLE_FILE).read_text(encoding="utf-8"))
    return [Member(**m) for m in spec["members"]]


def _load_members(directory: Path) -> list[Any]:
    """The members' taggers; neural members in one folder share its vectors and name lists."""
    inputs: dict[Path, Any] = {}
    taggers: list[Any] = []
    for m in _members(directory):
        folder = (directory / m.path).resolve()
        if m.arch == "crf":
            taggers.append(CRFTagger.from_directory(folder))
            continue
        if folder not in inputs:
            inputs[folder] = load_inputs(folder)
        taggers.append(NeuralTagger.from_directory(folder, m.network, shared=inputs[folder]))
    return taggers


class EnsembleEntityRecognizer(CRFEntityRecognizer):
    """spaCy component ``arabnews_ensemble_ner``: runs an :class:`EnsembleTagger` of the
    members named in its folder's ``ensemble.json`` (same output as the CRF component)."""

    files = (ENSEMBLE_FILE,)
    default_dir = ENSEMBLE_COMPONENT_DIR
    default_name = ENSEMBLE_COMPONENT_NAME

    def load_tagger(self, path: Path) -> EnsembleTagger:
        """The members listed in ``path``'s ``ensemble.json``, with their weights."""
        return EnsembleTagger(_load_members(path), [m.weight for m in _members(path)])

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Copy every member's files into a subfolder of ``path`` (named after the first
        member read from that folder, its position and architecture; members that share a
        folder share the copy) and write an ``ensemble.json`` that points there: the saved
        pipeline stands alone."""
        path = Path(path)
        source = self._source if self._source is not None else self.default_dir
        if source.resolve() == path.resolve():
            return
        folders: dict[Path, str] = {}
        written = []
        for k, member in enumerate(_members(source)):
            origin = (source / member.path).resolve()
            folder = folders.setdefault(origin, f"{k}-{member.arch}")
            own = (member.network,) if member.arch == "neural" else ()
            (path / folder).mkdir(parents=True, exist_ok=True)
            for name in (*_ARCHS[member.arch], *own):
                if (origin / name).exists():
                    shutil.copyfile(origin / name, path / folder / name)
            written.append(member._replace(path=folder))
        write_ensemble(path, written)
