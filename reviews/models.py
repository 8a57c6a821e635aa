from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from conference.models import Edition, Topic
from config.multilingual import MultilingualField, localise
from submissions.models import Submission


class ReviewSettings(models.Model):
    """How an edition reviews: how affinity is weighed, and what reviewers see of each other."""

    edition = models.OneToOneField(Edition, on_delete=models.CASCADE, related_name="review_settings")
    bid_weight = models.FloatField(_("weight of bids"), default=0.4, validators=[MinValueValidator(0)])
    topic_weight = models.FloatField(
        _("weight of shared topics"), default=0.3, validators=[MinValueValidator(0)]
    )
    text_weight = models.FloatField(
        _("weight of text similarity"), default=0.3, validators=[MinValueValidator(0)]
    )
    load_spreading = models.PositiveSmallIntegerField(
        _("load spreading"), default=0, validators=[MaxValueValidator(100)],
        help_text=_("0 to 100: how strongly each extra paper for the same reviewer is avoided."),
    )  # fmt: skip
    reviewers_see_each_other = models.BooleanField(
        _("reviewers see each other's names"), default=False,
        help_text=_("In the discussion of a paper, once they have submitted their own review."),
    )  # fmt: skip
    reviewing_closed_at = models.DateTimeField(_("reviewing closed"), null=True, blank=True)
    disagreement_threshold = models.FloatField(
        _("disagreement threshold"), default=1.5, validators=[MinValueValidator(0)],
        help_text=_("A paper is flagged when its highest and lowest review scores (1 to 5) differ by more."),
    )  # fmt: skip
    calibration = models.BooleanField(
        _("show calibrated scores"), default=False,
        help_text=_("Beside the raw scores, an estimate that allows for reviewers who score high or low."),
    )  # fmt: skip

    class Meta:
        verbose_name = _("review settings")
        verbose_name_plural = _("review settings")

    def __str__(self) -> str:
        return str(self.edition)

    @classmethod
    def for_edition(cls, edition: Edition) -> ReviewSettings:
        return cls.objects.get_or_create(edition=edition)[0]


class ReviewerProfile(models.Model):
    """What a reviewer knows, per edition: used to find them papers and to keep their load fair."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="reviewer_profiles")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviewer_profiles"
    )
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), blank=True, related_name="+")
    expertise = models.TextField(
        _("expertise"), blank=True,
        help_text=_("A few sentences on what you know well: fields, methods, regions."),
    )  # fmt: skip
    languages = models.JSONField(_("languages you review in"), default=list)
    max_load = models.PositiveSmallIntegerField(
        _("at most this many papers"), default=6, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    min_load = models.PositiveSmallIntegerField(_("at least this many papers"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["edition", "user__name"]
        verbose_name = _("reviewer profile")
        verbose_name_plural = _("reviewer profiles")
        constraints = [
            models.UniqueConstraint(fields=["edition", "user"], name="one_reviewer_profile_per_edition"),
            models.CheckConstraint(
                condition=Q(min_load__lte=models.F("max_load")), name="min_load_within_max"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.edition}"


class ReviewerPaper(models.Model):
    """One of a reviewer's own papers, whose text helps match them to submissions."""

    profile = models.ForeignKey(ReviewerProfile, on_delete=models.CASCADE, related_name="papers")
    title = models.CharField(_("title"), max_length=300)
    abstract = models.TextField(_("abstract"), blank=True)

    class Meta:
        ordering = ["profile", "id"]
        verbose_name = _("reviewer's paper")
        verbose_name_plural = _("reviewers' papers")

    def __str__(self) -> str:
        return self.title


