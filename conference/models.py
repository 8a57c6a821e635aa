from __future__ import annotations

import secrets
from datetime import datetime

import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.multilingual import MultilingualField, Translations, localise

from .timezones import ANYWHERE_ON_EARTH, zone, zone_choices

# What a call text may hold once sanitised: structure and links, no scripts, no styles.
CALL_TEXT_TAGS = {
    "p", "br", "strong", "em", "b", "i", "u", "a", "ul", "ol", "li", "h2", "h3", "h4", "blockquote",
    "code", "pre", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip


def sanitise_html(html: str) -> str:
    return nh3.clean(html, tags=CALL_TEXT_TAGS, link_rel="noopener noreferrer nofollow")


class Series(models.Model):
    """A recurring call, e.g. the network's triennial call for papers; its editions carry the dates."""

    name = MultilingualField(_("name"), blank=False)
    slug = models.SlugField(_("short name in web addresses"), unique=True)
    description = MultilingualField(_("description"), long=True)
    cadence_years = models.PositiveSmallIntegerField(
        _("years between editions"), default=3, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    edition_defaults = models.JSONField(
        _("defaults for new editions"),
        default=dict,
        blank=True,
        help_text=_('e.g. {"languages": ["en", "fr", "es"], "blind_mode": "double", "reviews_per_paper": 3}'),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # The edition settings a series may preset.
    DEFAULTABLE = {
        "languages", "time_zone", "blind_mode", "reviews_per_paper", "submissions_per_author", "page_limit",
        "file_size_limit_mb", "licence", "abstract_word_limit", "keyword_limit",
    }  # fmt: skip

    class Meta:
        ordering = ["slug"]
        verbose_name = _("series")
        verbose_name_plural = _("series")

    def __str__(self) -> str:
        return str(self.name) or self.slug

    def get_absolute_url(self) -> str:
        return reverse("conference:series", args=[self.slug])

    def clean(self) -> None:
        super().clean()
        unknown = set(self.edition_defaults) - self.DEFAULTABLE
        if unknown:
            raise ValidationError(
                {
                    "edition_defaults": _("Not an edition setting: %(names)s.")
                    % {"names": ", ".join(sorted(unknown))}
                }
            )


class EditionQuerySet(models.QuerySet):
    def public(self):
        """Editions a visitor may see: the call has been announced (it opens, or opened)."""
        return self.filter(announced=True)


class Edition(models.Model):
    """One call of a series: its settings, its timeline, its languages."""

    class BlindMode(models.TextChoices):
        SINGLE = "single", _("Single-blind: reviewers see the authors")
        DOUBLE = "double", _("Double-blind: nobody sees the other side")
        OPEN = "open", _("Open: authors and reviewers see each other")

    class Licence(models.TextChoices):
        CC_BY = "CC-BY-4.0", "CC BY 4.0"
        CC_BY_SA = "CC-BY-SA-4.0", "CC BY-SA 4.0"
        CC_BY_NC = "CC-BY-NC-4.0", "CC BY-NC 4.0"
        CC_BY_NC_ND = "CC-BY-NC-ND-4.0", "CC BY-NC-ND 4.0"

    class Phase(models.TextChoices):
        UPCOMING = "upcoming", _("Upcoming")
        OPEN = "open", _("Call open")
        REVIEWING = "reviewing", _("Reviewing")
        DECIDING = "deciding", _("Deciding")
        NOTIFIED = "notified", _("Authors notified")
        CAMERA_READY = "camera_ready", _("Final versions")
        PUBLISHED = "published", _("Published")
        CLOSED = "closed", _("Closed")

    series = models.ForeignKey(
        Series, verbose_name=_("series"), on_delete=models.PROTECT, related_name="editions"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    title = MultilingualField(_("title"), blank=False)
    call_text = MultilingualField(
        _("call text"),
        long=True,
        help_text=_("Paragraphs, lists, headings and links; anything else is removed."),
    )
    languages = models.JSONField(
        _("languages"),
        default=list,
        help_text=_("Languages the call is written and accepts papers in; the first is its main language."),
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, choices=zone_choices, default=ANYWHERE_ON_EARTH
    )
    blind_mode = models.CharField(
        _("review mode"), max_length=10, choices=BlindMode.choices, default=BlindMode.DOUBLE
    )
    reviews_per_paper = models.PositiveSmallIntegerField(
        _("reviews per paper"), default=3, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    submissions_per_author = models.PositiveSmallIntegerField(
        _("submissions per author"), default=3, help_text=_("0 for no limit.")
    )
    page_limit = models.PositiveSmallIntegerField(
        _("page limit"), default=30, validators=[MinValueValidator(1)]
    )
    file_size_limit_mb = models.PositiveSmallIntegerField(
        _("file size limit (MB)"), default=20, validators=[MinValueValidator(1), MaxValueValidator(200)]
    )
    abstract_word_limit = models.PositiveSmallIntegerField(
        _("abstract length (words)"), default=300, validators=[MinValueValidator(50), MaxValueValidator(2000)]
    )
    keyword_limit = models.PositiveSmallIntegerField(
        _("keywords per paper"), default=6, validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("How many keywords of their own authors may give."),
    )  # fmt: skip
    licence = models.CharField(_("licence of published papers"), max_length=20, choices=Licence.choices,
                               default=Licence.CC_BY)  # fmt: skip
    # The timeline, in UTC; shown in the edition's zone.
    cfp_opens_at = models.DateTimeField(_("call opens"))
    submission_deadline = models.DateTimeField(_("submission deadline"))
    review_deadline = models.DateTimeField(_("review deadline"))
    notification_date = models.DateTimeField(_("notification of authors"))
    camera_ready_deadline = models.DateTimeField(_("final version deadline"))
    # The chair's actions that move the phase beyond the timeline.
    announced = models.BooleanField(
        _("announced"), default=True, help_text=_("Shown on the public pages (a draft call is not).")
    )
    paper_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("paper manager"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="+",
        help_text=_("Another chair or a committee member, who handles papers a chair is in conflict with."),
    )  # fmt: skip
    published_at = models.DateTimeField(_("published in the hub"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EditionQuerySet.as_manager()

    class Meta:
        ordering = ["series", "-year"]
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        constraints = [
            models.UniqueConstraint(fields=["series", "year"], name="one_edition_per_series_and_year"),
            models.CheckConstraint(
                condition=Q(cfp_opens_at__lt=F("submission_deadline"))
                & Q(submission_deadline__lte=F("review_deadline"))
                & Q(review_deadline__lte=F("notification_date"))
                & Q(notification_date__lte=F("camera_ready_deadline")),
                name="timeline_in_order",
            ),
        ]

    TIMELINE = [
        "cfp_opens_at",
        "submission_deadline",
        "review_deadline",
        "notification_date",
        "camera_ready_deadline",
    ]

    def __str__(self) -> str:
        return f"{self.series} {self.year}"

    def save(self, *args, **kwargs):
        # Sanitised on every save, whatever wrote it (a form, the admin, an import, the clone).
        self.call_text = Translations(
            {code: sanitise_html(text) for code, text in (self.call_text or {}).items()}
        )
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("conference:edition", args=[self.series.slug, self.year])

    def clean(self) -> None:
        super().clean()
        unknown = set(self.languages) - {code for code, _name in settings.LANGUAGES}
        if not self.languages or unknown:
            raise ValidationError({"languages": _("Choose at least one of the site's languages.")})
        moments = [(name, getattr(self, name)) for name in self.TIMELINE]
        for (earlier_name, earlier), (later_name, later) in zip(moments, moments[1:], strict=False):
            if earlier and later and later < earlier:
                raise ValidationError(
                    {
                        later_name: _("This must not come before “%(earlier)s”.")
                        % {"earlier": self._meta.get_field(earlier_name).verbose_name}
                    }
                )
        if self.cfp_opens_at and self.submission_deadline and self.submission_deadline <= self.cfp_opens_at:
            raise ValidationError({"submission_deadline": _("The deadline must come after the call opens.")})

    def is_chaired_by(self, user) -> bool:
        """Chairs of this edition, and staff, run it."""
        return user.is_authenticated and (
            user.is_staff or self.roles.filter(user=user, kind=Role.Kind.CHAIR).exists()
        )

    @property
    def main_language(self) -> str:
        return self.languages[0] if self.languages else settings.LANGUAGE_CODE

    def text(self, field_name: str) -> str:
        """A multilingual field of this edition in the reader's language, falling back to the main one."""
        return localise(getattr(self, field_name), fallback=self.main_language)

    @property
    def zone(self):
        return zone(self.time_zone)

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.zone)

    def phase_at(self, now: datetime) -> Phase:
        """The phase at `now`: from the timeline, unless the chair has published or closed the edition.

        Authors are notified from the notification date until the final-version deadline, while they
        upload their final versions; the chair then checks those ("final versions") and publishes.
        """
        if self.closed_at and now >= self.closed_at:
            return self.Phase.CLOSED
        if self.published_at and now >= self.published_at:
            return self.Phase.PUBLISHED
        for boundary, phase in [
            (self.cfp_opens_at, self.Phase.UPCOMING),
            (self.submission_deadline, self.Phase.OPEN),
            (self.review_deadline, self.Phase.REVIEWING),
            (self.notification_date, self.Phase.DECIDING),
            (self.camera_ready_deadline, self.Phase.NOTIFIED),
        ]:
            if now < boundary:
                return phase
        return self.Phase.CAMERA_READY

    @property
    def phase(self) -> Phase:
        return self.phase_at(timezone.now())

    def accepts_submissions_at(self, now: datetime) -> bool:
        """The server's answer, to the second: open from the opening moment until just before the deadline."""
        return self.cfp_opens_at <= now < self.submission_deadline

    @property
    def is_open(self) -> bool:
        return self.accepts_submissions_at(timezone.now())


class Track(models.Model):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="tracks")
    name = MultilingualField(_("name"), blank=False)
    description = MultilingualField(_("description"), long=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["edition", "position", "id"]
        verbose_name = _("track")
        verbose_name_plural = _("tracks")

    def __str__(self) -> str:
        return str(self.name)


class SubmissionType(models.Model):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="submission_types")
    name = MultilingualField(_("name"), blank=False)
    description = MultilingualField(_("description"), long=True)
    page_limit = models.PositiveSmallIntegerField(
        _("page limit"), null=True, blank=True, help_text=_("Empty: the edition's page limit.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["edition", "position", "id"]
        verbose_name = _("submission type")
        verbose_name_plural = _("submission types")

    def __str__(self) -> str:
        return str(self.name)


class TopicQuerySet(models.QuerySet):
    def sdgs(self):
        return self.filter(edition__isnull=True, sdg_number__isnull=False).order_by("sdg_number")

    def for_edition(self, edition: Edition):
        """The 17 SDGs, then the edition's own keywords."""
        return self.filter(Q(edition__isnull=True) | Q(edition=edition)).order_by(
            F("sdg_number").asc(nulls_last=True), "id"
        )


class Topic(models.Model):
    """A Sustainable Development Goal (shared by every edition) or an edition's own keyword."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="keywords", null=True, blank=True,
        help_text=_("Empty for the SDGs, which every edition shares."),
    )  # fmt: skip
    sdg_number = models.PositiveSmallIntegerField(
        _("SDG number"),
        null=True,
        blank=True,
        unique=True,
        validators=[MinValueValidator(1), MaxValueValidator(17)],
    )
    name = MultilingualField(_("name"), blank=False)

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = [F("sdg_number").asc(nulls_last=True), "id"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        constraints = [
            models.CheckConstraint(
                condition=Q(edition__isnull=True, sdg_number__isnull=False)
                | Q(edition__isnull=False, sdg_number__isnull=True),
                name="topic_is_an_sdg_or_an_edition_keyword",
            )
        ]

    def __str__(self) -> str:
        if self.sdg_number:
            return _("SDG %(number)d: %(name)s") % {"number": self.sdg_number, "name": self.name}
        return str(self.name)


class RoleQuerySet(models.QuerySet):
    def of(self, user) -> RoleQuerySet:
        return self.filter(user=user) if user.is_authenticated else self.none()


class Role(models.Model):
    """What a person does in one edition. A person may hold several; none of them is global."""

    class Kind(models.TextChoices):
        CHAIR = "chair", _("Chair")
        COMMITTEE = "committee", _("Committee member")
        REVIEWER = "reviewer", _("Reviewer")

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="roles")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="edition_roles")
    kind = models.CharField(_("role"), max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RoleQuerySet.as_manager()

    class Meta:
        ordering = ["edition", "kind", "user__name"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [models.UniqueConstraint(fields=["edition", "user", "kind"], name="one_role_of_a_kind")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_kind_display()} · {self.edition}"


def new_invitation_token() -> str:
    return secrets.token_urlsafe(32)


class InvitationQuerySet(models.QuerySet):
    def pending(self, now: datetime | None = None):
        return self.filter(state=Invitation.State.PENDING, expires_at__gt=now or timezone.now())


class Invitation(models.Model):
    """A chair's invitation to take a role in an edition, answered once through a personal link."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        REVOKED = "revoked", _("Withdrawn")

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="invitations")
    kind = models.CharField(_("role"), max_length=10, choices=Role.Kind.choices)
    email = models.EmailField(_("e-mail address"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    message = models.TextField(_("personal message"), blank=True)
    token = models.CharField(max_length=64, unique=True, default=new_invitation_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    sent_count = models.PositiveSmallIntegerField(_("times sent"), default=0)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("answered by"),
    )  # fmt: skip

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "email", "kind"],
                condition=Q(state="pending"),
                name="one_open_invitation_per_person_and_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} · {self.get_kind_display()} · {self.edition}"

    def get_absolute_url(self) -> str:
        return reverse("conference:invitation", args=[self.token])

    def is_expired_at(self, now: datetime) -> bool:
        return self.state == self.State.PENDING and now >= self.expires_at

    @property
    def is_expired(self) -> bool:
        return self.is_expired_at(timezone.now())


class Question(models.Model):
    """A question of the edition's own, answered by authors when they submit."""

    class Kind(models.TextChoices):
        TEXT = "text", _("Short text")
        LONG_TEXT = "long_text", _("Long text")
        CHOICE = "choice", _("One choice")
        MULTIPLE_CHOICE = "multiple_choice", _("Several choices")
        YES_NO = "yes_no", _("Yes or no")
        FILE = "file", _("File")

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="questions")
    text = MultilingualField(_("question"), blank=False)
    help_text = MultilingualField(_("help text"))
    kind = models.CharField(_("kind of answer"), max_length=20, choices=Kind.choices, default=Kind.TEXT)
    options = models.JSONField(
        _("options"),
        default=list,
        blank=True,
        help_text=_("For choices: a list of options, each in the edition's languages."),
    )
    required = models.BooleanField(_("required"), default=False)
    shown_to_reviewers = models.BooleanField(_("shown to reviewers"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["edition", "position", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return str(self.text)

    def clean(self) -> None:
        super().clean()
        has_options = self.kind in (self.Kind.CHOICE, self.Kind.MULTIPLE_CHOICE)
        if has_options and len(self.options) < 2:
            raise ValidationError({"options": _("A choice needs at least two options.")})
        if not has_options and self.options:
            raise ValidationError({"options": _("Only choices have options.")})
        if has_options and not all(
            isinstance(option, dict) and any(option.values()) for option in self.options
        ):
            raise ValidationError({"options": _('Each option is written as {"en": "…", "fr": "…"}.')})

    def option_labels(self, *, fallback: str | None = None) -> list[str]:
        return [localise(option, fallback=fallback) for option in self.options]
