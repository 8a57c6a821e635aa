"""The policy view: the key messages for policy makers of the papers on one SDG or from one call, each
linked to its paper, on a page and as a short printable brief (PDF, with ReportLab)."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import ListFlowable, Paragraph, SimpleDocTemplate, Spacer

from conference.models import Edition, Topic
from config.multilingual import localise

from .metadata import absolute
from .models import Publication


def _scope(goal: int | None = None, slug: str = "", year: int | None = None):
    """(title, papers with key messages) for an SDG or a call."""
    papers = Publication.objects.listed().exclude(key_messages=[]).prefetch_related("authors")
    if goal is not None:
        topic = get_object_or_404(Topic.objects.sdgs(), sdg_number=goal)
        return str(topic), papers.filter(topics=topic).order_by("-published_on", "number")
    edition = get_object_or_404(Edition.objects.select_related("series"), series__slug=slug, year=year)
    title = localise(edition.title, fallback=edition.main_language)
    return title, papers.filter(edition=edition).order_by("number")


def page(
    request: HttpRequest, goal: int | None = None, slug: str = "", year: int | None = None
) -> HttpResponse:
    title, papers = _scope(goal, slug, year)
    brief = request.path.rstrip("/") + "/brief.pdf"
    return render(request, "hub/policy.html", {"title": title, "papers": papers, "brief": brief})


def brief(
    request: HttpRequest, goal: int | None = None, slug: str = "", year: int | None = None
) -> FileResponse:
    title, papers = _scope(goal, slug, year)
    styles = getSampleStyleSheet()
    story = [
        Paragraph(escape(_("Key messages for policy makers")), styles["Title"]),
        Paragraph(escape(title), styles["Heading2"]),
        Spacer(1, 0.3 * cm),
    ]
    for paper in papers:
        authors = ", ".join(author.name for author in paper.authors.all())
        link = absolute(paper.get_absolute_url())
        story.append(Paragraph(f'<a href="{escape(link)}">{escape(paper.title)}</a>', styles["Heading4"]))
        story.append(Paragraph(escape(f"{authors} ({paper.published_on.year})"), styles["Italic"]))
        story.append(ListFlowable([Paragraph(escape(m), styles["BodyText"]) for m in paper.key_messages],
                                  bulletType="bullet"))  # fmt: skip
    if not papers:
        story.append(Paragraph(escape(_("No paper with key messages yet.")), styles["BodyText"]))
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, title=_("Key messages for policy makers") + f": {title}").build(
        story
    )
    buffer.seek(0)
    return FileResponse(buffer, content_type="application/pdf", filename="policy-brief.pdf")
