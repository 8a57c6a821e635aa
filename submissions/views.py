"""The author's pages: start a paper, fill it in step by step, submit, follow, withdraw, claim."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.adapters import forget_return, remember_return
from conference.models import Edition, Question

from . import services
from .forms import (
    AuthorFormSet,
    ConflictsStep,
    FinalVersionForm,
    NoteForm,
    PaperStep,
    QuestionsStep,
    TopicsStep,
    TypeStep,
    UploadStep,
)
from .models import Answer, Authorship, Conflict, Document, Submission

# The steps of the form, in order: (slug, heading).
STEPS = [
    ("type", gettext_lazy("Type and track")),
    ("paper", gettext_lazy("Title and abstract")),
    ("authors", gettext_lazy("Authors")),
    ("topics", gettext_lazy("Topics and keywords")),
    ("questions", gettext_lazy("Questions")),
    ("conflicts", gettext_lazy("Conflicts of interest")),
    ("file", gettext_lazy("PDF")),
]


FINAL_STAGE = {Submission.State.ACCEPTED, Submission.State.FINAL_SUBMITTED, Submission.State.CAMERA_READY}


def _visible_submission(request: HttpRequest, slug: str, year: int, number: int) -> Submission:
    # 404, not 403: a person must not learn that a paper they may not see exists.
    return get_object_or_404(
        Submission.objects.visible_to(request.user).with_details(),
        edition__series__slug=slug, edition__year=year, number=number,
    )  # fmt: skip


def _authored_submission(request: HttpRequest, slug: str, year: int, number: int) -> Submission:
    return get_object_or_404(
        Submission.objects.authored_by(request.user).with_details(),
        edition__series__slug=slug, edition__year=year, number=number,
    )  # fmt: skip


def _steps_for(submission: Submission) -> list[tuple[str, str]]:
    has_questions = any(True for _q in submission.edition.questions.all()[:1])
    return [(slug, label) for slug, label in STEPS if slug != "questions" or has_questions]


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    papers = (
        Submission.objects.authored_by(request.user).with_details().order_by("-edition__year", "-updated_at")
    )
    return render(request, "submissions/mine.html", {"papers": papers, "now": timezone.now()})


@login_required
def new(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    edition = get_object_or_404(
        Edition.objects.public().select_related("series"), series__slug=slug, year=year
    )
    if request.method == "POST":
        try:
            submission = services.start_draft(edition=edition, by=request.user)
        except ValidationError as refusal:
            messages.error(request, " ".join(refusal.messages))
            return redirect(edition.get_absolute_url())
        return redirect(submission.url("step", "type"))
    drafts = Submission.objects.authored_by(request.user).filter(
        edition=edition, state=Submission.State.DRAFT
    )
    return render(
        request, "submissions/new.html", {"edition": edition, "drafts": drafts, "is_open": edition.is_open}
    )


@login_required
def detail(request: HttpRequest, slug: str, year: int, number: int) -> HttpResponse:
    submission = _visible_submission(request, slug, year, number)
    is_author = any(a.user_id == request.user.pk for a in submission.authorships.all())
    is_chair = services.is_chair(submission.edition, request.user)
    now = timezone.now()
    context = {
        "submission": submission,
        "edition": submission.edition,
        "authors": submission.authorships.all(),
        "is_author": is_author,
        "is_chair": is_chair,
        "editable": is_author and submission.editable_at(now),
        "steps": _steps_for(submission),
        "documents": sorted(submission.documents.all(), key=lambda d: (d.kind, -d.version)),
        "current": submission.current_document(),
        "answers": submission.answers.select_related("question").order_by(
            "question__position", "question_id"
        ),
        "history": submission.state_changes.select_related("by"),
        "missing": services.missing_parts(submission) if submission.state == Submission.State.DRAFT else [],
        "deadline": submission.deadline.astimezone(submission.edition.zone),
        "can_withdraw": is_author and submission.state in services.WITHDRAWABLE,
        "final_stage": submission.state in FINAL_STAGE,
        "before_review": submission.state in (Submission.State.DRAFT, Submission.State.SUBMITTED),
    }
    return render(request, "submissions/detail.html", context)


def _step_form(step: str, request: HttpRequest, submission: Submission):
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    if step == "type":
        return TypeStep(data, instance=submission)
    if step == "paper":
        return PaperStep(data, instance=submission)
    if step == "topics":
        return TopicsStep(data, instance=submission)
    if step == "questions":
        return QuestionsStep(data, files, submission=submission)
    if step == "conflicts":
        return ConflictsStep(data, submission=submission)
    if step == "file":
        return UploadStep(data, files, submission=submission)
    raise Http404


@login_required
def step(request: HttpRequest, slug: str, year: int, number: int, step: str) -> HttpResponse:
    submission = _authored_submission(request, slug, year, number)
    steps = _steps_for(submission)
    slugs = [s for s, _label in steps]
    if step not in slugs:
        raise Http404
    closed = _("The deadline for this paper has passed: it can no longer be changed.")
    if not submission.is_editable and request.method != "POST":
        messages.warning(request, closed)
        return redirect(submission.get_absolute_url())
    following = slugs[slugs.index(step) + 1] if step != slugs[-1] else None
    form = (
        _authors_formset(request, submission) if step == "authors" else _step_form(step, request, submission)
    )
    revision = _posted_revision(request)
    if not submission.is_editable:
        # Sent a moment too late: show what they typed, with the reason, and save nothing.
        form.is_valid()
        _add_form_error(form, ValidationError(_("%(reason)s Nothing was saved; what you typed is below.")
                                              % {"reason": closed}))  # fmt: skip
    elif request.method == "POST" and form.is_valid() and not form.has_changed():
        # Nothing to save, and no receipt to send: on to the next step.
        return redirect(submission.url("step", following) if following else submission.url("confirm"))
    elif request.method == "POST" and form.is_valid():
        try:
            _save_step(step, form, submission, by=request.user, revision=revision)
        except ValidationError as refusal:
            if step == "file" and (refusal.code or "").startswith("pdf_"):
                form.add_error("file", refusal)  # next to the field, which then says it is invalid
            else:
                _add_form_error(form, refusal)
        else:
            if submission.state == Submission.State.SUBMITTED:
                messages.success(request, _("Saved. Your co-authors get a receipt for this change."))
            else:
                messages.success(request, _("Saved as a draft."))
            if "stay" in request.POST or following is None and step != "file":
                return redirect(submission.url("step", step))
            return redirect(submission.url("step", following) if following else submission.url("confirm"))
    context = {
        "submission": submission,
        "edition": submission.edition,
        "form": form,
        "step": step,
        "steps": steps,
        "heading": dict(steps)[step],
        "position": slugs.index(step) + 1,
        "step_count": len(steps) + 1,  # and "Check and submit"
        "following": following,
        "current": submission.current_document(),
        "documents": [d for d in submission.documents.all() if d.kind == Document.Kind.PAPER],
        # The revision this person started from, kept across a refused save: a second click after
        # "a co-author changed this paper" must not overwrite the co-author's change.
        "revision": revision if request.method == "POST" else submission.revision,
    }
    return render(request, "submissions/step.html", context)


def _posted_revision(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("revision", ""))
    except ValueError:
        return -1  # never the paper's: the save is refused as stale


def _add_form_error(form, error: ValidationError) -> None:
    if hasattr(form, "add_error"):
        form.add_error(None, error)
    else:  # a formset
        form._non_form_errors = form.error_class([*form.non_form_errors(), *error.messages])


def _authors_formset(request: HttpRequest, submission: Submission):
    return AuthorFormSet(
        request.POST if request.method == "POST" else None,
        instance=submission,
        queryset=submission.authorships.order_by("position", "id"),
        editor=request.user,
        prefix="authors",
    )


def _save_step(step: str, form, submission: Submission, *, by, revision: int) -> None:
    if step == "file":
        services.upload_document(
            submission=submission, by=by, upload=form.cleaned_data["file"], revision=revision
        )
        return

    def change(locked: Submission) -> None:
        if step in ("type", "paper", "topics"):
            form.instance = locked
            for name, value in form.cleaned_data.items():
                if name in {f.name for f in Submission._meta.concrete_fields}:
                    setattr(locked, name, value)
            if step == "topics":
                locked.keywords = form.cleaned_data["keywords_text"]
                locked.topics.set(form.cleaned_data["topics"])
        elif step == "authors":
            _save_authors(form, locked)
        elif step == "questions":
            _save_answers(form, locked)
        elif step == "conflicts":
            _save_conflicts(form, locked, by)

    services.change_submission(submission=submission, by=by, revision=revision, change=change)


def _save_authors(formset, locked: Submission) -> None:
    invited_at = dict(locked.authorships.values_list("pk", "email"))
    authors = formset.save(commit=False)
    for obj in formset.deleted_objects:
        obj.delete()
    # Django's ordered_forms puts rows without a number last: a new co-author joins at the end.
    ordered = [f for f in formset.ordered_forms if f.instance not in formset.deleted_objects]
    for position, form in enumerate(ordered):
        form.instance.position = position
        form.instance.submission = locked
        form.instance.save()
    for author in authors:
        if author.pk is None:
            author.submission = locked
            author.save()
    # New co-authors, and those whose address was corrected, get a (new) link; queued in this
    # transaction, so a refused save mails nobody.
    for author in locked.authorships.all():
        if not author.user_id and invited_at.get(author.pk) != author.email:
            services.invite_coauthor(author)


def _save_answers(form: QuestionsStep, locked: Submission) -> None:
    for question, value in form.answers():
        if question.kind == Question.Kind.FILE:
            if value:
                answer, _created = Answer.objects.get_or_create(submission=locked, question=question)
                if answer.file:
                    # The old file goes only once the new one is committed: a failed save keeps it.
                    old = (answer.file.storage, answer.file.name)
                    transaction.on_commit(lambda old=old: old[0].delete(old[1]))
                answer.file.save("answer", ContentFile(value.read()), save=False)
                answer.file_name = value.name[:255]
                answer.save()
            continue
        empty = value in (None, "", [])
        if empty:
            Answer.objects.filter(submission=locked, question=question).delete()
        else:
            Answer.objects.update_or_create(submission=locked, question=question, defaults={"value": value})


def _save_conflicts(form: ConflictsStep, locked: Submission, by) -> None:
    declared = locked.conflicts.filter(kind=Conflict.Kind.DECLARED_BY_AUTHOR)
    emails = form.cleaned_data["people"]
    # Someone with an account is named by it; an address without one is kept as typed.
    by_address = Q(pk__in=[])
    for email in emails:
        by_address |= Q(email__iexact=email)
    people = {u.email.lower(): u for u in get_user_model().objects.filter(by_address)}
    organisations = form.cleaned_data["organisations"]
    declared.exclude(user__in=people.values()).exclude(email__in=emails).exclude(
        organisation__in=organisations
    ).delete()
    for email in emails:
        person = people.get(email)
        Conflict.objects.get_or_create(
            submission=locked, kind=Conflict.Kind.DECLARED_BY_AUTHOR, defaults={"created_by": by},
            **({"user": person} if person else {"email": email}),
        )  # fmt: skip
    for organisation in organisations:
        Conflict.objects.get_or_create(
            submission=locked, organisation=organisation, kind=Conflict.Kind.DECLARED_BY_AUTHOR,
            defaults={"created_by": by},
        )  # fmt: skip


@login_required
def confirm(request: HttpRequest, slug: str, year: int, number: int) -> HttpResponse:
    """The summary before the final submit, and the submit itself."""
    submission = _authored_submission(request, slug, year, number)
    if request.method == "POST":
        try:
            services.submit(submission=submission, by=request.user)
        except ValidationError as refusal:
            for message in refusal.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Your paper is submitted. Every author gets a receipt by e-mail."))
            return redirect(submission.get_absolute_url())
    context = {
        "submission": submission,
        "edition": submission.edition,
        "authors": submission.authorships.all(),
        "answers": submission.answers.select_related("question").order_by(
            "question__position", "question_id"
        ),
        "current": submission.current_document(),
        "missing": services.missing_parts(submission),
        "steps": _steps_for(submission),
        "editable": submission.is_editable,
        "deadline": submission.deadline.astimezone(submission.edition.zone),
    }
    return render(request, "submissions/confirm.html", context)


@login_required
def withdraw(request: HttpRequest, slug: str, year: int, number: int) -> HttpResponse:
    submission = _authored_submission(request, slug, year, number)
    if submission.state not in services.WITHDRAWABLE:
        messages.error(request, _("This paper can no longer be withdrawn."))
        return redirect(submission.get_absolute_url())
    form = NoteForm(request.POST or None, required=False, label=_("Why (optional, shown to the chairs)"))
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw(submission=submission, by=request.user, note=form.cleaned_data["note"])
        except ValidationError as refusal:
            messages.error(request, " ".join(refusal.messages))
        else:
            if submission.withdrawal_requested_at or submission.state != Submission.State.WITHDRAWN:
                messages.info(request, _("Your request to withdraw the paper was sent to the chairs."))
            else:
                messages.success(request, _("The paper is withdrawn. Every author and the chairs are told."))
        return redirect(submission.get_absolute_url())
    return render(
        request,
        "submissions/withdraw.html",
        {"submission": submission, "edition": submission.edition, "form": form},
    )


@login_required
def document(
    request: HttpRequest, slug: str, year: int, number: int, kind: str, version: int
) -> FileResponse:
    submission = _visible_submission(request, slug, year, number)
    document = next((d for d in submission.documents.all() if d.kind == kind and d.version == version), None)
    if document is None:
        raise Http404
    response = FileResponse(
        document.file.open("rb"),
        content_type="application/pdf",
        as_attachment="download" in request.GET,
        filename=document.download_name(),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def answer_file(request: HttpRequest, slug: str, year: int, number: int, question: int) -> FileResponse:
    submission = _visible_submission(request, slug, year, number)
    answer = get_object_or_404(Answer, submission=submission, question_id=question)
    if not answer.file:
        raise Http404
    # Whatever an author uploaded is offered as a download, never rendered by the browser.
    response = FileResponse(
        answer.file.open("rb"), as_attachment=True, filename=answer.file_name or "answer",
        content_type="application/octet-stream",
    )  # fmt: skip
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def claim(request: HttpRequest, token: str) -> HttpResponse:
    """The link in a co-author's mail: sign in (or sign up), then claim the paper."""
    authorship = (
        Authorship.objects.select_related("submission__edition__series").filter(claim_token=token).first()
    )
    if authorship is None:
        return render(request, "submissions/claim.html", {"authorship": None}, status=410)
    if not request.user.is_authenticated:
        remember_return(request, request.path)  # back here after signing up or in
    if request.method == "POST" and request.user.is_authenticated:
        try:
            forget_return(request)
            services.claim(token=token, user=request.user)
        except ValidationError as refusal:
            messages.error(request, " ".join(refusal.messages))
            return redirect(
                authorship.submission.get_absolute_url() if refusal.code == "already_author" else "home"
            )
        messages.success(request, _("You are now an author of this paper and can edit it."))
        return redirect(authorship.submission.get_absolute_url())
    submission = authorship.submission
    context = {"authorship": authorship, "submission": submission, "edition": submission.edition}
    return render(request, "submissions/claim.html", context)


