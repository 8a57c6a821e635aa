"""The registration pages and the organisers' lists cost a fixed number of queries, however many
questions, answers, meals, registrations, invitations or codes there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events import invitations, services
from events.models import InvitationCode, Question
from tests.factories import UserFactory

from .helpers import kind, make_event


@pytest.fixture
def event(db):
    event = make_event(capacity=100, quotas={"Member agency": None, "Observer": 40})
    event.meals = ["lunch", "dinner"]
    event.save()
    return event


def cost(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def ask(event, n: int) -> list[Question]:
    return [
        Question.objects.create(event=event, text={"en": f"Question {event.questions.count()}"},
                                kind=["text", "choice", "yes_no"][k % 3], choices="A\nB\nC")
        for k in range(n)
    ]  # fmt: skip


def register(event, name: str, *, questions=(), type_name="Observer"):
    days = [day.isoformat() for day in event.days]
    chosen = [key for key, _label in event.meal_choices()]
    return services.register(
        event=event, user=UserFactory(name=name), participant_type=kind(event, type_name), organisation="ILO",
        days=days, meals=chosen, answers={str(q.pk): "A" for q in questions},
    )  # fmt: skip


def test_the_registration_form_and_ones_own_registration(client, event):
    person = UserFactory()
    client.force_login(person)
    ask(event, 1)
    few = cost(client, "/events/trento-2026/register/")
    ask(event, 6)
    assert cost(client, "/events/trento-2026/register/") == few
    questions = list(event.questions.all())
    services.register(event=event, user=person, participant_type=kind(event, "Observer"), days=[],
                      answers={str(questions[0].pk): "A"})  # fmt: skip
    few = (
        cost(client, "/events/trento-2026/registration/"),
        cost(client, "/events/trento-2026/registration/edit/"),
    )
    registration = person.registrations.get()
    registration.answers = {str(q.pk): "B" for q in questions}
    registration.days = [day.isoformat() for day in event.days]
    registration.meals = [key for key, _label in event.meal_choices()]
    registration.save()
    many = (
        cost(client, "/events/trento-2026/registration/"),
        cost(client, "/events/trento-2026/registration/edit/"),
    )
    assert many == few


@pytest.mark.parametrize(
    "query", ["", "?type={observer}", "?day={day}", "?meal={day}:lunch&status=registered", "?q=e"]
)
def test_the_organisers_list_with_any_filter(client, event, query):
    organiser = UserFactory()
    event.organisers.add(organiser)
    client.force_login(organiser)
    url = "/events/trento-2026/organise/" + query.format(observer=kind(event, "Observer").pk,
                                                         day=event.days[0].isoformat())  # fmt: skip
    register(event, "Ana")
    few = cost(client, url)
    questions = ask(event, 4)
    for n in range(15):
        register(
            event, f"Person {n}", questions=questions[: n % 4], type_name=["Observer", "Member agency"][n % 2]
        )
    assert cost(client, url) == few


def test_one_registration_for_its_organisers(client, event):
    organiser = UserFactory()
    event.organisers.add(organiser)
    client.force_login(organiser)
    one = register(event, "Ana", questions=ask(event, 1))
    few = cost(client, f"/events/trento-2026/organise/registrations/{one.pk}/")
    many = register(event, "Ben", questions=ask(event, 8))
    assert cost(client, f"/events/trento-2026/organise/registrations/{many.pk}/") == few


def test_the_invitations_list(client, event):
    organiser = UserFactory()
    event.organisers.add(organiser)
    client.force_login(organiser)
    person = {"organisation": "", "participant_type": None}
    invitations.invite(event, [{"name": "A", "email": "a@x.org", **person}])
    InvitationCode.objects.create(event=event, code="ONE", uses=5)
    few = cost(client, "/events/trento-2026/organise/invitations/")
    made = invitations.invite(event, [
        {"name": f"P{n}", "email": f"p{n}@x.org", "organisation": "ILO",
         "participant_type": kind(event, "Observer") if n % 2 else None} for n in range(20)
    ])  # fmt: skip
    for invitation in made[:5]:
        services.register(event=event, user=UserFactory(), invitation=invitation)
    for n in range(3):
        InvitationCode.objects.create(event=event, code=f"CODE-{n}", participant_type=kind(event, "Observer"))
    assert cost(client, "/events/trento-2026/organise/invitations/") == few


def test_ones_registrations_across_events(client, event):
    person = UserFactory()
    client.force_login(person)
    services.register(event=event, user=person, participant_type=kind(event, "Observer"))
    few = cost(client, "/events/my-registrations/")
    for n in range(5):
        other = make_event(slug=f"other-{n}", quotas={"Observer": None})
        services.register(event=other, user=person, participant_type=kind(other, "Observer"))
    assert cost(client, "/events/my-registrations/") == few
