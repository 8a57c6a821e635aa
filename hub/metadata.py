"""What machines read on a landing page: Highwire/Google Scholar citation_* tags, schema.org JSON-LD
(ScholarlyArticle) and Open Graph, all from the publication's frozen metadata."""

from __future__ import annotations

import json

from django.conf import settings
from django.urls import reverse
from django.utils.html import escape

from config.multilingual import localise

from .models import Publication


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def pdf_url(publication: Publication) -> str:
    return absolute(reverse("hub:pdf", args=[publication.number]))


def venue(publication: Publication) -> str:
    return localise(publication.venue, fallback=publication.language) if publication.venue else ""


def citation_tags(publication: Publication) -> list[tuple[str, str]]:
    """(name, content) pairs, in the order Google Scholar's guidelines give (authors in order)."""
    tags = [("citation_title", publication.title)]
    for author in publication.authors.all():
        tags.append(("citation_author", author.name))
        if author.affiliation:
            tags.append(("citation_author_institution", author.affiliation))
        if author.orcid:
            tags.append(("citation_author_orcid", f"https://orcid.org/{author.orcid}"))
    tags += [
        ("citation_publication_date", publication.published_on.strftime("%Y/%m/%d")),
        ("citation_online_date", publication.published_on.strftime("%Y/%m/%d")),
        ("citation_pdf_url", pdf_url(publication)),
        ("citation_abstract_html_url", absolute(publication.get_absolute_url())),
        ("citation_language", publication.language),
    ]
    if venue(publication):
        tags.append(("citation_conference_title", venue(publication)))
    if publication.keywords:
        tags.append(("citation_keywords", "; ".join(publication.keywords)))
    if publication.doi:
        tags.append(("citation_doi", publication.doi))
    return tags


def json_ld(publication: Publication) -> str:
    """schema.org ScholarlyArticle, as a string safe to put in a <script> element."""
    url = absolute(publication.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "@id": url,
        "url": url,
        "headline": publication.title[:110],
        "name": publication.title,
        "abstract": publication.abstract,
        "inLanguage": publication.language,
        "datePublished": publication.published_on.isoformat(),
        "dateModified": publication.modified_at.date().isoformat(),
        "author": [
            {
                "@type": "Person",
                "name": author.name,
                **(
                    {"affiliation": {"@type": "Organization", "name": author.affiliation}}
                    if author.affiliation
                    else {}
                ),
                **({"identifier": f"https://orcid.org/{author.orcid}"} if author.orcid else {}),
            }
            for author in publication.authors.all()
        ],
        "keywords": publication.keywords,
        "about": [str(topic) for topic in publication.topics.all()],
        "license": publication.licence_uri,
        "isAccessibleForFree": True,
        "encoding": {
            "@type": "MediaObject",
            "contentUrl": pdf_url(publication),
            "encodingFormat": "application/pdf",
        },
        "version": str(publication.version),
    }
    if venue(publication):
        data["isPartOf"] = {"@type": "PublicationEvent", "name": venue(publication)}
    if publication.doi:
        data["identifier"] = {"@type": "PropertyValue", "propertyID": "DOI", "value": publication.doi}
        data["sameAs"] = f"https://doi.org/{publication.doi}"
    # As json_script does: <, > and & as \u escapes, so no title can end or unsettle the script element.
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def open_graph(publication: Publication) -> list[tuple[str, str]]:
    return [
        ("og:type", "article"),
        ("og:title", publication.title),
        ("og:description", publication.abstract[:300]),
        ("og:url", absolute(publication.get_absolute_url())),
        ("og:site_name", "Convene"),
        ("og:locale", publication.language),
        ("article:published_time", publication.published_on.isoformat()),
    ]


def escaped(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(name, escape(content)) for name, content in pairs]
