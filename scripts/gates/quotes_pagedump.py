"""Gate: quote attribution on a real news page (../shared/examples/news-page-dump.txt).

Runs the shipped NER model and :func:`arabnews_nlp.quotes.extract_quotes` on the page's main
story and checks that the Kremlin announcement («وأعلن الكرملين أن الاجتماعات…») is a reported
quote whose speaker is الكرملين, linked to an ORG entity, with the cue وأعلن, and that every
quote's spans are exact slices of the article text.

Usage:
    python scripts/gates/quotes_pagedump.py [PATH]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from entities_pagedump import page_argument

from arabnews_nlp.corpus import read_articles
from arabnews_nlp.entities import extract_entities
from arabnews_nlp.quotes import extract_quotes


def run(path: Path) -> dict[str, Any]:
    """Extract the page's quotes and check the Kremlin announcement."""
    article = next(iter(read_articles(str(path), format="pagedump", errors="raise")))
    text = article.text
    quotes = extract_quotes(article, extract_entities(article))
    spans_ok = all(
        text[s.start : s.end] == s.text
        for q in quotes
        for s in (q.cue, q.content, *((q.speaker,) if q.speaker else ()), *q.sources)
    )
    kremlin = [
        q for q in quotes if q.cue.text == "وأعلن" and q.content.text.startswith("الاجتماعات")
    ]
    ok = (
        len(kremlin) == 1
        and kremlin[0].kind == "reported"
        and kremlin[0].speaker is not None
        and kremlin[0].speaker.text == "الكرملين"
        and kremlin[0].speaker_label == "ORG"
    )
    return {
        "path": str(path),
        "quotes": [q.to_dict() for q in quotes],
        "kremlin_announcement": kremlin[0].to_dict() if kremlin else None,
        "spans_exact": spans_ok,
        "passed": ok and spans_ok,
    }


def main(argv: list[str] | None = None) -> int:
    path = page_argument(argv, __doc__)
    if path is None:
        return 1
    result = run(path)
    for q in result["quotes"]:
        speaker = q["speaker"]["text"] if q["speaker"] else "-"
        print(
            f"{speaker} [{q['speaker_label'] or '-'}] {q['cue']['text']} ({q['kind']}): "
            f"{q['content']['text'][:70]}"
        )
    print(json.dumps({k: v for k, v in result.items() if k != "quotes"}, ensure_ascii=False))
    print("PASS" if result["passed"] else "FAIL")
    return 0 if result["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
