"""spaCy finds the NER component and the tokenizer through the package's entry points.

Each check runs in a fresh interpreter that never imports ``arabnews_nlp`` itself: only spaCy's
entry-point lookup can make the pipeline load there. Sentences are original.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from importlib.metadata import entry_points
from pathlib import Path

import pytest

pytest.importorskip("spacy")

from arabnews_nlp.entities.constants import (
    COMPONENT_NAME,
    CRF_MODEL_DIR,
    TOKENIZER_NAME,
)

VISIT = "استقبل الرئيس اللبناني في بيروت رئيس الوزراء الأردني بشر الخصاونة."


def run_fresh(code: str, tmp_path: Path) -> dict[str, object]:
    """Run ``code`` in a new interpreter (outside the source tree) and parse its JSON output."""
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    result: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def test_entry_points_name_the_constants() -> None:
    factories = {ep.name: ep.value for ep in entry_points(group="spacy_factories")}
    tokenizers = {ep.name: ep.value for ep in entry_points(group="spacy_tokenizers")}
    assert factories[COMPONENT_NAME] == "arabnews_nlp.entities.components:make_crf_ner"
    assert tokenizers[TOKENIZER_NAME] == "arabnews_nlp.entities.components:create_news_tokenizer"


def test_spacy_load_of_the_shipped_folder_in_a_fresh_interpreter(tmp_path: Path) -> None:
    result = run_fresh(
        f"""
        import json, sys
        import spacy
        nlp = spacy.load({str(CRF_MODEL_DIR)!r})
        doc = nlp({VISIT!r})
        print(json.dumps({{
            "pipe_names": nlp.pipe_names,
            "tokenizer": type(nlp.tokenizer).__name__,
            "ents": [[e.text, e.label_, 0 < e._.score <= 1] for e in doc.ents],
        }}, ensure_ascii=False))
        """,
        tmp_path,
    )
    assert result["pipe_names"] == [COMPONENT_NAME]
    assert result["tokenizer"] == "NewsTokenizer"
    ents = result["ents"]
    assert isinstance(ents, list)
    assert ["بيروت", "LOC", True] in ents
    assert any(label == "PER" and "الخصاونة" in text for text, label, _ in ents)


def test_add_pipe_to_a_blank_pipeline_and_save_it(tmp_path: Path) -> None:
    result = run_fresh(
        f"""
        import json
        import spacy
        tokenizer = {{"@tokenizers": {TOKENIZER_NAME!r}}}
        nlp = spacy.blank("ar", config={{"nlp": {{"tokenizer": tokenizer}}}})
        nlp.add_pipe({COMPONENT_NAME!r}, config={{"labels": ["LOC"]}})
        before = [[e.text, e.label_] for e in nlp({VISIT!r}).ents]
        nlp.to_disk("copy")
        again = spacy.load("copy")
        after = [[e.text, e.label_] for e in again({VISIT!r}).ents]
        print(json.dumps({{"before": before, "after": after}}, ensure_ascii=False))
        """,
        tmp_path,
    )
    # Without a folder of its own the component runs the shipped model; labels are honoured,
    # and a saved copy (model files copied in) loads back with the same entities.
    assert result["before"] == [["بيروت", "LOC"]]
    assert result["after"] == result["before"]
