"""Atom feeds of new papers (the hub, one SDG, one call) and the sitemap, read as XML."""

import datetime

import pytest
from lxml import etree

from conference.models import Topic
from hub.models import Publication, PublicationAuthor
from tests.factories import EditionFactory, SeriesFactory

ATOM = {"atom": "http://www.w3.org/2005/Atom"}


@pytest.fixture
def papers(db):
    edition = EditionFactory(series=SeriesFactory(slug="sse"), year=2025, title={"en": "SSE 2025"})
    goal = Topic.objects.sdgs().get(sdg_number=8)
    made = []
    for number, (title, on_goal, withdrawn) in enumerate(
        [("Decent work in platform cooperatives", True, False), ("Housing cooperatives", False, False),
         ("A paper taken down", True, True)], 1,
    ):  # fmt: skip
        publication = Publication.objects.create(
            number=number, edition=edition if number < 3 else None, title=title, abstract="About it.",
            language="en", licence="CC-BY-4.0", published_on=datetime.date(2025, 6, number),
            withdrawn_at=datetime.datetime(2025, 7, 1, tzinfo=datetime.UTC) if withdrawn else None,
        )  # fmt: skip
        PublicationAuthor.objects.create(publication=publication, name="Ana Souza")
        if on_goal:
            publication.topics.add(goal)
        made.append(publication)
    return made


def titles(response) -> list[str]:
    assert response["Content-Type"].startswith("application/atom+xml")
    tree = etree.fromstring(response.content)
    return tree.xpath("//atom:entry/atom:title/text()", namespaces=ATOM)


def test_the_hub_feed_lists_new_papers_newest_first_and_never_a_withdrawn_one(client, papers):
    assert titles(client.get("/hub/feed/")) == [
        "Housing cooperatives",
        "Decent work in platform cooperatives",
    ]


def test_feeds_per_goal_and_per_call(client, papers):
    assert titles(client.get("/hub/feed/sdg/8/")) == ["Decent work in platform cooperatives"]
    assert titles(client.get("/hub/feed/sse/2025/")) == [
        "Housing cooperatives",
        "Decent work in platform cooperatives",
    ]
    assert client.get("/hub/feed/sdg/99/").status_code == 404


def test_the_sitemap_lists_every_landing_page_but_withdrawn_ones(client, papers):
    tree = etree.fromstring(client.get("/sitemap.xml").content)
    locations = tree.xpath("//s:loc/text()", namespaces={"s": "http://www.sitemaps.org/schemas/sitemap/0.9"})
    assert any(url.endswith("/hub/") for url in locations)
    assert sum("/hub/papers/" in url for url in locations) == 2
    assert not any("a-paper-taken-down" in url for url in locations)
