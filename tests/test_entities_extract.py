"""Extraction mechanics with a stand-in pipeline: offsets, fields, junk, batching, rendering.

The stand-in tags a fixed list of names (letters matched through diacritics and tatweel), so
these tests pin down what the API does with whatever spans a model returns; the shipped model's
own quality is tested in test_entities_model.py.
"""

from __future__ import annotations

import json
import re

import pytest

spacy = pytest.importorskip("spacy")

from spacy.language import Language  # noqa: E402
from spacy.tokens import Doc  # noqa: E402

from arabnews_nlp.article import Article  # noqa: E402
from arabnews_nlp.entities import (  # noqa: E402
    Entity,
    aggregate_entities,
    extract_entities,
    extract_entities_batch,
    render_entities,
)

NAMES = {
    "PER": ["أحمد الشرع", "بوتين", "الرئيس الروسي"],
    "LOC": ["موسكو", "دمشق", "حلب", "في"],
    "ORG": ["الكرملين", "وزارة الدفاع الروسية", "بايرن ميونخ"],
}
_MARKS = "[\u064b-\u0652\u0640]*"  # harakat and tatweel the stand-in looks through


def _pattern(name: str) -> str:
    return r"(?<!\w)[وف]?[بلك]?" + _MARKS.join(re.escape(c) for c in name) + _MARKS + r"(?!\w)"


_PATTERNS = [(label, re.compile(_pattern(n))) for label, ns in NAMES.items() for n in ns]


@Language.component("test_name_list_ner")
def _name_list_ner(doc: Doc) -> Doc:
    spans = []
    for label, pattern in _PATTERNS:
        for m in pattern.finditer(doc.text):
            span = doc.char_span(m.start(), m.end(), label=label, alignment_mode="expand")
            if span is not None and not any(
                s.start < span.end and span.start < s.end for s in spans
            ):
                spans.append(span)
    doc.ents = sorted(spans, key=lambda s: s.start)
    return doc


@pytest.fixture(scope="module")
def nlp() -> Language:
    pipeline = spacy.blank("ar")
    pipeline.add_pipe("test_name_list_ner")
    return pipeline


@pytest.mark.parametrize(
    "text",
    [
        "وصل أحمد الشرع إلى موسكو.",
        # diacritics, tatweel, ZWNJ, RLM, NBSP and a lam-alef presentation form before the names
        "وصلَ الرَّئيسُ أَحْمَد الشَّرْع\u200c إلى مـــوسكو\u00a0و\u200fﻻ يزال في دِمَشْقَ",
        "ﺍﻟﺮﺋﻴﺲ يلتقي بوتين في الكرملين بحضور ممثل عن وزارة الدفاع الروسية",
        "  \u200b\u200bبموسكو  و\tبدمشق\n\nو بوتين  ",
    ],
)
def test_offsets_map_back_to_the_original(nlp: Language, text: str) -> None:
    entities = extract_entities(text, nlp=nlp)
    assert entities
    for e in entities:
        assert text[e.start : e.end] == e.text
        assert e.text.strip() == e.text
        assert e.canonical in {n for ns in NAMES.values() for n in ns}


def test_mentions_with_diacritics_keep_their_marks(nlp: Language) -> None:
    text = "التقى بوتينَ في دِمَشْقَ"
    [putin, damascus] = extract_entities(text, nlp=nlp)
    assert (putin.text, putin.canonical) == ("بوتينَ", "بوتين")
    assert (damascus.text, damascus.canonical, damascus.label) == ("دِمَشْقَ", "دمشق", "LOC")


def test_names_written_with_presentation_forms_and_invisible_marks(nlp: Language) -> None:
    # Damascus in presentation forms, Moscow with a ZWNJ inside, Aleppo after a BOM.
    text = "من \ufea9\ufee3\ufeb8\ufed6 إلى موس\u200cكو ثم \ufeffحلب"
    got = [(e.text, e.canonical) for e in extract_entities(text, nlp=nlp)]
    assert got == [
        ("\ufea9\ufee3\ufeb8\ufed6", "دمشق"),
        ("موس\u200cكو", "موسكو"),
        ("حلب", "حلب"),
    ]


def test_clitics_are_stripped_from_canonical_names(nlp: Language) -> None:
    text = "عاد الوفد من الكرملين بموسكو ولحلب نصيب من المساعدات"
    got = [(e.text, e.canonical) for e in extract_entities(text, nlp=nlp)]
    assert got == [("الكرملين", "الكرملين"), ("بموسكو", "موسكو"), ("ولحلب", "حلب")]


