"""Silver training data for self-training: unlabelled news tagged by trained taggers, kept
where they are sure.

ANERcorp has ~4,000 labelled sentences; the unlabelled news in ``../shared/data`` has over a
million. Tagging some of it with the ensemble (CRF + neural, averaged marginals) and training a
student on gold + silver carries what the teacher knows about names it can read from context
(the neural member) into the student's lexical features (the CRF) — and brings the student
names that ANERcorp never shows. Only confident sentences are kept: the lowest per-token
probability of the chosen tag must reach ``min_confidence``. Sentences without any entity are
kept one in ``empty_every`` so the student still sees plain text (else it learns that every
sentence holds a name).

Example (the sentences it reads, split by :func:`~arabnews_nlp.entities.data.text_sentences`):
    >>> list(text_sentences("زار الرئيس موسكو أمس. ثم عاد إلى دمشق"))
    [['زار', 'الرئيس', 'موسكو', 'أمس', '.'], ['ثم', 'عاد', 'إلى', 'دمشق']]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from arabnews_nlp.entities.crossval import TAG_SET
from arabnews_nlp.entities.data import Sentence, text_sentences
from arabnews_nlp.files import atomic_file

__all__ = ["silver_sentences", "write_conll"]


def _batches(
    texts: Iterable[str], min_tokens: int, max_tokens: int, size: int
) -> Iterator[list[list[str]]]:
    pending: list[list[str]] = []
    for text in texts:
        pending += [t for t in text_sentences(text) if min_tokens <= len(t) <= max_tokens]
        if len(pending) >= size:
            yield pending
            pending = []
    if pending:
        yield pending


def silver_sentences(
    texts: Iterable[str],
    teacher: Any,
    *,
    limit: int,
    min_confidence: float = 0.9,
    empty_every: int = 4,
    min_tokens: int = 6,
    max_tokens: int = 80,
) -> Iterator[Sentence]:
    """Up to ``limit`` confidently tagged sentences of ``texts`` (see the module docstring).

    ``teacher`` decodes the constrained path with each tag's probability: an
    :class:`~arabnews_nlp.entities.ensemble.EnsembleTagger` of the trained members.
    """
    kept = empty_seen = 0
    for batch in _batches(texts, min_tokens, max_tokens, 256):
        for tokens, path in zip(batch, teacher.decode(batch), strict=True):
            if float(path.confidence.min()) < min_confidence:
                continue
            if not path.labels.any():  # no entity: keep one in empty_every
                empty_seen += 1
                if empty_seen % empty_every:
                    continue
            yield Sentence(list(tokens), [TAG_SET[i] for i in path.labels.tolist()])
            kept += 1
            if kept >= limit:
                return


def write_conll(sentences: Iterable[Sentence], path: str | Path) -> int:
    """Write ``token TAG`` lines, a blank line after each sentence (read back by
    :func:`~arabnews_nlp.entities.data.read_conll`); returns the number of sentences."""
    n = 0
    with atomic_file(Path(path)) as out:
        for sentence in sentences:
            pairs = zip(sentence.tokens, sentence.tags, strict=True)
            out.writelines(f"{token} {tag}\n" for token, tag in pairs)
            out.write("\n")
            n += 1
    return n
