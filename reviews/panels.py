"""The chair dashboard's review panel: reviews done and due on the papers this chair may see."""

from django.db.models import Count, Q

from conference.dashboard import register_panel
from submissions.models import Submission

from .models import Assignment, Review


@register_panel("reviews", template="reviews/chair/panel.html", order=30)
def reviews_panel(edition, user) -> dict:
    papers = Submission.objects.organised_by(user).filter(edition=edition)
    counts = (
        Assignment.objects.active()
        .filter(submission__in=papers)
        .aggregate(
            assigned=Count("id"),
            done=Count("id", filter=Q(review__state=Review.State.SUBMITTED)),
            late=Count("id", filter=Q(review__late=True)),
        )
    )
    return {**counts, "due": counts["assigned"] - counts["done"], "needed": edition.reviews_per_paper}


@register_panel("decisions", template="reviews/chair/panel_decisions.html", order=35)
def decisions_panel(edition, user) -> dict:
    from .decisions import DECIDABLE
    from .models import Decision

    papers = Submission.objects.organised_by(user).filter(edition=edition)
    decided = Decision.objects.filter(submission__in=papers).aggregate(
        taken=Count("id"), released=Count("id", filter=Q(released_at__isnull=False))
    )
    waiting = papers.filter(state__in=DECIDABLE).exclude(decision__isnull=False).count()
    return {**decided, "undecided": waiting}
