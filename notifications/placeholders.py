"""Mail texts written by people, with {placeholders} filled per recipient (decision mail, group mail…)."""

from __future__ import annotations

import re

PLACEHOLDER = re.compile(r"\{(\w+)\}")


def unknown_placeholders(text: str, known: list[str]) -> list[str]:
    return sorted({name for name in PLACEHOLDER.findall(text) if name not in known})


def fill(text: str, values: dict[str, str]) -> str:
    """Put the values in; braces that name no placeholder are left as they are."""
    return PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), text)
