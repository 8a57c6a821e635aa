"""Reminders to reviewers with unfinished reviews: 7 days and 1 day before the review deadline, then
every 3 days after it until reviewing closes. At most one mail a day per person, whatever the number
of papers or calls, and never the same reminder twice (a task run twice sends once).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from conference.models import Edition
from notifications.services import queue_templated_mail
from submissions.models import Conflict

from .models import Assignment, ReminderLog, Review, ReviewSettings
from .services import REVIEWABLE_STATES

LATE_EVERY_DAYS = 3


def reminder_due(*, now: datetime, deadline: datetime) -> str | None:
    """Which reminder is due at `now` (only the latest one counts: a missed earlier one is not sent late)."""
    if now < deadline - timedelta(days=7):
        return None
    if now < deadline - timedelta(days=1):
        return "7d"
    if now < deadline:
        return "1d"
    return f"late-{1 + (now - deadline).days // LATE_EVERY_DAYS}"


def send_review_reminders(*, now: datetime | None = None) -> int:
    """Queue the reminders due now; returns how many mails were queued."""
    now = now or timezone.now()
    closed = ReviewSettings.objects.filter(reviewing_closed_at__lte=now).values("edition")
    editions = Edition.objects.filter(review_deadline__lte=now + timedelta(days=7)).exclude(pk__in=closed)
    sent = 0
    for edition in editions.select_related("series"):
        key = reminder_due(now=now, deadline=edition.review_deadline)
        if key is None:
            continue
        unfinished = defaultdict(list)
        for assignment in (
            Assignment.objects.active()
            .filter(submission__edition=edition, submission__state__in=REVIEWABLE_STATES)
            .exclude(review__state=Review.State.SUBMITTED)
            .select_related("reviewer", "submission")
            .order_by("submission__number")
        ):
            unfinished[assignment.reviewer].append(assignment.submission)
        for reviewer, papers in unfinished.items():
            conflicted = set(
                Conflict.objects.active().involving(reviewer).values_list("submission_id", flat=True)
            )
            papers = [paper for paper in papers if paper.pk not in conflicted]
            if papers and _remind(edition, reviewer, key, papers, now):
                sent += 1
    return sent


def _remind(edition: Edition, reviewer, key: str, papers, now: datetime) -> bool:
    link = settings.SITE_URL + reverse("reviews:assignments", args=[edition.series.slug, edition.year])
    try:
        with transaction.atomic():
            # The two unique constraints are the rule: one reminder of a kind, one mail a day.
            ReminderLog.objects.create(edition=edition, user=reviewer, key=key, sent_on=now.date())
            queue_templated_mail(
                to=reviewer.email,
                template="reviews/mail/reminder",
                context={
                    "reviewer": reviewer, "edition": edition, "papers": papers, "link": link,
                    "late": key.startswith("late"), "deadline": edition.review_deadline,
                    "zone": edition.get_time_zone_display(),
                },
                key=f"review-reminder:{edition.pk}:{reviewer.pk}:{key}",
                user=reviewer,
            )  # fmt: skip
    except IntegrityError:
        return False  # sent already, or this person had their mail for today
    return True
