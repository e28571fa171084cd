"""Readers for the NER training formats, tag cleaning, and the tokenization the model expects.

The three corpora the model is trained on disagree on format and tag set:

* **ANERcorp**: ``token TAG`` per line, no blank lines (a sentence ends with a ``.`` token),
  IOB1-ish tags ``B-/I-`` of ``PERS LOC ORG MISC`` with stray ``I-`` after ``O``;
* **AQMAR**: ``token TAG`` with blank lines between sentences, ``PER LOC ORG MIS0..MIS3`` plus a
  few noisy tags (``IO``, ``OO``, ``I--ORG``);
* **Wojood**: ``token TAG [TAG...]`` (nested, 21 types), blank lines between sentences and
  ``$#$`` segment markers.

Every reader yields :class:`Sentence` objects with clean IOB2 tags over the labels
``PER LOC ORG MISC`` (see :func:`clean_tags`).

Example:
    >>> clean_tags(["O", "I-PERS", "I-PERS", "O", "B-LOC", "I-ORG"])
    ['O', 'B-PER', 'I-PER', 'O', 'B-LOC', 'B-ORG']
    >>> word_tokens("زار الرئيسُ دمشقَ، أمس.")
    ['زار', 'الرئيسُ', 'دمشقَ', '،', 'أمس', '.']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from arabnews_nlp._charmaps import SENTENCE_END

__all__ = [
    "LABELS",
    "Sentence",
    "clean_tags",
    "doc_words",
    "map_entity_label",
    "read_anercorp",
    "read_aqmar",
    "read_conll",
    "read_wojood",
    "split_dev",
    "tag_ministries",
    "tag_spans",
    "token_spans",
    "word_tokens",
]

#: The labels the model predicts. ``MISC`` is learned (it keeps nationalities, events and
#: products out of the three public labels) but never leaves the pipeline.
LABELS = ("PER", "LOC", "ORG", "MISC")
PUBLIC_LABELS = ("PER", "LOC", "ORG")
# Sentence-final tokens of the NER model: tokenize.SENTENCE_END without … and ۔, as the shipped
# CRF and its cluster table were built; retraining both on SENTENCE_END removes this variant.
_NER_SENTENCE_END = SENTENCE_END - {"\u2026", "\u06d4"}

# Every spelling of a type in the three corpora (and in Wojood's 21 types) mapped onto ours;
# a type missing here (dates, occupations, currencies ...) becomes O.
_LABEL_MAP = {
    "PER": "PER",
    "PERS": "PER",
    "LOC": "LOC",
    "GPE": "LOC",
    "FAC": "LOC",
    "ORG": "ORG",
    "MISC": "MISC",
    "MIS": "MISC",
    "MIS0": "MISC",
    "MIS1": "MISC",
    "MIS2": "MISC",
    "MIS3": "MISC",
    "MIS-1": "MISC",
    "MIS-2": "MISC",
}

# ------------------------------------------------------------------ tokenization
# The training corpora split punctuation off words and keep clitics attached, so the model's
# tokenizer does the same: a run of word characters (letters, digits, and the diacritics,
# tatweel and invisible joiners/direction marks that live inside Arabic words) is one token,
# a number with a decimal/thousands separator is one token, and any other character stands alone.
_IN_WORD = (
    r"\w\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640"
    r"\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff"
)
# The general-purpose tokenizer is arabnews_nlp.tokenize; this variant is the one the shipped NER
# model (its tokenizer, features and cluster table) was trained with. Retraining the model on
# tokenize's tokens removes it.
_NER_TOKEN_RE = re.compile(rf"(?:\d+(?:[.,\u066b\u066c]\d+)+|[{_IN_WORD}]+)%?|\S")


def token_spans(text: str) -> list[tuple[int, int]]:
    """Character spans ``(start, end)`` of the tokens of ``text``, split as the corpora are.

    >>> token_spans("في بيروت.")
    [(0, 2), (3, 8), (8, 9)]
    """
    return [m.span() for m in _NER_TOKEN_RE.finditer(text)]


def doc_words(doc: Any) -> list[str]:
    """The text of every token of a spaCy ``Doc``, whitespace tokens included.

    Read from the doc's arrays and string store: iterating the ``Doc`` (or reading ``doc.text``,
    which spaCy rebuilds from every token) makes a Python ``Token`` object per token, a cost
    that shows on a whole corpus.

    >>> import spacy
    >>> doc_words(spacy.blank("ar")("زار ماكرون بيروت"))
    ['زار', 'ماكرون', 'بيروت']
    """
    from spacy.attrs import ORTH

    # The news tokenizer leaves its word list on the doc: the pipeline reads it three times.
    words = doc.user_data.get(WORDS_KEY)
    if words is not None and len(words) == len(doc):
        return list(words)
    strings = doc.vocab.strings
    return [strings[h] for h in doc.to_array([ORTH]).tolist()]


#: ``doc.user_data`` key under which a tokenizer may leave the token texts it made the doc from.
WORDS_KEY = "arabnews_words"


def word_tokens(text: str) -> list[str]:
    """The tokens of ``text`` as strings, split the way the training corpora are."""
    return _NER_TOKEN_RE.findall(text)


def text_sentences(text: str) -> Iterator[list[str]]:
    """The token lists of ``text``, one per sentence, split the way ANERcorp is: a line break
    or a sentence-final mark ends a sentence (the mark stays in it).

    >>> list(text_sentences("زار موسكو. ثم عاد"))
    [['زار', 'موسكو', '.'], ['ثم', 'عاد']]
    """
    for line in text.split("\n"):
        sentence: list[str] = []
        for token in word_tokens(line):
            sentence.append(token)
            if token in _NER_SENTENCE_END:
                yield sentence
                sentence = []
        if sentence:
            yield sentence


# ------------------------------------------------------------------ tags
@dataclass
class Sentence:
    """One tokenized sentence with IOB2 tags (``O``, ``B-PER``, ``I-LOC`` ...)."""

    tokens: list[str]
    tags: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.tags:
            self.tags = ["O"] * len(self.tokens)
        if len(self.tags) != len(self.tokens):
            raise ValueError(f"{len(self.tokens)} tokens but {len(self.tags)} tags")


def map_entity_label(label: str) -> str | None:
    """Our label for a corpus label (``PERS``→``PER``, ``GPE``→``LOC``), ``None`` if unused.

    >>> [map_entity_label(x) for x in ("PERS", "GPE", "MIS2", "DATE")]
    ['PER', 'LOC', 'MISC', None]
    """
    return _LABEL_MAP.get(label.strip("-").upper())


def _split_tag(tag: str) -> tuple[str, str | None]:
    """``(prefix, label)`` of a raw tag, tolerant of the noise in the corpora."""
    tag = tag.strip()
    if tag in {"", "O", "OO", "IO", "0"}:
        return "O", None
    prefix, sep, label = tag.partition("-")
    if not sep or prefix not in {"B", "I", "E", "S"}:
        # A bare type ("LOC") is an inside tag of that type; anything else is noise.
        return ("I", map_entity_label(tag)) if map_entity_label(tag) else ("O", None)
    mapped = map_entity_label(label)
    return (prefix, mapped) if mapped else ("O", None)


def clean_tags(tags: Sequence[str]) -> list[str]:
    """Repair raw tags into IOB2 over :data:`LABELS`.

    Labels are mapped with :func:`map_entity_label`; an ``I-X`` that does not continue an ``X``
    entity (after ``O`` or after another type: the IOB1 habit of ANERcorp) opens a new entity;
    ``E-``/``S-`` prefixes are read as ``I-``/``B-``; unknown types become ``O``.
    """
    out: list[str] = []
    previous: str | None = None
    for raw in tags:
        prefix, label = _split_tag(raw)
        if label is None:
            out.append("O")
            previous = None
            continue
        starts = prefix in {"B", "S"} or label != previous
        out.append(("B-" if starts else "I-") + label)
        previous = label
    return out


# "وزارة" (ner-normalized) bare or after a conjunction/preposition: "بوزارة", "ولوزارة".
_MINISTRY = {p + "وزاره" for p in ("", "و", "ف", "ب", "ل", "وب", "ول", "فب", "فل")}
# Tashkeel, tatweel and the hamza/alef-maqsura/teh-marbuta spellings the ner profile folds.
_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي", "ة": "ه", "\u0640": None})
_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u200b-\u200f]")


def _adjective(norm: str, nationalities: set[str]) -> bool:
    return norm in nationalities or (
        norm.startswith("ال") and norm.endswith(("ي", "يه")) and len(norm) > 4
    )


def tag_ministries(sentences: Iterable[Sentence], adjectives: Iterable[str] = ()) -> int:
    """Tag ministry names as ``ORG`` in place; returns how many were tagged.

    ANERcorp leaves government ministries untagged ("وزارة الخارجية الألمانية" is all ``O``),
    unlike ACE, OntoNotes and Wojood, where they are organisations: a model trained on it
    never finds one. The pattern is narrow: "وزارة" (with any proclitic) + a definite noun
    (``ال``...) + optionally a definite adjective (a nationality from ``adjectives``, normalized
    with the ``ner`` profile, or a nisba form ``ال…ي``/``ال…يه``: "الموارد المائية"), all
    untagged (the adjective may be ``MISC``).

    >>> s = Sentence(["قالت", "وزارة", "الدفاع", "الروسية", "إن"])
    >>> tag_ministries([s], adjectives={"الروسيه"}), s.tags
    (1, ['O', 'B-ORG', 'I-ORG', 'I-ORG', 'O'])
    """
    nisba = set(adjectives)
    tagged = 0
    for sentence in sentences:
        norms = [_MARKS.sub("", t).translate(_FOLD) for t in sentence.tokens]
        tags = sentence.tags
        for i in range(len(norms) - 1):
            if norms[i] not in _MINISTRY or tags[i] != "O" or tags[i + 1] != "O":
                continue
            if not (norms[i + 1].startswith("ال") and len(norms[i + 1]) > 3):
                continue
            end = i + 2
            if end < len(norms) and tags[end] in ("O", "B-MISC") and _adjective(norms[end], nisba):
                end += 1
            tags[i:end] = ["B-ORG"] + ["I-ORG"] * (end - i - 1)
            tagged += 1
    return tagged


def tag_spans(tags: Sequence[str]) -> list[tuple[str, int, int]]:
    """Entity spans ``(label, start, end)`` (token indices, end exclusive) of IOB2 tags.

    >>> tag_spans(["B-PER", "I-PER", "O", "B-LOC", "B-LOC"])
    [('PER', 0, 2), ('LOC', 3, 4), ('LOC', 4, 5)]
    """
    spans: list[tuple[str, int, int]] = []
    start, label = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        inside = tag.startswith("I-") and tag[2:] == label and start >= 0
        if inside:
            continue
        if start >= 0:
            spans.append((label, start, i))
            start = -1
        if tag != "O":
            start, label = i, tag[2:]
    return spans


# ------------------------------------------------------------------ readers
def _rows(path: Path) -> Iterator[list[str] | None]:
    """The whitespace-split rows of a CoNLL-like file; ``None`` for a blank line."""
    with open(path, encoding="utf-8-sig") as handle:
        for line in handle:
            parts = line.split()
            yield parts or None


def _sentences(
    rows: Iterable[list[str] | None], *, split_on_period: bool, nested: bool = False
) -> Iterator[Sentence]:
    tokens: list[str] = []
    tag_columns: list[list[str]] = []

    def flush() -> Iterator[Sentence]:
        if tokens:
            tags = _flatten_nested(tag_columns) if nested else [c[0] for c in tag_columns]
            yield Sentence(list(tokens), clean_tags(tags))
        tokens.clear()
        tag_columns.clear()

    for row in rows:
        if row is None or row[0] == "$#$":
            yield from flush()
            continue
        if len(row) == 1:  # a token that is only an invisible mark: drop it, keep the sentence
            continue
        tokens.append(row[0])
        tag_columns.append(row[1:])
        if split_on_period and row[0] in {".", "!", "?", "؟"}:
            yield from flush()
    yield from flush()


def _flatten_nested(columns: list[list[str]]) -> list[str]:
    """One IOB2 layer from Wojood's nested tags: the outermost entity of a kept type wins.

    Each row lists the tags of every entity covering the token, outermost first. We gather
    every span of a type we keep (an ``ORG`` nested in an occupation counts) and keep the
    longest ones that do not overlap a kept span.
    """
    layers: dict[int, list[str]] = {}
    for i, column in enumerate(columns):
        for raw in column:
            prefix, label = _split_tag(raw)
            if label is None or label == "MISC":
                continue
            # Rebuild each entity by its label and start: a B- opens, an I- extends.
            key = i if prefix == "B" else _open_key(layers, label, i)
            layers.setdefault(key, []).append(label)
    candidates: list[tuple[str, int, int]] = []
    for start, labels in layers.items():
        label = labels[0]
        end = start + len(labels)
        candidates.append((label, start, end))
    candidates.sort(key=lambda s: (-(s[2] - s[1]), s[1]))
    tags = ["O"] * len(columns)
    for label, start, end in candidates:
        if all(t == "O" for t in tags[start:end]):
            tags[start] = "B-" + label
            tags[start + 1 : end] = ["I-" + label] * (end - start - 1)
    return tags


def _open_key(layers: dict[int, list[str]], label: str, i: int) -> int:
    """The start of the entity of ``label`` that token ``i`` continues (``i`` if none)."""
    for start in sorted(layers, reverse=True):
        labels = layers[start]
        if start + len(labels) == i and labels[0] == label:
            return start
    return i


def read_conll(path: str | Path) -> list[Sentence]:
    """Read a ``token TAG`` file: blank lines split sentences and so do ``.``/``!``/``?`` tokens
    when the file has no blank lines (the ANERcorp layout). Tags are cleaned."""
    path = Path(path)
    with open(path, encoding="utf-8-sig") as handle:
        has_blank = any(not line.strip() for line in handle)
    return list(_sentences(_rows(path), split_on_period=not has_blank))


def read_anercorp(path: str | Path) -> list[Sentence]:
    """Read ANERcorp (``token TAG``, sentences end with a ``.`` token)."""
    return list(_sentences(_rows(Path(path)), split_on_period=True))


def read_aqmar(path: str | Path) -> list[Sentence]:
    """Read one AQMAR file or every ``*.txt`` of an AQMAR folder (``MIS*`` become ``MISC``)."""
    path = Path(path)
    files = sorted(path.glob("*.txt")) if path.is_dir() else [path]
    return [s for f in files for s in _sentences(_rows(f), split_on_period=False)]


def read_wojood(path: str | Path) -> list[Sentence]:
    """Read a Wojood file (or the ``train.txt``/``val.txt`` of a folder), flattening nested tags.

    ``GPE``/``LOC``/``FAC`` become ``LOC``, ``PERS`` becomes ``PER``, ``ORG`` stays; the other
    18 types are dropped. Wojood has no ``MISC``: none is produced.
    """
    path = Path(path)
    files = (
        [p for p in (path / "train.txt", path / "val.txt") if p.exists()]
        if path.is_dir()
        else [path]
    )
    return [s for f in files for s in _sentences(_rows(f), split_on_period=False, nested=True)]


def split_dev(
    sentences: Sequence[Sentence], fraction: float = 0.1
) -> tuple[list[Sentence], list[Sentence]]:
    """``(train, dev)``: the dev set is the last ``fraction`` of the sentences, in order."""
    cut = len(sentences) - round(len(sentences) * fraction)
    return list(sentences[:cut]), list(sentences[cut:])
