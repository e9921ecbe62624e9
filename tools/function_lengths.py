# ruff: noqa: T201 — a command-line report, printed on stdout
"""Length in lines of every function and method of CAX (issue 15.6).

A function's length is its whole span in the source, from the ``def`` line to its last line,
docstring, comments and nested functions included: that is what a reader has to hold in mind.
Migrations (generated) and tests are left out. ``core/tests/test_function_lengths.py`` keeps the
limits true: no function over ``MAX_LINES``, the 99th percentile at most ``MAX_P99``.

    python tools/function_lengths.py [--top N] [ROOT]
"""

from __future__ import annotations

import argparse
import ast
import math
import sys
from dataclasses import dataclass
from pathlib import Path

MAX_LINES = 60
MAX_P99 = 50
SRC = Path(__file__).resolve().parent.parent / "src" / "cax"


@dataclass(frozen=True)
class Function:
    path: str  # relative to the measured root's parent, e.g. "cax/reports/selectors.py"
    name: str  # qualified: "Class.method", "outer.<locals>.inner"
    line: int
    length: int


def _skipped(path: Path, root: Path) -> bool:
    """Generated migrations and the tests are not business code."""
    parts = path.relative_to(root).parts
    return "migrations" in parts or "tests" in parts or parts[-1].startswith("test_") or parts[-1] == "conftest.py"


def _walk(node: ast.AST, prefix: str, path: str, out: list[Function]) -> None:
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
            name = prefix + child.name
            out.append(Function(path, name, child.lineno, child.end_lineno - child.lineno + 1))
            _walk(child, name + ".<locals>.", path, out)
        elif isinstance(child, ast.ClassDef):
            _walk(child, prefix + child.name + ".", path, out)
        else:
            _walk(child, prefix, path, out)


def functions(root: Path = SRC) -> list[Function]:
    """Every function and method under ``root``, longest first."""
    out: list[Function] = []
    for path in sorted(root.rglob("*.py")):
        if _skipped(path, root):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        _walk(tree, "", str(path.relative_to(root.parent)), out)
    return sorted(out, key=lambda f: (-f.length, f.path, f.line))


def percentile(lengths: list[int], q: float) -> int:
    """Nearest-rank percentile: the smallest length that ``q`` percent of the functions do not exceed."""
    if not lengths:
        return 0
    ordered = sorted(lengths)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", nargs="?", type=Path, default=SRC)
    parser.add_argument("--top", type=int, default=20, help="how many of the longest to print")
    args = parser.parse_args(argv)
    found = functions(args.root)
    for f in found[: args.top]:
        print(f"{f.length:5d}  {f.path}:{f.line}  {f.name}")
    lengths = [f.length for f in found]
    print(
        f"{len(found)} functions; p50 {percentile(lengths, 50)}, p90 {percentile(lengths, 90)}, "
        f"p99 {percentile(lengths, 99)}, max {max(lengths, default=0)} lines"
    )
    over = [f for f in found if f.length > MAX_LINES]
    if over:
        print(f"{len(over)} over {MAX_LINES} lines")
    return 1 if over or percentile(lengths, 99) > MAX_P99 else 0


if __name__ == "__main__":
    sys.exit(main())
