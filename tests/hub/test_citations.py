"""The hub's citation formats, read back by the tools people use: bibtexparser, rispy, the CSL data
schema and citeproc-py. Hard titles and names round-trip field by field in all three."""

import datetime
import json
from pathlib import Path

import bibtexparser
import jsonschema
import pytest
import rispy

from hub import citations
from hub.models import Publication, PublicationAuthor
from tests.factories import EditionFactory

SCHEMA = json.loads((Path(__file__).resolve().parents[1] / "standards" / "csl" / "csl-data.json").read_text())
TITLE = "Économie sociale & solidaire: 50% {x}_"
AUTHORS = ["Ana Núñez", "ILO", "Juan de la Cruz"]


@pytest.fixture
def publication(db):
    edition = EditionFactory(title={"en": "SSE and the SDGs 2025"})
    publication = Publication.objects.create(
        number=42, edition=edition, title=TITLE, abstract="Cooperatives & mutuals; 100% local.",
        language="fr", licence="CC-BY-4.0", published_on=datetime.date(2025, 6, 30), venue=edition.title,
        keywords=["économie sociale", "ODD"], doi="10.5281/zenodo.123456",
    )  # fmt: skip
    for position, name in enumerate(AUTHORS):
        PublicationAuthor.objects.create(publication=publication, position=position, name=name)
    return publication


def test_bibtex_parses_with_no_failed_block_and_gives_back_every_field(publication):
    library = bibtexparser.parse_string(citations.bibtex(publication))
    assert library.failed_blocks == []
    (entry,) = library.entries
    assert entry.entry_type == "inproceedings"
    assert entry["title"] == TITLE
    assert entry["author"] == "Núñez, Ana and {ILO} and de la Cruz, Juan"
    assert (entry["booktitle"], entry["year"], entry["doi"]) == (
        "SSE and the SDGs 2025",
        "2025",
        "10.5281/zenodo.123456",
    )
    assert entry["abstract"] == "Cooperatives & mutuals; 100% local."


def test_ris_reads_back_with_rispy(publication):
    (record,) = rispy.loads(citations.ris(publication))
    assert record["type_of_reference"] == "CONF"
    assert record["title"] == TITLE and record["authors"] == AUTHORS
    assert (record["year"], record["doi"], record["secondary_title"]) == (
        "2025",
        "10.5281/zenodo.123456",
        "SSE and the SDGs 2025",
    )
    assert record["keywords"] == ["économie sociale", "ODD"]


def test_csl_json_validates_against_the_schema_and_renders_in_apa(publication):
    items = [citations.csl_item(publication)]
    jsonschema.validate(items, SCHEMA)
    assert items[0]["title"] == TITLE
    assert items[0]["author"] == [{"family": "Núñez", "given": "Ana"}, {"literal": "ILO"},
                                  {"family": "de la Cruz", "given": "Juan"}]  # fmt: skip
    apa = citations.formatted(publication)
    assert apa.startswith("Núñez, A., ILO, & de la Cruz, J. (2025")
    assert TITLE in apa and "https://doi.org/10.5281/zenodo.123456" in apa


def test_the_downloads_answer_with_their_types(client, publication):
    types = [("bib", "application/x-bibtex"), ("ris", "application/x-research-info-systems"),
             ("json", "application/vnd.citationstyles.csl+json")]  # fmt: skip
    for extension, content_type in types:
        response = client.get(f"/hub/papers/42/cite.{extension}")
        assert response.status_code == 200 and response["Content-Type"].startswith(content_type)
        assert f'filename="convene-42.{extension}"' in response["Content-Disposition"]
    jsonschema.validate(json.loads(client.get("/hub/papers/42/cite.json").content), SCHEMA)
    assert client.get("/hub/papers/42/cite.docx").status_code == 404


@pytest.mark.parametrize("title", ["Sets {a, b", "Closing} first {then", "Ends with }"])
def test_an_unbalanced_brace_in_a_title_does_not_break_the_bibtex_file(publication, title):
    publication.title = title
    library = bibtexparser.parse_string(citations.bibtex(publication))
    assert library.failed_blocks == []
    (entry,) = library.entries
    assert entry["title"].replace("\\{", "{").replace("\\}", "}") == title
    assert entry["booktitle"] == "SSE and the SDGs 2025"  # nothing after the title was swallowed


def test_the_reference_on_a_french_page_has_a_french_date(publication):
    publication.published_on = datetime.date(2025, 11, 24)
    assert "November" in citations.formatted(publication, language="en")
    french = citations.formatted(publication, language="fr")
    assert "novembre" in french and "November" not in french
