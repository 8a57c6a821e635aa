from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone

from conference.models import Edition, Role
from reviews import services
from reviews.models import Assignment, Review, ReviewSettings
from reviews.review_forms import review_form_for
from submissions.demo_pdf import make_pdf
from submissions.models import Conflict
from tests.factories import AuthorshipFactory, EditionFactory, SeriesFactory, SubmissionFactory, UserFactory


@pytest.fixture
def edition(db):
    return EditionFactory(series=SeriesFactory(slug="sse"), year=2028, blind_mode=Edition.BlindMode.DOUBLE)


def person_with(edition, kind, **kwargs):
    person = UserFactory(**kwargs)
    Role.objects.create(edition=edition, user=person, kind=kind)
    return person


@pytest.fixture
def chair(edition):
    return person_with(edition, Role.Kind.CHAIR)


@pytest.fixture
def reviewer(edition):
    return person_with(edition, Role.Kind.REVIEWER)


@pytest.fixture
def paper(edition):
    paper = SubmissionFactory(edition=edition, number=4, title="Care cooperatives", authors=0)
    AuthorshipFactory(submission=paper, name="Zelda Quarkington", email="zelda@uni.example")
    data = make_pdf(title="Care cooperatives", author="Zelda Quarkington")
    from submissions.models import Document
    from submissions.pdf import reviewer_copy

    document = Document(
        submission=paper, version=1, original_name="zelda.pdf", sha256="0" * 64, size=1, pages=1
    )
    document.file.save("p.pdf", ContentFile(data), save=False)
    document.reviewer_file.save("p.pdf", ContentFile(reviewer_copy(data)), save=True)
    return paper


def review_post(edition, **extra):
    data = {f"c{c.pk}": "4" for c in review_form_for(edition).criteria.all()}
    return {
        **data,
        "recommendation": "accept",
        "confidence": "4",
        "comments_to_authors": "Clear and useful.",
        **extra,
    }


URL = "/calls/sse/2028/review/papers/4/"


def test_a_chair_assigns_a_reviewer_who_then_reviews_without_seeing_the_authors(
    client, edition, chair, reviewer, paper
):
    services.assign(submission=paper, reviewer=reviewer, by=chair)
    client.force_login(reviewer)
    assert "Care cooperatives" in client.get("/calls/sse/2028/review/").content.decode()
    page = client.get(URL).content.decode()
    assert "Care cooperatives" in page and "Zelda" not in page
    pdf = b"".join(client.get(URL + "pdf/").streaming_content)
    assert b"Zelda" not in pdf and b"Quarkington" not in pdf
    assert client.post(URL, review_post(edition, submit="1")).status_code == 302
    review = Review.objects.get()
    assert (review.state, review.recommendation, review.confidence, review.late) == (
        "submitted",
        "accept",
        4,
        False,
    )
    assert set(review.scores.values()) == {4}


def test_a_draft_may_be_half_done_but_a_submitted_review_must_be_complete(
    client, edition, chair, reviewer, paper
):
    services.assign(submission=paper, reviewer=reviewer, by=chair)
    client.force_login(reviewer)
    client.post(URL, {"comments_to_authors": "Half a thought", "draft": "1"})
    assert Review.objects.get().state == "draft"
    response = client.post(URL, {"comments_to_authors": "Half a thought", "submit": "1", "revision": 1})
    assert response.status_code == 200 and Review.objects.get().state == "draft"
    assert "This field is required." in response.content.decode()


def test_a_review_after_the_deadline_is_accepted_and_marked_late(client, edition, chair, reviewer, paper):
    services.assign(submission=paper, reviewer=reviewer, by=chair)
    with time_machine.travel(edition.review_deadline + timedelta(hours=1)):
        client.force_login(reviewer)
        client.post(URL, review_post(edition, submit="1"))
    assert Review.objects.get().late is True


def test_once_reviewing_is_closed_nothing_is_saved(client, edition, chair, reviewer, paper):
    services.assign(submission=paper, reviewer=reviewer, by=chair)
    ReviewSettings.objects.create(edition=edition, reviewing_closed_at=timezone.now())
    client.force_login(reviewer)
    client.post(URL, review_post(edition, submit="1"))
    assert not Review.objects.filter(state="submitted").exists()


