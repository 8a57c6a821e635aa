"""A read-only JSON API for publications: a list with the search's filters, one publication, and the
OpenAPI description of both (its schemas are JSON Schema, so the tests check responses against them)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, JsonResponse
from django.urls import reverse

from . import metadata
from .models import Publication
from .search import Search

PER_PAGE = 50

AUTHOR = {
    "type": "object",
    "required": ["name"],
    "properties": {
        "name": {"type": "string"},
        "affiliation": {"type": "string"},
        "country": {"type": "string", "description": "ISO 3166-1 alpha-2 code, or empty"},
        "orcid": {"type": "string"},
    },
    "additionalProperties": False,
}
PUBLICATION = {
    "type": "object",
    "required": ["number", "url", "title", "abstract", "language", "authors", "published_on", "licence"],
    "properties": {
        "number": {"type": "integer"},
        "url": {"type": "string", "format": "uri"},
        "pdf": {"type": "string", "format": "uri"},
        "title": {"type": "string"},
        "abstract": {"type": "string"},
        "language": {"type": "string"},
        "translated_title": {"type": "string"},
        "translated_abstract": {"type": "string"},
        "authors": {"type": "array", "items": {"$ref": "#/components/schemas/Author"}},
        "keywords": {"type": "array", "items": {"type": "string"}},
        "key_messages": {"type": "array", "items": {"type": "string"}},
        "sdgs": {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 17}},
        "published_in": {"type": "string"},
        "published_on": {"type": "string", "format": "date"},
        "version": {"type": "integer"},
        "licence": {"type": "string", "format": "uri"},
        "doi": {"type": "string"},
    },
    "additionalProperties": False,
}
PAGE = {
    "type": "object",
    "required": ["count", "results"],
    "properties": {
        "count": {"type": "integer"},
        "next": {"type": ["string", "null"]},
        "previous": {"type": ["string", "null"]},
        "results": {"type": "array", "items": {"$ref": "#/components/schemas/Publication"}},
    },
    "additionalProperties": False,
}
FILTERS = [
    ("q", "string", "Words to find in titles, authors, keywords, abstracts and key messages"),
    ("sdg", "integer", "Only papers on this Sustainable Development Goal (1–17)"),
    ("call", "integer", "Only papers of this call (edition id)"),
    ("type", "string", "Only papers of this type (its English name as a slug, e.g. policy-brief)"),
    ("year", "integer", "Only papers published this year"),
    ("language", "string", "Only papers in this language (en, fr, es)"),
    ("country", "string", "Only papers with an author from this country (two-letter code)"),
    ("page", "integer", "The page of results (50 a page)"),
]


DESCRIPTION = "Published papers on the social and solidarity economy and the SDGs. Read-only."
NUMBER = {"name": "number", "in": "path", "required": True, "schema": {"type": "integer"}}


def as_json(publication: Publication) -> dict:
    data = {
        "number": publication.number,
        "url": metadata.absolute(publication.get_absolute_url()),
        "pdf": metadata.pdf_url(publication),
        "title": publication.title,
        "abstract": publication.abstract,
        "language": publication.language,
        "translated_title": publication.translated_title,
        "translated_abstract": publication.translated_abstract,
        "authors": [
            {"name": a.name, "affiliation": a.affiliation, "country": a.country.code or "", "orcid": a.orcid}
            for a in publication.authors.all()
        ],
        "keywords": list(publication.keywords),
        "key_messages": list(publication.key_messages),
        "sdgs": sorted(
            t.sdg_number for t in publication.topics.all() if t.sdg_number and t.edition_id is None
        ),
        "published_in": metadata.venue(publication),
        "published_on": publication.published_on.isoformat(),
        "version": publication.version,
        "licence": publication.licence_uri,
        "doi": publication.doi,
    }
    return data


def publications(request: HttpRequest) -> JsonResponse:
    page = Paginator(Search.from_query(request.GET).pages(), PER_PAGE).get_page(request.GET.get("page"))

    def link(number: int) -> str:
        params = request.GET.copy()
        params["page"] = number
        return metadata.absolute(request.path) + "?" + params.urlencode()

    return JsonResponse(
        {
            "count": page.paginator.count,
            "next": link(page.next_page_number()) if page.has_next() else None,
            "previous": link(page.previous_page_number()) if page.has_previous() else None,
            "results": [as_json(p) for p in page.object_list],
        },
        json_dumps_params={"ensure_ascii": False},
    )


def publication(request: HttpRequest, number: int) -> JsonResponse:
    found = Publication.objects.select_related("edition__series").prefetch_related("authors", "topics")
    item = found.filter(number=number).first()
    if item is None:
        return JsonResponse({"error": "No publication has this number."}, status=404)
    if item.withdrawn_at:
        gone = {"number": item.number, "withdrawn": True, "reason": item.withdrawal_reason}
        return JsonResponse(gone, status=410, json_dumps_params={"ensure_ascii": False})
    return JsonResponse(as_json(item), json_dumps_params={"ensure_ascii": False})


def openapi(request: HttpRequest) -> JsonResponse:
    parameters = [
        {"name": name, "in": "query", "required": False, "description": text, "schema": {"type": kind}}
        for name, kind, text in FILTERS
    ]
    document = {
        "openapi": "3.1.0",
        "info": {"title": "Convene knowledge hub", "version": "1", "description": DESCRIPTION},
        "servers": [{"url": metadata.absolute("/")}],
        "paths": {
            reverse("hub:api_publications"): {"get": {
                "summary": "Publications, newest first, or best first when searching",
                "parameters": parameters,
                "responses": {"200": {"description": "A page of publications", "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Page"}}}}},
            }},
            reverse("hub:api_publication", args=[1]).replace("/1/", "/{number}/"): {"get": {
                "summary": "One publication",
                "parameters": [NUMBER],
                "responses": {
                    "200": {"description": "The publication", "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Publication"}}}},
                    "404": {"description": "No publication has this number"},
                    "410": {"description": "The publication was withdrawn"},
                },
            }},
        },
        "components": {"schemas": {"Author": AUTHOR, "Publication": PUBLICATION, "Page": PAGE}},
    }  # fmt: skip
    return JsonResponse(document)
