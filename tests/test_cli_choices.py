"""The command line's fixed choices and defaults are the library's own."""

from __future__ import annotations

from typer.testing import CliRunner

from arabnews_nlp.cli import app
from arabnews_nlp.cli.choices import InputFormat, OutputFormat, Profile
from arabnews_nlp.corpus.sniff import FORMATS
from arabnews_nlp.normalize import PROFILES
from arabnews_nlp.pipeline.output import OUTPUT_FORMATS


def test_choices_mirror_the_library_constants() -> None:
    assert [c.value for c in OutputFormat] == list(OUTPUT_FORMATS)
    assert [c.value for c in InputFormat] == list(FORMATS)
    assert {c.value for c in Profile} == set(PROFILES)


def test_a_value_outside_the_choices_is_a_usage_error(tmp_path) -> None:
    result = CliRunner().invoke(app, ["normalize", "--profile", "loud", "الخبر"])
    assert result.exit_code == 2 and "loud" in result.output
    bad = CliRunner().invoke(app, ["analyze", "x.jsonl", "-o", str(tmp_path / "o"), "-f", "xml"])
    assert bad.exit_code == 2


def test_train_ner_keeps_out_as_a_hidden_alias_of_output() -> None:
    result = CliRunner().invoke(app, ["train", "ner", "--help"])
    assert "--output" in result.output and "--out " not in result.output


def test_train_ner_defaults_are_the_shipped_recipe(monkeypatch, tmp_path) -> None:
    from dataclasses import replace
    from types import SimpleNamespace

    from arabnews_nlp.entities import train
    from arabnews_nlp.entities.recipe import DEFAULT_DEV_FRACTION, CRFRecipe

    calls = []

    def fake_train_ner(shared, out, recipe, *, extra, silver, dev_fraction):
        calls.append((recipe, extra, [str(p) for p in silver], dev_fraction))
        return SimpleNamespace(
            out_dir=out, train_sentences=0, train_tokens=0, seconds=0.0, dev_scores={}
        )

    monkeypatch.setattr(train, "train_ner", fake_train_ner)
    out = str(tmp_path / "ner")
    assert CliRunner().invoke(app, ["train", "ner", "-o", out]).exit_code == 0
    args = ["train", "ner", "-o", out, "--no-clusters", "--c1", "0.1", "--extra", "aqmar"]
    args += ["--silver", "a.txt", "--silver", "b.txt"]
    assert CliRunner().invoke(app, args).exit_code == 0
    assert calls == [
        (CRFRecipe.shipped(), [], [], DEFAULT_DEV_FRACTION),
        (replace(CRFRecipe(), c1=0.1), ["aqmar"], ["a.txt", "b.txt"], DEFAULT_DEV_FRACTION),
    ]


def test_train_sections_defaults_are_the_librarys_and_cost_no_sklearn_import() -> None:
    import inspect
    import subprocess
    import sys

    from arabnews_nlp.cli.sections_cmd import train_sections_command
    from arabnews_nlp.sections import SectionClassifier
    from arabnews_nlp.sections.train import train_sections

    cli = inspect.signature(train_sections_command).parameters
    model = SectionClassifier()
    split = inspect.signature(train_sections).parameters["test_size"].default
    assert (cli["c"].default, cli["min_df"].default) == (model.C, model.min_df)
    assert cli["test_size"].default == split
    # The defaults come from sections.defaults; the classifier (scikit-learn) stays unloaded.
    code = "import sys, arabnews_nlp.cli; print('sklearn' in sys.modules, 'spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
