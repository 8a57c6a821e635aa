"""A reviewer's pages in an edition: what they know (profile) and what they want to review (bids)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from conference.models import Edition
from submissions.models import Submission

from . import services
from .forms import CommentForm, DeclineForm, ReviewEditForm, ReviewerPaperFormSet, ReviewerProfileForm
from .models import Assignment, Bid, Comment, Review, ReviewerProfile, ReviewSettings
from .review_forms import review_form_for

BIDS_PER_PAGE = 25


def _edition_for_reviewer(request: HttpRequest, slug: str, year: int) -> Edition:
    """The edition, if the signed-in person reviews for it; 403 otherwise."""
    edition = get_object_or_404(Edition.objects.select_related("series"), series__slug=slug, year=year)
    if not services.is_reviewer(edition, request.user):
        raise PermissionDenied
    return edition


@login_required
def profile(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    edition = _edition_for_reviewer(request, slug, year)
    profile = ReviewerProfile.objects.filter(edition=edition, user=request.user).first() or ReviewerProfile(
        edition=edition,
        user=request.user,
        languages=[request.user.preferred_language or edition.main_language],
    )
    form = ReviewerProfileForm(request.POST or None, instance=profile)
    papers = ReviewerPaperFormSet(request.POST or None, instance=profile, prefix="papers")
    if request.method == "POST" and form.is_valid() and papers.is_valid():
        try:
            with transaction.atomic():
                form.save()
                papers.instance = form.instance
                papers.save()
        except IntegrityError:  # a double-clicked first save: the first click made the profile
            pass
        messages.success(request, _("Your reviewer profile is saved."))
        return redirect("reviews:bids", slug, year)
    return render(request, "reviews/profile.html", {"edition": edition, "form": form, "papers": papers})


@login_required
def bids(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    edition = _edition_for_reviewer(request, slug, year)
    papers = (
        services.biddable(edition=edition, user=request.user)
        .select_related("track", "submission_type")
        .prefetch_related("topics", "authorships")
        .order_by("number")
    )
    page = Paginator(papers, BIDS_PER_PAGE).get_page(request.GET.get("page"))
    if request.method == "POST":
        posted = {
            int(key.removeprefix("bid-")): value if value in Bid.Value.values else None
            for key, value in request.POST.items()
            if key.startswith("bid-") and key.removeprefix("bid-").isdigit()
        }
        services.save_bids(edition=edition, user=request.user, bids=posted)
        messages.success(request, _("Your bids are saved."))
        return redirect(f"{request.path}?page={page.number}")
    current = dict(
        Bid.objects.filter(reviewer=request.user, submission__in=page.object_list).values_list(
            "submission_id", "value"
        )
    )
    rows = [(paper, current.get(paper.pk, "")) for paper in page.object_list]
    context = {
        "edition": edition,
        "page": page,
        "rows": rows,
        "choices": [("", _("No preference")), *Bid.Value.choices],
        "show_authors": edition.blind_mode != Edition.BlindMode.DOUBLE,
        "has_profile": ReviewerProfile.objects.filter(edition=edition, user=request.user).exists(),
    }
    return render(request, "reviews/bids.html", context)


def _assignment_for_reviewer(request: HttpRequest, edition: Edition, number: int) -> Assignment:
    # 404, not 403: a reviewer must not learn that a paper they may not review exists.
    return get_object_or_404(
        Assignment.objects.for_reviewer(request.user).select_related(
            "submission__edition__series", "submission__track", "submission__submission_type"
        ),
        submission__edition=edition, submission__number=number,
    )  # fmt: skip


@login_required
def assignments(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    edition = _edition_for_reviewer(request, slug, year)
    mine = (
        Assignment.objects.for_reviewer(request.user)
        .filter(submission__edition=edition)
        .select_related("submission", "review")
        .order_by("submission__number")
    )
    return render(request, "reviews/assignments.html", {"edition": edition, "assignments": mine})


@login_required
def paper(request: HttpRequest, slug: str, year: int, number: int) -> HttpResponse:
    """The paper as its reviewer sees it (no author in double-blind), with the review form."""
    edition = _edition_for_reviewer(request, slug, year)
    assignment = _assignment_for_reviewer(request, edition, number)
    submission = assignment.submission
    review = Review.objects.filter(assignment=assignment).first()
    criteria = review_form_for(edition).criteria.all()
    form = ReviewEditForm(
        request.POST or None, criteria=criteria, review=review, fallback=edition.main_language
    )
    submit = "submit" in request.POST
    if request.method == "POST":
        if not submit:
            form.make_lenient()
        if form.is_valid():
            try:
                services.save_review(
                    assignment=assignment, by=request.user, data=form.review_data(), submit=submit,
                    revision=form.cleaned_data.get("revision"),
                )  # fmt: skip
            except ValidationError as refusal:
                form.add_error(None, refusal)
            else:
                messages.success(
                    request, _("Your review is submitted.") if submit else _("Your draft is saved.")
                )
                return redirect("reviews:paper", slug, year, number)
    context = {
        "edition": edition,
        "assignment": assignment,
        "submission": submission,
        "review": review,
        "form": form,
        "blind": edition.blind_mode == Edition.BlindMode.DOUBLE,
        "authors": submission.authorships.order_by("position")
        if edition.blind_mode != Edition.BlindMode.DOUBLE
        else [],
        "answers": submission.answers.filter(question__shown_to_reviewers=True).select_related("question"),
        "document": submission.documents.filter(kind="paper").order_by("-version").first(),
        "closed": services.reviewing_closed(edition),
        "decline_form": DeclineForm(),
        # The other reviews and the discussion open once this reviewer has submitted their own.
        **(
            _discussion_context(submission, request.user)
            if review and review.state == Review.State.SUBMITTED
            else {}
        ),
    }
    return render(request, "reviews/paper.html", context)


@login_required
def paper_pdf(request: HttpRequest, slug: str, year: int, number: int) -> FileResponse:
    """The paper's current PDF for its reviewer: in double-blind, the copy without author metadata."""
    edition = _edition_for_reviewer(request, slug, year)
    assignment = _assignment_for_reviewer(request, edition, number)
    document = assignment.submission.documents.filter(kind="paper").order_by("-version").first()
    if document is None:
        raise Http404
    blind = edition.blind_mode == Edition.BlindMode.DOUBLE
    stored = document.reviewer_file if blind and document.reviewer_file else document.file
    if blind and not document.reviewer_file:
        raise Http404  # never the authors' own file in double-blind
    response = FileResponse(
        stored.open("rb"), content_type="application/pdf", as_attachment="download" in request.GET,
        filename=f"{edition.year}-paper-{assignment.submission.number:03d}.pdf",
    )  # fmt: skip
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def decline(request: HttpRequest, slug: str, year: int, number: int) -> HttpResponse:
    edition = _edition_for_reviewer(request, slug, year)
    assignment = _assignment_for_reviewer(request, edition, number)
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            services.decline(assignment=assignment, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as refusal:
            messages.error(request, " ".join(refusal.messages))
            return redirect("reviews:paper", slug, year, number)
        messages.success(request, _("You declined this paper. The chairs are told."))
        return redirect("reviews:assignments", slug, year)
    messages.error(request, _("Say why you decline, so that the chairs can find someone else."))
    return redirect("reviews:paper", slug, year, number)


def _discussion_context(submission, viewer) -> dict:
    criteria = list(review_form_for(submission.edition).criteria.all())
    rows = services.reviews_for_discussion(submission, viewer)
    for row in rows:
        scores = row["review"].scores
        row["scores"] = [(criterion, scores.get(str(criterion.pk))) for criterion in criteria]
    settings = ReviewSettings.objects.filter(edition=submission.edition).first()
    return {
        "others": rows,
        "discussion": Comment.objects.filter(submission=submission).select_related("author"),
        "comment_form": CommentForm(),
        "reviewers_named": bool(settings and settings.reviewers_see_each_other),
    }


@login_required
def paper_reviews(request: HttpRequest, slug: str, year: int, number: int) -> HttpResponse:
    """A paper's reviews and discussion for the committee and chairs (404 for anyone in conflict)."""
    submission = get_object_or_404(
        Submission.objects.organised_by(request.user).select_related("edition__series"),
        edition__series__slug=slug, edition__year=year, number=number,
    )  # fmt: skip
    from .decision_views import decision_context

    context = {
        "edition": submission.edition,
        "submission": submission,
        **_discussion_context(submission, request.user),
        **decision_context(submission, request.user),
    }
    return render(request, "reviews/paper_reviews.html", context)


@login_required
@require_POST
def comment(request: HttpRequest, slug: str, year: int, number: int) -> HttpResponse:
    """Post to a paper's discussion: its organisers, or its reviewers once they have reviewed it."""
    organised = Submission.objects.organised_by(request.user).filter(
        edition__series__slug=slug, edition__year=year, number=number
    )
    reviewing = Submission.objects.filter(
        pk__in=Assignment.objects.for_reviewer(request.user).values("submission"),
        edition__series__slug=slug, edition__year=year, number=number,
    )  # fmt: skip
    submission = organised.first() or reviewing.first()
    if submission is None:
        raise Http404
    form = CommentForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Write a message first."))
        services.post_comment(submission=submission, by=request.user, text=form.cleaned_data["text"])
        messages.success(request, _("Your message is posted."))
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    if organised.exists():
        return redirect("reviews:paper_reviews", slug, year, number)
    return redirect("reviews:paper", slug, year, number)
