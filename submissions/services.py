"""The author side of a paper: drafts, changes, uploads, co-authors, submission, withdrawal; and the
one function that changes a paper's state."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from conference.models import Edition, Role
from notifications.services import queue_templated_mail

from . import pdf
from .models import Authorship, Document, StateChange, Submission, state_writer

State = Submission.State


class TransitionNotAllowed(ValidationError):
    """The paper cannot move to that state now, for the reason in the message."""


class StaleEdit(ValidationError):
    """Someone else saved the paper since this person loaded it."""


# (from, to) -> who may make the move: the paper's authors, or the edition's chairs (and staff).
AUTHOR, CHAIR = "author", "chair"
TRANSITIONS: dict[tuple[str, str], str] = {
    (State.DRAFT, State.SUBMITTED): AUTHOR,
    (State.DRAFT, State.WITHDRAWN): AUTHOR,
    (State.SUBMITTED, State.WITHDRAWN): AUTHOR,
    (State.UNDER_REVIEW, State.WITHDRAWN): AUTHOR,
    (State.SUBMITTED, State.UNDER_REVIEW): CHAIR,
    (State.SUBMITTED, State.REJECTED): CHAIR,  # desk reject
    (State.UNDER_REVIEW, State.REJECTED): CHAIR,
    (State.UNDER_REVIEW, State.ACCEPTED): CHAIR,
    (State.ACCEPTED, State.WITHDRAWN): CHAIR,  # only as a request the chair grants
    (State.ACCEPTED, State.FINAL_SUBMITTED): AUTHOR,
    (State.FINAL_SUBMITTED, State.ACCEPTED): CHAIR,  # sent back with a comment
    (State.FINAL_SUBMITTED, State.CAMERA_READY): CHAIR,
    (State.FINAL_SUBMITTED, State.WITHDRAWN): CHAIR,
    (State.CAMERA_READY, State.WITHDRAWN): CHAIR,
    (State.CAMERA_READY, State.PUBLISHED): CHAIR,
}


# Where an author may withdraw (after acceptance, the withdrawal is a request the chair grants).
WITHDRAWABLE = {
    State.DRAFT,
    State.SUBMITTED,
    State.UNDER_REVIEW,
    State.ACCEPTED,
    State.FINAL_SUBMITTED,
    State.CAMERA_READY,
}


def is_author(submission: Submission, user) -> bool:
    return user.is_authenticated and submission.authorships.filter(user=user).exists()


def is_chair(edition: Edition, user) -> bool:
    return edition.is_chaired_by(user)


def chairs_paper(submission: Submission, user) -> bool:
    """Who acts as chair for a paper: a chair who is neither its author nor in conflict with it, or the
    edition's paper manager for a paper one of the chairs is in conflict with."""
    if not Submission.objects.organised_by(user).filter(pk=submission.pk).exists():
        return False
    return is_chair(submission.edition, user) or manages_paper(submission, user)


def manages_paper(submission: Submission, user) -> bool:
    return Submission.objects.managed_by(user).filter(pk=submission.pk).exists()


def _lock(submission: Submission) -> Submission:
    """The paper's row, locked for this transaction (only its own row: papers of one call do not wait
    for each other)."""
    return (
        Submission.objects.select_for_update(of=("self",))
        .select_related("edition__series")
        .get(pk=submission.pk)
    )


def _check_transition(submission: Submission, new_state: str, *, by, now: datetime) -> None:
    who = TRANSITIONS.get((submission.state, new_state))
    if who is None:
        raise TransitionNotAllowed(
            _("A paper that is “%(old)s” cannot become “%(new)s”.")
            % {"old": submission.get_state_display(), "new": State(new_state).label},
            code="transition",
        )
    if who == AUTHOR and not is_author(submission, by):
        raise TransitionNotAllowed(_("Only the paper's authors can do this."), code="actor")
    if who == CHAIR and not chairs_paper(submission, by):
        raise TransitionNotAllowed(
            _("Only a chair of this edition who is neither an author of the paper nor in conflict with it "
              "can do this."),
            code="actor",
        )  # fmt: skip
    if new_state == State.SUBMITTED and not submission.editable_at(now):
        raise TransitionNotAllowed(
            _("The deadline for this paper has passed. Nothing was submitted; your text is kept."),
            code="deadline",
        )
    if new_state == State.FINAL_SUBMITTED and not submission.final_open_at(now):
        raise TransitionNotAllowed(
            _("The deadline for final versions has passed. Nothing was sent."), code="deadline"
        )


