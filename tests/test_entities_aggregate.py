"""Article-level aggregation: merging, title mentions, salience (no model needed)."""

from __future__ import annotations

import json

from arabnews_nlp.entities import Entity, aggregate_entities
from arabnews_nlp.entities.canonical import canonical_name


def _mentions(text: str, spans: list[tuple[str, str]]) -> list[Entity]:
    """Entities for the given (label, surface) pairs, located left to right in ``text``."""
    out = []
    pos = 0
    for label, surface in spans:
        start = text.index(surface, pos)
        end = start + len(surface)
        out.append(Entity(label, surface, start, end, canonical_name(surface, label), 0.8))
        pos = end
    return out


TITLE = "الرئيس الشرع يلتقي بوتين في موسكو"
BODY = (
    "وصل الرئيس السوري أحمد الشرع إلى موسكو حيث استقبله الرئيس الروسي فلاديمير بوتين. "
    "وقال بوتين إن المحادثات مع الشرع تناولت الوضع في دمشق، فيما أكد الشرع أن سوريا منفتحة."
)
TEXT = TITLE + "\n\n" + BODY
SPANS = [
    ("PER", "الشرع"),
    ("PER", "بوتين"),
    ("LOC", "موسكو"),
    ("PER", "أحمد الشرع"),
    ("LOC", "موسكو"),
    ("PER", "فلاديمير بوتين"),
    ("PER", "بوتين"),
    ("PER", "الشرع"),
    ("LOC", "دمشق"),
    ("PER", "الشرع"),
    ("LOC", "سوريا"),
]


def test_short_person_mentions_merge_into_full_names() -> None:
    summaries = aggregate_entities(_mentions(TEXT, SPANS), title_end=len(TITLE))
    by_name = {s.canonical: s for s in summaries}
    assert set(by_name) == {"أحمد الشرع", "فلاديمير بوتين", "موسكو", "دمشق", "سوريا"}
    sharaa = by_name["أحمد الشرع"]
    assert sharaa.count == 4
    assert sharaa.forms == ("الشرع", "أحمد الشرع")
    assert sharaa.first_start == TITLE.index("الشرع")
    assert sharaa.in_title and sharaa.title_count == 1
    assert by_name["فلاديمير بوتين"].count == 3
    assert by_name["موسكو"].count == 2
    assert not by_name["دمشق"].in_title


def test_salience_rank_prefers_frequent_title_entities() -> None:
    summaries = aggregate_entities(_mentions(TEXT, SPANS), title_end=len(TITLE))
    assert [s.rank for s in summaries] == list(range(1, len(summaries) + 1))
    assert summaries[0].canonical == "أحمد الشرع"
    assert summaries[-1].canonical in {"دمشق", "سوريا"}
    assert all(0.0 <= s.salience <= 1.0 for s in summaries)
    assert summaries == sorted(summaries, key=lambda s: -s.salience)


def test_ambiguous_short_name_stays_separate() -> None:
    text = "قارن المؤرخ بين حافظ الأسد وبشار الأسد، وقال إن الأسد غيّر سياسته."
    ents = _mentions(text, [("PER", "حافظ الأسد"), ("PER", "بشار الأسد"), ("PER", "الأسد")])
    names = sorted(s.canonical for s in aggregate_entities(ents))
    assert names == ["الأسد", "بشار الأسد", "حافظ الأسد"]


def test_names_of_other_labels_are_not_merged() -> None:
    text = "زار جورج واشنطن مدينة واشنطن"
    ents = _mentions(text, [("PER", "جورج واشنطن"), ("LOC", "واشنطن")])
    assert {(s.label, s.count) for s in aggregate_entities(ents)} == {("PER", 1), ("LOC", 1)}


def test_spelling_variants_share_one_entry() -> None:
    text = "وصل إلى القاهرة ثم غادر القاهره"
    ents = _mentions(text, [("LOC", "القاهرة"), ("LOC", "القاهره")])
    [summary] = aggregate_entities(ents)
    assert summary.count == 2 and summary.forms == ("القاهرة", "القاهره")


def test_fields_decide_title_mentions() -> None:
    ents = [
        Entity("LOC", "بيروت", 0, 5, "بيروت", field="title", field_start=0, field_end=5),
        Entity("LOC", "صيدا", 20, 24, "صيدا", field="body", field_start=3, field_end=7),
    ]
    summaries = aggregate_entities(ents)
    assert [(s.canonical, s.in_title) for s in summaries] == [("بيروت", True), ("صيدا", False)]


def test_empty_and_json() -> None:
    assert aggregate_entities([]) == []
    [summary] = aggregate_entities([Entity("ORG", "اليونسكو", 3, 11, "اليونسكو")])
    data = json.loads(json.dumps(summary.to_dict(), ensure_ascii=False))
    assert data["mentions"] == [[3, 11]] and data["score"] is None and data["rank"] == 1


def test_a_name_with_several_labels_takes_the_majority_label() -> None:
    text = "موسكو ترحب، ووصل الوفد إلى موسكو، وقالت موسكو إن الزيارة ناجحة"
    ents = _mentions(text, [("LOC", "موسكو"), ("LOC", "موسكو"), ("ORG", "موسكو")])
    [summary] = aggregate_entities(ents)
    assert (summary.label, summary.count) == ("LOC", 3)
