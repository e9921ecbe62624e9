"""The messages CAX's sources mark for translation, read without gettext's tools (issue 17.2).

``makemessages`` needs xgettext, which ``./cax test`` does not install; this reader finds the same
literal messages (Python ``_("…")``/``gettext_lazy``/``pgettext…`` calls with literal arguments,
templates' ``{% translate "…" %}``) so a test can tell a message that is in no catalog: one shown
in Vietnamese on an English page until someone runs makemessages and translates it.
``{% blocktranslate %}`` blocks and calls with computed arguments are left to makemessages.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

# name → (index of the context argument or None, index of the message argument)
_CALLS = {
    "_": (None, 0),
    "gettext": (None, 0),
    "gettext_lazy": (None, 0),
    "gettext_noop": (None, 0),
    "ngettext": (None, 0),
    "ngettext_lazy": (None, 0),
    "pgettext": (0, 1),
    "pgettext_lazy": (0, 1),
    "npgettext": (0, 1),
    "npgettext_lazy": (0, 1),
}
_TRANSLATE_TAG = re.compile(
    r"""\{%\s*(?:translate|trans)\s+(?P<q>["'])(?P<msgid>.*?)(?P=q)"""
    r"""(?:\s+context\s+(?P<cq>["'])(?P<context>.*?)(?P=cq))?[^%]*%\}""",
    re.S,
)


@dataclass(frozen=True)
class Message:
    context: str | None
    msgid: str
    where: str

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.context, self.msgid)


def _literal(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


# Computed msgids that are marked where they are written, and why the call may take a variable.
COMPUTED_ON_PURPOSE = {
    "notices/models.py: gettext(self.message)": (
        "a notice's stored msgid, marked gettext_noop by the app that published it"
    ),
    "notices/services.py: gettext(title)": "the same msgid, written in Vietnamese when the notice is stored",
}


def computed_messages(root: Path) -> list[str]:
    """``_(label)`` calls whose message is computed, outside tests: makemessages cannot extract
    them, so unless the same text happens to be marked elsewhere it stays Vietnamese in English
    (the planner's comparison rows did). Mark the literal where it is written instead."""
    found = []
    for path in sorted(root.rglob("*.py")):
        if "tests" in path.relative_to(root).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            if name in _CALLS and len(node.args) > _CALLS[name][1] and _literal(node.args[_CALLS[name][1]]) is None:
                if f"{path.relative_to(root)}: {ast.unparse(node)}" in COMPUTED_ON_PURPOSE:
                    continue
                found.append(f"{path.relative_to(root)}:{node.lineno}: {ast.unparse(node)[:80]}")
    return found


def python_messages(path: Path, root: Path) -> Iterator[Message]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
        if name not in _CALLS:
            continue
        context_at, msgid_at = _CALLS[name]
        if len(node.args) <= msgid_at:
            continue
        msgid = _literal(node.args[msgid_at])
        context = _literal(node.args[context_at]) if context_at is not None else None
        if msgid and (context_at is None or context is not None):
            yield Message(context, msgid, f"{path.relative_to(root)}:{node.lineno}")


def template_messages(path: Path, root: Path) -> Iterator[Message]:
    text = path.read_text(encoding="utf-8")
    for match in _TRANSLATE_TAG.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        # makemessages writes a template's "%" as "%%" (the entry becomes python-format).
        msgid = match.group("msgid").replace("%", "%%")
        yield Message(match.group("context"), msgid, f"{path.relative_to(root)}:{line}")


def source_messages(root: Path) -> list[Message]:
    """Every literal message under ``root`` (src/cax), as makemessages would extract it."""
    found: list[Message] = []
    for path in sorted(root.rglob("*")):
        if any(part.startswith(".") for part in path.relative_to(root).parts):
            continue
        if path.suffix == ".py":
            found.extend(python_messages(path, root))
        elif path.suffix in (".html", ".txt") and "templates" in path.parts:
            found.extend(template_messages(path, root))
    return found
