"""Mail texts written by people, with {placeholders} filled per recipient (decision mail, group mail…)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PLACEHOLDER = re.compile(r"\{(\w+)\}")


def unknown_placeholders(text: str, known: list[str]) -> list[str]:
    return sorted({name for name in PLACEHOLDER.findall(text) if name not in known})


def check(text: str, known: list[str]) -> None:
    """Refuse a text that names a placeholder nobody fills (a typo would reach every recipient)."""
    unknown = unknown_placeholders(text, known)
    if unknown:
        raise ValidationError(
            _("Unknown placeholders: %(unknown)s. You can use: %(known)s.")
            % {
                "unknown": ", ".join(f"{{{u}}}" for u in unknown),
                "known": ", ".join(f"{{{k}}}" for k in known),
            },
            code="placeholder",
        )


def fill(text: str, values: dict[str, str]) -> str:
    """Put the values in; braces that name no placeholder are left as they are."""
    return PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), text)