@transaction.atomic
def set_submission_state(submission: Submission, new_state: str, *, by, note: str = "") -> Submission:
    """Move a paper to `new_state`, or raise TransitionNotAllowed with a reason a person can read.

    Checks the source state, the actor and the deadline on a locked row, writes the audit entry and
    queues the mail that goes with the move (sent once the transaction commits).
    """
    locked = _lock(submission)
    now = timezone.now()
    _check_transition(locked, new_state, by=by, now=now)
    old = locked.state
    fields = ["state", "updated_at"]
    if new_state == State.SUBMITTED:
        locked.submitted_at = locked.submitted_at or now
        locked.revision += 1
        fields += ["submitted_at", "revision"]
    if new_state == State.WITHDRAWN:
        locked.withdrawal_requested_at = None
        fields.append("withdrawal_requested_at")
    token = state_writer.set(True)
    try:
        locked.state = new_state
        locked.save(update_fields=fields)
    finally:
        state_writer.reset(token)
    StateChange.objects.create(submission=locked, old=old, new=new_state, by=by, at=now, note=note)
    _mail_for_state(locked, old=old, new=new_state, by=by, note=note)
    submission.__dict__.update({name: getattr(locked, name) for name in fields})
    submission._loaded_state = locked.state
    return locked


def _mail_for_state(submission: Submission, *, old: str, new: str, by, note: str) -> None:
    if new in (State.SUBMITTED, State.FINAL_SUBMITTED):
        send_receipt(submission, first=old == State.DRAFT)
        if new == State.FINAL_SUBMITTED:
            _mail_chairs(submission, "final_submitted", {"by": by})
    elif new == State.CAMERA_READY:
        _mail_authors(submission, "final_approved", {})
    elif new == State.ACCEPTED and old == State.FINAL_SUBMITTED:
        _mail_authors(submission, "final_sent_back", {"note": note})
    elif new == State.WITHDRAWN:
        _mail_authors(submission, "withdrawn", {"note": note, "by": by})
        if old != State.DRAFT:  # a draft was never the chairs' business
            _mail_chairs(submission, "withdrawn_chair", {"note": note, "by": by})
    elif new == State.REJECTED and old == State.SUBMITTED:
        _mail_authors(submission, "desk_rejected", {"note": note})


def _mail_authors(submission: Submission, template: str, context: dict, *, key: str = "") -> None:
    key = key or f"{template}:{submission.pk}:{submission.state_changes.count()}"
    for author in submission.authorships.select_related("user"):
        queue_templated_mail(
            to=author.email,
            template=f"submissions/mail/{template}",
            context={"submission": submission, "edition": submission.edition, "author": author,
                     "link": settings.SITE_URL + submission.get_absolute_url(), **context},
            key=f"{key}:{author.email.lower()}",
            user=author.user,
            language=author.user.preferred_language if author.user else submission.language,
        )  # fmt: skip


def _mail_chairs(submission: Submission, template: str, context: dict) -> None:
    """Mail the chairs who may see the paper (a chair in conflict with it, or its author, hears nothing)."""
    key = f"{template}:{submission.pk}:{submission.state_changes.count()}"
    chairs = Role.objects.filter(edition=submission.edition, kind=Role.Kind.CHAIR).select_related("user")
    for role in (role for role in chairs if chairs_paper(submission, role.user)):
        queue_templated_mail(
            to=role.user.email,
            template=f"submissions/mail/{template}",
            context={
                "submission": submission,
                "edition": submission.edition,
                "chair": role.user,
                "link": settings.SITE_URL + submission.get_absolute_url(),
                **context,
            },  # fmt: skip
            key=f"{key}:{role.user.email.lower()}",
            user=role.user,
        )


