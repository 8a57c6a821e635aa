import io
from datetime import timedelta

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from conference.models import Question, Topic
from notifications.models import OutboxMessage
from submissions.demo_pdf import make_pdf
from submissions.models import Authorship, Conflict, Submission
from tests.factories import OrganisationFactory, UserFactory

from .conftest import complete_draft


def start(client, edition, author):
    client.force_login(author)
    response = client.post(f"/calls/{edition.series.slug}/{edition.year}/submit/")
    submission = Submission.objects.get(created_by=author)
    assert response["Location"] == submission.url("step", "type")
    return submission


def post_step(client, submission, step, data, files=None):
    submission.refresh_from_db()
    return client.post(
        submission.url("step", step), {"revision": submission.revision, **data, **(files or {})}
    )


def test_an_author_goes_through_every_step_and_submits(client, edition, author):
    Question.objects.create(
        edition=edition, text={"en": "Funding?"}, kind=Question.Kind.YES_NO, required=True
    )
    submission = start(client, edition, author)
    assert client.get(submission.url("step", "type")).status_code == 200
    steps = [
        ("type", {"submission_type": edition.submission_types.get().pk, "track": edition.tracks.get().pk,
                  "language": "fr"}),
        ("paper", {"title": "Finance solidaire", "abstract": "Les banques coopératives.",
                   "translation_language": "en", "translated_title": "Solidarity finance"}),
        ("topics", {"topics": [t.pk for t in Topic.objects.sdgs()[:2]],
                    "keywords_text": "cooperatives, credit"}),
        ("questions", {f"q{Question.objects.get().pk}": "True"}),
        ("conflicts", {"organisations": [OrganisationFactory(name="Rival").pk]}),
    ]  # fmt: skip
    for step, data in steps:
        response = post_step(client, submission, step, data)
        assert response.status_code == 302, (step, response.context and response.context["form"].errors)
    authors = {
        "authors-TOTAL_FORMS": "2", "authors-INITIAL_FORMS": "1",
        "authors-0-id": submission.authorships.get().pk, "authors-0-name": "Ana Author",
        "authors-0-email": "ana@uni.example", "authors-0-corresponding": "on", "authors-0-ORDER": "2",
        "authors-1-name": "Ben Coauthor", "authors-1-email": "ben@coop.example", "authors-1-ORDER": "1",
        "authors-1-country": "FR",
    }  # fmt: skip
    assert post_step(client, submission, "authors", authors).status_code == 302
    pdf = SimpleUploadedFile("paper.pdf", make_pdf(title="Finance solidaire", pages=3), "application/pdf")
    response = post_step(client, submission, "file", {}, {"file": pdf})
    assert response["Location"] == submission.url("confirm")
    assert client.get(submission.url("confirm")).status_code == 200
    response = client.post(submission.url("confirm"))
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.state == Submission.State.SUBMITTED
    assert (submission.title, submission.language, submission.keywords) == (
        "Finance solidaire", "fr", ["cooperatives", "credit"],
    )  # fmt: skip
    assert [a.name for a in submission.sorted_authors()] == ["Ben Coauthor", "Ana Author"]
    assert submission.conflicts.get().kind == Conflict.Kind.DECLARED_BY_AUTHOR
    invitation = OutboxMessage.objects.get(
        idempotency_key__startswith="coauthor:", recipient="ben@coop.example"
    )
    assert invitation.language == "fr"  # no account yet: the paper's language is the best guess
    receipts = OutboxMessage.objects.filter(idempotency_key__startswith="receipt:")
    assert set(receipts.values_list("recipient", flat=True)) == {"ana@uni.example", "ben@coop.example"}
    assert client.get(submission.get_absolute_url()).status_code == 200


def _png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return buffer.getvalue()


