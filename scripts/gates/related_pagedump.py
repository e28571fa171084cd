"""Gate: related-article ranking on a real news page (../shared/examples/news-page-dump.txt).

The page's own "related articles" block lists weather, an Egypt–Turkey story and an
AI-governance meeting before the one truly related story. Indexing that block (title + lede of
each stub) and querying with the page's main story must put the Damascus–Moscow military
cooperation stub (title starting "دمشق وموسكو") first.

Prints the page order and our ranking with scores and shared terms, then a JSON summary;
exits 1 when the story is not first.

Usage:
    python scripts/gates/related_pagedump.py [PATH] [--entities]

With ``--entities`` the entity model also runs on the page and the stubs, and the ranking is
repeated with entity overlap blended into the score (``entity_weight=0.3``). The ranking is the
library's :func:`arabnews_nlp.related.pages.rank_page_block`, as in ``arabnews related page.txt``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from arabnews_nlp.article import Article
from arabnews_nlp.corpus import read_articles, related_stubs_as_articles
from arabnews_nlp.related.pages import RankedStub, rank_page_block

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("ARABNEWS_SHARED") or ROOT.parent / "shared")
DEFAULT_PATH = SHARED / "examples" / "news-page-dump.txt"
TARGET_PREFIX = "دمشق وموسكو"


def entity_names(article: Article) -> list[str]:
    """The shipped NER model's entity names of ``article`` (canonical forms)."""
    from arabnews_nlp.entities import aggregate_entities, extract_entities

    return [s.canonical for s in aggregate_entities(extract_entities(article))]


def show(title: str, results: list[RankedStub]) -> None:
    print(f"\n{title}")
    for r in results:
        mark = "*" if r.title.startswith(TARGET_PREFIX) else " "
        shared = "، ".join(r.shared_terms)
        if r.shared_entities:
            shared += " | entities: " + "، ".join(r.shared_entities)
        print(f"{mark} {r.rank}. {r.score:.3f}  {r.title}  [{shared}]")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_PATH)
    parser.add_argument("--entities", action="store_true", help="Also rank with entity overlap.")
    args = parser.parse_args(argv)
    if not args.path.is_file():
        print(f"page dump not found: {args.path}", file=sys.stderr)
        return 2
    page = next(iter(read_articles(str(args.path), format="pagedump", errors="raise")))
    stubs = related_stubs_as_articles(page)
    print(f"page: {page.title}")
    print("site order: " + " | ".join(s.title for s in stubs))
    results = rank_page_block(page)
    show("our ranking (TF-IDF, character 2-5-grams):", results)
    summary: dict[str, object] = {
        "stubs": len(stubs),
        "target_rank": next((r.rank for r in results if r.title.startswith(TARGET_PREFIX)), None),
        "site_rank": next(
            (i for i, s in enumerate(stubs, 1) if s.title.startswith(TARGET_PREFIX)), None
        ),
        "top_score": round(results[0].score, 4) if len(results) else None,
        "margin": round(results[0].score - results[1].score, 4) if len(results) > 1 else None,
    }
    if args.entities:
        ent_results = rank_page_block(page, entity_weight=0.3, entity_extractor=entity_names)
        show("with entity overlap (entity_weight=0.3):", ent_results)
        summary["target_rank_with_entities"] = next(
            (r.rank for r in ent_results if r.title.startswith(TARGET_PREFIX)), None
        )
        summary["margin_with_entities"] = round(ent_results[0].score - ent_results[1].score, 4)
    print(json.dumps(summary, ensure_ascii=False))
    ok = summary["target_rank"] == 1
    print("PASS" if ok else f"FAIL: the {TARGET_PREFIX}... story is not first")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
