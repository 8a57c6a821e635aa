"""The printed side of an event: name badges with a QR code for the door, certificates of attendance
and visa invitation letters, each built as PDF bytes (ReportLab) and nothing else: the callers decide
who may have them and where they go.

Names come from everywhere: the text is set in an embedded Unicode font (DejaVu Sans when the system
has it, which covers Latin, Greek and Cyrillic; ReportLab's own Vera otherwise), and a text the font
cannot show (Chinese, Japanese, Korean) in one of the PDF's standard Asian fonts, which every reader
supplies itself.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Iterable
from pathlib import Path
from xml.sax.saxutils import escape

import reportlab
from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import Color, white
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer

from config.multilingual import localise

from .models import Event, Registration, VisaDetails

BRAND = Color(0x1D / 255, 0x4E / 255, 0x89 / 255)  # --convene-brand
GREY = Color(0.55, 0.55, 0.55)

# (regular, bold): the first pair found is embedded. Debian/Ubuntu, then Fedora/Alpine paths.
FONT_FILES = [
    (f"{folder}/DejaVuSans.ttf", f"{folder}/DejaVuSans-Bold.ttf")
    for folder in ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/share/fonts/TTF")
]
BUNDLED_FONTS = Path(reportlab.__file__).parent / "fonts"

# The standard Asian fonts (not embedded: PDF readers bring their own), chosen by the script's letters.
HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff]")


@functools.cache
def _fonts() -> tuple[str, str]:
    """Register the embedded font (once per process) and return its (regular, bold) names."""
    regular, bold = next(
        ((r, b) for r, b in FONT_FILES if Path(r).is_file() and Path(b).is_file()),
        (BUNDLED_FONTS / "Vera.ttf", BUNDLED_FONTS / "VeraBd.ttf"),
    )
    pdfmetrics.registerFont(TTFont("Convene", regular))
    pdfmetrics.registerFont(TTFont("Convene-Bold", bold))
    pdfmetrics.registerFontFamily(
        "Convene", normal="Convene", bold="Convene-Bold", italic="Convene", boldItalic="Convene-Bold"
    )
    return "Convene", "Convene-Bold"


def font_for(text: str, *, bold: bool = False) -> str:
    """The embedded font if it has every letter of `text`, else the standard Asian font for its script."""
    name = _fonts()[1 if bold else 0]
    covered = pdfmetrics.getFont(name).face.charToGlyph
    if all(ord(letter) in covered or letter.isspace() for letter in text):
        return name
    asian = "STSong-Light"  # Chinese, unless the text has Korean or Japanese letters
    if HANGUL.search(text):
        asian = "HYSMyeongJo-Medium"
    elif KANA.search(text):
        asian = "HeiseiMin-W3"
    if asian not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(asian))
    return asian


PLACEHOLDER = re.compile(r"\{(\w+)\}")


def fill(text: str, values: dict[str, str]) -> str:
    """`text` with each known {placeholder} replaced; anything else in braces (a typo, a stray brace, a
    format spec) stays as written. Never str.format: organisers' text must not reach attributes."""
    return PLACEHOLDER.sub(lambda found: values.get(found.group(1), found.group(0)), text)


def _language(language: str | None) -> str:
    return language or translation.get_language() or settings.LANGUAGE_CODE


def _title(event: Event, language: str) -> str:
    return localise(event.title, language=language, fallback=(event.languages or [None])[0])


def event_dates(event: Event) -> str:
    """The event's days in its own time zone, in the active language: one date, or first – last."""
    first, last = event.days[0], event.days[-1]
    if first == last:
        return date_format(first, "DATE_FORMAT")
    return f"{date_format(first, 'DATE_FORMAT')} – {date_format(last, 'DATE_FORMAT')}"


def _person(registration: Registration) -> str:
    return registration.user.name or registration.user.email


def _event_values(event: Event, language: str) -> dict[str, str]:
    return {"event": _title(event, language), "dates": event_dates(event), "venue": event.venue}


