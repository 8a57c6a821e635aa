"""Atom feeds of new papers: the whole hub, one SDG, one call."""

from __future__ import annotations

from datetime import datetime, time

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext as _

from conference.models import Edition, Topic
from config.multilingual import localise

from .models import Publication

ITEMS = 50


class LatestPapers(Feed):
    feed_type = Atom1Feed

    def title(self, scope) -> str:
        if isinstance(scope, Topic):
            return _("New papers on %(goal)s") % {"goal": scope}
        if isinstance(scope, Edition):
            return _("New papers from %(call)s") % {
                "call": localise(scope.title, fallback=scope.main_language)
            }
        return _("New papers in the knowledge hub")

    def link(self, scope) -> str:
        return reverse("hub:home")

    def subtitle(self, scope) -> str:
        return _("Papers on the social and solidarity economy and the Sustainable Development Goals.")

    def items(self, scope):
        papers = Publication.objects.listed().with_details()
        if isinstance(scope, Topic):
            papers = papers.filter(topics=scope)
        elif isinstance(scope, Edition):
            papers = papers.filter(edition=scope)
        return papers.order_by("-published_on", "-number")[:ITEMS]

    def item_title(self, item: Publication) -> str:
        return item.title

    def item_description(self, item: Publication) -> str:
        return linebreaks(escape(item.abstract))  # the feed says type="html": plain text is escaped

    def item_link(self, item: Publication) -> str:
        return item.get_absolute_url()

    def item_author_name(self, item: Publication) -> str:
        return ", ".join(author.name for author in item.authors.all())

    def item_pubdate(self, item: Publication):
        return timezone.make_aware(datetime.combine(item.published_on, time()))

    def item_updateddate(self, item: Publication):
        return item.modified_at

    def item_categories(self, item: Publication) -> list[str]:
        return [str(topic) for topic in item.topics.all()]


class AllPapers(LatestPapers):
    def get_object(self, request):
        return None


class PapersOnGoal(LatestPapers):
    def get_object(self, request, goal: int):
        return get_object_or_404(Topic.objects.sdgs(), sdg_number=goal)


class PapersFromCall(LatestPapers):
    def get_object(self, request, slug: str, year: int):
        return get_object_or_404(Edition, series__slug=slug, year=year)
