"""Every URL the resolver knows, tried by every role, so that a new view cannot forget its check.

A URL must be classified here: public (with the reason), for signed-in people, or staff-only
(the admin). An unclassified URL, or a classification naming a URL that is gone, fails.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conference.models import Role
from tests.factories import EditionFactory, SeriesFactory, StaffFactory, UserFactory

PUBLIC = {
    "home": "the front page, with the open calls",
    "conference:series": "a series and its editions are public once announced",
    "conference:edition": "the public call",
    "conference:invitation": "the personal link in an invitation mail works without an account",
    "set_language": "the language switcher works for everyone",
    "account_login": "sign-in",
    "account_logout": "signing out is harmless; it only acts on POST",
    "account_signup": "sign-up",
    "account_inactive": "explains a disabled account to someone who cannot sign in",
    "account_email_verification_sent": "shown after sign-up, before any session exists",
    "account_confirm_email": "the link in the verification mail works before sign-in",
    "account_confirm_login_code": "part of the sign-in flow; without a pending sign-in it sends you back",
    "account_reset_password": "a forgotten password is reset without a session",
    "account_reset_password_done": "shown after asking for a reset",
    "account_reset_password_from_key": "the link in the reset mail",
    "account_reset_password_from_key_done": "shown after a reset",
    "mfa_authenticate": "the second step of sign-in, before the session exists",
    "admin:login": "hands over to allauth's sign-in (two-factor, rate limit); refuses non-staff",
    "admin:logout": "the admin's sign-out, POST only",
}

SIGNED_IN = {
    "accounts:profile",
    "accounts:photo",
    "accounts:export",
    "accounts:delete",
    "account_reauthenticate",
    "account_email",
    "account_change_password",
    "account_set_password",
    "mfa_index",
    "mfa_reauthenticate",
    "mfa_activate_totp",
    "mfa_deactivate_totp",
    "mfa_view_recovery_codes",
    "mfa_generate_recovery_codes",
    "mfa_download_recovery_codes",
}

# An edition's chair pages: for its chairs (and staff) only; everyone else gets 403 or 404.
CHAIR = {
    "conference:dashboard",
    "conference:people",
    "conference:settings",
    "conference:setup",
    "conference:start_next",
    "conference:invitation_action",
}
POST_ONLY = {"conference:invitation_action", "conference:start_next"}

# The Django admin checks is_staff itself; every admin URL not in PUBLIC is staff-only.
STAFF_NAMESPACE = "admin:"

SAMPLE_KWARGS = {
    "object_id": "1",
    "id": "1",
    "app_label": "accounts",
    "content_type_id": "1",
    "key": "not-a-real-key",
    "uidb36": "1",
    "token": "0123456789abcdef0123456789abcdef",
    "slug": "demo-series",
    "year": 2028,
    "action": "resend",
}


def all_url_patterns():
    def walk(patterns, namespace=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                inner = f"{namespace}{p.namespace}:" if p.namespace else namespace
                yield from walk(p.url_patterns, inner)
            elif isinstance(p, URLPattern) and p.name:
                yield f"{namespace}{p.name}", p

    return sorted(dict(walk(get_resolver().url_patterns)).items())


ALL = all_url_patterns()
NAMES = [name for name, _pattern in ALL]
GUARDED = [n for n in NAMES if n not in PUBLIC]


def url_for(name: str, person) -> str:
    _name, pattern = next(item for item in ALL if item[0] == name)
    wanted = set(pattern.pattern.regex.groupindex)
    kwargs = {k: (person.pk if k == "pk" else SAMPLE_KWARGS[k]) for k in wanted}
    return reverse(name, kwargs=kwargs)


def test_every_url_is_classified():
    unclassified = [
        n
        for n in NAMES
        if n not in PUBLIC and n not in SIGNED_IN and n not in CHAIR and not n.startswith(STAFF_NAMESPACE)
    ]
    assert unclassified == [], "Classify these URLs in tests/test_url_permissions.py"


def test_every_classification_still_names_a_url():
    assert (set(PUBLIC) | SIGNED_IN | CHAIR) - set(NAMES) == set()


@pytest.fixture
def people(db):
    """One person per role, around the edition the sample URLs point at (demo-series 2028)."""
    edition = EditionFactory(series=SeriesFactory(slug="demo-series"), year=2028)
    other_edition = EditionFactory(series=SeriesFactory(slug="another-series"), year=2028)
    world = {
        "visitor": None,
        "person": UserFactory(name="Plain Person"),
        "staff": StaffFactory(),
        "reviewer": UserFactory(),
        "committee": UserFactory(),
        "chair": UserFactory(),
        "other_chair": UserFactory(),
    }
    for role, kind, where in [
        ("reviewer", Role.Kind.REVIEWER, edition),
        ("committee", Role.Kind.COMMITTEE, edition),
        ("chair", Role.Kind.CHAIR, edition),
        ("other_chair", Role.Kind.CHAIR, other_edition),
    ]:
        Role.objects.create(edition=where, user=world[role], kind=kind)
    return world


def get_as(client, people, role, name):
    if people[role]:
        client.force_login(people[role])
    url = url_for(name, people["person"])
    return client.post(url) if name in POST_ONLY else client.get(url)


@pytest.mark.parametrize("name", GUARDED)
def test_a_visitor_is_sent_to_sign_in(client, people, name):
    response = get_as(client, people, "visitor", name)
    assert response.status_code == 302, f"{name} answered {response.status_code} to a visitor"
    login = "/admin/login/" if name.startswith(STAFF_NAMESPACE) else reverse("account_login")
    assert response["Location"].startswith(login)


@pytest.mark.parametrize("name", [n for n in GUARDED if n.startswith(STAFF_NAMESPACE)])
def test_a_signed_in_person_who_is_not_staff_cannot_open_the_admin(client, people, name):
    response = get_as(client, people, "person", name)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("role", ["person", "reviewer", "committee", "other_chair"])
@pytest.mark.parametrize("name", sorted(CHAIR))
def test_only_the_editions_chairs_open_its_chair_pages(client, people, role, name):
    response = get_as(client, people, role, name)
    assert response.status_code in {403, 404}, f"{name} answered {response.status_code} to {role}"


@pytest.mark.parametrize("name", sorted(CHAIR - POST_ONLY))
def test_the_editions_chair_opens_its_chair_pages(client, people, name):
    assert get_as(client, people, "chair", name).status_code == 200


@pytest.mark.parametrize("role", ["visitor", "person", "chair", "staff"])
@pytest.mark.parametrize("name", NAMES)
def test_no_url_crashes_for_any_role(client, people, role, name):
    response = get_as(client, people, role, name)
    assert response.status_code < 500


# The pages a signed-in person opens directly; the others redirect (re-authentication) or need a POST.
OPEN_FOR_OWNER = {
    "accounts:profile",
    "accounts:export",
    "account_email",
    "account_change_password",
    "mfa_index",
}


@pytest.mark.parametrize("name", sorted(SIGNED_IN))
def test_signed_in_pages_open_for_their_owner(client, people, name):
    response = get_as(client, people, "person", name)
    if name in OPEN_FOR_OWNER:
        assert response.status_code == 200, name
    elif response.status_code == 302:
        # Sensitive pages ask for the password again; none may bounce a signed-in person to sign-in.
        assert not response["Location"].startswith(reverse("account_login")), name
    else:
        assert response.status_code in {200, 404, 405}, name