# --- Badges --------------------------------------------------------------------------------------

COLUMNS, ROWS = 2, 4
MARGIN_X, MARGIN_Y = 10 * mm, 8.5 * mm
BADGE_WIDTH = (A4[0] - 2 * MARGIN_X) / COLUMNS
BADGE_HEIGHT = (A4[1] - 2 * MARGIN_Y) / ROWS
PADDING = 5 * mm
QR_SIZE = 30 * mm


def badge_origin(index: int) -> tuple[float, float]:
    """The lower left corner (points) of the `index`th badge on its page, filled row by row from the top."""
    slot = index % (COLUMNS * ROWS)
    column, row = slot % COLUMNS, slot // COLUMNS
    return MARGIN_X + column * BADGE_WIDTH, A4[1] - MARGIN_Y - (row + 1) * BADGE_HEIGHT


def badges_pdf(event: Event, registrations: Iterable[Registration]) -> bytes:
    """A4 pages of name badges, eight a page in the order given, each with a QR code holding exactly the
    registration's check-in code. `registrations` should come with `user` and `participant_type`."""
    language = _language(None)
    title, dates = _title(event, language), event_dates(event)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle(_("Badges: %(event)s") % {"event": title})
    canvas.setCreator("Convene")
    count = 0
    for count, registration in enumerate(registrations, start=1):
        if count > 1 and (count - 1) % (COLUMNS * ROWS) == 0:
            canvas.showPage()
        _badge(canvas, *badge_origin(count - 1), registration, title=title, dates=dates)
    if not count:
        canvas.setFont(_fonts()[0], 12)
        canvas.drawString(MARGIN_X, A4[1] - 30 * mm, _("Nobody is registered for this event yet."))
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _badge(canvas: Canvas, x: float, y: float, registration: Registration, *, title: str, dates: str) -> None:
    width = BADGE_WIDTH - 2 * PADDING
    canvas.setStrokeColor(GREY)
    canvas.setLineWidth(0.3)
    canvas.setDash(2, 2)  # a cutting guide
    canvas.rect(x, y, BADGE_WIDTH, BADGE_HEIGHT)
    canvas.setDash()
    left, top = x + PADDING, y + BADGE_HEIGHT - PADDING

    canvas.setFillColor(BRAND)
    _line(canvas, title, left, top - 9, width, size=9, bold=True)
    canvas.setFillColor(GREY)
    _line(canvas, dates, left, top - 20, width, size=8)

    canvas.setFillColor(Color(0, 0, 0))
    name = _person(registration)
    font, size, lines = _fit(name, width, bold=True, largest=22, smallest=13)
    canvas.setFont(font, size)
    baseline = top - 24 - size
    for line in lines:
        canvas.drawString(left, baseline, line)
        baseline -= size * 1.15
    if registration.organisation:
        font = font_for(registration.organisation)
        canvas.setFont(font, 11)
        for line in simpleSplit(registration.organisation, font, 11, width)[:2]:
            canvas.drawString(left, baseline - 2, line)
            baseline -= 13

    qr = QrCodeWidget(registration.check_in_code, barLevel="M")
    x1, y1, x2, y2 = qr.getBounds()
    drawing = Drawing(QR_SIZE, QR_SIZE, transform=[QR_SIZE / (x2 - x1), 0, 0, QR_SIZE / (y2 - y1), 0, 0])
    drawing.add(qr)
    renderPDF.draw(drawing, canvas, x + BADGE_WIDTH - PADDING - QR_SIZE + 3 * mm, y + PADDING - 3 * mm)

    if registration.participant_type:
        kind = localise(registration.participant_type.name)
        band = width - QR_SIZE + 3 * mm
        canvas.setFillColor(BRAND)
        canvas.rect(left, y + PADDING, band, 8 * mm, stroke=0, fill=1)
        canvas.setFillColor(white)
        _line(canvas, kind.upper(), left + 2 * mm, y + PADDING + 2.6 * mm, band - 4 * mm, size=10, bold=True)


