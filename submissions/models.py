from __future__ import annotations

import contextvars
import secrets
from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from accounts.validators import validate_orcid
from conference.models import Edition, Question, SubmissionType, Topic, Track

from .visibility import visibility_rules


def private_path(folder: str, extension: str) -> str:
    # A random name: a stored file's path says nothing about the paper or its authors.
    return f"{folder}/{secrets.token_hex(16)}{extension}"


def document_path(instance: Document, filename: str) -> str:
    return private_path("papers", ".pdf")


def answer_file_path(instance: Answer, filename: str) -> str:
    return private_path("answers", "")


# Set only inside set_submission_state: a paper's state changes there and nowhere else.
state_writer = contextvars.ContextVar("submission_state_writer", default=False)


class SubmissionQuerySet(models.QuerySet):
    def authored_by(self, user) -> SubmissionQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(authorships__user=user).distinct()

    def visible_to(self, user) -> SubmissionQuerySet:
        """The one selector for what `user` may see: their own papers, and what their roles show them,
        minus every paper they are in conflict with. Every list, count, export and download uses it."""
        if not user.is_authenticated:
            return self.none()
        mine = Q(pk__in=Authorship.objects.filter(user=user).values("submission"))
        return self.filter(mine | self._by_role(user))

    def organised_by(self, user) -> SubmissionQuerySet:
        """What `user` sees through a role (chair, committee, reviewer…): never their own papers, never
        one they are in conflict with. Chair lists and chair actions use this, not visible_to."""
        if not user.is_authenticated:
            return self.none()
        # Own papers by account or by address: a chair named as co-author who has not claimed yet is one.
        own = Authorship.objects.filter(Q(user=user) | Q(email__iexact=user.email)).values("submission")
        return self.filter(self._by_role(user)).exclude(pk__in=own)

    def managed_by(self, user) -> SubmissionQuerySet:
        """The papers `user` handles as their edition's paper manager: those one of its chairs is in
        conflict with (and that `user` may organise themselves)."""
        from conference.models import Role

        if not user.is_authenticated:
            return self.none()
        chairs = Role.objects.filter(edition=OuterRef("submission__edition"), kind=Role.Kind.CHAIR)
        chair_emails = chairs.annotate(address=Lower("user__email")).values("address")
        chair_organisations = chairs.filter(user__organisation__isnull=False).values("user__organisation")
        # As Conflict.involving, for any chair of the paper's edition (roles matched per conflict row).
        conflicted = Exists(
            Conflict.objects.active()
            .annotate(address=Lower("email"))
            .filter(submission=OuterRef("pk"))
            .filter(
                Q(user__in=chairs.values("user"))
                | Q(address__in=chair_emails)
                | Q(organisation__in=chair_organisations)
            )
        )
        return self.organised_by(user).filter(edition__paper_manager=user).filter(conflicted)

    def _by_role(self, user) -> Q:
        by_role = Q(pk__in=[])
        for rule in visibility_rules():
            by_role |= rule(user)
        conflicted = Conflict.objects.active().involving(user).values("submission")
        return by_role & ~Q(pk__in=conflicted)

    def with_details(self) -> SubmissionQuerySet:
        """What a paper's page or a list row shows, in a fixed number of queries whatever the paper's size."""
        return self.select_related("edition__series", "submission_type", "track").prefetch_related(
            models.Prefetch("authorships", queryset=Authorship.objects.order_by("position", "id")),
            "topics",
            "documents",
        )

    def counted(self) -> SubmissionQuerySet:
        """Papers that count against an author's limit: submitted or further, not withdrawn or drafts."""
        return self.exclude(state__in=[Submission.State.DRAFT, Submission.State.WITHDRAWN])


