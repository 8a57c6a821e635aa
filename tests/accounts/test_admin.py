import pytest
from django.urls import reverse

from accounts.models import User
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url_name", ["admin:accounts_user_changelist", "admin:accounts_organisation_changelist"]
)
def test_people_and_organisation_lists_cost_the_same_for_10_or_100_rows(
    staff_client, django_assert_max_num_queries, url_name
):
    def fill(count):
        for _ in range(count):
            organisation = OrganisationFactory(email_domains=["a.example", "b.example"][: 1 + _ % 2])
            UserFactory(organisation=organisation if _ % 3 else None, affiliation="Free text" * (_ % 2))

    fill(10)
    with django_assert_max_num_queries(14):
        assert staff_client.get(reverse(url_name)).status_code == 200
    fill(90)
    with django_assert_max_num_queries(14):
        response = staff_client.get(reverse(url_name))
    assert response.context["cl"].result_count >= 100


def test_staff_create_a_person_by_e_mail(staff_client):
    response = staff_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "new.person@ilo.org",
            "name": "New Person",
            "password1": "a-long-pass-123",
            "password2": "a-long-pass-123",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302

    assert User.objects.get(email="new.person@ilo.org").name == "New Person"
