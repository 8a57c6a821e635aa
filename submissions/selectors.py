"""Reads for a chair's pages: the papers of an edition a person may see, filtered, searched and sorted."""

from __future__ import annotations

from dataclasses import dataclass, fields

from django.db.models import Count, Q
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from accounts.models import Organisation
from conference.models import Edition

from .models import Authorship, Submission, SubmissionQuerySet

# ?sort=… -> the ordering it stands for; the number breaks ties so pages never overlap.
SORTS = {
    "number": ("number",),
    "-number": ("-number",),
    "title": ("title", "number"),
    "-title": ("-title", "number"),
    "updated": ("updated_at", "number"),
    "-updated": ("-updated_at", "number"),
    "state": ("state", "number"),
}
SORT_LABELS = {
    "number": _("Number, first to last"),
    "-number": _("Number, last to first"),
    "title": _("Title, A to Z"),
    "-title": _("Title, Z to A"),
    "updated": _("Last change, oldest first"),
    "-updated": _("Last change, newest first"),
    "state": _("State"),
}
DEFAULT_SORT = "number"


@dataclass(frozen=True)
class SubmissionFilters:
    """The filters that were applied, each as given in the query string ("" when unset or not valid)."""

    state: str = ""
    track: str = ""
    type: str = ""
    topic: str = ""
    country: str = ""
    org_kind: str = ""
    q: str = ""
    sort: str = DEFAULT_SORT

    @property
    def any(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self) if f.name != "sort")


def _pk(value: str) -> str:
    return value if value.isdigit() else ""


def edition_submissions(*, edition: Edition, user) -> SubmissionQuerySet:
    """Every paper of the edition this person sees as an organiser that has been sent in (no drafts)."""
    # What the roles show (drafts, the person's own papers and conflicts left out): a chair who is
    # also an author finds their own paper under "My papers", never in the list they chair.
    return Submission.objects.organised_by(user).filter(edition=edition).exclude(state=Submission.State.DRAFT)


def chair_submissions(
    *, edition: Edition, user, params: QueryDict
) -> tuple[SubmissionQuerySet, SubmissionFilters]:
    """The edition's papers `user` may see, narrowed by the GET parameters, with what a list row shows.

    Unknown or malformed parameters are ignored, never an error. Each row comes once, with
    `author_count`; authors (in order), topics and documents are prefetched, so listing any number
    of rows costs the same number of queries.
    """
    filters = SubmissionFilters(
        state=params.get("state", "") if params.get("state") in Submission.State.values else "",
        track=_pk(params.get("track", "")),
        type=_pk(params.get("type", "")),
        topic=_pk(params.get("topic", "")),
        country=params.get("country", "").strip().upper()[:2],
        org_kind=params.get("org_kind", "") if params.get("org_kind") in Organisation.Kind.values else "",
        q=params.get("q", "").strip()[:200],
        sort=params.get("sort") if params.get("sort") in SORTS else DEFAULT_SORT,
    )
    papers = Submission.objects.organised_by(user).filter(edition=edition)
    # Drafts are listed only when asked for ("Draft" in the state filter): the list is what was sent in.
    papers = (
        papers.filter(state=filters.state) if filters.state else papers.exclude(state=Submission.State.DRAFT)
    )
    if filters.track:
        papers = papers.filter(track_id=filters.track)
    if filters.type:
        papers = papers.filter(submission_type_id=filters.type)
    # Filters over authors and topics are subqueries: a paper matching twice still shows once, and
    # the author count is not narrowed to the matching authors.
    if filters.topic:
        tagged = Submission.topics.through.objects.filter(topic_id=filters.topic).values("submission_id")
        papers = papers.filter(pk__in=tagged)
    if filters.country:
        papers = papers.filter(pk__in=Authorship.objects.filter(country=filters.country).values("submission"))
    if filters.org_kind:
        papers = papers.filter(
            pk__in=Authorship.objects.filter(user__organisation__kind=filters.org_kind).values("submission")
        )
    if filters.q:
        text = filters.q
        by_author = Authorship.objects.filter(
            Q(name__icontains=text) | Q(email__icontains=text) | Q(affiliation__icontains=text)
        ).values("submission")
        papers = papers.filter(Q(title__icontains=text) | Q(abstract__icontains=text) | Q(pk__in=by_author))
    papers = (
        papers.with_details()
        .annotate(author_count=Count("authorships", distinct=True))
        .order_by(*SORTS[filters.sort])
    )
    return papers, filters


def author_countries(*, edition: Edition, user) -> list[tuple[str, str]]:
    """(code, name) of the authors' countries in the papers this person may see, for a filter; one query."""
    codes = (
        Authorship.objects.filter(submission__in=edition_submissions(edition=edition, user=user))
        .exclude(country="")
        .order_by("country")  # not the model's ordering, which DISTINCT would take in and defeat
        .values_list("country", flat=True)
        .distinct()
    )
    return sorted(((code, countries.name(code)) for code in codes), key=lambda pair: pair[1])