def send_receipt(submission: Submission, *, first: bool = False) -> None:
    """A receipt to every author for this revision of a submitted paper: number, title, time, SHA-256."""
    final = submission.state == State.FINAL_SUBMITTED
    kind = Document.Kind.FINAL if final else Document.Kind.PAPER
    document = submission.documents.filter(kind=kind).order_by("-version").first()
    _mail_authors(
        submission,
        "receipt",
        {
            "document": document,
            "at": timezone.now().astimezone(submission.edition.zone),
            "zone": submission.edition.get_time_zone_display(),
            "first": first,
            "final": final,
        },
        key=f"receipt:{submission.pk}:r{submission.revision}",
    )


# --- Drafts and changes -------------------------------------------------------------------------


@transaction.atomic
def start_draft(*, edition: Edition, by) -> Submission:
    """A new draft with the person as its first, corresponding author; refused once the call is closed."""
    locked = Edition.objects.select_for_update().get(pk=edition.pk)  # numbers are handed out in turn
    if not locked.accepts_submissions_at(timezone.now()):
        raise ValidationError(_("This call does not accept new papers now."), code="closed")
    number = (locked.submissions.aggregate(n=Max("number"))["n"] or 0) + 1
    submission = Submission.objects.create(
        edition=locked, number=number, created_by=by, language=locked.main_language
    )
    Authorship.objects.create(
        submission=submission, position=0, user=by, name=by.name, email=by.email,
        affiliation=by.organisation.name if by.organisation_id else by.affiliation,
        country=by.country, orcid=by.orcid, corresponding=True, claimed_at=timezone.now(),
    )  # fmt: skip
    return submission


@transaction.atomic
def change_submission(
    *,
    submission: Submission,
    by,
    revision: int | None,
    change: Callable[[Submission], None],
    final: bool = False,
) -> Submission:
    """Apply `change` to the paper under a row lock, if it may still change and nobody saved it since
    `revision` (None skips that check); a submitted paper's authors get a receipt for the new revision.

    `final`: a change to the final version of an accepted paper, open until the final-version deadline.
    """
    locked = _lock(submission)
    if not is_author(locked, by):
        raise ValidationError(_("Only the paper's authors can change it."), code="actor")
    now = timezone.now()
    if not (locked.final_open_at(now) if final else locked.editable_at(now)):
        raise ValidationError(
            _("The deadline for this paper has passed: it can no longer be changed. Nothing was saved."),
            code="deadline",
        )
    if revision is not None and revision != locked.revision:
        raise StaleEdit(
            _("A co-author changed this paper while you were editing it. Nothing was saved: reload the page "
              "to see their changes, then make yours again."),
            code="stale",
        )  # fmt: skip
    change(locked)
    locked.revision += 1
    locked.save()
    if locked.state == State.SUBMITTED:
        _check_author_limits(locked)  # a co-author added after submitting counts too
        send_receipt(locked)
    return locked


class _CheckedPdf:
    """An upload that passed every rule, with what the stored version needs (checked outside any lock)."""

    def __init__(self, submission: Submission, upload, *, kind: str) -> None:
        edition = submission.edition
        limit = submission.submission_type.page_limit if submission.submission_type_id else None
        self.info = pdf.inspect_pdf(
            upload, max_bytes=edition.file_size_limit_mb * 1024 * 1024, page_limit=limit or edition.page_limit
        )
        self.name = (upload.name or "paper.pdf")[:255]
        self.kind = kind
        # Double-blind review: warn about author names in the file and give reviewers a stripped copy.
        blind = kind == Document.Kind.PAPER and edition.blind_mode == Edition.BlindMode.DOUBLE
        authors = list(submission.authorships.all())
        self.traces = (
            pdf.author_traces(
                self.info.data,
                names=[a.name for a in authors],
                emails=[a.email for a in authors],
                affiliations=[a.affiliation for a in authors],
            )
            if blind
            else []
        )
        self.reviewer_copy = pdf.reviewer_copy(self.info.data) if blind else None
        self.stored: Document | None = None

    def store(self, locked: Submission, *, by) -> Document:
        last = locked.documents.filter(kind=self.kind).aggregate(v=Max("version"))["v"] or 0
        document = Document(
            submission=locked, kind=self.kind, version=last + 1, original_name=self.name,
            sha256=self.info.sha256, size=self.info.size, pages=self.info.pages, uploaded_by=by,
            author_traces=self.traces,
        )  # fmt: skip
        self.stored = document
        document.file.save("paper.pdf", ContentFile(self.info.data), save=False)
        if self.reviewer_copy is not None:
            document.reviewer_file.save("paper.pdf", ContentFile(self.reviewer_copy), save=False)
        document.save()
        return document

    def forget(self) -> None:
        """The transaction that stored the files failed: leave no orphan file behind."""
        if self.stored:
            for stored in (self.stored.file, self.stored.reviewer_file):
                if stored:
                    stored.storage.delete(stored.name)


