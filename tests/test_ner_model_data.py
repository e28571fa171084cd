"""Readers, tag cleaning, tokenization and scoring of the NER model (tiny hand-made fixtures)."""

from __future__ import annotations

from pathlib import Path

import pytest

from arabnews_nlp.entities.data import (
    Sentence,
    clean_tags,
    map_entity_label,
    read_anercorp,
    read_aqmar,
    read_conll,
    read_wojood,
    split_dev,
    tag_spans,
    word_tokens,
)
from arabnews_nlp.entities.evaluate import entity_scores

ANERCORP_STYLE = """\
استقبل O
الوزير O
سامر B-PERS
الحلبي I-PERS
في O
عمان B-LOC
. O
وقالت O
وكالة B-ORG
الانباء I-ORG
الاردنية I-ORG
ان O
الاتحاد I-ORG
الاوروبي I-ORG
. O
"""

AQMAR_STYLE = """\
ولد O
ابن B-PER
سينا I-PER
في O
بخارى B-LOC

درس OO
الطب B-MIS1
في IO
مدرسة B-ORG
النظامية I--ORG
"""

WOJOOD_STYLE = """\
عين O
أمين B-OCC
عام I-OCC
جامعة I-OCC B-ORG
الدول I-OCC I-ORG
العربية I-OCC I-ORG
في O
القاهرة B-GPE
$#$ O

زار O
أحمد B-PERS
مطار B-FAC
بيروت I-FAC B-GPE
"""


@pytest.fixture()
def write(tmp_path: Path):
    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return _write


def test_clean_tags_repairs_iob1_and_maps_labels() -> None:
    raw = ["O", "I-PERS", "I-PERS", "B-PERS", "I-LOC", "O", "I-MIS2", "B-DATE", "I--ORG"]
    assert clean_tags(raw) == [
        "O", "B-PER", "I-PER", "B-PER", "B-LOC", "O", "B-MISC", "O", "B-ORG",
    ]  # fmt: skip


def test_clean_tags_noise_becomes_outside() -> None:
    assert clean_tags(["OO", "IO", "", "B-TIME"]) == ["O", "O", "O", "O"]


def test_map_entity_label() -> None:
    labels = ("PERS", "PER", "GPE", "FAC", "LOC", "ORG", "MIS0", "NORP")
    assert [map_entity_label(x) for x in labels] == [
        "PER", "PER", "LOC", "LOC", "LOC", "ORG", "MISC", None,
    ]  # fmt: skip


def test_tag_spans_breaks_on_label_change() -> None:
    assert tag_spans(["B-ORG", "I-ORG", "I-LOC", "O", "B-PER"]) == [
        ("ORG", 0, 2), ("LOC", 2, 3), ("PER", 4, 5),
    ]  # fmt: skip


def test_read_anercorp_splits_on_period(write) -> None:
    sentences = read_anercorp(write("a.txt", ANERCORP_STYLE))
    assert [len(s.tokens) for s in sentences] == [7, 8]
    assert sentences[0].tags[2:4] == ["B-PER", "I-PER"]
    # The stray I-ORG after O opens a new entity.
    assert tag_spans(sentences[1].tags) == [("ORG", 1, 4), ("ORG", 5, 7)]
    assert [len(s.tokens) for s in read_conll(write("b.txt", ANERCORP_STYLE))] == [7, 8]


def test_read_aqmar_maps_noisy_tags(write) -> None:
    sentences = read_aqmar(write("x.txt", AQMAR_STYLE))
    assert len(sentences) == 2
    assert tag_spans(sentences[0].tags) == [("PER", 1, 3), ("LOC", 4, 5)]
    assert sentences[1].tags == ["O", "B-MISC", "O", "B-ORG", "I-ORG"]


def test_read_wojood_keeps_outermost_kept_type(write) -> None:
    first, second = read_wojood(write("w.txt", WOJOOD_STYLE))
    # The occupation is dropped, the organisation nested inside it survives; GPE → LOC.
    assert tag_spans(first.tags) == [("ORG", 3, 6), ("LOC", 7, 8)]
    # The facility (→ LOC) holds a city: the outer span wins.
    assert tag_spans(second.tags) == [("PER", 1, 2), ("LOC", 2, 4)]


def test_split_dev_takes_the_last_sentences() -> None:
    sentences = [Sentence([str(i)]) for i in range(20)]
    train, dev = split_dev(sentences, 0.1)
    assert [s.tokens[0] for s in dev] == ["18", "19"] and len(train) == 18


def test_word_tokens_match_the_training_convention() -> None:
    text = "قال المتحدث (باسم الوزارة): ارتفع المؤشر 2.5% في 2024، وبلغ 1,200 نقطة."
    assert word_tokens(text) == [
        "قال", "المتحدث", "(", "باسم", "الوزارة", ")", ":", "ارتفع", "المؤشر", "2.5%", "في",
        "2024", "،", "وبلغ", "1,200", "نقطة", ".",
    ]  # fmt: skip


def test_entity_scores_exact_numbers() -> None:
    gold = [
        ["B-PER", "I-PER", "O", "B-LOC", "O"],
        ["B-ORG", "I-ORG", "I-ORG", "O", "B-MISC"],
    ]
    pred = [
        ["B-PER", "I-PER", "O", "B-LOC", "B-LOC"],  # PER right, LOC right, one extra LOC
        ["B-ORG", "I-ORG", "O", "O", "O"],  # ORG boundary wrong, MISC ignored
    ]
    scores = entity_scores(gold, pred)
    assert scores["PER"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert scores["LOC"] == pytest.approx({"precision": 0.5, "recall": 1.0, "f1": 2 / 3})
    assert scores["ORG"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    # 2 true positives out of 4 predicted and 3 gold.
    assert scores["micro"] == pytest.approx({"precision": 0.5, "recall": 2 / 3, "f1": 4 / 7})
    assert list(scores) == ["PER", "LOC", "ORG", "micro"]


def test_entity_scores_rejects_misaligned_input() -> None:
    with pytest.raises(ValueError):
        entity_scores([["O"]], [])


def test_tag_ministries_tags_head_noun_genitive_and_nationality() -> None:
    from arabnews_nlp.entities.data import tag_ministries

    sentences = [
        Sentence(["وصرحت", "وزارة", "الخارجية", "المصرية", "أمس", "."]),
        Sentence(["وقال", "متحدث", "باسم", "وزارة", "الصحة", "إن"]),
        # Not a name: no definite noun after the head, or already tagged.
        Sentence(["وزارة", "جديدة", "."]),
        Sentence(["وزارة", "خارجية", "روسيا"], ["O", "O", "B-LOC"]),
        Sentence(["بوزارة", "الدفاع", "البريطانية"], ["O", "O", "B-MISC"]),
        Sentence(["في", "وزارة", "الموارد", "المائية"]),  # a nisba form outside the list
    ]
    assert tag_ministries(sentences, adjectives={"المصريه", "البريطانيه"}) == 4
    assert sentences[0].tags == ["O", "B-ORG", "I-ORG", "I-ORG", "O", "O"]
    assert sentences[1].tags == ["O", "O", "O", "B-ORG", "I-ORG", "O"]
    assert sentences[2].tags == ["O", "O", "O"]
    assert sentences[3].tags == ["O", "O", "B-LOC"]
    assert sentences[4].tags == ["B-ORG", "I-ORG", "I-ORG"]
    assert sentences[5].tags == ["O", "B-ORG", "I-ORG", "I-ORG"]
