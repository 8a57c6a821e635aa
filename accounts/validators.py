import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ORCID_PATTERN = re.compile(r"^([0-9]{4})[- ]?([0-9]{4})[- ]?([0-9]{4})[- ]?([0-9]{3}[0-9X])$")
ORCID_PREFIXES = ("HTTPS://ORCID.ORG/", "HTTP://ORCID.ORG/", "ORCID.ORG/")


def orcid_checksum(base_digits: str) -> str:
    """The ISO 7064 MOD 11-2 check character for the first 15 digits of an ORCID iD."""
    total = 0
    for digit in base_digits:
        total = (total + int(digit)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def normalise_orcid(value: str) -> str:
    """Return an ORCID iD as 0000-0000-0000-000X, accepting the URL form and missing dashes."""
    value = value.strip().upper()
    for prefix in ORCID_PREFIXES:
        value = value.removeprefix(prefix)
    match = ORCID_PATTERN.match(value)
    if not match:
        raise ValidationError(
            _("An ORCID iD is 16 digits in groups of four (the last may be X), like 0000-0002-1825-0097."),
            code="orcid_format",
        )
    digits = "".join(match.groups())
    if orcid_checksum(digits[:15]) != digits[15]:
        raise ValidationError(
            _("This ORCID iD has a typo: its last character does not match the checksum."),
            code="orcid_checksum",
        )
    return "-".join(match.groups())


def validate_orcid(value: str) -> None:
    normalise_orcid(value)