def upload_document(*, submission: Submission, by, upload, revision: int | None = None) -> Document:
    """Check the PDF by its content, then store it as the paper's next version (never overwriting one)."""
    checked = _CheckedPdf(submission, upload, kind=Document.Kind.PAPER)
    try:
        change_submission(
            submission=submission,
            by=by,
            revision=revision,
            change=lambda locked: checked.store(locked, by=by),
        )
    except Exception:
        checked.forget()
        raise
    return checked.stored


# --- The final version ---------------------------------------------------------------------------


def submit_final(
    *, submission: Submission, by, upload, revision: int | None, metadata: Callable[[Submission], None]
) -> Submission:
    """An accepted paper's final PDF and the metadata the hub will publish (with the licence agreed):
    stored as a new final version, the paper moved to `final_submitted`, a receipt sent to every author."""
    checked = _CheckedPdf(submission, upload, kind=Document.Kind.FINAL)

    def change(locked: Submission) -> None:
        metadata(locked)
        locked.licence_accepted_at = timezone.now()
        checked.store(locked, by=by)

    try:
        with transaction.atomic():
            locked = change_submission(
                submission=submission, by=by, revision=revision, change=change, final=True
            )
            return set_submission_state(locked, State.FINAL_SUBMITTED, by=by)
    except Exception:
        checked.forget()
        raise


def approve_final(*, submission: Submission, by) -> Submission:
    return set_submission_state(submission, State.CAMERA_READY, by=by)


def send_back_final(*, submission: Submission, by, note: str) -> Submission:
    if not note.strip():
        raise ValidationError(
            _("Say what the authors should change: your note is mailed to them."), code="note"
        )
    return set_submission_state(submission, State.ACCEPTED, by=by, note=note)


def missing_parts(submission: Submission) -> list[str]:
    """What the paper still needs before it can be submitted, in words."""
    missing = []
    if not submission.submission_type_id:
        missing.append(_("Choose the type of paper."))
    if submission.edition.tracks.exists() and not submission.track_id:
        missing.append(_("Choose a track."))
    if not submission.title.strip():
        missing.append(_("Give the paper a title."))
    if not submission.abstract.strip():
        missing.append(_("Write the abstract."))
    if not submission.topics.exists():
        missing.append(_("Choose at least one topic."))
    answered = set(submission.answers.exclude(value=None).values_list("question_id", flat=True)) | set(
        submission.answers.exclude(file="").values_list("question_id", flat=True)
    )
    for question in submission.edition.questions.filter(required=True):
        if question.pk not in answered:
            missing.append(_("Answer the question “%(question)s”.") % {"question": question})
    if not submission.documents.filter(kind=Document.Kind.PAPER).exists():
        missing.append(_("Upload the paper as PDF."))
    return missing


def _check_author_limits(submission: Submission) -> None:
    limit = submission.edition.submissions_per_author
    if not limit:
        return
    # Counted under the edition's row lock: of two papers submitted at once, the second is counted
    # after the first commits (otherwise neither would see the other).
    Edition.objects.select_for_update().only("pk").get(pk=submission.edition_id)
    for author in submission.authorships.all():
        others = (
            Submission.objects.counted()
            .filter(edition=submission.edition, authorships__email__iexact=author.email)
            .exclude(pk=submission.pk)
            .distinct()
            .count()
        )
        if others >= limit:
            raise TransitionNotAllowed(
                ngettext(
                    "%(name)s is already an author of %(count)d paper in this call, the most allowed. "
                    "Nothing was saved.",
                    "%(name)s is already an author of %(count)d papers in this call, the most allowed. "
                    "Nothing was saved.",
                    others,
                ) % {"name": author.name, "count": others},
                code="author_limit",
            )  # fmt: skip


