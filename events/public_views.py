"""The public pages around an event: its programme (and the programme's calendar feed) and the list of
participants who agreed to be listed. Anyone may read them; they show nothing an event page hides."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from config.pagination import paginate

from .models import Event
from .participants import listed_participants
from .programme import by_day, programme_calendar, programme_sessions

PARTICIPANT_PAGE = 50


def programme(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_object_or_404(Event, slug=slug)
    days = by_day(programme_sessions(event), event.zone)
    return render(request, "events/programme.html", {"event": event, "days": days})


def programme_ics(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_object_or_404(Event, slug=slug)
    return HttpResponse(
        programme_calendar(event, programme_sessions(event)), content_type="text/calendar; charset=utf-8"
    )


def participants(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_object_or_404(Event, slug=slug)
    context = {"event": event, **paginate(request, listed_participants(event), PARTICIPANT_PAGE)}
    return render(request, "events/participants.html", context)
