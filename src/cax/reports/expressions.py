"""Validation-rule expressions: sums and differences of indicator codes and numbers (#6).

``tin_bao_giai_quyet``, ``tngt_chet + tngt_bi_thuong``, ``thanh_vien - 2``: nothing else, so a rule
an administrator types can never run code. Pure module, no ORM (gettext only: the messages are
shown in the reference admin, in the reader's language).
"""

from __future__ import annotations

import decimal
import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

_TOKEN = re.compile(r"\s*(?:(?P<number>\d+(?:[.,]\d+)?)|(?P<code>[A-Za-z_][A-Za-z0-9_]*)|(?P<op>[+-]))")


class ExpressionError(ValueError):
    """The text is not a valid expression; the message is for the administrator."""


@dataclass(frozen=True)
class Term:
    sign: int
    code: str = ""
    number: decimal.Decimal = decimal.Decimal(0)


def parse(text: str) -> tuple[Term, ...]:
    text = (text or "").strip()
    if not text:
        raise ExpressionError(_("Biểu thức trống."))
    terms: list[Term] = []
    position, sign, expect_operand = 0, 1, True
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            raise ExpressionError(_("Không hiểu biểu thức tại “{t}”.").format(t=text[position:]))
        position = match.end()
        if match["op"]:
            if expect_operand:
                if terms or match["op"] == "+" or sign == -1:
                    raise ExpressionError(_("Thiếu số hạng trước “{op}”.").format(op=match["op"]))
                sign = -1  # a leading minus
                continue
            sign, expect_operand = (1 if match["op"] == "+" else -1), True
            continue
        if not expect_operand:
            raise ExpressionError(_("Thiếu dấu + hoặc - trước “{t}”.").format(t=match.group().strip()))
        if match["number"]:
            terms.append(Term(sign, number=decimal.Decimal(match["number"].replace(",", "."))))
        else:
            terms.append(Term(sign, code=match["code"]))
        expect_operand = False
    if expect_operand:
        raise ExpressionError(_("Biểu thức kết thúc bằng dấu."))
    return tuple(terms)


def codes(terms: tuple[Term, ...]) -> set[str]:
    return {t.code for t in terms if t.code}


def evaluate(terms: tuple[Term, ...], values: Mapping[str, decimal.Decimal | None]) -> decimal.Decimal | None:
    """The value, or None when an indicator in it has no value (a rule on missing data is skipped)."""
    total = decimal.Decimal(0)
    for term in terms:
        if term.code:
            value = values.get(term.code)
            if value is None:
                return None
            total += term.sign * decimal.Decimal(value)
        else:
            total += term.sign * term.number
    return total


OPERATORS = {
    "<=": lambda a, b: a <= b,
    "<": lambda a, b: a < b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    ">=": lambda a, b: a >= b,
    ">": lambda a, b: a > b,
}
