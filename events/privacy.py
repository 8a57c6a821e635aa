"""Passport data: the visa invitation letter made from it, and its erasure a set number of days after
the event, from the database, the stored letters and every mail that quoted it."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.models import OutboxMessage
from notifications.services import queue_templated_mail

from .models import Registration, VisaDetails

ERASED = "[erased]"


@transaction.atomic
def issue_letter(details: VisaDetails) -> VisaDetails:
    """Make the letter from the passport details, keep it, and tell the participant it is ready.
    Only for someone who holds a place: a letter is a promise that they are expected. Issuing again
    (after the details changed) replaces the letter."""
    from .documents import visa_letter_pdf  # reportlab loads only when a letter is made

    details = (
        VisaDetails.objects.select_for_update(of=("self",))
        .select_related("registration__user", "registration__event")
        .get(pk=details.pk)
    )
    registration = details.registration
    if registration.status != Registration.Status.REGISTERED:
        raise ValidationError(_("A visa letter is only for a registered participant."), code="no_place")
    person = registration.user
    language = person.preferred_language or settings.LANGUAGE_CODE
    if details.letter:
        old = details.letter
        storage, name = old.storage, old.name
        transaction.on_commit(lambda: storage.delete(name))
    details.letter.save("letter.pdf", ContentFile(visa_letter_pdf(details, language)), save=False)
    details.letter_sent_at = timezone.now()
    details.save(update_fields=["letter", "letter_sent_at", "updated_at"])
    queue_templated_mail(
        to=person.email, template="events/mail/visa_letter", user=person,
        context={"name": person.name or person.email, "event": registration.event,
                 "passport_name": details.passport_name,
                 "link": settings.SITE_URL + reverse("events:mine", args=[registration.event.slug])},
        key=f"{letter_mail_key(details)}{details.letter_sent_at.isoformat()}",
    )  # fmt: skip
    return details


def expired_visa_details(now=None):
    """Passport details of events that ended more than their erasure delay ago."""
    now = now or timezone.now()
    return [
        details
        for details in VisaDetails.objects.filter(registration__event__ends_at__lte=now).select_related(
            "registration__event", "registration__user"
        )
        if details.registration.event.sensitive_data_expires_at <= now
    ]  # fmt: skip


def letter_mail_key(details: VisaDetails) -> str:
    """The start of the key of every mail about this person's letter: the only mails that quote
    passport data (the name the letter is made out to, for them to check)."""
    return f"event-visa-letter:{details.pk}:"


def scrub_letter_mails(details: VisaDetails) -> None:
    """Take the passport data out of the mails about this person's letter."""
    values = details.values()
    mails = OutboxMessage.objects.select_for_update().filter(
        idempotency_key__startswith=letter_mail_key(details)
    )
    for mail in mails:
        for field in ("subject", "body_text", "body_html"):
            text = getattr(mail, field)
            for value in values:
                text = text.replace(value, ERASED)
            setattr(mail, field, text)
        mail.save(update_fields=["subject", "body_text", "body_html", "updated_at"])


@transaction.atomic
def erase_visa_details(details: VisaDetails) -> None:
    """The row, its letter, and the passport data quoted in the mails about the letter."""
    scrub_letter_mails(details)
    letter = details.letter
    details.delete()
    if letter:
        storage, name = letter.storage, letter.name
        transaction.on_commit(lambda: storage.delete(name))


def erase_expired(now=None) -> int:
    """Erase every set of passport details past its delay; how many were erased."""
    expired = expired_visa_details(now)
    for details in expired:
        erase_visa_details(details)
    return len(expired)
