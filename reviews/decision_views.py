"""The committee's pages for deciding: the ranking table (with bulk decisions and a CSV), and the
decision, votes and meta-review on a paper's reviews page."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from conference.models import Edition, Topic
from config.multilingual import localise
from config.pagination import paginate
from config.params import small_int
from submissions.exports import neutralised
from submissions.models import Submission
from submissions.services import chairs_paper, is_chair

from . import decisions
from .models import Decision, MetaReview, Vote
from .ranking import DEFAULT_SORT, FLAGS, SORTS, ranking

PER_PAGE = 100


def _edition_for_committee(request: HttpRequest, slug: str, year: int) -> Edition:
    edition = get_object_or_404(Edition.objects.select_related("series"), series__slug=slug, year=year)
    if not decisions.is_committee(edition, request.user):
        raise PermissionDenied
    return edition


def _filters(request: HttpRequest) -> dict:
    def number(name: str) -> int | None:
        value = request.GET.get(name, "")
        return int(value) if value.isdigit() else None

    sort = request.GET.get("sort", DEFAULT_SORT)
    return {
        "track": number("track"),
        "topic": number("topic"),
        "flag": request.GET.get("flag") if request.GET.get("flag") in FLAGS else "",
        "sort": sort if sort.lstrip("-") in SORTS else DEFAULT_SORT,
    }


@login_required
def ranking_table(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    edition = _edition_for_committee(request, slug, year)
    if request.method == "POST":
        _decide_in_bulk(request, edition)
        return redirect(request.get_full_path())
    filters = _filters(request)
    rows, settings = ranking(edition=edition, user=request.user, **filters)
    chair = is_chair(edition, request.user)
    manages = edition.paper_manager_id == request.user.pk
    context = {
        "edition": edition,
        **paginate(request, rows, PER_PAGE),
        "filters": filters,
        "settings": settings,
        "tracks": edition.tracks.all(),
        "topics": Topic.objects.for_edition(edition),
        "outcomes": decisions.outcomes_for(edition) if chair or manages else [],
        "decides": chair or manages,
        "query": request.GET.urlencode(),
        "sorts": {key: ("-" if key not in {"number", "title"} else "") + key for key in SORTS},
    }
    return render(request, "reviews/ranking.html", context)


def _decide_in_bulk(request: HttpRequest, edition: Edition) -> None:
    outcome = next(
        (o for o in decisions.outcomes_for(edition) if str(o.pk) == request.POST.get("outcome")), None
    )
    chosen = [pk for pk in request.POST.getlist("paper") if pk.isdigit()]
    if outcome is None or not chosen:
        messages.error(request, _("Tick at least one paper and choose a decision."))
        return
    papers = Submission.objects.organised_by(request.user).filter(edition=edition, pk__in=chosen)
    versions = [(paper, _int(request.POST.get(f"version-{paper.pk}"))) for paper in papers]
    done, refusals = decisions.decide_many(
        papers=versions, outcome=outcome, by=request.user, note=request.POST.get("note", "")[:5000]
    )
    if done:
        recorded = ngettext(
            "%(count)d decision recorded (not yet sent to authors).",
            "%(count)d decisions recorded (not yet sent to authors).",
            done,
        )
        messages.success(request, recorded % {"count": done})
    for refusal in refusals:
        messages.error(request, refusal)


def _int(value: str | None) -> int:
    return small_int(value) or 0


@login_required
def ranking_csv(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    edition = _edition_for_committee(request, slug, year)
    rows, settings = ranking(edition=edition, user=request.user, **_filters(request))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{edition.series.slug}-{edition.year}-ranking.csv"'
    )
    response.write("\ufeff")  # Excel reads UTF-8 only with its mark
    writer = csv.writer(response)
    header = [
        _("Number"), _("Title"), _("Track"), _("Reviews done"), _("Reviews expected"), _("Mean"), _("Median"),
        _("Confidence-weighted mean"), _("Weighted total"), _("Spread"), _("Disagreement"),
    ]  # fmt: skip
    if settings.calibration:
        header.append(_("Calibrated"))
    header += [_("Votes to accept"), _("Votes to reject"), _("Abstentions"), _("Decision"), _("Released")]
    writer.writerow(header)

    def number(value) -> str:
        return "" if value is None else number_format(value, 2)

    for row in rows:
        stats, paper = row.stats, row.paper
        track = localise(paper.track.name, fallback=edition.main_language) if paper.track else ""
        line = [
            paper.number, paper.title, track, stats.done, stats.expected, number(stats.mean),
            number(stats.median), number(stats.confident_mean), number(stats.weighted_total),
            number(stats.spread), _("yes") if stats.disagreement else "",
        ]  # fmt: skip
        if settings.calibration:
            line.append(number(stats.calibrated))
        decision = row.decision
        line += [row.votes["accept"], row.votes["reject"], row.votes["abstain"],
                 localise(decision.outcome.name, fallback=edition.main_language) if decision else "",
                 _("yes") if decision and decision.released_at else ""]  # fmt: skip
        writer.writerow([neutralised(cell) for cell in line])  # a title like "=HYPERLINK(…)" stays text
    return response


# --- On a paper's reviews page --------------------------------------------------------------------


def decision_context(submission: Submission, user) -> dict:
    """What the paper's reviews page shows of the decision phase to a committee member or chair."""
    edition = submission.edition
    deciding = chairs_paper(submission, user)
    meta = MetaReview.objects.filter(submission=submission).select_related("lead").first()
    decision = Decision.objects.filter(submission=submission).select_related("outcome", "decided_by").first()
    committee = []
    if deciding:
        from conference.models import Role

        organisers = Role.objects.filter(edition=edition, kind__in=[Role.Kind.CHAIR, Role.Kind.COMMITTEE])
        candidates = get_user_model().objects.filter(pk__in=organisers.values("user")).order_by("name")
        committee = [person for person in candidates if Submission.objects.organised_by(person).filter(
            pk=submission.pk).exists()]  # fmt: skip
    return {
        "is_committee": decisions.is_committee(edition, user),
        "deciding": deciding,
        "decision": decision,
        "outcomes": decisions.outcomes_for(edition) if deciding else [],
        "votes": Vote.objects.filter(submission=submission).select_related("voter").order_by("updated_at"),
        "my_vote": Vote.objects.filter(submission=submission, voter=user).first(),
        "vote_values": Vote.Value.choices,
        "meta": meta,
        "leads_it": bool(meta and meta.lead_id == user.pk),
        "committee": committee,
    }


