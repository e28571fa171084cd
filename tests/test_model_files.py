"""Crafted model archives are refused from their headers, before any large allocation."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import tracemalloc
import zipfile
from pathlib import Path

import numpy as np
import pytest

from arabnews_nlp import Article
from arabnews_nlp.related import ArticleVectorizer, RelatedIndex
from arabnews_nlp.sections import ModelFormatError, SectionClassifier

SHIPPED_SECTIONS = Path(__file__).resolve().parents[1] / "src/arabnews_nlp/models/sections"
PEAK_LIMIT = 32 << 20  # far below what the crafted headers claim


def _header(shape: tuple[int, ...], dtype: str) -> bytes:
    buf = io.BytesIO()
    descr = np.lib.format.dtype_to_descr(np.dtype(dtype))
    np.lib.format.write_array_header_1_0(
        buf, {"descr": descr, "fortran_order": False, "shape": shape}
    )
    return buf.getvalue()


def _write_npz(path: Path, members: dict[str, tuple[tuple[int, ...], str, int | np.ndarray]]):
    """Members as (shape in the header, dtype, real array or a number of zero bytes to deflate)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, (shape, dtype, content) in members.items():
            with archive.open(f"{name}.npy", "w", force_zip64=True) as fh:
                fh.write(_header(shape, dtype))
                if isinstance(content, np.ndarray):
                    fh.write(content.astype(dtype).tobytes())
                else:
                    chunk = bytes(1 << 20)
                    for _ in range(content >> 20):
                        fh.write(chunk)


def _peak_while(call) -> tuple[int, Exception | None]:
    tracemalloc.start()
    try:
        call()
        error = None
    except Exception as exc:
        error = exc
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak, error


@pytest.fixture()
def section_model(tmp_path: Path) -> Path:
    model = tmp_path / "sections"
    shutil.copytree(SHIPPED_SECTIONS, model)
    return model


def _reseal(model: Path) -> None:
    """Update the checksum, as anyone crafting a model would."""
    config = json.loads((model / "config.json").read_text(encoding="utf-8"))
    config["sha256"]["weights.npz"] = hashlib.sha256(
        (model / "weights.npz").read_bytes()
    ).hexdigest()
    (model / "config.json").write_text(json.dumps(config), encoding="utf-8")


def _section_shapes(model: Path) -> tuple[int, int]:
    config = json.loads((model / "config.json").read_text(encoding="utf-8"))
    vocab = json.loads((model / "vocab.json").read_text(encoding="utf-8"))
    return len(config["classes"]), len(vocab)


def test_section_weights_claiming_gigabytes_are_refused(section_model: Path) -> None:
    n_classes, n_terms = _section_shapes(section_model)
    _write_npz(
        section_model / "weights.npz",
        {
            "coef": ((n_classes, 1 << 27), "float64", np.zeros(4)),  # 5 GB claimed
            "intercept": ((n_classes,), "float64", np.zeros(n_classes)),
            "idf": ((n_terms,), "float64", np.ones(n_terms)),
        },
    )
    _reseal(section_model)
    peak, error = _peak_while(lambda: SectionClassifier.load(section_model))
    assert isinstance(error, ModelFormatError) and "shape" in str(error)
    assert peak < PEAK_LIMIT


@pytest.fixture()
def saved_index(tmp_path: Path) -> Path:
    articles = [
        Article(id="r1", title="ارتفاع أسعار النفط", body="ارتفعت أسعار النفط في الأسواق."),
        Article(id="r2", title="هبوط أسعار الذهب", body="هبطت أسعار الذهب بعد قرار الفائدة."),
    ]
    index = RelatedIndex(ArticleVectorizer(n_features=2**16)).fit(articles)
    return Path(index.save(tmp_path / "index"))


def test_index_arrays_claiming_more_than_the_file_are_refused(saved_index: Path) -> None:
    with np.load(saved_index / "arrays.npz") as real:
        arrays = {name: real[name] for name in real.files}
    _write_npz(
        saved_index / "arrays.npz",
        {
            "data": ((1 << 28,), "float32", arrays["data"]),  # 1 GB claimed, a few bytes held
            "indices": ((1 << 28,), "int32", arrays["indices"]),
            "indptr": (arrays["indptr"].shape, "int64", arrays["indptr"]),
            "shape": ((2,), "int64", arrays["shape"]),
            "df": (arrays["df"].shape, "int64", arrays["df"]),
        },
    )
    peak, error = _peak_while(lambda: RelatedIndex.load(saved_index))
    assert isinstance(error, ValueError) and "claims more data" in str(error)
    assert peak < PEAK_LIMIT


def test_index_parameters_and_arrays_blown_up_together_are_refused(saved_index: Path) -> None:
    meta = json.loads((saved_index / "index.json").read_text(encoding="utf-8"))
    n_columns = 8 << 20
    meta["params"]["vectorizer"]["n_features"] = n_columns - meta["params"]["entity_features"]
    (saved_index / "index.json").write_text(json.dumps(meta), encoding="utf-8")
    with np.load(saved_index / "arrays.npz") as real:
        arrays = {name: real[name] for name in real.files}
    _write_npz(
        saved_index / "arrays.npz",
        {
            "data": (arrays["data"].shape, "float32", arrays["data"]),
            "indices": (arrays["indices"].shape, "int32", arrays["indices"]),
            "indptr": (arrays["indptr"].shape, "int64", arrays["indptr"]),
            "shape": ((2,), "int64", np.array([2, n_columns])),
            "df": ((n_columns,), "int64", 8 * n_columns),  # 64 MB of deflated zeros
        },
    )
    peak, error = _peak_while(lambda: RelatedIndex.load(saved_index))
    assert isinstance(error, ValueError) and "inflates" in str(error)
    assert peak < PEAK_LIMIT


def test_index_with_column_indices_out_of_range_is_refused(saved_index: Path) -> None:
    with np.load(saved_index / "arrays.npz") as real:
        arrays = {name: real[name] for name in real.files}
    arrays["indices"][0] = 1 << 30
    np.savez(saved_index / "arrays.npz", **arrays)
    with pytest.raises(ValueError, match=r"arrays\.npz.*indices must be <"):
        RelatedIndex.load(saved_index)
