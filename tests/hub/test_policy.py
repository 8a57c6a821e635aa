"""The policy view: key messages per SDG and per call, on a page and as a PDF brief."""

import io

import pytest
from pypdf import PdfReader

from hub import services
from tests.hub.search_cases import make_papers


@pytest.fixture
def papers(db):
    return make_papers()


def test_the_page_of_a_goal_lists_its_papers_key_messages(client, papers):
    page = client.get("/hub/policy/sdg/8/").content.decode()
    assert "Back local lenders." in page and "Count cooperatives." in page
    assert "Soutenir les coopératives." not in page  # SDG 11
    services.withdraw(publication=papers[0], by=None, reason="Duplicate.")
    assert "Back local lenders." not in client.get("/hub/policy/sdg/8/").content.decode()
    assert client.get("/hub/policy/sdg/42/").status_code == 404


def test_the_page_of_a_call_and_its_brief(client, papers):
    page = client.get("/hub/policy/sse2025/2025/").content.decode()
    assert (
        "Back local lenders." in page
        and "Soutenir les coopératives." in page
        and "Count cooperatives" not in page
    )
    response = client.get("/hub/policy/sse2025/2025/brief.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(
        page.extract_text() for page in PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages
    )
    assert "Key messages for policy makers" in text and "Soutenir les coopératives." in text


def test_the_policy_page_costs_the_same_for_few_or_many_papers(client, papers):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from hub.models import Publication, PublicationAuthor

    def cost():
        with CaptureQueriesContext(connection) as queries:
            client.get("/hub/policy/sdg/8/")
        return len(queries)

    few = cost()
    template = papers[0]
    for n in range(12):
        copy = Publication.objects.create(number=200 + n, title=f"More {n}", abstract="x", language="en",
                                          licence="CC-BY-4.0", published_on=template.published_on,
                                          key_messages=["One.", "Two."])  # fmt: skip
        copy.topics.set(template.topics.all())
        for k in range(1 + n % 3):
            PublicationAuthor.objects.create(publication=copy, position=k, name=f"A{k}")
    assert cost() == few
