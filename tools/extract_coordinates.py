#!/usr/bin/env python3
"""Extracts the official tree's coordinates, once, into src/cax/units/data/coordinates.csv.

Source: the PyPI package ``vietnamadminunits`` 1.0.4 (MIT licence, © 2025 Tran Ngoc Minh Hieu),
its SQLite file ``vietnamadminunits/data/dataset.db``, table ``admin_units``: the 34 provinces and
3,321 commune-level units of the 2025 tree, with the same codes as ``vietnam-provinces`` (which
CAX loads the tree from) and a centre point each (``provinceLat/Lon``, ``wardLat/Lon``).
``./cax manage load_units`` fills ``Unit.latitude/longitude`` from the CSV; nothing is read from
the package at run time, so it is not a dependency.

Usage (a developer's machine):
    pip download --no-deps vietnamadminunits==1.0.4 && unzip vietnamadminunits-1.0.4-py3-none-any.whl
    tools/extract_coordinates.py vietnamadminunits/data/dataset.db
"""

from __future__ import annotations

import csv
import sqlite3
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src/cax/units/data/coordinates.csv"
HEADER = (
    "# vietnamadminunits 1.0.4 (MIT, (c) 2025 Tran Ngoc Minh Hieu), table admin_units; tools/extract_coordinates.py"
)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    db = sqlite3.connect(f"file:{argv[1]}?mode=ro", uri=True)
    provinces = db.execute(
        "SELECT DISTINCT provinceCode, provinceLat, provinceLon FROM admin_units ORDER BY provinceCode"
    ).fetchall()
    wards = db.execute("SELECT wardCode, wardLat, wardLon FROM admin_units ORDER BY wardCode").fetchall()
    rows = [(code, f"{lat:.6f}", f"{lon:.6f}") for code, lat, lon in provinces + wards if lat is not None]
    with OUT.open("w", encoding="utf-8", newline="") as out:
        out.write(HEADER + "\n")
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["code", "latitude", "longitude"])
        writer.writerows(rows)
    print(f"{OUT}: {len(rows)} units")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
