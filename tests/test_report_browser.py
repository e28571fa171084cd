"""The report of the sample corpus renders in headless Chromium (skipped without it).

The screenshot is kept in the test's temporary folder; set ``ARABNEWS_SCREENSHOT`` to a path to
also copy it there (that is how ``docs/img/report.png`` is made).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = next(
    (shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)),
    None,
)


def _screenshot(page: Path, png: Path, profile: Path) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        f"--screenshot={png}",
        "--window-size=1280,2000",
        page.resolve().as_uri(),
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed")
def test_sample_report_renders_in_chromium(tmp_path, sample_path):
    from arabnews_nlp.pipeline import RunOptions, run_analysis

    report = tmp_path / "report.html"
    output = tmp_path / "analysis.jsonl"
    summary = run_analysis([sample_path], output, RunOptions(report=report, progress=False))
    assert summary.written > 40

    png = tmp_path / "report.png"
    result = _screenshot(report, png, tmp_path / "profile")
    assert png.exists(), result.stderr[-2000:]
    assert png.stat().st_size > 30_000  # a blank 1280x2000 page compresses to a few kB

    Image = pytest.importorskip("PIL.Image")
    image = Image.open(png).convert("L")
    assert image.size == (1280, 2000)
    # Not blank: plenty of distinct shades (text anti-aliasing, bars, heat map).
    assert len(image.getcolors(maxcolors=256) or range(256)) > 50
    # Right to left: the page title sits at the right edge of the header band.
    header = image.crop((0, 20, 1280, 80))
    left, right = header.crop((0, 0, 640, 60)), header.crop((640, 0, 1280, 60))

    def ink(region) -> int:
        return sum(region.histogram()[:128])  # dark pixels

    assert ink(right) > 5 * max(ink(left), 1)

    target = os.environ.get("ARABNEWS_SCREENSHOT")
    if target:
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(png, target)
