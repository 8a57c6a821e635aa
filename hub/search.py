"""Search and browse the hub: full-text search with PostgreSQL (weighted, ranked, stemmed in the
paper's own language, over a GIN-indexed vector), a plain fallback on SQLite, and facet counts for
the current query. Every state lives in the query string, so a search can be shared.

Weights: title A; authors and keywords B; abstract and key messages C. A query is read in English,
French and Spanish at once, so "coopératives" finds a French paper by its stem.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from dataclasses import asdict, dataclass

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import get_language

from conference.models import Topic
from config.params import small_int

from .models import Publication, PublicationAuthor

CONFIGS = {"en": "english", "fr": "french", "es": "spanish"}
FACETS = ["sdg", "call", "type", "year", "language", "country"]
# Answers to a search (its counts, facets and pages) are kept this long, or until the hub changes.
CACHE_SECONDS = 600
RELATED_POOL = 100  # the newest papers on each of a paper's goals that are weighed as related


def postgres() -> bool:
    return connection.vendor == "postgresql"


def generation() -> int:
    """A number that changes whenever what the hub lists changes; cached answers are keyed on it."""
    return cache.get_or_set("hub-generation", time.time_ns, None)


def changed() -> None:
    """Forget every cached search answer, once the change is committed."""
    transaction.on_commit(lambda: cache.set("hub-generation", time.time_ns(), None), robust=True)


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
    and keywords against their text). Only the newest papers on each goal are weighed, so that a page
    costs the same in a hub of a hundred papers or of a hundred thousand."""
    goals = [t.pk for t in publication.topics.all() if t.sdg_number and t.edition_id is None]
    papers = (
        Publication.objects.listed()
        .exclude(pk=publication.pk)
        .filter(topics__in=goals)
        .annotate(shared=Count("topics", filter=Q(topics__in=goals), distinct=True))
        .only("number", "slug", "title", "language", "published_on")  # what the page shows of them
        .prefetch_related("authors")
    )
    order = ["-shared"]
    words = [w for w in (publication.title + " " + " ".join(publication.keywords)).split() if len(w) > 3]
    if postgres() and goals:
        # The index on (topic, publication) hands over the newest on each goal without a sort.
        newest = RawSQL(
            "SELECT t.publication_id FROM unnest(%s::bigint[]) AS goal(id) CROSS JOIN LATERAL ("
            " SELECT publication_id FROM hub_publication_topics WHERE topic_id = goal.id"
            " ORDER BY publication_id DESC LIMIT %s) AS t",
            [goals, RELATED_POOL],
        )
        papers = papers.filter(pk__in=newest)
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
    type: str = ""

    @classmethod
    def from_query(cls, params) -> Search:
        def number(name: str) -> int | None:
            return small_int(params.get(name, ""))

        def shaped(name: str, pattern: str) -> str:  # anything else (a NUL, a long string) is ignored
            value = params.get(name, "")
            return value if re.fullmatch(pattern, value) else ""

        year = number("year")
        return cls(
            q=params.get("q", "").replace("\x00", "").strip()[:200], sdg=number("sdg"), call=number("call"),
            year=year if year and 1000 <= year <= 9999 else None,
            language=shaped("language", "|".join(code for code, _name in settings.LANGUAGES)),
            country=shaped("country", r"[A-Za-z]{2}").upper(), type=shaped("type", r"[-a-z0-9_]{1,60}"),
        )  # fmt: skip

    @property
    def any(self) -> bool:
        return any(asdict(self).values())

    def filtered(self, *, without: str = ""):
        """The listed publications matching the text and every filter (but `without`, for its facet)."""
        papers = Publication.objects.listed()
        if self.q:
            papers = papers.filter(self._text_match())
        if self.sdg and without != "sdg":  # subqueries, not joins: no row is counted twice
            on_goal = Publication.topics.through.objects.filter(
                topic__sdg_number=self.sdg, topic__edition__isnull=True
            ).values("publication_id")
            papers = papers.filter(pk__in=on_goal)
        if self.call and without != "call":
            papers = papers.filter(edition_id=self.call)
        if self.year and without != "year":
            papers = papers.filter(published_on__year=self.year)
        if self.language and without != "language":
            papers = papers.filter(language=self.language)
        if self.type and without != "type":
            papers = papers.filter(type_key=self.type)
        if self.country and without != "country":
            by_author_from = PublicationAuthor.objects.filter(country=self.country).values("publication_id")
            papers = papers.filter(pk__in=by_author_from)
        return papers

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
                  "country": self.country, "type": self.type}  # fmt: skip
        goals = (
            Topic.objects.sdgs()
            .filter(publications__in=self.filtered(without="sdg"))
            .annotate(papers=Count("publications"))
            .order_by("sdg_number")
        )
        calls = (
            self.filtered(without="call")
            .filter(edition__isnull=False)
            .values("edition_id", "venue")
            .annotate(papers=Count("id"))
            .order_by("-papers", "edition_id")
        )
        kinds: dict[str, list] = {}
        for row in self.filtered(without="type").exclude(type_key="").values("type_key", "paper_type") \
                .annotate(papers=Count("id")):  # fmt: skip
            kind = kinds.setdefault(row["type_key"], [row["type_key"], row["paper_type"], 0])
            kind[2] += row["papers"]  # one type named differently in two calls: one key, counts added up
            if len(row["paper_type"]) > len(kind[1]):  # the name given in the most languages
                kind[1] = row["paper_type"]
        years = (
            self.filtered(without="year")
            .annotate(y=ExtractYear("published_on"))
            .values("y")
            .annotate(papers=Count("id"))
            .order_by("-y")
        )
        languages = (
            self.filtered(without="language").values("language").annotate(papers=Count("id"))
        ).order_by("-papers", "language")
        countries = (
            PublicationAuthor.objects.filter(publication__in=self.filtered(without="country"))
            .exclude(country="")
            .values("country")
            .annotate(papers=Count("publication", distinct=True))  # two authors from one country
            .order_by("-papers", "country")
        )

        def rows(items, key: str) -> list[tuple]:
            return [(row[key], row[key], row["papers"], chosen[key] == row[key]) for row in items]

        return {
            "sdg": [(g.sdg_number, str(g), g.papers, chosen["sdg"] == g.sdg_number) for g in goals],
            "call": [
                (r["edition_id"], r["venue"], r["papers"], chosen["call"] == r["edition_id"]) for r in calls
            ],
            "type": [
                (key, label, papers, chosen["type"] == key)
                for key, label, papers in sorted(kinds.values(), key=lambda kind: (-kind[2], kind[0]))
            ],
            "year": [(r["y"], str(r["y"]), r["papers"], chosen["year"] == r["y"]) for r in years],
            "language": rows(languages, "language"),
            "country": rows(countries[:30], "country"),
        }

    # Cached answers: a broad query over a large hub takes a while to count and rank, and the same
    # few queries come back again and again. Any change to the hub makes a new generation.
    def _key(self, part: str) -> str:
        # The facets' labels are in the reader's language: each language has its own answers.
        state = json.dumps([asdict(self), get_language()], sort_keys=True)
        return f"hub-search:{generation()}:{part}:{hashlib.sha256(state.encode()).hexdigest()[:32]}"

    def count(self) -> int:
        return cache.get_or_set(self._key("count"), self.filtered().count, CACHE_SECONDS)

    def facets(self) -> dict[str, list[tuple]]:
        return cache.get_or_set(self._key("facets"), self.facet_counts, CACHE_SECONDS)

    def pages(self) -> Results:
        """The results as a paginator reads them, each page fetched by its cached ids."""
        return Results(self)


class Results:
    def __init__(self, search: Search):
        self.search = search

    def count(self) -> int:
        return self.search.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[Publication]:
        key = self.search._key(f"ids:{window.start}:{window.stop}")
        ids = cache.get(key)
        if ids is None:
            ids = list(self.search.results().values_list("pk", flat=True)[window])
            cache.set(key, ids, CACHE_SECONDS)
        found = {
            paper.pk: paper
            for paper in Publication.objects.listed()
            .filter(pk__in=ids)
            .select_related("edition__series")
            .prefetch_related("authors", "topics")
        }
        return [found[pk] for pk in ids if pk in found]