def test_repeated_name_keeps_its_clitic_like_letter(nlp: Language) -> None:
    # "بايرن" is outside the segmenter's lexicon and reads as ب + ايرن; the document repeats
    # it and never writes "ايرن" alone, so the letter is part of the name.
    text = "فاز بايرن ميونخ على ضيفه بهدفين، وبات بايرن ميونخ في صدارة الدوري"
    names = [e.canonical for e in extract_entities(text, nlp=nlp)]
    assert names == ["بايرن ميونخ", "بايرن ميونخ"]


def test_junk_and_bare_titles_are_dropped(nlp: Language) -> None:
    text = "قال الرئيس الروسي في دمشق"
    assert [e.canonical for e in extract_entities(text, nlp=nlp)] == ["دمشق"]


def test_labels_filter(nlp: Language) -> None:
    text = "زار بوتين دمشق والتقى ممثلي الكرملين"
    assert [e.label for e in extract_entities(text, nlp=nlp, labels=("LOC",))] == ["LOC"]


def test_article_fields_and_field_offsets(nlp: Language) -> None:
    article = Article(
        title="الشرع في موسكو",
        lede="زيارة أحمد الشرع الأولى إلى موسكو",
        body="التقى أحمد الشرع بوتين في الكرملين، ثم عاد إلى دمشق.",
    )
    entities = extract_entities(article, nlp=nlp)
    assert {e.field for e in entities} == {"title", "lede", "body"}
    for e in entities:
        assert article.text[e.start : e.end] == e.text
        assert e.field is not None and e.field_start is not None
        assert getattr(article, e.field)[e.field_start : e.field_end] == e.text
    body = [e.canonical for e in entities if e.field == "body"]
    assert body == ["أحمد الشرع", "بوتين", "الكرملين", "دمشق"]


def test_article_without_lede(nlp: Language) -> None:
    article = Article(title="موسكو", body="وصل بوتين إلى حلب")
    entities = extract_entities(article, nlp=nlp)
    assert [(e.field, e.field_start) for e in entities] == [("title", 0), ("body", 4), ("body", 14)]


def test_batch_matches_single_calls(nlp: Language) -> None:
    items: list[str | Article] = [
        "بوتين في موسكو",
        Article(title="حلب", body="زار أحمد الشرع دمشق"),
        "لا أسماء هنا",
        "الكرملين يعلّق",
    ]
    batched = list(extract_entities_batch(iter(items), nlp=nlp, batch_size=2))
    assert batched == [extract_entities(x, nlp=nlp) for x in items]
    assert batched[2] == []


def test_entity_to_dict_is_json(nlp: Language) -> None:
    [e] = extract_entities("بموسكو", nlp=nlp)
    data = json.loads(json.dumps(e.to_dict(), ensure_ascii=False))
    assert data == {
        "label": "LOC",
        "text": "بموسكو",
        "start": 0,
        "end": 6,
        "canonical": "موسكو",
        "score": None,
        "field": None,
        "field_start": None,
        "field_end": None,
        "key": "موسكو",
        "kb_id": "geonames:524901",
        "latin": "Moscow",
        "country": "RU",
        "lat": 55.75204,
        "lon": 37.61781,
        "kind": "city",
    }


def test_rejects_other_inputs(nlp: Language) -> None:
    with pytest.raises(TypeError):
        extract_entities(42, nlp=nlp)  # type: ignore[arg-type]


def test_render_is_right_to_left(nlp: Language) -> None:
    text = "التقى بوتين أحمد الشرع في موسكو"
    html = render_entities(text, nlp=nlp, jupyter=False)
    assert 'dir="rtl"' in html and 'lang="ar"' in html
    assert html.count("<mark") == 3
    for name in ("بوتين", "أحمد الشرع", "موسكو"):
        assert name in html


def test_render_given_entities_and_page() -> None:
    text = "زار الوفد حلب"
    html = render_entities(text, [Entity("LOC", "حلب", 10, 13, "حلب")], jupyter=False, page=True)
    assert '<html lang="ar" dir="rtl">' in html and "LOC" in html


