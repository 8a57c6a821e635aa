"""Reviewing, step by step: bids, assignments (by a chair or the solver), declines and reviews."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from conference.models import Edition, Role
from notifications.services import queue_templated_mail
from submissions.models import Authorship, Conflict, Submission
from submissions.services import chairs_paper

from .models import Assignment, Bid, Review, ReviewSettings

REVIEWABLE_STATES = [Submission.State.SUBMITTED, Submission.State.UNDER_REVIEW]


def is_reviewer(edition: Edition, user) -> bool:
    return (
        user.is_authenticated
        and Role.objects.filter(edition=edition, user=user, kind=Role.Kind.REVIEWER).exists()
    )


def biddable(*, edition: Edition, user) -> QuerySet[Submission]:
    """The papers a reviewer may bid on: sent in, not theirs, and no conflict with them (of any kind)."""
    conflicted = Conflict.objects.active().involving(user).values("submission")
    own = Authorship.objects.filter(Q(user=user) | Q(email__iexact=user.email)).values("submission")
    return (
        Submission.objects.filter(edition=edition, state__in=REVIEWABLE_STATES)
        .exclude(pk__in=conflicted)
        .exclude(pk__in=own)
    )


@transaction.atomic
def save_bids(*, edition: Edition, user, bids: dict[int, str | None]) -> int:
    """Record the reviewer's bids ({submission pk: value or None for neutral}); returns how many changed.

    Only papers they may bid on count. A "conflict" bid is also written as a conflict the reviewer
    declared, so the paper leaves every list of theirs at once.
    """
    allowed = set(biddable(edition=edition, user=user).filter(pk__in=bids).values_list("pk", flat=True))
    current = dict(
        Bid.objects.filter(reviewer=user, submission_id__in=allowed).values_list("submission_id", "value")
    )
    changed = 0
    for submission_id in allowed:
        value = bids[submission_id] or None
        if current.get(submission_id) == value:
            continue
        changed += 1
        if value is None:
            Bid.objects.filter(reviewer=user, submission_id=submission_id).delete()
            continue
        Bid.objects.update_or_create(reviewer=user, submission_id=submission_id, defaults={"value": value})
        if value == Bid.Value.CONFLICT:
            Conflict.objects.get_or_create(
                submission_id=submission_id, user=user, kind=Conflict.Kind.DECLARED_BY_REVIEWER,
                defaults={"reason": "", "created_by": user},
            )  # fmt: skip
    return changed


# --- Assignments ---------------------------------------------------------------------------------


def may_review(submission: Submission, reviewer) -> str:
    """Why `reviewer` may not review the paper, in words; "" when they may."""
    if submission.state not in REVIEWABLE_STATES:
        return _("Paper %(number)d is not under review.") % {"number": submission.number}
    if not Role.objects.filter(edition=submission.edition, user=reviewer, kind=Role.Kind.REVIEWER).exists():
        return _("%(name)s is not a reviewer of this edition.") % {"name": reviewer.name}
    if Conflict.objects.active().involving(reviewer).filter(submission=submission).exists():
        return _("%(name)s is in conflict with this paper.") % {"name": reviewer.name}
    if submission.authorships.filter(Q(user=reviewer) | Q(email__iexact=reviewer.email)).exists():
        return _("%(name)s is an author of this paper.") % {"name": reviewer.name}
    return ""


@transaction.atomic
def assign(
    *, submission: Submission, reviewer, by, locked: bool = False, automatic: bool = False
) -> Assignment:
    """Ask a reviewer to review a paper, or raise ValidationError saying why they may not."""
    if not chairs_paper(submission, by):
        raise ValidationError(
            _("Only a chair who is not in conflict with the paper can assign it."), code="actor"
        )
    reason = may_review(submission, reviewer)
    if reason:
        raise ValidationError(reason, code="not_allowed")
    assignment, created = Assignment.objects.select_for_update().get_or_create(
        submission=submission, reviewer=reviewer,
        defaults={"assigned_by": by, "locked": locked, "automatic": automatic},
    )  # fmt: skip
    if created:
        notify_assigned(reviewer=reviewer, papers=[submission], key=f"review-assigned:{assignment.pk}")
    elif assignment.state != Assignment.State.ASSIGNED:
        # Asked again after declining: a new request, so a new mail (keyed by the decline it follows).
        notify_assigned(
            reviewer=reviewer, papers=[submission],
            key=f"review-reassigned:{assignment.pk}:{assignment.declined_at.timestamp():.0f}",
        )  # fmt: skip
        assignment.state = Assignment.State.ASSIGNED
        assignment.locked = locked or assignment.locked
        assignment.decline_reason = ""
        assignment.declined_at = None
        assignment.save(update_fields=["state", "locked", "decline_reason", "declined_at"])
    elif locked and not assignment.locked:
        assignment.locked = True
        assignment.save(update_fields=["locked"])
    return assignment


def notify_assigned(*, reviewer, papers: list[Submission], key: str) -> None:
    """Tell a reviewer which papers they were just given (number and title only: never an author)."""
    edition = papers[0].edition
    link = settings.SITE_URL + reverse("reviews:assignments", args=[edition.series.slug, edition.year])
    queue_templated_mail(
        to=reviewer.email, template="reviews/mail/assigned", key=key, user=reviewer,
        context={
            "reviewer": reviewer, "edition": edition, "papers": sorted(papers, key=lambda p: p.number),
            "link": link, "deadline": edition.review_deadline, "zone": edition.get_time_zone_display(),
        },
    )  # fmt: skip


@transaction.atomic
def unassign(*, assignment: Assignment, by) -> None:
    # Locked first: a review submitted at this moment must stop the unassignment, not be deleted with it.
    assignment = Assignment.objects.select_for_update().select_related("submission").get(pk=assignment.pk)
    if not chairs_paper(assignment.submission, by):
        raise ValidationError(
            _("Only a chair who is not in conflict with the paper can do this."), code="actor"
        )
    if Review.objects.filter(assignment=assignment, state=Review.State.SUBMITTED).exists():
        raise ValidationError(
            _("This reviewer has already submitted the review: it cannot be undone."), code="done"
        )
    assignment.delete()


@transaction.atomic
def decline(*, assignment: Assignment, by, reason: str) -> Assignment:
    """The reviewer declines a paper, saying why; the automatic assignment never gives it to them again."""
    locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if locked.reviewer_id != by.pk:
        raise ValidationError(_("Only the reviewer can decline this paper."), code="actor")
    if Review.objects.filter(assignment=locked, state=Review.State.SUBMITTED).exists():
        raise ValidationError(_("You have submitted your review: it can no longer be declined."), code="done")
    if not reason.strip():
        raise ValidationError(
            _("Say why you decline, so that the chairs can find someone else."), code="reason"
        )
    locked.state = Assignment.State.DECLINED
    locked.decline_reason = reason.strip()[:2000]
    locked.declined_at = timezone.now()
    locked.save(update_fields=["state", "decline_reason", "declined_at"])
    return locked


# --- Reviews -------------------------------------------------------------------------------------


def reviewing_closed(edition: Edition) -> bool:
    settings = ReviewSettings.objects.filter(edition=edition).first()
    return bool(settings and settings.reviewing_closed_at and settings.reviewing_closed_at <= timezone.now())


@transaction.atomic
def save_review(*, assignment: Assignment, by, data: dict, submit: bool, revision: int | None) -> Review:
    """Save the reviewer's review (a draft, or submitted); edits are possible until reviewing closes.

    A review submitted after the review deadline is accepted and marked late.
    """
    # Locked and read again: a decline or an unassignment in another tab must not slip in between.
    assignment = (
        Assignment.objects.select_for_update().select_related("submission__edition").get(pk=assignment.pk)
    )
    if assignment.reviewer_id != by.pk or assignment.state != Assignment.State.ASSIGNED:
        raise ValidationError(_("This is not your review."), code="actor")
    if assignment.submission.state not in REVIEWABLE_STATES:
        raise ValidationError(_("This paper is no longer under review: nothing was saved."), code="state")
    edition = assignment.submission.edition
    if reviewing_closed(edition):
        raise ValidationError(_("Reviewing is closed: nothing was saved."), code="closed")
    review, _created = Review.objects.select_for_update().get_or_create(assignment=assignment)
    if revision is not None and revision != review.revision:
        raise ValidationError(
            _("This review was saved in another tab since you opened it. Nothing was saved: reload it."),
            code="stale",
        )
    for name in ["scores", "recommendation", "confidence", "comments_to_authors", "confidential_comments"]:
        setattr(review, name, data.get(name, getattr(review, name)))
    now = timezone.now()
    if submit and review.state == Review.State.DRAFT:
        review.state = Review.State.SUBMITTED
        review.submitted_at = now
        review.late = now > edition.review_deadline
    review.revision += 1
    review.save()
    return review


def reviewer_loads(*, edition: Edition) -> list[dict]:
    """Each reviewer of the edition with their load (assigned, reviewed) against their maximum; 3 queries."""
    from django.db.models import Count

    from .models import ReviewerProfile

    reviewers = list(
        Role.objects.filter(edition=edition, kind=Role.Kind.REVIEWER)
        .select_related("user")
        .order_by("user__name")
    )
    profiles = {p.user_id: p for p in ReviewerProfile.objects.filter(edition=edition)}
    counts = {
        row["reviewer"]: row
        for row in Assignment.objects.filter(submission__edition=edition, state=Assignment.State.ASSIGNED)
        .values("reviewer")
        .annotate(assigned=Count("id"), reviewed=Count("id", filter=Q(review__state=Review.State.SUBMITTED)))
    }
    return [
        {
            "user": role.user,
            "assigned": counts.get(role.user_id, {}).get("assigned", 0),
            "reviewed": counts.get(role.user_id, {}).get("reviewed", 0),
            "max_load": profiles[role.user_id].max_load if role.user_id in profiles else None,
        }
        for role in reviewers
    ]


# --- Discussion ----------------------------------------------------------------------------------


def has_reviewed(submission: Submission, user) -> bool:
    return (
        Assignment.objects.for_reviewer(user)
        .filter(submission=submission, review__state=Review.State.SUBMITTED)
        .exists()
    )


def can_discuss(submission: Submission, user) -> bool:
    """The committee and chairs who may see the paper, and its reviewers once they have reviewed it."""
    if not user.is_authenticated:
        return False
    if Submission.objects.organised_by(user).filter(pk=submission.pk).exists():
        return True
    return has_reviewed(submission, user)


@transaction.atomic
def post_comment(*, submission: Submission, by, text: str):
    from .models import Comment

    if not can_discuss(submission, by):
        raise ValidationError(
            _("You can join the discussion once you have submitted your review."), code="actor"
        )
    if not text.strip():
        raise ValidationError(_("Write a message first."), code="empty")
    return Comment.objects.create(submission=submission, author=by, text=text.strip()[:10000])


def reviews_for_discussion(submission: Submission, viewer) -> list[dict]:
    """The submitted reviews of a paper as `viewer` may see them: reviewers are "Reviewer 1, 2…" to other
    reviewers unless the edition lets them see each other's names; organisers always see names."""
    settings = ReviewSettings.objects.filter(edition=submission.edition).first()
    organiser = Submission.objects.organised_by(viewer).filter(pk=submission.pk).exists()
    show_names = organiser or bool(settings and settings.reviewers_see_each_other)
    assignments = (
        Assignment.objects.active()
        .filter(submission=submission, review__state=Review.State.SUBMITTED)
        .select_related("reviewer", "review")
        .order_by("created_at", "id")
    )
    rows = []
    for number, assignment in enumerate(assignments, 1):
        mine = assignment.reviewer_id == viewer.pk
        anonymous = _("Reviewer %(number)d") % {"number": number}
        label = assignment.reviewer.name if show_names or mine else anonymous
        rows.append({"label": label, "review": assignment.review, "mine": mine})
    return rows


