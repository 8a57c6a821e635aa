"""The chair builds the review form: criteria with names in the edition's languages, scales and weights."""

import pytest

from conference.models import Role
from conference.next_edition import start_next_edition
from reviews import services
from reviews.models import Criterion, DecisionMail
from reviews.review_forms import review_form_for
from tests.factories import EditionFactory, SeriesFactory, SubmissionFactory, UserFactory

URL = "/calls/sse/2028/chair/review/form/"


@pytest.fixture
def edition(db):
    return EditionFactory(series=SeriesFactory(slug="sse"), year=2028, languages=["en", "fr"])


@pytest.fixture
def chair(edition):
    person = UserFactory()
    Role.objects.create(edition=edition, user=person, kind=Role.Kind.CHAIR)
    return person


def posted(edition, changes=None, new=None):
    """The formset's POST as the page sends it, with `changes` {position: {field: value}} and a new card."""
    criteria = list(review_form_for(edition).criteria.all())
    data = {"criteria-TOTAL_FORMS": len(criteria) + 1, "criteria-INITIAL_FORMS": len(criteria),
            "criteria-MIN_NUM_FORMS": 0, "criteria-MAX_NUM_FORMS": 1000}  # fmt: skip
    for i, criterion in enumerate(criteria):
        fields = {
            "id": criterion.pk, "form": criterion.form_id, "name_0": criterion.name["en"],
            "name_1": criterion.name["fr"], "weight": criterion.weight, "position": criterion.position,
            "scale_text": "\n".join(f"{p['en']} | {p['fr']}" for p in criterion.scale),
        }  # fmt: skip
        fields.update((changes or {}).get(i, {}))
        data.update({f"criteria-{i}-{key}": value for key, value in fields.items()})
    # The empty card, as a browser sends it: its default weight and position, unless filled in.
    for key, value in {"weight": "1.0", "position": "0", **(new or {})}.items():
        data[f"criteria-{len(criteria)}-{key}"] = value
    return data


def test_the_chair_starts_from_the_networks_six_criteria(client, edition, chair):
    client.force_login(chair)
    page = client.get(URL).content.decode()
    assert "Relevance to the social and solidarity economy" in page and "Pertinence pour" in page
    assert "Very good | Très bon" in page


def test_the_chair_rewords_a_criterion_and_adds_one_with_its_own_scale(client, edition, chair):
    client.force_login(chair)
    new = {"name_0": "Use of local data", "name_1": "Usage de données locales", "weight": "2",
           "position": "9", "scale_text": "No | Non\nPartly | En partie\nYes | Oui"}  # fmt: skip
    response = client.post(URL, posted(edition, {0: {"name_0": "Relevance to the SSE"}}, new))
    assert response.status_code == 302, response.content.decode()
    criteria = list(review_form_for(edition).criteria.all())
    assert criteria[0].name["en"] == "Relevance to the SSE"
    added = criteria[-1]
    assert (added.name["fr"], added.weight) == ("Usage de données locales", 2.0)
    assert added.scale == [
        {"en": "No", "fr": "Non"},
        {"en": "Partly", "fr": "En partie"},
        {"en": "Yes", "fr": "Oui"},
    ]
    assert added.choices(fallback="en")[2] == (3, "3 – Yes")


def test_a_scale_of_one_point_is_refused_and_nothing_is_saved(client, edition, chair):
    client.force_login(chair)
    data = posted(edition, {0: {"name_0": "Renamed", "scale_text": "Only | Seul"}})
    response = client.post(URL, data)
    assert "Give from 2 to 10 points, one a line (you gave 1)." in response.content.decode()
    assert review_form_for(edition).criteria.first().name["en"] != "Renamed"


def test_the_form_keeps_at_least_one_criterion(client, edition, chair):
    client.force_login(chair)
    everything = {i: {"DELETE": "on"} for i in range(6)}
    response = client.post(URL, posted(edition, everything))
    assert "The form needs at least one criterion." in response.content.decode()
    assert review_form_for(edition).criteria.count() == 6


@pytest.fixture
def reviewed(edition, chair):
    reviewer = UserFactory()
    Role.objects.create(edition=edition, user=reviewer, kind=Role.Kind.REVIEWER)
    assignment = services.assign(submission=SubmissionFactory(edition=edition), reviewer=reviewer, by=chair)
    draft = {"comments_to_authors": "Draft"}
    services.save_review(assignment=assignment, by=reviewer, data=draft, submit=False, revision=0)


def test_once_reviews_are_written_only_wording_weights_and_order_change(client, edition, chair, reviewed):
    client.force_login(chair)
    assert "Reviews are being written" in client.get(URL).content.decode()
    shorter = client.post(URL, posted(edition, {1: {"scale_text": "Low | Bas\nHigh | Haut"}}))
    assert "Reviews already use this scale of 5 points" in shorter.content.decode()
    removed = client.post(URL, posted(edition, {2: {"DELETE": "on"}}))
    assert "no criterion can be removed now" in removed.content.decode()
    assert review_form_for(edition).criteria.count() == 6
    reworded = posted(edition, {1: {"name_0": "Contribution to the goals", "weight": "3"}})
    reworded["criteria-TOTAL_FORMS"] = 6  # no empty card once reviews exist
    assert client.post(URL, reworded).status_code == 302
    second = review_form_for(edition).criteria.all()[1]
    assert (second.name["en"], second.weight) == ("Contribution to the goals", 3.0)


def test_the_next_edition_starts_with_this_editions_criteria_and_outcomes(edition):
    from reviews.decisions import outcomes_for

    outcomes_for(edition)[0].delete()  # this call decided without a plain "Accept"
    poster = outcomes_for(edition)[0]
    DecisionMail.objects.create(
        outcome=poster, language="en", subject="Our poster session", body="Dear {name}"
    )
    form = review_form_for(edition)
    Criterion.objects.filter(form=form).exclude(position=0).delete()
    Criterion.objects.filter(form=form).update(weight=2.5)
    new = start_next_edition(edition=edition)
    (copied,) = review_form_for(new).criteria.all()
    assert copied.weight == 2.5 and copied.name["en"] == "Relevance to the social and solidarity economy"
    assert review_form_for(edition).criteria.count() == 1  # the old edition keeps its own
    assert [o.name["en"] for o in outcomes_for(new)] == ["Accept as poster", "Reject"]
    assert [m.subject for m in DecisionMail.objects.filter(outcome__edition=new)] == ["Our poster session"]
