"""Invitations: one by one or from a CSV list, each person's own link, their answer tracked,
reminders to those who have not answered, and shared codes with a number of uses."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from events import invitations, services
from events.models import Event, Invitation, InvitationCode, Registration
from notifications.models import OutboxMessage
from tests.factories import UserFactory

from .helpers import kind, make_event

URL = "/events/trento-2026/organise/invitations/"


@pytest.fixture
def event(db):
    return make_event(capacity=36, mode=Event.Mode.INVITATION, quotas={"Member agency": None, "Observer": 2})


@pytest.fixture
def organiser(event, client):
    person = UserFactory()
    event.organisers.add(person)
    client.force_login(person)
    return person


def upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("people.csv", text.encode("utf-8"), content_type="text/csv")


def test_a_list_is_imported_each_person_mailed_their_own_link_once(client, event, organiser):
    csv = (
        "name,email,organisation,type\nAmara Okafor,amara@ilo.org,ILO,Member agency\n"
        "Léa Dupont,lea@unrisd.org,UNRISD,observer\n"
    )
    response = client.post(URL, {"action": "import", "import-file": upload(csv)}, follow=True)
    assert "2 invitations are on their way." in response.content.decode()
    lea = Invitation.objects.get(email="lea@unrisd.org")
    assert lea.participant_type == kind(event, "Observer")  # matched without regard to case
    mail = OutboxMessage.objects.get(recipient="lea@unrisd.org")
    assert mail.subject == "Invitation: Technical symposium, Trento"
    assert f"/events/invitation/{lea.token}/" in mail.body_text
    assert Invitation.objects.get(email="amara@ilo.org").token not in mail.body_text
    # The same list again invites nobody twice.
    client.post(URL, {"action": "import", "import-file": upload(csv)})
    assert Invitation.objects.count() == 2 and OutboxMessage.objects.count() == 2


def test_a_bad_list_names_each_bad_line_and_invites_nobody(client, event, organiser):
    csv = (
        "Amara Okafor,amara@ilo.org,ILO,Member agency\nNo Address,not-an-address,,\n"
        ",x@y.org,,\nB,b@c.org,,Guest\n"
    )
    page = client.post(URL, {"action": "import", "import-file": upload(csv)}).content.decode()
    assert "Line 2: “not-an-address” is not an e-mail address." in page
    assert "Line 3: the name is missing." in page
    assert "Line 4: this event has no participant type “Guest”." in page
    assert not Invitation.objects.exists()
    latin1 = SimpleUploadedFile("people.csv", "Lé,l@x.org".encode("latin-1"))
    page = client.post(URL, {"action": "import", "import-file": latin1}).content.decode()
    assert "Save the list as CSV in UTF-8" in page


def test_the_personal_link_registers_that_person_as_their_type_and_tracks_the_answer(client, event):
    [invitation] = invitations.invite(
        event,
        [
            {
                "name": "Léa Dupont",
                "email": "lea@unrisd.org",
                "organisation": "UNRISD",
                "participant_type": kind(event, "Observer"),
            }
        ],
    )
    link = f"/events/invitation/{invitation.token}/"
    assert "Léa Dupont" in client.get(link).content.decode()  # no account needed to open it
    response = client.post(link, {"accept": "1"})
    assert response["Location"] == "/events/trento-2026/register/"
    person = UserFactory(email="lea.dupont@example.org")  # another address than the invitation's
    client.force_login(person)
    page = client.get("/events/trento-2026/register/").content.decode()
    assert "You are invited as: Observer." in page and 'name="code"' not in page
    days = [day.isoformat() for day in event.days]
    client.post("/events/trento-2026/register/", {"organisation": "UNRISD", "days": days})
    registration = Registration.objects.get(user=person)
    assert registration.status == Registration.Status.PENDING  # by invitation, with approval
    assert registration.participant_type == kind(event, "Observer") and registration.invitation == invitation
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REGISTERED


def test_one_personal_invitation_is_one_registration(client, event):
    [invitation] = invitations.invite(
        event, [{"name": "A", "email": "a@x.org", "organisation": "", "participant_type": None}]
    )
    services.register(event=event, user=UserFactory(), invitation=invitation)
    with pytest.raises(Exception, match="already registered with this personal invitation"):
        services.register(event=event, user=UserFactory(), invitation=invitation)


def test_declining_is_tracked_and_reminders_go_only_to_those_who_have_not_answered(client, event, organiser):
    people = [{"name": n, "email": f"{n}@x.org", "organisation": "", "participant_type": None} for n in "abc"]
    a, b, c = invitations.invite(event, people)
    client.logout()
    client.post(f"/events/invitation/{a.token}/", {"decline": "1"})
    services.register(event=event, user=UserFactory(), invitation=b)
    client.force_login(organiser)
    page = client.post(URL, {"action": "remind"}, follow=True).content.decode()
    assert "0 reminders are on their way." in page  # not on the day of the invitation
    later = timezone.now() + invitations.REMIND_AFTER
    with time_machine.travel(later, tick=False):
        page = client.post(URL, {"action": "remind"}, follow=True).content.decode()
        assert "1 reminder is on its way." in page
        assert invitations.remind(event) == 0  # a second click, the same day
    reminders = OutboxMessage.objects.filter(subject__startswith="Reminder:")
    assert [m.recipient for m in reminders] == ["c@x.org"]
    a.refresh_from_db()
    assert a.status == Invitation.Status.DECLINED
    for day in range(2, 8):
        with time_machine.travel(later + datetime.timedelta(days=day), tick=False):
            invitations.remind(event)
    c.refresh_from_db()
    assert c.reminders_sent == invitations.MAX_REMINDERS
    assert OutboxMessage.objects.filter(recipient="c@x.org").count() == 1 + invitations.MAX_REMINDERS


def test_without_an_invitation_a_shared_code_with_uses_left_is_needed(client, event, organiser):
    client.post(
        URL,
        {
            "action": "code",
            "code-code": "ILO-2027",
            "code-participant_type": kind(event, "Observer").pk,
            "code-uses": 1,
        },
    )
    code = InvitationCode.objects.get()
    days = [day.isoformat() for day in event.days]
    client.force_login(UserFactory())
    page = client.post(
        "/events/trento-2026/register/",
        {
            "organisation": "ILO",
            "days": days,
            "code": "nope",
            "participant_type": kind(event, "Member agency").pk,
        },
    )
    assert "This event is by invitation" in page.content.decode()
    client.post(
        "/events/trento-2026/register/",
        {
            "organisation": "ILO",
            "days": days,
            "code": "ilo-2027",
            "participant_type": kind(event, "Member agency").pk,
        },
    )
    registration = Registration.objects.get()
    assert registration.code == code and registration.participant_type == kind(event, "Observer")
    client.force_login(UserFactory())
    page = client.post(
        "/events/trento-2026/register/",
        {
            "organisation": "ILO",
            "days": days,
            "code": "ILO-2027",
            "participant_type": kind(event, "Member agency").pk,
        },
    )
    assert "used as many times as it allows" in page.content.decode()
    assert Registration.objects.count() == 1


def test_only_organisers_manage_invitations(client, event):
    client.force_login(UserFactory())
    assert client.get(URL).status_code == 403


def test_an_invitation_to_an_open_event_is_tracked_too(client, db):
    event = make_event(slug="open-event", mode=Event.Mode.OPEN)
    [invitation] = invitations.invite(event, [{"name": "A", "email": "a@x.org", "organisation": "",
                                              "participant_type": None}])  # fmt: skip
    client.post(f"/events/invitation/{invitation.token}/", {"accept": "1"})
    person = UserFactory()
    client.force_login(person)
    days = [day.isoformat() for day in event.days]
    client.post("/events/open-event/register/", {"organisation": "ILO", "days": days})
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REGISTERED
    assert Registration.objects.get(user=person).invitation == invitation
    assert (
        "event_invitations" not in client.session or "open-event" not in client.session["event_invitations"]
    )


def test_odd_links_and_unreadable_lists_get_a_clear_answer(client, event, organiser):
    assert client.get("/events/invitation/%00/").status_code == 404
    page = client.post(URL, {"action": "import", "import-file": upload("a,b\rc,d\n")}).content.decode()
    assert "This file is not a CSV list we can read" in page
    long_address = "a" * 250 + "@x.org"
    page = client.post(
        URL, {"action": "import", "import-file": upload(f"A,{long_address}\n")}
    ).content.decode()
    assert "is not an e-mail address" in page
    assert not Invitation.objects.exists()


def test_an_invitation_sent_by_mistake_is_withdrawn_but_not_once_answered(client, event, organiser):
    people = [{"name": n, "email": f"{n}@x.org", "organisation": "", "participant_type": None} for n in "ab"]
    mistaken, answered = invitations.invite(event, people)
    services.register(event=event, user=UserFactory(), invitation=answered)
    page = client.post(URL, {"action": "withdraw", "invitation": mistaken.pk}, follow=True).content.decode()
    assert "The invitation to a is withdrawn." in page
    assert client.get(f"/events/invitation/{mistaken.token}/").status_code == 404
    page = client.post(URL, {"action": "withdraw", "invitation": answered.pk}, follow=True).content.decode()
    assert "has already answered" in page and Invitation.objects.filter(pk=answered.pk).exists()
    assert client.post(URL, {"action": "withdraw", "invitation": "x"}).status_code == 404
    other = make_event(slug="other-event")
    [elsewhere] = invitations.invite(other, [{"name": "c", "email": "c@x.org", "organisation": "",
                                             "participant_type": None}])  # fmt: skip
    assert client.post(URL, {"action": "withdraw", "invitation": elsewhere.pk}).status_code == 404


def test_the_pages_of_invitations_keep_the_answer_chosen(client, event, organiser):
    people = [{"name": f"P{n:02}", "email": f"p{n}@x.org", "organisation": "", "participant_type": None}
              for n in range(55)]  # fmt: skip
    invitations.invite(event, people)
    page = client.get(URL + "?status=invited&page=2").content.decode()
    assert "P54" in page and "P00" not in page
    assert 'href="?status=invited&amp;page=1"' in page  # a numbered link that keeps the filter
