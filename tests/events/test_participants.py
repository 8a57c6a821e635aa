"""The public participant list: registered people who agreed to be listed, with their name,
organisation, country and participant type, and nothing else; by pages of 50, at a fixed cost."""

import pytest

from events.models import Registration
from tests.factories import UserFactory

from .helpers import kind, make_event

Status = Registration.Status


@pytest.fixture
def event(db):
    return make_event(quotas={"Member agency": None, "Observer": None})


def registration(event, *, name="Carla Rossi", status=Status.REGISTERED, listed=True, **details):
    person = UserFactory(name=name)
    return Registration.objects.create(event=event, user=person, status=status, listed=listed, **details)


def test_only_registered_people_who_agreed_are_listed_and_never_their_address(client, event):
    shown = registration(
        event, name="Carla Rossi", organisation="EURICSE", country="IT",
        participant_type=kind(event, "Observer"),
    )  # fmt: skip
    hidden = [
        registration(event, name="Not Listed", listed=False),
        *(registration(event, name=f"Listed {status}", status=status)
          for status in (Status.PENDING, Status.WAITLISTED, Status.REJECTED, Status.CANCELLED)),
    ]  # fmt: skip
    registration(event, name="", organisation="Nameless Coop")  # listed, but with no name to show
    registration(make_event(slug="other-event"), name="Other Event Person")

    page = client.get("/events/trento-2026/participants/").content.decode()

    assert "Carla Rossi" in page and "EURICSE" in page and "Italy" in page and "Observer" in page
    assert shown.user.email not in page
    for other in hidden:
        assert other.user.name not in page and other.user.email not in page
    assert "Nameless Coop" not in page and "Other Event Person" not in page


def test_an_empty_list_says_so(client, event):
    registration(event, listed=False)
    page = client.get("/events/trento-2026/participants/").content.decode()
    assert "Nobody is listed yet." in page


def test_the_list_comes_by_pages_of_fifty_in_name_order(client, event):
    for n in range(51):
        registration(event, name=f"Person {n:02d}")
    first = client.get("/events/trento-2026/participants/").content.decode()
    assert first.count("<tr>") == 51  # the header row and fifty people
    assert first.index("Person 00") < first.index("Person 49") and "Person 50" not in first
    second = client.get("/events/trento-2026/participants/?page=2").content.decode()
    assert "Person 50" in second and "Person 49" not in second


def test_the_list_costs_the_same_for_few_or_many(client, event, django_assert_num_queries):
    # The event, the count for the pages, the page of rows (people and types joined): three.
    registration(event, name="Only One")
    with django_assert_num_queries(3):
        client.get("/events/trento-2026/participants/")
    for n in range(30):
        registration(event, name=f"Person {n}", organisation=f"Org {n}", country="KE",
                     participant_type=kind(event, ["Observer", "Member agency"][n % 2]))  # fmt: skip
    with django_assert_num_queries(3):
        client.get("/events/trento-2026/participants/")
