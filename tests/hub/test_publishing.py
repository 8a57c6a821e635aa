"""Publishing camera-ready papers into the hub, and what a paper's landing page gives people and machines."""

import json

import pytest
from lxml import etree, html

from hub import services
from hub.models import Publication
from notifications.models import OutboxMessage
from submissions.models import Conflict, Submission
from tests.factories import (
    AuthorshipFactory,
    SubmissionFactory,
)
from tests.hub.conftest import camera_ready


def test_publishing_freezes_the_papers_metadata_and_tells_its_authors(edition, chair):
    paper = camera_ready(edition)
    publication = services.publish(submission=paper, by=chair)
    paper.refresh_from_db()
    assert paper.state == Submission.State.PUBLISHED
    assert (publication.number, publication.title, publication.licence) == (1, paper.title, edition.licence)
    assert [(a.name, a.affiliation, a.country.code, a.orcid) for a in publication.authors.all()] == [
        ("Ana Núñez", "Universidad Nacional", "CO", "0000-0002-1825-0097"),
        ("ILO", "", "CH", ""),
    ]
    assert publication.keywords == ["cooperative banks", "cities"] and publication.topics.count() == 2
    assert publication.venue == {"en": "SSE and the SDGs 2025"} and publication.paper_type == {"en": "Paper"}
    assert publication.current_file().file.read().startswith(b"%PDF")
    paper.title = "Changed afterwards"
    Submission.objects.filter(pk=paper.pk).update(title="Changed afterwards")
    publication.refresh_from_db()
    assert publication.title == "Solidarity finance in cities"  # frozen
    mails = OutboxMessage.objects.filter(idempotency_key__startswith="published:")
    assert mails.count() == 2 and publication.get_absolute_url() in mails.first().body_text


def test_numbers_follow_each_other_across_calls(edition, chair):
    first = services.publish(submission=camera_ready(edition), by=chair)
    second = services.publish(submission=camera_ready(edition, title="Care cooperatives"), by=chair)
    assert (first.number, second.number) == (1, 2)


def test_only_approved_final_versions_by_a_chair_not_in_conflict_are_published(edition, chair):
    from django.core.exceptions import ValidationError

    accepted = SubmissionFactory(edition=edition, state=Submission.State.ACCEPTED)
    with pytest.raises(ValidationError, match="not an approved final version"):
        services.publish(submission=accepted, by=chair)
    conflicted = camera_ready(edition)
    Conflict.objects.create(submission=conflicted, user=chair, kind=Conflict.Kind.ADDED_BY_CHAIR)
    with pytest.raises(ValidationError, match="not in conflict"):
        services.publish(submission=conflicted, by=chair)
    assert not Publication.objects.exists()


def test_the_chair_publishes_the_whole_call_from_the_page(client, edition, chair):
    for title in ("One", "Two", "Three"):
        camera_ready(edition, title=title)
    client.force_login(chair)
    url = "/calls/sse/2025/chair/publish/"
    assert "Publish all 3 papers" in client.get(url).content.decode()
    response = client.post(url, follow=True)
    assert "3 papers published." in response.content.decode()
    assert Publication.objects.count() == 3
    assert "No approved final version waits" in client.get(url).content.decode()


@pytest.fixture
def published(edition, chair):
    return services.publish(
        submission=camera_ready(edition, title='Économie sociale & solidaire: 50% {x}_ "</script>'), by=chair
    )


def meta(page, name):
    return [element.get("content") for element in page.xpath(f'//meta[@name="{name}"]')]


def test_the_landing_page_carries_citation_tags_json_ld_and_a_pdf_that_answers(client, published):
    response = client.get(published.get_absolute_url())
    assert response.status_code == 200
    page = html.fromstring(response.content)
    assert meta(page, "citation_title") == [published.title]
    assert meta(page, "citation_author") == ["Ana Núñez", "ILO"]
    assert meta(page, "citation_author_institution") == ["Universidad Nacional"]
    assert meta(page, "citation_publication_date") == [published.published_on.strftime("%Y/%m/%d")]
    assert meta(page, "citation_conference_title") == ["SSE and the SDGs 2025"]
    (ld,) = page.xpath('//script[@type="application/ld+json"]/text()')
    data = json.loads(ld)
    assert data["@type"] == "ScholarlyArticle" and data["name"] == published.title
    assert [a["name"] for a in data["author"]] == ["Ana Núñez", "ILO"]
    assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert page.xpath('//link[@rel="license"]/@href') == [data["license"]]
    (pdf_url,) = meta(page, "citation_pdf_url")
    pdf = client.get(
        pdf_url.replace("http://testserver", "").split("//", 1)[-1][pdf_url.split("//", 1)[-1].index("/") :]
    )
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_an_old_slug_and_the_bare_number_redirect_permanently(client, edition, chair, published):
    services.correct(publication=published, by=chair, note="Title corrected.", title="Solidarity finance")
    published.refresh_from_db()
    old = client.get(f"/hub/papers/{published.number}/economie-sociale-solidaire-50-x_-script/")
    assert old.status_code == 301 and old["Location"] == f"/hub/papers/{published.number}/solidarity-finance/"
    assert client.get(f"/hub/papers/{published.number}/").status_code == 301
    page = client.get(published.get_absolute_url()).content.decode()
    assert "This is version 2" in page and "Title corrected." in page