def excluded_pairs(*, papers, reviewers) -> set[tuple[int, int]]:
    """(paper, reviewer) pairs never to propose: active conflicts of any kind, and authorship (2 queries)."""
    by_user = {user.pk: user.pk for user in reviewers}
    by_email = {user.email.lower(): user.pk for user in reviewers}
    by_organisation: dict[int, list[int]] = {}
    for user in reviewers:
        if user.organisation_id:
            by_organisation.setdefault(user.organisation_id, []).append(user.pk)
    excluded: set[tuple[int, int]] = set()
    for submission_id, user_id, email, organisation_id in (
        Conflict.objects.active()
        .filter(submission__in=papers)
        .values_list("submission_id", "user_id", "email", "organisation_id")
    ):
        if user_id in by_user:
            excluded.add((submission_id, user_id))
        if email and email.lower() in by_email:
            excluded.add((submission_id, by_email[email.lower()]))
        for person in by_organisation.get(organisation_id, []):
            excluded.add((submission_id, person))
    for submission_id, user_id, email in Authorship.objects.filter(submission__in=papers).values_list(
        "submission_id", "user_id", "email"
    ):
        for person in {by_user.get(user_id), by_email.get(email.lower())} - {None}:
            excluded.add((submission_id, person))
    return excluded


@transaction.atomic
def set_reviewing_closed(*, edition: Edition, closed: bool, by) -> None:
    """Close reviewing (no review can change any more) or open it again; chairs only."""
    if not edition.is_chaired_by(by):
        raise ValidationError(_("Only a chair of this edition can do this."), code="actor")
    settings = ReviewSettings.objects.select_for_update().get_or_create(edition=edition)[0]
    settings.reviewing_closed_at = timezone.now() if closed else None
    settings.save(update_fields=["reviewing_closed_at"])
