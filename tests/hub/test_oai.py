"""OAI-PMH 2.0: every verb, every error, resumption, dates, sets and deleted records, each response
validated against the official schemas (tests/standards/oai-pmh)."""

import datetime
from pathlib import Path

import pytest
import time_machine
from lxml import etree

from conference.models import Topic
from hub.models import Publication, PublicationAuthor
from tests.factories import EditionFactory, SeriesFactory

SCHEMA = etree.XMLSchema(
    etree.parse(str(Path(__file__).resolve().parents[1] / "standards" / "oai-pmh" / "wrapper.xsd"))
)
pytestmark = pytest.mark.django_db
NS = {"o": "http://www.openarchives.org/OAI/2.0/", "dc": "http://purl.org/dc/elements/1.1/"}
T0 = datetime.datetime(2026, 3, 1, 12, 0, 0, tzinfo=datetime.UTC)


def make(number, *, at=T0, edition=None, goal=None, withdrawn=False, **fields) -> Publication:
    publication = Publication.objects.create(
        number=number, title=fields.pop("title", f"Paper {number}"), abstract="About cooperatives.",
        language="en", licence="CC-BY-4.0", published_on=at.date(), edition=edition,
        withdrawn_at=at if withdrawn else None, **fields,
    )  # fmt: skip
    PublicationAuthor.objects.create(publication=publication, name=f"Author {number}")
    if goal:
        publication.topics.add(Topic.objects.sdgs().get(sdg_number=goal))
    Publication.objects.filter(pk=publication.pk).update(modified_at=at)
    return publication


def oai(client, method="get", **params):
    response = (client.post if method == "post" else client.get)("/oai", params)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/xml")
    tree = etree.fromstring(response.content)
    SCHEMA.assertValid(tree)
    return tree


def error(tree) -> str | None:
    found = tree.xpath("//o:error/@code", namespaces=NS)
    return found[0] if found else None


def identifiers(tree) -> list[str]:
    return tree.xpath("//o:header/o:identifier/text()", namespaces=NS)


@pytest.fixture
def call(db):
    return EditionFactory(series=SeriesFactory(slug="sse"), year=2025, title={"en": "SSE 2025"})


def test_identify_and_formats_and_sets(client, call):
    make(1, edition=call, goal=8)
    tree = oai(client, verb="Identify")
    assert tree.xpath("//o:deletedRecord/text()", namespaces=NS) == ["persistent"]
    assert tree.xpath("//o:granularity/text()", namespaces=NS) == ["YYYY-MM-DDThh:mm:ssZ"]
    assert tree.xpath("//o:earliestDatestamp/text()", namespaces=NS) == ["2026-03-01T12:00:00Z"]
    assert oai(client, verb="ListMetadataFormats").xpath("//o:metadataPrefix/text()", namespaces=NS) == [
        "oai_dc"
    ]
    specs = oai(client, verb="ListSets").xpath("//o:setSpec/text()", namespaces=NS)
    assert "call:sse:2025" in specs and "sdg:8" in specs and len(specs) == 18


def test_a_record_in_oai_dc_carries_what_harvesters_need(client, call):
    make(
        1, edition=call, goal=8, keywords=["cooperatives"], doi="10.5281/zenodo.1", title="Solidarity finance"
    )
    tree = oai(client, verb="GetRecord", identifier="oai:127.0.0.1:1", metadataPrefix="oai_dc")
    dc = lambda name: tree.xpath(f"//dc:{name}/text()", namespaces=NS)  # noqa: E731
    assert dc("title") == ["Solidarity finance"] and dc("creator") == ["Author 1"]
    assert tree.xpath("//dc:title/@xml:lang", namespaces=NS) == ["en"]
    assert "cooperatives" in dc("subject") and any("Decent work" in s for s in dc("subject"))
    assert dc("date") == ["2026-03-01"] and dc("language") == ["en"] and dc("format") == ["application/pdf"]
    assert dc("rights") == ["https://creativecommons.org/licenses/by/4.0/"]
    assert "https://doi.org/10.5281/zenodo.1" in dc("identifier") and any(
        "/hub/papers/1/" in i for i in dc("identifier")
    )
    assert any("/calls/sse/2025/" in r for r in dc("relation"))
    assert tree.xpath("//o:header/o:setSpec/text()", namespaces=NS) == ["call:sse:2025", "sdg:8"]


def test_a_withdrawn_paper_stays_as_a_deleted_record(client):
    make(1, withdrawn=True)
    tree = oai(client, verb="ListRecords", metadataPrefix="oai_dc")
    assert tree.xpath("//o:header/@status", namespaces=NS) == ["deleted"]
    assert not tree.xpath("//o:metadata", namespaces=NS)


def test_a_long_list_comes_in_pages_with_tokens_and_an_empty_token_ends_it(client):
    for number in range(1, 251):
        make(number, at=T0 + datetime.timedelta(seconds=number % 7))
    seen, token, cursors = [], None, []
    while True:
        params = {"resumptionToken": token} if token else {"metadataPrefix": "oai_dc"}
        tree = oai(client, method="post" if token else "get", verb="ListIdentifiers", **params)
        seen += identifiers(tree)
        (element,) = tree.xpath("//o:resumptionToken", namespaces=NS)
        assert element.get("completeListSize") == "250"
        cursors.append(element.get("cursor"))
        token = element.text
        if not token:
            break
    assert cursors == ["0", "100", "200"]
    assert len(seen) == len(set(seen)) == 250