class Bid(models.Model):
    """How much a reviewer wants to review a paper; no bid counts as neutral."""

    class Value(models.TextChoices):
        EAGER = "eager", _("Eager")
        WILLING = "willing", _("Willing")
        NOT_WILLING = "not_willing", _("Not willing")
        CONFLICT = "conflict", _("In conflict")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="bids")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bids")
    value = models.CharField(_("bid"), max_length=12, choices=Value.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("bid")
        verbose_name_plural = _("bids")
        constraints = [models.UniqueConstraint(fields=["submission", "reviewer"], name="one_bid_per_paper")]

    def __str__(self) -> str:
        return f"{self.reviewer} · {self.submission} · {self.value}"


class AssignmentQuerySet(models.QuerySet):
    def active(self) -> AssignmentQuerySet:
        return self.filter(state=Assignment.State.ASSIGNED)

    def for_reviewer(self, user) -> AssignmentQuerySet:
        """A reviewer's current assignments, minus any paper they are now in conflict with."""
        if not user.is_authenticated:
            return self.none()
        from submissions.models import Conflict

        conflicted = Conflict.objects.active().involving(user).values("submission")
        gone = [Submission.State.DRAFT, Submission.State.WITHDRAWN]
        return (
            self.active()
            .filter(reviewer=user)
            .exclude(submission__in=conflicted)
            .exclude(submission__state__in=gone)
        )


class Assignment(models.Model):
    """A reviewer asked to review a paper, by a chair or by the automatic assignment."""

    class State(models.TextChoices):
        ASSIGNED = "assigned", _("Assigned")
        DECLINED = "declined", _("Declined")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments"
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.ASSIGNED)
    locked = models.BooleanField(
        _("locked"), default=False, help_text=_("Kept as it is when the automatic assignment runs again.")
    )
    automatic = models.BooleanField(_("made by the automatic assignment"), default=False)
    decline_reason = models.TextField(_("why declined"), blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    declined_at = models.DateTimeField(null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["submission", "created_at"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "reviewer"], name="one_assignment_per_reviewer_and_paper"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} → {self.submission}"


class ReviewForm(models.Model):
    """The questions a reviewer answers for every paper of an edition."""

    edition = models.OneToOneField(Edition, on_delete=models.CASCADE, related_name="review_form")
    confidence_scale = models.PositiveSmallIntegerField(_("confidence scale"), default=5)

    class Meta:
        verbose_name = _("review form")
        verbose_name_plural = _("review forms")

    def __str__(self) -> str:
        return str(self.edition)


class Criterion(models.Model):
    """A scored criterion: a name, a scale of labelled points (lowest first) and a weight."""

    form = models.ForeignKey(ReviewForm, on_delete=models.CASCADE, related_name="criteria")
    name = MultilingualField(_("name"), blank=False)
    description = MultilingualField(_("description"), long=True)
    scale = models.JSONField(
        _("scale"), default=list,
        help_text=_("The labels of the points, lowest first, each in the edition's languages."),
    )  # fmt: skip
    weight = models.FloatField(_("weight"), default=1.0, validators=[MinValueValidator(0)])
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["form", "position", "id"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self) -> str:
        return str(self.name)

    def choices(self, *, fallback: str) -> list[tuple[int, str]]:
        return [
            (point, f"{point} – {localise(label, fallback=fallback)}")
            for point, label in enumerate(self.scale, 1)
        ]


class Review(models.Model):
    """A reviewer's review of one assigned paper: a draft until submitted, editable until reviewing closes."""

    class Recommendation(models.TextChoices):
        STRONG_ACCEPT = "strong_accept", _("Strong accept")
        ACCEPT = "accept", _("Accept")
        WEAK_ACCEPT = "weak_accept", _("Weak accept")
        WEAK_REJECT = "weak_reject", _("Weak reject")
        REJECT = "reject", _("Reject")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="review")
    scores = models.JSONField(_("scores"), default=dict, blank=True)  # {criterion pk: point}
    recommendation = models.CharField(
        _("recommendation"), max_length=15, choices=Recommendation.choices, blank=True
    )
    confidence = models.PositiveSmallIntegerField(_("confidence"), null=True, blank=True)
    comments_to_authors = models.TextField(_("comments to the authors"), blank=True)
    confidential_comments = models.TextField(
        _("confidential comments to the committee"), blank=True, help_text=_("Never shown to the authors.")
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    late = models.BooleanField(_("late"), default=False)
    revision = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return f"{self.assignment}"


class AssignmentRun(models.Model):
    """One run of the automatic assignment: computed by a worker, previewed, then applied or discarded."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Computing")
        READY = "ready", _("Ready to review")
        INFEASIBLE = "infeasible", _("No assignment possible")
        FAILED = "failed", _("Failed")
        APPLIED = "applied", _("Applied")
        DISCARDED = "discarded", _("Discarded")

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="assignment_runs")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    stage = models.CharField(max_length=100, blank=True)
    # [{"paper": pk, "reviewer": pk, "reason": {...}}] for the pairs the run adds.
    proposal = models.JSONField(default=list, blank=True)
    reasons = models.JSONField(default=list, blank=True)  # why no assignment exists, as sentences
    objective = models.BigIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("automatic assignment")
        verbose_name_plural = _("automatic assignments")

    def __str__(self) -> str:
        return f"{self.edition} · {self.created_at:%Y-%m-%d %H:%M}"


class Comment(models.Model):
    """A message in a paper's discussion, among its reviewers (once they have reviewed) and the committee."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="discussion")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("message"), max_length=10000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["submission", "created_at", "id"]
        verbose_name = _("discussion message")
        verbose_name_plural = _("discussion messages")

    def __str__(self) -> str:
        return f"{self.submission} · {self.created_at:%Y-%m-%d}"


class ReminderLog(models.Model):
    """A review reminder sent: never twice the same one, never two mails to one person on one day."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=20)  # which reminder: "7d", "1d", "late-1", "late-2"…
    sent_on = models.DateField()

    class Meta:
        verbose_name = _("review reminder")
        verbose_name_plural = _("review reminders")
        constraints = [
            models.UniqueConstraint(fields=["edition", "user", "key"], name="one_reminder_of_a_kind"),
            models.UniqueConstraint(fields=["user", "sent_on"], name="one_reminder_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.key} · {self.sent_on}"


# --- Decisions -----------------------------------------------------------------------------------


class Outcome(models.Model):
    """A decision the edition offers (accept, accept as poster, reject…), each accepting or rejecting."""

    class MapsTo(models.TextChoices):
        ACCEPTED = Submission.State.ACCEPTED.value, _("Accepted")
        REJECTED = Submission.State.REJECTED.value, _("Rejected")

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="outcomes")
    name = MultilingualField(_("name"), blank=False)
    maps_to = models.CharField(_("the paper is then"), max_length=10, choices=MapsTo.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["edition", "position", "id"]
        verbose_name = _("decision outcome")
        verbose_name_plural = _("decision outcomes")

    def __str__(self) -> str:
        return str(self.name)

    @property
    def accepts(self) -> bool:
        return self.maps_to == self.MapsTo.ACCEPTED


class Decision(models.Model):
    """The chair's decision on a paper: internal until released, then mailed once and shown to authors.

    `version` rises with every change, so that of two people deciding at once the second is told.
    """

    submission = models.OneToOneField(Submission, on_delete=models.CASCADE, related_name="decision")
    outcome = models.ForeignKey(Outcome, on_delete=models.PROTECT, related_name="decisions")
    note = models.TextField(_("internal note"), blank=True, max_length=5000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"))
    version = models.PositiveIntegerField(default=1)
    released_at = models.DateTimeField(_("released"), null=True, blank=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return f"{self.submission}: {self.outcome}"


class Vote(models.Model):
    """A committee member's advice on a paper, seen by the committee (never by authors or reviewers)."""

    class Value(models.TextChoices):
        ACCEPT = "accept", _("Accept")
        REJECT = "reject", _("Reject")
        ABSTAIN = "abstain", _("Abstain")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    value = models.CharField(_("vote"), max_length=10, choices=Value.choices)
    comment = models.TextField(_("comment"), blank=True, max_length=5000)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["submission", "updated_at", "id"]
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [models.UniqueConstraint(fields=["submission", "voter"], name="one_vote_a_member")]

    def __str__(self) -> str:
        return f"{self.submission}: {self.get_value_display()}"


class MetaReview(models.Model):
    """The discussion lead a chair names for a paper, and the summary they write for the committee."""

    submission = models.OneToOneField(Submission, on_delete=models.CASCADE, related_name="meta_review")
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("discussion lead"),
    )  # fmt: skip
    text = models.TextField(_("meta-review"), blank=True, max_length=10000)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("meta-review")
        verbose_name_plural = _("meta-reviews")

    def __str__(self) -> str:
        return str(self.submission)


