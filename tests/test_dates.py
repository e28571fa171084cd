"""Date extraction: regional month sets, Hijri, relative expressions, date lines, the gold set."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from arabnews_nlp import Article
from arabnews_nlp.dates import DateMention, extract_dates
from arabnews_nlp.dates.dateline import parse_dateline
from arabnews_nlp.dates.evaluate import load_date_gold, score_dates
from arabnews_nlp.dates.hijri import gregorian_to_hijri_year, hijri_to_gregorian

FIXTURES = Path(__file__).parent / "fixtures" / "dates"


def _values(text: str, ref: str | None = "2025-03-20") -> list[tuple[str, str | None]]:
    return [(d.text, d.value) for d in extract_dates(text, reference=ref)]


@pytest.mark.parametrize(
    ("text", "value", "month_set"),
    [
        ("افتتح المعرض في 12 يناير 2025 بالقاهرة", "2025-01-12", "egyptian"),
        ("عقدت الجلسة في 12 كانون الثاني 2025 ببيروت", "2025-01-12", "levantine"),
        ("صادق المجلس في 12 جانفي 2025 على القانون", "2025-01-12", "maghrebi"),
        ("أعلنت الوزارة في 3 غشت 2024 عن الخطة", "2024-08-03", "moroccan"),
        ("صدر القرار في 9 شتنبر 2024", "2024-09-09", "moroccan"),
        ("بدأت المحادثات في 7 تشرين الأول/أكتوبر 2023", "2023-10-07", "levantine/egyptian"),
        ("نظمت الوقفة في 17 أفريل 2024", "2024-04-17", "maghrebi"),
    ],
)
def test_regional_month_sets(text: str, value: str, month_set: str) -> None:
    [d] = extract_dates(text)
    assert (d.value, d.month_set, d.granularity, d.calendar) == (
        value,
        month_set,
        "day",
        "gregorian",
    )
    assert text[d.start : d.end] == d.text


def test_digits_of_every_script_and_numeric_layouts() -> None:
    assert _values("وصل في ٣ آذار ٢٠٢٥ ثم في ۱۲ مايو ۲۰۲۳") == [
        ("٣ آذار ٢٠٢٥", "2025-03-03"),
        ("۱۲ مايو ۲۰۲۳", "2023-05-12"),
    ]
    assert _values("بتاريخ ٣١/١٢/٢٠٢٤ و2025-04-02") == [
        ("٣١/١٢/٢٠٢٤", "2024-12-31"),
        ("2025-04-02", "2025-04-02"),
    ]


def test_hijri_dates_convert_to_gregorian() -> None:
    [d] = extract_dates("أعلنت المحكمة أن 1 شوال 1446هـ أول أيام العيد")
    assert (d.value, d.calendar, d.hijri) == ("2025-03-30", "hijri", "1446-10-01")
    [m] = extract_dates("في رمضان 1446 هـ")
    assert m.value == "2025-03-01/2025-03-29" and m.granularity == "month"
    assert hijri_to_gregorian(1445, 12, 10).isoformat() == "2024-06-16"  # Eid al-Adha
    # Outside the Umm al-Qura table: the arithmetic calendar.
    assert hijri_to_gregorian(1320, 1, 1).isoformat() == "1902-04-10"
    assert gregorian_to_hijri_year(hijri_to_gregorian(1300, 5, 1)) == 1300


def test_relative_expressions_resolve_against_the_reference() -> None:
    # 2025-03-20 is a Thursday.
    assert _values("أعلنت أمس وتعود غدا بعد اجتماع الأسبوع الماضي") == [
        ("أمس", "2025-03-19"),
        ("غدا", "2025-03-21"),
        ("الأسبوع الماضي", "2025-W11"),
    ]
    assert _values("وقال الثلاثاء إن الوفد سيصل يوم السبت") == [
        ("الثلاثاء", "2025-03-18"),
        ("يوم السبت", "2025-03-22"),
    ]
    assert _values("الخميس الماضي والخميس المقبل") == [
        ("الخميس الماضي", "2025-03-13"),
        ("الخميس المقبل", "2025-03-27"),
    ]
    assert _values("مارس الماضي والشهر المقبل والعام الماضي وقبل ثلاثة أيام") == [
        ("مارس الماضي", "2024-03"),
        ("الشهر المقبل", "2025-04"),
        ("العام الماضي", "2024"),
        ("قبل ثلاثة أيام", "2025-03-17"),
    ]


def test_without_reference_relative_mentions_have_no_value() -> None:
    [d] = extract_dates("أعلنت الوزارة أمس")
    assert d.relative and d.value is None


def test_bare_names_that_are_not_dates() -> None:
    assert extract_dates("مارس الضغط على الحكومة وقال رمضان إن الأب وصل") == []


def test_article_reference_is_its_publication_date() -> None:
    art = Article(title="اجتماع", body="التقى الوزيران أمس.", published="2024-11-05")
    [d] = extract_dates(art)
    assert d.value == "2024-11-04" and art.text[d.start : d.end] == "أمس"


def test_date_lines() -> None:
    assert parse_dateline("نشر في: الخميس، 20 مارس 2025 - 10:30 ص") == "2025-03-20"
    assert parse_dateline("آخر تحديث: 12/01/2024") == "2024-01-12"
    assert parse_dateline("وصل الوفد في 20 مارس 2025") is None


def test_pagedump_and_ant_fill_published_from_a_date_line() -> None:
    from arabnews_nlp.corpus.ant import read_ant
    from arabnews_nlp.corpus.options import ReadOptions
    from arabnews_nlp.corpus.pagedump import parse_pagedump
    from arabnews_nlp.corpus.sources import Source

    page = "\n".join(
        ["اقتصاد", "ارتفاع الصادرات", "الأحد 5 كانون الثاني 2025", "120", "نمت الصادرات."]
    )
    fields = parse_pagedump(page)
    assert fields["published"] == "2025-01-05" and fields["body"] == "نمت الصادرات."
    assert fields["meta"]["views"] == 120
    doc = (
        "<DOC>\n<DOCNO>X-1</DOCNO>\n<TITLE>خبر</TITLE>\n"
        "<TEXT>\n3 جانفي 2024\nنص الخبر.\n</TEXT>\n</DOC>\n"
    )
    src = Source("X-1.txt", ".txt", ("X-1.txt",), None, None, None)
    [rec] = read_ant(src, io.BytesIO(doc.encode()), ReadOptions())
    assert rec.data["published"] == "2024-01-03"


@pytest.mark.parametrize("name", ["dev", "heldout", "ranges"])
def test_gold_set_accuracy(name: str) -> None:
    scores = score_dates(load_date_gold(FIXTURES / f"{name}.tsv"))
    assert scores.accuracy_of("explicit") >= 0.95
    assert scores.accuracy_of("relative") >= 0.85


def test_gold_set_size() -> None:
    examples = [*load_date_gold(FIXTURES / "dev.tsv"), *load_date_gold(FIXTURES / "heldout.tsv")]
    assert sum(len(ex.gold) for ex in examples) >= 300


def _ranges(text: str, reference: str = "2025-01-10") -> list[tuple[str, str | None]]:
    return [(d.text, d.value) for d in extract_dates(text, reference=reference)]


def test_elliptic_day_month_and_year_ranges_are_one_mention() -> None:
    [d] = extract_dates("تعقد القمة من 14 إلى 16 تشرين الثاني 2025 في الرياض.")
    assert (d.text, d.value, d.granularity) == (
        "من 14 إلى 16 تشرين الثاني 2025",
        "2025-11-14/2025-11-16",
        "day",
    )
    assert d.bounds == ("2025-11-14", "2025-11-16")
    assert d.interval == ("2025-11-14", "2025-11-16")
    assert _ranges("نما الاقتصاد بين عامي 2016 و2018 بوتيرة سريعة.") == [
        ("بين عامي 2016 و2018", "2016/2018")
    ]
    assert _ranges("توقفت الرحلات من أبريل إلى يوليو 2021.") == [
        ("من أبريل إلى يوليو 2021", "2021-04/2021-07")
    ]
    # The start month after the end month belongs to the year before.
    assert _ranges("امتد الموسم من نوفمبر إلى فبراير 2024.") == [
        ("من نوفمبر إلى فبراير 2024", "2023-11/2024-02")
    ]


def test_full_start_takes_the_end_year_and_ranges_stay_relative() -> None:
    text = "خلال الفترة من 20 ديسمبر حتى 5 يناير 2025 أغلقت المدارس."
    assert _ranges(text) == [("من 20 ديسمبر حتى 5 يناير 2025", "2024-12-20/2025-01-05")]
    [d] = extract_dates("تجري المسابقة من 3 إلى 7 مايو المقبل.", reference="2025-01-10")
    assert (d.value, d.relative) == ("2025-05-03/2025-05-07", True)
    d2 = DateMention.from_dict(d.to_dict())
    assert d2 == d and d2.bounds == ("2025-05-03", "2025-05-07")


def test_what_is_not_a_range() -> None:
    # Counts, a later start, and weekdays stay as they were.
    assert _ranges("بيع من 3 إلى 5 آلاف نسخة في 2 مارس 2024.") == [("2 مارس 2024", "2024-03-02")]
    assert [v for _, v in _ranges("من 9 مارس 2024 إلى 2 مارس 2024")] == [
        "2024-03-09",
        "2024-03-02",
    ]
    assert len(extract_dates("يعمل المتجر من السبت إلى الخميس.", reference="2025-01-10")) == 2


def test_a_mention_is_its_meaning_plus_its_place_in_the_text() -> None:
    from dataclasses import fields

    from arabnews_nlp.dates import DateMention
    from arabnews_nlp.dates.resolve import Resolved

    text = "أعلنت الوزارة يوم 5 شباط 2025 أن المعبر سيفتح بعد غد"
    [first, second] = extract_dates(text, reference="2025-02-05")
    assert isinstance(first, Resolved)
    assert text[first.start : first.end] == first.text == "5 شباط 2025"
    assert (first.value, first.month_set, second.text, second.value) == (
        "2025-02-05",
        "levantine",
        "بعد غد",
        "2025-02-07",
    )
    # The meaning is declared once, on Resolved; the mention adds its place and a range its ends.
    own = {f.name for f in fields(DateMention)} - {f.name for f in fields(Resolved)}
    assert own == {"text", "start", "end", "bounds"}
    assert DateMention.from_dict(second.to_dict()) == second
