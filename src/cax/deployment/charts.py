"""Tiny server-side SVG charts: no JavaScript library, nothing from outside, CSP-safe (no inline style)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Bar:
    label: str
    value: int
    y: int
    width: float
    url: str = ""


def bars(items: list[tuple[str, int, str]], width: int = 520, row: int = 18) -> dict:
    """Horizontal bars scaled to the largest value; ``items`` is (label, value, link)."""
    top = max((value for _, value, _ in items), default=0) or 1
    rows = [
        Bar(label, value, i * row, round(width * value / top, 1), url) for i, (label, value, url) in enumerate(items)
    ]
    return {"bars": rows, "height": len(rows) * row, "width": width, "row": row}


def line(points: list[tuple[str, int]], width: int = 640, height: int = 160) -> dict:
    """A polyline of values over equally spaced labels, with min and max marked."""
    if not points:
        return {"points": "", "width": width, "height": height, "labels": []}
    values = [v for _, v in points]
    low, high = min(values), max(values)
    span = (high - low) or 1
    step = width / max(len(points) - 1, 1)
    coords = [
        (round(i * step, 1), round(height - 10 - (v - low) * (height - 20) / span, 1)) for i, v in enumerate(values)
    ]
    labels = [(x, label) for (x, _), (label, _) in zip(coords, points, strict=True)][:: max(1, len(points) // 6)]
    return {
        "points": " ".join(f"{x},{y}" for x, y in coords),
        "width": width,
        "height": height,
        "labels": labels,
        "low": low,
        "high": high,
        "last": values[-1],
    }
