"""Edition time zones: the IANA zones plus "Anywhere on Earth", the deadline zone of the academic world."""

from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from django.utils.translation import gettext_lazy as _

ANYWHERE_ON_EARTH = "AoE"
# AoE is UTC-12 all year: a deadline "on 31 March AoE" has passed nowhere on Earth before it ends there.
AOE_ZONE = ZoneInfo("Etc/GMT+12")


@cache
def zone_choices() -> list[tuple[str, str]]:
    zones = sorted(z for z in available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/")))
    return [(ANYWHERE_ON_EARTH, _("Anywhere on Earth (UTC−12)")), ("UTC", "UTC"), *[(z, z) for z in zones]]


def zone(name: str) -> ZoneInfo:
    return AOE_ZONE if name == ANYWHERE_ON_EARTH else ZoneInfo(name)


def utc_offset(moment: datetime, name: str) -> str:
    """'UTC+02:00' for a moment in zone `name` (the offset of that moment, summer time included)."""
    offset = moment.astimezone(zone(name)).utcoffset()
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
