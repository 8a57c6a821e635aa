import pytest
from django.test import override_settings
from django.urls import include, path

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_home_says_what_the_site_is(client):
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "call for papers end to end" in page
    assert 'href="#main"' in page  # skip link
    assert "/static/bootstrap/css/bootstrap.min.css" in page


def test_home_greets_a_signed_in_person(client):
    client.force_login(UserFactory(name="Giulia Rossi"))
    assert "Welcome back, Giulia." in client.get("/").content.decode()


def test_the_home_page_costs_the_same_for_everyone(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):  # the open calls
        client.get("/")
    client.force_login(UserFactory())
    with django_assert_max_num_queries(4):  # and the session, the person, their authenticators
        client.get("/")


def test_a_missing_page_says_what_to_do_next(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "We could not find this page" in page
    assert "Go to the home page" in page


def test_the_pages_speak_french_and_spanish(client):
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    response = client.get("/")
    assert response["Content-Language"] == "fr"
    assert '<html lang="fr">' in response.content.decode()


def broken_view(request):
    raise RuntimeError("boom")


def forbidden_view(request):
    from django.core.exceptions import PermissionDenied

    raise PermissionDenied


urlpatterns = [
    path("boom/", broken_view),
    path("forbidden/", forbidden_view),
    path("", include("config.urls")),
]


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_a_server_error_page_is_in_the_site_style_and_says_nothing_is_lost(client):
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong on our side" in page
    assert "Nothing you saved before this page is lost" in page


@override_settings(ROOT_URLCONF=__name__)
def test_a_forbidden_page_explains_the_missing_role(client):
    response = client.get("/forbidden/")
    assert response.status_code == 403
    assert "does not have the role this page needs" in response.content.decode()
