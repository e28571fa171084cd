"""Entity highlighting: article text as escaped HTML with ``<mark>`` around each mention.

Offsets are character offsets into ``article.text`` (title, lede and body joined by blank
lines), the convention of :mod:`arabnews_nlp.entities`; each field is rendered on its own so
the title can be a heading and the body keeps its paragraphs.

Example:
    >>> from arabnews_nlp import Article
    >>> from arabnews_nlp.entities import Entity
    >>> art = Article(title="زيارة إلى دمشق", body="وصل <الوفد> إلى دمشق.")
    >>> ents = [Entity("LOC", "دمشق", 10, 14, "دمشق", field="title", field_start=10, field_end=14)]
    >>> highlight_fields(art, ents)["title"]
    'زيارة إلى <mark class="ent LOC" title="LOC · دمشق">دمشق</mark>'
    >>> highlight_fields(art, ents)["body"]
    'وصل &lt;الوفد&gt; إلى دمشق.'
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from arabnews_nlp.article import Article
from arabnews_nlp.entities import Entity
from arabnews_nlp.entities.extract import text_and_fields

__all__ = ["highlight", "highlight_fields"]


def highlight(text: str, spans: Sequence[tuple[int, int, str, str]]) -> str:
    """Escape ``text`` and wrap each ``(start, end, label, tooltip)`` span in a ``<mark>``.

    Overlapping spans (which a tagger should not produce) keep the first, so the markup is
    always well nested.
    """
    out: list[str] = []
    pos = 0
    for start, end, label, tip in sorted(spans):
        if start < pos or end <= start or end > len(text):
            continue
        out.append(escape(text[pos:start]))
        out.append(
            f'<mark class="ent {escape(label)}" title="{escape(tip)}">'
            f"{escape(text[start:end])}</mark>"
        )
        pos = end
    out.append(escape(text[pos:]))
    return "".join(out)


def highlight_fields(article: Article, entities: Sequence[Entity]) -> dict[str, str]:
    """The title, lede and body of ``article`` as HTML with the entity mentions marked.

    Returns:
        ``{"title": ..., "lede": ..., "body": ...}`` for the non-empty fields.
    """
    _, fields = text_and_fields(article)
    out: dict[str, str] = {}
    for name, start, end in fields:
        spans = [
            (e.start - start, e.end - start, e.label, f"{e.label} · {e.canonical}")
            for e in entities
            if start <= e.start and e.end <= end
        ]
        out[name] = highlight(getattr(article, name), spans)
    return out
