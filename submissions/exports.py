"""A chair's list of papers as a spreadsheet: CSV for any tool, XLSX for Excel, the same rows in both."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from config.multilingual import localise

from .models import Authorship, Submission

EXPORT_COLUMNS = [
    _("Number"),
    _("Title"),
    _("State"),
    _("Type"),
    _("Track"),
    _("Language"),
    _("Authors"),
    _("Corresponding authors"),
    _("Topics"),
    _("Keywords"),
    _("Submitted"),
    _("Pages"),
    _("SHA-256"),
    _("URL"),
]

# A spreadsheet runs a cell that starts with one of these as a formula (or its DDE cousins).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int


def _author(author: Authorship) -> str:
    country = author.country.name if author.country else ""
    where = ", ".join(part for part in (author.affiliation, country) if part)
    return f"{author.name} <{author.email}>" + (f" ({where})" if where else "")


def rows(queryset: Iterable[Submission]) -> Iterator[list[Cell]]:
    """One row per paper, in EXPORT_COLUMNS' order; give it chair_submissions()' queryset (prefetched)."""
    for submission in queryset:
        edition = submission.edition
        authors = submission.sorted_authors()
        document = submission.current_document()
        yield [
            submission.number,
            submission.title,
            submission.get_state_display(),
            localise(submission.submission_type.name, fallback=edition.main_language)
            if submission.submission_type
            else "",
            localise(submission.track.name, fallback=edition.main_language) if submission.track else "",
            submission.get_language_display(),
            "; ".join(_author(author) for author in authors),
            "; ".join(author.email for author in authors if author.corresponding),
            "; ".join(str(topic) for topic in submission.topics.all()),
            "; ".join(str(keyword) for keyword in submission.keywords or []),
            submission.submitted_at.astimezone(edition.zone).isoformat() if submission.submitted_at else "",
            document.pages if document else "",
            document.sha256 if document else "",
            settings.SITE_URL + submission.get_absolute_url(),
        ]


def neutralised(value: Cell) -> Cell:
    """The value, with a leading apostrophe if a spreadsheet would otherwise run it as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _xlsx_value(value: Cell) -> Cell:
    # Control characters are not allowed in XLSX cells (a title pasted from a PDF may carry some);
    # removed before neutralising, so that "\x01=…" cannot turn into a formula once cleaned.
    return neutralised(ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value)


def _header() -> list[str]:
    return [str(column) for column in EXPORT_COLUMNS]


def as_csv(queryset: Iterable[Submission]) -> bytes:
    return table_csv(_header(), rows(queryset))


def as_xlsx(queryset: Iterable[Submission]) -> bytes:
    return table_xlsx(str(_("Submissions")), _header(), rows(queryset))


def table_csv(header: list[str], table: Iterable[list[Cell]]) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel reads accents right; formulas neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in table:
        writer.writerow([neutralised(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def table_xlsx(title: str, header: list[str], table: Iterable[list[Cell]]) -> bytes:
    """One sheet, a bold header row that stays in view when scrolling; formulas neutralised."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])  # Excel's limit for a sheet's name
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    cells = []
    for name in header:
        cell = WriteOnlyCell(sheet, value=_xlsx_value(name))
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    for row in table:
        sheet.append([_xlsx_value(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