class Submission(models.Model):
    """A paper sent to an edition's call, from its first draft to its publication."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        UNDER_REVIEW = "under_review", _("Under review")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        FINAL_SUBMITTED = "final_submitted", _("Final version uploaded")
        CAMERA_READY = "camera_ready", _("Final version approved")
        PUBLISHED = "published", _("Published")

    # Accepted, and told so: from the decision mail on (a programme and group mail count these).
    ACCEPTED_STATES = (State.ACCEPTED, State.FINAL_SUBMITTED, State.CAMERA_READY, State.PUBLISHED)

    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="submissions")
    number = models.PositiveIntegerField(_("number"))
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    submission_type = models.ForeignKey(
        SubmissionType, verbose_name=_("submission type"), on_delete=models.PROTECT, null=True,
        related_name="submissions",
    )  # fmt: skip
    track = models.ForeignKey(
        Track, verbose_name=_("track"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="submissions",
    )  # fmt: skip
    language = models.CharField(_("language of the paper"), max_length=10, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=300, blank=True)
    abstract = models.TextField(_("abstract"), blank=True)
    translation_language = models.CharField(
        _("language of the translation"), max_length=10, choices=settings.LANGUAGES, blank=True
    )
    translated_title = models.CharField(_("translated title"), max_length=300, blank=True)
    translated_abstract = models.TextField(_("translated abstract"), blank=True)
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), blank=True, related_name="submissions")
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("created by"),
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    # Raised on every saved change: receipts are keyed by it and concurrent edits checked against it.
    revision = models.PositiveIntegerField(default=0)
    extended_until = models.DateTimeField(
        _("individual extension until"), null=True, blank=True,
        help_text=_("A later deadline for this paper only, granted by a chair."),
    )  # fmt: skip
    withdrawal_requested_at = models.DateTimeField(_("withdrawal requested"), null=True, blank=True)
    # The final version: what the hub will publish besides the metadata above.
    key_messages = models.JSONField(_("key messages for policy makers"), default=list, blank=True)
    licence_accepted_at = models.DateTimeField(_("licence accepted"), null=True, blank=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["edition", "number"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [models.UniqueConstraint(fields=["edition", "number"], name="one_number_per_paper")]

    def __str__(self) -> str:
        return f"#{self.number} {self.title or _('(untitled)')}"

    def save(self, *args, **kwargs):
        loaded = getattr(self, "_loaded_state", None)
        if loaded is not None and loaded != self.state and not state_writer.get():
            raise RuntimeError(
                "A paper's state changes only through submissions.services.set_submission_state()."
            )
        super().save(*args, **kwargs)
        self._loaded_state = self.state

    def get_absolute_url(self) -> str:
        return reverse("submissions:detail", args=[self.edition.series.slug, self.edition.year, self.number])

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_state = instance.__dict__.get("state")
        return instance

    def url(self, name: str, *args) -> str:
        return reverse(
            f"submissions:{name}", args=[self.edition.series.slug, self.edition.year, self.number, *args]
        )

    @property
    def deadline(self) -> datetime:
        return max(self.edition.submission_deadline, self.extended_until or self.edition.submission_deadline)

    def editable_at(self, now: datetime) -> bool:
        """Authors may change a draft or submitted paper until its deadline, to the second."""
        return self.state in (self.State.DRAFT, self.State.SUBMITTED) and now < self.deadline

    @property
    def is_editable(self) -> bool:
        return self.editable_at(timezone.now())

    def final_open_at(self, now: datetime) -> bool:
        """Authors of an accepted paper deliver its final version until the edition's final deadline."""
        return self.state == self.State.ACCEPTED and now < self.edition.camera_ready_deadline

    @property
    def is_decided(self) -> bool:
        return self.state not in (self.State.DRAFT, self.State.SUBMITTED, self.State.UNDER_REVIEW)

    def current_document(self, kind: str = "paper") -> Document | None:
        documents = [d for d in self.documents.all() if d.kind == kind]
        return max(documents, key=lambda d: d.version) if documents else None

    def sorted_authors(self) -> list[Authorship]:
        return sorted(self.authorships.all(), key=lambda a: a.position)

    # The state changes: one-line wrappers around the one state function.
    def submit(self, *, by) -> Submission:
        from .services import submit

        return submit(submission=self, by=by)

    def withdraw(self, *, by, note: str = "") -> Submission:
        from .services import set_submission_state

        return set_submission_state(self, self.State.WITHDRAWN, by=by, note=note)


class Authorship(models.Model):
    """One author of a paper, in order; a co-author is named by e-mail and claims the paper by a link."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="authorships")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="authorships", verbose_name=_("account"),
    )  # fmt: skip
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"))
    affiliation = models.CharField(_("affiliation"), max_length=300, blank=True)
    country = CountryField(_("country"), blank=True)
    orcid = models.CharField(_("ORCID iD"), max_length=19, blank=True, validators=[validate_orcid])
    corresponding = models.BooleanField(_("corresponding author"), default=False)
    claim_token = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    invited_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")
        constraints = [
            models.UniqueConstraint(fields=["submission", "email"], name="one_authorship_per_address"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_claimed(self) -> bool:
        return self.user_id is not None

    def get_claim_url(self) -> str:
        return reverse("submissions:claim", args=[self.claim_token])


class Document(models.Model):
    """One uploaded PDF version of a paper: each upload is a new version, none is overwritten."""

    class Kind(models.TextChoices):
        PAPER = "paper", _("Paper")
        FINAL = "final", _("Final version")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PAPER)
    version = models.PositiveSmallIntegerField(_("version"))
    file = models.FileField(upload_to=document_path, max_length=200)
    # The copy reviewers download in a double-blind edition: no document info, no XMP metadata.
    reviewer_file = models.FileField(upload_to=document_path, max_length=200, blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveIntegerField(_("size"))
    pages = models.PositiveSmallIntegerField(_("pages"))
    author_traces = models.JSONField(default=list, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("uploaded by"),
    )  # fmt: skip
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["submission", "kind", "-version"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.UniqueConstraint(fields=["submission", "kind", "version"], name="one_document_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.submission} · {self.get_kind_display()} v{self.version}"

    def get_absolute_url(self) -> str:
        return self.submission.url("document", self.kind, self.version)

    def download_name(self) -> str:
        return f"{self.submission.edition.year}-{self.submission.number:03d}-{self.kind}-v{self.version}.pdf"


class Answer(models.Model):
    """An author's answer to one of the edition's questions."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    value = models.JSONField(default=None, null=True, blank=True)
    file = models.FileField(upload_to=answer_file_path, max_length=200, blank=True)
    file_name = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["submission", "question"], name="one_answer_each")]

    def __str__(self) -> str:
        return f"{self.submission} · {self.question}"

    def display(self) -> str:
        kind = self.question.Kind
        if self.question.kind == kind.FILE:
            return self.file_name
        if self.question.kind == kind.YES_NO:
            return {True: _("Yes"), False: _("No")}.get(self.value, "")
        if self.question.kind in (kind.CHOICE, kind.MULTIPLE_CHOICE):
            labels = self.question.option_labels(fallback=self.submission.edition.main_language)
            chosen = self.value if isinstance(self.value, list) else [self.value]
            return ", ".join(labels[i] for i in chosen if isinstance(i, int) and 0 <= i < len(labels))
        return self.value or ""


