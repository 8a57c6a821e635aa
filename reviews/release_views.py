"""Telling authors: the chair's mail texts per outcome and language, the preview and the release, and
the author's page with the decision and the reviewers' comments."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from conference.models import Edition
from conference.views import _edition_for_chair
from submissions.models import Authorship, Submission

from . import decisions, release
from . import group_mail as group_mails
from .forms import DecisionMailForm, GroupMailForm, OutcomeFormSet
from .models import Decision, DecisionMail, GroupMail, Release, Review


@login_required
def release_page(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """What will be sent, a preview for any paper and author, the release button and its progress."""
    edition = _edition_for_chair(request, slug, year)
    if request.method == "POST":
        try:
            release.start_release(edition=edition, by=request.user)
            messages.success(request, _("The decisions are being sent. This page shows the progress."))
        except ValidationError as refusal:
            messages.error(request, " ".join(refusal.messages))
        return redirect("reviews:release", slug, year)
    waiting = release.unreleased(edition)
    # What the chair may see is counted by outcome; decisions on papers hidden from them (in conflict,
    # or their own) go out too, and are only counted.
    visible = waiting.filter(submission__in=Submission.objects.organised_by(request.user))
    by_outcome = visible.values("outcome").annotate(papers=Count("id")).order_by("outcome__position")
    outcomes = {o.pk: o for o in decisions.outcomes_for(edition)}
    latest = Release.objects.filter(edition=edition).first()
    seen = set(
        Submission.objects.organised_by(request.user).filter(edition=edition).values_list("pk", flat=True)
    )
    problems = [p for p in latest.problems if p.get("submission") in seen] if latest else []
    context = {
        "edition": edition,
        "by_outcome": [(outcomes.get(row["outcome"]), row["papers"]) for row in by_outcome],
        "waiting": waiting.count(),
        "others": waiting.count() - visible.count(),
        "authors": Authorship.objects.filter(submission__decision__in=waiting).count(),
        "latest": latest,
        "problems": problems,
        "hidden_problems": (len(latest.problems) - len(problems)) if latest else 0,
        "segments": [index < (latest.progress if latest else 0) // 5 for index in range(20)],
        "sent": Decision.objects.filter(submission__edition=edition, released_at__isnull=False).count(),
        **_preview(request, edition),
    }
    return render(request, "reviews/chair/release.html", context)


def _preview(request: HttpRequest, edition: Edition) -> dict:
    """The mail one author of one decided paper would get (any paper the chair may see, any author)."""
    decided = (
        Decision.objects.filter(
            submission__in=Submission.objects.organised_by(request.user), submission__edition=edition
        )
        .select_related("submission", "outcome")
        .order_by("submission__number")
    )
    number = request.GET.get("paper", "")
    decision = decided.filter(submission__number=number).first() if number.isdigit() else decided.first()
    if decision is None:
        return {"preview": None, "decided": []}
    authors = list(decision.submission.authorships.select_related("user", "submission").order_by("position"))
    author = next(
        (a for a in authors if str(a.pk) == request.GET.get("author")), authors[0] if authors else None
    )
    subject, text, language = release.render_mail(decision, author) if author else ("", "", "")
    preview = {
        "decision": decision, "authors": authors, "author": author, "subject": subject, "text": text,
        "language": dict(settings.LANGUAGES).get(language, language),
    }  # fmt: skip
    return {"decided": [(d.submission.number, d.submission.title) for d in decided], "preview": preview}


@login_required
def mails(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """The mail text of one outcome in one language, the chair's own or the default."""
    edition = _edition_for_chair(request, slug, year)
    outcomes = decisions.outcomes_for(edition)
    outcome = next((o for o in outcomes if str(o.pk) == request.GET.get("outcome")), outcomes[0])
    languages = edition.languages or [settings.LANGUAGE_CODE]
    language = request.GET.get("language") if request.GET.get("language") in languages else languages[0]
    custom = DecisionMail.objects.filter(outcome=outcome, language=language).first()
    default_subject, default_body = release.default_mail(outcome, language)
    instance = custom or DecisionMail(
        outcome=outcome, language=language, subject=default_subject, body=default_body
    )
    form = DecisionMailForm(request.POST or None, instance=instance)
    here = f"{request.path}?outcome={outcome.pk}&language={language}"
    if request.method == "POST" and "restore" in request.POST:
        DecisionMail.objects.filter(outcome=outcome, language=language).delete()
        messages.success(request, _("The default text is back."))
        return redirect(here)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The mail is saved."))
        return redirect(here)
    context = {
        "edition": edition,
        "outcomes": outcomes,
        "outcome": outcome,
        "languages": [(code, dict(settings.LANGUAGES).get(code, code)) for code in languages],
        "language": language,
        "form": form,
        "custom": custom,
        "placeholders": release.PLACEHOLDERS,
    }
    return render(request, "reviews/chair/mails.html", context)


