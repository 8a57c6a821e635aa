"""What a paper upload must pass, judged by content (never by name), and the anonymised copy for review."""

import contextlib
import hashlib
import html
import io
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

# Readers accept a little junk before the header and after %%EOF; so do we, but no more.
HEADER_WINDOW = 1024
EOF_WINDOW = 1024
# Keys that carry who made the file: XMP packets (on any object) and application private data.
METADATA_KEYS = ("/Metadata", "/PieceInfo")
# Enough to catch a name on the title page or in the acknowledgements without reading a whole thesis.
TRACE_PAGE_LIMIT = 50
TRACE_MIN_LENGTH = 4


@dataclass(frozen=True)
class PdfInfo:
    sha256: str  # hex of the exact bytes
    size: int  # bytes
    pages: int
    data: bytes  # the bytes read


@contextlib.contextmanager
def _quiet_pypdf() -> Iterator[None]:
    # pypdf logs a warning for every oddity it repairs; the verdict we return is what matters, not the noise.
    logger = logging.getLogger("pypdf")
    previous = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(previous)


def _too_large(size: int | None, max_bytes: int) -> ValidationError:
    params = {"limit": filesizeformat(max_bytes)}
    if size is None:  # a stream without a size: we only know it went past the limit
        message = _("This file is larger than the limit of %(limit)s. Please upload a smaller PDF.")
    else:
        message = _("This file is %(size)s; the limit is %(limit)s. Please upload a smaller PDF.")
        params["size"] = filesizeformat(size)
    return ValidationError(message, code="pdf_too_large", params=params)


def inspect_pdf(upload: Any, *, max_bytes: int, page_limit: int | None) -> PdfInfo:
    """Read an uploaded file (Django UploadedFile or any file-like with .read(), optionally .seek() and .size)
    and return PdfInfo, or raise ValidationError saying which rule failed, with a distinct `code`."""
    size = getattr(upload, "size", None)
    # Refuse a declared oversize file before reading a byte of it.
    if size is not None and size > max_bytes:
        raise _too_large(size, max_bytes)
    if hasattr(upload, "seek"):
        upload.seek(0)  # a form validator may already have read it
    data = upload.read(max_bytes + 1)  # never hold more than the limit, plus one byte to know it was exceeded
    if not data:
        raise ValidationError(_("The file is empty."), code="pdf_empty")
    if len(data) > max_bytes:
        raise _too_large(size if size and size > max_bytes else None, max_bytes)
    if b"%PDF-" not in data[:HEADER_WINDOW]:
        raise ValidationError(
            _("This file is not a PDF (it does not start like one). Please export your paper as PDF."),
            code="pdf_not_pdf",
        )
    broken = ValidationError(
        _("This PDF is damaged and cannot be read. Please export it again."), code="pdf_broken"
    )
    with _quiet_pypdf():
        try:
            reader = PdfReader(io.BytesIO(data), strict=False)
            encrypted = reader.is_encrypted
            pages = None if encrypted else len(reader.pages)
        except Exception as error:  # pypdf raises many types for damaged files; all mean the same to a user
            raise broken from error
    # Even with an empty user password: reviewers' tools and our metadata stripping must read it freely.
    if encrypted:
        raise ValidationError(
            _("This PDF is password-protected or encrypted. Please upload it without protection."),
            code="pdf_encrypted",
        )
    # pypdf can rebuild a cut-off file from the objects it finds; a file that was cut off is still damaged.
    if b"%%EOF" not in data.rstrip(b"\x00\t\n\f\r ")[-EOF_WINDOW:]:
        raise broken
    if not pages:
        raise ValidationError(_("This PDF has no pages."), code="pdf_no_pages")
    if page_limit is not None and pages > page_limit:
        raise ValidationError(
            ngettext(
                "This paper has %(pages)d pages; the limit is %(limit)d page.",
                "This paper has %(pages)d pages; the limit is %(limit)d pages.",
                page_limit,
            ),
            code="pdf_too_many_pages",
            params={"pages": pages, "limit": page_limit},
        )
    return PdfInfo(sha256=hashlib.sha256(data).hexdigest(), size=len(data), pages=pages, data=data)


def _strip_metadata(root: Any) -> None:
    # Walk everything reachable: XMP packets also sit on images and form XObjects (an Illustrator figure).
    # A stack, not recursion: a long bookmark chain (/Next, /Next, ...) would exceed Python's recursion limit.
    stack, seen = [root], set()
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            if (obj.idnum, obj.generation) in seen:
                continue
            seen.add((obj.idnum, obj.generation))
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):  # stream objects are dictionaries too
            for key in METADATA_KEYS:
                obj.pop(key, None)
            stack.extend(obj.values())
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)


def reviewer_copy(data: bytes) -> bytes:
    """The PDF without its document information dictionary and XMP metadata (/Metadata on the catalog and
    anywhere else), for double-blind review. Content streams are copied as they are."""
    with _quiet_pypdf():
        reader = PdfReader(io.BytesIO(data), strict=False)
        # Strip the parsed objects before cloning: the writer copies only what the catalog still reaches,
        # so the XMP streams, /Info and any incremental-update leftovers never reach the output.
        _strip_metadata(reader.trailer["/Root"])
        writer = PdfWriter(clone_from=reader)
        writer.metadata = None
        out = io.BytesIO()
        writer.write(out)
    return out.getvalue()


def _normalise(text: str) -> str:
    return " ".join(text.split()).casefold()


def _searchable_text(reader: PdfReader) -> str:
    parts = [str(value.get_object()) for value in (reader.metadata or {}).values()]
    if reader.xmp_metadata is not None:
        raw = reader.xmp_metadata.stream.get_data()
        encoding = "utf-16" if raw[:2] in (b"\xfe\xff", b"\xff\xfe") else "utf-8"
        parts.append(html.unescape(raw.decode(encoding, errors="replace")))
    for page in reader.pages[:TRACE_PAGE_LIMIT]:
        with contextlib.suppress(Exception):  # one unreadable page must not hide the others
            parts.append(page.extract_text())
    return _normalise("\n".join(parts))


def author_traces(data: bytes, *, names: list[str], emails: list[str], affiliations: list[str]) -> list[str]:
    """Which of these (case-insensitive; names and affiliations of 4+ characters only, e-mails always) appear
    in the PDF's document info, XMP metadata or text (the first 50 pages). Returns the distinct matches in the
    order given, for the double-blind warning."""
    with _quiet_pypdf():
        haystack = _searchable_text(PdfReader(io.BytesIO(data), strict=False))

    # Short names ("Li", "IBM"?) would match inside ordinary words; e-mails are specific enough at any length.
    def long_enough(values: list[str]) -> list[str]:
        return [v for v in values if len(v.strip()) >= TRACE_MIN_LENGTH]

    candidates = [*long_enough(names), *(e for e in emails if e.strip()), *long_enough(affiliations)]
    found: dict[str, str] = {}
    for value in candidates:
        needle = _normalise(value)
        if needle not in found and needle in haystack:
            found[needle] = value
    return list(found.values())
