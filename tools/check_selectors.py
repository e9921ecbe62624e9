#!/usr/bin/env python3
"""Selectors never write: fail when a selectors module writes or calls a service that writes.

docs/architecture.md: every read is a selector, every write a service. import-linter cannot see
calls, so this reads the source (ast, nothing is imported or run). In every ``selectors.py`` (and
``selectors/*.py``) under the package root it refuses:

- a call of a write method: ``.save()``, ``.create()``, ``.get_or_create()``, ``.update()``,
  ``.delete()``, ``.bulk_*()``, ``.select_for_update()``…, whatever the receiver (a selector that
  merges dicts writes ``a |= b``);
- a call of ``record_change`` (the change log is written by services);
- a use of a function from a ``services`` module that writes: one whose body, or a function of
  the same module it calls, does any of the above or opens ``transaction.atomic``. Read-only
  helpers kept in services (a Q expression, a bucket computation) stay allowed, so that a rule is
  written once.

Usage: tools/check_selectors.py [PACKAGE_DIR]   (default: src/cax next to this file's folder).
Exit status 0 when every selector reads only, 1 otherwise (one line per finding), 2 on bad use.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

WRITE_METHODS = frozenset(
    {
        "save",
        "create",
        "get_or_create",
        "update_or_create",
        "update",
        "delete",
        "select_for_update",
    }
)
WRITE_PREFIXES = ("bulk_",)  # bulk_create, bulk_update
WRITE_FUNCTIONS = frozenset({"record_change"})

# Exceptions, each with why and what removes it: (file relative to the package root, function,
# what it calls) -> reason. None today. An entry that matches nothing any more is reported.
KNOWN: dict[tuple[str, str, str], str] = {}


@dataclass(frozen=True)
class Finding:
    path: Path
    line: int
    function: str
    call: str
    message: str

    def key(self, root: Path) -> tuple[str, str, str]:
        return (self.path.relative_to(root).as_posix(), self.function, self.call)


def _called_name(call: ast.Call) -> tuple[str | None, str | None]:
    """(receiver name or None, called name) of ``f()``, ``x.f()``, ``a.b.f()``."""
    func = call.func
    if isinstance(func, ast.Name):
        return None, func.id
    if isinstance(func, ast.Attribute):
        receiver = func.value.id if isinstance(func.value, ast.Name) else None
        return receiver, func.attr
    return None, None


def _is_write_name(name: str) -> bool:
    return name in WRITE_METHODS or name.startswith(WRITE_PREFIXES)


def _opens_atomic(node: ast.AST) -> bool:
    """``transaction.atomic`` / ``atomic`` used as a decorator or a context manager."""
    candidates: list[ast.expr] = []
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        candidates = list(node.decorator_list)
    elif isinstance(node, ast.With | ast.AsyncWith):
        candidates = [item.context_expr for item in node.items]
    for expr in candidates:
        target = expr.func if isinstance(expr, ast.Call) else expr
        if (isinstance(target, ast.Attribute) and target.attr == "atomic") or (
            isinstance(target, ast.Name) and target.id == "atomic"
        ):
            return True
    return False


class ServicesModule:
    """Which top-level functions of one services module write (directly or through one another)."""

    def __init__(self, path: Path):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        self.functions = {
            node.name: node for node in tree.body if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        }
        self._writes: dict[str, bool] = {}

    def writes(self, name: str, _seen: frozenset[str] = frozenset()) -> bool:
        if name in self._writes:
            return self._writes[name]
        function = self.functions.get(name)
        if function is None:  # a class, a constant, an imported name: not a service call
            return False
        result = False
        for node in ast.walk(function):
            if _opens_atomic(node):
                result = True
            elif isinstance(node, ast.Call):
                _, called = _called_name(node)
                if called is None:
                    continue
                if called in WRITE_FUNCTIONS or (isinstance(node.func, ast.Attribute) and _is_write_name(called)):
                    result = True
                elif isinstance(node.func, ast.Name) and called in self.functions and called not in _seen | {name}:
                    result = self.writes(called, _seen | {name})
            if result:
                break
        self._writes[name] = result
        return result


class SelectorChecker(ast.NodeVisitor):
    def __init__(self, root: Path, path: Path):
        self.root, self.path = root, path
        self.findings: list[Finding] = []
        self._function: list[str] = []
        self._service_names: dict[str, tuple[Path, str]] = {}  # local name -> (services file, function)
        self._service_modules: dict[str, Path] = {}  # local name of an imported services module
        self._modules: dict[Path, ServicesModule] = {}

    # -- where a services name comes from
    def _services_file(self, dotted: str) -> Path | None:
        parts = dotted.split(".")
        if parts[-1] != "services" or parts[0] != self.root.name:
            return None
        candidate = self.root.joinpath(*parts[1:]).with_suffix(".py")
        return candidate if candidate.is_file() else None

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        if node.level:  # from . import services / from .services import x
            package = self.path.parent.relative_to(self.root.parent).as_posix().replace("/", ".")
            base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
            module = f"{base}.{module}" if module else base
        source = self._services_file(module)
        for alias in node.names:
            local = alias.asname or alias.name
            if source is not None:
                self._service_names[local] = (source, alias.name)
            else:
                sub = self._services_file(f"{module}.{alias.name}")
                if sub is not None:
                    self._service_modules[local] = sub
        self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            source = self._services_file(alias.name)
            if source is not None and alias.asname:
                self._service_modules[alias.asname] = source
        self.generic_visit(node)

    # -- functions, for the messages and the known exceptions
    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self._function.append(node.name)
        if _opens_atomic(node):
            self._add(node, "transaction.atomic", "opens a write transaction")
        self.generic_visit(node)
        self._function.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_With(self, node: ast.With | ast.AsyncWith) -> None:
        if _opens_atomic(node):
            self._add(node, "transaction.atomic", "opens a write transaction")
        self.generic_visit(node)

    visit_AsyncWith = visit_With

    def visit_Call(self, node: ast.Call) -> None:
        receiver, called = _called_name(node)
        if called is not None:
            if receiver is not None and receiver in self._service_modules:
                self._check_service(node, self._service_modules[receiver], called, f"{receiver}.{called}")
            elif receiver is None and called in self._service_names:
                source, name = self._service_names[called]
                self._check_service(node, source, name, called)
            elif called in WRITE_FUNCTIONS:
                self._add(node, called, "writes the change log (a service's job)")
            elif isinstance(node.func, ast.Attribute) and _is_write_name(called):
                self._add(node, called, f"calls .{called}(), a write")
        self.generic_visit(node)

    def _check_service(self, node: ast.Call, source: Path, name: str, shown: str) -> None:
        module = self._modules.get(source)
        if module is None:
            module = self._modules[source] = ServicesModule(source)
        if module.writes(name):
            where = source.relative_to(self.root).as_posix()
            self._add(node, name, f"calls {shown}() of {where}, a service that writes")

    def _add(self, node: ast.AST, call: str, message: str) -> None:
        function = self._function[-1] if self._function else "<module>"
        self.findings.append(Finding(self.path, getattr(node, "lineno", 0), function, call, message))


def selector_files(root: Path) -> list[Path]:
    return sorted({*root.glob("*/selectors.py"), *root.glob("*/selectors/*.py")})


def check(root: Path) -> tuple[list[Finding], list[tuple[str, str, str]]]:
    """Findings not listed in KNOWN, and the KNOWN entries that matched nothing."""
    findings: list[Finding] = []
    for path in selector_files(root):
        checker = SelectorChecker(root, path)
        checker.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        findings += checker.findings
    matched = {f.key(root) for f in findings} & KNOWN.keys()
    return [f for f in findings if f.key(root) not in KNOWN], sorted(KNOWN.keys() - matched)


def main(argv: list[str]) -> int:
    if len(argv) > 1:
        print(__doc__.split("\n\n")[-1], file=sys.stderr)
        return 2
    root = Path(argv[0]) if argv else Path(__file__).resolve().parent.parent / "src" / "cax"
    if not root.is_dir():
        print(f"check_selectors: no such folder: {root}", file=sys.stderr)
        return 2
    files = selector_files(root)
    if not files:
        print(f"check_selectors: no selectors module under {root}", file=sys.stderr)
        return 2
    findings, stale = check(root)
    for f in findings:
        print(f"{f.path.relative_to(root.parent).as_posix()}:{f.line}: {f.function}() {f.message}")
    for path, function, call in stale:
        print(f"check_selectors: warning: known exception {path} {function}() .{call} matches nothing: delete it")
    if findings:
        print(f"check_selectors: {len(findings)} write(s) in selectors; move them to a service", file=sys.stderr)
        return 1
    print(f"check_selectors: {len(files)} selectors modules read only")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
