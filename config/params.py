"""Numbers typed into a query string or a form by anyone: an id, a page, a version."""

from __future__ import annotations


def small_int(value: str | None) -> int | None:
    """The number, or None for anything else: "²" (a digit to str.isdigit, not to int), a NUL, or
    more digits than a database integer holds."""
    if value and value.isascii() and value.isdigit() and len(value) <= 9:
        return int(value)
    return None
