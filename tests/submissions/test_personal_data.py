from accounts.services import delete_account, export_personal_data
from submissions import services
from submissions.models import Authorship, Conflict, Document, StateChange, Submission
from tests.factories import AuthorshipFactory, UserFactory

from .conftest import complete_draft


def test_an_authors_papers_travel_in_their_export(edition, author):
    submission = complete_draft(edition, author)
    services.submit(submission=submission, by=author)
    export = export_personal_data(user=author)["data"]
    assert [row["title"] for row in export["submissions.Submission"]] == [submission.title]
    assert export["submissions.Authorship"][0]["email"] == author.email
    assert export["submissions.Document"][0]["sha256"] == submission.documents.get().sha256
    assert export["submissions.StateChange"][0]["new"] == "submitted"


def test_a_coauthor_named_by_address_finds_the_paper_in_their_export_before_claiming_it(edition, author):
    submission = complete_draft(edition, author)
    AuthorshipFactory(submission=submission, email="later@coop.example", position=1)
    person = UserFactory(email="later@coop.example")
    rows = export_personal_data(user=person)["data"]["submissions.Authorship"]
    assert [row["submission"] for row in rows] == [submission.pk]


def test_erasing_a_sole_author_deletes_their_paper_and_its_files(
    edition, author, django_capture_on_commit_callbacks
):
    submission = complete_draft(edition, author)
    stored = submission.documents.get().file
    with django_capture_on_commit_callbacks(execute=True):
        delete_account(user=author)
    assert not Submission.objects.filter(pk=submission.pk).exists()
    assert not stored.storage.exists(stored.name)


def test_erasing_one_of_several_authors_keeps_the_paper_for_the_others(edition, author, chair):
    submission = complete_draft(edition, author)
    coauthor = UserFactory()
    AuthorshipFactory(submission=submission, user=coauthor, email=coauthor.email, position=1)
    services.submit(submission=submission, by=author)
    Conflict.objects.create(
        submission=submission, user=chair, kind=Conflict.Kind.ADDED_BY_CHAIR, created_by=author
    )
    delete_account(user=author)
    submission.refresh_from_db()
    assert [a.email for a in submission.authorships.all()] == [coauthor.email]
    assert submission.created_by is None
    assert Document.objects.get(submission=submission).uploaded_by is None
    assert StateChange.objects.get(submission=submission).by is None
    assert Conflict.objects.get(submission=submission).created_by is None  # the conflict itself stays
    assert not Authorship.objects.filter(email=author.email).exists()