@transaction.atomic
def submit(*, submission: Submission, by) -> Submission:
    """Submit a complete draft once: a second click (or a second tab) finds it submitted and does nothing."""
    locked = _lock(submission)
    if locked.state == State.SUBMITTED and is_author(locked, by):
        return locked
    if locked.state == State.DRAFT:
        missing = missing_parts(locked)
        if missing:
            raise TransitionNotAllowed(missing, code="incomplete")
        _check_author_limits(locked)
    return set_submission_state(locked, State.SUBMITTED, by=by)


# --- Co-authors ---------------------------------------------------------------------------------


def invite_coauthor(authorship: Authorship) -> None:
    """Mail a co-author a personal link to claim the paper (with an account they have or create)."""
    if authorship.user_id:
        return
    # A new link each time: after a typo is corrected, the link mailed to the wrong address is dead.
    authorship.claim_token = secrets.token_urlsafe(32)
    authorship.invited_at = timezone.now()
    authorship.save(update_fields=["claim_token", "invited_at"])
    submission = authorship.submission
    person = get_user_model().objects.filter(email__iexact=authorship.email).first()
    queue_templated_mail(
        to=authorship.email,
        template="submissions/mail/coauthor_invitation",
        context={"submission": submission, "edition": submission.edition, "author": authorship,
                 "link": settings.SITE_URL + authorship.get_claim_url()},
        key=f"coauthor:{authorship.pk}:{authorship.claim_token}",
        language=person.preferred_language if person else submission.language,
    )  # fmt: skip


@transaction.atomic
def claim(*, token: str, user) -> Authorship:
    """Link the signed-in person to the authorship the token names; a token works once."""
    authorship = (
        Authorship.objects.select_for_update(of=("self",))
        .select_related("submission__edition__series")
        .filter(claim_token=token)
        .first()
    )
    if authorship is None:
        raise ValidationError(_("This link has already been used or is no longer valid."), code="used")
    if authorship.submission.authorships.filter(user=user).exclude(pk=authorship.pk).exists():
        raise ValidationError(
            _("You are already an author of this paper with your account."), code="already_author"
        )
    authorship.user = user
    authorship.claim_token = None
    authorship.claimed_at = timezone.now()
    authorship.save(update_fields=["user", "claim_token", "claimed_at"])
    return authorship


# --- Withdrawal, desk rejection, extensions ------------------------------------------------------


def withdraw(*, submission: Submission, by, note: str = "") -> Submission:
    """Withdraw before a decision; after acceptance this records a request that a chair grants."""
    if submission.state in (State.ACCEPTED, State.FINAL_SUBMITTED, State.CAMERA_READY):
        return request_withdrawal(submission=submission, by=by, note=note)
    return set_submission_state(submission, State.WITHDRAWN, by=by, note=note)


@transaction.atomic
def request_withdrawal(*, submission: Submission, by, note: str) -> Submission:
    locked = _lock(submission)
    if not is_author(locked, by):
        raise TransitionNotAllowed(_("Only the paper's authors can ask to withdraw it."), code="actor")
    if locked.withdrawal_requested_at:
        return locked
    locked.withdrawal_requested_at = timezone.now()
    locked.save(update_fields=["withdrawal_requested_at", "updated_at"])
    _mail_chairs(locked, "withdrawal_requested", {"note": note, "by": by})
    return locked


def desk_reject(*, submission: Submission, by, note: str) -> Submission:
    if not note.strip():
        raise ValidationError(_("Write a note to the authors: it is mailed to them."), code="note")
    return set_submission_state(submission, State.REJECTED, by=by, note=note)


@transaction.atomic
def grant_extension(*, submission: Submission, by, until: datetime | None) -> Submission:
    """Give one paper a later deadline (None takes it back); only a chair may."""
    locked = _lock(submission)
    if not chairs_paper(locked, by):
        raise ValidationError(_("Only a chair of this edition can do this."), code="actor")
    if until is not None and until <= locked.edition.submission_deadline:
        raise ValidationError(_("An extension must end after the call's deadline."), code="too_early")
    locked.extended_until = until
    locked.save(update_fields=["extended_until", "updated_at"])
    submission.extended_until = until
    return locked
