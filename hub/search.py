"""Search and browse the hub: full-text search with PostgreSQL (weighted, ranked, stemmed in the
paper's own language, over a GIN-indexed vector), a plain fallback on SQLite, and facet counts for
the current query. Every state lives in the query string, so a search can be shared.

Weights: title A; authors and keywords B; abstract and key messages C. A query is read in English,
French and Spanish at once, so "coopératives" finds a French paper by its stem.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.db.models.functions import ExtractYear
from django.utils import timezone

from conference.models import Topic

from .models import Publication, PublicationAuthor

CONFIGS = {"en": "english", "fr": "french", "es": "spanish"}
FACETS = ["sdg", "call", "year", "language", "country"]


def postgres() -> bool:
    return connection.vendor == "postgresql"


def index(publication: Publication) -> None:
    """Keep the searchable text (and, on PostgreSQL, the vector) in step with the publication."""
    authors = PublicationAuthor.objects.filter(publication=publication).values_list("name", "affiliation")
    Publication.objects.filter(pk=publication.pk).update(
        authors_text=" ".join(f"{name} {affiliation}" for name, affiliation in authors),
        messages_text=" ".join(publication.key_messages),
        # Stamped last, just before the commit: a harvester's next `from` never skips past it.
        modified_at=timezone.now(),
    )
    if postgres():
        config = CONFIGS.get(publication.language, "simple")
        Publication.objects.filter(pk=publication.pk).update(
            search_vector=SearchVector("title", weight="A", config=config)
            + SearchVector("authors_text", weight="B", config=config)
            + SearchVector(_keywords_text(publication), weight="B", config=config)
            + SearchVector("abstract", "messages_text", weight="C", config=config)
        )


def _keywords_text(publication: Publication):
    return Value(" ".join(publication.keywords))


def related(publication: Publication, *, limit: int = 5):
    """Papers on the same SDGs, most shared first; on PostgreSQL, then the closest in words (its title
    and keywords against their text)."""
    goals = [t.pk for t in publication.topics.all() if t.sdg_number and t.edition_id is None]
    papers = (
        Publication.objects.listed()
        .exclude(pk=publication.pk)
        .filter(topics__in=goals)
        .annotate(shared=Count("topics", filter=Q(topics__in=goals), distinct=True))
        .prefetch_related("authors")
    )
    order = ["-shared"]
    words = [w for w in (publication.title + " " + " ".join(publication.keywords)).split() if len(w) > 3]
    if postgres() and words:
        query = SearchQuery(" or ".join(words[:30]), config=CONFIGS.get(publication.language, "simple"),
                            search_type="websearch")  # fmt: skip
        papers = papers.annotate(closeness=SearchRank(F("search_vector"), query))
        order.append("-closeness")
    return papers.order_by(*order, "-published_on", "-number")[:limit]


@dataclass
class Search:
    q: str = ""
    sdg: int | None = None
    call: int | None = None
    year: int | None = None
    language: str = ""
    country: str = ""
    facets: dict = field(default_factory=dict)

    @classmethod
    def from_query(cls, params) -> Search:
        def number(name: str) -> int | None:
            value = params.get(name, "")
            return int(value) if value.isascii() and value.isdigit() and len(value) <= 9 else None

        return cls(
            q=params.get("q", "").replace("\x00", "").strip()[:200], sdg=number("sdg"), call=number("call"),
            year=year if (year := number("year")) and 1000 <= year <= 9999 else None,
            language=params.get("language", "")[:10], country=params.get("country", "")[:2].upper(),
        )  # fmt: skip

    @property
    def any(self) -> bool:
        return bool(self.q or self.sdg or self.call or self.year or self.language or self.country)

    def filtered(self, *, without: str = ""):
        """The listed publications matching the text and every filter (but `without`, for its facet)."""
        papers = Publication.objects.listed()
        if self.q:
            papers = papers.filter(self._text_match())
        if self.sdg and without != "sdg":
            papers = papers.filter(topics__sdg_number=self.sdg, topics__edition__isnull=True)
        if self.call and without != "call":
            papers = papers.filter(edition_id=self.call)
        if self.year and without != "year":
            papers = papers.filter(published_on__year=self.year)
        if self.language and without != "language":
            papers = papers.filter(language=self.language)
        if self.country and without != "country":
            papers = papers.filter(authors__country=self.country)
        return papers.distinct() if (self.sdg or self.country) else papers

    def _query(self):
        queries = [SearchQuery(self.q, config=config, search_type="websearch") for config in CONFIGS.values()]
        combined = queries[0]
        for query in queries[1:]:
            combined |= query
        return combined

    def _text_match(self) -> Q:
        if postgres():
            return Q(search_vector=self._query())
        words = self.q.split()
        match = Q()
        for word in words:  # every word somewhere (SQLite: no stems, no ranks beyond the title first)
            match &= (
                Q(title__icontains=word) | Q(abstract__icontains=word) | Q(authors_text__icontains=word)
                | Q(keywords__icontains=word) | Q(messages_text__icontains=word)
            )  # fmt: skip
        return match

    def results(self):
        """The matching publications, best first (newest first without a text query)."""
        papers = self.filtered().select_related("edition__series").prefetch_related("authors", "topics")
        if not self.q:
            return papers.order_by("-published_on", "-number")
        if postgres():
            rank = SearchRank(F("search_vector"), self._query())
            return papers.annotate(rank=rank).order_by("-rank", "-published_on", "-number")
        in_title = Case(
            When(title__icontains=self.q, then=Value(1)), default=Value(0), output_field=IntegerField()
        )
        return papers.annotate(rank=in_title).order_by("-rank", "-published_on", "-number")

    def facet_counts(self) -> dict[str, list[tuple]]:
        """For each facet: (value, label, count, chosen), counted over the query and the other filters."""
        chosen = {"sdg": self.sdg, "call": self.call, "year": self.year, "language": self.language,
                  "country": self.country}  # fmt: skip
        goals = (
            Topic.objects.sdgs()
            .filter(publications__in=self.filtered(without="sdg"))
            .annotate(papers=Count("publications", distinct=True))
            .order_by("sdg_number")
        )
        calls = (
            self.filtered(without="call")
            .filter(edition__isnull=False)
            .values("edition_id", "venue")
            .annotate(papers=Count("id", distinct=True))
            .order_by("-papers", "edition_id")
        )
        years = (
            self.filtered(without="year")
            .annotate(y=ExtractYear("published_on"))
            .values("y")
            .annotate(papers=Count("id", distinct=True))
            .order_by("-y")
        )
        languages = (
            self.filtered(without="language").values("language").annotate(papers=Count("id", distinct=True))
        ).order_by("-papers", "language")
        countries = (
            PublicationAuthor.objects.filter(publication__in=self.filtered(without="country"))
            .exclude(country="")
            .values("country")
            .annotate(papers=Count("publication", distinct=True))
            .order_by("-papers", "country")
        )

        def rows(items, key: str) -> list[tuple]:
            return [(row[key], row[key], row["papers"], chosen[key] == row[key]) for row in items]

        return {
            "sdg": [(g.sdg_number, str(g), g.papers, chosen["sdg"] == g.sdg_number) for g in goals],
            "call": [
                (r["edition_id"], r["venue"], r["papers"], chosen["call"] == r["edition_id"]) for r in calls
            ],
            "year": [(r["y"], str(r["y"]), r["papers"], chosen["year"] == r["y"]) for r in years],
            "language": rows(languages, "language"),
            "country": rows(countries[:30], "country"),
        }