def test_a_paper_published_between_pages_waits_for_the_next_incremental_harvest(client):
    for number in range(1, 151):
        make(number)
    with time_machine.travel(T0 + datetime.timedelta(minutes=5), tick=False):
        first = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
        started = first.xpath("//o:responseDate/text()", namespaces=NS)[0]
    make(151, at=T0 + datetime.timedelta(minutes=6))  # published while the harvester is between pages
    token = first.xpath("//o:resumptionToken/text()", namespaces=NS)[0]
    rest = oai(client, verb="ListIdentifiers", resumptionToken=token)
    harvested = identifiers(first) + identifiers(rest)
    assert len(harvested) == 150 and "oai:127.0.0.1:151" not in harvested
    later = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **{"from": started})
    assert identifiers(later) == ["oai:127.0.0.1:151"]


def test_dates_select_by_day_and_by_second_and_until_is_inclusive(client):
    make(1, at=datetime.datetime(2026, 3, 1, 23, 59, 59, tzinfo=datetime.UTC))
    make(2, at=datetime.datetime(2026, 3, 2, 0, 0, 0, tzinfo=datetime.UTC))
    by_day = oai(
        client,
        verb="ListIdentifiers",
        metadataPrefix="oai_dc",
        **{"from": "2026-03-01", "until": "2026-03-01"},
    )
    assert identifiers(by_day) == ["oai:127.0.0.1:1"]
    exact = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", until="2026-03-02T00:00:00Z")
    assert identifiers(exact) == ["oai:127.0.0.1:1", "oai:127.0.0.1:2"]  # stamped exactly at until
    after = oai(client, verb="ListRecords", metadataPrefix="oai_dc", **{"from": "2026-03-02T00:00:00Z"})
    assert identifiers(after) == ["oai:127.0.0.1:2"]


def test_sets_select_a_call_or_a_goal(client, call):
    make(1, edition=call, goal=8)
    make(2, goal=11)
    assert identifiers(oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="call:sse:2025")) == [
        "oai:127.0.0.1:1"
    ]
    assert identifiers(oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="sdg:11")) == [
        "oai:127.0.0.1:2"
    ]


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"verb": "Dance"}, "badVerb"),
        ({}, "badVerb"),
        ({"verb": "ListRecords"}, "badArgument"),  # metadataPrefix missing
        ({"verb": "Identify", "colour": "red"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "yesterday"}, "badArgument"),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2026-03-01",
                "until": "2026-03-02T00:00:00Z",
            },
            "badArgument",
        ),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "colours"}, "badArgument"),
        ({"verb": "ListRecords", "resumptionToken": "not-a-token"}, "badResumptionToken"),
        ({"verb": "ListRecords", "resumptionToken": "x", "metadataPrefix": "oai_dc"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
        (
            {"verb": "GetRecord", "identifier": "oai:127.0.0.1:999", "metadataPrefix": "oai_dc"},
            "idDoesNotExist",
        ),
        ({"verb": "ListMetadataFormats", "identifier": "oai:elsewhere:1"}, "idDoesNotExist"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2031-01-01"}, "noRecordsMatch"),
    ],
)
def test_every_error_is_answered_with_its_code_in_a_valid_response(client, params, code):
    make(1)
    tree = oai(client, **params)
    assert error(tree) == code
    if code in ("badVerb", "badArgument"):
        assert not tree.xpath("//o:request/@verb", namespaces=NS)  # a bad request is not echoed


def test_a_repeated_argument_is_refused(client):
    make(1)
    response = client.get("/oai?verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=oai_dc")
    SCHEMA.assertValid(etree.fromstring(response.content))
    assert error(etree.fromstring(response.content)) == "badArgument"


@pytest.mark.parametrize(
    "params",
    [
        {"verb": "GetRecord", "identifier": "\x01", "metadataPrefix": "oai_dc"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "\x01"},
        {"verb": "GetRecord", "identifier": "oai:127.0.0.1:²", "metadataPrefix": "oai_dc"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "sdg:²"},
    ],
)
def test_odd_input_gets_a_protocol_answer_never_a_server_error(client, params):
    make(1)
    tree = oai(client, **params)
    assert error(tree) in {"badArgument", "idDoesNotExist"}


def test_a_crafted_resumption_token_is_refused(client):
    import base64
    import json

    make(1)
    for data in (
        ["oai_dc", None, "2026-03-01T12:00:00+00:00", "", ["ab", 1], 100],
        ["marc21", None, "x", "", None, 0],
    ):
        token = base64.urlsafe_b64encode(json.dumps(data).encode()).decode()
        assert error(oai(client, verb="ListRecords", resumptionToken=token)) == "badResumptionToken"


def test_subjects_and_set_names_are_english_whatever_the_harvesters_language(client):
    make(1, goal=8)
    tree = etree.fromstring(client.get("/oai", {"verb": "ListRecords", "metadataPrefix": "oai_dc"},
                                       HTTP_ACCEPT_LANGUAGE="fr").content)  # fmt: skip
    assert "SDG 8: Decent work and economic growth" in tree.xpath("//dc:subject/text()", namespaces=NS)
