"""Telling authors: decision mails per outcome and language, the release (once), the author's page."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from conference.models import Edition, Role
from notifications.models import OutboxMessage
from reviews import decisions, release
from reviews.models import Assignment, Decision, DecisionMail, Release, Review
from submissions.models import Submission
from tests.factories import AuthorshipFactory, EditionFactory, SeriesFactory, SubmissionFactory, UserFactory

RELEASE = "/calls/sse/2028/chair/decisions/release/"
MAILS = "/calls/sse/2028/chair/decisions/mails/"


@pytest.fixture
def edition(db):
    return EditionFactory(series=SeriesFactory(slug="sse"), year=2028, languages=["en", "fr"])


@pytest.fixture
def chair(edition):
    person = UserFactory()
    Role.objects.create(edition=edition, user=person, kind=Role.Kind.CHAIR)
    return person


def outcome(edition, english):
    return next(o for o in decisions.outcomes_for(edition) if o.name["en"] == english)


def decided(edition, chair, english, *, authors=2, comments=("Clear and useful.",)):
    paper = SubmissionFactory(edition=edition, state=Submission.State.UNDER_REVIEW, authors=authors)
    for text in comments:
        reviewer = UserFactory(name="Rupert Reviewer")
        assignment = Assignment.objects.create(submission=paper, reviewer=reviewer)
        Review.objects.create(
            assignment=assignment, state="submitted", comments_to_authors=text,
            confidential_comments="Secret doubts.", submitted_at=timezone.now(),
        )  # fmt: skip
    decisions.decide(submission=paper, outcome=outcome(edition, english), by=chair, version=0)
    return paper


def send(edition, chair, django_capture_on_commit_callbacks) -> Release:
    with django_capture_on_commit_callbacks(execute=True):
        started = release.start_release(edition=edition, by=chair)
    started.refresh_from_db()
    return started


def test_each_author_gets_one_mail_and_the_papers_move(edition, chair, django_capture_on_commit_callbacks):
    accepted = decided(edition, chair, "Accept as poster", authors=3)
    rejected = decided(edition, chair, "Reject", authors=1)
    done = send(edition, chair, django_capture_on_commit_callbacks)
    assert (done.state, done.released, done.total, done.problems) == ("done", 2, 2, [])
    accepted.refresh_from_db(), rejected.refresh_from_db()
    assert (accepted.state, rejected.state) == ("accepted", "rejected")
    mails = OutboxMessage.objects.filter(idempotency_key__startswith="decision:")
    assert sorted(mails.values_list("recipient", flat=True)) == sorted(
        a.email for p in (accepted, rejected) for a in p.authorships.all()
    )
    assert all(d.released_at for d in Decision.objects.all())


def test_a_second_release_sends_nothing(edition, chair, django_capture_on_commit_callbacks):
    decided(edition, chair, "Accept")
    first = send(edition, chair, django_capture_on_commit_callbacks)
    count = OutboxMessage.objects.count()
    with pytest.raises(ValidationError, match="nothing to release"):
        release.start_release(edition=edition, by=chair)
    release.run_release(first.pk)  # the same task delivered again
    assert OutboxMessage.objects.count() == count


def test_a_release_whose_worker_died_is_resumed_and_sends_each_mail_once(
    edition, chair, django_capture_on_commit_callbacks
):
    papers = [decided(edition, chair, "Accept") for _ in range(4)]
    # A worker released two decisions, then died: the release is running, its heart stopped.
    for decision in Decision.objects.order_by("pk")[:2]:
        release.release_one(decision.pk)
    stalled = Release.objects.create(
        edition=edition, requested_by=chair, total=4, released=2, state="running",
        heartbeat_at=timezone.now() - timedelta(hours=1),
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        assert release.resume_stalled_releases() == 1
    stalled.refresh_from_db()
    assert stalled.state == "done"
    keys = list(OutboxMessage.objects.values_list("idempotency_key", flat=True))
    assert len(keys) == len(set(keys)) == sum(p.authorships.count() for p in papers)


def test_a_worker_killed_right_after_a_release_leaves_it_counted(edition, chair):
    decided(edition, chair, "Accept")
    running = Release.objects.create(edition=edition, requested_by=chair, total=1, state="running",
                                     heartbeat_at=timezone.now())  # fmt: skip
    # The worker releases one decision and dies before its next statement: the count went with it.
    assert release.release_one(Decision.objects.get().pk, counted_in=running.pk) == release.RELEASED
    running.refresh_from_db()
    assert running.released == 1
    assert release.release_one(Decision.objects.get().pk, counted_in=running.pk) == release.SKIPPED
    running.refresh_from_db()
    assert running.released == 1  # resumed, it skips the decision and counts nothing twice


def test_a_paper_withdrawn_after_its_decision_is_left_out_and_never_mailed(
    edition, chair, django_capture_on_commit_callbacks
):
    paper = decided(edition, chair, "Accept")
    decided(edition, chair, "Reject")
    Submission.objects.filter(pk=paper.pk).update(state=Submission.State.WITHDRAWN)
    assert release.unreleased(edition).count() == 1
    done = send(edition, chair, django_capture_on_commit_callbacks)
    assert (done.total, done.released, done.problems) == (1, 1, [])
    assert not OutboxMessage.objects.filter(recipient__in=paper.authorships.values("email")).exists()
    with pytest.raises(ValidationError, match="nothing to release"):
        release.start_release(edition=edition, by=chair)  # nothing left hanging on the page


def test_a_paper_decided_by_someone_who_may_no_longer_act_goes_out_in_the_releasing_chairs_name(
    edition, chair, django_capture_on_commit_callbacks
):
    other = UserFactory()
    Role.objects.create(edition=edition, user=other, kind=Role.Kind.CHAIR)
    paper = decided(edition, other, "Accept")
    Role.objects.filter(user=other).delete()  # they left the committee
    done = send(edition, chair, django_capture_on_commit_callbacks)
    assert (done.released, done.problems) == (1, [])
    paper.refresh_from_db()
    assert paper.state == "accepted" and paper.state_changes.last().by == chair


def test_the_release_page_counts_a_hidden_papers_decision_without_saying_what_it_is(client, edition, chair):
    from submissions.models import Conflict

    hidden = decided(edition, chair, "Accept as poster")
    decided(edition, chair, "Reject")
    Conflict.objects.create(submission=hidden, user=chair, kind=Conflict.Kind.ADDED_BY_CHAIR)
    client.force_login(chair)
    page = client.get(RELEASE).content.decode()
    assert "1 paper you cannot see" in page and "Accept as poster" not in page.split("Preview")[0]
    assert "Send 2 decisions" in page


def test_an_author_whose_language_the_call_does_not_speak_gets_the_chairs_text_in_its_main_language(
    edition, chair
):
    accept = outcome(edition, "Accept")
    DecisionMail.objects.create(
        outcome=accept, language="en", subject="Yes! {number}", body="Dear {author_name}"
    )
    paper = decided(edition, chair, "Accept", authors=1)
    author = paper.authorships.get()
    author.user = UserFactory(preferred_language="es")  # the call speaks English and French
    author.save()
    subject, _text, language = release.render_mail(paper.decision, author)
    assert (language, subject) == ("en", f"Yes! {paper.number}")


def test_the_mail_is_in_the_authors_language_with_the_comments_and_nothing_confidential(edition, chair):
    paper = decided(edition, chair, "Accept", authors=1, comments=["Strong data.", "Shorten section 2."])
    author = paper.authorships.get()
    author.user = UserFactory(preferred_language="fr")
    author.save()
    subject, text, language = release.render_mail(paper.decision, author)
    assert language == "fr"
    assert "Strong data." in text and "Shorten section 2." in text
    assert "Secret doubts." not in text and "Rupert" not in text
    assert f"/calls/sse/2028/papers/{paper.number}/decision/" in text
    assert str(paper.number) in subject


def test_the_chair_writes_the_mail_of_an_outcome_and_unknown_placeholders_are_refused(client, edition, chair):
    accept = outcome(edition, "Accept")
    client.force_login(chair)
    url = f"{MAILS}?outcome={accept.pk}&language=en"
    assert "{author_name}" in client.get(url).content.decode()  # the default text, to start from
    bad = client.post(url, {"subject": "Hello {nmae}", "body": "Dear {author_name}"})
    assert "Unknown placeholders: {nmae}" in bad.content.decode()
    assert not DecisionMail.objects.exists()
    client.post(url, {"subject": "Welcome, paper {number}", "body": "Dear {author_name}, see {link}"})
    paper = decided(edition, chair, "Accept", authors=1)
    subject, text, _language = release.render_mail(paper.decision, paper.authorships.get())
    assert subject == f"Welcome, paper {paper.number}" and text.startswith(
        f"Dear {paper.authorships.get().name}"
    )
    client.post(url, {"restore": "1"})
    assert not DecisionMail.objects.exists()


def test_the_release_page_previews_any_author_and_sends(
    client, edition, chair, django_capture_on_commit_callbacks
):
    paper = decided(edition, chair, "Reject", authors=2)
    second = paper.authorships.order_by("position")[1]
    client.force_login(chair)
    page = client.get(f"{RELEASE}?paper={paper.number}&author={second.pk}").content.decode()
    assert f"To {second.email}" in page and "Send 1 decision" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(RELEASE)
    page = client.get(RELEASE).content.decode()
    assert "1 of 1 decisions sent." in page and "Nothing is waiting" in page


def test_the_author_sees_the_decision_only_once_released(
    client, edition, chair, django_capture_on_commit_callbacks
):
    author = UserFactory()
    paper = decided(edition, chair, "Accept", authors=0, comments=["Convincing."])
    AuthorshipFactory(submission=paper, user=author, email=author.email)
    url = f"/calls/sse/2028/papers/{paper.number}/decision/"
    client.force_login(author)
    assert client.get(url).status_code == 404
    assert "Decision and reviews" not in client.get(paper.get_absolute_url()).content.decode()
    send(edition, chair, django_capture_on_commit_callbacks)
    page = client.get(url).content.decode()
    assert "Convincing." in page and "Review 1" in page and "Send the final version" in page
    assert "Secret doubts." not in page and "Rupert" not in page
    assert "Decision and reviews" in client.get(paper.get_absolute_url()).content.decode()
    Edition.objects.filter(pk=edition.pk).update(blind_mode=Edition.BlindMode.OPEN)
    assert "Rupert Reviewer" in client.get(url).content.decode()  # open review: names are shown
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404


def test_the_release_and_group_mail_pages_cost_the_same_for_2_or_20_decided_papers(client, edition, chair):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def pages():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(RELEASE).status_code == 200
            assert client.get("/calls/sse/2028/chair/decisions/group-mail/").status_code == 200
            assert client.get("/calls/sse/2028/chair/decisions/outcomes/").status_code == 200
        return len(queries)

    for english in ("Accept", "Reject"):
        decided(edition, chair, english, authors=1)
    client.force_login(chair)
    pages()  # outcomes and the review form are made on the first visit
    few = pages()
    for n in range(18):
        decided(
            edition,
            chair,
            ["Accept", "Accept as poster", "Reject"][n % 3],
            authors=1 + n % 3,
            comments=["A", "B"],
        )
    assert pages() == few


def test_the_reviews_quoted_in_a_french_mail_are_numbered_in_french(edition, chair):
    submission = decided(edition, chair, "Accept as poster", comments=("Clair et utile.",))
    assert release.comments_for_authors(submission, language="fr").startswith("Évaluation 1\nClair et utile.")
