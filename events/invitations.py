"""Personal invitations to an event: each person gets their own link, their answer is tracked
(no answer yet, registered, declined), and those who have not answered can be reminded."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from notifications.services import queue_templated_mail

from .models import Event, Invitation

# Reminders go to people who have not answered, at most this many times each, and never sooner than a
# day after the last mail (so a double click, or two organisers at once, remind once).
MAX_REMINDERS = 3
REMIND_AFTER = datetime.timedelta(days=1)


def link(invitation: Invitation) -> str:
    return settings.SITE_URL + reverse("events:invitation", args=[invitation.token])


def _send(invitation: Invitation, *, reminder: bool) -> None:
    queue_templated_mail(
        to=invitation.email, template="events/mail/invitation",
        context={"invitation": invitation, "event": invitation.event, "link": link(invitation),
                 "reminder": reminder},
        language=(invitation.event.languages or [settings.LANGUAGE_CODE])[0],
        key=f"event-invitation:{invitation.pk}:{invitation.reminders_sent}",
    )  # fmt: skip


@transaction.atomic
def invite(event: Event, people: list[dict]) -> list[Invitation]:
    """Invite each person (name, email, organisation, participant_type) not invited yet; mail them.
    Two organisers importing at once wait for each other (the event's row), so nobody is invited twice."""
    Event.objects.select_for_update().get(pk=event.pk)
    invited = {email.lower() for email in event.invitations.values_list("email", flat=True)}
    made = []
    for person in people:
        if person["email"].lower() in invited:
            continue
        invited.add(person["email"].lower())
        invitation = Invitation.objects.create(event=event, last_sent_at=timezone.now(), **person)
        _send(invitation, reminder=False)
        made.append(invitation)
    return made


def remindable(event: Event):
    """Who a reminder would go to now."""
    return event.invitations.filter(
        status=Invitation.Status.INVITED, reminders_sent__lt=MAX_REMINDERS,
        last_sent_at__lte=timezone.now() - REMIND_AFTER,
    )  # fmt: skip


@transaction.atomic
def remind(event: Event) -> int:
    """Remind everyone who has not answered (each at most MAX_REMINDERS times, a day apart); how many
    were. The rows are locked, and the condition read again once a concurrent remind has committed."""
    waiting = remindable(event).select_for_update()
    count = 0
    for invitation in waiting.select_related("event"):
        invitation.reminders_sent += 1
        invitation.last_sent_at = timezone.now()
        invitation.save(update_fields=["reminders_sent", "last_sent_at"])
        _send(invitation, reminder=True)
        count += 1
    return count


@transaction.atomic
def decline(invitation: Invitation) -> Invitation:
    """The person said no. Declining after registering changes nothing: they cancel instead."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status == Invitation.Status.INVITED:
        invitation.status, invitation.answered_at = Invitation.Status.DECLINED, timezone.now()
        invitation.save(update_fields=["status", "answered_at"])
    return invitation


@transaction.atomic
def withdraw(invitation: Invitation) -> bool:
    """Take back an invitation sent by mistake: its link stops working. Not once it was answered."""
    invitation = Invitation.objects.select_for_update().filter(pk=invitation.pk).first()
    if invitation is None or invitation.status != Invitation.Status.INVITED:
        return invitation is None  # already withdrawn (a double click) is fine
    invitation.delete()
    return True
