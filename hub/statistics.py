"""Usage statistics: page views and PDF downloads per paper and month, counted the way COUNTER
counts them (known robots left out, a double click within 30 seconds counted once) without keeping
anything about the reader.

The double-click check needs to recognise a reader for 30 seconds: it keeps, in the cache and for
those 30 seconds only, a keyed hash of their address and browser whose key changes every day. The
database holds counts and nothing else.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

import crawleruseragents
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .models import MonthlyUsage, Publication

logger = logging.getLogger(__name__)
DOUBLE_CLICK_SECONDS = 30
VIEW, DOWNLOAD = "views", "downloads"


def is_robot(request: HttpRequest) -> bool:
    agent = request.META.get("HTTP_USER_AGENT", "")
    return not agent.strip() or crawleruseragents.is_crawler(agent)


def _is_whole_request(request: HttpRequest) -> bool:
    """A PDF viewer fetches a file in ranges: only the request for its start counts."""
    ranges = request.headers.get("Range", "")
    return not ranges or ranges.replace(" ", "").startswith("bytes=0-")


def _first_click(request: HttpRequest, publication_id: int, what: str) -> bool:
    today = timezone.now().date().isoformat()
    address, agent = request.META.get("REMOTE_ADDR", ""), request.META.get("HTTP_USER_AGENT", "")
    reader = f"{address}|{agent}|{publication_id}|{what}"
    key = "hub-usage:" + salted_hmac(f"hub.statistics.{today}", reader, algorithm="sha256").hexdigest()[:32]
    return cache.add(key, 1, DOUBLE_CLICK_SECONDS)


def count(request: HttpRequest, publication: Publication, what: str) -> bool:
    """Count one view or download of the publication if a person made it; True when counted. Best
    effort: a cache or database hiccup loses one count, never the reader's page."""
    if request.method != "GET" or is_robot(request) or not _is_whole_request(request):
        return False
    try:
        if not _first_click(request, publication.pk, what):
            return False
        add(publication.pk, timezone.localdate().replace(day=1), what)
    except Exception:  # noqa: BLE001 - statistics never break reading
        logger.warning("Could not count a %s of publication %s", what, publication.pk, exc_info=True)
        return False
    return True


def add(publication_id: int, month: datetime.date, what: str, amount: int = 1) -> None:
    """Add to a month's count; safe when many readers arrive at once, even for a month's first one."""
    rows = MonthlyUsage.objects.filter(publication_id=publication_id, month=month)
    if rows.update(**{what: F(what) + amount}):
        return
    try:
        with transaction.atomic():
            MonthlyUsage.objects.create(publication_id=publication_id, month=month, **{what: amount})
    except IntegrityError:  # another reader created the month's row first: add to theirs
        rows.update(**{what: F(what) + amount})


@dataclass(frozen=True)
class Totals:
    views: int
    downloads: int


def _sums():
    return {"views": Coalesce(Sum("views"), 0), "downloads": Coalesce(Sum("downloads"), 0)}


def totals_for(publication: Publication) -> Totals:
    return Totals(**MonthlyUsage.objects.filter(publication=publication).aggregate(**_sums()))


def months(count: int = 12, *, today: datetime.date | None = None) -> list[datetime.date]:
    """The first days of the last `count` months, oldest first, this month last."""
    month = (today or timezone.localdate()).replace(day=1)
    firsts = []
    for _ in range(count):
        firsts.append(month)
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    return firsts[::-1]


def per_month(first_days: list[datetime.date]) -> list[dict]:
    """Views and downloads of the listed papers in each month, with each bar's share of the highest."""
    rows = (
        MonthlyUsage.objects.filter(month__gte=first_days[0], publication__withdrawn_at__isnull=True)
        .values("month")
        .annotate(**_sums())
    )
    found = {row["month"]: row for row in rows}
    series = [
        {"month": month, "views": found.get(month, {}).get("views", 0),
         "downloads": found.get(month, {}).get("downloads", 0)}
        for month in first_days
    ]  # fmt: skip
    highest = max([row["views"] for row in series] + [row["downloads"] for row in series] + [1])
    for row in series:
        row["views_share"] = round(100 * row["views"] / highest, 1)
        row["downloads_share"] = round(100 * row["downloads"] / highest, 1)
    return series


def most_read(since: datetime.date, *, limit: int = 10) -> list[Publication]:
    """The listed papers most downloaded (then viewed) since a month, each with its two counts."""
    top = list(
        MonthlyUsage.objects.filter(month__gte=since, publication__withdrawn_at__isnull=True)
        .values("publication_id")
        .annotate(recent_views=Sum("views"), recent_downloads=Sum("downloads"))
        .filter(Q(recent_views__gt=0) | Q(recent_downloads__gt=0))
        .order_by("-recent_downloads", "-recent_views", "-publication_id")[:limit]
    )
    papers = Publication.objects.prefetch_related("authors").defer("search_vector")
    found = papers.in_bulk([row["publication_id"] for row in top])
    ranked = []
    for row in top:
        paper = found[row["publication_id"]]
        paper.recent_views, paper.recent_downloads = row["recent_views"], row["recent_downloads"]
        ranked.append(paper)
    return ranked


def overall() -> Totals:
    rows = MonthlyUsage.objects.filter(publication__withdrawn_at__isnull=True)
    return Totals(**rows.aggregate(**_sums()))
