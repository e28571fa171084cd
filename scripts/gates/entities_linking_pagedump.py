"""Gate: entity linking on the seed news page (../shared/examples/news-page-dump.txt).

Extracts and aggregates the page's main story with the shipped model and checks the linked
ids, Latin names and countries of the names the page is about: موسكو → Moscow (RU), دمشق →
Damascus (SY), القامشلي → Qamishli (SY), حميميم → Hmeimim (SY) or unresolved, فلاديمير بوتين →
Vladimir Putin, أحمد الشرع → Ahmed al-Sharaa. Prints the linked entities; exits 1 on a miss.

Usage:
    python scripts/gates/entities_linking_pagedump.py [PATH]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from entities_pagedump import load_page, page_argument

from arabnews_nlp.entities import aggregate_entities, entity_key, extract_entities

# name → (Latin name must contain, country, may stay unresolved)
EXPECTED: dict[str, tuple[str, str, bool]] = {
    "موسكو": ("Moscow", "RU", False),
    "دمشق": ("Damascus", "SY", False),
    "القامشلي": ("Qamishli", "SY", False),
    "حميميم": ("Hmeimim", "SY", True),
    "فلاديمير بوتين": ("Vladimir Putin", "", False),
    "أحمد الشرع": ("Ahmed al-Sharaa", "SY", False),
}


def main(argv: list[str] | None = None) -> int:
    path = page_argument(argv, __doc__)
    if path is None:
        return 1
    page, reader = load_page(path)
    summaries = aggregate_entities(extract_entities(page))
    print(f"{path} ({reader})")
    for s in summaries:
        where = f" ({s.lat}, {s.lon})" if s.lat is not None else ""
        print(f"  {s.label} {s.canonical}: {s.kb_id} {s.latin} {s.country or ''}{where}")
    by_key = {s.key: s for s in summaries}
    failed = []
    for name, (latin, country, optional) in EXPECTED.items():
        s = by_key.get(entity_key(name))
        if s is None or s.kb_id is None:
            if not optional:
                failed.append(f"{name}: not linked")
            continue
        if latin not in (s.latin or "") or (country and s.country != country):
            failed.append(f"{name}: {s.kb_id} {s.latin} {s.country}, want {latin} {country}")
    for line in failed:
        print("FAIL", line)
    print("PASS" if not failed else "FAIL")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
