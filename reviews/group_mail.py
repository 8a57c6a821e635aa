"""Group mail from a chair: to the authors of accepted papers, to reviewers with unfinished reviews,
or to the committee. Written once with placeholders, previewed for one recipient, sent through the
outbox (one row per person, keyed, so a second click sends nothing)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from conference.models import Edition, Role
from config.multilingual import localise
from notifications import placeholders
from notifications.placeholders import fill
from notifications.services import queue_mail
from submissions.models import Authorship, Submission

from .models import Assignment, GroupMail, Review
from .services import REVIEWABLE_STATES

Audience = GroupMail.Audience
PLACEHOLDERS = ["name", "edition", "link"]


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str
    user: object | None
    link: str  # where this person acts: their paper, their reviews, the ranking


def recipients(*, edition: Edition, audience: str, seen_by=None) -> list[Recipient]:
    """Who gets the mail, one entry per address: the whole group (a paper a chair is in conflict with
    still has authors to tell), or, with `seen_by`, only those from papers that person may see."""
    site, slug, year = settings.SITE_URL, edition.series.slug, edition.year
    visible = Submission.objects.filter(edition=edition)
    if seen_by is not None:
        visible = Submission.objects.organised_by(seen_by).filter(edition=edition)
    people: dict[str, Recipient] = {}
    if audience == Audience.ACCEPTED_AUTHORS:
        authors = (
            Authorship.objects.filter(submission__in=visible.filter(state__in=Submission.ACCEPTED_STATES))
            .select_related("user", "submission")
            .order_by("submission__number", "position")
        )
        for a in authors:
            link = site + reverse("submissions:detail", args=[slug, year, a.submission.number])
            people.setdefault(a.email.lower(), Recipient(a.email, a.name, a.user, link))
    elif audience == Audience.LATE_REVIEWERS:
        unfinished = (
            Assignment.objects.active()
            .filter(submission__in=visible.filter(state__in=REVIEWABLE_STATES))
            .exclude(review__state=Review.State.SUBMITTED)
            .select_related("reviewer")
            .order_by("reviewer__name")
        )
        link = site + reverse("reviews:assignments", args=[slug, year])
        for assignment in unfinished:
            reviewer = assignment.reviewer
            people.setdefault(
                reviewer.email.lower(), Recipient(reviewer.email, reviewer.name, reviewer, link)
            )
    elif audience == Audience.COMMITTEE:
        roles = Role.objects.filter(edition=edition, kind__in=[Role.Kind.CHAIR, Role.Kind.COMMITTEE])
        link = site + reverse("reviews:ranking", args=[slug, year])
        for role in roles.select_related("user").order_by("user__name"):
            people.setdefault(
                role.user.email.lower(), Recipient(role.user.email, role.user.name, role.user, link)
            )
    return list(people.values())


def render(*, edition: Edition, subject: str, body: str, recipient: Recipient) -> tuple[str, str]:
    values = {
        "name": recipient.name,
        "edition": localise(edition.title, fallback=edition.main_language),
        "link": recipient.link,
    }
    return " ".join(fill(subject, values).split()), fill(body, values)


def send(*, edition: Edition, audience: str, subject: str, body: str, by, token: str) -> GroupMail:
    """Queue the mail for every recipient; the same form (token) sent twice sends once."""
    if not edition.is_chaired_by(by):
        raise ValidationError(_("Only a chair of this edition can do this."), code="actor")
    placeholders.check(f"{subject} {body}", PLACEHOLDERS)
    people = recipients(edition=edition, audience=audience)
    if not people:
        raise ValidationError(_("Nobody is in this group yet: nothing was sent."), code="empty")
    try:
        with transaction.atomic():
            record = GroupMail.objects.create(
                edition=edition, audience=audience, subject=subject, body=body, token=token, sent_by=by,
                recipients=len(people),
            )  # fmt: skip
            for person in people:
                mail_subject, text = render(edition=edition, subject=subject, body=body, recipient=person)
                queue_mail(
                    to=person.email, subject=mail_subject, text=text, user=person.user,
                    key=f"group-mail:{record.pk}:{person.email.lower()}",
                )  # fmt: skip
    except IntegrityError:
        raise ValidationError(_("This mail has been sent already."), code="sent") from None
    return record
