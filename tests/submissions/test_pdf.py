import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject

from submissions.demo_pdf import make_pdf
from submissions.pdf import author_traces, inspect_pdf, reviewer_copy

MB = 1024 * 1024
AUTHOR = "Zyxwvutsra Qponmlkj"
KEYWORD_TOKEN = "tok-AUTHOR-42"
XMP_TOKEN = "xmp-secret-token-77"
BODY = ["We study the effect of peer review on peer review.", "Results are inconclusive, as expected."]


def upload(data: bytes, name: str = "paper.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def refusal(data: bytes, *, max_bytes: int = 10 * MB, page_limit: int | None = None) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        inspect_pdf(upload(data), max_bytes=max_bytes, page_limit=page_limit)
    return caught.value


def texts(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def written(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_good_pdf_reports_its_pages_size_and_hash():
    data = make_pdf(title="A fine paper", body=BODY, pages=3)

    info = inspect_pdf(upload(data), max_bytes=10 * MB, page_limit=10)

    assert info.pages == 3
    assert info.size == len(data)
    assert info.sha256 == hashlib.sha256(data).hexdigest()
    assert info.data == data


def test_demo_pdf_text_is_extractable_with_escapes_and_page_numbers():
    data = make_pdf(title="Cats (and dogs) \\ more", body=["Zürich ☃"], pages=2)

    first, second = texts(data)

    assert "Cats (and dogs) \\ more" in first
    assert "Zürich ?" in first
    assert "Page 1 of 2" in first
    assert "Page 2 of 2" in second


def test_a_png_named_pdf_is_not_a_pdf():
    png = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(png, format="PNG")

    assert refusal(png.getvalue()).code == "pdf_not_pdf"


def test_an_empty_file_is_refused():
    assert refusal(b"").code == "pdf_empty"


def test_an_encrypted_pdf_is_refused():
    assert refusal(make_pdf(title="Secret", encrypt_with="secret")).code == "pdf_encrypted"


def test_a_pdf_encrypted_with_an_empty_password_is_refused_too():
    assert refusal(make_pdf(title="Open but locked", encrypt_with="")).code == "pdf_encrypted"


def test_a_truncated_pdf_is_broken():
    data = make_pdf(title="Long", body=BODY * 40, pages=5)

    assert refusal(data[: len(data) * 6 // 10]).code == "pdf_broken"


def test_a_pdf_cut_after_a_complete_object_is_broken():
    data = make_pdf(title="Long", body=BODY * 40, pages=5)
    cut = data.rindex(b"endobj") + len(b"endobj\n")

    assert refusal(data[:cut]).code == "pdf_broken"


def test_a_pdf_cut_inside_its_end_marker_is_broken_although_pypdf_reads_it():
    data = make_pdf(title="Long", body=BODY * 40, pages=5)
    cut = data[: data.rindex(b"%%EOF") + 1]
    assert len(PdfReader(io.BytesIO(cut)).pages) == 5  # pypdf alone would accept it

    assert refusal(cut).code == "pdf_broken"


def test_random_bytes_after_a_pdf_header_are_broken():
    junk = bytes((i * 7919 + 13) % 256 for i in range(4000))

    assert refusal(b"%PDF-1.7\n" + junk).code == "pdf_broken"


def test_a_pdf_over_the_size_limit_is_refused_naming_both_sizes():
    data = make_pdf(title="Big", body=BODY * 20)

    error = refusal(data, max_bytes=500)

    assert error.code == "pdf_too_large"
    assert filesizeformat(len(data)) in error.messages[0]
    assert filesizeformat(500) in error.messages[0]


def test_a_declared_oversize_upload_is_refused_without_reading_it():
    class Huge:
        size = 50 * MB

        def seek(self, offset: int) -> None:
            raise AssertionError("seeked")

        def read(self, n: int = -1) -> bytes:
            raise AssertionError("read")

    with pytest.raises(ValidationError) as caught:
        inspect_pdf(Huge(), max_bytes=10 * MB, page_limit=None)

    assert caught.value.code == "pdf_too_large"


def test_an_upload_without_a_size_is_read_only_up_to_the_limit():
    class Stream(io.BytesIO):
        requested: list[int] = []

        def read(self, n: int = -1) -> bytes:
            self.requested.append(n)
            return super().read(n)

    stream = Stream(make_pdf(title="Streamed", body=BODY * 20))

    with pytest.raises(ValidationError) as caught:
        inspect_pdf(stream, max_bytes=500, page_limit=None)

    assert caught.value.code == "pdf_too_large"
    assert stream.requested == [501]


def test_too_many_pages_names_the_count_and_the_limit():
    error = refusal(make_pdf(title="Five", pages=5), page_limit=4)

    assert error.code == "pdf_too_many_pages"
    assert "5" in error.messages[0]
    assert "4" in error.messages[0]


def test_no_page_limit_accepts_any_length():
    info = inspect_pdf(upload(make_pdf(title="Five", pages=5)), max_bytes=10 * MB, page_limit=None)

    assert info.pages == 5


def test_a_pdf_without_pages_is_refused():
    assert refusal(written(PdfWriter())).code == "pdf_no_pages"


def tagged_pdf() -> bytes:
    return make_pdf(title="Blind", body=BODY, pages=2, author=AUTHOR, keywords=KEYWORD_TOKEN, xmp=XMP_TOKEN)


def spellings(token: str) -> list[bytes]:
    # pypdf writes "-" in strings as the octal escape \055, so look for that spelling too.
    return [token.encode(), token.encode("utf-16-be"), token.replace("-", "\\055").encode()]


def assert_no_tokens(data: bytes, *tokens: str) -> None:
    for token in tokens:
        for spelling in spellings(token):
            assert spelling not in data


def test_reviewer_copy_drops_document_info_and_xmp():
    original = tagged_pdf()
    for token in (AUTHOR, KEYWORD_TOKEN, XMP_TOKEN):  # the test means something
        assert any(spelling in original for spelling in spellings(token))

    copy = reviewer_copy(original)

    assert_no_tokens(copy, AUTHOR, KEYWORD_TOKEN, XMP_TOKEN)
    reader = PdfReader(io.BytesIO(copy))
    assert len(reader.pages) == 2
    assert reader.metadata is None
    assert reader.xmp_metadata is None
    assert texts(copy) == texts(original)


def test_reviewer_copy_drops_xmp_on_pages():
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(tagged_pdf())))
    writer.pages[1][NameObject("/Metadata")] = writer.root_object["/Metadata"]
    del writer.root_object["/Metadata"]
    original = written(writer)
    assert XMP_TOKEN.encode() in original

    copy = reviewer_copy(original)

    assert_no_tokens(copy, XMP_TOKEN)
    assert "/Metadata" not in PdfReader(io.BytesIO(copy)).pages[1]


def test_reviewer_copy_drops_metadata_left_in_earlier_revisions():
    writer = PdfWriter(io.BytesIO(tagged_pdf()), incremental=True)
    writer.add_metadata({"/Author": "Anonymous"})
    original = written(writer)
    assert AUTHOR.encode() in original

    assert_no_tokens(reviewer_copy(original), AUTHOR)


def test_author_traces_finds_text_info_and_xmp_matches_in_order():
    data = make_pdf(
        title="Traces",
        body=["Thanks to Ada Lovelace and Bo for comments."],
        keywords="contact: ada@example.org",
        xmp="Analytical Engine Society",
    )

    found = author_traces(
        data,
        names=["Bo", "ADA LOVELACE", "Charles Babbage"],
        emails=["Ada@Example.org", "nobody@example.org"],
        affiliations=["analytical engine society", "Royal Society of Nowhere"],
    )

    assert found == ["ADA LOVELACE", "Ada@Example.org", "analytical engine society"]


def test_author_traces_are_gone_from_the_reviewer_copy_metadata():
    data = tagged_pdf()

    assert author_traces(data, names=[AUTHOR], emails=[], affiliations=[XMP_TOKEN]) == [AUTHOR, XMP_TOKEN]
    assert author_traces(reviewer_copy(data), names=[AUTHOR], emails=[], affiliations=[XMP_TOKEN]) == []
