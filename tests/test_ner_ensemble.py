"""The ensemble component: shipped pipeline, spaCy loading, standalone saving, weights."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
import spacy

from arabnews_nlp.entities.constants import (
    DEFAULT_COMPONENT_DIR,
    ENSEMBLE_COMPONENT_NAME,
    ENSEMBLE_MODEL_DIR,
    NEURAL_COMPONENT_DIR,
)
from arabnews_nlp.entities.ensemble import ENSEMBLE_FILE, write_ensemble
from arabnews_nlp.entities.model import build_pipeline, load_ner
from arabnews_nlp.entities.neural import NeuralTagger

TEXT = "استقبل الملك عبد الله الثاني في عمّان وزير الخارجية الألماني يوهان فاديفول ."


def test_shipped_ensemble_is_the_default_and_finds_entities() -> None:
    nlp = load_ner()
    assert nlp.pipe_names == [ENSEMBLE_COMPONENT_NAME]
    assert load_ner("ensemble").pipe_names == [ENSEMBLE_COMPONENT_NAME]
    found = {(e.text, e.label_) for e in nlp(TEXT).ents}
    assert ("عمّان", "LOC") in found
    assert any(label == "PER" and "فاديفول" in text for text, label in found)
    # The shipped component stores no weights of its own: it points at the shipped members.
    component = ENSEMBLE_MODEL_DIR / ENSEMBLE_COMPONENT_NAME
    assert sorted(p.name for p in component.iterdir()) == [ENSEMBLE_FILE]


def test_spacy_load_works_in_a_fresh_interpreter_through_entry_points() -> None:
    code = (
        "import spacy, sys; nlp = spacy.load(sys.argv[1]);"
        "print([e.label_ for e in nlp('زار ماكرون بيروت .').ents])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(ENSEMBLE_MODEL_DIR)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "['PER', 'LOC']"


def test_saved_pipeline_copies_its_members_and_stands_alone(tmp_path) -> None:
    nlp = load_ner("ensemble")
    nlp.to_disk(tmp_path / "pipe")
    component = tmp_path / "pipe" / ENSEMBLE_COMPONENT_NAME
    spec = json.loads((component / ENSEMBLE_FILE).read_text())
    assert [m["arch"] for m in spec["members"]] == ["crf", "neural"]
    assert (component / spec["members"][0]["path"] / "crf.model").exists()
    assert (component / spec["members"][1]["path"] / "neural.npz").exists()
    again = spacy.load(tmp_path / "pipe")
    assert [(e.text, e.label_) for e in again(TEXT).ents] == [
        (e.text, e.label_) for e in nlp(TEXT).ents
    ]


def test_all_weight_on_the_crf_gives_the_crfs_entities(tmp_path) -> None:
    write_ensemble(
        tmp_path, [("crf", DEFAULT_COMPONENT_DIR, 1.0), ("crf", DEFAULT_COMPONENT_DIR, 0.0)]
    )
    ensemble = build_pipeline(tmp_path, component=ENSEMBLE_COMPONENT_NAME)
    crf = load_ner("crf")
    assert [(e.text, e.label_) for e in ensemble(TEXT).ents] == [
        (e.text, e.label_) for e in crf(TEXT).ents
    ]


def test_unknown_member_architecture_is_refused(tmp_path) -> None:
    with pytest.raises(ValueError, match="unknown member"):
        write_ensemble(tmp_path, [("bert", "x", 1.0)])


def test_networks_in_one_folder_share_its_vectors_and_save_once(tmp_path) -> None:
    # A second network saved beside the shipped one (here the same weights under another
    # name): both members read one folder, one vector table, and decide as the pair would.
    folder = tmp_path / "neural"
    shutil.copytree(NEURAL_COMPONENT_DIR, folder)
    NeuralTagger.from_directory(folder).save_network(folder / "second.npz")
    component = tmp_path / "three"
    write_ensemble(
        component,
        [
            ("crf", DEFAULT_COMPONENT_DIR, 0.5),
            ("neural", folder, 0.25),
            ("neural", folder, 0.25, "second.npz"),
        ],
    )
    spec = json.loads((component / ENSEMBLE_FILE).read_text())
    assert "network" not in spec["members"][1] and spec["members"][2]["network"] == "second.npz"
    three = build_pipeline(component, component=ENSEMBLE_COMPONENT_NAME)
    tagger = three.get_pipe(ENSEMBLE_COMPONENT_NAME).tagger
    assert tagger.taggers[1].inputs.vectors is tagger.taggers[2].inputs.vectors
    pair = load_ner("ensemble")
    assert [(e.text, e.label_) for e in three(TEXT).ents] == [
        (e.text, e.label_) for e in pair(TEXT).ents
    ]

    three.to_disk(tmp_path / "saved")
    saved = tmp_path / "saved" / ENSEMBLE_COMPONENT_NAME
    members = json.loads((saved / ENSEMBLE_FILE).read_text())["members"]
    assert members[1]["path"] == members[2]["path"] == "1-neural"
    assert sorted(p.name for p in (saved / "1-neural").glob("*.npz")) == [
        "neural.npz",
        "second.npz",
        "subwords.npz",
    ]
    again = spacy.load(tmp_path / "saved")
    assert [(e.text, e.label_) for e in again(TEXT).ents] == [
        (e.text, e.label_) for e in three(TEXT).ents
    ]