def _line(canvas: Canvas, text: str, x: float, y: float, width: float, *, size: float, bold=False) -> None:
    """One line of text, shortened with an ellipsis if it does not fit `width`."""
    font = font_for(text, bold=bold)
    while len(text) > 1 and pdfmetrics.stringWidth(text, font, size) > width:
        text = text[:-2].rstrip() + "…"
    canvas.setFont(font, size)
    canvas.drawString(x, y, text)


def _fit(text: str, width: float, *, bold: bool, largest: int, smallest: int) -> tuple[str, int, list[str]]:
    """The largest size at which `text` fits on one line, else two lines at the smallest size."""
    font = font_for(text, bold=bold)
    for size in range(largest, smallest - 1, -1):
        if pdfmetrics.stringWidth(text, font, size) <= width:
            return font, size, [text]
    return font, smallest, simpleSplit(text, font, smallest, width)[:2]


# --- Certificates and letters ---------------------------------------------------------------------


def _paragraphs(
    text: str, style: ParagraphStyle, values: dict[str, str] | None = None, *, emphasised: tuple = ()
) -> list[Paragraph]:
    """`text` with its placeholders filled, as paragraphs: blank lines part them, a single line break stays
    one. Escaped (neither the text nor the values are markup); the `emphasised` values set large and bold."""
    values = values or {}
    bold = style.fontName == _fonts()[1]
    flowables = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()):
        if not fill(block, values).strip():
            continue
        font = font_for(fill(block, values), bold=bold)
        marked = {key: escape(value) for key, value in values.items()}
        if font in _fonts():  # the standard Asian fonts have no bold to switch to
            for key in emphasised:
                marked[key] = f'<font size="{style.fontSize + 6}"><b>{marked[key]}</b></font>'
        markup = fill(escape(block.strip()), marked).replace("\n", "<br/>")
        flowables.append(Paragraph(markup, _with_font(style, font)))
    return flowables


def _with_font(style: ParagraphStyle, font: str) -> ParagraphStyle:
    return ParagraphStyle(f"{style.name}-{font}", parent=style, fontName=font)


def certificate_pdf(registration: Registration, language: str | None = None) -> bytes:
    """A certificate of attendance, from the event's text in `language` (the active one if None)."""
    return certificates_pdf([registration], language=language)


def certificates_pdf(registrations: Iterable[Registration], language: str | None = None) -> bytes:
    """One certificate a page (A4 landscape). Without `language`, each in its participant's preferred
    language. Registrations should come with `user` and `event`."""
    regular, bold = _fonts()
    title_style = ParagraphStyle("title", fontName=bold, fontSize=30, leading=36, alignment=TA_CENTER,
                                 textColor=BRAND)  # fmt: skip
    body_style = ParagraphStyle("body", fontName=regular, fontSize=15, leading=22, alignment=TA_CENTER,
                                spaceAfter=12, autoLeading="max")  # fmt: skip
    small_style = ParagraphStyle("small", parent=body_style, fontSize=11, leading=15, textColor=GREY)
    story, event = [], None
    for registration in registrations:
        event = registration.event
        with translation.override(language or registration.user.preferred_language or _language(None)):
            values = {**_event_values(event, translation.get_language()), "name": _person(registration),
                      "organisation": registration.organisation}  # fmt: skip
            text = localise(event.certificate_text, language=translation.get_language()).strip()
            if story:
                story.append(PageBreak())
            story += [Spacer(1, 18 * mm), Paragraph(escape(_("Certificate of attendance")), title_style),
                      Spacer(1, 14 * mm)]  # fmt: skip
            text = text or _default_certificate(values)
            story += _paragraphs(text, body_style, values, emphasised=("name",))
            if event.hosts:
                story += [Spacer(1, 12 * mm), *_paragraphs(event.hosts, small_style)]
    if not story:
        story.append(Paragraph(escape(_("Nobody has been checked in yet.")), body_style))
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=landscape(A4), leftMargin=25 * mm, rightMargin=25 * mm, topMargin=20 * mm,
        bottomMargin=20 * mm, title=_("Certificate of attendance"), creator="Convene",
    )  # fmt: skip
    document.build(story, onFirstPage=_frame, onLaterPages=_frame)
    return buffer.getvalue()


