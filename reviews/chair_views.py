"""A chair's view of the conflicts of interest in an edition: find them, add one, dismiss one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from conference.models import Edition, Topic
from conference.views import _edition_for_chair
from submissions.models import Conflict, Submission

from . import auto_assign as auto_assign_service
from . import conflicts, services
from .forms import AddConflictForm, CriterionFormSet, DismissConflictForm, ReviewSettingsForm
from .models import Assignment, AssignmentRun, Bid, Review, ReviewSettings
from .review_forms import review_form_for

PER_PAGE = 100


def _conflicts_for(request: HttpRequest, edition):
    # Only conflicts on papers this chair may see: one in conflict with a paper never learns who else is.
    papers = Submission.objects.organised_by(request.user).filter(edition=edition)
    return Conflict.objects.filter(submission__in=papers).select_related(
        "submission__edition__series", "user", "organisation", "dismissed_by", "created_by"
    )


@login_required
def conflict_list(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    edition = _edition_for_chair(request, slug, year)
    form = AddConflictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        paper = (
            Submission.objects.organised_by(request.user)
            .filter(edition=edition, number=form.cleaned_data["number"])
            .first()
        )
        person = get_user_model().objects.filter(email__iexact=form.cleaned_data["email"]).first()
        if paper is None:
            form.add_error("number", _("No paper with this number that you may see."))
        elif person is None:
            form.add_error("email", _("Nobody with this address has an account."))
        else:
            conflicts.add_conflict(
                submission=paper, user=person, reason=form.cleaned_data["reason"], by=request.user
            )
            messages.success(request, _("The conflict is recorded: the paper is hidden from this person."))
            return redirect("reviews:conflicts", slug, year)
    rows = _conflicts_for(request, edition).order_by("submission__number", "kind", "id")
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    context = {"edition": edition, "form": form, "page": page, "dismiss_form": DismissConflictForm()}
    return render(request, "reviews/chair/conflicts.html", context)


@login_required
@require_POST
def detect(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    edition = _edition_for_chair(request, slug, year)
    counts = conflicts.detect_conflicts(edition=edition)
    messages.success(request, _("Conflicts checked: %(added)d found, %(removed)d no longer hold.") % counts)
    return redirect("reviews:conflicts", slug, year)


@login_required
@require_POST
def dismiss(request: HttpRequest, slug: str, year: int, pk: int) -> HttpResponse:
    edition = _edition_for_chair(request, slug, year)
    conflict = get_object_or_404(_conflicts_for(request, edition), pk=pk)
    form = DismissConflictForm(request.POST)
    if form.is_valid():
        conflicts.dismiss_conflict(conflict=conflict, reason=form.cleaned_data["reason"], by=request.user)
        messages.success(request, _("The conflict is dismissed; the reason is kept."))
    else:
        messages.error(request, _("Say why the conflict does not hold: the reason is kept in the log."))
    return redirect("reviews:conflicts", slug, year)


@login_required
def assignment_board(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """Coverage per paper and load per reviewer, with manual assignment and unassignment."""
    edition = _edition_for_chair(request, slug, year)
    if request.method == "POST":
        _act_on_assignment(request, edition)
        return redirect(f"{request.path}?page={request.POST.get('page', 1)}")
    needed = edition.reviews_per_paper
    papers = (
        Submission.objects.organised_by(request.user)
        .filter(edition=edition, state__in=services.REVIEWABLE_STATES)
        .select_related("edition__series")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("reviewer", "review").order_by("reviewer__name"),
            )
        )
        .order_by("number")
    )
    page = Paginator(papers, PER_PAGE).get_page(request.GET.get("page"))
    reviewers = services.reviewer_loads(edition=edition)
    excluded = services.excluded_pairs(
        papers=list(page.object_list), reviewers=[r["user"] for r in reviewers]
    )
    rows = []
    for paper in page.object_list:
        active = [a for a in paper.assignments.all() if a.state == Assignment.State.ASSIGNED]
        declined = [a for a in paper.assignments.all() if a.state == Assignment.State.DECLINED]
        taken = {a.reviewer_id for a in paper.assignments.all()}
        # Only people who may take the paper are offered: not on it already, not in conflict, not an author.
        candidates = [
            r for r in reviewers if r["user"].pk not in taken and (paper.pk, r["user"].pk) not in excluded
        ]
        missing = max(0, needed - len(active))
        rows.append(
            {
                "paper": paper,
                "active": active,
                "declined": declined,
                "candidates": candidates,
                "missing": missing,
            }
        )
    context = {"edition": edition, "page": page, "rows": rows, "reviewers": reviewers, "needed": needed}
    return render(request, "reviews/chair/assignments.html", context)


def _act_on_assignment(request: HttpRequest, edition, papers=None) -> None:
    """Assign, unassign, lock or unlock on one of `papers` (by default, those the chair may organise)."""
    action = request.POST.get("action")
    if papers is None:
        papers = Submission.objects.organised_by(request.user)
    paper = papers.filter(edition=edition, pk=request.POST.get("paper") or 0).first()
    if paper is None:
        messages.error(request, _("This paper is not one you can assign."))
        return
    try:
        if action == "assign":
            reviewer = get_user_model().objects.filter(pk=request.POST.get("reviewer") or 0).first()
            if reviewer is None:
                messages.error(request, _("Choose a reviewer."))
                return
            services.assign(submission=paper, reviewer=reviewer, by=request.user, locked=True)
            messages.success(
                request,
                _("%(name)s now reviews paper %(number)d.") % {"name": reviewer.name, "number": paper.number},
            )
        elif action == "unassign":
            assignment = get_object_or_404(
                Assignment, pk=request.POST.get("assignment") or 0, submission=paper
            )
            services.unassign(assignment=assignment, by=request.user)
            messages.success(request, _("The assignment is removed."))
        elif action in ("lock", "unlock"):
            Assignment.objects.filter(pk=request.POST.get("assignment") or 0, submission=paper).update(
                locked=action == "lock"
            )
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))


def _run_for(request: HttpRequest, edition, pk: int) -> AssignmentRun:
    # Only the chair who asked for a run sees its proposal: it names papers they may see, and no other.
    return get_object_or_404(AssignmentRun, pk=pk, edition=edition, requested_by=request.user)


@login_required
def auto_assign(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    edition = _edition_for_chair(request, slug, year)
    if request.method == "POST":
        try:
            run = auto_assign_service.request_run(edition=edition, by=request.user)
        except ValidationError as refusal:
            messages.error(request, " ".join(refusal.messages))
            return redirect("reviews:auto_assign", slug, year)
        return redirect("reviews:auto_assign_run", slug, year, run.pk)
    runs = AssignmentRun.objects.filter(edition=edition, requested_by=request.user)[:10]
    return render(request, "reviews/chair/auto_assign.html", {"edition": edition, "runs": runs})


@login_required
def auto_assign_run(request: HttpRequest, slug: str, year: int, pk: int) -> HttpResponse:
    edition = _edition_for_chair(request, slug, year)
    run = _run_for(request, edition, pk)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "apply":
                counts = auto_assign_service.apply_run(run=run, by=request.user)
                messages.success(
                    request,
                    _("%(made)d assignments made; %(skipped)d skipped because they became impossible.")
                    % counts,
                )
                return redirect("reviews:assignment_board", slug, year)
            if request.POST.get("action") == "discard":
                auto_assign_service.discard_run(run=run, by=request.user)
                messages.info(request, _("The proposal is discarded; nothing was changed."))
                return redirect("reviews:auto_assign", slug, year)
        except ValidationError as refusal:
            messages.error(request, " ".join(refusal.messages))
        return redirect("reviews:auto_assign_run", slug, year, pk)
    segments = [index < run.progress // 5 for index in range(20)]
    context = {"edition": edition, "run": run, "segments": segments, **_preview(run, request.user)}
    return render(request, "reviews/chair/auto_assign_run.html", context)


def _preview(run: AssignmentRun, viewer) -> dict:
    """The proposal per paper and per reviewer, with names (two queries). A paper the viewer came into
    conflict with since the run was computed is left out (applying skips it too)."""
    if not run.proposal:
        return {"by_paper": [], "by_reviewer": []}
    visible = Submission.objects.organised_by(viewer).filter(pk__in={row["paper"] for row in run.proposal})
    papers = {s.pk: s for s in visible}
    people = {
        u.pk: u for u in get_user_model().objects.filter(pk__in={row["reviewer"] for row in run.proposal})
    }
    topics = {
        t.pk: t
        for t in Topic.objects.filter(
            pk__in={t for row in run.proposal for t in row["reason"]["shared_topics"]}
        )
    }
    by_paper: dict[int, list] = {}
    by_reviewer: dict[int, int] = {}
    for row in run.proposal:
        if row["paper"] not in papers:
            continue
        reason = row["reason"]
        entry = {
            "reviewer": people.get(row["reviewer"]),
            "bid": Bid.Value(reason["bid"]).label if reason.get("bid") in Bid.Value.values else _("no bid"),
            "topics": [str(topics[t]) for t in reason["shared_topics"] if t in topics],
            "similar": reason.get("most_similar"),
            "score": reason.get("score", 0),
        }
        by_paper.setdefault(row["paper"], []).append(entry)
        by_reviewer[row["reviewer"]] = by_reviewer.get(row["reviewer"], 0) + 1
    return {
        "by_paper": sorted(
            ((papers[pk], entries) for pk, entries in by_paper.items() if pk in papers),
            key=lambda item: item[0].number,
        ),  # fmt: skip
        "by_reviewer": sorted(
            ((people[pk], count) for pk, count in by_reviewer.items() if pk in people),
            key=lambda item: item[0].name,
        ),  # fmt: skip
    }


@login_required
def review_settings(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    edition = _edition_for_chair(request, slug, year)
    settings = ReviewSettings.for_edition(edition)
    form = ReviewSettingsForm(request.POST or None, instance=settings)
    if request.method == "POST" and "close" in request.POST:
        services.set_reviewing_closed(edition=edition, closed=request.POST["close"] == "1", by=request.user)
        messages.success(
            request,
            _("Reviewing is closed.") if request.POST["close"] == "1" else _("Reviewing is open again."),
        )
        return redirect("reviews:settings", slug, year)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            edition.paper_manager = form.cleaned_data["paper_manager"]
            edition.save(update_fields=["paper_manager", "updated_at"])
        messages.success(request, _("The review settings are saved."))
        return redirect("reviews:settings", slug, year)
    context = {
        "edition": edition,
        "form": form,
        "closed": services.reviewing_closed(edition),
        "settings": settings,
    }
    return render(request, "reviews/chair/settings.html", context)


@login_required
def review_form(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """The criteria reviewers score: names, descriptions, weights and scales in the edition's languages."""
    edition = _edition_for_chair(request, slug, year)
    form = review_form_for(edition)
    reviewed = Review.objects.filter(assignment__submission__edition=edition).exists()
    formset = CriterionFormSet(
        request.POST or None, instance=form, prefix="criteria", reviewed=reviewed,
        form_kwargs={"edition": edition},
    )  # fmt: skip
    if request.method == "POST" and formset.is_valid():
        with transaction.atomic():
            formset.save()
        messages.success(request, _("The review form is saved."))
        return redirect("reviews:form", slug, year)
    context = {"edition": edition, "formset": formset, "reviewed": reviewed}
    return render(request, "reviews/chair/form.html", context)


