"""Authors acting at the same moment on PostgreSQL, in real threads: double clicks on "Submit", co-authors
saving the same step, uploads and new drafts racing each other, and the per-author limit."""

from __future__ import annotations

import hashlib
import importlib
from collections import Counter

import pytest
from django.apps import apps
from django.core.files.storage import default_storage
from django.utils import timezone

from conference.models import SubmissionType, Track
from notifications.models import OutboxMessage
from submissions import services
from submissions.models import Authorship, Document, StateChange, Submission
from tests.factories import EditionFactory, SeriesFactory, UserFactory
from tests.integration.threads import race
from tests.submissions.conftest import complete_draft, pdf_upload

State = Submission.State


@pytest.fixture
def edition(private_queue):
    # A transactional test empties every table afterwards, the SDGs of the data migration with them.
    importlib.import_module("conference.migrations.0002_sustainable_development_goals").add_sdgs(apps, None)
    edition = EditionFactory(series=SeriesFactory(slug="sse"), year=2028, page_limit=10, file_size_limit_mb=1)
    SubmissionType.objects.create(edition=edition, name={"en": "Research paper"})
    Track.objects.create(edition=edition, name={"en": "Care economy"})
    return edition


@pytest.fixture
def author(edition):
    return UserFactory(name="Ana Author", email="ana@uni.example")


def add_claimed_coauthor(submission: Submission, user) -> Authorship:
    return Authorship.objects.create(
        submission=submission, position=submission.authorships.count(), user=user, name=user.name,
        email=user.email, country=user.country, claimed_at=timezone.now(),
    )  # fmt: skip


def receipts_by_recipient(submission: Submission) -> Counter:
    return Counter(
        OutboxMessage.objects.filter(idempotency_key__startswith=f"receipt:{submission.pk}:").values_list(
            "recipient", flat=True
        )
    )


def assert_submitted_once(submission: Submission, outcomes: list[object], authors: list) -> None:
    errors = [outcome for outcome in outcomes if isinstance(outcome, BaseException)]
    assert errors == [], errors
    assert all(outcome.state == State.SUBMITTED for outcome in outcomes), outcomes
    submission.refresh_from_db()
    assert submission.state == State.SUBMITTED
    changes = list(StateChange.objects.filter(submission=submission).values_list("old", "new"))
    assert changes == [(State.DRAFT, State.SUBMITTED)]
    assert receipts_by_recipient(submission) == Counter({person.email: 1 for person in authors})


def test_a_double_click_on_submit_submits_once(edition, author):
    draft = complete_draft(edition, author)

    outcomes = race(*[lambda: services.submit(submission=Submission.objects.get(pk=draft.pk), by=author)] * 2)

    assert_submitted_once(draft, outcomes, [author])


def test_two_coauthors_submitting_at_once_submit_once(edition, author):
    coauthor = UserFactory(name="Bo Coauthor", email="bo@uni.example")
    draft = complete_draft(edition, author)
    add_claimed_coauthor(draft, coauthor)

    outcomes = race(
        *[
            lambda person=person: services.submit(submission=Submission.objects.get(pk=draft.pk), by=person)
            for person in (author, coauthor)
        ]
    )

    assert_submitted_once(draft, outcomes, [author, coauthor])


def test_ten_drafts_started_at_once_get_the_numbers_one_to_ten(edition):
    people = [UserFactory() for _ in range(10)]

    outcomes = race(
        *[lambda person=person: services.start_draft(edition=edition, by=person) for person in people]
    )

    errors = [outcome for outcome in outcomes if isinstance(outcome, BaseException)]
    assert errors == [], errors
    assert sorted(outcome.number for outcome in outcomes) == list(range(1, 11))
    assert sorted(Submission.objects.filter(edition=edition).values_list("number", flat=True)) == list(
        range(1, 11)
    )
    # Each number belongs to the person who started that draft.
    for person, outcome in zip(people, outcomes, strict=True):
        assert list(outcome.authorships.values_list("user", flat=True)) == [person.pk]


