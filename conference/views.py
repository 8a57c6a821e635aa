from datetime import datetime

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from .models import Edition, Series, Topic
from .timezones import utc_offset, zone, zone_choices


def home(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    editions = (
        Edition.objects.public()
        .filter(submission_deadline__gt=now)
        .select_related("series")
        .order_by("submission_deadline")
    )
    return render(request, "home.html", {"calls": editions, "now": now})


def series_detail(request: HttpRequest, slug: str) -> HttpResponse:
    series = get_object_or_404(Series, slug=slug)
    editions = list(series.editions.public().order_by("-year"))
    if not editions:
        raise Http404
    return render(
        request, "conference/series.html", {"series": series, "current": editions[0], "past": editions[1:]}
    )


def _reader_zone(request: HttpRequest, edition: Edition) -> str:
    """The zone the visitor chose for the dates (?tz=…), else the edition's own."""
    wanted = request.GET.get("tz", "")
    return wanted if wanted in dict(zone_choices()) else edition.time_zone


def edition_detail(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    edition = get_object_or_404(
        Edition.objects.public().select_related("series"), series__slug=slug, year=year
    )
    now = timezone.now()
    reader_zone = _reader_zone(request, edition)
    dates = [
        {
            "label": Edition._meta.get_field(name).verbose_name,
            "moment": getattr(edition, name),
            "local": getattr(edition, name).astimezone(zone(reader_zone)),
            "offset": utc_offset(getattr(edition, name), reader_zone),
            "passed": getattr(edition, name) <= now,
        }
        for name in Edition.TIMELINE
    ]
    context = {
        "edition": edition,
        "series": edition.series,
        "phase": edition.phase_at(now),
        "is_open": edition.accepts_submissions_at(now),
        "time_left": _time_left(edition.submission_deadline, now),
        "dates": dates,
        "reader_zone": reader_zone,
        "zone_choices": zone_choices(),
        "tracks": edition.tracks.all(),
        "types": edition.submission_types.all(),
        "topics": Topic.objects.for_edition(edition),
    }
    return render(request, "conference/edition.html", context)


def _time_left(deadline: datetime, now: datetime) -> dict[str, int] | None:
    if now >= deadline:
        return None
    seconds = int((deadline - now).total_seconds())
    return {"days": seconds // 86400, "hours": seconds % 86400 // 3600, "minutes": seconds % 3600 // 60}
