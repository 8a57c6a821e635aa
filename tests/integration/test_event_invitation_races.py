"""Invitations, letters and the door under races, on PostgreSQL, in real threads: the last use of a
shared code goes to one person; one personal link forwarded to several people registers one of them;
a double click on "Remind" sends each reminder once; two organisers issuing the same visa letter
leave one file; two door staff scanning one badge check it in once."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from events import invitations, privacy, services
from events.models import Event, Invitation, InvitationCode, Registration, VisaDetails
from notifications.models import OutboxMessage
from tests.events.helpers import kind, make_event
from tests.factories import UserFactory
from tests.integration.threads import errors_in, race

PEOPLE = 6


def test_the_last_use_of_a_shared_code_goes_to_one_person(real_services):
    event = make_event(mode=Event.Mode.INVITATION, quotas={"Observer": None})
    observer = kind(event, "Observer")
    InvitationCode.objects.create(event=event, code="EURICSE-GUESTS", participant_type=observer, uses=3)
    for _ in range(2):
        services.register(event=event, user=UserFactory(), code="EURICSE-GUESTS")
    people = [UserFactory() for _ in range(PEOPLE)]
    outcomes = race(
        *[lambda p=p: services.register(event=event, user=p, code="EURICSE-GUESTS") for p in people]
    )
    refused = errors_in(outcomes)
    assert len(refused) == PEOPLE - 1 and all(isinstance(e, ValidationError) for e in refused), outcomes
    assert Registration.objects.filter(event=event, code__code="EURICSE-GUESTS").count() == 3


def test_one_personal_link_registers_one_person(real_services):
    event = make_event(mode=Event.Mode.INVITATION)
    person = {
        "name": "Léa Dupont",
        "email": "lea@unrisd.org",
        "organisation": "UNRISD",
        "participant_type": None,
    }
    [invitation] = invitations.invite(event, [person])
    people = [UserFactory() for _ in range(PEOPLE)]
    outcomes = race(
        *[lambda p=p: services.register(event=event, user=p, invitation=invitation) for p in people]
    )
    assert len(errors_in(outcomes)) == PEOPLE - 1, outcomes
    assert Registration.objects.filter(invitation=invitation).count() == 1
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REGISTERED


def test_a_double_click_on_remind_sends_each_reminder_once(real_services):
    event = make_event(mode=Event.Mode.INVITATION)
    invitations.invite(event, [{"name": f"P{n}", "email": f"p{n}@x.org", "organisation": "",
                                "participant_type": None} for n in range(4)])  # fmt: skip
    Invitation.objects.update(last_sent_at=timezone.now() - invitations.REMIND_AFTER)
    outcomes = race(*[lambda: invitations.remind(event) for _ in range(3)])
    assert not errors_in(outcomes) and sorted(outcomes) == [0, 0, 4], outcomes
    assert OutboxMessage.objects.filter(subject__startswith="Reminder:").count() == 4


def test_two_organisers_issuing_the_same_letter_make_one_file(real_services, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    event = make_event()
    registration = services.register(
        event=event,
        user=UserFactory(),
        organisation="ILO",
        needs_visa_letter=True,
        visa={
            "passport_name": "AMARA OKAFOR",
            "nationality": "NG",
            "passport_number": "A0987",
            "date_of_birth": datetime.date(1984, 3, 2),
        },
    )
    details = VisaDetails.objects.get(registration=registration)
    outcomes = race(*[lambda: privacy.issue_letter(details) for _ in range(2)])
    assert not errors_in(outcomes), outcomes
    stored = sorted(p.name for p in (tmp_path / "events" / "letters").iterdir())
    # The second issue replaced the first letter (and deleted its file once committed): one file stays.
    assert len(stored) == 1
    assert VisaDetails.objects.get().letter.name.endswith(stored[0])


def test_two_door_staff_scanning_one_badge_check_in_once(real_services):
    event = make_event()
    registration = services.register(event=event, user=UserFactory(), organisation="ILO")
    outcomes = race(*[lambda: services.check_in(event, registration.check_in_code) for _ in range(4)])
    assert not errors_in(outcomes), outcomes
    assert sorted(already for _registration, already in outcomes) == [False, True, True, True]
    first = next(r.checked_in_at for r, already in outcomes if not already)
    registration.refresh_from_db()
    assert registration.checked_in_at == first
