"""Registering for an event: places, quotas and the waitlist.

Every change that takes or frees a place locks the event's row first, so two people can never take
the last place together, and a freed place goes to exactly one person waiting.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.services import queue_templated_mail

from .calendar import invite
from .models import Event, ParticipantType, Registration

Status = Registration.Status


def _tell(
    registration: Registration, *, promoted: bool = False, was_placed: bool = False, changed: bool = False
) -> None:
    """Mail the participant their registration's new status (each change once: keyed by its sequence),
    with a calendar invite when they get a place, and its cancellation when they give one back."""
    person, event = registration.user, registration.event
    link = settings.SITE_URL + reverse("events:mine", args=[event.slug])
    placed = registration.status == Status.REGISTERED
    language = person.preferred_language or None
    queue_templated_mail(
        to=person.email, template="events/mail/status", user=person,
        calendar=invite(registration, language=language) if placed or was_placed else "",
        context={"name": person.name or person.email, "event": event, "status": registration.status,
                 "promoted": promoted, "changed": changed, "link": link},
        key=f"event-status:{registration.pk}:{registration.sequence}",
    )  # fmt: skip


def _changed(registration: Registration, *, update_fields=None, **tell) -> Registration:
    """Every change is a new version of the registration (its invite's SEQUENCE), saved and mailed."""
    registration.sequence += 1
    registration.save(update_fields=update_fields)
    _tell(registration, **tell)
    return registration


def _locked(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def has_place(event: Event, participant_type: ParticipantType | None) -> bool:
    """Is there a place for one more person of this type? Call with the event's row locked."""
    taken = Registration.objects.filter(event=event).counts_by_type()
    if sum(taken.values()) >= event.capacity:
        return False
    if participant_type is not None and participant_type.quota is not None:
        return taken.get(participant_type.pk, 0) < participant_type.quota
    return True


def _place_or_wait(registration: Registration, event: Event) -> None:
    if has_place(event, registration.participant_type):
        registration.status, registration.waitlisted_at = Status.REGISTERED, None
    else:
        registration.status, registration.waitlisted_at = Status.WAITLISTED, timezone.now()


@transaction.atomic
def register(
    *, event: Event, user, participant_type: ParticipantType | None = None, **details
) -> Registration:
    """Register `user`: a place if one is free (or a request to approve, in approval modes), else the
    waitlist. Registering twice returns the registration already there."""
    event = _locked(event)
    if not event.accepts_registrations_at(timezone.now()):
        raise ValidationError(_("Registration for this event is closed."), code="closed")
    if participant_type is not None and participant_type.event_id != event.pk:
        raise ValidationError(_("Choose one of this event's participant types."), code="type")
    registration = Registration.objects.filter(event=event, user=user).first()
    if registration is not None and registration.active:
        return registration  # a double click, or a second tab
    if registration is not None and registration.status == Status.REJECTED:
        raise ValidationError(
            _("The organisers did not approve your request. Write to them if you think this is a mistake."),
            code="rejected",
        )
    registration = registration or Registration(event=event, user=user)
    registration.participant_type = participant_type
    for name, value in details.items():
        setattr(registration, name, value)
    if event.mode == Event.Mode.OPEN:
        _place_or_wait(registration, event)
    else:
        registration.status, registration.waitlisted_at = Status.PENDING, None
    return _changed(registration)


@transaction.atomic
def approve(registration: Registration) -> Registration:
    """An organiser's yes: a place if one is free, else the waitlist."""
    event = _locked(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != Status.PENDING:
        return registration
    _place_or_wait(registration, event)
    return _changed(registration)


@transaction.atomic
def reject(registration: Registration) -> Registration:
    _locked(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != Status.PENDING:
        return registration
    registration.status = Status.REJECTED
    return _changed(registration)


@transaction.atomic
def cancel(registration: Registration) -> tuple[Registration, Registration | None]:
    """Cancel; a freed place goes to the first person waiting who fits it. Returns the cancelled
    registration and the promoted one (if any). Cancelling twice changes nothing."""
    event = _locked(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if not registration.active:
        return registration, None
    held_place = registration.status == Status.REGISTERED
    registration.status, registration.waitlisted_at = Status.CANCELLED, None
    _changed(registration, was_placed=held_place)
    # Once the event has begun, a place freed at the door goes to nobody: too late to come.
    promoted = promote(event) if held_place and timezone.now() < event.starts_at else None
    return registration, promoted


def promote(event: Event) -> Registration | None:
    """Give a free place to the first person waiting whose type still has room (event row locked)."""
    for waiting in Registration.objects.filter(event=event).waiting().select_related("participant_type"):
        if has_place(event, waiting.participant_type):
            waiting.status, waiting.waitlisted_at = Status.REGISTERED, None
            return _changed(waiting, promoted=True)
    return None


WHEN_AND_WHERE = {"starts_at", "ends_at", "time_zone", "venue", "address"}


@transaction.atomic
def event_changed(event: Event) -> int:
    """The event moved (its time or place): every registered participant gets a mail with the updated
    invite, its SEQUENCE raised so that calendars replace the old one. Returns how many were told."""
    event = _locked(event)
    placed = list(Registration.objects.filter(event=event).holding_places().select_related("user", "event"))
    for registration in placed:
        _changed(registration, update_fields=["sequence", "updated_at"], changed=True)
    return len(placed)


@transaction.atomic
def fill_places(event: Event) -> list[Registration]:
    """After the capacity or a quota grew: give every place now free to the people waiting, in order."""
    event = _locked(event)
    promoted = []
    while (registration := promote(event)) is not None:
        promoted.append(registration)
    return promoted
