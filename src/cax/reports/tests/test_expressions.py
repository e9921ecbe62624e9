"""Validation-rule expressions: examples worked by hand, then sums of random terms checked against Python."""

from __future__ import annotations

import operator
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cax.reports.expressions import OPERATORS, ExpressionError, Term, codes, evaluate, parse

VALUES = {"a": Decimal(10), "b": Decimal(4), "tngt_chet": Decimal(7), "zero": Decimal(0)}


def value_of(text: str, values=VALUES):
    return evaluate(parse(text), values)


# --- Examples -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a + b", Decimal(14)),
        ("a - 2", Decimal(8)),
        ("-a + 3", Decimal(-7)),
        ("- a + 3", Decimal(-7)),
        ("3", Decimal(3)),
        ("1,5 + a", Decimal("11.5")),
        ("1.5 + a", Decimal("11.5")),
        ("a-b+tngt_chet", Decimal(13)),
        ("  tngt_chet  ", Decimal(7)),
        ("zero - a", Decimal(-10)),
    ],
)
def test_evaluate(text, expected):
    assert value_of(text) == expected


def test_parse_gives_signed_terms():
    assert parse("-a + 1,5 - b") == (
        Term(-1, code="a"),
        Term(1, number=Decimal("1.5")),
        Term(-1, code="b"),
    )


def test_a_missing_value_makes_the_whole_expression_unknown():
    assert value_of("a + missing") is None
    assert value_of("missing - 2") is None
    assert value_of("a + b", {"a": Decimal(1), "b": None}) is None
    assert value_of("a + b", {}) is None


def test_zero_is_a_value_not_a_missing_one():
    assert value_of("zero + 1") == Decimal(1)


@pytest.mark.parametrize(
    "text",
    ["", "   ", "a +", "+ a", "a b", "a * b", "a;import os", "1 2", "-", "a + + b", "2a", "--a", "- - a", "a - -b"],
)
def test_invalid_expressions_raise_with_a_message(text):
    with pytest.raises(ExpressionError) as excinfo:
        parse(text)
    assert str(excinfo.value).strip()


def test_none_is_an_empty_expression():
    with pytest.raises(ExpressionError):
        parse(None)


def test_codes_lists_each_indicator_once():
    assert codes(parse("a + b - a + 3")) == {"a", "b"}
    assert codes(parse("-1 + 2,5")) == set()


# --- Random sums --------------------------------------------------------------------------------------------------

CODES = ("a", "b", "tngt_chet", "x_1")
operands = st.one_of(st.sampled_from(CODES), st.integers(min_value=0, max_value=10**12))
terms = st.lists(st.tuples(st.sampled_from((1, -1)), operands), min_size=1, max_size=12)
spaces = st.sampled_from(("", " ", "  ", "\t"))


@given(
    terms=terms,
    gaps=st.lists(spaces, min_size=24, max_size=24),
    values=st.fixed_dictionaries({code: st.integers(min_value=-(10**12), max_value=10**12) for code in CODES}),
)
def test_evaluate_equals_the_python_sum(terms, gaps, values):
    pieces = []
    for index, (sign, operand) in enumerate(terms):
        # A leading "+" is refused, so a positive first term is written bare.
        symbol = ("-" if sign < 0 else "") if index == 0 else (" - " if sign < 0 else " + ")
        pieces.append(symbol + gaps[2 * index] + str(operand) + gaps[2 * index + 1])
    text = "".join(pieces)
    expected = sum(sign * (values[operand] if isinstance(operand, str) else operand) for sign, operand in terms)

    parsed = parse(text)
    assert len(parsed) == len(terms)
    assert evaluate(parsed, {code: Decimal(v) for code, v in values.items()}) == expected
    assert codes(parsed) == {operand for _, operand in terms if isinstance(operand, str)}


# --- Comparison operators -----------------------------------------------------------------------------------------

PYTHON_OPERATORS = {
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
    "!=": operator.ne,
    ">=": operator.ge,
    ">": operator.gt,
}


def test_operator_examples():
    assert OPERATORS["<="](Decimal(3), Decimal(3))
    assert not OPERATORS["<"](Decimal(3), Decimal(3))
    assert OPERATORS["=="](Decimal("1.50"), Decimal("1.5"))
    assert OPERATORS["!="](Decimal(1), Decimal(2))
    assert OPERATORS[">="](Decimal(2), Decimal(1))
    assert not OPERATORS[">"](Decimal(1), Decimal(2))


numbers = st.decimals(min_value=-1000, max_value=1000, places=2)


@given(symbol=st.sampled_from(sorted(PYTHON_OPERATORS)), left=numbers, right=numbers)
def test_operators_behave_like_python_comparisons(symbol, left, right):
    assert set(OPERATORS) == set(PYTHON_OPERATORS)
    assert OPERATORS[symbol](left, right) == PYTHON_OPERATORS[symbol](left, right)
    assert OPERATORS[symbol](left, left) == PYTHON_OPERATORS[symbol](left, left)
