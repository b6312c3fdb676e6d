"""One way to read a number: ASCII or full-width digits within bounds; a blank is None; anything else a
Chinese message — never a crash on "²" or "٣"."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carbonpeak.core.numbers import NumberError, is_int, parse_float, parse_int


@pytest.mark.parametrize(
    ("text", "value"), [("2025", 2025), (" ２０２５ ", 2025), ("", None), (None, None), ("1,000", 1000)]
)
def test_integers_as_people_type_them(text, value):
    assert parse_int(text, what="年份", low=0, high=10_000) == value


@pytest.mark.parametrize("text", ["²", "٣", "2025²", "1e3", "12.5", "-1", "9" * 40, "\x00", "二〇二五"])
def test_anything_else_is_refused_with_a_message(text):
    with pytest.raises(NumberError, match="年份"):
        parse_int(text, what="年份", low=0, high=10_000)
    assert not is_int(text) or text == "-1"


@pytest.mark.parametrize("text", ["nan", "inf", "1e999", "²", "1.2.3", "--1"])
def test_decimals_are_finite_and_plain(text):
    with pytest.raises(NumberError):
        parse_float(text, what="数值")


def test_decimal_bounds_are_said():
    assert parse_float("１２.５", what="数值", low=0) == 12.5
    with pytest.raises(NumberError, match="须在 0–100 之间"):
        parse_float("101", what="数值", low=0, high=100)


@given(st.text(max_size=30))
def test_no_text_makes_anything_but_a_number_none_or_a_number_error(text):
    for parse in (
        lambda t: parse_int(t, what="x", low=-(10**6), high=10**6),
        lambda t: parse_float(t, what="x"),
    ):
        try:
            value = parse(text)
        except NumberError:
            continue
        assert value is None or isinstance(value, int | float)


def test_a_quantity_beyond_any_the_platform_takes_is_refused_naming_the_rule():
    assert parse_float("9.9e14", what="数量") == 9.9e14
    for text in ("1e16", "-2e15", "1" + "0" * 16):
        with pytest.raises(NumberError, match="本平台规则"):
            parse_float(text, what="数量")
