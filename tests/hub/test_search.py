"""Search on SQLite, the embedded default: the same membership, filter and facet cases as PostgreSQL
(tests/integration/test_hub_search.py, where ranking and stems are tested too); the page itself."""

import pytest

from tests.hub.search_cases import check_filters_and_facets, check_membership, make_papers


@pytest.fixture
def papers(db):
    return make_papers()


def test_every_field_is_searched(papers):
    check_membership()


def test_filters_and_facet_counts(papers):
    check_filters_and_facets()


def test_the_page_keeps_its_state_in_the_address_and_toggles_facets(client, papers):
    page = client.get("/hub/search/", {"q": "cooperatives", "sdg": "8"}).content.decode()
    assert "Measuring the social economy" in page and "Genève" not in page
    assert 'href="?q=cooperatives"' in page  # following the chosen SDG removes it, keeps the words
    assert 'aria-current="true"' in page


def test_the_search_page_costs_the_same_for_few_or_many_papers(
    client, papers, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from hub.models import Publication, PublicationAuthor

    def cost():
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/hub/search/", {"q": "cooperatives", "country": "IT"})
            assert response.status_code == 200
        return len(queries), response.content.decode().count("<article")

    few, shown = cost()
    assert cost() == (3, shown)  # asked again: count, facets and page ids come from the cache
    template = Publication.objects.get(number=4)
    with django_capture_on_commit_callbacks(execute=True):  # the hub changes: cached answers go
        for n in range(30):
            copy = Publication.objects.create(
                number=100 + n, title=f"Cooperatives {n}", abstract=template.abstract, language="en",
                licence="CC-BY-4.0", published_on=template.published_on, edition=template.edition,
            )  # fmt: skip
            for k in range(1 + n % 4):
                PublicationAuthor.objects.create(
                    publication=copy, position=k, name=f"Author {k}", country="IT"
                )
            copy.topics.set(template.topics.all())
    assert cost() == (few, 20)  # a full page now, for the same number of queries


def test_a_paper_page_shows_related_papers_on_the_same_goals(client, papers):
    from hub import services

    page = client.get(papers[0].get_absolute_url()).content.decode()
    related = page.split("Related papers", 1)[1]
    assert "Measuring the social economy" in related  # SDG 8 too
    assert "Cuidados comunitarios" not in related and "Cooperative banks and local development" not in related
    services.withdraw(publication=papers[3], by=None, reason="Duplicate.")
    assert "Related papers" not in client.get(papers[0].get_absolute_url()).content.decode()
