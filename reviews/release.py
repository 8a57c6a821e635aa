"""Releasing decisions: each author of each decided paper gets one mail, in their language, and the
paper moves to accepted (then the final-version step) or rejected. Once.

Each decision is released in its own transaction, under a lock, and only if it was not released yet;
every mail has an idempotency key per decision and author. A release whose worker died is resumed by
the sweeper (its heartbeat stopped) and picks up where it was: nothing is sent twice.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerError

from conference.models import Edition
from config.multilingual import localise
from notifications.placeholders import fill
from notifications.services import queue_mail
from submissions.models import Authorship, Submission
from submissions.services import chairs_paper, is_chair, set_submission_state

from .decisions import DECIDABLE
from .models import Decision, DecisionMail, Outcome, Release, Review

logger = logging.getLogger(__name__)
State = Release.State
PLACEHOLDERS = [
    "author_name",
    "title",
    "number",
    "outcome",
    "comments",
    "edition",
    "camera_ready_deadline",
    "link",
]


# --- The mail ------------------------------------------------------------------------------------


def default_mail(outcome: Outcome, language: str) -> tuple[str, str]:
    """The default subject and text for an outcome, in `language` (the chair may write their own)."""
    with translation.override(language):
        subject = _("Your paper {number} to {edition}: {outcome}")
        if outcome.accepts:
            body = _(
                "Dear {author_name},\n\nWe are pleased to tell you that your paper “{title}” has been "
                "accepted for {edition} ({outcome}).\n\nThe reviewers' comments are below and on the paper's "
                "page. Please take them into account in the final version, due by {camera_ready_deadline}:\n"
                "{link}\n\n{comments}\n\nWith our congratulations,\nThe chairs"
            )
        else:
            body = _(
                "Dear {author_name},\n\nThank you for submitting “{title}” to {edition}. We regret to tell "
                "you that the committee could not accept it ({outcome}).\n\nThe reviewers' comments are "
                "below and on the paper's page, and we hope they help your work:\n{link}\n\n{comments}\n\n"
                "With our thanks,\nThe chairs"
            )
    return subject, body


def comments_for_authors(submission: Submission, *, language: str) -> str:
    """The reviews' comments to the authors, numbered: never confidential comments, never a name."""
    reviews = Review.objects.filter(assignment__submission=submission, state=Review.State.SUBMITTED).order_by(
        "submitted_at", "pk"
    )
    with translation.override(language):
        # Not inside an f-string: makemessages would not see the string, and it would stay English.
        parts = [
            _("Review %(number)d") % {"number": n} + "\n" + review.comments_to_authors.strip()
            for n, review in enumerate(reviews, 1)
            if review.comments_to_authors.strip()
        ]
        return "\n\n".join(parts) or _("The reviewers left no comments for the authors.")


def render_mail(decision: Decision, authorship: Authorship) -> tuple[str, str, str]:
    """(subject, text, language) of the decision mail to one author."""
    submission, edition = decision.submission, decision.submission.edition
    language = _language_of(authorship, edition)
    custom = DecisionMail.objects.filter(outcome=decision.outcome, language=language).first()
    subject, body = (custom.subject, custom.body) if custom else default_mail(decision.outcome, language)
    with translation.override(language):
        deadline = timezone.localtime(edition.camera_ready_deadline, edition.zone)
        page = reverse("reviews:decision", args=[edition.series.slug, edition.year, submission.number])
        when = f"{date_format(deadline, 'DATETIME_FORMAT')} ({edition.get_time_zone_display()})"
        values = {
            "author_name": authorship.name,
            "title": submission.title,
            "number": str(submission.number),
            "outcome": localise(decision.outcome.name, fallback=edition.main_language),
            "comments": comments_for_authors(submission, language=language),
            "edition": localise(edition.title, fallback=edition.main_language),
            "camera_ready_deadline": when,
            "link": settings.SITE_URL + page,
        }
    return " ".join(fill(subject, values).split()), fill(body, values), language


def _language_of(authorship: Authorship, edition: Edition) -> str:
    """The author's own language if the call speaks it, else the paper's, else the call's main one: the
    chair writes the mail texts in the call's languages, so those are the ones a mail can be in."""
    spoken = edition.languages or [settings.LANGUAGE_CODE]
    for language in (
        authorship.user.preferred_language if authorship.user_id else "",
        authorship.submission.language,
    ):
        if language in spoken:
            return language
    return edition.main_language if edition.main_language in spoken else spoken[0]


# --- The release ---------------------------------------------------------------------------------


def unreleased(edition: Edition, *, decided_before=None):
    """Decisions waiting to be sent: not sent yet, on papers still waiting for one (a paper withdrawn or
    rejected without review since it was decided is left out: its decision is moot)."""
    waiting = Decision.objects.filter(
        submission__edition=edition, released_at__isnull=True, submission__state__in=DECIDABLE
    )
    return waiting.filter(decided_at__lte=decided_before) if decided_before else waiting


