"""Right-to-left displaCy rendering of extracted entities.

displaCy's manual mode takes character spans, so the entities are drawn on the caller's own
text (not on a spaCy ``Doc``); the ``settings`` make the markup right-to-left with ``lang="ar"``.

Example:
    >>> from arabnews_nlp.entities import Entity, render_entities
    >>> putin = Entity("PER", "بوتين", 4, 9, "بوتين")
    >>> html = render_entities("زار بوتين دمشق", [putin], jupyter=False)
    >>> 'dir="rtl"' in html and "بوتين" in html
    True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from arabnews_nlp.article import Article
from arabnews_nlp.entities.entity import Entity
from arabnews_nlp.entities.extract import extract_entities, text_and_fields

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language

__all__ = ["COLORS", "render_entities"]

#: Background colour of each label in the rendering.
COLORS: dict[str, str] = {"PER": "#f9c784", "LOC": "#9fd8cb", "ORG": "#b5c7f2"}


def render_entities(
    x: str | Article,
    entities: Sequence[Entity] | None = None,
    *,
    jupyter: bool | None = None,
    nlp: Language | None = None,
    page: bool = False,
) -> str:
    """Render the entities of a text or article as right-to-left displaCy HTML.

    Args:
        x: The text, or an article (rendered as ``article.text``).
        entities: Entities with offsets into that text; extracted with the shipped model
            (or ``nlp``) when None.
        jupyter: Also display the markup in a notebook; None detects a notebook like displaCy.
        nlp: The pipeline used when ``entities`` is None.
        page: Wrap the markup in a full HTML page.

    Returns:
        The HTML markup (also when it is displayed in a notebook).

    Example:
        >>> html = render_entities("وصل الرئيس السوري أحمد الشرع إلى موسكو، والتقى بوتين.")
        >>> html.startswith('<div dir="rtl" lang="ar">'), html.count('<mark class="entity"')
        (True, 3)
    """
    from spacy import displacy

    text, _ = text_and_fields(x)
    if entities is None:
        entities = extract_entities(x, nlp=nlp)
    data = {
        "text": text,
        "ents": [{"start": e.start, "end": e.end, "label": e.label} for e in entities],
        "title": None,
        "settings": {"lang": "ar", "direction": "rtl"},
    }
    options = {"ents": sorted({*COLORS, *(e.label for e in entities)}), "colors": COLORS}
    html: str = displacy.render(
        data, style="ent", manual=True, page=page, jupyter=False, options=options
    )
    # displaCy only sets the CSS direction; the dir attribute also drives the bidi algorithm for
    # the mixed Arabic/Latin/digit runs of news text.
    if page:
        html = html.replace('<html lang="ar">', '<html lang="ar" dir="rtl">', 1)
    else:
        html = f'<div dir="rtl" lang="ar">{html}</div>'
    if jupyter or (jupyter is None and displacy.is_in_jupyter()):
        from IPython.display import HTML, display

        display(HTML(html))
    return html
