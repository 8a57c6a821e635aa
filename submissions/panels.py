"""The chair dashboard's submissions panel: papers by state that this chair may see, in one query."""

from django.db.models import Count
from django.utils.translation import gettext_lazy

from conference.dashboard import register_chair_page, register_panel

from .models import Submission


@register_panel("submissions", template="submissions/chair/panel.html", order=20)
def submissions_panel(edition, user) -> dict:
    counts = dict(
        Submission.objects.organised_by(user)
        .filter(edition=edition)
        .values_list("state")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {
        "by_state": [(state, label, counts.get(state, 0)) for state, label in Submission.State.choices],
        # Drafts are counted apart: they were started, not sent in.
        "total": sum(n for state, n in counts.items() if state != Submission.State.DRAFT),
    }


register_chair_page("submissions:chair_list", gettext_lazy("Submissions"), order=40)
