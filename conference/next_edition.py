"""Start the next edition: a copy of this one's set-up, every date moved on by the series' cadence.

Each app registers, in its AppConfig.ready(), what of an edition it carries over (conference:
tracks, types, keywords; later the review form, mail templates…). Nothing else is copied: no
submissions, no reviews, no registrations.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .models import Edition, Role

CarryOver = Callable[[Edition, Edition], None]

_carry_overs: dict[str, CarryOver] = {}


def register_carry_over(name: str) -> Callable[[CarryOver], CarryOver]:
    """Decorator: `fn(previous, new)` copies what its app owns from `previous` into `new`."""

    def decorator(fn: CarryOver) -> CarryOver:
        _carry_overs[name] = fn
        return fn

    return decorator


def carry_overs() -> dict[str, CarryOver]:
    return dict(_carry_overs)


def shift_years(moment: datetime, years: int, zone) -> datetime:
    """The same local wall-clock time `years` later in `zone` (29 February becomes the 28th)."""
    local = moment.astimezone(zone)
    try:
        moved = local.replace(year=local.year + years)
    except ValueError:
        moved = local.replace(year=local.year + years, day=28)
    return moved.replace(fold=0)


@transaction.atomic
def start_next_edition(*, edition: Edition) -> Edition:
    """Create the series' next edition from `edition`, or raise ValidationError if that year exists."""
    years = edition.series.cadence_years
    year = edition.year + years
    if Edition.objects.filter(series=edition.series, year=year).exists():
        raise ValidationError(
            _("The %(year)d edition already exists: open it instead of starting it again.") % {"year": year},
            code="edition_exists",
        )
    new = Edition.objects.get(pk=edition.pk)
    new.pk = None
    new.year = year
    new.title = {code: text.replace(str(edition.year), str(year)) for code, text in edition.title.items()}
    for name in Edition.TIMELINE:
        setattr(new, name, shift_years(getattr(edition, name), years, edition.zone))
    new.announced = False  # a draft until the chair announces it
    new.published_at = None
    new.closed_at = None
    try:
        with transaction.atomic():
            new.save()
    except IntegrityError as race:  # two chairs clicking at once
        raise ValidationError(
            _("The %(year)d edition already exists: open it instead of starting it again.") % {"year": year},
            code="edition_exists",
        ) from race
    for carry_over in _carry_overs.values():
        carry_over(edition, new)
    return new


@register_carry_over("conference")
def carry_over_setup(previous: Edition, new: Edition) -> None:
    for track in previous.tracks.all():
        track.pk, track.edition = None, new
        track.save()
    for submission_type in previous.submission_types.all():
        submission_type.pk, submission_type.edition = None, new
        submission_type.save()
    for keyword in previous.keywords.all():
        keyword.pk, keyword.edition = None, new
        keyword.save()
    for question in previous.questions.all():
        question.pk, question.edition = None, new
        question.save()
    # The organizing committee carries on; reviewers are invited afresh for each call.
    Role.objects.bulk_create(
        Role(edition=new, user_id=role.user_id, kind=role.kind)
        for role in previous.roles.filter(kind__in=[Role.Kind.CHAIR, Role.Kind.COMMITTEE])
    )
