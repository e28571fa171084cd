"""Stage 1: the per-article work (entities and section), one chunk of articles at a time.

This is the unit every engine shares: the local runner calls :func:`analyze_chunk` in-process
or in a pool of worker processes, the Dask engine calls it per partition. Models are loaded
once per process (:func:`get_models` caches them by configuration), never per article.

A chunk is analysed in one batch (``nlp.pipe`` and one ``predict_proba`` call). If the batch
fails, the chunk is redone article by article so one bad article costs only itself.

Example:
    >>> from arabnews_nlp import Article
    >>> art = Article(id="s1", title="الأهلي يفوز بالدوري", body="فاز النادي الأهلي بلقب الدوري.")
    >>> [result] = analyze_chunk([art], get_models(AnalysisConfig()))
    >>> result.section, result.section_name
    ('sports', 'رياضة')
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from arabnews_nlp.analysis.record import ArticleAnalysis, ProcessingError
from arabnews_nlp.article import Article
from arabnews_nlp.entities.extract import DEFAULT_LABELS
from arabnews_nlp.pipeline.statements import quotes_and_dates

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language

    from arabnews_nlp.sections import SectionClassifier

__all__ = [
    "MAX_ARTICLE_CHARS",
    "AnalysisConfig",
    "Models",
    "StageResult",
    "analyze_chunk",
    "get_models",
]

logger = logging.getLogger("arabnews_nlp.pipeline")

StageResult = ArticleAnalysis | ProcessingError

#: Default :attr:`AnalysisConfig.max_chars`: ten times the longest news story we have seen
#: (long reads run to ~20,000 characters); analysis time stays linear up to it.
MAX_ARTICLE_CHARS = 200_000


@dataclass(frozen=True)
class AnalysisConfig:
    """Everything that decides the stage-1 output (so a resumed run can check it matches).

    Attributes:
        sections_model: Directory of a trained section model; None for the shipped one.
        ner_model: Directory of a spaCy NER pipeline; None for the shipped one.
        labels: Entity labels to report.
        batch_size: Documents per ``nlp.pipe`` batch.
        max_chars: Longest article analysed, in characters of :attr:`Article.text` (0: no
            limit). A longer one is that article's error ("too long"), not the run's: a
            record that long is almost always several articles or a page glued together by
            a broken export, and would cost seconds and hundreds of MB for nothing (spaCy
            refuses 1,000,000 characters outright).
    """

    sections_model: str | None = None
    ner_model: str | None = None
    labels: tuple[str, ...] = DEFAULT_LABELS
    batch_size: int = 32
    max_chars: int = MAX_ARTICLE_CHARS

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serializable dict (lists for tuples, so it round-trips through JSON)."""
        data = asdict(self)
        data["labels"] = list(self.labels)
        return data


class MemoryZones:
    """Keeps a spaCy pipeline inside a memory zone renewed every ``size`` articles.

    Without a zone spaCy's vocabulary grows with every new word type of a corpus (hundreds of
    MB per worker on a large archive); a zone frees them when it closes but re-creates every
    word it meets, so one zone spans many chunks. Docs must not outlive their zone: stage 1
    turns each one into entities at once.
    """

    def __init__(self, size: int = 2048) -> None:
        self.size = size
        self._zone: Any = None
        self._count = 0

    def advance(self, nlp: Language, n: int) -> None:
        """Count ``n`` more articles, opening a fresh zone first when the current one is full."""
        if self._zone is None or self._count >= self.size:
            if self._zone is not None:
                self._zone.__exit__(None, None, None)
            self._zone = nlp.memory_zone()
            self._zone.__enter__()
            self._count = 0
        self._count += n


@dataclass(frozen=True)
class Models:
    """The loaded models of one process."""

    nlp: Language
    classifier: SectionClassifier
    section_names: dict[str, str]
    zones: MemoryZones = field(default_factory=MemoryZones, compare=False, repr=False)

    @classmethod
    def load(cls, config: AnalysisConfig) -> Models:
        """Load the NER pipeline and the section classifier named by ``config``."""
        from arabnews_nlp.entities import load_ner
        from arabnews_nlp.sections import display_name, load_section_model

        classifier = load_section_model(config.sections_model)
        # A user-trained model may use labels outside the taxonomy: they show as they are.
        names = {str(c): display_name(str(c)) for c in classifier.classes_}
        return cls(nlp=load_ner(config.ner_model), classifier=classifier, section_names=names)


@lru_cache(maxsize=2)
def get_models(config: AnalysisConfig) -> Models:
    """The models for ``config``, loaded on the first call in this process and then reused."""
    return Models.load(config)


def _analyze_batch(
    articles: Sequence[Article], models: Models, config: AnalysisConfig
) -> list[StageResult]:
    from arabnews_nlp.entities import extract_entities_batch

    models.zones.advance(models.nlp, len(articles))
    entities = list(
        extract_entities_batch(
            articles,
            nlp=models.nlp,
            labels=config.labels,
            batch_size=config.batch_size,
            zone_size=None,  # the process-wide zones above
        )
    )
    proba = models.classifier.predict_proba(list(articles))
    classes = list(models.section_names)
    out: list[StageResult] = []
    for article, ents, row in zip(articles, entities, proba, strict=True):
        quotes, dates = quotes_and_dates(article, ents)
        best = int(row.argmax())
        out.append(
            ArticleAnalysis(
                article=article,
                section=classes[best],
                section_name=models.section_names[classes[best]],
                # Rounded so the output reads well and does not change with BLAS noise.
                section_score=round(float(row[best]), 4),
                entities=ents,
                quotes=quotes,
                dates=dates,
            )
        )
    return out


def _too_long(article: Article, limit: int) -> ProcessingError:
    return ProcessingError(
        article.id,
        article.source,
        f"too long: {len(article.text):,} characters, over the limit of {limit:,} per article "
        f"(AnalysisConfig.max_chars); split the record or raise the limit",
    )


def _failure(article: Article, exc: Exception) -> ProcessingError:
    return ProcessingError(article.id, article.source, f"{type(exc).__name__}: {exc}")


def analyze_chunk(
    articles: Sequence[Article], models: Models, config: AnalysisConfig | None = None
) -> list[StageResult]:
    """Analyse a chunk of articles: one result per article, in order.

    Args:
        articles: The articles (any number; the caller decides the chunking).
        models: Loaded models (see :func:`get_models`).
        config: Labels and batch size; defaults to :class:`AnalysisConfig()`.

    Returns:
        An :class:`ArticleAnalysis` per article, or a :class:`ProcessingError` for an article
        that could not be analysed (the exception never escapes).
    """
    config = config or AnalysisConfig()
    if not articles:
        return []
    limit = config.max_chars
    if limit > 0 and any(len(a.text) > limit for a in articles):
        kept = [a for a in articles if len(a.text) <= limit]
        done = iter(analyze_chunk(kept, models, replace(config, max_chars=0)))
        return [next(done) if len(a.text) <= limit else _too_long(a, limit) for a in articles]
    try:
        return _analyze_batch(articles, models, config)
    except Exception as exc:
        if len(articles) == 1:
            return [_failure(articles[0], exc)]
        logger.warning("batch of %d failed (%s); retrying one by one", len(articles), exc)
    results: list[StageResult] = []
    for article in articles:
        try:
            results.extend(_analyze_batch([article], models, config))
        except Exception as exc:
            results.append(_failure(article, exc))
    return results
