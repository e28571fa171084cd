"""The tokenizer of the NER pipeline, registered with spaCy as ``arabnews.news_tokenizer.v1``."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from arabnews_nlp.entities.constants import TOKENIZER_NAME
from arabnews_nlp.entities.data import WORDS_KEY, token_spans

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

__all__ = ["NewsTokenizer"]


class NewsTokenizer:
    """Splits text the way the NER training corpora are tokenized.

    Punctuation stands alone, clitics stay attached, numbers keep their decimal point (see
    :func:`arabnews_nlp.entities.data.token_spans`). Runs of whitespace other than one space become
    whitespace tokens, so ``doc.text`` is always the input string and offsets are exact.

    >>> import spacy
    >>> tok = NewsTokenizer(spacy.blank("ar").vocab)
    >>> [t.text for t in tok("قال: «نعم»، في  2.5%")]
    ['قال', ':', '«', 'نعم', '»', '،', 'في', ' ', '2.5%']
    """

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        from spacy.tokens import Doc

        words: list[str] = []
        spaces: list[bool] = []
        pos = 0
        for start, end in [*token_spans(text), (len(text), len(text))]:
            gap = text[pos:start]
            if gap.startswith(" ") and words:
                spaces[-1] = True
                gap = gap[1:]
            if gap:
                words.append(gap)
                spaces.append(False)
            if end > start:
                words.append(text[start:end])
                spaces.append(False)
            pos = end
        doc = Doc(self.vocab, words=words, spaces=spaces)
        doc.user_data[WORDS_KEY] = tuple(words)
        return doc

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterable[Doc]:
        for text in texts:
            yield self(text)

    # The tokenizer has no state: serialization only records what it is.
    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return json.dumps({"tokenizer": TOKENIZER_NAME}).encode()

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> NewsTokenizer:
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        Path(path).write_bytes(self.to_bytes())

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> NewsTokenizer:
        return self
