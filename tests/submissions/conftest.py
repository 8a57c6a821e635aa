import pytest

from conference.models import Role, SubmissionType, Topic, Track
from submissions import services
from submissions.demo_pdf import make_pdf
from tests.factories import EditionFactory, SeriesFactory, UserFactory


@pytest.fixture
def edition(db):
    edition = EditionFactory(series=SeriesFactory(slug="sse"), year=2028, page_limit=10, file_size_limit_mb=1)
    SubmissionType.objects.create(edition=edition, name={"en": "Research paper"})
    Track.objects.create(edition=edition, name={"en": "Care economy"})
    return edition


@pytest.fixture
def author(db):
    return UserFactory(name="Ana Author", email="ana@uni.example")


@pytest.fixture
def chair(edition):
    chair = UserFactory(name="Carla Chair", email="carla@chairs.example")
    Role.objects.create(edition=edition, user=chair, kind=Role.Kind.CHAIR)
    return chair


def pdf_upload(name="paper.pdf", **kwargs):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(
        name, make_pdf(title=kwargs.pop("title", "A paper"), **kwargs), "application/pdf"
    )


def complete_draft(edition, author, *, title="Solidarity finance in cities"):
    """A draft with every part filled in, through the same services the form uses."""
    submission = services.start_draft(edition=edition, by=author)

    def fill(s):
        s.submission_type = edition.submission_types.first()
        s.track = edition.tracks.first()
        s.title = title
        s.abstract = "How cooperative banks lend to social enterprises."
        s.topics.set(Topic.objects.sdgs()[:2])

    services.change_submission(submission=submission, by=author, revision=None, change=fill)
    services.upload_document(submission=submission, by=author, upload=pdf_upload(title=title))
    submission.refresh_from_db()
    return submission


@pytest.fixture
def draft(edition, author):
    return complete_draft(edition, author)