class StateChange(models.Model):
    """The audit log of a paper: who moved it from which state to which, when, and why."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="state_changes")
    old = models.CharField(_("from"), max_length=20, choices=Submission.State.choices)
    new = models.CharField(_("to"), max_length=20, choices=Submission.State.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["submission", "at", "id"]
        verbose_name = _("state change")
        verbose_name_plural = _("state changes")

    def __str__(self) -> str:
        return f"{self.submission}: {self.old} → {self.new}"


class ConflictQuerySet(models.QuerySet):
    def active(self) -> ConflictQuerySet:
        return self.filter(dismissed_at__isnull=True)

    def involving(self, user) -> ConflictQuerySet:
        """Conflicts naming the person (by account or by address), or their organisation."""
        query = Q(user=user) | Q(email__iexact=user.email)
        if user.organisation_id:
            query |= Q(organisation_id=user.organisation_id)
        return self.filter(query)


class Conflict(models.Model):
    """A person (or a whole organisation) who must not see or judge a paper.

    Declared by authors here; the review app adds detected ones (same organisation, e-mail domain,
    co-authorship) and those declared by reviewers; a chair adds or dismisses them, with a reason.
    """

    class Kind(models.TextChoices):
        DECLARED_BY_AUTHOR = "author_declared", _("Declared by the authors")
        DECLARED_BY_REVIEWER = "reviewer_declared", _("Declared by the reviewer")
        SAME_ORGANISATION = "organisation", _("Same organisation")
        SAME_DOMAIN = "domain", _("Same e-mail domain")
        COAUTHOR = "coauthor", _("Co-authors on another paper")
        AUTHOR = "author", _("Author of the paper")
        ADDED_BY_CHAIR = "chair", _("Added by a chair")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="conflicts")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="conflicts",
        verbose_name=_("person"),
    )  # fmt: skip
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, null=True, blank=True, related_name="conflicts",
        verbose_name=_("organisation"),
    )  # fmt: skip
    # A person named by address who has no account (yet): the conflict holds once they sign up.
    email = models.EmailField(_("e-mail address"), blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    dismissed_at = models.DateTimeField(_("dismissed"), null=True, blank=True)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    dismissal_reason = models.CharField(_("why it was dismissed"), max_length=300, blank=True)

    objects = ConflictQuerySet.as_manager()

    class Meta:
        ordering = ["submission", "created_at"]
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, organisation__isnull=True, email="")
                | Q(user__isnull=True, organisation__isnull=False, email="")
                | (Q(user__isnull=True, organisation__isnull=True) & ~Q(email="")),
                name="conflict_names_a_person_an_address_or_an_organisation",
            ),
            models.UniqueConstraint(
                fields=["submission", "email", "kind"], condition=~Q(email=""),
                name="one_conflict_of_a_kind_per_address",
            ),
            models.UniqueConstraint(
                fields=["submission", "user", "kind"], condition=Q(user__isnull=False),
                name="one_conflict_of_a_kind_per_person",
            ),
            models.UniqueConstraint(
                fields=["submission", "organisation", "kind"], condition=Q(organisation__isnull=False),
                name="one_conflict_of_a_kind_per_organisation",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return (
            f"{self.submission} ↔ {self.user or self.organisation or self.email} ({self.get_kind_display()})"
        )


def archive_path(instance: Archive, filename: str) -> str:
    return private_path("archives", ".zip")


class Archive(models.Model):
    """A ZIP of the current PDFs of the papers a chair sees, built by a worker while the chair watches."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Being built")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="archives")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to=archive_path, max_length=200, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("archive of papers")
        verbose_name_plural = _("archives of papers")

    def __str__(self) -> str:
        return f"{self.edition} · {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def percent(self) -> int:
        return (
            round(100 * self.done / self.total)
            if self.total
            else (100 if self.state == self.State.DONE else 0)
        )
