"""Places, quotas, the waitlist and approval, as the registration services keep them."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from accounts.personal_data import personal_data
from events import services
from events.models import Event, Registration
from tests.factories import UserFactory

from .helpers import kind, make_event

Status = Registration.Status


def statuses(event):
    return list(Registration.objects.filter(event=event).order_by("pk").values_list("status", flat=True))


def test_places_go_first_come_then_the_waitlist_and_a_double_click_registers_once(db):
    event = make_event(capacity=2)
    people = UserFactory.create_batch(3)
    for person in people:
        services.register(event=event, user=person)
    again = services.register(event=event, user=people[0])
    assert again.status == Status.REGISTERED
    assert statuses(event) == [Status.REGISTERED, Status.REGISTERED, Status.WAITLISTED]


def test_a_types_quota_holds_inside_the_capacity(db):
    event = make_event(capacity=3, quotas={"Observer": 1, "Member agency": None})
    observer, member = kind(event, "Observer"), kind(event, "Member agency")
    first, second, third = (services.register(event=event, user=UserFactory(), participant_type=t)
                            for t in (observer, observer, member))  # fmt: skip
    assert (first.status, second.status, third.status) == (
        Status.REGISTERED,
        Status.WAITLISTED,
        Status.REGISTERED,
    )


def test_a_cancellation_promotes_the_first_person_waiting_who_fits_exactly_once(db):
    event = make_event(capacity=2, quotas={"Observer": 1, "Member agency": None})
    observer, member = kind(event, "Observer"), kind(event, "Member agency")
    seated_observer = services.register(event=event, user=UserFactory(), participant_type=observer)
    seated_member = services.register(event=event, user=UserFactory(), participant_type=member)
    waiting_observer = services.register(event=event, user=UserFactory(), participant_type=observer)
    waiting_member = services.register(event=event, user=UserFactory(), participant_type=member)
    # The member's place frees up: the observer waiting first does not fit the observers' quota.
    _cancelled, promoted = services.cancel(seated_member)
    assert promoted == waiting_member
    assert services.cancel(seated_member) == (seated_member, None)  # cancelling twice promotes no one
    waiting_observer.refresh_from_db()
    assert waiting_observer.status == Status.WAITLISTED
    _cancelled, promoted = services.cancel(seated_observer)
    assert promoted == waiting_observer
    assert Registration.objects.filter(event=event).holding_places().count() == 2


def test_approval_mode_asks_first_then_places_or_waitlists(db):
    event = make_event(capacity=1, mode=Event.Mode.APPROVAL)
    first, second = (services.register(event=event, user=UserFactory()) for _ in range(2))
    assert (first.status, second.status) == (Status.PENDING, Status.PENDING)
    assert services.approve(first).status == Status.REGISTERED
    assert services.approve(second).status == Status.WAITLISTED
    assert services.approve(second).status == Status.WAITLISTED  # approving twice changes nothing
    late = services.register(event=event, user=UserFactory())
    assert services.reject(late).status == Status.REJECTED
    assert services.cancel(first)[1] == second


def test_registration_is_refused_outside_its_window_and_for_another_events_type(db):
    event = make_event(quotas={"Guest": None})
    other = make_event(slug="other", quotas={"Guest": None})
    with pytest.raises(ValidationError, match="Choose one of this event"):
        services.register(event=event, user=UserFactory(), participant_type=kind(other, "Guest"))
    late = event.registration_closes_at + datetime.timedelta(seconds=1)
    with time_machine.travel(late), pytest.raises(ValidationError, match="closed"):
        services.register(event=event, user=UserFactory())
    assert not Registration.objects.exists()


def test_a_person_who_cancelled_may_register_again_at_the_back_of_the_queue(db):
    event = make_event(capacity=1)
    person, other = UserFactory(), UserFactory()
    mine = services.register(event=event, user=person)
    services.cancel(mine)
    services.register(event=event, user=other)
    again = services.register(event=event, user=person)
    assert (again.pk, again.status) == (mine.pk, Status.WAITLISTED) and again.sequence == 3


def test_registrations_are_exported_and_erased_with_the_account(db):
    event = make_event()
    person = UserFactory()
    services.register(event=event, user=person, organisation="EURICSE")
    event.organisers.add(person)
    exported = personal_data.export(person)
    assert exported["events.Registration"][0]["organisation"] == "EURICSE"
    personal_data.erase(person)
    assert not Registration.objects.exists() and event.organisers.count() == 0


def test_erasing_a_participant_gives_their_place_to_the_next_person_waiting(db):
    event = make_event(capacity=1)
    person, next_in_line = UserFactory(), UserFactory()
    services.register(event=event, user=person)
    services.register(event=event, user=next_in_line)
    personal_data.erase(person)
    assert Registration.objects.get().status == Status.REGISTERED


def test_a_rejected_request_cannot_be_sent_again_and_a_late_cancellation_promotes_nobody(db):
    event = make_event(capacity=1, mode=Event.Mode.APPROVAL)
    rejected = services.register(event=event, user=UserFactory())
    services.reject(rejected)
    with pytest.raises(ValidationError, match="did not approve"):
        services.register(event=event, user=rejected.user)
    seated, waiting = (services.approve(services.register(event=event, user=UserFactory())) for _ in range(2))
    assert (seated.status, waiting.status) == (Status.REGISTERED, Status.WAITLISTED)
    with time_machine.travel(event.starts_at + datetime.timedelta(hours=1)):
        assert services.cancel(seated)[1] is None


def test_more_places_go_to_the_people_waiting_in_order_before_any_newcomer(db):
    event = make_event(capacity=1, quotas={"Observer": 1, "Member agency": None})
    observer, member = kind(event, "Observer"), kind(event, "Member agency")
    services.register(event=event, user=UserFactory(), participant_type=member)
    waiting = [services.register(event=event, user=UserFactory(), participant_type=t)
               for t in (observer, observer, member)]  # fmt: skip
    event.capacity = 4
    event.save()
    promoted = services.fill_places(event)
    # The second observer still waits: the observers' quota is one.
    assert promoted == [waiting[0], waiting[2]]
    assert services.fill_places(event) == []  # nothing more to give
    observer.quota = 2
    observer.save()
    assert services.fill_places(event) == [waiting[1]]


def test_raising_the_capacity_in_the_admin_gives_the_places_to_the_people_waiting(staff_client):
    from lxml import html

    event = make_event(capacity=1)
    services.register(event=event, user=UserFactory())
    waiting = services.register(event=event, user=UserFactory())
    url = f"/admin/events/event/{event.pk}/change/"
    form = html.fromstring(staff_client.get(url).content).xpath('//form[@id="event_form"]')[0]
    data = {name: value for name, value in form.form_values()}
    data["capacity"] = "2"
    page = staff_client.post(url, data, follow=True).content.decode()
    assert "1 person waiting got a place." in page
    waiting.refresh_from_db()
    assert waiting.status == Status.REGISTERED
