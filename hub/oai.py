"""OAI-PMH 2.0 at /oai: the six verbs, oai_dc, sets per call and per SDG, selective harvesting by date
and set, resumption tokens, persistent deleted records (withdrawn papers) and every error code.

A list is read by keyset on (datestamp, id) and its upper bound is frozen at the first request, so a
paper published while a harvester is between pages waits for the next incremental harvest: it is
neither lost nor sent twice. Datestamps are the publication's last change, to the second, in UTC.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlparse

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from lxml import etree

from conference.models import Edition
from config.multilingual import localise
from config.params import small_int

from .metadata import absolute
from .models import Publication

OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
PAGE = 100
FORMATS = {"oai_dc": ("http://www.openarchives.org/OAI/2.0/oai_dc.xsd", OAI_DC)}
ARGUMENTS = {  # verb: (required, optional, exclusive)
    "Identify": (set(), set(), None),
    "ListMetadataFormats": (set(), {"identifier"}, None),
    "ListSets": (set(), set(), "resumptionToken"),
    "GetRecord": ({"identifier", "metadataPrefix"}, set(), None),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set"}, "resumptionToken"),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set"}, "resumptionToken"),
}


class OaiError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def domain() -> str:
    return urlparse(settings.SITE_URL).hostname or "convene.local"


def identifier(publication: Publication) -> str:
    return f"oai:{domain()}:{publication.number}"


@csrf_exempt  # harvesters POST form data without a session; the endpoint changes nothing
@require_http_methods(["GET", "POST"])
def endpoint(request: HttpRequest) -> HttpResponse:
    # Records are the same for every harvester: set names and subjects in English, as labelled.
    with translation.override("en"):
        return _respond(request)


def _respond(request: HttpRequest) -> HttpResponse:
    params = request.POST if request.method == "POST" else request.GET
    root = etree.Element(f"{{{OAI}}}OAI-PMH", nsmap={None: OAI, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{OAI} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd")
    now = timezone.now()
    etree.SubElement(root, f"{{{OAI}}}responseDate").text = stamp(now)
    request_element = etree.SubElement(root, f"{{{OAI}}}request")
    request_element.text = absolute(reverse("hub:oai"))
    verb, arguments = params.get("verb", ""), {}

    def echo() -> None:  # the request's arguments, except after badVerb or badArgument (as the protocol says)
        for name, value in arguments.items():
            request_element.set(name, value)
        request_element.set("verb", verb)

    try:
        arguments = _checked(params, verb)
        answer = VERBS[verb](arguments, now)
        echo()
        root.append(answer)
    except OaiError as error:
        if error.code not in ("badVerb", "badArgument"):
            echo()
        failure = etree.SubElement(root, f"{{{OAI}}}error", code=error.code)
        failure.text = error.message
    body = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return HttpResponse(body, content_type="text/xml; charset=utf-8")


def _checked(params, verb: str) -> dict[str, str]:
    if verb not in ARGUMENTS:
        raise OaiError("badVerb", "The verb is missing, repeated or not one of the six OAI-PMH verbs.")
    if len(params.getlist("verb")) > 1:
        raise OaiError("badVerb", "The verb argument is repeated.")
    required, optional, exclusive = ARGUMENTS[verb]
    names = set(params) - {"verb"}
    for name in names:
        if not _xml_safe(name) or not _xml_safe(params[name]):
            raise OaiError("badArgument", "An argument holds characters that XML cannot carry.")
    for name in names:
        if len(params.getlist(name)) > 1:
            raise OaiError("badArgument", f"The argument {name} is repeated.")
    if exclusive and exclusive in names:
        if names != {exclusive}:
            raise OaiError("badArgument", f"{exclusive} must be the only argument besides the verb.")
        return {exclusive: params[exclusive]}
    allowed = required | optional
    if names - allowed:
        raise OaiError(
            "badArgument", f"Illegal argument(s) for {verb}: {', '.join(sorted(names - allowed))}."
        )
    if required - names:
        raise OaiError(
            "badArgument", f"Missing argument(s) for {verb}: {', '.join(sorted(required - names))}."
        )
    return {name: params[name] for name in names}


def _xml_safe(text: str) -> bool:
    try:
        etree.Element("probe").text = text
        return len(text) <= 2000
    except ValueError:
        return False


def _digits(text: str) -> bool:
    return small_int(text) is not None


# --- Verbs ------------------------------------------------------------------------------------------


def identify(arguments: dict, now: datetime) -> etree._Element:
    element = etree.Element(f"{{{OAI}}}Identify")
    first = Publication.objects.order_by("modified_at").values_list("modified_at", flat=True).first()
    for name, value in [
        ("repositoryName", "Convene knowledge hub"),
        ("baseURL", absolute(reverse("hub:oai"))),
        ("protocolVersion", "2.0"),
        ("adminEmail", settings.DEFAULT_FROM_EMAIL.split("<")[-1].rstrip(">").strip()),
        ("earliestDatestamp", stamp(first or now)),
        ("deletedRecord", "persistent"),
        ("granularity", "YYYY-MM-DDThh:mm:ssZ"),
    ]:
        etree.SubElement(element, f"{{{OAI}}}{name}").text = value
    return element


def list_metadata_formats(arguments: dict, now: datetime) -> etree._Element:
    if "identifier" in arguments:
        _publication(arguments["identifier"])
    element = etree.Element(f"{{{OAI}}}ListMetadataFormats")
    for prefix, (schema, namespace) in FORMATS.items():
        item = etree.SubElement(element, f"{{{OAI}}}metadataFormat")
        etree.SubElement(item, f"{{{OAI}}}metadataPrefix").text = prefix
        etree.SubElement(item, f"{{{OAI}}}schema").text = schema
        etree.SubElement(item, f"{{{OAI}}}metadataNamespace").text = namespace
    return element


def list_sets(arguments: dict, now: datetime) -> etree._Element:
    if "resumptionToken" in arguments:
        raise OaiError("badResumptionToken", "The list of sets is complete in one response.")
    from conference.models import Topic

    element = etree.Element(f"{{{OAI}}}ListSets")
    calls = (  # the edition's own title: papers keep the one of their day, which may differ
        Edition.objects.filter(publications__isnull=False)
        .distinct()
        .values_list("series__slug", "year", "title")
        .order_by("series__slug", "year")
    )
    sets = [
        (f"call:{slug}:{year}", localise(venue, fallback="en") or f"{slug} {year}")
        for slug, year, venue in calls
    ]
    sets += [(f"sdg:{goal.sdg_number}", str(goal)) for goal in Topic.objects.sdgs()]
    for spec, name in sets:
        item = etree.SubElement(element, f"{{{OAI}}}set")
        etree.SubElement(item, f"{{{OAI}}}setSpec").text = spec
        etree.SubElement(item, f"{{{OAI}}}setName").text = name
    return element


def get_record(arguments: dict, now: datetime) -> etree._Element:
    _format(arguments["metadataPrefix"])
    publication = _publication(arguments["identifier"])
    element = etree.Element(f"{{{OAI}}}GetRecord")
    element.append(_record(publication))
    return element


@dataclass
class Listing:
    prefix: str
    start: datetime | None
    end: datetime  # inclusive, to the second
    spec: str
    after: tuple[str, int] | None = None  # (datestamp, id) of the last record sent
    cursor: int = 0

    def token(self) -> str:
        data = [self.prefix, self.start and self.start.isoformat(), self.end.isoformat(), self.spec,
                self.after, self.cursor]  # fmt: skip
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode()

    @classmethod
    def from_token(cls, token: str) -> Listing:
        try:
            prefix, start, end, spec, after, cursor = json.loads(base64.urlsafe_b64decode(token.encode()))
            if after is not None:  # checked now, not when the page is read
                after = (datetime.fromisoformat(after[0]).isoformat(), int(after[1]))
            if prefix not in FORMATS or not isinstance(spec, str):
                raise ValueError(prefix)
            return cls(prefix, start and datetime.fromisoformat(start), datetime.fromisoformat(end), spec,
                       tuple(after) if after else None, int(cursor))  # fmt: skip
        except (ValueError, TypeError, UnicodeDecodeError, IndexError, AttributeError) as exc:
            raise OaiError("badResumptionToken", "The resumption token is invalid or has expired.") from exc


def list_identifiers(arguments: dict, now: datetime) -> etree._Element:
    return _list(arguments, now, "ListIdentifiers", headers_only=True)


def list_records(arguments: dict, now: datetime) -> etree._Element:
    return _list(arguments, now, "ListRecords", headers_only=False)


def _list(arguments: dict, now: datetime, name: str, *, headers_only: bool) -> etree._Element:
    if "resumptionToken" in arguments:
        listing = Listing.from_token(arguments["resumptionToken"])
    else:
        _format(arguments["metadataPrefix"])
        start = _date(arguments.get("from"), end=False)
        # The list ends where it stood at the first request (the second before it), unless asked earlier.
        frozen = now.replace(microsecond=0) - timedelta(seconds=1)
        until = _date(arguments.get("until"), end=True)
        if start and until and (start > until or len(arguments["from"]) != len(arguments["until"])):
            raise OaiError("badArgument", "from and until must have the same granularity, from before until.")
        listing = Listing(arguments["metadataPrefix"], start, min(until, frozen) if until else frozen,
                          arguments.get("set", ""))  # fmt: skip
    records = _selected(listing)
    total = records.count()
    if listing.after:
        moment, pk = datetime.fromisoformat(listing.after[0]), listing.after[1]
        records = records.filter(Q(modified_at__gt=moment) | Q(modified_at=moment, pk__gt=pk))
    page = list(
        records.order_by("modified_at", "pk")
        .select_related("edition__series")
        .prefetch_related("authors", "topics")[: PAGE + 1]
    )
    if not page:  # none at all, or none left (records changed since the list began)
        raise OaiError("noRecordsMatch", "No record matches these arguments.")
    element = etree.Element(f"{{{OAI}}}{name}")
    for publication in page[:PAGE]:
        element.append(_header(publication) if headers_only else _record(publication))
    more = len(page) > PAGE
    if more or listing.cursor:
        token = etree.SubElement(element, f"{{{OAI}}}resumptionToken",
                                 completeListSize=str(total), cursor=str(listing.cursor))  # fmt: skip
        if more:
            last = page[PAGE - 1]
            following = Listing(listing.prefix, listing.start, listing.end, listing.spec,
                                (last.modified_at.isoformat(), last.pk), listing.cursor + PAGE)  # fmt: skip
            token.text = following.token()
    return element


def _selected(listing: Listing):
    # Datestamps are shown to the second: a record counts as stamped at that second.
    records = Publication.objects.filter(modified_at__lt=listing.end + timedelta(seconds=1))
    if listing.start:
        records = records.filter(modified_at__gte=listing.start)
    spec = listing.spec
    if spec.startswith("call:") and spec.count(":") == 2:
        _kind, slug, year = spec.split(":")
        records = records.filter(edition__series__slug=slug, edition__year=int(year) if _digits(year) else -1)
    elif spec.startswith("sdg:") and _digits(spec[4:]):
        records = records.filter(topics__sdg_number=int(spec[4:]), topics__edition__isnull=True)
    elif spec:
        raise OaiError("badArgument", f"No set is called {spec}.")
    return records


def _date(value: str | None, *, end: bool) -> datetime | None:
    if not value:
        return None
    for form, length in (("%Y-%m-%dT%H:%M:%SZ", 20), ("%Y-%m-%d", 10)):
        if len(value) == length:
            try:
                moment = datetime.strptime(value, form).replace(tzinfo=UTC)
            except ValueError:
                break
            if length == 10 and end:
                moment += timedelta(days=1, seconds=-1)  # a day is inclusive to its last second
            return moment
    raise OaiError("badArgument", f"{value} is not a date of the form YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ.")


def _format(prefix: str) -> None:
    if prefix not in FORMATS:
        raise OaiError("cannotDisseminateFormat", f"{prefix} is not a format this repository offers.")


def _publication(oai_identifier: str) -> Publication:
    head, _sep, number = oai_identifier.rpartition(":")
    publication = None
    if head == f"oai:{domain()}" and _digits(number):
        publication = (
            Publication.objects.select_related("edition__series")
            .prefetch_related("authors", "topics")
            .filter(number=int(number))
            .first()
        )
    if publication is None:
        raise OaiError("idDoesNotExist", f"{oai_identifier} is not known in this repository.")
    return publication


# --- Records ----------------------------------------------------------------------------------------


def _header(publication: Publication) -> etree._Element:
    header = etree.Element(f"{{{OAI}}}header")
    if publication.withdrawn_at:
        header.set("status", "deleted")
    etree.SubElement(header, f"{{{OAI}}}identifier").text = identifier(publication)
    etree.SubElement(header, f"{{{OAI}}}datestamp").text = stamp(publication.modified_at)
    if publication.edition_id:
        spec = f"call:{publication.edition.series.slug}:{publication.edition.year}"
        etree.SubElement(header, f"{{{OAI}}}setSpec").text = spec
    for topic in publication.topics.all():
        if topic.sdg_number and topic.edition_id is None:
            etree.SubElement(header, f"{{{OAI}}}setSpec").text = f"sdg:{topic.sdg_number}"
    return header


def _record(publication: Publication) -> etree._Element:
    record = etree.Element(f"{{{OAI}}}record")
    record.append(_header(publication))
    if publication.withdrawn_at:
        return record  # a deleted record: its header only
    metadata = etree.SubElement(record, f"{{{OAI}}}metadata")
    dc = etree.SubElement(metadata, f"{{{OAI_DC}}}dc", nsmap={"oai_dc": OAI_DC, "dc": DC, "xsi": XSI})
    dc.set(f"{{{XSI}}}schemaLocation", f"{OAI_DC} http://www.openarchives.org/OAI/2.0/oai_dc.xsd")

    def add(name: str, text: str, language: str = "") -> None:
        if text:
            element = etree.SubElement(dc, f"{{{DC}}}{name}")
            element.text = text
            if language:
                element.set(XML_LANG, language)

    add("title", publication.title, publication.language)
    add("title", publication.translated_title, publication.translation_language)
    for author in publication.authors.all():
        add("creator", author.name)
    for keyword in publication.keywords:
        add("subject", keyword, publication.language)
    for topic in publication.topics.all():
        add("subject", str(topic), "en")
    add("description", publication.abstract, publication.language)
    add("description", publication.translated_abstract, publication.translation_language)
    add("date", publication.published_on.isoformat())
    add("type", "Text")
    add("type", "info:eu-repo/semantics/conferenceObject")
    add("format", "application/pdf")
    add("identifier", absolute(publication.get_absolute_url()))
    if publication.doi:
        add("identifier", f"https://doi.org/{publication.doi}")
    add("language", publication.language)
    add("rights", publication.licence_uri)
    if publication.edition_id:
        add("relation", absolute(publication.edition.get_absolute_url()))
    return record


VERBS = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "GetRecord": get_record,
    "ListIdentifiers": list_identifiers,
    "ListRecords": list_records,
}
