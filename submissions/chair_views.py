"""A chair's pages for the papers of their edition: the list, exports, the ZIP, and per-paper actions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from accounts.models import Organisation
from conference.models import Edition, Topic
from conference.views import _edition_for_chair
from config.pagination import paginate

from . import archives, exports, selectors, services
from .forms import ExtensionForm, NoteForm
from .models import Archive, Document, Submission
from .views import _visible_submission


def _chaired_submission(request: HttpRequest, slug: str, year: int, number: int) -> Submission:
    """The paper, for a chair acting on it: 403 for people who do not chair the edition, 404 for a
    chair in conflict with it or among its authors (a chair never judges their own paper)."""
    submission = _visible_submission(request, slug, year, number)
    if not (
        services.is_chair(submission.edition, request.user)
        or services.manages_paper(submission, request.user)
    ):
        raise PermissionDenied
    if not services.chairs_paper(submission, request.user):
        raise Http404
    return submission


@login_required
def desk_reject(request: HttpRequest, slug: str, year: int, number: int) -> HttpResponse:
    submission = _chaired_submission(request, slug, year, number)
    form = NoteForm(
        request.POST or None,
        label=_("Note to the authors"),
        help_text=_("Mailed to every author: say why the paper is not sent to review."),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.desk_reject(submission=submission, by=request.user, note=form.cleaned_data["note"])
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(request, _("The paper is rejected and its authors are told."))
            return redirect(submission.get_absolute_url())
    return render(
        request, "submissions/chair/desk_reject.html",
        {"submission": submission, "edition": submission.edition, "form": form},
    )  # fmt: skip


@login_required
def extension(request: HttpRequest, slug: str, year: int, number: int) -> HttpResponse:
    submission = _chaired_submission(request, slug, year, number)
    edition = submission.edition
    with timezone.override(edition.zone):
        form = ExtensionForm(request.POST or None, initial={"until": submission.extended_until})
        if request.method == "POST" and form.is_valid():
            try:
                services.grant_extension(
                    submission=submission, by=request.user, until=form.cleaned_data["until"]
                )
            except ValidationError as refusal:
                form.add_error("until", refusal)
            else:
                messages.success(request, _("The paper's deadline is saved."))
                return redirect(submission.get_absolute_url())
        return render(
            request, "submissions/chair/extension.html",
            {"submission": submission, "edition": edition, "form": form},
        )  # fmt: skip


@login_required
@require_POST
def grant_withdrawal(request: HttpRequest, slug: str, year: int, number: int) -> HttpResponse:
    submission = _chaired_submission(request, slug, year, number)
    if not submission.withdrawal_requested_at:
        messages.error(request, _("The authors have not asked to withdraw this paper."))
        return redirect(submission.get_absolute_url())
    try:
        services.set_submission_state(
            submission, Submission.State.WITHDRAWN, by=request.user, note=_("Withdrawal granted by a chair.")
        )
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(request, _("The paper is withdrawn and its authors are told."))
    return redirect(submission.get_absolute_url())


@login_required
def final_check(request: HttpRequest, slug: str, year: int, number: int) -> HttpResponse:
    """The chair checks an accepted paper's final version: approve it, or send it back with a comment."""
    submission = _chaired_submission(request, slug, year, number)
    form = NoteForm(
        request.POST if request.POST.get("action") == "send_back" else None,
        label=_("Comment to the authors"),
        help_text=_("Mailed to every author with a link to upload a corrected version."),
    )
    if request.method == "POST":
        try:
            if request.POST.get("action") == "approve":
                services.approve_final(submission=submission, by=request.user)
                messages.success(request, _("The final version is approved: the paper is ready to publish."))
                return redirect(submission.get_absolute_url())
            if form.is_valid():
                services.send_back_final(
                    submission=submission, by=request.user, note=form.cleaned_data["note"]
                )
                messages.success(request, _("The final version is sent back to its authors."))
                return redirect(submission.get_absolute_url())
        except ValidationError as refusal:
            messages.error(request, " ".join(refusal.messages))
    finals = [d for d in submission.documents.all() if d.kind == Document.Kind.FINAL]
    context = {
        "submission": submission,
        "edition": submission.edition,
        "form": form,
        "final": max(finals, key=lambda d: d.version) if finals else None,
        "authors": submission.authorships.all(),
        "answers": submission.answers.select_related("question"),
    }
    return render(request, "submissions/chair/final_check.html", context)


# --- The list, exports and the ZIP of PDFs ----------------------------------------------------------

PER_PAGE = 50
PROGRESS_STEPS = 20


