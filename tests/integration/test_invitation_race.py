"""A double click on "Accept" (or two tabs) answers an invitation once, on PostgreSQL, in real threads."""

import threading

from django.db import connection
from django.test import Client

from conference import invitations
from conference.models import Invitation, Role
from tests.factories import EditionFactory, UserFactory

CLICKS = 4


def test_simultaneous_accepts_give_one_role_and_no_error(real_services):
    edition = EditionFactory(year=2028)
    invitation = invitations.invite(
        edition=edition, email="guest@ilo.org", kind=Role.Kind.REVIEWER, by=UserFactory()
    )
    guest = UserFactory(email="guest@ilo.org")
    barrier = threading.Barrier(CLICKS)
    statuses: list[int] = []

    def click():
        client = Client(raise_request_exception=False)
        client.force_login(guest)
        barrier.wait(timeout=30)
        try:
            statuses.append(client.post(invitation.get_absolute_url(), {"answer": "accept"}).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(CLICKS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(statuses) == [302] + [410] * (CLICKS - 1), statuses
    assert Role.objects.filter(edition=edition, user=guest, kind=Role.Kind.REVIEWER).count() == 1
    assert Invitation.objects.get(pk=invitation.pk).state == Invitation.State.ACCEPTED