def test_each_refused_file_says_which_rule_failed_and_keeps_the_paper(client, edition, author):
    submission = complete_draft(edition, author)
    client.force_login(author)
    good = make_pdf(title="Paper", pages=3)
    bad_files = {
        "not a PDF": _png_bytes(),
        "password-protected": make_pdf(title="Locked", encrypt_with="secret"),
        "damaged": good[: len(good) * 6 // 10],
        "the limit is 1.0": b"%PDF-1.7\n" + b"0" * (1024 * 1024 + 10),
        "the limit is 10 pages": make_pdf(title="Long", pages=11),
    }
    for expected, data in bad_files.items():
        response = post_step(client, submission, "file", {}, {"file": SimpleUploadedFile("paper.pdf", data)})
        assert response.status_code == 200
        assert expected in str(response.context["form"].errors), expected
    submission.refresh_from_db()
    assert submission.title == "Solidarity finance in cities"
    assert submission.documents.count() == 1  # only the good first version


def test_each_upload_is_a_new_version(client, edition, author):
    submission = complete_draft(edition, author)
    client.force_login(author)
    post_step(client, submission, "file", {}, {"file": SimpleUploadedFile("v2.pdf", make_pdf(title="Two"))})
    assert list(submission.documents.values_list("version", flat=True).order_by("version")) == [1, 2]
    page = client.get(submission.url("step", "file")).content.decode()
    assert "v2.pdf" in page


def test_after_the_deadline_the_form_is_read_only(client, edition, author):
    submission = complete_draft(edition, author)
    with time_machine.travel(edition.submission_deadline):
        client.force_login(author)  # a session from months before would have expired
        response = client.get(submission.url("step", "paper"))
        assert response["Location"] == submission.get_absolute_url()  # read-only: the paper's page
        response = post_step(client, submission, "paper", {"title": "Changed", "abstract": "New words"})
        page = response.content.decode()
        assert "The deadline for this paper has passed" in page and "Nothing was saved" in page
        assert "New words" in page  # what they typed is on the page, not lost
        client.post(submission.url("confirm"))
    submission.refresh_from_db()
    assert (submission.title, submission.state) == ("Solidarity finance in cities", Submission.State.DRAFT)


def test_a_late_submit_keeps_the_text(client, edition, author):
    submission = complete_draft(edition, author)
    with time_machine.travel(edition.submission_deadline + timedelta(seconds=1)):
        client.force_login(author)
        response = client.post(submission.url("confirm"), follow=True)
    assert "The deadline for this paper has passed" in response.content.decode()
    submission.refresh_from_db()
    assert submission.state == Submission.State.DRAFT and submission.abstract


def test_a_stale_form_is_refused_and_nothing_is_overwritten(client, edition, author):
    submission = complete_draft(edition, author)
    client.force_login(author)
    old_revision = Submission.objects.get(pk=submission.pk).revision
    post_step(client, submission, "paper", {"title": "Newer title", "abstract": "Newer"})
    response = client.post(
        submission.url("step", "paper"), {"revision": old_revision, "title": "Older", "abstract": "Older"}
    )
    assert "co-author changed this paper" in response.content.decode()
    assert Submission.objects.get(pk=submission.pk).title == "Newer title"


def test_the_abstract_and_keyword_limits_are_enforced(client, edition, author):
    edition.abstract_word_limit = 50
    edition.keyword_limit = 2
    edition.save()
    submission = complete_draft(edition, author)
    client.force_login(author)
    response = post_step(client, submission, "paper", {"title": "T", "abstract": "word " * 51})
    assert "This abstract has 51 words; the limit is 50." in response.content.decode()
    response = post_step(
        client, submission, "topics", {"topics": [Topic.objects.sdgs()[0].pk], "keywords_text": "a, b, c"}
    )
    assert "You gave 3 keywords; the limit is 2." in response.content.decode()


def test_a_coauthor_claims_the_paper_and_can_edit_it(client, edition, author):
    submission = complete_draft(edition, author)
    coauthor = Authorship.objects.create(
        submission=submission, position=1, name="Ben", email="ben@coop.example"
    )
    from submissions.services import invite_coauthor

    invite_coauthor(coauthor)
    coauthor.refresh_from_db()
    ben = UserFactory(email="ben.other@coop.example")
    client.force_login(ben)
    assert client.get(submission.get_absolute_url()).status_code == 404
    assert client.post(coauthor.get_claim_url()).status_code == 302
    assert client.get(submission.get_absolute_url()).status_code == 200
    response = post_step(client, submission, "paper", {"title": "Edited by Ben", "abstract": "Better."})
    assert response.status_code == 302
    assert client.get(coauthor.get_claim_url()).status_code == 410  # a link works once


def test_the_author_cannot_remove_themselves(client, edition, author):
    submission = complete_draft(edition, author)
    client.force_login(author)
    data = {
        "authors-TOTAL_FORMS": "1", "authors-INITIAL_FORMS": "1",
        "authors-0-id": submission.authorships.get().pk, "authors-0-name": "Ana",
        "authors-0-email": author.email, "authors-0-corresponding": "on", "authors-0-DELETE": "on",
    }  # fmt: skip
    response = post_step(client, submission, "authors", data)
    assert response.status_code == 200
    assert submission.authorships.count() == 1


def test_saving_a_step_of_a_submitted_paper_without_a_change_sends_no_receipt(client, edition, author):
    from submissions import services

    submission = complete_draft(edition, author)
    services.submit(submission=submission, by=author)
    client.force_login(author)
    receipts = OutboxMessage.objects.filter(idempotency_key__startswith="receipt:")
    assert receipts.count() == 1
    data = {"title": submission.title, "abstract": submission.abstract, "translation_language": ""}
    assert post_step(client, submission, "paper", data).status_code == 302
    assert receipts.count() == 1
    post_step(client, submission, "paper", {**data, "abstract": "A better abstract."})
    assert receipts.count() == 2


def test_stored_pdfs_are_not_reachable_by_a_media_url(client, edition, author):
    submission = complete_draft(edition, author)
    document = submission.documents.get()
    assert document.file.name.startswith("papers/") and "paper" not in document.file.name.removeprefix(
        "papers/"
    )
    client.force_login(author)
    assert client.get(document.file.url).status_code == 404
    response = client.get(document.get_absolute_url())
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
