"""Events around a call (symposia, retreats, webinars) and the people who register for them.

Places are held by registered participants only. Capacity and each participant type's quota are
checked while the event's row is locked (events.services), so they hold under concurrent
registrations; whoever finds no place joins the waitlist, in the order they came.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from conference.models import Edition
from conference.timezones import zone, zone_choices
from config.multilingual import MultilingualField


def check_in_code() -> str:
    return secrets.token_urlsafe(12)


class EventQuerySet(models.QuerySet):
    def with_places(self) -> EventQuerySet:
        """Each event with `taken`: how many places its registered participants hold."""
        return self.annotate(taken=Count("registrations", filter=Q(registrations__status="registered")))


class Event(models.Model):
    class Kind(models.TextChoices):
        SYMPOSIUM = "symposium", _("Symposium")
        RETREAT = "retreat", _("Retreat")
        WEBINAR = "webinar", _("Webinar")

    class Mode(models.TextChoices):
        OPEN = "open", _("Open: anyone may register")
        APPROVAL = "approval", _("Approval: organisers approve each registration")
        INVITATION = "invitation", _("By invitation, with approval")

    slug = models.SlugField(_("web address"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.SYMPOSIUM)
    edition = models.ForeignKey(
        Edition, verbose_name=_("call"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="events",
    )  # fmt: skip
    title = MultilingualField(_("title"), blank=False)
    description = MultilingualField(_("description"), long=True)
    languages = models.JSONField(_("languages"), default=list)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(_("time zone"), max_length=64, choices=zone_choices, default="Europe/Zurich")
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    address = models.TextField(_("address"), blank=True)
    map_url = models.URLField(_("map link"), blank=True)
    online_url = models.URLField(
        _("online link"), blank=True, help_text=_("Shown to registered participants only.")
    )
    hosts = models.CharField(_("hosts and organisers"), max_length=300, blank=True)
    capacity = models.PositiveIntegerField(_("places"))
    registration_opens_at = models.DateTimeField(_("registration opens"))
    registration_closes_at = models.DateTimeField(_("registration closes"))
    mode = models.CharField(_("registration"), max_length=12, choices=Mode.choices, default=Mode.OPEN)
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("organisers"), blank=True, related_name="organised_events"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_late"),
        ]

    def __str__(self) -> str:
        return str(self.title)

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The event must end after it starts.")})
        if (self.registration_opens_at and self.registration_closes_at
                and self.registration_closes_at <= self.registration_opens_at):  # fmt: skip
            raise ValidationError({"registration_closes_at": _("Registration must close after it opens.")})

    @property
    def zone(self):
        return zone(self.time_zone)

    def is_organised_by(self, user) -> bool:
        """Its organisers, and staff, see and decide its registrations."""
        return user.is_authenticated and (user.is_staff or self.organisers.filter(pk=user.pk).exists())

    @property
    def places_left(self) -> int:
        """With `with_places()`: the places no registered participant holds."""
        return max(self.capacity - self.taken, 0)

    def accepts_registrations_at(self, moment) -> bool:
        return self.registration_opens_at <= moment < self.registration_closes_at


class ParticipantType(models.Model):
    """Member agency, observer, resource person, speaker, guest…; a quota caps its places inside the
    event's capacity (none: only the capacity does)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participant_types")
    name = MultilingualField(_("name"), blank=False)
    quota = models.PositiveIntegerField(_("quota"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["event", "position", "pk"]
        verbose_name = _("participant type")
        verbose_name_plural = _("participant types")

    def __str__(self) -> str:
        return str(self.name)


class RegistrationQuerySet(models.QuerySet):
    def holding_places(self) -> RegistrationQuerySet:
        return self.filter(status=Registration.Status.REGISTERED)

    def waiting(self) -> RegistrationQuerySet:
        return self.filter(status=Registration.Status.WAITLISTED).order_by("waitlisted_at", "pk")

    def counts_by_type(self) -> dict[int | None, int]:
        rows = self.holding_places().values("participant_type").annotate(n=Count("pk"))
        return {row["participant_type"]: row["n"] for row in rows}


class Registration(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        REGISTERED = "registered", _("Registered")
        WAITLISTED = "waitlisted", _("On the waitlist")
        REJECTED = "rejected", _("Not approved")
        CANCELLED = "cancelled", _("Cancelled")

    ACTIVE = (Status.PENDING, Status.REGISTERED, Status.WAITLISTED)

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="registrations")
    participant_type = models.ForeignKey(
        ParticipantType, verbose_name=_("participant type"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="registrations",
    )  # fmt: skip
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    country = CountryField(_("country"), blank=True)
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    check_in_code = models.CharField(max_length=32, unique=True, default=check_in_code, editable=False)
    sequence = models.PositiveIntegerField(default=0)  # raised on every change the calendar invite shows
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["event", "created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="one_registration_per_person")]

    def __str__(self) -> str:
        return f"{self.user} · {self.event}"

    @property
    def active(self) -> bool:
        return self.status in self.ACTIVE
