"""The chair dashboard's events panel: the edition's events with how many are registered, waiting and
awaiting approval, and the places left; at one query whatever the number of events and people."""

import pytest
from django.urls import reverse

from conference.models import Role
from events import services
from events.models import Event
from tests.factories import EditionFactory, UserFactory

from .helpers import make_event


@pytest.fixture
def edition(db):
    return EditionFactory(year=2028)


@pytest.fixture
def chair_client(client, edition):
    chair = UserFactory()
    Role.objects.create(edition=edition, user=chair, kind=Role.Kind.CHAIR)
    client.force_login(chair)
    return client


def dashboard(edition):
    return reverse("conference:dashboard", args=[edition.series.slug, edition.year])


def event_of(edition, slug, **options):
    event = make_event(slug=slug, **options)
    event.edition = edition
    event.title = {"en": f"Event {slug}"}
    event.save()
    return event


def fill(event, *, placed=0, waiting=0, pending=0):
    for _n in range(placed):
        services.register(event=event, user=UserFactory())
    for _n in range(waiting):
        services.register(event=event, user=UserFactory())  # the event is full by now
    if pending:
        event.mode = Event.Mode.APPROVAL
        event.save()
        for _n in range(pending):
            services.register(event=event, user=UserFactory())


def test_the_panel_counts_each_events_registrations_and_places_left(chair_client, edition):
    fill(event_of(edition, "symposium", capacity=3), placed=3, waiting=2, pending=1)
    event_of(edition, "webinar", capacity=100)
    make_event(slug="another-call")  # not this edition's: not in its panel

    page = chair_client.get(dashboard(edition)).content.decode()

    row = page.split("Event symposium")[1].split("</tr>")[0]
    cells = [cell.split("</td>")[0] for cell in row.split('<td class="text-end">')[1:]]
    assert cells == ["3", "2", "1", "0"]  # registered, waitlisted, awaiting approval, places left
    assert "Event webinar" in page and "100</td>" in page
    assert "Technical symposium, Trento" not in page


def test_a_call_without_events_says_so(chair_client, edition):
    assert "No event is linked to this call yet." in chair_client.get(dashboard(edition)).content.decode()


def test_the_panel_costs_the_same_for_few_or_many_events(chair_client, edition):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fill(event_of(edition, "first", capacity=1), placed=1)
    with CaptureQueriesContext(connection) as few:
        assert chair_client.get(dashboard(edition)).status_code == 200
    for n in range(4):
        fill(event_of(edition, f"more-{n}", capacity=2), placed=2, waiting=n, pending=n % 2)
    with CaptureQueriesContext(connection) as many:
        assert chair_client.get(dashboard(edition)).status_code == 200
    assert len(few) == len(many)


def test_an_event_the_chair_organises_leads_to_its_registrations(edition, chair_client):
    organised = event_of(edition, "organised")
    event_of(edition, "other")
    organised.organisers.add(chair_client.session["_auth_user_id"])
    page = chair_client.get(dashboard(edition)).content.decode()
    assert 'href="/events/organised/organise/"' in page
    assert 'href="/events/other/"' in page and "/events/other/organise/" not in page
