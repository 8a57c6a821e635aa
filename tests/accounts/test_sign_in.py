import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.core import mail
from django.urls import reverse

from accounts.models import User
from notifications.models import OutboxMessage
from tests.factories import PASSWORD, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def link_in(message) -> str:
    match = re.search(r"https?://\S+", message.body)
    assert match, message.body
    return match.group(0)


def test_sign_up_queues_a_verification_mail_through_the_outbox(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {
                "name": "Nadia Nueva",
                "email": "nadia@unal.edu.co",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
        )
    assert response.status_code == 302
    user = User.objects.get(email="nadia@unal.edu.co")
    assert user.name == "Nadia Nueva"
    row = OutboxMessage.objects.get(recipient="nadia@unal.edu.co")
    assert row.state == OutboxMessage.State.SENT
    assert row.user == user
    assert len(mail.outbox) == 1
    assert mail.outbox[0].extra_headers["Message-ID"] == row.message_id
    assert "/accounts/confirm-email/" in mail.outbox[0].body


def test_an_unverified_person_cannot_sign_in_until_they_confirm(client, django_capture_on_commit_callbacks):
    UserFactory(email="late@example.org", verified=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_login"), {"login": "late@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    confirmation = link_in(mail.outbox[-1])
    client.post(confirmation)
    assert EmailAddress.objects.get(email="late@example.org").verified
    response = client.post(reverse("account_login"), {"login": "late@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_a_wrong_password_says_so_without_telling_whether_the_account_exists(client):
    UserFactory(email="known@example.org")
    for email in ["known@example.org", "unknown@example.org"]:
        response = client.post(reverse("account_login"), {"login": email, "password": "wrong-password-123"})
        assert response.status_code == 200
        assert "The email address and/or password you specified are not correct." in response.content.decode()


def test_failed_logins_are_rate_limited(client):
    UserFactory(email="target@example.org")
    for _attempt in range(5):
        response = client.post(
            reverse("account_login"), {"login": "target@example.org", "password": "nope-nope-123"}
        )
        assert response.status_code == 200
    response = client.post(reverse("account_login"), {"login": "target@example.org", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in response.content.decode()


def test_a_password_reset_link_works_once(client, django_capture_on_commit_callbacks):
    UserFactory(email="forgetful@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": "forgetful@example.org"})
    reset_link = link_in(mail.outbox[-1])
    response = client.get(reset_link, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else reset_link
    new_password = "a-brand-new-password-9"
    response = client.post(form_url, {"password1": new_password, "password2": new_password})
    assert response.status_code == 302
    assert User.objects.get(email="forgetful@example.org").check_password(new_password)

    client.logout()
    response = client.get(reset_link, follow=True)
    assert "The password reset link was invalid" in response.content.decode()
    response = client.post(form_url, {"password1": "yet-another-pass-77", "password2": "yet-another-pass-77"})
    assert not User.objects.get(email="forgetful@example.org").check_password("yet-another-pass-77")


@pytest.fixture
def two_factor_user():
    user = UserFactory(email="careful@example.org")
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return user, secret


def current_code(secret: str) -> str:
    import time

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_a_wrong_totp_code_is_refused(client, two_factor_user):
    user, secret = two_factor_user
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    wrong = "000000" if current_code(secret) != "000000" else "111111"
    response = client.post(reverse("mfa_authenticate"), {"code": wrong})
    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_right_totp_code_signs_in(client, two_factor_user):
    user, secret = two_factor_user
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_staff_without_two_factor_are_sent_to_set_it_up(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    for url in [reverse("home"), reverse("admin:index"), reverse("accounts:profile")]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("mfa_activate_totp")
    # The set-up page itself (and allauth's re-authentication step before it) stays reachable: no loop.
    response = client.get(reverse("mfa_activate_totp"), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))


def test_staff_with_two_factor_reach_the_admin(client):
    client.force_login(StaffFactory())
    assert client.get(reverse("admin:index")).status_code == 200


def test_people_who_are_not_staff_need_no_second_factor(client):
    client.force_login(UserFactory())
    assert client.get(reverse("accounts:profile")).status_code == 200
    assert not Authenticator.objects.exists()


def test_the_interface_follows_the_preferred_language_until_the_switcher_is_used(client):
    client.force_login(UserFactory(preferred_language="fr"))
    response = client.get(reverse("home"))
    assert response["Content-Language"] == "fr"
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    assert client.get(reverse("home"))["Content-Language"] == "es"


def test_a_new_e_mail_address_becomes_the_login_once_confirmed(client, django_capture_on_commit_callbacks):
    person = UserFactory(email="old@example.org")
    client.force_login(person)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_email"), {"action_add": "", "email": "new@ilo.org"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.email == "old@example.org"  # not before it is confirmed
    assert mail.outbox[-1].to == ["new@ilo.org"]
    client.post(link_in(mail.outbox[-1]))
    person.refresh_from_db()
    assert person.email == "new@ilo.org"
    client.logout()
    client.post(reverse("account_login"), {"login": "new@ilo.org", "password": PASSWORD})
    assert client.session["_auth_user_id"] == str(person.pk)


def test_account_mail_speaks_the_persons_language_not_the_pages(client, django_capture_on_commit_callbacks):
    UserFactory(email="francophone@example.org", preferred_language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": "francophone@example.org"})
    row = OutboxMessage.objects.get(recipient="francophone@example.org")
    assert row.language == "fr"
    assert "mot de passe" in mail.outbox[-1].subject.lower()


def test_the_admin_sign_in_page_hands_over_to_the_two_factor_sign_in(client, two_factor_user):
    user, _secret = two_factor_user
    user.is_staff = True
    user.save()
    response = client.post("/admin/login/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")


def test_the_admin_sign_in_page_refuses_people_who_are_not_staff(client):
    client.force_login(UserFactory())
    assert client.get("/admin/login/").status_code == 403


def test_staff_without_two_factor_may_still_sign_out_and_switch_language(client):
    client.force_login(UserFactory(is_staff=True))
    assert client.post(reverse("set_language"), {"language": "fr", "next": "/"}).status_code == 302
    assert client.post(reverse("account_logout")).status_code == 302
    assert "_auth_user_id" not in client.session
