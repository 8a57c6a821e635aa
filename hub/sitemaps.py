"""The sitemap: the hub's home and every paper's landing page (withdrawn ones are left out)."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Publication


class HubSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Publication.objects.listed().only("number", "slug", "title", "modified_at").order_by("number")

    def lastmod(self, item: Publication):
        return item.modified_at


class HubHomeSitemap(Sitemap):
    changefreq = "daily"
    priority = 1.0

    def items(self):
        return ["hub:home"]

    def location(self, item: str) -> str:
        return reverse(item)