@transaction.atomic
def start_release(*, edition: Edition, by) -> Release:
    """Queue the release of every decision not yet sent (a second click returns the running one)."""
    if not is_chair(edition, by):
        raise ValidationError(_("Only a chair of this edition can do this."), code="actor")
    Edition.objects.select_for_update().get(pk=edition.pk)
    running = Release.objects.filter(edition=edition, state__in=[State.QUEUED, State.RUNNING]).first()
    if running:
        return running
    total = unreleased(edition).count()
    if not total:
        raise ValidationError(
            _("Every decision has been sent already: there is nothing to release."), code="none"
        )
    release = Release.objects.create(edition=edition, requested_by=by, total=total)
    transaction.on_commit(lambda: _enqueue(release.pk))
    return release


def _enqueue(release_id: int) -> None:
    from .tasks import release_decisions

    try:
        release_decisions.delay(release_id)
    except BrokerError as exc:  # the sweeper hands it over again once the broker is back
        logger.warning("Release %s could not be queued: %s", release_id, exc)


def run_release(release_id: int) -> None:
    """The worker's side: release the decisions one by one, beating the heart after each."""
    stale = timezone.now() - timedelta(seconds=settings.RELEASE_STALE_SECONDS)
    claimed = (
        Release.objects.filter(pk=release_id)
        .filter(_claimable(stale))
        .update(state=State.RUNNING, heartbeat_at=timezone.now())
    )
    if not claimed:
        return  # done, or another worker is at it (its heart beats)
    release = Release.objects.select_related("edition").get(pk=release_id)
    # Only what the chair saw counted when they clicked: a decision taken or changed since waits.
    waiting = unreleased(release.edition, decided_before=release.created_at)
    for pk in list(waiting.order_by("pk").values_list("pk", flat=True)):
        outcome = release_one(pk, fallback_actor=release.requested_by, counted_in=release_id)
        Release.objects.filter(pk=release_id).update(heartbeat_at=timezone.now())
        if isinstance(outcome, dict):
            release.refresh_from_db(fields=["problems"])
            Release.objects.filter(pk=release_id).update(problems=[*release.problems, outcome])
    Release.objects.filter(pk=release_id).update(state=State.DONE, finished_at=timezone.now())


def _claimable(stale) -> Q:
    # Waiting, or running with a heart that stopped (its worker died): both may be taken up.
    return Q(state=State.QUEUED) | Q(state=State.RUNNING, heartbeat_at__lt=stale)


RELEASED, SKIPPED = "released", "skipped"


def release_one(decision_pk: int, *, fallback_actor=None, counted_in: int | None = None) -> str | dict:
    """Release one decision, once: RELEASED, SKIPPED (sent already, or moot), or a problem
    {"submission": pk, "number": n, "text": why}. A release's count (`counted_in`) goes up in the
    same transaction, so a worker killed between the two can never leave a decision uncounted.

    The paper moves in the name of whoever decided it (a chair, or the paper manager for a paper the
    chairs are in conflict with), or of the releasing chair if that person may no longer act on it.
    """
    found = Decision.objects.filter(pk=decision_pk).values("submission_id", "submission__number").first()
    if found is None:
        return SKIPPED
    try:
        with transaction.atomic():
            # The paper first, then its decision: the order deciding takes too, so the two never deadlock.
            Submission.objects.select_for_update(of=("self",)).get(pk=found["submission_id"])
            decision = (
                Decision.objects.select_for_update(of=("self",))
                .select_related("outcome", "submission__edition__series", "decided_by")
                .get(pk=decision_pk)
            )
            submission = decision.submission
            if decision.released_at or submission.state not in DECIDABLE:
                return SKIPPED
            decider = decision.decided_by
            actor = decider if decider and chairs_paper(submission, decider) else fallback_actor
            if submission.state == Submission.State.SUBMITTED:
                set_submission_state(submission, Submission.State.UNDER_REVIEW, by=actor)
            set_submission_state(submission, decision.outcome.maps_to, by=actor, note=_("Decision released"))
            for authorship in submission.authorships.select_related("user", "submission"):
                subject, text, language = render_mail(decision, authorship)
                queue_mail(
                    to=authorship.email, subject=subject, text=text, language=language, user=authorship.user,
                    key=f"decision:{decision.pk}:{authorship.pk}",
                )  # fmt: skip
            decision.released_at = timezone.now()
            decision.save(update_fields=["released_at"])
            if counted_in is not None:
                Release.objects.filter(pk=counted_in).update(released=F("released") + 1)
    except (ValidationError, ValueError, AttributeError) as problem:
        logger.warning("Decision %s not released: %s", decision_pk, problem)
        text = " ".join(getattr(problem, "messages", [str(problem)]))
        return {"submission": found["submission_id"], "number": found["submission__number"], "text": text}
    return RELEASED


def resume_stalled_releases() -> int:
    """The sweeper: hand over again releases whose worker died or whose task never reached a worker."""
    stale = timezone.now() - timedelta(seconds=settings.RELEASE_STALE_SECONDS)
    waiting = Release.objects.filter(_claimable(stale)).exclude(state=State.QUEUED, created_at__gte=stale)
    ids = list(waiting.values_list("pk", flat=True))
    for release_id in ids:
        _enqueue(release_id)
    return len(ids)
