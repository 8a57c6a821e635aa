"""Every list the hub serves to machines and to the chair costs the same number of queries for one
paper or for many papers with more authors and topics each."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conference.models import Topic
from hub import services
from tests.factories import AuthorshipFactory

from .conftest import camera_ready

LISTS = [
    "/hub/api/publications/",
    "/hub/api/publications/?q=solidarity&sdg=1",
    "/oai?verb=ListRecords&metadataPrefix=oai_dc",
    "/oai?verb=ListIdentifiers&metadataPrefix=oai_dc",
    "/oai?verb=ListSets",
    "/hub/feed/",
    "/hub/feed/sdg/1/",
    "/hub/feed/sse/2025/",
    "/sitemap.xml",
    "/calls/sse/2025/chair/publish/",
]


def cost(client, url):
    cache.clear()  # the answer computed afresh, not the cached search
    # OAI-PMH lists end a second before the request: look a few seconds later, so every paper is in.
    later = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(seconds=5)
    with time_machine.travel(later), CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        content = (
            b"".join(response.streaming_content)
            if hasattr(response, "streaming_content")
            else response.content
        )
    assert (
        b"noRecordsMatch" not in content
        and b"Solidarity finance 0" in content
        or b"<oai" not in content[:400]
    )
    return len(queries)


@pytest.mark.parametrize("url", LISTS)
def test_a_list_costs_the_same_for_one_paper_or_many(client, edition, chair, url):
    client.force_login(chair)
    services.publish(submission=camera_ready(edition, title="Solidarity finance 0"), by=chair)
    camera_ready(edition, title="Waiting 0")  # one approved final version waits on the chair's page
    few = cost(client, url)
    goals = list(Topic.objects.sdgs())
    for n in range(1, 13):
        paper = camera_ready(edition, title=f"Solidarity finance {n}")
        for position in range(2, 2 + n % 6):
            AuthorshipFactory(submission=paper, position=position)
        paper.topics.set(goals[: 1 + n % 3])
        if n % 4:
            services.publish(submission=paper, by=chair)
    assert cost(client, url) == few
