"""“My calls”: every call in which a person holds a role, with the pages that role opens, found from
the account menu long after the call left the home page."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from conference.models import Role
from tests.factories import EditionFactory, UserFactory


def test_each_role_leads_to_its_pages_and_nobody_elses_calls_show(client, db):
    person = UserFactory()
    reviewing, chairing, unrelated = (EditionFactory(year=year) for year in (2025, 2028, 2031))
    Role.objects.create(edition=reviewing, user=person, kind=Role.Kind.REVIEWER)
    Role.objects.create(edition=chairing, user=person, kind=Role.Kind.CHAIR)
    Role.objects.create(edition=unrelated, user=UserFactory(), kind=Role.Kind.CHAIR)
    client.force_login(person)
    page = client.get("/calls/mine/").content.decode()
    assert f"/calls/{chairing.series.slug}/2028/chair/" in page
    assert f"/calls/{reviewing.series.slug}/2025/review/" in page  # a reviewer's assignments
    assert f"/calls/{reviewing.series.slug}/2025/chair/" not in page
    assert "/2031/" not in page
    assert page.index("/2028/") < page.index("/2025/")  # the newest call first


def test_without_a_role_the_page_says_where_papers_are(client, db):
    client.force_login(UserFactory())
    page = client.get("/calls/mine/").content.decode()
    assert "You hold no role in any call." in page and 'href="/calls/papers/"' in page


def test_the_page_costs_the_same_for_few_or_many_calls(client, db):
    person = UserFactory()
    client.force_login(person)
    Role.objects.create(edition=EditionFactory(year=2019), user=person, kind=Role.Kind.REVIEWER)

    def cost():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/calls/mine/").status_code == 200
        return len(queries)

    few = cost()
    for year in range(2020, 2026):
        edition = EditionFactory(year=year)
        for kind in (Role.Kind.REVIEWER, Role.Kind.COMMITTEE, Role.Kind.CHAIR)[: year % 3 + 1]:
            Role.objects.create(edition=edition, user=person, kind=kind)
    assert cost() == few
