"""Every outgoing mail goes through `queue_mail`; only the task in tasks.py talks to SMTP."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import re
import smtplib
from datetime import timedelta
from email.utils import make_msgid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation
from kombu.exceptions import OperationalError as BrokerError

from .models import OutboxMessage

logger = logging.getLogger(__name__)
State = OutboxMessage.State
KEY_LENGTH = OutboxMessage._meta.get_field("idempotency_key").max_length

# Errors after which trying again later may work; anything else is a bug and fails loudly.
TRANSIENT_ERRORS = (smtplib.SMTPException, OSError, TimeoutError)
# The server's answers that refuse a message: it was not accepted, so sending it again is safe.
REFUSALS = (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused)


class DeliveryUncertain(Exception):  # noqa: N818 - it is not an error of ours but a state of the world
    """The connection broke after the message may have reached the server: sending again may duplicate it."""


def _message_domain() -> str:
    return settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ") or "convene.localhost"


def queue_mail(
    *,
    to: str,
    subject: str,
    text: str,
    key: str,
    html: str = "",
    language: str = "",
    user=None,
    calendar: str = "",
) -> OutboxMessage:
    """Write one outbox row in the caller's transaction and send it once that commits.

    The same `key` queued twice returns the first row and sends nothing more; queued for another
    recipient it raises ValueError. A key of any length works. A rolled-back transaction leaves no
    row and sends nothing. The subject is put on one line; an invalid address raises ValueError.
    """
    try:
        validate_email(to)
    except ValidationError:
        raise ValueError(f"Not a valid e-mail address: {to!r}") from None
    message, created = OutboxMessage.objects.get_or_create(
        idempotency_key=_storable_key(key),
        defaults={
            "recipient": to,
            "user": user,
            # A header cannot span lines: a newline here would make the mail unsendable.
            "subject": " ".join(subject.split())[:255],
            "body_text": text,
            "body_html": html,
            "calendar": calendar,
            "language": language or translation.get_language() or settings.LANGUAGE_CODE,
            "message_id": make_msgid(domain=_message_domain()),
        },
    )
    if created:
        enqueue(message.pk)
    elif message.recipient.lower() != to.lower():
        # Returning the other person's row would silently lose this mail.
        raise ValueError(f"The idempotency key {key!r} is already used for a mail to another recipient.")
    return message


def _storable_key(key: str) -> str:
    """`key` itself if it fits the column, else a readable prefix and the SHA-256 of all of it."""
    if len(key) <= KEY_LENGTH:
        return key
    digest = hashlib.sha256(key.encode()).hexdigest()
    return f"{key[: KEY_LENGTH - len(digest) - 1]}#{digest}"


def queue_templated_mail(
    *, to: str, template: str, context: dict, key: str, language: str = "", user=None, calendar: str = ""
) -> OutboxMessage:
    """Render templates/<template>_subject.txt, _message.txt and (if present) _message.html, then queue."""
    language = language or (user.preferred_language if user else "") or translation.get_language()
    with translation.override(language):
        subject = " ".join(_render_text(f"{template}_subject.txt", context).split())
        text = _render_text(f"{template}_message.txt", context)
        try:
            html = render_to_string(f"{template}_message.html", context)
        except TemplateDoesNotExist:  # an HTML body is optional
            html = ""
    return queue_mail(
        to=to, subject=subject, text=text, html=html, key=key, language=language, user=user, calendar=calendar
    )


def _render_text(name: str, context: dict) -> str:
    # Plain-text mail is not HTML: "R&D" must not arrive as "R&amp;D".
    return get_template(name).template.render(Context(context, autoescape=False))


def enqueue(message_pk: int) -> None:
    """Hand the row to a worker once the transaction commits.

    A broker that is down never fails the caller's request: the row stays queued, a warning is
    logged, and the sweeper hands the row over again later.
    """
    from .tasks import send_outbox_message

    def publish() -> None:
        try:
            send_outbox_message.delay(message_pk)
        except BrokerError as exc:
            logger.warning(
                "Outbox mail %s could not be handed to the broker (%s); it stays queued for the sweeper.",
                message_pk,
                exc,
            )

    # robust: the row is committed whatever happens here; an error must not turn into a 500.
    transaction.on_commit(publish, robust=True)


def claim(*, message_pk: int) -> OutboxMessage | None:
    """queued -> sending, atomically: of two workers racing for a row, exactly one gets it."""
    claimed = OutboxMessage.objects.filter(pk=message_pk, state=State.QUEUED).update(
        state=State.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1, updated_at=timezone.now()
    )
    if not claimed:
        return None
    return OutboxMessage.objects.get(pk=message_pk)


def deliver(*, message: OutboxMessage) -> None:
    """Hand a claimed row to the mail backend.

    Raises TRANSIENT_ERRORS when nothing went out (the server is unreachable or refused the
    message), and DeliveryUncertain when the connection broke mid-conversation, say while waiting
    for the answer to the message itself: the server may have accepted it.
    """
    mail = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.recipient],
        headers={"Message-ID": message.message_id, "Content-Language": message.language},
    )
    if message.body_html:
        mail.attach_alternative(message.body_html, "text/html")
    if message.calendar:
        method = re.search(r"^METHOD:(\w+)", message.calendar, re.MULTILINE)
        kind = f"text/calendar; method={method.group(1) if method else 'PUBLISH'}; charset=utf-8"
        mail.attach("invite.ics", message.calendar, kind)
    connection = get_connection(fail_silently=False)
    connection.open()  # fails before anything is sent: TRANSIENT_ERRORS, safe to retry
    try:
        connection.send_messages([mail])
    except REFUSALS:
        raise
    except TRANSIENT_ERRORS as exc:
        raise DeliveryUncertain(f"{type(exc).__name__}: {exc}") from exc
    finally:
        # Once the server has said yes, a failed goodbye changes nothing.
        with contextlib.suppress(*TRANSIENT_ERRORS):
            connection.close()


def mark_sent(*, message: OutboxMessage) -> None:
    # From `unknown` too: a sweeper may have given up on a slow send that did succeed.
    OutboxMessage.objects.filter(pk=message.pk, state__in=[State.SENDING, State.UNKNOWN]).update(
        state=State.SENT, sent_at=timezone.now(), last_error="", updated_at=timezone.now()
    )


def mark_unknown(*, message: OutboxMessage, error: Exception) -> None:
    """The send may or may not have worked: leave the row to staff, as the sweeper does, never resend it."""
    OutboxMessage.objects.filter(pk=message.pk, state=State.SENDING).update(
        state=State.UNKNOWN,
        last_error=f"{error}: the connection broke after sending; it may or may not have been sent."[:2000],
        updated_at=timezone.now(),
    )


def is_permanent(error: Exception) -> bool:
    """A 5xx refusal of this recipient (unknown mailbox) or this content (policy): it will be refused again.

    Other 5xx answers, such as a wrong password (535) or a refused sender, are about our own
    configuration: once staff fix it, the same mail goes through, so they are retried.
    """
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return bool(error.recipients) and all(500 <= code < 600 for code, _text in error.recipients.values())
    return isinstance(error, smtplib.SMTPDataError) and 500 <= error.smtp_code < 600


def release_after_failure(*, message: OutboxMessage, error: Exception) -> bool:
    """Put a row whose send failed back in the queue, or mark it failed. True if it may be retried."""
    if message.attempts >= settings.OUTBOX_MAX_ATTEMPTS or is_permanent(error):
        mark_failed(message=message, error=error)
        return False
    now = timezone.now()
    OutboxMessage.objects.filter(pk=message.pk, state=State.SENDING).update(
        state=State.QUEUED,
        last_error=_describe(error),
        retry_at=now + timedelta(seconds=retry_delay(message.attempts)),
        updated_at=now,
    )
    return True


def mark_failed(*, message: OutboxMessage, error: Exception) -> None:
    """A claimed row that will not be sent without staff: its error is kept for them to read."""
    OutboxMessage.objects.filter(pk=message.pk, state=State.SENDING).update(
        state=State.FAILED, last_error=_describe(error), retry_at=None, updated_at=timezone.now()
    )


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:2000]


def retry_delay(attempts: int) -> float:
    return settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)


def sweep_outbox(*, now=None) -> dict[str, int]:
    """Re-queue rows stuck in `queued`; turn rows stuck in `sending` into `unknown`, never resending them."""
    now = now or timezone.now()
    stuck_sending = OutboxMessage.objects.stale_sending(
        now - timedelta(seconds=settings.OUTBOX_SENDING_STALE_SECONDS)
    ).update(
        state=State.UNKNOWN,
        last_error="The worker stopped after claiming this mail; it may or may not have been sent.",
        updated_at=now,
    )
    stale_queued = list(
        OutboxMessage.objects.stale_queued(now - timedelta(seconds=settings.OUTBOX_QUEUED_STALE_SECONDS))
        .order_by("created_at", "pk")  # the longest-waiting first, should there be more than a batch
        .values_list("pk", flat=True)[:1000]
    )
    OutboxMessage.objects.filter(pk__in=stale_queued).update(updated_at=now)
    for pk in stale_queued:
        enqueue(pk)
    if stuck_sending or stale_queued:
        logger.warning("Outbox sweep: %s re-queued, %s marked unknown", len(stale_queued), stuck_sending)
    return {"requeued": len(stale_queued), "unknown": stuck_sending}


@transaction.atomic
def resend(*, message: OutboxMessage) -> bool:
    """Staff's deliberate resend of a failed or unknown row. The same Message-ID goes out again."""
    updated = OutboxMessage.objects.filter(pk=message.pk, state__in=[State.FAILED, State.UNKNOWN]).update(
        state=State.QUEUED, attempts=0, last_error="", retry_at=None, updated_at=timezone.now()
    )
    if updated:
        enqueue(message.pk)
    return bool(updated)
