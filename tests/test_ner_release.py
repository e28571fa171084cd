"""The release check: its held-out news fixture and the scoring by seen / unseen names."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

import pytest

from arabnews_nlp.entities.data import PUBLIC_LABELS, Sentence, clean_tags, read_conll, tag_spans
from arabnews_nlp.entities.release import entity_surfaces, load_tagger, release_scores

ROOT = Path(__file__).resolve().parents[1]
RELEASE = ROOT / "tests" / "fixtures" / "ner" / "release.txt"
SCRIPT = ROOT / "scripts" / "ner" / "release_check.py"


@pytest.fixture(scope="module")
def gold() -> list[Sentence]:
    return read_conll(RELEASE)


def test_fixture_is_clean_iob2_over_the_public_labels(gold: list[Sentence]) -> None:
    assert 60 <= len(gold) <= 80
    assert 1_200 <= sum(len(s.tokens) for s in gold) <= 1_800
    for s in gold:
        assert clean_tags(s.tags) == s.tags, s.tokens
        assert {tag[2:] for tag in s.tags if tag != "O"} <= set(PUBLIC_LABELS)
    labels = [label for s in gold for label, *_ in tag_spans(s.tags)]
    # The counts the fixture's README gives.
    assert [labels.count(label) for label in PUBLIC_LABELS] == [51, 114, 87]
    # A proclitic stays on its token and the token is part of the name.
    spans = {" ".join(s.tokens[a:b]) for s in gold for _, a, b in tag_spans(s.tags)}
    assert {"وبغداد", "بالمنامة", "والأمم المتحدة"} <= spans


def test_perfect_prediction_scores_one(gold: list[Sentence]) -> None:
    sample = gold[:4]
    seen = entity_surfaces([Sentence(["في", "طهران", "."], ["O", "B-LOC", "O"])])
    scores = release_scores(sample, [s.tags for s in sample], seen)
    assert set(scores) == {*PUBLIC_LABELS, "micro", "novelty"}
    for key in (*PUBLIC_LABELS, "micro"):
        assert scores[key]["f1"] == 1.0
        assert scores[key]["gold"] == scores[key]["pred"] == scores[key]["correct"] > 0
    novelty = scores["novelty"]
    assert set(novelty) == {*PUBLIC_LABELS, "all"}
    # طهران (first sentence) is the one name of the sample that the "training" data holds.
    assert novelty["all"]["seen"] == {"gold": 1, "found": 1, "recall": 1.0}
    assert novelty["LOC"]["seen"]["gold"] == 1 and novelty["PER"]["seen"]["gold"] == 0
    assert novelty["all"]["unseen"]["gold"] == scores["micro"]["gold"] - 1
    assert novelty["all"]["unseen"]["recall"] == 1.0


def test_missed_and_partial_names_count_against_recall(gold: list[Sentence]) -> None:
    sample = gold[:4]
    nothing = release_scores(sample, [["O"] * len(s.tokens) for s in sample])
    assert nothing["micro"]["pred"] == 0 and nothing["micro"]["recall"] == 0.0
    assert nothing["novelty"]["all"]["unseen"]["found"] == 0
    # Cutting the first name of every sentence to its first token loses exactly those names.
    cut, multi = [], 0
    for s in sample:
        tags = list(s.tags)
        _, start, end = tag_spans(tags)[0]
        tags[start + 1 : end] = ["O"] * (end - start - 1)
        cut.append(tags)
        multi += end - start > 1
    scores = release_scores(sample, cut)
    assert scores["micro"]["gold"] - scores["micro"]["correct"] == multi > 0
    assert scores["micro"]["recall"] < 1.0


def test_shipped_crf_tags_every_token(gold: list[Sentence]) -> None:
    sample = gold[:3]
    pred = load_tagger("crf")([s.tokens for s in sample])
    assert [len(p) for p in pred] == [len(s.tokens) for s in sample]
    assert release_scores(sample, pred)["micro"]["correct"] > 0


def test_script_prints_the_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    train = tmp_path / "train.txt"
    train.write_text("في O\nطهران B-LOC\n. O\n", encoding="utf-8")
    out = tmp_path / "release.json"
    argv = ["release_check.py", "--models", "crf,missing", "--train", str(train), "--out", str(out)]
    old, sys.argv = sys.argv, argv
    try:
        runpy.run_path(str(SCRIPT), run_name="__main__")
    finally:
        sys.argv = old
    printed = capsys.readouterr().out
    assert "LOC 114 (113 unseen)" in printed
    assert "crf        micro   252" in printed
    assert "missing: not loaded" in printed
    assert out.read_text(encoding="utf-8").count('"novelty"') == 1
