import base64
import io
import json

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import models
from django.test.utils import isolate_apps
from django.urls import reverse

from accounts import services
from accounts.demo import DEMO_PASSWORD
from accounts.models import User
from accounts.personal_data import personal_data, uncovered_user_links, user_links
from notifications.models import OutboxMessage
from notifications.services import queue_mail
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_every_model_that_links_to_a_person_is_registered():
    assert uncovered_user_links() == []


@isolate_apps("tests")
def test_a_new_model_with_a_user_link_and_no_registration_is_reported():
    class Bookmark(models.Model):
        owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
        followers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")

        class Meta:
            app_label = "tests"

        def __str__(self):
            return str(self.owner)

    assert uncovered_user_links([Bookmark]) == ["tests.Bookmark.followers", "tests.Bookmark.owner"]
    personal_data.register(Bookmark, user_fields=["owner", "followers"])
    try:
        assert uncovered_user_links([Bookmark]) == []
    finally:
        personal_data._registrations.pop("tests.Bookmark")


def test_registered_links_are_real_fields():
    # A registration that names a field that is gone would silently export nothing.
    links = user_links()
    for label, name in personal_data.covered_links():
        assert (label, name) in links, f"{label}.{name} is registered but is not a link to a user"


@pytest.fixture
def demo_author(django_capture_on_commit_callbacks):
    call_command("seed_demo", force=True, stdout=io.StringIO())
    user = User.objects.get(email="author@unige.ch")
    TOTP.activate(user, generate_totp_secret())
    LogEntry.objects.create(user=user, action_flag=1, object_repr="demo change")
    with django_capture_on_commit_callbacks(execute=True):
        queue_mail(to=user.email, subject="Welcome", text="Hello", key="welcome:author", user=user)
    return user


def test_the_export_holds_every_row_about_the_person(client, demo_author):
    other = UserFactory()
    queue_mail(to=other.email, subject="Not yours", text="…", key="other", user=other)
    client.force_login(demo_author)
    response = client.get(reverse("accounts:export"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    export = json.loads(response.content)["data"]

    expected = {
        "accounts.User": User.objects.filter(pk=demo_author.pk),
        "account.EmailAddress": EmailAddress.objects.filter(user=demo_author),
        "mfa.Authenticator": Authenticator.objects.filter(user=demo_author),
        "admin.LogEntry": LogEntry.objects.filter(user=demo_author),
        "notifications.OutboxMessage": OutboxMessage.objects.filter(user=demo_author),
    }
    assert set(export) == {r.label for r in personal_data}
    for label, rows in expected.items():
        assert rows.exists(), label
        assert sorted(row["id"] for row in export[label]) == sorted(rows.values_list("pk", flat=True)), label
    person = export["accounts.User"][0]
    assert person["email"] == "author@unige.ch"
    assert person["name"] == "Amélie Autrice"
    assert person["organisation"] == demo_author.organisation_id
    assert "password" not in person
    assert "data" not in export["mfa.Authenticator"][0]  # the TOTP secret never leaves
    assert export["notifications.OutboxMessage"][0]["subject"] == "Welcome"
    # Mail bodies may hold live reset links: listed, never copied into a file that may leak.
    assert "body_text" not in export["notifications.OutboxMessage"][0]
    assert response["Cache-Control"] == "no-store"


def test_mail_sent_to_the_persons_address_without_a_link_is_theirs_too(client, demo_author):
    queue_mail(to="AUTHOR@unige.ch", subject="Group mail", text="…", key="group:1")
    client.force_login(demo_author)
    export = json.loads(client.get(reverse("accounts:export")).content)["data"]
    assert {row["subject"] for row in export["notifications.OutboxMessage"]} == {"Welcome", "Group mail"}
    services.delete_account(user=demo_author)
    assert not OutboxMessage.objects.filter(recipient__iexact="author@unige.ch").exists()


def test_the_photo_travels_in_the_export_and_is_deleted_with_the_account(
    client, demo_author, django_capture_on_commit_callbacks
):
    demo_author.photo.save("photo.jpg", ContentFile(b"\xff\xd8 a tiny jpeg"), save=True)
    stored = demo_author.photo.name
    client.force_login(demo_author)
    export = json.loads(client.get(reverse("accounts:export")).content)["data"]
    photo = export["accounts.User"][0]["photo"]
    assert photo["name"] == stored
    assert base64.b64decode(photo["content_base64"]) == b"\xff\xd8 a tiny jpeg"
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_account(user=demo_author)
    assert not default_storage.exists(stored)


def test_deleting_the_account_erases_every_registered_row(client, demo_author):
    client.force_login(demo_author)
    # allauth asks for the password again before a destructive action.
    response = client.post(reverse("account_reauthenticate"), {"password": DEMO_PASSWORD})
    assert response.status_code == 302

    response = client.post(reverse("accounts:delete"), {"confirm_email": "not-mine@example.org"})
    assert response.status_code == 200
    assert User.objects.filter(pk=demo_author.pk).exists()

    response = client.post(reverse("accounts:delete"), {"confirm_email": "Author@unige.ch"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=demo_author.pk).exists()
    for registration in personal_data:
        assert not registration.rows_for(demo_author).exists(), registration.label
    assert "_auth_user_id" not in client.session


def test_deleting_an_account_asks_for_the_password_again(client, demo_author):
    client.force_login(demo_author)
    response = client.get(reverse("accounts:delete"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
