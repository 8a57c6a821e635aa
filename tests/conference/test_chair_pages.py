import pytest
from django.core import mail
from django.urls import reverse

from conference import invitations
from conference.models import Invitation, Role
from tests.factories import EditionFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    return EditionFactory(year=2028)


@pytest.fixture
def chair_client(client, edition):
    chair = UserFactory(name="Ilse Chair")
    Role.objects.create(edition=edition, user=chair, kind=Role.Kind.CHAIR)
    client.force_login(chair)
    client.chair = chair
    return client


def url(name, edition, *args):
    return reverse(f"conference:{name}", args=[edition.series.slug, edition.year, *args])


def fill(edition, chair, n):
    for i in range(n):
        person = UserFactory(
            organisation=OrganisationFactory() if i % 2 else None, affiliation="Uni" * (i % 3)
        )
        Role.objects.create(
            edition=edition, user=person, kind=[Role.Kind.COMMITTEE, Role.Kind.REVIEWER][i % 2]
        )
        invitations.invite(edition=edition, email=f"guest{n}-{i}@ilo.org", kind=Role.Kind.REVIEWER, by=chair,
                           message="Please" * i)  # fmt: skip


@pytest.mark.parametrize("page", ["dashboard", "people"])
def test_chair_pages_cost_the_same_for_3_or_60_people(chair_client, edition, page):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fill(edition, chair_client.chair, 3)
    with CaptureQueriesContext(connection) as few:
        assert chair_client.get(url(page, edition)).status_code == 200
    fill(edition, chair_client.chair, 60)
    with CaptureQueriesContext(connection) as many:
        assert chair_client.get(url(page, edition)).status_code == 200
    # Each dashboard panel costs a query or two of its own, never one per person.
    assert len(few) == len(many) <= 16


def test_the_dashboard_shows_phase_timeline_pending_invitations_and_panels(chair_client, edition):
    invitations.invite(edition=edition, email="slow@ilo.org", kind=Role.Kind.COMMITTEE, by=chair_client.chair)
    page = chair_client.get(url("dashboard", edition)).content.decode()
    assert "Call open" in page
    assert "Submission deadline" in page and "UTC−12:00" in page
    assert "slow@ilo.org · Committee member" in page
    assert "People" in page  # the panel conference registers


def test_a_chair_invites_from_the_people_page_and_sees_it_listed(
    chair_client, edition, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = chair_client.post(
            url("people", edition),
            {"email": "Kwame@ILO.org", "name": "Kwame", "kind": "committee", "message": "Join us."},
            follow=True,
        )
    assert "The invitation is on its way to Kwame@ILO.org." in response.content.decode()
    assert mail.outbox[-1].to == ["kwame@ilo.org"]
    response = chair_client.post(url("people", edition), {"email": "kwame@ilo.org", "kind": "committee"})
    assert "already invited and has not answered yet" in response.content.decode()
    assert Invitation.objects.count() == 1


def test_a_bad_address_is_refused_and_the_message_kept(chair_client, edition):
    response = chair_client.post(
        url("people", edition), {"email": "not-an-address", "kind": "reviewer", "message": "Keep me"}
    )
    page = response.content.decode()
    assert "Enter a valid email address." in page
    assert "Keep me" in page


def test_a_chair_resends_and_withdraws_an_invitation(chair_client, edition):
    invitation = invitations.invite(
        edition=edition, email="a@ilo.org", kind="reviewer", by=chair_client.chair
    )
    response = chair_client.post(url("invitation_action", edition, invitation.pk, "resend"), follow=True)
    assert "sent again to a@ilo.org" in response.content.decode()
    chair_client.post(url("invitation_action", edition, invitation.pk, "revoke"))
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.REVOKED
    response = chair_client.post(url("invitation_action", edition, invitation.pk, "resend"), follow=True)
    assert "answered or withdrawn" in response.content.decode()
    assert chair_client.post(url("invitation_action", edition, invitation.pk, "explode")).status_code == 404


def test_a_chair_cannot_touch_another_editions_invitations(chair_client, edition):
    other = EditionFactory(year=2031)
    invitation = invitations.invite(edition=other, email="b@ilo.org", kind="reviewer", by=UserFactory())
    response = chair_client.post(reverse("conference:invitation_action", args=[
        edition.series.slug, edition.year, invitation.pk, "revoke"]))  # fmt: skip
    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.PENDING


def test_the_call_page_shows_a_chair_the_way_to_the_dashboard(chair_client, edition):
    page = chair_client.get(edition.get_absolute_url()).content.decode()
    assert url("dashboard", edition) in page
    assert "Your roles: Chair." in page


def test_a_chair_starts_the_next_edition_from_the_dashboard_and_chairs_it(chair_client, edition):
    response = chair_client.post(url("start_next", edition), follow=True)
    assert "The 2031 edition is ready as a draft" in response.content.decode()
    new = edition.series.editions.get(year=2031)
    assert response.redirect_chain[-1][0] == url("settings", new)
    assert Role.objects.filter(edition=new, user=chair_client.chair, kind=Role.Kind.CHAIR).exists()
    response = chair_client.post(url("start_next", edition), follow=True)
    assert "The 2031 edition already exists" in response.content.decode()
