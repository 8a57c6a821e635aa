"""A call with its chair, and camera-ready papers ready to publish into the hub."""

import pytest

from conference.models import Role, SubmissionType, Topic
from submissions.models import Submission
from tests.factories import (
    AuthorshipFactory,
    EditionFactory,
    SeriesFactory,
    SubmissionFactory,
    UserFactory,
    add_document,
)


@pytest.fixture
def edition(db):
    return EditionFactory(series=SeriesFactory(slug="sse"), year=2025, title={"en": "SSE and the SDGs 2025"})


@pytest.fixture
def chair(edition):
    person = UserFactory()
    Role.objects.create(edition=edition, user=person, kind=Role.Kind.CHAIR)
    return person


def camera_ready(edition, title="Solidarity finance in cities", **kwargs):
    """An approved final version by Ana Núñez and the ILO, on the first two SDGs."""
    kind = SubmissionType.objects.create(edition=edition, name={"en": "Paper"})
    paper = SubmissionFactory(
        edition=edition, title=title, state=Submission.State.CAMERA_READY, authors=0, submission_type=kind,
        keywords=["cooperative banks", "cities"], key_messages=["Lend locally."], **kwargs,
    )  # fmt: skip
    AuthorshipFactory(
        submission=paper, position=0, name="Ana Núñez", affiliation="Universidad Nacional", country="CO",
        orcid="0000-0002-1825-0097",
    )  # fmt: skip
    AuthorshipFactory(submission=paper, position=1, name="ILO", affiliation="", country="CH")
    paper.topics.set(Topic.objects.sdgs()[:2])
    add_document(paper, version=1, kind="final")
    return paper
