"""Events around a call (symposia, retreats, webinars) and the people who register for them.

Places are held by registered participants only. Capacity and each participant type's quota are
checked while the event's row is locked (events.services), so they hold under concurrent
registrations; whoever finds no place joins the waitlist, in the order they came.
"""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from conference.models import Edition, Series
from conference.timezones import zone, zone_choices
from config.multilingual import MultilingualField, localise


def check_in_code() -> str:
    return secrets.token_urlsafe(12)


def invitation_token() -> str:
    return secrets.token_urlsafe(24)


def banner_path(event: Event, filename: str) -> str:
    return f"events/banners/{secrets.token_hex(8)}.jpg"


def letter_path(details: VisaDetails, filename: str) -> str:
    # Never public: served by a view that checks who asks.
    return f"events/letters/{secrets.token_hex(16)}.pdf"


MEALS = {"breakfast": _("Breakfast"), "lunch": _("Lunch"), "dinner": _("Dinner")}


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
    series = models.ForeignKey(
        Series, verbose_name=_("series"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="events", help_text=_("For an event of the network that belongs to no single call."),
    )  # fmt: skip
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
    meals = models.JSONField(
        _("meals offered each day"), default=list, blank=True,
        help_text=_("Any of: breakfast, lunch, dinner. Participants say which they will take."),
    )  # fmt: skip
    banner = models.ImageField(_("banner image"), upload_to=banner_path, blank=True)
    erase_sensitive_after_days = models.PositiveSmallIntegerField(
        _("erase passport data after (days)"), default=30,
        help_text=_("Passport details and visa letters are erased this many days after the event ends."),
    )  # fmt: skip
    reminder_days = models.PositiveSmallIntegerField(
        _("reminder (days before)"), default=3,
        help_text=_("Registered participants get a reminder this many days before the event starts."),
    )  # fmt: skip
    letter_text = MultilingualField(
        _("visa invitation letter"), long=True,
        help_text=_("Placeholders: {name}, {passport_name}, {nationality}, {passport_number}, "
                    "{date_of_birth}, {organisation}, {event}, {dates}, {venue}."),
    )  # fmt: skip
    certificate_text = MultilingualField(
        _("certificate of attendance"), long=True,
        help_text=_("Placeholders: {name}, {organisation}, {event}, {dates}, {venue}."),
    )  # fmt: skip
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

    @property
    def days(self) -> list[datetime.date]:
        """The event's days, in its own time zone."""
        first, last = self.starts_at.astimezone(self.zone).date(), self.ends_at.astimezone(self.zone).date()
        return [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]

    def meal_choices(self) -> list[tuple[str, str]]:
        """("2027-05-20:lunch", "Thu 20 May, lunch") for each day and meal offered."""
        return [
            (f"{day.isoformat()}:{meal}", f"{date_format(day, 'D j M')}, {MEALS[meal]}")
            for day in self.days for meal in MEALS if meal in self.meals
        ]  # fmt: skip

    @property
    def sensitive_data_expires_at(self) -> datetime.datetime:
        return self.ends_at + datetime.timedelta(days=self.erase_sensitive_after_days)


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

    def matching(self, words: str) -> RegistrationQuerySet:
        """Those whose name, address or organisation contains `words` (an organiser looking for them)."""
        return self.filter(
            Q(user__name__icontains=words)
            | Q(user__email__icontains=words)
            | Q(organisation__icontains=words)
        )

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

    class Support(models.TextChoices):
        TRAVEL = "travel", _("Travel")
        ACCOMMODATION = "accommodation", _("Accommodation")
        BOTH = "both", _("Travel and accommodation")

    class SupportStatus(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        GRANTED = "granted", _("Granted")
        DECLINED = "declined", _("Declined")

    ACTIVE = (Status.PENDING, Status.REGISTERED, Status.WAITLISTED)

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="registrations")
    participant_type = models.ForeignKey(
        ParticipantType, verbose_name=_("participant type"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="registrations",
    )  # fmt: skip
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    position = models.CharField(pgettext_lazy("job", "position"), max_length=200, blank=True)
    country = CountryField(_("country"), blank=True)
    days = models.JSONField(_("days attended"), default=list, blank=True)
    meals = models.JSONField(_("meals"), default=list, blank=True)
    dietary_needs = models.CharField(_("dietary needs"), max_length=300, blank=True)
    accessibility_needs = models.CharField(_("accessibility needs"), max_length=300, blank=True)
    arrival_on = models.DateField(_("arrival"), null=True, blank=True)
    departure_on = models.DateField(_("departure"), null=True, blank=True)
    support = models.CharField(_("support requested"), max_length=16, choices=Support.choices, blank=True)
    support_details = models.TextField(_("about the support you need"), blank=True)
    support_status = models.CharField(
        _("support request"), max_length=10, choices=SupportStatus.choices, blank=True
    )
    needs_visa_letter = models.BooleanField(_("I need a visa invitation letter"), default=False)
    listed = models.BooleanField(_("Show my name, organisation and country in the public participant list"),
                                 default=False)  # fmt: skip
    answers = models.JSONField(_("answers"), default=dict, blank=True)  # {question pk: answer}
    invitation = models.ForeignKey(
        "Invitation", on_delete=models.SET_NULL, null=True, blank=True, related_name="registrations"
    )
    code = models.ForeignKey(
        "InvitationCode", on_delete=models.SET_NULL, null=True, blank=True, related_name="registrations"
    )
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
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

    def day_labels(self) -> list[str]:
        return [date_format(datetime.date.fromisoformat(day), "D j M") for day in sorted(self.days)]

    def meal_labels(self) -> list[str]:
        """In the order of the day: breakfast, lunch, dinner."""
        return [label for key, label in self.event.meal_choices() if key in self.meals]

    def answer_pairs(self, questions) -> list[tuple[str, str]]:
        """(question, answer) for each of the event's questions this person answered."""
        shown = {"yes": _("Yes"), "no": _("No")}
        return [
            (localise(q.text), str(shown.get(self.answers[str(q.pk)], self.answers[str(q.pk)])))
            for q in questions if str(q.pk) in self.answers
        ]  # fmt: skip


class Question(models.Model):
    """A question of the organisers' own on the registration form."""

    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        CHOICE = "choice", _("One of a list")
        YES_NO = "yes_no", _("Yes or no")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="questions")
    text = MultilingualField(_("question"), blank=False)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.TEXT)
    choices = models.TextField(_("choices"), blank=True, help_text=_("One per line, for “One of a list”."))
    required = models.BooleanField(_("required"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["event", "position", "pk"]
        verbose_name = _("registration question")
        verbose_name_plural = _("registration questions")

    def __str__(self) -> str:
        return str(self.text)

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class Invitation(models.Model):
    """A personal invitation: its link lets one person register (in invitation mode), and its answer is
    tracked. A shared code (`InvitationCode`) lets anyone who has it register."""

    class Status(models.TextChoices):
        INVITED = "invited", _("No answer yet")
        REGISTERED = "registered", _("Registered")
        DECLINED = "declined", _("Declined")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail"))
    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    participant_type = models.ForeignKey(
        ParticipantType, verbose_name=_("participant type"), on_delete=models.SET_NULL, null=True, blank=True
    )
    token = models.CharField(max_length=40, unique=True, default=invitation_token, editable=False)
    status = models.CharField(_("answer"), max_length=12, choices=Status.choices, default=Status.INVITED)
    answered_at = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["event", "name", "pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(Lower("email"), "event", name="one_invitation_per_address"),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


class InvitationCode(models.Model):
    """A code shared with a group (a member agency's staff, say): each use is one registration."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="codes")
    code = models.CharField(_("code"), max_length=40)
    participant_type = models.ForeignKey(
        ParticipantType, verbose_name=_("participant type"), on_delete=models.SET_NULL, null=True, blank=True
    )
    uses = models.PositiveIntegerField(_("uses allowed"), default=10)

    class Meta:
        verbose_name = _("invitation code")
        verbose_name_plural = _("invitation codes")
        # "ILO" and "ilo" are one code: people type it as they remember it.
        constraints = [models.UniqueConstraint(Lower("code"), "event", name="one_code_per_event")]

    def __str__(self) -> str:
        return self.code


class VisaDetails(models.Model):
    """Passport data for a visa invitation letter: the only sensitive fields of a registration, kept
    apart so that no page or export reaches them but the one that needs `view_visadetails`, and erased
    (with the letter) `erase_sensitive_after_days` after the event."""

    registration = models.OneToOneField(Registration, on_delete=models.CASCADE, related_name="visa")
    passport_name = models.CharField(_("name as in the passport"), max_length=200)
    nationality = CountryField(_("nationality"))
    passport_number = models.CharField(_("passport number"), max_length=40)
    date_of_birth = models.DateField(_("date of birth"))
    letter = models.FileField(upload_to=letter_path, max_length=200, blank=True)
    letter_sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("visa details")
        verbose_name_plural = _("visa details")

    def __str__(self) -> str:
        return str(self.registration)

    def values(self) -> list[str]:
        """Every sensitive value as text: what erasure must scrub wherever it was copied."""
        return [v for v in (self.passport_name, self.passport_number, self.date_of_birth.isoformat(),
                            date_format(self.date_of_birth)) if v]  # fmt: skip


class SensitiveExport(models.Model):
    """The log of every download of passport data: who, when, which event, how many people."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sensitive_exports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    rows = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("sensitive export")
        verbose_name_plural = _("sensitive exports")

    def __str__(self) -> str:
        return f"{self.event} · {self.user} · {self.created_at:%Y-%m-%d %H:%M}"


class Session(models.Model):
    """A slot of the programme: its time, room and chairs, and the accepted papers presented in it."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    title = MultilingualField(_("title"), blank=False)
    description = MultilingualField(_("description"), long=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    room = models.CharField(_("room"), max_length=120, blank=True)
    chairs = models.CharField(_("chairs"), max_length=300, blank=True)
    papers = models.ManyToManyField(
        "submissions.Submission", verbose_name=_("papers"), blank=True, related_name="sessions"
    )

    class Meta:
        ordering = ["event", "starts_at", "room", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_late"),
        ]

    def __str__(self) -> str:
        return str(self.title)
