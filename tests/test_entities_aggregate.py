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


def _many_mentions(n: int) -> list[Entity]:
    """``n`` mentions of a few names (a long article, or many articles summarised at once)."""
    names = [("PER", "أحمد الشرع"), ("PER", "الشرع"), ("LOC", "موسكو"), ("ORG", "الأمم المتحدة")]
    out = []
    for i in range(n):
        label, name = names[i % len(names)]
        out.append(Entity(label, name, 20 * i, 20 * i + len(name), name, 0.9))
    return out


def _seconds(entities: list[Entity]) -> float:
    import time

    # CPU time of this process: wall time swings when other jobs share the cores.
    started = time.process_time()
    aggregate_entities(entities)
    return time.process_time() - started


def test_aggregation_time_grows_linearly_with_mentions() -> None:
    # Quadratic counting took ~30 s for 150k mentions. Fresh mentions for every timing: an
    # Entity caches its key, so a second pass over the same objects would be cheaper.
    _seconds(_many_mentions(2_000))  # warm up (imports, normalizer tables)
    t_small = min(_seconds(_many_mentions(10_000)) for _ in range(2))
    large = _many_mentions(80_000)
    t_large = _seconds(large)
    # 8x the mentions: linear is ~8x the time, quadratic ~64x; generous for a busy machine.
    assert t_large < 25 * t_small
    assert t_large < 10.0
    summary = {s.canonical: s.count for s in aggregate_entities(large)}
    assert summary == {"أحمد الشرع": 40_000, "موسكو": 20_000, "الأمم المتحدة": 20_000}


def _distinct_persons(n: int) -> list[Entity]:
    """``n`` distinct two-word person names plus one short name that fits a single one."""
    letters = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
    out = []
    for i in range(n):
        family = "".join(letters[(i // 28**p) % 28] for p in range(3))
        name = f"سالم {family}"
        out.append(Entity("PER", name, 12 * i, 12 * i + len(name), name, 0.9))
    out.append(Entity("PER", "ببب", 12 * n, 12 * n + 3, "ببب", 0.9))
    return out


def test_person_merging_is_not_pairwise_over_distinct_names() -> None:
    # Comparing every short name with every longer one took 5 s for 4,000 names.
    t_small = min(_seconds(_distinct_persons(1_000)) for _ in range(2))
    large = _distinct_persons(8_000)
    t_large = _seconds(large)
    assert t_large < 25 * t_small
    merged = {s.canonical: s.count for s in aggregate_entities(large)}
    assert len(merged) == 8_000 and merged["سالم ببب"] == 2
