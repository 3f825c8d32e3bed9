"""NULL values carry a code (NullReason), not only an English note."""

from __future__ import annotations

from decimal import Decimal

import pytest

from nianbao.normalize.model import NullReason
from nianbao.normalize.values import as_int, parse_value


@pytest.mark.parametrize("raw,reason", [("", "blank"), ("  ", "blank"), ("-", "dash"), ("—", "dash"),
                                        ("无", "dash"), ("/", "dash")])
def test_printed_nulls_have_their_code(raw, reason):
    parsed = parse_value(raw)
    assert parsed.value is None and parsed.null_reason == reason


def test_a_number_has_no_null_reason():
    parsed = parse_value("5949.088667万元")
    assert (parsed.value, parsed.unit, parsed.null_reason) == (Decimal("5949.088667"), "万元", None)


def test_a_fraction_in_a_count_cell():
    assert as_int(parse_value("2.5"))[2] == NullReason.NOT_WHOLE
    assert as_int(parse_value("3")) == (3, None, None)