def test_a_withdrawn_paper_leaves_a_tombstone_with_its_citation_and_reason(client, chair, published):
    services.withdraw(publication=published, by=chair, reason="Published twice by mistake.")
    response = client.get(published.get_absolute_url())
    assert response.status_code == 410
    page = response.content.decode()
    assert "Published twice by mistake." in page and "Núñez, A., &amp; ILO. (" in page
    assert client.get(f"/hub/papers/{published.number}/pdf/").status_code == 410
    assert "Économie" not in client.get("/hub/").content.decode()


def test_the_hub_home_lists_the_latest_papers_and_counts_per_goal(client, published):
    page = client.get("/hub/").content.decode()
    assert "Économie sociale &amp; solidaire" in page and "1 paper on the social" in page


def test_landing_and_home_cost_the_same_for_few_or_many_authors_and_papers(client, edition, chair, published):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def cost(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    services.publish(submission=camera_ready(edition, title="A neighbour"), by=chair)  # one related paper
    few = cost(published.get_absolute_url()), cost("/hub/")
    crowded = camera_ready(edition, title="Many authors")
    for position in range(2, 9):
        AuthorshipFactory(submission=crowded, position=position)
    many = services.publish(submission=crowded, by=chair)
    for n in range(10):
        services.publish(submission=camera_ready(edition, title=f"Paper {n}"), by=chair)
    assert (cost(many.get_absolute_url()), cost("/hub/")) == few


def test_odd_search_input_is_answered_not_crashed(client, published):
    odd = [{"sdg": "²"}, {"year": "99999"}, {"call": "9" * 40}, {"q": "\x00'\"&<>"}, {"q": "!!!"},
           {"type": "\x00"}, {"language": "\x00"}, {"country": "\x00x"}, {"type": "x" * 500}]  # fmt: skip
    for params in odd:
        assert client.get("/hub/search/", params).status_code == 200, params
        assert client.get("/hub/api/publications/", params).status_code == 200, params


def test_a_title_cannot_break_out_of_the_json_ld_and_feeds_escape_abstracts(client, edition, chair):
    paper = camera_ready(edition, title="<!--<script> & more")
    Submission.objects.filter(pk=paper.pk).update(abstract="a<b <img src=x>")
    publication = services.publish(submission=paper, by=chair)
    page = client.get(publication.get_absolute_url()).content.decode()
    script = page.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in script and json.loads(script)["name"] == "<!--<script> & more"
    feed = client.get("/hub/feed/").content.decode()
    summary = etree.fromstring(feed.encode()).xpath(
        "//a:summary/text()", namespaces={"a": "http://www.w3.org/2005/Atom"}
    )
    assert summary == ["<p>a&lt;b &lt;img src=x&gt;</p>"]  # readers get text, never an image


def test_extruct_reads_the_landing_pages_json_ld_open_graph_and_licence(client, published):
    """What a crawler's own extractor (extruct) finds: the title, every author, the date, the licence
    and a PDF that answers as a PDF."""
    import extruct
    from django.conf import settings

    response = client.get(published.get_absolute_url())
    url = "http://testserver" + published.get_absolute_url()
    syntaxes = ["json-ld", "opengraph", "rdfa"]
    found = extruct.extract(response.content.decode(), base_url=url, syntaxes=syntaxes)
    (article,) = found["json-ld"]
    assert article["@type"] == "ScholarlyArticle" and article["name"] == published.title
    assert [author["name"] for author in article["author"]] == ["Ana Núñez", "ILO"]
    assert article["datePublished"] == published.published_on.isoformat()
    assert article["license"] == "https://creativecommons.org/licenses/by/4.0/"
    (graph,) = found["opengraph"]
    assert dict(graph["properties"])["og:title"] == published.title
    licences = [
        link["@id"]
        for item in found["rdfa"]
        for key, links in item.items()
        if key.endswith("/vocab#license")
        for link in links
    ]
    assert licences[0] == article["license"]
    assert article["encoding"]["encodingFormat"] == "application/pdf"
    pdf = article["encoding"]["contentUrl"]
    answer = client.get(pdf.replace("http://testserver", "").replace(settings.SITE_URL, ""))
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
