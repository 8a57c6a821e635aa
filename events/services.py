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

from . import privacy
from .calendar import invite
from .models import Event, Invitation, InvitationCode, ParticipantType, Registration, VisaDetails

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
    *,
    event: Event,
    user,
    participant_type: ParticipantType | None = None,
    invitation: Invitation | None = None,
    code: str = "",
    visa: dict | None = None,
    **details,
) -> Registration:
    """Register `user`: a place if one is free (or a request to approve, in approval modes), else the
    waitlist. By invitation, a personal invitation or a shared code with uses left is needed, and it
    sets the participant type. Registering twice returns the registration already there."""
    event = _locked(event)
    if not event.accepts_registrations_at(timezone.now()):
        raise ValidationError(_("Registration for this event is closed."), code="closed")
    registration = Registration.objects.filter(event=event, user=user).first()
    if registration is not None and registration.active:
        return registration  # a double click, or a second tab
    if registration is not None and registration.status == Status.REJECTED:
        raise ValidationError(
            _("The organisers did not approve your request. Write to them if you think this is a mistake."),
            code="rejected",
        )
    if registration is None:
        registration = Registration(event=event, user=user)
    else:  # coming back after cancelling starts afresh: nothing of the old registration carries over
        for field in Registration._meta.concrete_fields:
            if field.name not in KEPT_ON_RETURN:
                setattr(registration, field.attname, field.get_default())
    if invitation is not None:  # in any mode: the answer is tracked, and the type comes with it
        registration.invitation = _usable_invitation(event, invitation, user)
        participant_type = invitation.participant_type or participant_type
    elif event.mode == Event.Mode.INVITATION:
        registration.code = _usable_code(event, code)
        participant_type = registration.code.participant_type or participant_type
    if participant_type is not None and participant_type.event_id != event.pk:
        raise ValidationError(_("Choose one of this event's participant types."), code="type")
    registration.participant_type = participant_type
    for name, value in details.items():
        setattr(registration, name, value)
    registration.support_status = Registration.SupportStatus.REQUESTED if registration.support else ""
    if event.mode == Event.Mode.OPEN:
        _place_or_wait(registration, event)
    else:
        registration.status, registration.waitlisted_at = Status.PENDING, None
    _changed(registration)
    if visa and registration.needs_visa_letter:
        _keep_visa_details(registration, visa)
    else:
        forget_visa_details(registration)
    if registration.invitation is not None:
        Invitation.objects.filter(pk=registration.invitation.pk).update(
            status=Invitation.Status.REGISTERED, answered_at=timezone.now()
        )
    return registration


# A returning person keeps their badge's code and their calendar invite's UID and SEQUENCE.
KEPT_ON_RETURN = {"id", "event", "user", "check_in_code", "sequence", "created_at", "updated_at"}


def _usable_invitation(event: Event, invitation: Invitation, user) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.event_id != event.pk:
        raise ValidationError(_("This invitation is for another event."), code="invitation")
    taken = invitation.registrations.exclude(user=user).filter(status__in=Registration.ACTIVE).exists()
    if taken:
        raise ValidationError(
            _("Someone has already registered with this personal invitation. Ask the organisers for one "
              "of your own."), code="invitation",
        )  # fmt: skip
    return invitation


def _usable_code(event: Event, code: str) -> InvitationCode:
    """The shared code, if it is this event's and has uses left (checked with the event locked)."""
    found = InvitationCode.objects.filter(event=event, code__iexact=code.strip()).first() if code else None
    if found is None:
        raise ValidationError(
            _("This event is by invitation: follow the link in your invitation, or enter the code you "
              "were given."), code="invitation",
        )  # fmt: skip
    used = found.registrations.filter(status__in=Registration.ACTIVE).count()
    if used >= found.uses:
        raise ValidationError(
            _("This invitation code has been used as many times as it allows."), code="used"
        )
    return found


def _keep_visa_details(registration: Registration, visa: dict) -> None:
    """Store (or replace) the passport details: the old ones go everywhere, with their letter."""
    forget_visa_details(registration)
    VisaDetails.objects.create(registration=registration, **visa)


EDITABLE = {
    "organisation", "position", "country", "days", "meals", "dietary_needs", "accessibility_needs",
    "arrival_on", "departure_on", "support", "support_details", "needs_visa_letter", "listed", "answers",
}  # fmt: skip


@transaction.atomic
def update(registration: Registration, *, visa: dict | None = None, **details) -> Registration:
    """The participant edits their details (never their status or type: those hold a place), until
    the event starts (the day and meal counts are the caterer's by then)."""
    registration = Registration.objects.select_for_update().select_related("event").get(pk=registration.pk)
    if not registration.active:
        raise ValidationError(_("This registration is no longer active."), code="inactive")
    if timezone.now() >= registration.event.starts_at:
        raise ValidationError(
            _("The event has begun: write to the organisers to change your registration."), code="started"
        )
    unknown = set(details) - EDITABLE
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    if details.get("support") and registration.support != details["support"]:
        registration.support_status = Registration.SupportStatus.REQUESTED
    for name, value in details.items():
        setattr(registration, name, value)
    if not registration.support:
        registration.support_status = ""
    registration.save()
    if visa and registration.needs_visa_letter:
        _keep_visa_details(registration, visa)
    elif not registration.needs_visa_letter:
        forget_visa_details(registration)
    return registration


def forget_visa_details(registration: Registration) -> None:
    """No letter needed any more (or no place): passport data, letter and quoting mails go now."""
    details = VisaDetails.objects.filter(registration=registration).first()
    if details is not None:
        privacy.erase_visa_details(details)


@transaction.atomic
def set_support_status(registration: Registration, status: str) -> Registration:
    """The organisers' answer to a request for travel or accommodation support (that field alone)."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    registration.support_status = status
    registration.save(update_fields=["support_status", "updated_at"])
    return registration


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
    forget_visa_details(registration)
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
    forget_visa_details(registration)  # no place, no letter: passport data has no use any more
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


@transaction.atomic
def check_in(event: Event, who: str | Registration) -> tuple[Registration, bool]:
    """Check a registered participant in at the door, by the code on their badge or as found by name.
    Returns the registration and whether it was checked in before: scanning twice (or two door staff
    scanning the same badge at once: the row is locked) keeps the first time. Raises ValidationError
    with code "unknown" (no such registration for this event) or "not_admissible" (no place held)."""
    rows = Registration.objects.select_for_update(of=("self",)).select_related("user", "participant_type")
    key = {"pk": who.pk} if isinstance(who, Registration) else {"check_in_code": who}
    registration = rows.filter(event=event, **key).first()
    if registration is None:
        raise ValidationError(_("No registration for this event has this code."), code="unknown")
    if registration.checked_in_at is not None:
        return registration, True
    if registration.status != Status.REGISTERED:
        raise ValidationError(
            _("%(name)s holds no place (%(status)s) and cannot be checked in."),
            code="not_admissible",
            params={"name": registration.user.name or registration.user.email,
                    "status": registration.get_status_display()},
        )  # fmt: skip
    registration.checked_in_at = timezone.now()
    registration.save(update_fields=["checked_in_at", "updated_at"])
    return registration, False


@transaction.atomic
def undo_check_in(registration: Registration) -> Registration:
    """A badge scanned by mistake: the person is no longer counted as present."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    registration.checked_in_at = None
    registration.save(update_fields=["checked_in_at", "updated_at"])
    return registration