@pytest.fixture
def cli_with_standin(nlp: Language, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from arabnews_nlp.cli import app
    from arabnews_nlp.entities import extract

    monkeypatch.setattr(extract, "_default_nlp", lambda: nlp)
    runner = CliRunner()
    return lambda args, stdin: runner.invoke(app, ["entities", *args], input=stdin)


def test_cli_reads_text_lines_and_articles_from_stdin(cli_with_standin) -> None:  # type: ignore[no-untyped-def]
    article = Article(id="x1", title="بوتين في موسكو", body="ثم زار أحمد الشرع دمشق")
    stdin = "التقى بوتين في الكرملين\n\n" + json.dumps(article.to_dict(), ensure_ascii=False) + "\n"
    result = cli_with_standin(["--aggregate"], stdin)
    assert result.exit_code == 0, result.output
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert first["line"] == 1 and first["id"] is None
    assert [e["canonical"] for e in first["entities"]] == ["بوتين", "الكرملين"]
    assert second["id"] == "x1"
    assert [e["field"] for e in second["entities"]] == ["title", "title", "body", "body"]
    assert [s["canonical"] for s in second["summary"]][:2] == ["بوتين", "موسكو"]


def test_cli_writes_html(cli_with_standin, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "ents.html"
    result = cli_with_standin(["--html", str(out)], "زار بوتين حلب\n")
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert 'dir="rtl"' in html and "حلب" in html


def test_propagation_marks_untagged_repetitions(nlp: Language) -> None:
    text = "الشرع في دمشق. وصل أحمد الشرع إلى موسكو، ثم التقى بوتين والشرع في الكرملين"
    without = extract_entities(text, nlp=nlp, propagate=False)
    assert [e.text for e in without if e.label == "PER"] == ["أحمد الشرع", "بوتين"]
    entities = extract_entities(text, nlp=nlp)
    persons = [(e.text, e.canonical) for e in entities if e.label == "PER"]
    assert persons == [
        ("الشرع", "الشرع"),
        ("أحمد الشرع", "أحمد الشرع"),
        ("بوتين", "بوتين"),
        ("والشرع", "الشرع"),
    ]
    assert all(text[e.start : e.end] == e.text for e in entities)
    [sharaa] = [s for s in aggregate_entities(entities) if s.label == "PER" and s.count > 1]
    assert (sharaa.canonical, sharaa.count, sharaa.first_start) == ("أحمد الشرع", 3, 0)


def test_name_patterns() -> None:
    from arabnews_nlp.entities.propagate import name_patterns

    king = Entity("PER", "سلمان بن عبد العزيز", 0, 19, "سلمان بن عبد العزيز", 0.9)
    assert name_patterns([king]) == {
        ("سلمان", "بن", "عبد", "العزيز"): "PER",
        ("عبد", "العزيز"): "PER",
    }
    doubtful = Entity("LOC", "حميميم", 0, 6, "حميميم", 0.3)
    assert name_patterns([doubtful]) == {}
    george = Entity("PER", "جورج واشنطن", 0, 11, "جورج واشنطن", 0.9)
    city = Entity("LOC", "واشنطن", 20, 26, "واشنطن", 0.9)
    assert name_patterns([george, city])[("واشنطن",)] == "LOC"


def test_propagate_names_longest_match_and_adjacency() -> None:
    import spacy

    from arabnews_nlp.entities.propagate import propagate_names

    text = "زار سلمان بن عبد العزيز الرياض. ثم قال عبد العزيز وبعبد العزيز ثم عبد \n\n العزيز"
    doc = spacy.blank("ar")(text)
    seed = doc.char_span(4, 23, label="PER")
    doc.ents = [seed]
    king = Entity("PER", seed.text, 4, 23, seed.text, 0.9)
    found = [(text[s:e], label) for s, e, label in propagate_names(doc, [king])]
    # The tagged span is never re-labelled; a clitic on the first word is allowed; a line
    # break between the two words of a name is not.
    assert found == [("عبد العزيز", "PER"), ("وبعبد العزيز", "PER")]


def test_initial_evidence_keeps_foreign_names_starting_with_feh() -> None:
    import spacy

    from arabnews_nlp.entities.extract import _InitialEvidence, _known_names
    from arabnews_nlp.entities.model import load_ner

    doc = spacy.blank("ar")("هبطت الطائرة في مطار فنوكوفو ثم وصلت فبيروت و بيروت جميلة")
    evidence = _InitialEvidence(doc, _known_names(load_ner()))
    assert evidence("فنوكوفو", "نوكوفو")  # a foreign name: kept whole
    assert not evidence("فبيروت", "بيروت")  # the stem is a known name (and seen alone)
    assert not evidence("والعراق", "العراق")  # a stem with the article is a real cut


def test_known_names_come_from_the_pipeline_in_use() -> None:
    from arabnews_nlp.entities.extract import _InitialEvidence, _known_names
    from arabnews_nlp.entities.model import load_ner

    shipped = _known_names(load_ner())
    assert "بيروت" in shipped and "لوكاس" in shipped
    # A pipeline of the user's own, without our component, has no gazetteers: the shipped
    # model's lists are not consulted, so only the document itself is evidence.
    assert _known_names(spacy.blank("ar")) == frozenset()
    doc = spacy.blank("ar")("قال لوكاس إن الفريق جاهز")
    assert _InitialEvidence(doc, shipped)("لوكاس", "وكاس")
    assert not _InitialEvidence(doc, frozenset())("لوكاس", "وكاس")