def _paper_for_committee(request: HttpRequest, slug: str, year: int, number: int) -> Submission:
    return get_object_or_404(
        Submission.objects.organised_by(request.user).select_related("edition__series"),
        edition__series__slug=slug, edition__year=year, number=number,
    )  # fmt: skip


def _act(request: HttpRequest, action, success: str) -> None:
    """Run `action`; say `success`, or why it was refused."""
    try:
        action()
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(request, success)


@login_required
@require_POST
def decide(request: HttpRequest, slug: str, year: int, number: int) -> HttpResponse:
    submission = _paper_for_committee(request, slug, year, number)
    outcome = next(
        (o for o in decisions.outcomes_for(submission.edition) if str(o.pk) == request.POST.get("outcome")),
        None,
    )
    if outcome is None:
        messages.error(request, _("Choose a decision."))
    else:
        version, note = _int(request.POST.get("version")), request.POST.get("note", "")[:5000]
        _act(
            request,
            lambda: decisions.decide(
                submission=submission, outcome=outcome, by=request.user, version=version, note=note
            ),
            _("The decision is recorded. Authors are told when the chair releases the decisions."),
        )
    return redirect("reviews:paper_reviews", slug, year, number)


@login_required
@require_POST
def vote(request: HttpRequest, slug: str, year: int, number: int) -> HttpResponse:
    submission = _paper_for_committee(request, slug, year, number)
    value, comment = request.POST.get("value", ""), request.POST.get("comment", "")[:5000]
    _act(
        request,
        lambda: decisions.vote(submission=submission, by=request.user, value=value, comment=comment),
        _("Your vote is recorded."),
    )
    return redirect("reviews:paper_reviews", slug, year, number)


@login_required
@require_POST
def meta_review(request: HttpRequest, slug: str, year: int, number: int) -> HttpResponse:
    submission = _paper_for_committee(request, slug, year, number)
    if "lead" in request.POST:
        lead = get_user_model().objects.filter(pk=_int(request.POST["lead"])).first()
        if lead is None:
            messages.error(request, _("Choose a committee member."))
        else:
            _act(
                request,
                lambda: decisions.set_lead(submission=submission, lead=lead, by=request.user),
                _("%(name)s leads the discussion of this paper.") % {"name": lead.name},
            )
    else:
        text = request.POST.get("text", "")[:10000]
        _act(
            request,
            lambda: decisions.write_meta_review(submission=submission, by=request.user, text=text),
            _("The meta-review is saved."),
        )
    return redirect("reviews:paper_reviews", slug, year, number)
