"""The full registration form: days, meals, needs, support, the visa letter's passport details (which
are never shown back), the organisers' own questions; and editing it afterwards."""

import datetime

import pytest

from events.models import Question, Registration, VisaDetails
from tests.factories import UserFactory

from .helpers import make_event

Status = Registration.Status


@pytest.fixture
def event(db):
    event = make_event(capacity=10)
    event.meals = ["lunch", "dinner"]
    event.save()
    return event


def full(event, **extra):
    day = event.days[0].isoformat()
    data = {
        "organisation": "EURICSE",
        "position": "Researcher",
        "country": "IT",
        "days": [day],
        "meals": [f"{day}:lunch"],
        "dietary_needs": "Vegetarian",
        "accessibility_needs": "Step-free access",
        "arrival_on": event.days[0].isoformat(),
        "departure_on": event.days[-1].isoformat(),
        "support": "travel",
        "support_details": "A train from Geneva",
        "needs_visa_letter": "on",
        "passport_name": "Amara Nwosu Okafor",
        "nationality": "NG",
        "passport_number": "A09876543",
        "date_of_birth": "1984-03-02",
        "listed": "on",
    }
    data.update(extra)
    return data


def test_everything_the_form_asks_is_kept(client, event):
    question = Question.objects.create(
        event=event, text={"en": "Which workshop?"}, kind="choice", choices="Finance\nHousing", required=True
    )
    person = UserFactory()
    client.force_login(person)
    response = client.post(
        "/events/trento-2026/register/", full(event, **{f"question_{question.pk}": "Housing"})
    )
    assert response.status_code == 302
    registration = Registration.objects.get(user=person)
    assert registration.status == Status.REGISTERED
    assert registration.days == [event.days[0].isoformat()]
    assert registration.meals == [f"{event.days[0].isoformat()}:lunch"]
    assert registration.dietary_needs == "Vegetarian" and registration.listed
    assert registration.support == "travel" and registration.support_status == "requested"
    assert registration.answers == {str(question.pk): "Housing"}
    visa = registration.visa
    assert (visa.passport_name, visa.passport_number) == ("Amara Nwosu Okafor", "A09876543")
    assert visa.date_of_birth == datetime.date(1984, 3, 2)
    page = client.get("/events/trento-2026/registration/").content.decode()
    assert "Housing" in page and "Vegetarian" in page
    assert "A09876543" not in page and "Amara Nwosu Okafor" not in page  # never shown back


def test_mistakes_are_named_and_nothing_is_saved(client, event):
    Question.objects.create(event=event, text={"en": "Which workshop?"}, kind="text", required=True)
    client.force_login(UserFactory())
    data = full(event, departure_on="2000-01-01", support_details="", passport_number="", days=[])
    page = client.post("/events/trento-2026/register/", data).content.decode()
    assert "Departure must be on or after arrival." in page
    assert "Tell the organisers what support you need." in page
    assert "Needed for the visa invitation letter." in page
    assert "This field is required." in page  # the days, and the required question
    assert not Registration.objects.exists() and not VisaDetails.objects.exists()


def test_a_day_or_meal_the_event_does_not_offer_is_refused(client, event):
    client.force_login(UserFactory())
    page = client.post(
        "/events/trento-2026/register/", full(event, meals=["2001-01-01:lunch"])
    ).content.decode()
    assert "Select a valid choice" in page
    assert not Registration.objects.exists()


def test_editing_keeps_the_passport_unless_replaced_and_never_shows_it(client, event):
    person = UserFactory()
    client.force_login(person)
    client.post("/events/trento-2026/register/", full(event))
    edit = client.get("/events/trento-2026/registration/edit/").content.decode()
    assert "A09876543" not in edit and "Amara Nwosu Okafor" not in edit and "1984-03-02" not in edit
    assert "On file. Fill in only to replace it." in edit
    blank = {"passport_name": "", "nationality": "", "passport_number": "", "date_of_birth": ""}
    response = client.post(
        "/events/trento-2026/registration/edit/", full(event, dietary_needs="Vegan", **blank)
    )
    assert response.status_code == 302
    registration = Registration.objects.get(user=person)
    assert registration.dietary_needs == "Vegan" and registration.visa.passport_number == "A09876543"
    client.post("/events/trento-2026/registration/edit/", full(event, passport_number="B111"))
    assert VisaDetails.objects.get().passport_number == "B111"
    # No letter needed any more: the passport details go.
    data = full(event, **blank)
    del data["needs_visa_letter"]
    client.post("/events/trento-2026/registration/edit/", data)
    assert not VisaDetails.objects.exists()


def test_only_an_active_registration_is_edited_and_only_by_its_owner(client, event):
    person = UserFactory()
    client.force_login(person)
    client.post("/events/trento-2026/register/", full(event))
    client.force_login(UserFactory())
    assert client.get("/events/trento-2026/registration/edit/").status_code == 404
    client.force_login(person)
    client.post("/events/trento-2026/registration/cancel/")
    assert client.get("/events/trento-2026/registration/edit/").status_code == 404
