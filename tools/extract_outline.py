#!/usr/bin/env python3
"""Extracts Vietnam's outline from Natural Earth, once, into src/cax/deployment/data/vietnam-outline.json.

Source: the npm package ``world-atlas`` 2.0.2 (ISC licence; TopoJSON built by Mike Bostock from
Natural Earth 1:50m Admin 0 countries, which is public domain), file ``countries-50m.json``,
country id ``704`` (Vietnam). The map pages read the committed JSON: nothing is fetched at run time.

Usage (a developer's machine, with npm):
    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    tools/extract_outline.py package/countries-50m.json

The output is GeoJSON (a MultiPolygon in longitude/latitude, 3 decimals: about 100 m, finer than a
pixel of the map) with the source named in its properties.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src/cax/deployment/data/vietnam-outline.json"
VIETNAM = "704"


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """TopoJSON's quantized, delta-encoded arcs as absolute (longitude, latitude) points."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(indices: list[int], arcs: list[list[tuple[float, float]]]) -> list[list[float]]:
    """Joins a ring's arcs; a negative index ~i is arc i reversed. Consecutive arcs share a point."""
    points: list[tuple[float, float]] = []
    for index in indices:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc[1:] if points else arc)
    return [[round(x, 3), round(y, 3)] for x, y in points]


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    topology = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    arcs = decode_arcs(topology)
    geometry = next(g for g in topology["objects"]["countries"]["geometries"] if g.get("id") == VIETNAM)
    polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
    feature = {
        "type": "Feature",
        "properties": {
            "name": "Vietnam",
            "source": "Natural Earth 1:50m Admin 0 (public domain) via npm world-atlas 2.0.2 countries-50m.json",
        },
        "geometry": {"type": "MultiPolygon", "coordinates": [[ring(r, arcs) for r in p] for p in polygons]},
    }
    OUT.write_text(json.dumps(feature, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{OUT}: {sum(len(r) for p in feature['geometry']['coordinates'] for r in p)} points")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
