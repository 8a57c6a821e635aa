"""The hub's public pages: its home, a paper's landing page (or tombstone), its PDF; and the chair's
publishing page."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_countries import countries

from conference.models import Topic
from conference.views import _edition_for_chair
from config.multilingual import localise
from config.pagination import paginate
from submissions.services import chairs_paper

from . import citations, metadata, services, statistics
from .forms import CorrectionForm, WithdrawalForm
from .models import Publication
from .search import FACETS, Search, related

LATEST = 12


def home(request: HttpRequest) -> HttpResponse:
    listed = Publication.objects.listed()
    latest = listed.with_details().prefetch_related("files")[:LATEST]
    goals = Topic.objects.sdgs().annotate(
        papers=Count("publications", filter=Q(publications__withdrawn_at__isnull=True))
    )
    editions = (
        listed.filter(edition__isnull=False)
        .values("edition__series__slug", "edition__year", "venue")
        .annotate(papers=Count("id"))
        .order_by("-edition__year")
    )
    context = {"latest": latest, "goals": goals, "editions": editions, "total": listed.count()}
    return render(request, "hub/home.html", context)


PER_PAGE = 20


def search_page(request: HttpRequest) -> HttpResponse:
    """Search and browse: the text, the filters and the page are all in the address."""
    query = Search.from_query(request.GET)
    params = request.GET.copy()
    params.pop("page", None)
    facets = query.facets()
    context = {
        "query": query,
        **paginate(request, query.pages(), PER_PAGE),
        "facets": [(name, FACET_LABELS[name], _facet_links(params, name, facets[name])) for name in FACETS],
    }
    return render(request, "hub/search.html", context)


FACET_LABELS = {
    "sdg": gettext_lazy("Sustainable Development Goal"),
    "call": gettext_lazy("Call"),
    "type": gettext_lazy("Type"),
    "year": gettext_lazy("Year"),
    "language": gettext_lazy("Language"),
    "country": gettext_lazy("Country of an author"),
}


def _facet_links(params, name: str, values: list[tuple]) -> list[dict]:
    """Each value with the address that chooses it (or, when chosen, leaves it), keeping the rest."""
    languages = dict(settings.LANGUAGES)
    links = []
    for value, label, count, chosen in values:
        toggled = params.copy()
        if chosen:
            toggled.pop(name, None)
        else:
            toggled[name] = value
        if name in ("call", "type"):
            label = localise(label, fallback=settings.LANGUAGE_CODE)
        elif name == "language":
            label = languages.get(label, label)
        elif name == "country":
            label = countries.name(label) or label
        links.append({"label": label, "count": count, "chosen": chosen, "href": "?" + toggled.urlencode()})
    return links


def _publication(number: int) -> Publication:
    found = Publication.objects.with_details().prefetch_related("files").defer("search_vector")
    return get_object_or_404(found, number=number)


def paper(request: HttpRequest, number: int, slug: str = "") -> HttpResponse:
    publication = _publication(number)
    if slug != publication.slug:
        return redirect(publication, permanent=True)  # an old title's slug, or none: 301 to the address
    if publication.withdrawn_at:
        context = {"publication": publication, "citation": citations.formatted(publication)}
        return render(request, "hub/withdrawn.html", context, status=410)
    statistics.count(request, publication, statistics.VIEW)
    files = sorted(publication.files.all(), key=lambda f: f.version)
    context = {
        "publication": publication,
        "authors": publication.authors.all(),
        "current": files[-1] if files else None,
        "versions": files,
        "citation_tags": metadata.citation_tags(publication),
        "open_graph": metadata.open_graph(publication),
        "json_ld": metadata.json_ld(publication),
        "pdf_url": metadata.pdf_url(publication),
        "venue": metadata.venue(publication),
        "canonical": metadata.absolute(publication.get_absolute_url()),
        "citation": citations.formatted(publication),
        "related": related(publication),
        "usage": statistics.totals_for(publication),
    }
    return render(request, "hub/paper.html", context)


def pdf(request: HttpRequest, number: int) -> FileResponse:
    publication = _publication(number)
    current = publication.current_file()
    if publication.withdrawn_at:
        return HttpResponse(
            _("This paper has been withdrawn."), status=410, content_type="text/plain; charset=utf-8"
        )
    if current is None:
        raise Http404
    statistics.count(request, publication, statistics.DOWNLOAD)
    response = FileResponse(
        current.file.open("rb"), content_type="application/pdf", as_attachment="download" in request.GET,
        filename=f"{publication.number}-{publication.slug[:60]}.pdf",
    )  # fmt: skip
    response["X-Content-Type-Options"] = "nosniff"
    response["Link"] = f'<{metadata.absolute(publication.get_absolute_url())}>; rel="canonical"'
    return response


MONTHS_SHOWN = 12


def stats(request: HttpRequest) -> HttpResponse:
    """How much the hub is read: views and downloads per month, and the most read papers."""
    first_days = statistics.months(MONTHS_SHOWN)
    context = {
        "months": statistics.per_month(first_days),
        "since": first_days[0],
        "most_read": statistics.most_read(first_days[0]),
        "totals": statistics.overall(),
    }
    return render(request, "hub/stats.html", context)


CITATION_FORMATS = {
    # format: (how it is written, content type, file extension)
    "bib": (citations.bibtex, "application/x-bibtex; charset=utf-8", "bib"),
    "ris": (citations.ris, "application/x-research-info-systems; charset=utf-8", "ris"),
    "json": (lambda p: json.dumps([citations.csl_item(p)], ensure_ascii=False, indent=2),
             "application/vnd.citationstyles.csl+json; charset=utf-8", "json"),
}  # fmt: skip


def cite(request: HttpRequest, number: int, file_format: str) -> HttpResponse:
    """The reference as BibTeX, RIS or CSL-JSON, for reference managers (withdrawn papers too)."""
    if file_format not in CITATION_FORMATS:
        raise Http404
    publication = _publication(number)
    write, content_type, extension = CITATION_FORMATS[file_format]
    response = HttpResponse(write(publication), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="convene-{publication.number}.{extension}"'
    return response


@login_required
def publish(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """The chair's page: the approved final versions waiting, published in one go or one by one."""
    edition = _edition_for_chair(request, slug, year)
    if request.method == "POST":
        if request.POST.get("paper"):
            paper = services.publishable(edition, request.user).filter(pk=request.POST["paper"]).first()
            try:
                if paper is None:
                    raise ValidationError(_("This paper cannot be published now."))
                published = services.publish(submission=paper, by=request.user)
                messages.success(request, _("Published as number %(number)d.") % {"number": published.number})
            except ValidationError as refusal:
                messages.error(request, " ".join(refusal.messages))
        else:
            published, problems = services.publish_edition(edition=edition, by=request.user)
            if published:
                count = len(published)
                messages.success(
                    request,
                    ngettext("%(count)d paper published.", "%(count)d papers published.", count)
                    % {"count": count},
                )
            for problem in problems:
                messages.error(request, problem)
        return redirect("hub:publish", slug, year)
    context = {
        "edition": edition,
        "waiting": services.publishable(edition, request.user).prefetch_related("authorships"),
        "published": Publication.objects.filter(edition=edition)
        .prefetch_related("authors")
        .order_by("number"),
    }
    return render(request, "hub/chair/publish.html", context)