def test_two_uploads_at_once_make_two_versions_and_keep_both_files(edition, author):
    draft = services.start_draft(edition=edition, by=author)
    uploads = [
        pdf_upload("first.pdf", title="First version"),
        pdf_upload("second.pdf", title="Second version"),
    ]
    expected = {}
    for upload in uploads:
        expected[upload.name] = hashlib.sha256(upload.read()).hexdigest()
        upload.seek(0)
    assert len(set(expected.values())) == 2

    outcomes = race(
        *[
            lambda upload=upload: services.upload_document(
                submission=Submission.objects.get(pk=draft.pk), by=author, upload=upload
            )
            for upload in uploads
        ]
    )

    errors = [outcome for outcome in outcomes if isinstance(outcome, BaseException)]
    assert errors == [], errors
    documents = list(Document.objects.filter(submission=draft, kind=Document.Kind.PAPER).order_by("version"))
    assert [document.version for document in documents] == [1, 2]
    assert {document.original_name: document.sha256 for document in documents} == expected
    assert len({document.file.name for document in documents}) == 2
    for document in documents:
        assert default_storage.exists(document.file.name)
        with default_storage.open(document.file.name, "rb") as stored:
            assert hashlib.sha256(stored.read()).hexdigest() == document.sha256
        assert document.reviewer_file and default_storage.exists(document.reviewer_file.name)
    draft.refresh_from_db()
    assert draft.revision == 2  # one saved change per upload, neither lost


def test_two_coauthors_saving_the_same_step_at_once_one_wins_whole(edition, author):
    coauthor = UserFactory(name="Bo Coauthor", email="bo@uni.example")
    draft = services.start_draft(edition=edition, by=author)
    add_claimed_coauthor(draft, coauthor)
    loaded = Submission.objects.get(pk=draft.pk).revision
    edits = {author.pk: ("Ana's title", "Ana's abstract"), coauthor.pk: ("Bo's title", "Bo's abstract")}

    def save(person):
        def change(submission):
            submission.title, submission.abstract = edits[person.pk]

        services.change_submission(
            submission=Submission.objects.get(pk=draft.pk), by=person, revision=loaded, change=change
        )
        return person

    outcomes = race(*[lambda person=person: save(person) for person in (author, coauthor)])

    winners = [outcome for outcome in outcomes if not isinstance(outcome, BaseException)]
    losers = [outcome for outcome in outcomes if isinstance(outcome, BaseException)]
    assert len(winners) == 1, outcomes
    assert len(losers) == 1 and isinstance(losers[0], services.StaleEdit), outcomes
    assert losers[0].code == "stale"
    draft.refresh_from_db()
    assert (draft.title, draft.abstract) == edits[winners[0].pk]
    assert draft.revision == loaded + 1


@pytest.mark.parametrize("shared", ["one author, two tabs", "two submitters, one co-author"])
def test_two_papers_submitted_at_once_cannot_both_pass_the_author_limit(edition, author, shared):
    # Each submit counts the other papers before its own commits: only a lock on the edition row, held
    # while counting, makes the second count see the first paper (locking the paper's row alone does not).
    edition.submissions_per_author = 1
    edition.save(update_fields=["submissions_per_author"])
    if shared == "one author, two tabs":
        drafts = [complete_draft(edition, author, title=f"Paper {n}") for n in (1, 2)]
        submitters = [author, author]
    else:
        # Each paper has its own submitter; the same person co-authors both.
        submitters = [UserFactory(name=f"Submitter {n}", email=f"s{n}@uni.example") for n in (1, 2)]
        drafts = [complete_draft(edition, s, title=f"Paper {n}") for n, s in enumerate(submitters, 1)]
        for draft in drafts:
            add_claimed_coauthor(draft, author)

    outcomes = race(
        *[
            lambda draft=draft, by=by: services.submit(submission=Submission.objects.get(pk=draft.pk), by=by)
            for draft, by in zip(drafts, submitters, strict=True)
        ]
    )

    submitted = [outcome for outcome in outcomes if isinstance(outcome, Submission)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, services.TransitionNotAllowed)]
    assert len(submitted) == 1 and len(refused) == 1, outcomes
    assert refused[0].code == "author_limit"
    states = sorted(Submission.objects.filter(pk__in=[d.pk for d in drafts]).values_list("state", flat=True))
    assert states == sorted([State.DRAFT, State.SUBMITTED])
    assert StateChange.objects.filter(submission__in=drafts).count() == 1
