import re
from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import User
from conference import invitations
from conference.models import Invitation, Role
from tests.factories import PASSWORD, EditionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    return EditionFactory(year=2028, title={"en": "Call 2028", "fr": "Appel 2028"})


@pytest.fixture
def chair(edition):
    person = UserFactory(name="Ilse Chair")
    Role.objects.create(edition=edition, user=person, kind=Role.Kind.CHAIR)
    return person


def invite(edition, chair, email="newcomer@ilo.org", kind=Role.Kind.COMMITTEE, **kwargs):
    return invitations.invite(edition=edition, email=email, kind=kind, by=chair, **kwargs)


def link_in(message) -> str:
    return re.search(r"https?://\S+/calls/invitations/\S+/", message.body).group(0)


def test_an_invitation_mail_carries_the_personal_link_and_message(
    edition, chair, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(edition, chair, message="We would value your view on local development.")
    sent = mail.outbox[-1]
    assert sent.to == ["newcomer@ilo.org"]
    assert sent.subject == "Invitation: Committee member for Call 2028"
    assert "Ilse Chair invites you to take part in Call 2028 as Committee member." in sent.body
    assert "We would value your view on local development." in sent.body
    assert link_in(sent).endswith(invitation.get_absolute_url())


def test_a_person_with_no_account_signs_up_from_the_invitation_and_lands_in_the_committee(
    client, edition, chair, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(edition, chair)
    url = link_in(mail.outbox[-1]).removeprefix(settings.SITE_URL)
    assert "Create an account" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/accounts/signup/?email=newcomer%40ilo.org&next={url}",
            {"name": "New Comer", "email": "newcomer@ilo.org", "password1": PASSWORD, "password2": PASSWORD},
        )
    client.post(re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0))
    response = client.post("/accounts/login/", {"login": "newcomer@ilo.org", "password": PASSWORD})
    assert response["Location"] == url  # back to the invitation
    response = client.post(url, {"answer": "accept"})
    assert response.status_code == 302
    person = User.objects.get(email="newcomer@ilo.org")
    assert Role.objects.filter(edition=edition, user=person, kind=Role.Kind.COMMITTEE).exists()
    invitation.refresh_from_db()
    assert (invitation.state, invitation.answered_by) == (Invitation.State.ACCEPTED, person)
    # Signing in later goes where it always does: the invitation is answered.
    client.logout()
    response = client.post("/accounts/login/", {"login": "newcomer@ilo.org", "password": PASSWORD})
    assert response["Location"] == "/"

    response = client.get(url)
    assert response.status_code == 410
    assert "This invitation was already answered" in response.content.decode()
    response = client.post(url, {"answer": "accept"})
    assert response.status_code == 410
    assert Role.objects.filter(user=person).count() == 1


def test_an_invitation_link_does_not_vouch_for_an_address(client, edition, chair):
    invitation = invite(edition, chair)
    client.get(invitation.get_absolute_url())
    client.post(
        "/accounts/signup/",
        {"name": "Forwarded", "email": "newcomer@ilo.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert not EmailAddress.objects.filter(email="newcomer@ilo.org", verified=True).exists()
    assert "_auth_user_id" not in client.session


def test_an_expired_link_says_so(client, edition, chair):
    invitation = invite(edition, chair)
    with time_machine.travel(invitation.expires_at + timedelta(seconds=1)):
        response = client.get(invitation.get_absolute_url())
        assert response.status_code == 410
        assert "This invitation expired on" in response.content.decode()
        client.force_login(UserFactory())
        client.post(invitation.get_absolute_url(), {"answer": "accept"})
    assert not Role.objects.filter(kind=Role.Kind.COMMITTEE).exists()


def test_a_withdrawn_link_says_so(client, edition, chair):
    invitation = invitations.revoke(invitation=invite(edition, chair))
    response = client.get(invitation.get_absolute_url())
    assert response.status_code == 410
    assert "The chair has withdrawn this invitation." in response.content.decode()


def test_an_unknown_link_is_a_404(client):
    assert client.get("/calls/invitations/not-a-real-token/").status_code == 404


def test_an_invitation_can_be_declined_without_an_account(client, edition, chair):
    invitation = invite(edition, chair)
    response = client.post(invitation.get_absolute_url(), {"answer": "decline"})
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.DECLINED


def test_inviting_someone_twice_or_someone_who_has_the_role_is_refused(edition, chair):
    invite(edition, chair)
    with pytest.raises(ValidationError, match="already invited"):
        invite(edition, chair, email="NEWCOMER@ilo.org")
    invite(edition, chair, kind=Role.Kind.REVIEWER)  # another role is another invitation
    with pytest.raises(ValidationError, match="already has this role"):
        invite(edition, chair, email=chair.email, kind=Role.Kind.CHAIR)


def test_resending_extends_the_link_and_sends_a_second_mail(
    edition, chair, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(edition, chair)
    with (
        time_machine.travel(timezone.now() + timedelta(days=40)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        resent = invitations.resend(invitation=invitation)
        assert not resent.is_expired
    assert resent.token == invitation.token
    assert len(mail.outbox) == 2
    invitations.revoke(invitation=resent)
    with pytest.raises(ValidationError):
        invitations.resend(invitation=resent)


def test_unanswered_invitations_get_one_reminder(
    edition, chair, django_capture_on_commit_callbacks, settings
):
    settings.INVITATION_REMIND_AFTER_DAYS = 7
    with django_capture_on_commit_callbacks(execute=True):
        invite(edition, chair, email="slow@ilo.org")
        answered = invite(edition, chair, email="quick@ilo.org")
    invitations.decline(token=answered.token)
    later = timezone.now() + timedelta(days=8)
    with django_capture_on_commit_callbacks(execute=True):
        assert invitations.remind_unanswered(now=timezone.now() + timedelta(days=6)) == 0
        assert invitations.remind_unanswered(now=later) == 1
        assert invitations.remind_unanswered(now=later) == 0
    assert [m.to for m in mail.outbox[2:]] == [["slow@ilo.org"]]
    assert mail.outbox[-1].subject.startswith("Reminder: Committee member")


def test_the_invitation_mail_speaks_the_language_of_a_known_person(
    edition, chair, django_capture_on_commit_callbacks
):
    UserFactory(email="francophone@ilo.org", preferred_language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        invite(edition, chair, email="francophone@ilo.org")
    assert "Appel 2028" in mail.outbox[-1].subject
