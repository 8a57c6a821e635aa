"""An event's public programme: sessions by day in the event's own time zone, with the accepted papers
presented in each and their authors in order; no paper whose acceptance is not public; the same
programme as a calendar feed; a cost that does not grow with the programme."""

import datetime
import zoneinfo
from urllib.parse import urlsplit

import icalendar
import pytest
from django.conf import settings

from events.models import Session
from submissions.models import Submission
from tests.factories import AuthorshipFactory, EditionFactory, SubmissionFactory

from .helpers import make_event

AUCKLAND = zoneinfo.ZoneInfo("Pacific/Auckland")
State = Submission.State


@pytest.fixture
def event(db):
    # Auckland is UTC+13 in November: a morning session there is still the evening before in UTC.
    event = make_event()
    event.time_zone = "Pacific/Auckland"
    event.starts_at = datetime.datetime(2027, 11, 21, 9, 0, tzinfo=AUCKLAND)
    event.ends_at = datetime.datetime(2027, 11, 22, 17, 0, tzinfo=AUCKLAND)
    event.save()
    return event


@pytest.fixture
def edition(db):
    return EditionFactory()


def session(event, title, starts, *, hours=1, room="", chairs="", papers=(), description=None):
    made = Session.objects.create(
        event=event, title={"en": title}, description={"en": description} if description else {},
        starts_at=starts, ends_at=starts + datetime.timedelta(hours=hours), room=room, chairs=chairs,
    )  # fmt: skip
    made.papers.set(papers)
    return made


def paper(edition, title, state=State.ACCEPTED, authors=("Ama Owusu",)):
    made = SubmissionFactory(edition=edition, title=title, state=state, authors=0)
    for position, name in enumerate(authors):
        AuthorshipFactory(submission=made, name=name, position=position)
    return made


def at(day, hour, minute=0):
    return datetime.datetime(2027, 11, day, hour, minute, tzinfo=AUCKLAND)


def test_sessions_come_by_day_in_the_events_zone_with_accepted_papers_and_authors_in_order(
    client, event, edition
):
    accepted = paper(edition, "Cooperatives and care work", authors=["Zoe Zeller", "Adam Abbott"])
    published = paper(edition, "Mutual aid in cities", state=State.PUBLISHED)
    refused = [
        paper(edition, f"Hidden paper {state}", state=state)
        for state in (State.SUBMITTED, State.UNDER_REVIEW, State.REJECTED, State.WITHDRAWN)
    ]
    session(event, "Opening", at(21, 9), room="Fale", chairs="Hine Walker", description="Welcome.")
    session(event, "Care and the SSE", at(22, 8, 30), room="Room 2", papers=[accepted, *refused])
    session(event, "Cities", at(21, 14), papers=[published])

    page = client.get("/events/trento-2026/programme/").content.decode()

    # The 22nd's session starts at 19:30 UTC on the 21st: it belongs to the 22nd, as in Auckland.
    first_day, second_day = page.split("Monday, Nov. 22, 2027")
    assert "Sunday, Nov. 21, 2027" in first_day
    assert first_day.index("Opening") < first_day.index("Cities") and "Care and the SSE" in second_day
    assert "8:30 a.m." in second_day and "Room 2" in second_day
    assert "Chairs: Hine Walker" in first_day and "Welcome." in first_day and "Fale" in first_day
    assert "Cooperatives and care work" in second_day and "Mutual aid in cities" in first_day
    assert second_day.index("Zoe Zeller") < second_day.index("Adam Abbott")
    assert "Hidden paper" not in page


def test_an_empty_programme_says_so_and_the_event_page_links_it_only_once_there_are_sessions(client, event):
    page = client.get("/events/trento-2026/programme/").content.decode()
    assert "The programme is not out yet." in page
    assert "/events/trento-2026/programme/" not in client.get("/events/trento-2026/").content.decode()
    session(event, "Opening", at(21, 9))
    event_page = client.get("/events/trento-2026/").content.decode()
    assert (
        "/events/trento-2026/programme/" in event_page and "/events/trento-2026/participants/" in event_page
    )


def test_the_programme_is_not_found_for_an_unknown_event(client, db):
    assert client.get("/events/no-such-event/programme/").status_code == 404
    assert client.get("/events/no-such-event/programme.ics").status_code == 404


def test_the_programme_and_its_feed_cost_the_same_for_few_or_many(
    client, event, edition, django_assert_num_queries
):
    # The event, its sessions, their accepted papers, the papers' authors: four, whatever their numbers.
    session(event, "Opening", at(21, 9), papers=[paper(edition, "First")])
    for url in ("/events/trento-2026/programme/", "/events/trento-2026/programme.ics"):
        with django_assert_num_queries(4):
            assert client.get(url).status_code == 200
    four_authors = ["A One", "B Two", "C Three", "D Four"]
    for n in range(6):
        papers = [
            paper(edition, f"Paper {n}-{k}", authors=four_authors[: 1 + 3 * (k % 2)]) for k in range(n % 4)
        ]
        session(event, f"Session {n}", at(21 + n % 2, 10 + n), papers=papers)
    for url in ("/events/trento-2026/programme/", "/events/trento-2026/programme.ics"):
        with django_assert_num_queries(4):
            assert client.get(url).status_code == 200


def test_the_feed_has_one_event_per_session_in_the_events_zone_with_a_stable_uid(client, event, edition):
    event.venue = "Te Papa"
    event.save()
    shown = paper(edition, "Cooperatives and care work", authors=["Zoe Zeller", "Adam Abbott"])
    hidden = paper(edition, "A paper under review", state=State.UNDER_REVIEW)
    care = session(event, "Care and the SSE", at(22, 8, 30), hours=2, room="Room 2", chairs="Hine Walker",
                   papers=[shown, hidden])  # fmt: skip
    opening = session(event, "Opening", at(21, 9))

    response = client.get("/events/trento-2026/programme.ics")

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    assert [zone["TZID"] for zone in calendar.walk("VTIMEZONE")] == ["Pacific/Auckland"]
    first, second = calendar.walk("VEVENT")
    assert (str(first["SUMMARY"]), str(second["SUMMARY"])) == ("Opening", "Care and the SSE")
    host = urlsplit(settings.SITE_URL).hostname
    assert str(first["UID"]) == f"session-{opening.pk}@{host}"
    assert str(second["UID"]) == f"session-{care.pk}@{host}"
    assert second.decoded("DTSTART") == at(22, 8, 30) and second.decoded("DTEND") == at(22, 10, 30)
    assert second["DTSTART"].params["TZID"] == "Pacific/Auckland"
    assert str(second["LOCATION"]) == "Room 2, Te Papa" and str(first["LOCATION"]) == "Te Papa"
    description = str(second["DESCRIPTION"])
    assert "Cooperatives and care work (Zoe Zeller, Adam Abbott)" in description
    assert "Hine Walker" in description and "under review" not in description
    assert str(second["URL"]).endswith(f"/events/trento-2026/programme/#session-{care.pk}")
    # Fetched again, the sessions keep their UIDs: a subscribed calendar updates them in place.
    again = icalendar.Calendar.from_ical(client.get("/events/trento-2026/programme.ics").content)
    assert [str(item["UID"]) for item in again.walk("VEVENT")] == [str(first["UID"]), str(second["UID"])]
