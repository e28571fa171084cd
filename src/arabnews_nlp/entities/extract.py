"""Entity extraction: run the shipped NER pipeline and report names at original offsets.

The input is cleaned with the ``display`` profile (invisible marks, presentation forms and odd
spaces are what break a tokenizer; letters are left alone), the spaCy pipeline runs on the cleaned
text, and every entity span is mapped back through :meth:`NormalizedText.span_to_original`, so
``text[e.start:e.end] == e.text`` holds for the caller's string, diacritics and all.

For an :class:`~arabnews_nlp.article.Article` the text is ``article.text`` (title, lede and body
joined by blank lines, empty parts skipped); each entity also says which ``field`` it is in and
its offsets inside that field, so a newsroom can highlight it in the body.

Example:
    >>> from arabnews_nlp.entities import extract_entities
    >>> ents = extract_entities("وصل الرئيس السوري أحمد الشرع إلى موسكو، والتقى بوتين.")
    >>> [(e.label, e.canonical) for e in ents]
    [('PER', 'أحمد الشرع'), ('LOC', 'موسكو'), ('PER', 'بوتين')]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from itertools import islice
from typing import TYPE_CHECKING, Any

from arabnews_nlp.article import TEXT_FIELDS, Article
from arabnews_nlp.entities.canonical import canonical_name, entity_key, is_junk
from arabnews_nlp.entities.data import doc_words
from arabnews_nlp.entities.entity import Entity
from arabnews_nlp.entities.linking import link_entities
from arabnews_nlp.entities.propagate import propagate_names
from arabnews_nlp.normalize import NormalizedText, normalize
from arabnews_nlp.tokenize import PROTECTED_WORDS

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.tokens import Doc, Span

__all__ = ["DEFAULT_LABELS", "extract_entities", "extract_entities_batch"]

#: The labels reported by default (the model may know more, e.g. MISC, which stays internal).
DEFAULT_LABELS: tuple[str, ...] = ("PER", "LOC", "ORG")
_FIELD_SEP = "\n\n"  # must match Article.text


@lru_cache(maxsize=1)
def _default_nlp() -> Language:
    """The shipped pipeline, loaded once per process."""
    from arabnews_nlp.entities.model import load_ner

    return load_ner()


def text_and_fields(x: str | Article) -> tuple[str, list[tuple[str, int, int]]]:
    """The text to analyse and, for an article, the ``(field, start, end)`` of each part."""
    if isinstance(x, str):
        return x, []
    if not isinstance(x, Article):
        raise TypeError(f"expected str or Article, got {type(x).__name__}")
    parts: list[tuple[str, int, int]] = []
    pos = 0
    for name in TEXT_FIELDS:
        part = getattr(x, name) or ""
        if not part:
            continue
        if parts:
            pos += len(_FIELD_SEP)
        parts.append((name, pos, pos + len(part)))
        pos += len(part)
    text = x.text
    if pos != len(text):  # the field offsets assume Article.text's layout
        raise RuntimeError("Article.text no longer joins title, lede and body with a blank line")
    return text, parts


def _known_names(nlp: Any) -> frozenset[str]:
    """The whole names (``ner``-normalized) that ``nlp``'s NER component has in its gazetteers.

    Read from the pipeline's own component (a pipe with a ``known_names`` frozenset), so a
    pipeline trained with other name lists, or without any, is not judged by the shipped
    model's lists. Empty when no component has them.
    """
    for _, pipe in getattr(nlp, "pipeline", ()):
        names = getattr(pipe, "known_names", None)
        if isinstance(names, frozenset):
            return names
    return frozenset()


@lru_cache(maxsize=65536)
def _ner_form(word: str) -> str:
    """``ner``-normalized word (cached: a document's words are counted once per document)."""
    return normalize(word, profile="ner")


class _InitialEvidence:
    """Decides whether a first word's clitic-like letter belongs to the name (``KeepWord``).

    The word is kept whole when it is a known name and its stripped form is not (لوكاس, not
    ل+وكاس), or when this document never uses the stripped form alone and either repeats the
    word (بايرن three times, ايرن never) or its clitic is a lone ف (فيلتمان). Stems with the
    article (والعراق → العراق) and stems the segmenter's lexicon knows as words (وفريق → فريق)
    are trusted.

    Args:
        doc: The tagged document (its word counts are the in-document evidence).
        names: Whole names (``ner``-normalized) the pipeline's NER component knows, see
            :func:`_known_names`.
    """

    def __init__(self, doc: Doc, names: frozenset[str]) -> None:
        self.doc = doc
        self.names = names
        self._counts: Counter[str] | None = None

    def __call__(self, word: str, stripped: str) -> bool:
        stem = _ner_form(stripped)
        # A stem with the article, or one the segmenter's lexicon knows as a word (فريق), is
        # a real cut.
        if stem.startswith("ال") or entity_key(stripped) in PROTECTED_WORDS:
            return False
        full = _ner_form(word)
        names = self.names
        if stem in names:
            return False
        if full in names:
            return True
        if self._counts is None:
            self._counts = Counter(_ner_form(w) for w in doc_words(self.doc))
        if self._counts[stem] > 0:
            return False
        # A lone ف before a name is rare in news (it joins verbs: فقال), while foreign names
        # starting with F/V/Ph are common (فنوكوفو, فيلتمان): without the stem seen on its
        # own, keep the word whole.
        if full.startswith("ف") and len(full) == len(stem) + 1:
            return True
        return self._counts[full] >= 2


def _span_score(span: Span) -> float | None:
    """The model's confidence for an entity (``span._.score``), rounded to 4 digits."""
    if span.has_extension("score"):
        value = span._.get("score")
        if value is not None:
            return round(float(value), 4)
    return None


class _DocEntities:
    """Turns spans of the cleaned text of one document into :class:`Entity` objects."""

    def __init__(
        self,
        doc: Doc,
        nt: NormalizedText,
        parts: Sequence[tuple[str, int, int]],
        names: frozenset[str],
    ):
        self.nt = nt
        self.parts = parts
        self.evidence = _InitialEvidence(doc, names)

    def make(
        self, start_char: int, end_char: int, label: str, score: float | None
    ) -> Entity | None:
        """The entity of a cleaned-text span, or None when it is junk."""
        start, end = self.nt.span_to_original(start_char, end_char)
        surface = self.nt.original[start:end]
        canonical = canonical_name(surface, label, keep_word=self.evidence)
        if is_junk(surface, label, canonical):
            return None
        field = next(((f, fs) for f, fs, fe in self.parts if fs <= start < fe), None)
        return Entity(
            label=label,
            text=surface,
            start=start,
            end=end,
            canonical=canonical,
            score=score,
            field=field[0] if field else None,
            field_start=start - field[1] if field else None,
            field_end=end - field[1] if field else None,
        )


def _entities_from_doc(
    doc: Doc,
    nt: NormalizedText,
    parts: Sequence[tuple[str, int, int]],
    labels: Iterable[str],
    propagate: bool,
    names: frozenset[str],
    link: bool = True,
) -> list[Entity]:
    wanted = set(labels)
    maker = _DocEntities(doc, nt, parts, names)
    out: list[Entity] = []
    for span in doc.ents:
        if span.label_ in wanted:
            entity = maker.make(span.start_char, span.end_char, span.label_, _span_score(span))
            if entity is not None:
                out.append(entity)
    if propagate and out:
        spans = propagate_names(doc, out)
        extra = (maker.make(s, e, label, None) for s, e, label in spans)
        out = sorted([*out, *(x for x in extra if x is not None)], key=lambda x: x.start)
    if link and out:
        out = link_entities(out, nt.original)
    return out


def extract_entities(
    x: str | Article,
    *,
    nlp: Language | None = None,
    labels: Iterable[str] = DEFAULT_LABELS,
    propagate: bool = True,
    link: bool = True,
) -> list[Entity]:
    """Find the named entities of a text or an article.

    Args:
        x: A string, or an :class:`Article` (then offsets are into ``article.text``, and each
            entity has ``field``/``field_start``/``field_end``).
        nlp: A spaCy pipeline whose ``doc.ents`` carry the labels; defaults to the shipped
            model (:func:`~arabnews_nlp.entities.load_ner`, loaded once per process).
        labels: The labels to keep.
        propagate: Also mark untagged repetitions, in the same document, of the names the model
            found (and of a person's family name alone); those mentions have ``score=None``.
            See :mod:`arabnews_nlp.entities.propagate`.
        link: Resolve mentions against the shipped knowledge table (``kb_id``, ``latin``,
            ``country``, coordinates); see :mod:`arabnews_nlp.entities.linking`.

    Returns:
        The entities in text order, junk (stop words, bare titles, digits) filtered out.

    Example:
        >>> text = "وصل بوتين إلى دمشق"
        >>> [(e.label, text[e.start:e.end]) for e in extract_entities(text)]
        [('PER', 'بوتين'), ('LOC', 'دمشق')]
    """
    return next(extract_entities_batch([x], nlp=nlp, labels=labels, propagate=propagate, link=link))


def extract_entities_batch(
    items: Iterable[str | Article],
    *,
    nlp: Language | None = None,
    labels: Iterable[str] = DEFAULT_LABELS,
    batch_size: int = 64,
    n_process: int = 1,
    propagate: bool = True,
    zone_size: int | None = 1024,
    link: bool = True,
) -> Iterator[list[Entity]]:
    """Stream entity lists for many texts or articles through ``nlp.pipe``.

    Args:
        items: Strings and/or articles (consumed lazily).
        nlp: The pipeline (default: the shipped model).
        labels: The labels to keep.
        batch_size: Documents per spaCy batch.
        n_process: Worker processes for ``nlp.pipe`` (1 = in process).
        propagate: See :func:`extract_entities`.
        zone_size: Documents per spaCy memory zone (``nlp.memory_zone()``), which keeps the
            vocabulary from growing over a long stream; results are held until their zone
            closes. None: no zone (the caller manages memory, e.g. in its own zone).
        link: See :func:`extract_entities`.

    Yields:
        One list of :class:`Entity` per input, in input order.

    Example:
        >>> texts = ["زار ماكرون بيروت", "اجتمع مجلس الأمن"]
        >>> [len(ents) for ents in extract_entities_batch(texts)]
        [2, 1]
    """
    pipeline = nlp if nlp is not None else _default_nlp()
    keep = tuple(labels)
    names = _known_names(pipeline)

    def prepared() -> Iterator[tuple[str, tuple[NormalizedText, list[tuple[str, int, int]]]]]:
        for x in items:
            text, parts = text_and_fields(x)
            nt = normalize(text, profile="display", return_offsets=True)
            yield nt.text, (nt, parts)

    if n_process > 1:
        # as_tuples keeps the offsets in this process; only the cleaned text goes to workers.
        for doc, (nt, parts) in pipeline.pipe(
            prepared(), as_tuples=True, batch_size=batch_size, n_process=n_process
        ):
            yield _entities_from_doc(doc, nt, parts, keep, propagate, names, link)
        return
    if zone_size is None:
        for doc, (nt, parts) in pipeline.pipe(prepared(), as_tuples=True, batch_size=batch_size):
            yield _entities_from_doc(doc, nt, parts, keep, propagate, names, link)
        return
    stream = prepared()
    while group := list(islice(stream, zone_size)):
        # A memory zone frees the strings and lexemes of the group's new words: without it
        # spaCy's vocabulary grows with every word type of a corpus. Each zone re-creates the
        # words it meets, so zones are large (creating a lexeme costs ~20 µs).
        with pipeline.memory_zone():
            done = [
                _entities_from_doc(doc, nt, parts, keep, propagate, names, link)
                for doc, (nt, parts) in pipeline.pipe(group, as_tuples=True, batch_size=batch_size)
            ]
        yield from done
