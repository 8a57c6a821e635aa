"""Search cases that hold on SQLite and on PostgreSQL alike (tests/hub and tests/integration run them)."""

import datetime

from conference.models import Topic
from hub import search
from hub.models import Publication, PublicationAuthor
from tests.factories import EditionFactory, SeriesFactory

PAPERS = [
    # title, abstract, language, authors (name, country), keywords, key messages, SDG, year
    ("Cooperative banks and local development", "How credit unions lend to small firms in Italian cities.",
     "en", [("Giulia Rossi", "IT")], ["finance"], ["Back local lenders."], 8, 2025),
    ("Les coopératives d'habitants à Genève", "Comment les coopératives financent le logement abordable.",
     "fr", [("Claire Martin", "CH")], ["logement"], ["Soutenir les coopératives."], 11, 2025),
    ("Cuidados comunitarios en Colombia", "Organizaciones de cuidado y trabajo no remunerado.", "es",
     [("Laura Gómez", "CO")], ["cuidados"], ["Reconocer el trabajo de cuidado."], 5, 2022),
    ("Measuring the social economy", "Satellite accounts for cooperatives and mutuals.", "en",
     [("Rahul Mehta", "IN"), ("Giulia Rossi", "IT")], ["statistics"], ["Count cooperatives."], 8, 2022),
]  # fmt: skip
TYPES = [{"en": "Full paper", "fr": "Article"}, {"en": "Policy brief", "fr": "Note politique"},
         {"es": "Resumen de políticas"}, {"en": "Full paper"}]  # fmt: skip


def make_papers() -> list[Publication]:
    editions = {
        year: EditionFactory(series=SeriesFactory(slug=f"sse{year}"), year=year, title={"en": f"SSE {year}"})
        for year in (2022, 2025)
    }
    made = []
    for number, (title, abstract, language, authors, keywords, messages, goal, year) in enumerate(PAPERS, 1):
        publication = Publication.objects.create(
            number=number, edition=editions[year], title=title, abstract=abstract, language=language,
            keywords=keywords, key_messages=messages, licence="CC-BY-4.0", venue=editions[year].title,
            published_on=datetime.date(year, 6, number), paper_type=TYPES[number - 1],
        )  # fmt: skip
        for position, (name, country) in enumerate(authors):
            PublicationAuthor.objects.create(
                publication=publication, position=position, name=name, country=country
            )
        publication.topics.add(Topic.objects.sdgs().get(sdg_number=goal))
        search.index(publication)
        made.append(publication)
    return made


def titles(params: dict) -> list[str]:
    return [p.title for p in search.Search.from_query(params).results()]


def check_membership() -> None:
    """Words in the title, abstract, authors, keywords and key messages each find their paper."""
    assert titles({"q": "Genève"}) == ["Les coopératives d'habitants à Genève"]
    assert titles({"q": "Mehta"}) == ["Measuring the social economy"]
    assert titles({"q": "cuidados"}) == ["Cuidados comunitarios en Colombia"]
    assert titles({"q": "satellite"}) == ["Measuring the social economy"]
    assert set(titles({"q": "Rossi"})) == {
        "Cooperative banks and local development",
        "Measuring the social economy",
    }
    assert titles({"q": "nothing-like-this"}) == []


def check_filters_and_facets() -> None:
    assert titles({"sdg": "8", "year": "2022"}) == ["Measuring the social economy"]
    assert titles({"country": "co"}) == ["Cuidados comunitarios en Colombia"]
    assert titles({"language": "fr"}) == ["Les coopératives d'habitants à Genève"]
    assert titles({"type": "policy-brief"}) == ["Les coopératives d'habitants à Genève"]
    assert titles({"type": "resumen-de-politicas"}) == ["Cuidados comunitarios en Colombia"]
    assert titles({}) == [  # no words: newest first
        "Les coopératives d'habitants à Genève",
        "Cooperative banks and local development",
        "Measuring the social economy",
        "Cuidados comunitarios en Colombia",
    ]
    facets = search.Search.from_query({"sdg": "8"}).facet_counts()
    assert [(value, count, chosen) for value, _label, count, chosen in facets["sdg"]] == [
        (5, 1, False),
        (8, 2, True),
        (11, 1, False),
    ]  # the SDG facet counts as if no SDG were chosen; the others follow the choice
    assert sorted((value, count) for value, _label, count, _c in facets["year"]) == [(2022, 1), (2025, 1)]
    assert sorted((value, count) for value, _label, count, _c in facets["country"]) == [("IN", 1), ("IT", 2)]
    assert facets["type"] == [("full-paper", {"en": "Full paper", "fr": "Article"}, 2, False)]
    by_type = search.Search.from_query({"type": "full-paper"}).facet_counts()["type"]
    assert [(value, count, chosen) for value, _label, count, chosen in by_type] == [
        ("full-paper", 2, True),
        ("policy-brief", 1, False),
        ("resumen-de-politicas", 1, False),
    ]  # the type facet counts as if no type were chosen
