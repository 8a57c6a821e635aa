"""A third-party harvester (oaipmh-scythe) harvests the hub from a live server on PostgreSQL: every
record over several resumption pages, every response valid against the official schemas, a paper
published between pages left for the next incremental harvest, and a record stamped at `until` kept."""

from __future__ import annotations

import datetime
import importlib
from pathlib import Path

import pytest
import time_machine
from django.apps import apps
from django.test import override_settings
from lxml import etree
from oaipmh_scythe import Scythe
from oaipmh_scythe.exceptions import IdDoesNotExist

from conference.models import Topic
from hub.models import Publication, PublicationAuthor
from hub.oai import stamp

SCHEMA = etree.XMLSchema(
    etree.parse(str(Path(__file__).resolve().parents[1] / "standards/oai-pmh/wrapper.xsd"))
)
OAI = {"o": "http://www.openarchives.org/OAI/2.0/"}
START = datetime.datetime(2026, 1, 5, 9, 0, 0, tzinfo=datetime.UTC)


class CheckingScythe(Scythe):
    """The harvester as it is, keeping and validating every response it gets."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.responses: list[etree._Element] = []

    def harvest(self, query):
        response = super().harvest(query)
        tree = etree.fromstring(response.raw.encode())
        SCHEMA.assertValid(tree)
        self.responses.append(tree)
        return response


@pytest.fixture
def hub(real_services, live_server):
    importlib.import_module("conference.migrations.0002_sustainable_development_goals").add_sdgs(apps, None)
    goals = list(Topic.objects.sdgs())
    papers = Publication.objects.bulk_create(
        Publication(number=n, title=f"Paper {n} on cooperatives", slug=f"paper-{n}", abstract="About them.",
                    language="en", licence="CC-BY-4.0", published_on=START.date(),
                    withdrawn_at=START if n == 250 else None)
        for n in range(1, 251)
    )  # fmt: skip
    PublicationAuthor.objects.bulk_create(
        PublicationAuthor(publication=p, name=f"Author {p.number}") for p in papers
    )
    Publication.topics.through.objects.bulk_create(
        Publication.topics.through(publication=p, topic=goals[p.number % 17]) for p in papers
    )
    for paper in papers:  # one datestamp every minute, in number order
        Publication.objects.filter(pk=paper.pk).update(
            modified_at=START + datetime.timedelta(minutes=paper.number)
        )
    with override_settings(SITE_URL=live_server.url):
        yield CheckingScythe(live_server.url + "/oai")


def numbers(items) -> list[int]:
    """The paper numbers of harvested records or headers."""
    headers = [getattr(item, "header", item) for item in items]
    return [int(header.identifier.rsplit(":", 1)[1]) for header in headers]


def test_a_harvester_gets_every_record_once_over_several_pages_and_deleted_ones_as_such(hub):
    records = list(hub.list_records(metadata_prefix="oai_dc"))
    assert sorted(numbers(records)) == list(range(1, 251))
    assert [record.header.deleted for record in records].count(True) == 1  # the withdrawn paper
    pages = [tree.xpath("//o:resumptionToken", namespaces=OAI) for tree in hub.responses]
    assert len(hub.responses) == 3 and [p[0].get("cursor") for p in pages] == ["0", "100", "200"]
    assert hub.identify().repositoryName == "Convene knowledge hub"
    with pytest.raises(IdDoesNotExist):
        hub.get_record(identifier="oai:127.0.0.1:9999", metadata_prefix="oai_dc")


def test_a_paper_published_between_pages_is_neither_lost_nor_harvested_twice(hub):
    harvest = hub.list_identifiers(metadata_prefix="oai_dc")
    first_page = [next(harvest) for _ in range(100)]
    started = hub.responses[0].xpath("//o:responseDate/text()", namespaces=OAI)[0]
    late = Publication.objects.create(number=251, title="Published meanwhile", abstract="New.", language="en",
                                      licence="CC-BY-4.0", published_on=datetime.date.today())  # fmt: skip
    rest = list(harvest)
    this_harvest = numbers(first_page) + numbers(rest)
    assert len(this_harvest) == len(set(this_harvest)) == 250 and late.number not in this_harvest
    # The next incremental harvest, a while later, starts where this one started.
    with time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=10)):
        assert numbers(hub.list_identifiers(metadata_prefix="oai_dc", from_=started)) == [late.number]


def test_a_record_stamped_exactly_at_until_is_included(hub):
    until = stamp(START + datetime.timedelta(minutes=3))
    assert numbers(hub.list_identifiers(metadata_prefix="oai_dc", until=until)) == [1, 2, 3]
