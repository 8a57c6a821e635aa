"""Small, real PDFs for the demo seeder and the tests, built with pypdf alone (no new dependency)."""

import io
import textwrap
from xml.sax.saxutils import escape

from pypdf import PdfWriter
from pypdf.errors import DependencyError
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

LETTER = (612, 792)
MARGIN = 72
LINE_HEIGHT = 14
WRAP_AT = 90


def _pdf_string(text: str) -> bytes:
    # Helvetica with WinAnsiEncoding can only show cp1252; anything else becomes '?' rather than mojibake.
    raw = text.encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _text(x: int, y: int, size: int, text: str) -> bytes:
    return b"BT /F1 %d Tf %d %d Td %s Tj ET\n" % (size, x, y, _pdf_string(text))


def _xmp_packet(creator: str) -> bytes:
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:creator><rdf:Seq><rdf:li>{escape(creator)}</rdf:li></rdf:Seq></dc:creator>"
        "</rdf:Description></rdf:RDF></x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    ).encode()


def make_pdf(
    *,
    title: str,
    body: list[str] | None = None,
    pages: int = 1,
    author: str = "",
    keywords: str = "",
    xmp: str | None = None,
    encrypt_with: str | None = None,
) -> bytes:
    """A valid US Letter PDF whose text pypdf can extract: the title on page 1, the body lines
    (wrapped to ~90 characters, filling the pages in turn; lines that do not fit on `pages` pages are
    dropped) and "Page N of M" at the foot of each page. Deterministic unless encrypted."""
    width, height = LETTER
    lines = [
        wrapped
        for line in body or []
        for para in line.splitlines() or [""]
        for wrapped in textwrap.wrap(para, WRAP_AT) or [""]
    ]
    per_page = (height - 2 * MARGIN - 3 * LINE_HEIGHT) // LINE_HEIGHT
    writer = PdfWriter()
    # One of the standard 14 fonts: every viewer has it, so nothing needs embedding.
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        }
    )
    for number in range(1, pages + 1):
        page = writer.add_blank_page(width, height)
        y = height - MARGIN
        content = b""
        if number == 1:
            content += _text(MARGIN, y, 18, title)
            y -= 2 * LINE_HEIGHT
        for line in lines[(number - 1) * per_page : number * per_page]:
            content += _text(MARGIN, y, 11, line)
            y -= LINE_HEIGHT
        content += _text(width // 2 - 30, MARGIN // 2, 9, f"Page {number} of {pages}")
        stream = DecodedStreamObject()
        stream.set_data(content)
        page.replace_contents(stream)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
        )
    info = {"/Title": title}
    if author:
        info["/Author"] = author
    if keywords:
        info["/Keywords"] = keywords
    writer.add_metadata(info)
    if xmp is not None:
        writer.xmp_metadata = _xmp_packet(xmp)
        metadata = writer.root_object["/Metadata"].get_object()
        metadata[NameObject("/Type")] = NameObject("/Metadata")
        metadata[NameObject("/Subtype")] = NameObject("/XML")
    if encrypt_with is not None:
        # AES needs `cryptography` (here through django-allauth[mfa] -> fido2); pypdf does RC4 on its own.
        try:
            writer.encrypt(user_password=encrypt_with, algorithm="AES-128")
            return _written(writer)
        except DependencyError:
            writer.encrypt(user_password=encrypt_with, algorithm="RC4-128")
    return _written(writer)


def _written(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
