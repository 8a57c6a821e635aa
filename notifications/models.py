from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxQuerySet(models.QuerySet):
    def stale_queued(self, before):
        """Queued rows nobody has picked up since `before`; a retry waits for its own time first."""
        return self.filter(state=OutboxMessage.State.QUEUED, updated_at__lt=before).filter(
            models.Q(retry_at__isnull=True) | models.Q(retry_at__lt=before)
        )

    def stale_sending(self, before):
        return self.filter(state=OutboxMessage.State.SENDING, claimed_at__lt=before)


class OutboxMessage(models.Model):
    """One mail to one person. Written in the caller's transaction; sent by a worker after commit."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        # The worker died after claiming the row: it may or may not have gone out. Staff decide.
        UNKNOWN = "unknown", _("Unknown")

    idempotency_key = models.CharField(
        _("idempotency key"),
        max_length=255,
        unique=True,
        help_text=_("One logical message to one recipient: queuing the same key twice sends once."),
    )
    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    recipient = models.EmailField(_("recipient"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outbox_messages",
    )
    language = models.CharField(_("language"), max_length=8, default=settings.LANGUAGE_CODE)
    subject = models.CharField(_("subject"), max_length=255)
    body_text = models.TextField(_("text body"))
    body_html = models.TextField(_("HTML body"), blank=True)
    # An iCalendar invite (RFC 5546) sent along as text/calendar, e.g. with an event registration.
    calendar = models.TextField(_("calendar invite"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    claimed_at = models.DateTimeField(_("picked up by a worker"), null=True, blank=True)
    retry_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects = OutboxQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("outgoing mail")
        verbose_name_plural = _("outgoing mails")
        indexes = [models.Index(fields=["state", "updated_at"])]

    def __str__(self) -> str:
        return f"{self.subject} → {self.recipient}"
