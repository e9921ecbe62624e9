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


def sorted_bars(
    items: list[tuple[str, int, str]], norm: int | None = None, width: int = 520, row: int = 18, left: int = 220
) -> dict:
    """``bars`` sorted by value, largest first, scaled so that ``norm`` (a head count every bar is
    measured against) fits too; ``norm_x`` is where its line is drawn, bars starting at ``left``
    (None without a norm)."""
    ordered = sorted(items, key=lambda item: (-item[1], item[0]))
    top = max([value for _, value, _ in ordered] + [norm or 0]) or 1
    rows = [
        Bar(label, value, i * row, round(width * value / top, 1), url) for i, (label, value, url) in enumerate(ordered)
    ]
    return {
        "bars": rows,
        "height": len(rows) * row,
        "width": width,
        "row": row,
        "norm": norm,
        "left": left,
        "norm_x": round(left + width * norm / top, 1) if norm else None,
    }


@dataclass
class Spark:
    """A small trend: ``points`` for an SVG polyline (None values leave a gap: separate ``lines``)."""

    lines: list[str]
    width: int
    height: int
    first: str
    last_label: str
    low: float | None
    high: float | None
    last: float | None
    values: list[float | None]


def spark(points: list[tuple[str, float | None]], width: int = 240, height: int = 60) -> Spark:
    """A sparkline over equally spaced months; the value axis spans the series' own low and high."""
    values = [v for _, v in points if v is not None]
    low, high = (min(values), max(values)) if values else (0.0, 0.0)
    span = (high - low) or 1
    step = width / max(len(points) - 1, 1)
    lines: list[str] = []
    current: list[str] = []
    for i, (_label, value) in enumerate(points):
        if value is None:
            if current:
                lines.append(" ".join(current))
            current = []
            continue
        y = height - 4 - (value - low) * (height - 8) / span
        current.append(f"{i * step:.1f},{y:.1f}")
    if current:
        lines.append(" ".join(current))
    return Spark(
        lines=lines,
        width=width,
        height=height,
        first=points[0][0] if points else "",
        last_label=points[-1][0] if points else "",
        low=low if values else None,
        high=high if values else None,
        last=points[-1][1] if points else None,
        values=[v for _, v in points],
    )
