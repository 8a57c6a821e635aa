"""The help pages: an index that asks who you are, and one page per role (templates/help/<role>.html)."""

from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class HelpPage:
    label: str | Promise  # the breadcrumb and the side menu
    title: str | Promise  # the page's heading and <title>
    summary: str | Promise  # one line on the index: who the page is for


# In the index's order: reading first, then a paper's way through a call, then events.
PAGES: dict[str, HelpPage] = {
    "visitor": HelpPage(
        _("Readers"),
        _("Help for readers of the knowledge hub"),
        _("You read, search, cite or harvest the published papers, or follow the calls and events."),
    ),
    "author": HelpPage(
        _("Authors"),
        _("Help for authors"),
        _("You submit a paper to a call, follow its review and send its final version."),
    ),
    "reviewer": HelpPage(
        _("Reviewers"),
        _("Help for reviewers"),
        _("The chairs of a call asked you to review papers."),
    ),
    "committee": HelpPage(
        _("Committee members"),
        _("Help for committee members"),
        _("You sit on a call's organizing committee: you read the reviews, vote and write meta-reviews."),
    ),
    "chair": HelpPage(
        _("Chairs"),
        _("Help for chairs"),
        _("You run a call: its settings, the people, the review, the decisions and the publication."),
    ),
    "participant": HelpPage(
        _("Participants"),
        _("Help for event participants"),
        _("You register for a symposium, a retreat or a webinar."),
    ),
    "organiser": HelpPage(
        _("Event organisers"),
        _("Help for event organisers"),
        _("You handle an event's registrations, invitations, mail and the door."),
    ),
}


def help_index(request: HttpRequest) -> HttpResponse:
    return render(request, "help/index.html", {"pages": PAGES})


def help_page(request: HttpRequest, role: str) -> HttpResponse:
    page = PAGES.get(role)
    if page is None:
        raise Http404
    return render(request, f"help/{role}.html", {"page": page, "role": role, "pages": PAGES})