class DecisionMail(models.Model):
    """The mail for one outcome in one language, as the chair wrote it (else the default text is used).

    Placeholders in braces: {author_name}, {title}, {number}, {outcome}, {comments}, {edition},
    {camera_ready_deadline}, {link}.
    """

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="mails")
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"), max_length=20000)

    class Meta:
        ordering = ["outcome", "language"]
        verbose_name = _("decision mail")
        verbose_name_plural = _("decision mails")
        constraints = [
            models.UniqueConstraint(fields=["outcome", "language"], name="one_mail_per_outcome_language")
        ]

    def __str__(self) -> str:
        return f"{self.outcome} ({self.language})"


class Release(models.Model):
    """Sending an edition's decisions to their authors: progress for the page, a heartbeat for the
    sweeper that resumes a release whose worker died."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting for a worker")
        RUNNING = "running", _("Sending")
        DONE = "done", _("Done")

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="releases")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    total = models.PositiveIntegerField(default=0)
    released = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list, blank=True)  # one line per decision that could not go out
    created_at = models.DateTimeField(auto_now_add=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("release of decisions")
        verbose_name_plural = _("releases of decisions")

    def __str__(self) -> str:
        return f"{self.edition} · {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def progress(self) -> int:
        return 100 if not self.total else min(100, round(100 * self.released / self.total))


class GroupMail(models.Model):
    """A mail a chair sent to a group (accepted authors, late reviewers, the committee): the record, and
    the form's token that makes a double-clicked Send send once."""

    class Audience(models.TextChoices):
        ACCEPTED_AUTHORS = "accepted_authors", _("Authors of accepted papers")
        LATE_REVIEWERS = "late_reviewers", _("Reviewers with unfinished reviews")
        COMMITTEE = "committee", _("The committee and the chairs")

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="group_mails")
    audience = models.CharField(_("to"), max_length=20, choices=Audience.choices)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"), max_length=20000)
    token = models.CharField(max_length=32, unique=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("group mail")
        verbose_name_plural = _("group mails")

    def __str__(self) -> str:
        return self.subject
