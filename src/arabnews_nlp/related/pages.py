"""Rank the related-articles block a news page carries against the page itself.

A page dump (``format="pagedump"``) keeps the site's own "related articles" block in
``meta["related"]``. :func:`rank_page_block` indexes those stubs alone and asks which of them
tell the page's story, so the site's order can be read beside ours (``arabnews related
page.txt`` prints both, and so does the report of ``arabnews analyze --report``).

Example:
    >>> from arabnews_nlp import Article
    >>> page = Article(id="p", title="الحكومة تدعم مزارعي القمح", body="خطة لدعم مزارعي القمح.",
    ...                meta={"related": [{"title": "موجة حر على الساحل"},
    ...                                  {"title": "توزيع بذار القمح على المزارعين"}]})
    >>> [(r.title, r.meta_position) for r in rank_page_block(page)][0]
    ('توزيع بذار القمح على المزارعين', 2)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from arabnews_nlp.article import Article
from arabnews_nlp.corpus.pagedump import related_stubs_as_articles
from arabnews_nlp.related.index import EntityExtractor, RelatedIndex

__all__ = ["RankedStub", "rank_page_block"]


@dataclass(frozen=True)
class RankedStub:
    """One stub of a page's related block, as we rank it.

    Attributes:
        rank: Our rank (1 = most related to the page).
        meta_position: Its place in the site's block (1-based).
        title: The stub's title.
        score: Cosine with the page.
        shared_terms: Words the page and the stub share.
        shared_entities: Entities they share (when ranked with entities).
    """

    rank: int
    meta_position: int
    title: str
    score: float
    shared_terms: list[str]
    shared_entities: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready fields (``site_position`` for the site's place; ``shared_entities`` only
        when there are some)."""
        out: dict[str, object] = {
            "rank": self.rank,
            "site_position": self.meta_position,
            "title": self.title,
            "score": round(self.score, 4),
            "shared_terms": self.shared_terms,
        }
        if self.shared_entities:
            out["shared_entities"] = self.shared_entities
        return out


def rank_page_block(
    page: Article,
    *,
    entity_weight: float = 0.0,
    entity_extractor: EntityExtractor | None = None,
) -> list[RankedStub]:
    """The stubs of ``page.meta["related"]`` ranked by relatedness to the page, best first.

    Nothing is set apart as a near-duplicate (a stub repeating the page's title is the most
    related, not a copy to hide); an empty block gives an empty list.

    Args:
        page: The page, its related block in ``meta["related"]`` (a page dump's).
        entity_weight: Share of the score given to shared entities (0: text only).
        entity_extractor: Gives the entities of the page and of each stub that have no
            ``meta["entities"]`` (see :class:`~arabnews_nlp.related.RelatedIndex`).
    """
    stubs = related_stubs_as_articles(page)
    if not stubs:
        return []
    index = RelatedIndex(
        entity_weight=entity_weight, entity_extractor=entity_extractor, duplicate_threshold=2.0
    ).fit(stubs)
    position = {s.id: int(s.meta["position"]) for s in stubs}
    found = index.query(page, k=len(stubs), max_duplicates=0)
    return [
        RankedStub(
            r.rank,
            position[r.id],
            r.title,
            r.score,
            list(r.shared_terms),
            list(r.shared_entities),
        )
        for r in found
    ]
