#!/usr/bin/env python3
"""Extracts the official tree's coordinates, once, into src/cax/units/data/coordinates.csv.

Source: the PyPI package ``vietnamadminunits`` 1.0.4 (MIT licence, © 2025 Tran Ngoc Minh Hieu),
its SQLite file ``vietnamadminunits/data/dataset.db``, table ``admin_units``: the 34 provinces and
3,321 commune-level units of the 2025 tree with a centre point each (``provinceLat/Lon``,
``wardLat/Lon``). CAX loads the tree from ``vietnam-provinces``, whose commune codes differ for
about a hundred communes (another of the merged communes' codes kept): a commune is matched by
code when the names agree, else by its name within its province, written without diacritics
("Thuỷ" and "Thủy" are one name). The CSV is keyed by ``vietnam-provinces``' codes.
``./cax manage load_units`` fills ``Unit.latitude/longitude`` from it; nothing is read from the
package at run time, so it is not a dependency.

Usage (a developer's machine, in the project's environment, which has vietnam-provinces):
    pip download --no-deps vietnamadminunits==1.0.4 && unzip vietnamadminunits-1.0.4-py3-none-any.whl
    .venv/bin/python tools/extract_coordinates.py vietnamadminunits/data/dataset.db
"""

from __future__ import annotations

import csv
import sqlite3
import sys
import unicodedata
from collections import Counter
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src/cax/units/data/coordinates.csv"
HEADER = "# vietnamadminunits 1.0.4 (MIT, (c) 2025 Tran Ngoc Minh Hieu), admin_units; tools/extract_coordinates.py"


def plain(name: str) -> str:
    """The name without diacritics, case, apostrophes ("Cư M’gar", "Cư M'gar") or dashes."""
    for mark in "’'‘":
        name = name.replace(mark, "")
    decomposed = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    letters = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return " ".join(letters.replace("-", " ").replace("–", " ").split())


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    from vietnam_provinces import Province, Ward

    db = sqlite3.connect(f"file:{argv[1]}?mode=ro", uri=True)
    provinces = {
        code: (lat, lon)
        for code, lat, lon in db.execute("SELECT DISTINCT provinceCode, provinceLat, provinceLon FROM admin_units")
    }
    wards = db.execute("SELECT provinceCode, ward, wardCode, wardLat, wardLon FROM admin_units").fetchall()
    by_code = {code: (plain(name), lat, lon) for _p, name, code, lat, lon in wards}
    names = Counter((province, plain(name)) for province, name, _c, _lat, _lon in wards)
    by_name = {(p, plain(n)): (lat, lon) for p, n, _c, lat, lon in wards if names[(p, plain(n))] == 1}
    rows, unmatched = [], []
    for province in Province.iter_all():
        code = f"{province.code.value:02d}"
        if code in provinces:
            rows.append((code, *provinces[code]))
    for ward in Ward.iter_all():
        code, province = f"{ward.code.value:05d}", f"{ward.province_code.value:02d}"
        same = by_code.get(code)
        if same is not None and same[0] == plain(ward.name):
            rows.append((code, same[1], same[2]))
        elif (province, plain(ward.name)) in by_name:
            rows.append((code, *by_name[(province, plain(ward.name))]))
        else:
            unmatched.append(f"{code} {ward.name}")
    with OUT.open("w", encoding="utf-8", newline="") as out:
        out.write(HEADER + "\n")
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["code", "latitude", "longitude"])
        writer.writerows((code, f"{lat:.6f}", f"{lon:.6f}") for code, lat, lon in sorted(rows) if lat is not None)
    print(f"{OUT}: {len(rows)} units; without a match: {', '.join(unmatched) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
