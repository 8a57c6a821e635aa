import pytest

from conference.models import Role
from reviews.conflicts import detect_conflicts, dismiss_conflict, find_conflicts
from submissions.models import Conflict, Submission
from tests.factories import (
    AuthorshipFactory,
    EditionFactory,
    OrganisationFactory,
    SubmissionFactory,
    UserFactory,
)

Kind = Conflict.Kind


@pytest.fixture
def edition(db):
    return EditionFactory()


def reviewer(edition, **kwargs):
    person = UserFactory(**kwargs)
    Role.objects.create(edition=edition, user=person, kind=Role.Kind.REVIEWER)
    return person


def paper_by(edition, *emails, **kwargs):
    paper = SubmissionFactory(edition=edition, authors=0, **kwargs)
    for position, email in enumerate(emails):
        AuthorshipFactory(submission=paper, email=email, position=position)
    return paper


def kinds(edition, person, paper) -> set[str]:
    detect_conflicts(edition=edition)
    return set(Conflict.objects.filter(user=person, submission=paper).values_list("kind", flat=True))


def test_an_author_of_the_paper_is_in_conflict_with_it(edition):
    person = reviewer(edition, email="ana@uni-a.example")
    paper = paper_by(edition, "ana@uni-a.example")
    assert Kind.AUTHOR in kinds(edition, person, paper)


def test_the_same_email_domain_is_a_conflict(edition):
    person = reviewer(edition, email="ben@coop-bank.example")
    paper = paper_by(edition, "carla@coop-bank.example")
    assert kinds(edition, person, paper) == {Kind.SAME_DOMAIN}
    reason = Conflict.objects.get(user=person).reason
    assert "coop-bank.example" in reason


def test_webmail_domains_never_make_a_conflict(edition):
    person = reviewer(edition, email="ben@gmail.com")
    paper = paper_by(edition, "carla@gmail.com")
    assert kinds(edition, person, paper) == set()


def test_the_same_organisation_is_a_conflict_through_an_account_or_a_domain(edition):
    ilo = OrganisationFactory(
        name="International Labour Organization", email_domains=["ilo.org", "itcilo.org"]
    )
    person = reviewer(edition, email="kwame@gmail.com", organisation=ilo)
    by_domain = paper_by(edition, "someone@itcilo.org")
    author_account = UserFactory(email="amina@gmail.com", organisation=ilo)
    by_account = SubmissionFactory(edition=edition, authors=0)
    AuthorshipFactory(submission=by_account, email=author_account.email, user=author_account)
    assert Kind.SAME_ORGANISATION in kinds(edition, person, by_domain)
    assert Kind.SAME_ORGANISATION in kinds(edition, person, by_account)


def test_coauthors_on_any_paper_in_convene_are_in_conflict(edition):
    person = reviewer(edition, email="old.friend@uni-x.example")
    earlier = EditionFactory()
    paper_by(earlier, "old.friend@uni-x.example", "dana@uni-y.example")  # a paper they wrote together
    paper = paper_by(edition, "dana@uni-y.example")
    assert kinds(edition, person, paper) == {Kind.COAUTHOR}


def test_strangers_are_not_in_conflict(edition):
    person = reviewer(edition, email="eve@uni-z.example")
    paper = paper_by(edition, "frank@uni-w.example")
    assert find_conflicts(edition=edition) == []
    assert kinds(edition, person, paper) == set()


def test_detection_again_removes_what_no_longer_holds_and_keeps_dismissals(edition):
    person = reviewer(edition, email="ben@coop-bank.example")
    paper = paper_by(edition, "carla@coop-bank.example", "gus@other.example")
    detect_conflicts(edition=edition)
    conflict = Conflict.objects.get(user=person)
    dismiss_conflict(conflict=conflict, reason="Different departments, never met.", by=UserFactory())
    assert detect_conflicts(edition=edition) == {"added": 0, "removed": 0}
    assert Conflict.objects.get(user=person).dismissed_at is not None  # still dismissed
    paper.authorships.filter(email="carla@coop-bank.example").delete()
    assert detect_conflicts(edition=edition) == {"added": 0, "removed": 1}


def test_a_detected_conflict_hides_the_paper_from_a_committee_member(edition):
    member = UserFactory(email="kim@coop-bank.example")
    Role.objects.create(edition=edition, user=member, kind=Role.Kind.COMMITTEE)
    paper = paper_by(edition, "carla@coop-bank.example")
    assert Submission.objects.visible_to(member).filter(pk=paper.pk).exists()
    detect_conflicts(edition=edition)
    assert not Submission.objects.visible_to(member).filter(pk=paper.pk).exists()


def test_a_dismissed_conflict_no_longer_hides_the_paper(edition):
    member = UserFactory(email="kim@coop-bank.example")
    Role.objects.create(edition=edition, user=member, kind=Role.Kind.COMMITTEE)
    paper = paper_by(edition, "carla@coop-bank.example")
    detect_conflicts(edition=edition)
    dismiss_conflict(conflict=Conflict.objects.get(user=member), reason="Checked.", by=UserFactory())
    assert Submission.objects.visible_to(member).filter(pk=paper.pk).exists()


def test_drafts_are_not_scanned(edition):
    person = reviewer(edition, email="ben@coop-bank.example")
    paper_by(edition, "carla@coop-bank.example", state=Submission.State.DRAFT)
    assert find_conflicts(edition=edition) == []
    assert person


def test_review_settings_carry_over_to_the_next_edition(edition):
    from conference.next_edition import start_next_edition
    from reviews.models import ReviewSettings

    ReviewSettings.objects.create(edition=edition, bid_weight=0.7, reviewers_see_each_other=True)
    new = start_next_edition(edition=edition)
    carried = ReviewSettings.objects.get(edition=new)
    assert (carried.bid_weight, carried.reviewers_see_each_other) == (0.7, True)


def test_conflicts_are_found_when_a_reviewer_joins(edition, django_capture_on_commit_callbacks):
    paper = paper_by(edition, "carla@coop-bank.example")
    with django_capture_on_commit_callbacks(execute=True):
        person = reviewer(edition, email="ben@coop-bank.example")
    assert Conflict.objects.filter(user=person, submission=paper, kind=Kind.SAME_DOMAIN).exists()