@login_required
def managed_papers(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """The paper manager's list: papers a chair is in conflict with, which they handle instead."""
    edition = get_object_or_404(Edition.objects.select_related("series"), series__slug=slug, year=year)
    if edition.paper_manager_id != request.user.pk:
        raise PermissionDenied
    managed = Submission.objects.managed_by(request.user).filter(edition=edition)
    if request.method == "POST":
        _act_on_assignment(request, edition, papers=managed)
        return redirect("reviews:managed", slug, year)
    papers = (
        managed.exclude(state=Submission.State.DRAFT)
        .select_related("edition__series")
        .prefetch_related(
            Prefetch("assignments", queryset=Assignment.objects.select_related("reviewer", "review"))
        )
        .order_by("number")
    )
    reviewers = services.reviewer_loads(edition=edition)
    excluded = services.excluded_pairs(papers=list(papers), reviewers=[r["user"] for r in reviewers])
    rows = [
        {
            "paper": paper,
            "active": [a for a in paper.assignments.all() if a.state == Assignment.State.ASSIGNED],
            "candidates": [r for r in reviewers if (paper.pk, r["user"].pk) not in excluded
                           and r["user"].pk not in {a.reviewer_id for a in paper.assignments.all()}],
        }
        for paper in papers
    ]  # fmt: skip
    return render(request, "reviews/managed.html", {"edition": edition, "rows": rows})
