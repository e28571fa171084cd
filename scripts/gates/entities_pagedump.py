"""Gate: the shipped NER model on a real news page (../shared/examples/news-page-dump.txt).

Runs extraction and aggregation on the page's main story and checks that

* the required people, places and organisations are found with the right label (compared by
  search-normalized canonical key);
* no canonical name still starts with a clitic (stripping proclitics changes nothing);
* no stop word or ordinary word is listed as an entity.

Prints a table of the article's entities and a JSON summary; exits 1 when a check fails.

Usage:
    python scripts/gates/entities_pagedump.py [PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from arabnews_nlp.article import Article
from arabnews_nlp.entities import aggregate_entities, entity_key, extract_entities
from arabnews_nlp.entities.canonical import COMMON_WORDS
from arabnews_nlp.tokenize import (
    PROTECTED_WORDS,
    STOP_WORDS,
    is_stop_word,
    strip_proclitics,
    tokenize,
)

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("ARABNEWS_SHARED") or ROOT.parent / "shared")
DEFAULT_PATH = SHARED / "examples" / "news-page-dump.txt"

REQUIRED: dict[str, tuple[str, ...]] = {
    "PER": ("أحمد الشرع", "فلاديمير بوتين", "بشار الأسد"),
    "LOC": ("موسكو", "سوريا", "روسيا", "دمشق", "القامشلي"),
    "ORG": ("الكرملين", "وزارة الدفاع الروسية"),
}


def load_page(path: Path) -> tuple[str | Article, str]:
    """The main story of the page, with the corpus page-dump reader when it is available."""
    try:
        from arabnews_nlp.corpus import read_articles

        article = next(iter(read_articles(str(path), format="pagedump", errors="raise")))
    except (ImportError, ValueError) as exc:  # no corpus package, or no page-dump reader in it
        return path.read_text(encoding="utf-8"), f"raw text (page-dump reader unavailable: {exc})"
    return article, "read_articles(format='pagedump')"


def _starts_with_clitic(name: str, page_words: set[str]) -> bool:
    """A first word that is clitic + a real word: the stem has the article, is in the
    segmenter's lexicon, or stands alone elsewhere on the page (so "وموسكو" fails, while a name
    that only looks like one, "بايرن", passes)."""
    first = name.split()[0]
    stem = strip_proclitics(first, keep_article=True)
    if stem == first:
        return False
    key = entity_key(stem)
    return key.startswith("ال") or key in PROTECTED_WORDS or key in page_words


def _is_common(name: str) -> bool:
    words = name.split()
    if all(is_stop_word(w) or entity_key(w) in STOP_WORDS for w in words):
        return True
    return len(words) == 1 and entity_key(name) in COMMON_WORDS


def run(path: Path) -> dict[str, Any]:
    """Extract, aggregate and check; return the JSON-able result."""
    page, reader = load_page(path)
    entities = extract_entities(page)
    summaries = aggregate_entities(entities)
    found = {(s.label, s.key) for s in summaries}
    any_label = {s.key: s.label for s in summaries}
    missing: list[dict[str, str]] = []
    for label, names in REQUIRED.items():
        for name in names:
            key = entity_key(name)
            if (label, key) not in found:
                missing.append({"name": name, "label": label, "found_as": any_label.get(key, "-")})
    text = page if isinstance(page, str) else page.text
    page_words = {entity_key(t.text) for t in tokenize(text)}
    clitics = sorted(
        {e.canonical for e in entities if _starts_with_clitic(e.canonical, page_words)}
    )
    common = sorted({e.canonical for e in entities if _is_common(e.canonical)})
    return {
        "path": str(path),
        "reader": reader,
        "mentions": len(entities),
        "unique": len(summaries),
        "missing": missing,
        "clitic_canonicals": clitics,
        "common_word_entities": common,
        "passed": not (missing or clitics or common),
        "entities": [s.to_dict() for s in summaries],
    }


def print_table(result: dict[str, Any]) -> None:
    print(f"{result['path']}  ({result['reader']})")
    print(
        f"{'rank':>4}  {'label':5}  {'count':>5}  {'title':5}  {'salience':>8}  {'score':>5}  name"
    )
    for s in result["entities"]:
        score = "-" if s["score"] is None else f"{s['score']:.2f}"
        title = "yes" if s["in_title"] else ""
        print(
            f"{s['rank']:>4}  {s['label']:5}  {s['count']:>5}  {title:5}  {s['salience']:>8.3f}  "
            f"{score:>5}  {s['canonical']}   [{' | '.join(s['forms'])}]"
        )
    for m in result["missing"]:
        print(f"MISSING  {m['label']} {m['name']} (found as: {m['found_as']})")
    for name in result["clitic_canonicals"]:
        print(f"CLITIC   canonical name starts with a clitic: {name}")
    for name in result["common_word_entities"]:
        print(f"COMMON   ordinary word listed as an entity: {name}")
    print("PASS" if result["passed"] else "FAIL")


def page_argument(argv: list[str] | None, description: str) -> Path | None:
    """The page-dump path of a page gate's command line (default: the shared seed page);
    None, after saying so on stderr, when the file is missing."""
    parser = argparse.ArgumentParser(description=description.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_PATH)
    path: Path = parser.parse_args(argv).path
    if not path.is_file():
        print(f"page dump not found: {path}", file=sys.stderr)
        return None
    return path


def main(argv: list[str] | None = None) -> int:
    path = page_argument(argv, __doc__)
    if path is None:
        return 1
    result = run(path)
    print_table(result)
    print(json.dumps({k: v for k, v in result.items() if k != "entities"}, ensure_ascii=False))
    return 0 if result["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
