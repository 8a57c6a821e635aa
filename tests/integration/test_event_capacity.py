"""Capacity under real concurrency on PostgreSQL: 50 people in separate processes registering for the
last 10 places, and two cancellations at once, each promoting one person waiting."""

from __future__ import annotations

import multiprocessing

from django.db import connection, connections

from events import services
from events.models import Registration
from tests.events.helpers import kind, make_event
from tests.factories import UserFactory

Status = Registration.Status
fork = multiprocessing.get_context("fork")


def _in_processes(action, arguments: list) -> list:
    """Run action(argument) in one process each, all released together; what each returned or raised."""
    barrier, results = fork.Barrier(len(arguments)), fork.Queue()

    def run(index: int, argument) -> None:
        connections.close_all()  # the parent's connection is not this process's to use
        try:
            barrier.wait(timeout=60)
            results.put((index, action(argument)))
        except Exception as exc:  # noqa: BLE001 - the test asserts on it
            results.put((index, f"{type(exc).__name__}: {exc}"))
        finally:
            connections.close_all()

    connection.close()
    processes = [fork.Process(target=run, args=(i, a)) for i, a in enumerate(arguments)]
    for process in processes:
        process.start()
    outcomes = dict(results.get(timeout=120) for _ in processes)
    for process in processes:
        process.join(timeout=60)
    return [outcomes[i] for i in range(len(arguments))]


def _register(argument) -> str:
    event_pk, user_pk, type_pk = argument
    from accounts.models import User
    from events.models import Event, ParticipantType

    registration = services.register(
        event=Event.objects.get(pk=event_pk), user=User.objects.get(pk=user_pk),
        participant_type=ParticipantType.objects.get(pk=type_pk),
    )  # fmt: skip
    return registration.status


def _cancel(registration_pk: int) -> int | None:
    _cancelled, promoted = services.cancel(Registration.objects.get(pk=registration_pk))
    return promoted.pk if promoted else None


def test_fifty_people_at_once_for_the_last_ten_places_and_two_cancellations_at_once(real_services):
    event = make_event(capacity=36, quotas={"Observer": 12, "Member agency": None})
    observer, member = kind(event, "Observer"), kind(event, "Member agency")
    for n in range(26):  # 26 places taken already, 8 of them by observers: 4 observer places left
        services.register(event=event, user=UserFactory(), participant_type=observer if n < 8 else member)
    newcomers = [(event.pk, UserFactory().pk, (observer if n % 2 else member).pk) for n in range(50)]

    outcomes = _in_processes(_register, newcomers)

    assert sorted(set(outcomes)) == [Status.REGISTERED, Status.WAITLISTED], outcomes
    assert outcomes.count(Status.REGISTERED) == 10 and outcomes.count(Status.WAITLISTED) == 40
    places = Registration.objects.filter(event=event).holding_places()
    assert places.count() == 36 and places.filter(participant_type=observer).count() <= 12

    leaving = list(places.filter(participant_type=member).values_list("pk", flat=True)[:2])
    promoted = _in_processes(_cancel, leaving)

    assert None not in promoted and len(set(promoted)) == 2, promoted
    assert places.count() == 36 and Registration.objects.filter(event=event).waiting().count() == 38
    for registration in Registration.objects.filter(pk__in=promoted):
        assert registration.status == Status.REGISTERED and registration.sequence == 2  # promoted once