@login_required
def submission_list(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    edition = _edition_for_chair(request, slug, year)
    if request.method == "POST":
        return _move_to_review(request, edition)
    papers, filters = selectors.chair_submissions(edition=edition, user=request.user, params=request.GET)
    listing = paginate(request, papers, PER_PAGE)
    context = {
        "edition": edition,
        **listing,
        "papers": [
            {"submission": paper, "authors": paper.sorted_authors(), "document": paper.current_document()}
            for paper in listing["page"]
        ],
        "filters": filters,
        "states": [(v, label) for v, label in Submission.State.choices if v != Submission.State.DRAFT],
        "tracks": edition.tracks.all(),
        "types": edition.submission_types.all(),
        "topics": Topic.objects.for_edition(edition),
        "countries": selectors.author_countries(edition=edition, user=request.user),
        "org_kinds": Organisation.Kind.choices,
        "sorts": list(selectors.SORT_LABELS.items()),
        "archive": Archive.objects.filter(edition=edition, requested_by=request.user).first(),
    }
    return render(request, "submissions/chair/list.html", context)


def _move_to_review(request: HttpRequest, edition: Edition) -> HttpResponse:
    """Bulk action: every selected paper that this chair sees and that is submitted goes to review."""
    wanted = {int(pk) for pk in request.POST.getlist("submissions") if pk.isdigit()}
    if request.POST.get("action") != "move_to_review" or not wanted:
        messages.warning(request, _("Select the papers to move to review first."))
        return redirect(request.get_full_path())
    # The same selector as the list: a paper this chair may not see cannot be moved by guessing its id.
    papers = selectors.edition_submissions(edition=edition, user=request.user).filter(
        pk__in=wanted, state=Submission.State.SUBMITTED
    )
    moved = 0
    for paper in papers.select_related("edition__series"):
        try:
            services.set_submission_state(paper, Submission.State.UNDER_REVIEW, by=request.user)
        except ValidationError:
            continue  # moved or withdrawn meanwhile: counted as skipped
        moved += 1
    messages.success(
        request,
        _("Moved to review: %(moved)d. Skipped: %(skipped)d (not submitted, or not shown to you).")
        % {"moved": moved, "skipped": len(wanted) - moved},
    )
    return redirect(request.get_full_path())


@login_required
@cache_control(private=True, no_store=True)
def export(request: HttpRequest, slug: str, year: int, file_format: str) -> HttpResponse:
    if file_format not in EXPORT_FORMATS:
        raise Http404
    edition = _edition_for_chair(request, slug, year)
    papers, _filters = selectors.chair_submissions(edition=edition, user=request.user, params=request.GET)
    build, content_type = EXPORT_FORMATS[file_format]
    response = HttpResponse(build(papers), content_type=content_type)
    name = f"{edition.series.slug}-{edition.year}-submissions.{file_format}"
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    return response


EXPORT_FORMATS = {
    "csv": (exports.as_csv, "text/csv; charset=utf-8"),
    "xlsx": (exports.as_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


@login_required
@require_POST
def start_archive(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    edition = _edition_for_chair(request, slug, year)
    try:
        requested = archives.request_archive(edition=edition, by=request.user)
    except ValidationError as refusal:
        raise PermissionDenied(" ".join(refusal.messages)) from refusal
    return redirect("submissions:archive", slug, year, requested.pk)


def _requested_archive(request: HttpRequest, edition: Edition, pk: int) -> Archive:
    # Only the person who asked sees an archive: it holds what *their* visibility allowed.
    return get_object_or_404(Archive, pk=pk, edition=edition, requested_by=request.user)


@login_required
def archive(request: HttpRequest, slug: str, year: int, pk: int) -> HttpResponse:
    edition = _edition_for_chair(request, slug, year)
    requested = _requested_archive(request, edition, pk)
    context = {
        "edition": edition,
        "archive": requested,
        "working": requested.state in (Archive.State.QUEUED, Archive.State.RUNNING),
        # The bar in twenty steps of 5 %, drawn with classes only (no inline width).
        "segments": [step < round(requested.percent / 5) for step in range(PROGRESS_STEPS)],
    }
    return render(request, "submissions/chair/archive.html", context)


@login_required
@cache_control(private=True, no_store=True)
def archive_download(request: HttpRequest, slug: str, year: int, pk: int) -> FileResponse:
    edition = get_object_or_404(Edition.objects.select_related("series"), series__slug=slug, year=year)
    requested = _requested_archive(request, edition, pk)
    # 404 rather than 403: someone who no longer chairs must not learn the archive is still there.
    if not services.is_chair(edition, request.user):
        raise Http404
    if requested.state != Archive.State.DONE or not requested.file:
        raise Http404
    return FileResponse(
        requested.file.open("rb"),
        as_attachment=True,
        filename=f"{edition.series.slug}-{edition.year}-papers.zip",
        content_type="application/zip",
    )