@login_required
def decision(request: HttpRequest, slug: str, year: int, number: int) -> HttpResponse:
    """The author's page: the released decision and the reviews' comments to the authors."""
    submission = get_object_or_404(
        Submission.objects.authored_by(request.user).select_related("edition__series", "decision__outcome"),
        edition__series__slug=slug, edition__year=year, number=number,
    )  # fmt: skip
    decided = getattr(submission, "decision", None)
    if decided is None or decided.released_at is None:
        raise Http404  # internal until released: as if there were none
    edition = submission.edition
    reviews = Review.objects.filter(assignment__submission=submission, state=Review.State.SUBMITTED).order_by(
        "submitted_at", "pk"
    )
    open_review = edition.blind_mode == Edition.BlindMode.OPEN
    if open_review:
        reviews = reviews.select_related("assignment__reviewer")
    context = {
        "edition": edition,
        "submission": submission,
        "decision": decided,
        "reviews": [r for r in reviews if r.comments_to_authors.strip()],
        "named": open_review,
        "accepted": decided.outcome.accepts,
    }
    return render(request, "reviews/decision.html", context)


@login_required
def group_mail(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """Write to a group, see the mail as its first recipient will, then send it."""
    edition = _edition_for_chair(request, slug, year)
    form = GroupMailForm(request.POST or None, initial={"token": uuid.uuid4().hex})
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if "send" in request.POST:
            try:
                sent = group_mails.send(
                    edition=edition, audience=data["audience"], subject=data["subject"], body=data["body"],
                    by=request.user, token=data["token"],
                )  # fmt: skip
            except ValidationError as refusal:
                form.add_error(None, refusal)
            else:
                on_its_way = ngettext(
                    "The mail is on its way to %(count)d person.",
                    "The mail is on its way to %(count)d people.",
                    sent.recipients,
                )
                messages.success(request, on_its_way % {"count": sent.recipients})
                return redirect("reviews:group_mail", slug, year)
        else:
            people = group_mails.recipients(edition=edition, audience=data["audience"])
            # The example is someone the chair may see: never an author of a paper hidden from them.
            seen = group_mails.recipients(edition=edition, audience=data["audience"], seen_by=request.user)
            if people:
                example = seen[0] if seen else group_mails.Recipient("—", "—", None, settings.SITE_URL)
                subject, text = group_mails.render(
                    edition=edition, subject=data["subject"], body=data["body"], recipient=example
                )
                preview = {"to": example, "count": len(people), "subject": subject, "text": text}
            else:
                form.add_error("audience", _("Nobody is in this group yet."))
    context = {
        "edition": edition,
        "form": form,
        "preview": preview,
        "placeholders": group_mails.PLACEHOLDERS,
        "sent": GroupMail.objects.filter(edition=edition).select_related("sent_by")[:20],
    }
    return render(request, "reviews/chair/group_mail.html", context)


@login_required
def outcomes(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """The decisions the committee can take, each accepting or rejecting the paper."""
    edition = _edition_for_chair(request, slug, year)
    decisions.outcomes_for(edition)  # the defaults, to start from
    formset = OutcomeFormSet(request.POST or None, instance=edition, prefix="outcomes",
                             form_kwargs={"edition": edition})  # fmt: skip
    if request.method == "POST" and formset.is_valid():
        formset.save()
        messages.success(request, _("The outcomes are saved."))
        return redirect("reviews:outcomes", slug, year)
    return render(request, "reviews/chair/outcomes.html", {"edition": edition, "formset": formset})
