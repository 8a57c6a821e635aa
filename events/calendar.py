"""The calendar invite that travels with a registration's mail: iCalendar (RFC 5545) in the event's
own time zone (with its VTIMEZONE), a UID that stays the registration's, a SEQUENCE raised on every
change, and METHOD:CANCEL once the registration is cancelled (RFC 5546)."""

from __future__ import annotations

from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, vCalAddress, vText
from icalendar import Event as CalendarEvent

from config.multilingual import localise

from .models import Registration


def uid(registration: Registration) -> str:
    return f"registration-{registration.pk}@{urlsplit(settings.SITE_URL).hostname or 'convene.localhost'}"


def invite(registration: Registration, *, language: str | None = None) -> str:
    """REQUEST while the person holds a place; CANCEL once it is cancelled."""
    event = registration.event
    cancelled = registration.status == Registration.Status.CANCELLED
    calendar = Calendar()
    calendar.add("prodid", "-//Convene//Events//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "REQUEST")
    item = CalendarEvent()
    item.add("uid", uid(registration))
    item.add("sequence", registration.sequence)
    item.add("dtstamp", timezone.now())
    item.add("dtstart", event.starts_at.astimezone(event.zone))
    item.add("dtend", event.ends_at.astimezone(event.zone))
    item.add("summary", localise(event.title, language=language))
    location = ", ".join(part for part in [event.venue, " ".join(event.address.split())] if part)
    if location:
        item.add("location", location)
    item.add("url", settings.SITE_URL + reverse("events:detail", args=[event.slug]))
    item.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    organizer = vCalAddress("mailto:" + parseaddr(settings.DEFAULT_FROM_EMAIL)[1])
    organizer.params["cn"] = vText(event.hosts or "Convene")
    item.add("organizer", organizer)
    attendee = vCalAddress("mailto:" + registration.user.email)
    attendee.params["cn"] = vText(registration.user.name or registration.user.email)
    attendee.params["partstat"] = vText("DECLINED" if cancelled else "ACCEPTED")
    item.add("attendee", attendee)
    calendar.add_component(item)
    calendar.add_missing_timezones()
    return calendar.to_ical().decode()