@login_required
def manage(request: HttpRequest, slug: str, year: int, number: int) -> HttpResponse:
    """The chair's page for one published paper of their call: correct it (a new version) or withdraw it."""
    edition = _edition_for_chair(request, slug, year)
    publication = get_object_or_404(
        Publication.objects.select_related("submission__edition").prefetch_related("files"),
        number=number, edition=edition,
    )  # fmt: skip
    if publication.submission and not chairs_paper(publication.submission, request.user):
        raise PermissionDenied  # an author of the paper, or a chair in conflict with it
    correction = CorrectionForm.for_publication(publication)
    withdrawal = WithdrawalForm()
    if request.method == "POST" and not publication.withdrawn_at:
        try:
            if "withdraw" in request.POST:
                withdrawal = WithdrawalForm(request.POST)
                if withdrawal.is_valid():
                    services.withdraw(
                        publication=publication, by=request.user, reason=withdrawal.cleaned_data["reason"]
                    )
                    messages.success(request, _("The paper is withdrawn; its page now says why."))
                    return redirect("hub:manage", slug, year, number)
            else:
                correction = CorrectionForm(request.POST, request.FILES)
                if correction.is_valid():
                    data = correction.cleaned_data
                    corrected = services.correct(
                        publication=publication, by=request.user, note=data["note"], data=data["pdf"],
                        version=data["version"], **correction.changes(),
                    )  # fmt: skip
                    messages.success(
                        request,
                        _("Saved as version %(version)d; the authors are told.")
                        % {"version": corrected.version},
                    )
                    return redirect("hub:manage", slug, year, number)
        except services.StaleCorrection as refusal:
            publication.refresh_from_db()
            keep = request.POST.copy()  # the chair's text stays in the form, against the new version
            keep["version"] = publication.version
            correction = CorrectionForm(keep)
            more = _(
                "Your changes are still in the form: compare them with the paper's page, then save again."
            )
            messages.error(request, " ".join([*refusal.messages, more]))
    context = {
        "edition": edition,
        "publication": publication,
        "versions": sorted(publication.files.all(), key=lambda f: f.version),
        "correction": correction,
        "withdrawal": withdrawal,
    }
    return render(request, "hub/chair/manage.html", context)
