import re

import pytest
from django.urls import reverse

from conference.help import PAGES
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_index_links_to_every_role(client):
    response = client.get(reverse("help"))
    assert response.status_code == 200
    page = response.content.decode()
    for role in PAGES:
        assert f'href="{reverse("help_role", args=[role])}"' in page


@pytest.mark.parametrize("role", PAGES)
def test_each_help_page_opens_for_a_visitor(client, role):
    response = client.get(reverse("help_role", args=[role]))
    assert response.status_code == 200
    page = response.content.decode()
    title = str(PAGES[role].title)
    assert f"<title>{title} · Convene</title>" in page
    assert f'<h1 id="help-title">{title}</h1>' in page
    assert 'aria-label="Breadcrumb"' in page and f'href="{reverse("help")}"' in page


def test_an_unknown_role_is_not_found(client):
    assert client.get("/help/staff/").status_code == 404
    assert client.get("/help/base/").status_code == 404  # a template, not a page


def test_the_footer_links_to_help(client):
    footer = re.search(r"<footer.*</footer>", client.get("/").content.decode(), re.S).group(0)
    assert f'href="{reverse("help")}"' in footer


def test_the_account_menu_links_to_help(client):
    client.force_login(UserFactory())
    menu = re.search(r'<ul class="dropdown-menu.*?</ul>', client.get("/").content.decode(), re.S).group(0)
    assert f'href="{reverse("help")}"' in menu


def test_the_links_in_the_help_pages_lead_somewhere(client):
    client.force_login(UserFactory())
    for url in [reverse("help")] + [reverse("help_role", args=[role]) for role in PAGES]:
        main = re.search(r"<main.*</main>", client.get(url).content.decode(), re.S).group(0)
        for link in set(re.findall(r'href="(/[^"#?]*)', main)):
            assert client.get(link).status_code in {200, 302, 405}, f"{url} links to {link}"


def test_the_help_speaks_french(client):
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    page = client.get(reverse("help_role", args=["author"])).content.decode()
    assert "Aide" in page and "Mes communications" in page
