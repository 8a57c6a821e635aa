"""Mail from the organisers to an event's registrants: written once with placeholders, previewed for
the first recipient, then queued, one outbox row per person (the form's token in each key, so a
second click sends nothing)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.multilingual import localise
from notifications import placeholders
from notifications.placeholders import fill
from notifications.services import queue_mail

from .models import Event, Registration

PLACEHOLDERS = ["name", "event", "link"]
AUDIENCES = {
    "registered": (gettext_lazy("Registered participants"), [Registration.Status.REGISTERED]),
    "waitlisted": (gettext_lazy("People on the waitlist"), [Registration.Status.WAITLISTED]),
    "pending": (gettext_lazy("People awaiting approval"), [Registration.Status.PENDING]),
    "active": (gettext_lazy("Everyone registered, waiting or awaiting approval"), list(Registration.ACTIVE)),
}


def recipients(event: Event, audience: str) -> list[Registration]:
    return list(
        Registration.objects.filter(event=event, status__in=AUDIENCES[audience][1])
        .select_related("user")
        .order_by("user__name", "pk")
    )


def render(event: Event, registration: Registration, subject: str, body: str) -> tuple[str, str]:
    person = registration.user
    values = {
        "name": person.name or person.email,
        "event": localise(event.title),  # in the language the organiser writes in
        "link": settings.SITE_URL + reverse("events:mine", args=[event.slug]),
    }
    return " ".join(fill(subject, values).split()), fill(body, values)


@transaction.atomic
def send(event: Event, *, audience: str, subject: str, body: str, token: str) -> int:
    """Queue the mail for everyone in the audience; how many it goes to."""
    placeholders.check(f"{subject} {body}", PLACEHOLDERS)
    people = recipients(event, audience)
    if not people:
        raise ValidationError(_("Nobody is in this group yet: nothing was sent."), code="empty")
    for registration in people:
        text_subject, text = render(event, registration, subject, body)
        queue_mail(to=registration.user.email, subject=text_subject, text=text, user=registration.user,
                   key=f"event-mail:{token}:{registration.pk}")  # fmt: skip
    return len(people)
