"""A visitor signs up, verifies their address from a real mail, signs in and completes their profile.

Everything is real: the browser, the live server on PostgreSQL, the outbox, a Celery worker process
fed through Redis, and an SMTP server that receives the verification mail.
"""

from __future__ import annotations

import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from accounts.models import User
from tests.e2e.helpers import PASSWORD, field, screenshot

ORCID = "0000-0002-1825-0097"
CONFIRMATION_LINK = re.compile(r"https?://\S+/accounts/confirm-email/\S+/")


@pytest.fixture
def photo(tmp_path):
    path = tmp_path / "ada.png"
    image = Image.new("RGB", (120, 90), (29, 78, 137))
    image.paste((255, 191, 71), (30, 20, 90, 70))
    image.save(path, format="PNG")
    return path


def sign_up(page, *, name: str, email: str) -> None:
    page.goto("/")
    screenshot(page, "home")
    page.get_by_role("main").get_by_role("link", name="Create an account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign Up")
    field(page, "Full name").fill(name)
    field(page, "Email").fill(email)
    field(page, "Password").fill(PASSWORD)
    field(page, "Password (again)").fill(PASSWORD)
    screenshot(page, "signup")
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Verify Your Email Address")
    screenshot(page, "verification-sent")


def sign_in(page, *, email: str) -> None:
    page.goto("/accounts/login/")
    field(page, "Email").fill(email)
    field(page, "Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()


def test_visitor_signs_up_verifies_signs_in_and_completes_profile(
    page, live_server, celery_workers, mailbox, photo
):
    celery_workers.start(concurrency=1)
    email = "ada@example.org"

    sign_up(page, name="Ada Lovelace", email=email)

    # The verification mail goes outbox -> Redis -> the worker -> the SMTP server.
    try:
        mails = mailbox.wait_for(1)
    except AssertionError as exc:
        raise AssertionError(f"{exc}\nCelery worker log:\n{celery_workers.logs()}") from exc
    assert len(mails) == 1, [m.subject for m in mails]
    mail = mails[0]
    assert mail.to == [email]
    assert "Confirm" in mail.subject, mail.subject
    body = mailbox.body_of(mail)
    links = CONFIRMATION_LINK.findall(body)
    assert len(links) == 1, f"expected one confirmation link in:\n{body}"
    assert links[0].startswith(live_server.url), f"{links[0]} does not lead to {live_server.url}"

    page.goto(links[0])
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm Email Address")
    expect(page.get_by_role("main")).to_contain_text(email)
    screenshot(page, "confirm-email")
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/accounts/login/**")
    expect(page.get_by_role("status")).to_contain_text(f"You have confirmed {email}")

    sign_in(page, email=email)
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("main")).to_contain_text("Welcome back, Ada.")
    screenshot(page, "home-signed-in")

    page.get_by_role("link", name="Review your profile").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your profile")
    expect(field(page, "Full name")).to_have_value("Ada Lovelace")
    field(page, "ORCID iD").fill(ORCID)
    field(page, "Profile photo").set_input_files(photo)
    page.get_by_role("button", name="Save profile").click()

    expect(page.get_by_role("status")).to_contain_text("Your profile is saved.")
    expect(field(page, "ORCID iD")).to_have_value(ORCID)
    img = page.get_by_role("img", name="Photo of Ada Lovelace")
    expect(img).to_be_visible()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img.element_handle())
    width, height = img.evaluate("img => [img.naturalWidth, img.naturalHeight]")
    assert (width, height) == (120, 90), "the thumbnail keeps the photo's size and shape when it is small"
    served = page.request.get(img.get_attribute("src"))
    assert served.ok and served.headers["content-type"] == "image/jpeg"
    screenshot(page, "profile-saved")

    user = User.objects.get(email=email)
    assert user.name == "Ada Lovelace"
    assert user.orcid == ORCID
    assert user.photo.name.endswith(".jpg")
    assert len(mailbox.mails) == 1, [m.subject for m in mailbox.mails]


def test_signing_in_before_verifying_shows_the_verify_page_not_a_session(page, live_server, celery_workers):
    # No worker is started: the verification mail stays in this test's own queue, purged at the end.
    email = "grace@example.org"
    sign_up(page, name="Grace Hopper", email=email)

    sign_in(page, email=email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Verify Your Email Address")
    expect(page.get_by_role("main")).to_contain_text("verification")
    assert "/accounts/confirm-email/" in page.url
    screenshot(page, "signin-unverified")

    # Not signed in: the header offers to sign in, and a private page sends the visitor to the login.
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign in")).to_be_visible()
    page.goto("/profile/")
    page.wait_for_url("**/accounts/login/?next=/profile/")
    assert not User.objects.get(email=email).emailaddress_set.filter(verified=True).exists()
