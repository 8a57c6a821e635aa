"""The chair names the outcomes the committee decides between."""

import pytest

from conference.models import Role
from reviews import decisions
from reviews.models import Outcome
from submissions.models import Submission
from tests.factories import EditionFactory, SeriesFactory, SubmissionFactory, UserFactory

URL = "/calls/sse/2028/chair/decisions/outcomes/"


@pytest.fixture
def edition(db):
    return EditionFactory(series=SeriesFactory(slug="sse"), year=2028, languages=["en"])


@pytest.fixture
def chair(edition):
    person = UserFactory()
    Role.objects.create(edition=edition, user=person, kind=Role.Kind.CHAIR)
    return person


def posted(edition, changes=None, new=None):
    outcomes = list(decisions.outcomes_for(edition))
    data = {"outcomes-TOTAL_FORMS": len(outcomes) + 1, "outcomes-INITIAL_FORMS": len(outcomes),
            "outcomes-MIN_NUM_FORMS": 0, "outcomes-MAX_NUM_FORMS": 1000}  # fmt: skip
    for i, outcome in enumerate(outcomes):
        fields = {"id": outcome.pk, "edition": edition.pk, "name_0": outcome.name["en"],
                  "maps_to": outcome.maps_to, "position": outcome.position}  # fmt: skip
        fields.update((changes or {}).get(i, {}))
        data.update({f"outcomes-{i}-{key}": value for key, value in fields.items()})
    for key, value in {"position": "0", **(new or {})}.items():
        data[f"outcomes-{len(outcomes)}-{key}"] = value
    return data


def test_the_chair_renames_and_adds_an_outcome(client, edition, chair):
    client.force_login(chair)
    assert "Accept as poster" in client.get(URL).content.decode()
    new = {"name_0": "Accept for the policy panel", "maps_to": "accepted", "position": "3"}
    response = client.post(URL, posted(edition, {1: {"name_0": "Poster"}}, new))
    assert response.status_code == 302
    assert [o.name["en"] for o in Outcome.objects.filter(edition=edition)] == [
        "Accept",
        "Poster",
        "Reject",
        "Accept for the policy panel",
    ]


def test_an_outcome_given_to_a_paper_cannot_be_removed_and_one_of_each_kind_stays(client, edition, chair):
    paper = SubmissionFactory(edition=edition, state=Submission.State.UNDER_REVIEW)
    accept, _poster, reject = decisions.outcomes_for(edition)
    decisions.decide(submission=paper, outcome=accept, by=chair, version=0)
    client.force_login(chair)
    used = client.post(URL, posted(edition, {0: {"DELETE": "on"}})).content.decode()
    assert "has been given to papers: it cannot be removed" in used
    no_reject = client.post(URL, posted(edition, {2: {"DELETE": "on"}})).content.decode()
    assert "Keep at least one outcome that accepts and one that rejects." in no_reject
    assert Outcome.objects.filter(edition=edition).count() == 3


def test_what_an_outcome_means_cannot_change_once_papers_were_given_it(client, edition, chair):
    paper = SubmissionFactory(edition=edition, state=Submission.State.UNDER_REVIEW)
    accept = decisions.outcomes_for(edition)[0]
    decisions.decide(submission=paper, outcome=accept, by=chair, version=0)
    client.force_login(chair)
    client.post(URL, posted(edition, {0: {"maps_to": "rejected", "name_0": "Yes"}}))
    accept.refresh_from_db()
    assert (accept.maps_to, accept.name["en"]) == ("accepted", "Yes")  # renamed, still accepting
