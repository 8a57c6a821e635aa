"""The reminder before an event: each registered participant gets one mail, within the event's
`reminder_days` before it starts, with when and where, the online link of an online event and the link
to their registration."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from notifications.models import OutboxMessage
from notifications.services import queue_templated_mail

from .models import Event, Registration, Session


def reminder_key(registration: Registration) -> str:
    return f"event-reminder:{registration.pk}"


def send_event_reminders(*, now: datetime | None = None) -> int:
    """Queue the reminders due at `now` and return how many were queued. Safe to run any number of
    times: a registration's reminder is keyed by its pk, so it is sent once. An event with
    `reminder_days` 0 sends none."""
    now = now or timezone.now()
    # Each event has its own window: checked here on the events still to come, which are few.
    due = [
        event
        for event in Event.objects.filter(starts_at__gt=now)
        if event.starts_at - now <= timedelta(days=event.reminder_days)
    ]
    registrations = {
        reminder_key(registration): registration
        for registration in Registration.objects.filter(event__in=due).holding_places().select_related("user")
    }
    # The key alone keeps it to one mail; skipping those already queued saves rendering them every hour.
    queued = set(
        OutboxMessage.objects.filter(idempotency_key__in=registrations.keys()).values_list(
            "idempotency_key", flat=True
        )
    )
    with_programme = set(Session.objects.filter(event__in=due).values_list("event", flat=True))
    events = {event.pk: event for event in due}
    sent = 0
    for key, registration in registrations.items():
        if key not in queued:
            event = events[registration.event_id]
            _remind(registration, event, key=key, programme=event.pk in with_programme)
            sent += 1
    return sent


def _remind(registration: Registration, event: Event, *, key: str, programme: bool) -> None:
    person = registration.user
    page = settings.SITE_URL + reverse("events:programme", args=[event.slug])
    where = ", ".join(part for part in [event.venue, *map(str.strip, event.address.splitlines())] if part)
    queue_templated_mail(
        to=person.email, template="events/mail/reminder", user=person, key=key,
        context={
            "name": person.name or person.email, "event": event, "where": where,
            "link": settings.SITE_URL + reverse("events:mine", args=[event.slug]),
            "programme": page if programme else "",
        },
    )  # fmt: skip
