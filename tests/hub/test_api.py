"""The hub's read-only JSON API: responses validate against the schemas its own OpenAPI description
gives, filters are the search's, and a withdrawn paper answers 410."""

import jsonschema
import pytest

from tests.hub.search_cases import make_papers


@pytest.fixture
def papers(db):
    return make_papers()


def validator(client, name: str):
    document = client.get("/hub/api/openapi.json").json()
    assert document["openapi"] == "3.1.0" and "/hub/api/publications/{number}/" in document["paths"]
    schema = {"$ref": f"#/components/schemas/{name}", "components": document["components"]}
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def test_the_list_follows_the_search_filters_and_validates(client, papers):
    response = client.get("/hub/api/publications/", {"sdg": "8", "country": "IT"})
    data = response.json()
    validator(client, "Page").validate(data)
    assert data["count"] == 2 and {p["title"] for p in data["results"]} == {
        "Cooperative banks and local development",
        "Measuring the social economy",
    }
    assert data["results"][0]["sdgs"] == [8] and data["next"] is None


def test_one_publication_and_a_withdrawn_one(client, papers):
    from hub import services

    data = client.get("/hub/api/publications/2/").json()
    validator(client, "Publication").validate(data)
    assert data["title"] == "Les coopératives d'habitants à Genève" and data["authors"][0]["country"] == "CH"
    services.withdraw(publication=papers[1], by=None, reason="Duplicate.")
    gone = client.get("/hub/api/publications/2/")
    assert gone.status_code == 410 and gone.json() == {"number": 2, "withdrawn": True, "reason": "Duplicate."}
    assert client.get("/hub/api/publications/99/").status_code == 404


def test_pages_link_to_each_other(client, papers):
    from hub import api

    api.PER_PAGE, saved = 2, api.PER_PAGE
    try:
        first = client.get("/hub/api/publications/").json()
        assert first["count"] == 4 and first["previous"] is None and first["next"].endswith("page=2")
        second = client.get("/hub/api/publications/", {"page": 2}).json()
        assert second["next"] is None and len(second["results"]) == 2
    finally:
        api.PER_PAGE = saved