@login_required
def final(request: HttpRequest, slug: str, year: int, number: int) -> HttpResponse:
    """An accepted paper's final version: the PDF, the metadata to publish, key messages, the licence."""
    submission = _authored_submission(request, slug, year, number)
    is_open = submission.final_open_at(timezone.now())
    form = (
        FinalVersionForm(request.POST or None, request.FILES or None, instance=submission)
        if is_open
        else None
    )
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            services.submit_final(
                submission=submission, by=request.user, upload=form.cleaned_data["file"],
                revision=form.cleaned_data["revision"], metadata=form.apply,
            )  # fmt: skip
        except ValidationError as refusal:
            form.add_error("file" if refusal.code and refusal.code.startswith("pdf_") else None, refusal)
        else:
            messages.success(
                request, _("The final version is sent to the chairs. Every author gets a receipt.")
            )
            return redirect(submission.get_absolute_url())
    context = {
        "submission": submission,
        "edition": submission.edition,
        "form": form,
        "authors": submission.authorships.all(),
        "finals": [d for d in submission.documents.all() if d.kind == Document.Kind.FINAL],
        "sent_back": submission.state_changes.filter(
            old=Submission.State.FINAL_SUBMITTED, new=Submission.State.ACCEPTED
        ).last(),
    }
    return render(request, "submissions/final.html", context)
