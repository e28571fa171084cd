"""Extract simplified country outlines and country points from Natural Earth (public domain).

Natural Earth's 1:110m admin-0 countries ship inside the geopandas 0.14 wheel
(``geopandas/datasets/naturalearth_lowres``; geopandas is not a dependency, the wheel is only
read here). This script reads the shapefile and its attribute table with ``struct`` (no GIS
library), simplifies every ring (Douglas–Peucker, 0.25°, coordinates rounded to 0.1°), tells
each outline's ISO alpha-2 code by its name in the ISO list or, failing that, by the country of
most GeoNames places inside it, and writes into ``src/arabnews_nlp/resources/kb/``:

* ``world.json``: ``[[alpha2, [[lon, lat, lon, lat, ...], ...]], ...]`` (flat rings);
* ``country_points.json``: alpha-2 → ``[lat, lon]``, the centroid of the country's largest ring
  (the marker of a country on the report's map; ``scripts/build_kb.py`` reads it).

Usage:
    pip download --no-deps geopandas==0.14.4 -d /tmp/ne
    python scripts/build_world_map.py /tmp/ne/geopandas-0.14.4-py3-none-any.whl
"""

from __future__ import annotations

import argparse
import csv
import io
import itertools
import json
import lzma
import struct
import zipfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src/arabnews_nlp/resources/kb"
_BASE = "geopandas/datasets/naturalearth_lowres/naturalearth_lowres"
Ring = list[tuple[float, float]]


def read_dbf(data: bytes) -> list[dict[str, str]]:
    count, header_len, record_len = struct.unpack("<IHH", data[4:12])
    fields = []
    pos = 32
    while data[pos] != 0x0D:
        name = data[pos : pos + 11].split(b"\0")[0].decode()
        fields.append((name, data[pos + 16]))
        pos += 32
    rows = []
    for i in range(count):
        rec = data[header_len + i * record_len : header_len + (i + 1) * record_len]
        off, row = 1, {}
        for name, size in fields:
            row[name] = rec[off : off + size].decode("utf-8", "replace").strip()
            off += size
        rows.append(row)
    return rows


def read_shp(data: bytes) -> list[list[Ring]]:
    shapes, pos = [], 100
    while pos < len(data):
        _, words = struct.unpack(">II", data[pos : pos + 8])
        content = data[pos + 8 : pos + 8 + 2 * words]
        pos += 8 + 2 * words
        if struct.unpack("<i", content[:4])[0] != 5:  # polygons only
            shapes.append([])
            continue
        n_parts, n_points = struct.unpack("<ii", content[36:44])
        parts = [*list(struct.unpack(f"<{n_parts}i", content[44 : 44 + 4 * n_parts])), n_points]
        start = 44 + 4 * n_parts
        coords = struct.unpack(f"<{2 * n_points}d", content[start : start + 16 * n_points])
        points = list(zip(coords[0::2], coords[1::2], strict=True))
        shapes.append([points[a:b] for a, b in itertools.pairwise(parts)])
    return shapes


def simplify(ring: Ring, tolerance: float) -> Ring:
    """Douglas–Peucker on one ring."""
    if len(ring) < 4:
        return ring
    keep = [False] * len(ring)
    keep[0] = keep[-1] = True
    stack = [(0, len(ring) - 1)]
    while stack:
        a, b = stack.pop()
        (x1, y1), (x2, y2) = ring[a], ring[b]
        dx, dy = x2 - x1, y2 - y1
        norm = (dx * dx + dy * dy) ** 0.5
        best, index = 0.0, -1
        for i in range(a + 1, b):
            x, y = ring[i]
            # A closed ring starts where it ends: measure from that point instead of a line.
            if norm:
                d = abs(dy * (x - x1) - dx * (y - y1)) / norm
            else:
                d = ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
            if d > best:
                best, index = d, i
        if best > tolerance:
            keep[index] = True
            stack += [(a, index), (index, b)]
    return [p for p, k in zip(ring, keep, strict=True) if k]


def area_centroid(ring: Ring) -> tuple[float, float, float]:
    """(area, x, y) of a ring by the shoelace formula."""
    a = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x1 * y2 - x2 * y1
        a += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    if abs(a) < 1e-12:
        return 0.0, ring[0][0], ring[0][1]
    return abs(a) / 2, cx / (3 * a), cy / (3 * a)


def inside(x: float, y: float, ring: Ring) -> bool:
    hit = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            hit = not hit
    return hit


def alpha2_by_places(shapes: list[list[Ring]], shared: Path) -> list[str]:
    """The country of most GeoNames places inside each shape."""
    path = (
        shared / "data/gazetteers/geonames-cities-ar/geonames_cities500_arabic_script_names.tsv.xz"
    )
    with lzma.open(path, "rt", encoding="utf-8") as handle:
        places = {
            r["geonameid"]: (float(r["longitude"]), float(r["latitude"]), r["country_code"])
            for r in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        }
    boxes = []
    for rings in shapes:
        xs = [p[0] for r in rings for p in r] or [0.0]
        ys = [p[1] for r in rings for p in r] or [0.0]
        boxes.append((min(xs), min(ys), max(xs), max(ys)))
    votes: list[Counter[str]] = [Counter() for _ in shapes]
    for x, y, cc in places.values():
        for i, (x0, y0, x1, y1) in enumerate(boxes):
            if x0 <= x <= x1 and y0 <= y <= y1 and any(inside(x, y, r) for r in shapes[i]):
                votes[i][cc] += 1
    return [v.most_common(1)[0][0] if v else "" for v in votes]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wheel", type=Path, help="the geopandas 0.14 wheel")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--tolerance", type=float, default=0.25)
    args = parser.parse_args()
    with zipfile.ZipFile(args.wheel) as wheel:
        records = read_dbf(wheel.read(_BASE + ".dbf"))
        shapes = read_shp(wheel.read(_BASE + ".shp"))
    en = json.loads((args.shared / "data/gazetteers/iso-countries-en.json").read_text("utf-8"))
    by_name = {}
    for code, value in en["countries"].items():
        for form in [value] if isinstance(value, str) else value:
            by_name[form.lower()] = code
    by_places = alpha2_by_places(shapes, args.shared)
    world, points = [], {}
    for record, rings, fallback in zip(records, shapes, by_places, strict=True):
        code = by_name.get(record["name"].lower()) or fallback
        kept = [simplify(r, args.tolerance) for r in rings]
        kept = [r for r in kept if len(r) >= 4]
        if not kept:
            continue
        flat = [[round(v, 1) for p in r for v in p] for r in kept]
        world.append([code, flat])
        if code:
            _, x, y = max(area_centroid(r) for r in rings)
            points[code] = [round(y, 2), round(x, 2)]
    OUT.mkdir(parents=True, exist_ok=True)
    text = json.dumps(world, separators=(",", ":"))
    (OUT / "world.json").write_text(text, encoding="utf-8")
    (OUT / "country_points.json").write_text(json.dumps(points, sort_keys=True), "utf-8")
    unnamed = [r["name"] for r, (c, _) in zip(records, world, strict=False) if not c]
    print(
        f"world.json {len(io.BytesIO(text.encode()).getvalue()) / 1e3:.0f} kB, "
        f"{len(world)} outlines, {len(points)} country points; no code: {unnamed}"
    )


if __name__ == "__main__":
    main()
