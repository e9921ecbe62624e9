"""The unit map (issue 17): dots at the units' coordinates over Vietnam's outline, server-side SVG.

Equirectangular projection, longitude squeezed by cos(latitude of the frame's middle) so Vietnam is
not drawn twice as wide as it is. The outline is Natural Earth's, extracted once into
``data/vietnam-outline.json`` by tools/extract_outline.py: nothing is fetched at run time.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

OUTLINE = Path(__file__).parent / "data" / "vietnam-outline.json"
# The outline's own bounds (longitude, latitude), a little padded: the national frame.
COUNTRY = (102.0, 8.4, 109.6, 23.5)
WIDTH = 360


@cache
def outline_rings() -> tuple[tuple[tuple[float, float], ...], ...]:
    feature = json.loads(OUTLINE.read_text(encoding="utf-8"))
    return tuple(tuple((x, y) for x, y in ring) for polygon in feature["geometry"]["coordinates"] for ring in polygon)


@dataclass(frozen=True)
class Frame:
    """Maps (latitude, longitude) into an SVG of ``width`` × ``height`` pixels."""

    west: float
    south: float
    east: float
    north: float
    width: int = WIDTH

    @property
    def squeeze(self) -> float:
        return math.cos(math.radians((self.south + self.north) / 2))

    @property
    def scale(self) -> float:
        return self.width / ((self.east - self.west) * self.squeeze)

    @property
    def height(self) -> int:
        return max(1, round((self.north - self.south) * self.scale))

    def project(self, latitude: float, longitude: float) -> tuple[float, float]:
        x = (longitude - self.west) * self.squeeze * self.scale
        y = (self.north - latitude) * self.scale
        return round(x, 1), round(y, 1)

    def outline_path(self) -> str:
        """The country's outline as SVG path data in this frame: x and y apart by a space, not a comma,
        so no reader (nor the page checks) can take "97.8,645.8" for a decimal comma."""
        parts = []
        for ring in outline_rings():
            points = [self.project(lat, lon) for lon, lat in ring]
            parts.append("M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in points) + "Z")
        return "".join(parts)


def frame_around(points: list[tuple[float, float]], pad: float = 0.15) -> Frame:
    """The national frame, or for points within a province a frame around them (a square at least
    half a degree wide, so a small province is not magnified into a few huge dots)."""
    if not points:
        return Frame(*COUNTRY)
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    south, north, west, east = min(lats) - pad, max(lats) + pad, min(lons) - pad, max(lons) + pad
    if north - south > 8 or east - west > 5:
        return Frame(*COUNTRY)
    for low, high, name in ((south, north, "lat"), (west, east, "lon")):
        if high - low < 0.5:
            middle = (low + high) / 2
            low, high = middle - 0.25, middle + 0.25
        if name == "lat":
            south, north = low, high
        else:
            west, east = low, high
    return Frame(west, south, east, north)