def _frame(canvas: Canvas, document: SimpleDocTemplate) -> None:
    width, height = document.pagesize
    canvas.saveState()
    canvas.setStrokeColor(BRAND)
    canvas.setLineWidth(2)
    canvas.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    canvas.setLineWidth(0.5)
    canvas.rect(14 * mm, 14 * mm, width - 28 * mm, height - 28 * mm)
    canvas.restoreState()


def _default_certificate(values: dict[str, str]) -> str:
    # Whole sentences for the translators, one for each set of facts the event has.
    if values["organisation"]:
        text = _("This is to certify that\n\n{name}, {organisation},\n\nattended {event}, {dates}.")
    else:
        text = _("This is to certify that\n\n{name}\n\nattended {event}, {dates}.")
    if values["venue"]:
        text += "\n\n" + _("The event took place at {venue}.")
    return text


def visa_letter_pdf(details: VisaDetails, language: str | None = None) -> bytes:
    """A visa invitation letter (A4) from the event's letter text in `language` (the active one if None),
    dated today in the event's time zone. `details` should come with `registration__user`, `__event`."""
    registration = details.registration
    event = registration.event
    regular, bold = _fonts()
    body_style = ParagraphStyle("body", fontName=regular, fontSize=11, leading=16, spaceAfter=9)
    heading_style = ParagraphStyle("heading", parent=body_style, fontName=bold, fontSize=14, leading=18,
                                   spaceAfter=14, textColor=BRAND)  # fmt: skip
    with translation.override(_language(language)):
        language = translation.get_language()
        values = {
            **_event_values(event, language),
            "name": _person(registration),
            "organisation": registration.organisation,
            "passport_name": details.passport_name,
            "nationality": str(details.nationality.name),
            "passport_number": details.passport_number,
            "date_of_birth": date_format(details.date_of_birth, "DATE_FORMAT"),
        }
        text = localise(event.letter_text, language=language).strip()
        story = []
        if event.hosts:
            story += _paragraphs(event.hosts, heading_style)
        if event.address:
            story += _paragraphs(event.address, body_style)
        today = timezone.localdate(timezone=event.zone)
        story += [Paragraph(escape(date_format(today, "DATE_FORMAT")), body_style), Spacer(1, 8 * mm)]
        subject = _("Invitation to %(event)s") % {"event": values["event"]}
        story += _paragraphs(subject, heading_style)
        story += _paragraphs(text or _default_letter(values), body_style, values)
        if not text and event.hosts:
            story += _paragraphs(event.hosts, body_style)  # the default letter's signature
        title = _("Visa invitation letter")
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=25 * mm, rightMargin=25 * mm, topMargin=25 * mm, bottomMargin=25 * mm,
        title=title, creator="Convene",
    )  # fmt: skip
    document.build(story)
    return buffer.getvalue()


def _default_letter(values: dict[str, str]) -> str:
    # Whole sentences for the translators; the ones about facts the event lacks are left out.
    paragraphs = [
        _("To whom it may concern,"),
        _("We are pleased to invite {passport_name}, born on {date_of_birth}, a national of {nationality}, "
          "holder of passport number {passport_number}, to take part in {event}, {dates}."),
    ]  # fmt: skip
    if values["venue"]:
        paragraphs.append(_("The event takes place at {venue}."))
    if values["organisation"]:
        paragraphs.append(_("{name} takes part on behalf of {organisation}."))
    paragraphs += [
        _("We kindly ask the authorities concerned to grant the visa needed to attend the event."),
        _("Yours faithfully,"),
    ]
    return "\n\n".join(paragraphs)
