"""Import publications from a CSV file (earlier calls, other sources): every row is checked first, every
problem is reported with its row number, and nothing is written unless every row is sound.

Columns (UTF-8, a header row; only title, abstract, language, authors, published_on and pdf are
required):
  title, abstract, language (en/fr/es), published_on (YYYY-MM-DD), pdf (a path, relative to the CSV)
  authors      "Name | affiliation | country code | ORCID iD", several separated by ";"
  keywords     separated by ";"          sdgs          SDG numbers separated by ";"
  key_messages separated by "|"          licence       CC-BY-4.0 (default), CC-BY-SA-4.0, …
  doi          10.1234/…                 call          <series slug>:<year> of an edition here
  type         the paper's type in English (e.g. Policy brief)
  translated_title, translated_abstract, translation_language
"""

from __future__ import annotations

import csv
import datetime
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_countries import countries

from accounts.validators import validate_orcid
from conference.models import Edition, Topic
from submissions.pdf import inspect_pdf

from . import search
from .models import Publication, PublicationAuthor, validate_doi
from .services import _add_file, next_number

REQUIRED = ["title", "abstract", "language", "authors", "published_on", "pdf"]
MAX_PDF_BYTES = 50 * 1024 * 1024


@dataclass
class Row:
    line: int
    values: dict
    problems: list[str] = field(default_factory=list)
    authors: list[dict] = field(default_factory=list)
    goals: list[Topic] = field(default_factory=list)
    edition: Edition | None = None
    published_on: datetime.date | None = None
    pdf: bytes = b""


def read(path: Path) -> list[Row]:
    """Every row of the file, each with its problems (none when it can be imported)."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [name for name in REQUIRED if name not in (reader.fieldnames or [])]
        if missing:
            row = Row(1, {})
            row.problems.append(f"the header lacks the column(s): {', '.join(missing)}")
            return [row]
        rows = [Row(number, {k: (v or "").strip() for k, v in values.items() if k}) for number, values in
                enumerate(reader, start=2)]  # fmt: skip
    goals = {topic.sdg_number: topic for topic in Topic.objects.sdgs()}
    for row in rows:
        _check(row, path.parent, goals)
    return rows


def _check(row: Row, folder: Path, goals: dict[int, Topic]) -> None:
    v, problems = row.values, row.problems
    for name in REQUIRED:
        if not v.get(name):
            problems.append(f"{name} is empty")
    for name in ("language", "translation_language"):
        if v.get(name) and v[name] not in dict(settings.LANGUAGES):
            problems.append(f"{name} {v[name]!r} is not one of {', '.join(dict(settings.LANGUAGES))}")
    for name, limit in (("title", 300), ("translated_title", 300), ("doi", 100), ("type", 60)):
        if len(v.get(name, "")) > limit:
            problems.append(f"{name} is longer than {limit} characters")
    if v.get("published_on"):
        try:
            row.published_on = datetime.date.fromisoformat(v["published_on"])
        except ValueError:
            problems.append(f"published_on {v['published_on']!r} is not a date like 2025-06-30")
    if v.get("licence") and v["licence"] not in Edition.Licence.values:
        problems.append(f"licence {v['licence']!r} is not one of {', '.join(Edition.Licence.values)}")
    if v.get("doi"):
        try:
            validate_doi(v["doi"])
        except ValidationError:
            problems.append(f"doi {v['doi']!r} does not look like 10.1234/abc")
    for part in filter(None, (p.strip() for p in v.get("authors", "").split(";"))):
        name, affiliation, country, orcid = ([s.strip() for s in part.split("|")] + ["", "", ""])[:4]
        if not name:
            problems.append(f"an author has no name in {part!r}")
        if len(name) > 200 or len(affiliation) > 300:
            problems.append(
                f"the name or affiliation of {name[:40]} is too long (200 and 300 characters at most)"
            )
        if country and country.upper() not in dict(countries):
            problems.append(f"country {country!r} of {name} is not a two-letter country code")
        if orcid:
            try:
                validate_orcid(orcid)
            except ValidationError:
                problems.append(f"ORCID iD {orcid!r} of {name} is not valid")
        row.authors.append(
            {"name": name, "affiliation": affiliation, "country": country.upper(), "orcid": orcid}
        )
    for number in filter(None, (n.strip() for n in v.get("sdgs", "").split(";"))):
        if number.isdigit() and int(number) in goals:
            row.goals.append(goals[int(number)])
        else:
            problems.append(f"SDG {number!r} is not a number from 1 to 17")
    if v.get("call"):
        slug, _sep, year = v["call"].partition(":")
        row.edition = Edition.objects.filter(
            series__slug=slug, year=int(year) if year.isdigit() else -1
        ).first()
        if row.edition is None:
            problems.append(f"call {v['call']!r} is not an edition here (series slug:year)")
    if v.get("pdf"):
        pdf_path = (folder / v["pdf"]).resolve()
        if not pdf_path.is_file():
            problems.append(f"pdf {v['pdf']!r} is not a file next to the CSV")
        else:
            try:
                with pdf_path.open("rb") as handle:
                    inspect_pdf(handle, max_bytes=MAX_PDF_BYTES, page_limit=None)
                row.pdf = pdf_path.read_bytes()
            except ValidationError as refusal:
                problems.append(f"pdf {v['pdf']!r}: {' '.join(refusal.messages)}")


def write(rows: list[Row]) -> list[Publication]:
    """Create the publications of rows that all passed the checks (all of them, or none)."""
    if any(row.problems for row in rows):
        raise ValueError("rows with problems cannot be imported")
    with transaction.atomic():  # all or nothing
        made = [_create(row) for row in rows]
        # Stamped again at the very end: a harvester's next `from` never skips past a long import.
        Publication.objects.filter(pk__in=[p.pk for p in made]).update(modified_at=timezone.now())
    return made


def _create(row: Row) -> Publication:
    v = row.values
    number = next_number()
    publication = Publication.objects.create(
        number=number, edition=row.edition, title=v["title"], abstract=v["abstract"],
        language=v["language"], translated_title=v.get("translated_title", ""),
        translated_abstract=v.get("translated_abstract", ""),
        translation_language=v.get("translation_language", ""),
        keywords=[k.strip() for k in v.get("keywords", "").split(";") if k.strip()],
        key_messages=[m.strip() for m in v.get("key_messages", "").split("|") if m.strip()],
        licence=v.get("licence") or Edition.Licence.CC_BY, doi=v.get("doi", ""),
        venue=row.edition.title if row.edition else {}, published_on=row.published_on,
        paper_type={"en": v["type"]} if v.get("type") else {},
    )  # fmt: skip
    PublicationAuthor.objects.bulk_create(
        PublicationAuthor(publication=publication, position=position, **author)
        for position, author in enumerate(row.authors)
    )
    publication.topics.set(row.goals)
    _add_file(publication, row.pdf, by=None, note="")
    search.index(publication)
    return publication
