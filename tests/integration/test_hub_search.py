"""Search on PostgreSQL: the SQLite cases hold too, and here words are stemmed in each paper's language
and a match in the title outranks one in the abstract."""

import importlib

import pytest
from django.apps import apps
from django.db import connection

from hub.search import Search, related
from tests.hub.search_cases import check_filters_and_facets, check_membership, make_papers, titles


@pytest.fixture
def sdgs(real_services):
    # A transactional test empties every table afterwards, the SDGs of the data migration with them.
    importlib.import_module("conference.migrations.0002_sustainable_development_goals").add_sdgs(apps, None)


def test_membership_filters_and_facets_hold_on_postgresql(sdgs):
    make_papers()
    check_membership()
    check_filters_and_facets()


def test_a_french_query_finds_its_french_paper_by_a_stem(sdgs):
    make_papers()
    # The abstract says "logement"; French stemming brings "logements" to the same stem ("log").
    assert titles({"q": "logements"}) == ["Les coopératives d'habitants à Genève"]
    assert titles({"q": "lending"}) == ["Cooperative banks and local development"]  # English: "lend"


def test_a_title_match_outranks_an_abstract_match(sdgs):
    make_papers()
    # "Cooperative" is in one title and in another paper's abstract only.
    ranked = titles({"q": "cooperative"})
    assert ranked.index("Cooperative banks and local development") < ranked.index(
        "Measuring the social economy"
    )


def test_the_search_uses_the_gin_index(sdgs):
    make_papers()
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'hub_publication_search'")
        (definition,) = cursor.fetchone()
    assert "gin (search_vector)" in definition
    assert Search.from_query({"q": "cooperative"}).results().count() >= 2


def test_related_papers_share_goals_and_words(sdgs):
    from hub.search import related

    papers = make_papers()
    assert [p.title for p in related(papers[0])] == ["Measuring the social economy"]


def test_related_papers_share_a_goal_among_the_newest_on_it(sdgs, monkeypatch):
    papers = make_papers()
    assert [p.title for p in related(papers[0])] == ["Measuring the social economy"]
    assert [p.title for p in related(papers[3])] == ["Cooperative banks and local development"]
    monkeypatch.setattr("hub.search.RELATED_POOL", 1)  # only the newest paper on each goal is weighed
    assert [p.title for p in related(papers[0])] == ["Measuring the social economy"]
    assert [p.title for p in related(papers[3])] == []  # the newest on SDG 8 is itself
