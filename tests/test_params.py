"""Numbers from query strings and forms: only plain ASCII digits that fit a database integer."""

import pytest

from config.params import small_int


@pytest.mark.parametrize(
    ("value", "number"),
    [("42", 42), ("007", 7), ("999999999", 999999999), ("", None), (None, None), ("²", None),
     ("٣", None), ("1\x00", None), ("-1", None), ("1e3", None), ("9" * 10, None)],
)  # fmt: skip
def test_small_int(value, number):
    assert small_int(value) == number