def test_a_stale_review_form_does_not_overwrite_a_newer_save(client, edition, chair, reviewer, paper):
    services.assign(submission=paper, reviewer=reviewer, by=chair)
    client.force_login(reviewer)
    client.post(URL, review_post(edition, draft="1", revision="0"))
    response = client.post(URL, review_post(edition, draft="1", revision="0", comments_to_authors="Older"))
    assert "saved in another tab" in response.content.decode()
    assert Review.objects.get().comments_to_authors == "Clear and useful."


def test_nobody_in_conflict_or_among_the_authors_can_be_assigned(edition, chair, reviewer, paper):
    Conflict.objects.create(submission=paper, user=reviewer, kind=Conflict.Kind.SAME_DOMAIN)
    with pytest.raises(ValidationError, match="in conflict"):
        services.assign(submission=paper, reviewer=reviewer, by=chair)
    author = person_with(edition, Role.Kind.REVIEWER, email="zelda@uni.example")
    with pytest.raises(ValidationError, match="an author"):
        services.assign(submission=paper, reviewer=author, by=chair)
    with pytest.raises(ValidationError, match="not a reviewer"):
        services.assign(submission=paper, reviewer=UserFactory(), by=chair)


def test_a_conflict_found_after_assignment_hides_the_paper_from_its_reviewer(
    client, edition, chair, reviewer, paper
):
    services.assign(submission=paper, reviewer=reviewer, by=chair)
    Conflict.objects.create(submission=paper, user=reviewer, kind=Conflict.Kind.COAUTHOR)
    client.force_login(reviewer)
    assert client.get(URL).status_code == 404
    assert client.get(URL + "pdf/").status_code == 404
    assert "Care cooperatives" not in client.get("/calls/sse/2028/review/").content.decode()


def test_a_reviewer_declines_with_a_reason_and_the_paper_leaves_their_list(
    client, edition, chair, reviewer, paper
):
    assignment = services.assign(submission=paper, reviewer=reviewer, by=chair)
    client.force_login(reviewer)
    client.post(URL + "decline/", {"reason": ""})
    assert Assignment.objects.get().state == "assigned"
    client.post(URL + "decline/", {"reason": "I advised the authors last year."})
    assignment.refresh_from_db()
    assert (assignment.state, assignment.decline_reason) == ("declined", "I advised the authors last year.")
    assert client.get(URL).status_code == 404


def test_a_submitted_review_cannot_be_declined_or_unassigned(client, edition, chair, reviewer, paper):
    assignment = services.assign(submission=paper, reviewer=reviewer, by=chair)
    client.force_login(reviewer)
    client.post(URL, review_post(edition, submit="1"))
    with pytest.raises(ValidationError):
        services.decline(assignment=assignment, by=reviewer, reason="Too late")
    with pytest.raises(ValidationError):
        services.unassign(assignment=assignment, by=chair)


def test_in_single_blind_the_reviewer_sees_the_authors(client, edition, chair, reviewer, paper):
    edition.blind_mode = Edition.BlindMode.SINGLE
    edition.save()
    services.assign(submission=paper, reviewer=reviewer, by=chair)
    client.force_login(reviewer)
    assert "Zelda Quarkington" in client.get(URL).content.decode()


def test_the_default_review_form_has_the_networks_six_criteria(edition):
    names = [str(c.name) for c in review_form_for(edition).criteria.all()]
    assert names[0] == "Relevance to the social and solidarity economy" and len(names) == 6
    assert review_form_for(edition).pk == review_form_for(edition).pk


def test_a_new_review_page_carries_revision_zero_so_two_fresh_tabs_clash(
    client, edition, chair, reviewer, paper
):
    services.assign(submission=paper, reviewer=reviewer, by=chair)
    client.force_login(reviewer)
    page = client.get(URL).content.decode()
    assert 'name="revision" value="0"' in page
    client.post(URL, review_post(edition, draft="1", revision="0", comments_to_authors="First tab"))
    response = client.post(
        URL, review_post(edition, draft="1", revision="0", comments_to_authors="Second tab")
    )
    assert "saved in another tab" in response.content.decode()
    assert Review.objects.get().comments_to_authors == "First tab"
