"""The decision phase: outcomes, the chair's decisions (optimistic concurrency), votes, meta-reviews.

Decisions stay internal until released: deciding never touches the paper's state; the release
(reviews.release) moves the paper and tells its authors, once.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from conference.models import Edition, Role
from submissions.models import Submission
from submissions.services import chairs_paper

from .models import Decision, MetaReview, Outcome, Vote

# Papers a decision can be taken on: sent in, and not already out of the running.
DECIDABLE = [Submission.State.SUBMITTED, Submission.State.UNDER_REVIEW]

DEFAULT_OUTCOMES = [
    ({"en": "Accept", "fr": "Accepter", "es": "Aceptar"}, Outcome.MapsTo.ACCEPTED),
    ({"en": "Accept as poster", "fr": "Accepter comme poster", "es": "Aceptar como póster"},
     Outcome.MapsTo.ACCEPTED),
    ({"en": "Reject", "fr": "Refuser", "es": "Rechazar"}, Outcome.MapsTo.REJECTED),
]  # fmt: skip


class StaleDecision(ValidationError):
    """Someone else decided the paper since this person loaded the page."""


def outcomes_for(edition: Edition) -> list[Outcome]:
    """The edition's outcomes, made with the defaults the first time they are needed."""
    outcomes = list(Outcome.objects.filter(edition=edition))
    if outcomes:
        return outcomes
    with transaction.atomic():
        Edition.objects.select_for_update().get(pk=edition.pk)  # two first visits make one set
        if not Outcome.objects.filter(edition=edition).exists():
            Outcome.objects.bulk_create(
                Outcome(edition=edition, name=name, maps_to=maps_to, position=position)
                for position, (name, maps_to) in enumerate(DEFAULT_OUTCOMES)
            )
    return list(Outcome.objects.filter(edition=edition))


def is_committee(edition: Edition, user) -> bool:
    """Chairs and committee members of the edition (and staff): who sees rankings, votes and meta-reviews."""
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    kinds = [Role.Kind.CHAIR, Role.Kind.COMMITTEE]
    return Role.objects.filter(edition=edition, user=user, kind__in=kinds).exists()


@transaction.atomic
def decide(*, submission: Submission, outcome: Outcome, by, version: int, note: str = "") -> Decision:
    """Record (or change) the decision on a paper, if nobody changed it since `version` was read.

    `version` is the decision's version on the page the person decided from (0: there was none).
    """
    locked = (
        Submission.objects.select_for_update(of=("self",)).select_related("edition").get(pk=submission.pk)
    )
    if not chairs_paper(locked, by):
        raise ValidationError(
            _("Only a chair who is not in conflict with the paper, or its paper manager, can decide it."),
            code="actor",
        )
    if outcome.edition_id != locked.edition_id:
        raise ValidationError(_("This outcome belongs to another call."), code="outcome")
    current = Decision.objects.filter(submission=locked).select_related("outcome", "decided_by").first()
    if (current.version if current else 0) != version:
        raise StaleDecision(
            _("Paper %(number)d was decided by someone else while you were looking (now: “%(outcome)s”, "
              "by %(name)s). Nothing was changed: check it and decide again.")
            % {"number": locked.number, "outcome": current.outcome if current else "—",
               "name": current.decided_by.name if current and current.decided_by else "—"},
            code="stale",
        )  # fmt: skip
    if current and current.released_at:
        raise ValidationError(
            _("The decision on paper %(number)d has been sent to its authors: it can no longer change.")
            % {"number": locked.number},
            code="released",
        )
    if locked.state not in DECIDABLE:
        raise ValidationError(
            _("Paper %(number)d is “%(state)s”: there is nothing to decide.")
            % {"number": locked.number, "state": locked.get_state_display()},
            code="state",
        )
    now = timezone.now()
    if current is None:
        return Decision.objects.create(
            submission=locked, outcome=outcome, note=note, decided_by=by, decided_at=now
        )
    current.outcome, current.note, current.decided_by, current.decided_at = outcome, note, by, now
    current.version += 1
    current.save(update_fields=["outcome", "note", "decided_by", "decided_at", "version"])
    return current


def decide_many(
    *, papers: list[tuple[Submission, int]], outcome: Outcome, by, note: str = ""
) -> tuple[int, list[str]]:
    """Decide each (paper, version read) on its own: one refusal never undoes the others.

    Returns how many were decided and the reason for each refusal.
    """
    done, refusals = 0, []
    for submission, version in papers:
        try:
            decide(submission=submission, outcome=outcome, by=by, version=version, note=note)
        except ValidationError as refusal:
            refusals.extend(refusal.messages)
        else:
            done += 1
    return done, refusals


@transaction.atomic
def vote(*, submission: Submission, by, value: str, comment: str = "") -> Vote:
    """A committee member's vote (one each; voting again changes it) until the decision is released."""
    if not Submission.objects.organised_by(by).filter(pk=submission.pk).exists() or not is_committee(
        submission.edition, by
    ):
        raise ValidationError(_("Only committee members who may see the paper can vote on it."), code="actor")
    if Decision.objects.filter(submission=submission, released_at__isnull=False).exists():
        raise ValidationError(
            _("The decision has been sent to the authors: votes are closed."), code="released"
        )
    if value not in Vote.Value.values:
        raise ValidationError(_("Choose accept, reject or abstain."), code="value")
    try:
        with transaction.atomic():
            ballot, _created = Vote.objects.update_or_create(
                submission=submission, voter=by, defaults={"value": value, "comment": comment.strip()}
            )
    except IntegrityError:  # the same person voting twice at once: the second one updates
        ballot = Vote.objects.get(submission=submission, voter=by)
        ballot.value, ballot.comment = value, comment.strip()
        ballot.save(update_fields=["value", "comment", "updated_at"])
    return ballot


@transaction.atomic
def set_lead(*, submission: Submission, lead, by) -> MetaReview:
    """A chair names the committee member who leads the paper's discussion and writes its meta-review."""
    if not chairs_paper(submission, by):
        raise ValidationError(
            _("Only a chair who is not in conflict with the paper can do this."), code="actor"
        )
    if not (is_committee(submission.edition, lead) and Submission.objects.organised_by(lead).filter(
        pk=submission.pk
    ).exists()):  # fmt: skip
        raise ValidationError(
            _("%(name)s cannot lead this paper's discussion: not on the committee, or in conflict with it.")
            % {"name": lead.name},
            code="lead",
        )
    meta, _created = MetaReview.objects.select_for_update().get_or_create(submission=submission)
    meta.lead = lead
    meta.save(update_fields=["lead", "updated_at"])
    return meta


@transaction.atomic
def write_meta_review(*, submission: Submission, by, text: str) -> MetaReview:
    meta = MetaReview.objects.select_for_update().filter(submission=submission).first()
    if meta is None or meta.lead_id != by.pk:
        raise ValidationError(_("Only the paper's discussion lead writes its meta-review."), code="actor")
    if not Submission.objects.organised_by(by).filter(pk=submission.pk).exists():
        raise ValidationError(_("Only the paper's discussion lead writes its meta-review."), code="actor")
    meta.text = text.strip()
    meta.save(update_fields=["text", "updated_at"])
    return meta
