from django.core.files.uploadedfile import SimpleUploadedFile

from conference.models import Edition
from submissions import services
from submissions.demo_pdf import make_pdf

from .conftest import complete_draft

XMP = "<x:xmpmeta xmlns:x='adobe:ns:meta/'><dc:creator>xmp-Zorblatt-token</dc:creator></x:xmpmeta>"


def test_the_reviewer_copy_of_an_upload_carries_no_author_token(edition, author):
    edition.blind_mode = Edition.BlindMode.DOUBLE
    edition.save()
    submission = complete_draft(edition, author)
    data = make_pdf(title="Blind", author="Quixotic Vandermeer", keywords="kw-Zorblatt-77", xmp=XMP)
    document = services.upload_document(
        submission=submission, by=author, upload=SimpleUploadedFile("p.pdf", data)
    )
    with document.reviewer_file.open("rb") as handle:
        copy = handle.read()
    for token in ["Quixotic", "Vandermeer", "Zorblatt"]:
        assert token.encode() not in copy
        assert token.encode("utf-16-be") not in copy
    with document.file.open("rb") as handle:
        assert b"Zorblatt" in handle.read()  # the authors' own file is kept as they sent it


def test_a_double_blind_upload_that_names_an_author_is_flagged(client, edition, author):
    edition.blind_mode = Edition.BlindMode.DOUBLE
    edition.save()
    submission = complete_draft(edition, author)
    data = make_pdf(title="A paper by Ana Author", body=["Contact: ana@uni.example"])
    document = services.upload_document(
        submission=submission, by=author, upload=SimpleUploadedFile("p.pdf", data)
    )
    assert document.author_traces == ["Ana Author", "ana@uni.example"]
    client.force_login(author)
    page = client.get(submission.url("step", "file")).content.decode()
    assert "names an author: Ana Author, ana@uni.example" in page


def test_a_single_blind_upload_is_not_stripped_or_flagged(edition, author):
    edition.blind_mode = Edition.BlindMode.SINGLE
    edition.save()
    submission = complete_draft(edition, author)
    document = submission.documents.get()
    assert not document.reviewer_file and document.author_traces == []
