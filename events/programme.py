"""An event's public programme: its sessions by day in the event's own time zone, each with the accepted
papers presented in it (authors in order), and the same programme as an iCalendar feed (RFC 5545)."""

from __future__ import annotations

import datetime
from itertools import groupby
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from config.multilingual import localise
from submissions.models import Authorship, Submission

from .models import Event, Session


def programme_sessions(event: Event) -> QuerySet[Session]:
    """The event's sessions in time order, each with `accepted_papers` (by number, `authorships` in
    order): three queries whatever the number of sessions, papers and authors."""
    papers = (
        Submission.objects.filter(state__in=Submission.ACCEPTED_STATES)
        .only("pk", "number", "title", "language")
        .order_by("number", "pk")
        .prefetch_related(
            Prefetch("authorships", queryset=Authorship.objects.only("submission", "name", "position"))
        )
    )
    return (
        Session.objects.filter(event=event)
        .order_by("starts_at", "room", "pk")
        .prefetch_related(Prefetch("papers", queryset=papers, to_attr="accepted_papers"))
    )


def by_day(sessions, zone) -> list[tuple[datetime.date, list[Session]]]:
    """Sessions (in time order) grouped by the day they start on in `zone`, the event's time zone."""
    grouped = groupby(sessions, key=lambda session: session.starts_at.astimezone(zone).date())
    return [(day, list(day_sessions)) for day, day_sessions in grouped]


def session_uid(session: Session) -> str:
    # The same UID on every fetch: a subscribed calendar updates the session instead of adding a copy.
    return f"session-{session.pk}@{urlsplit(settings.SITE_URL).hostname or 'convene.localhost'}"


def _description(session: Session) -> str:
    parts = [localise(session.description)]
    if session.chairs:
        parts.append(_("Chairs: %(chairs)s") % {"chairs": session.chairs})
    if session.accepted_papers:
        papers = [
            f"- {paper.title} ({', '.join(author.name for author in paper.authorships.all())})"
            for paper in session.accepted_papers
        ]
        parts.append("\n".join([_("Papers:"), *papers]))
    return "\n\n".join(part for part in parts if part)


def programme_calendar(event: Event, sessions) -> str:
    """The programme as a calendar to subscribe to: one VEVENT per session (UID `session-<pk>@<host>`),
    its times in the event's zone with that zone's VTIMEZONE, in the active language."""
    calendar = Calendar()
    calendar.add("prodid", "-//Convene//Programme//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", localise(event.title))
    page = settings.SITE_URL + reverse("events:programme", args=[event.slug])
    stamp = timezone.now()
    for session in sessions:
        item = CalendarEvent()
        item.add("uid", session_uid(session))
        item.add("dtstamp", stamp)
        item.add("dtstart", session.starts_at.astimezone(event.zone))
        item.add("dtend", session.ends_at.astimezone(event.zone))
        item.add("summary", localise(session.title))
        location = ", ".join(part for part in [session.room, event.venue] if part)
        if location:
            item.add("location", location)
        description = _description(session)
        if description:
            item.add("description", description)
        item.add("url", f"{page}#session-{session.pk}")
        calendar.add_component(item)
    calendar.add_missing_timezones()
    return calendar.to_ical().decode()
