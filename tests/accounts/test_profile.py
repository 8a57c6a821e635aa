import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def image_bytes(size=(800, 600), fmt="JPEG", exif=None) -> bytes:
    out = io.BytesIO()
    kwargs = {"exif": exif} if exif is not None else {}
    Image.new("RGB", size, (30, 120, 200)).save(out, format=fmt, **kwargs)
    return out.getvalue()


def upload(data: bytes, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def profile_data(**overrides):
    data = {
        "name": "Amélie Autrice",
        "affiliation": "",
        "country": "FR",
        "orcid": "",
        "preferred_language": "fr",
    }
    data.update(overrides)
    return data


@pytest.fixture
def person(client):
    user = UserFactory(name="Before")
    client.force_login(user)
    return user


def test_profile_saves_fields_and_normalises_the_orcid(client, person):
    organisation = OrganisationFactory(name="EURICSE")
    response = client.post(
        reverse("accounts:profile"),
        profile_data(orcid="https://orcid.org/0000-0002-1825-0097", organisation=organisation.pk),
        follow=True,
    )
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.name == "Amélie Autrice"
    assert person.orcid == "0000-0002-1825-0097"
    assert person.organisation == organisation
    assert person.preferred_language == "fr"


def test_an_invalid_orcid_is_refused_and_the_rest_is_kept_on_the_form(client, person):
    response = client.post(reverse("accounts:profile"), profile_data(orcid="0000-0002-1825-0098"))
    assert response.status_code == 200
    assert "checksum" in response.content.decode()
    assert 'value="Amélie Autrice"' in response.content.decode()
    person.refresh_from_db()
    assert person.name == "Before"


def test_a_photo_becomes_a_small_jpeg_without_exif_under_a_random_name(client, person):
    exif = Image.Exif()
    exif[0x010F] = "SecretCameraMaker"  # Make
    data = profile_data(photo=upload(image_bytes(size=(2000, 1000), exif=exif), name="my face.jpg"))
    response = client.post(reverse("accounts:profile"), data)
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.photo.name.startswith("photos/")
    assert "face" not in person.photo.name
    with person.photo.open("rb") as stored:
        raw = stored.read()
    assert b"SecretCameraMaker" not in raw
    image = Image.open(io.BytesIO(raw))
    assert image.format == "JPEG"
    assert max(image.size) == 400
    assert not image.getexif()


def test_a_new_photo_replaces_and_removes_the_old_file(client, person):
    client.post(reverse("accounts:profile"), profile_data(photo=upload(image_bytes())))
    person.refresh_from_db()
    first = person.photo.name
    client.post(
        reverse("accounts:profile"), profile_data(photo=upload(image_bytes(fmt="PNG"), "p.png", "image/png"))
    )
    person.refresh_from_db()
    assert person.photo.name != first
    assert not person.photo.storage.exists(first)


def test_a_photo_can_be_removed(client, person):
    client.post(reverse("accounts:profile"), profile_data(photo=upload(image_bytes())))
    person.refresh_from_db()
    old = person.photo.name
    client.post(reverse("accounts:profile"), profile_data(**{"photo-clear": "on"}))
    person.refresh_from_db()
    assert not person.photo
    assert not person.photo.storage.exists(old)


def test_a_file_that_is_not_an_image_is_refused_with_a_clear_message(client, person):
    response = client.post(
        reverse("accounts:profile"),
        profile_data(photo=upload(b"%PDF-1.4 not a photo at all", name="cv.jpg")),
    )
    assert response.status_code == 200
    assert "not an image we can read" in response.content.decode()
    person.refresh_from_db()
    assert not person.photo
    assert person.name == "Before"


def test_an_oversized_photo_is_refused_with_its_size_and_the_limit(client, person, settings):
    settings.PROFILE_PHOTO_MAX_BYTES = 10_000
    big = image_bytes(size=(1500, 1500), fmt="PNG")
    assert len(big) > 10_000
    response = client.post(
        reverse("accounts:profile"), profile_data(photo=upload(big, "big.png", "image/png"))
    )
    assert response.status_code == 200
    assert "the limit is 9.8" in response.content.decode()
    person.refresh_from_db()
    assert not person.photo


def test_a_decompression_bomb_is_refused_without_being_decoded(client, person):
    # A small PNG that unpacks to 49 million pixels: under Pillow's own limit, over ours (40).
    bomb = io.BytesIO()
    Image.new("1", (7000, 7000)).save(bomb, format="PNG", optimize=True)
    assert bomb.tell() < 100_000
    response = client.post(
        reverse("accounts:profile"), profile_data(photo=upload(bomb.getvalue(), "bomb.png", "image/png"))
    )
    assert response.status_code == 200
    assert "too large to process safely: at most 40 megapixels" in response.content.decode()
    person.refresh_from_db()
    assert not person.photo


def test_a_phone_cameras_multi_picture_jpeg_is_accepted(client, person):
    mpo = io.BytesIO()
    first, second = Image.new("RGB", (300, 200), (200, 30, 30)), Image.new("RGB", (300, 200), (30, 200, 30))
    first.save(mpo, format="MPO", save_all=True, append_images=[second])
    assert Image.open(io.BytesIO(mpo.getvalue())).format == "MPO"
    response = client.post(
        reverse("accounts:profile"), profile_data(photo=upload(mpo.getvalue(), "IMG_0001.JPG"))
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.photo


def test_transparent_parts_of_a_png_become_white_not_their_hidden_colour(client, person):
    # Fully transparent red: a careless conversion to JPEG shows it red.
    png = io.BytesIO()
    Image.new("RGBA", (50, 50), (255, 0, 0, 0)).save(png, format="PNG")
    client.post(
        reverse("accounts:profile"), profile_data(photo=upload(png.getvalue(), "logo.png", "image/png"))
    )
    person.refresh_from_db()
    with person.photo.open("rb") as stored:
        red, green, blue = Image.open(stored).convert("RGB").getpixel((25, 25))
    assert min(red, green, blue) > 240


@pytest.mark.parametrize("fmt", ["BMP", "TIFF"])
def test_image_formats_outside_the_list_are_refused(client, person, fmt):
    data = io.BytesIO()
    Image.new("RGB", (40, 40)).save(data, format=fmt)
    response = client.post(
        reverse("accounts:profile"), profile_data(photo=upload(data.getvalue(), f"p.{fmt}"))
    )
    assert response.status_code == 200
    assert "Please upload a JPEG, PNG, GIF or WebP photo." in response.content.decode()


def test_a_photo_whose_file_is_lost_is_a_404_not_an_error(client, person):
    client.post(reverse("accounts:profile"), profile_data(photo=upload(image_bytes())))
    person.refresh_from_db()
    person.photo.storage.delete(person.photo.name)
    assert client.get(person.photo_url()).status_code == 404


def test_a_rejected_name_is_not_shown_in_the_header_as_if_saved(client, person):
    response = client.post(reverse("accounts:profile"), profile_data(name="New Name", orcid="bad"))
    assert response.status_code == 200
    assert re.search(r'id="user-menu">\s*Before\s*<', response.content.decode())


def test_photos_are_served_to_signed_in_people_only_under_an_unguessable_url(client, person):
    client.post(reverse("accounts:profile"), profile_data(photo=upload(image_bytes())))
    person.refresh_from_db()
    url = person.photo_url()
    assert url == f"/profile/photo/{person.photo_token}/"
    assert len(person.photo_token) == 32
    assert person.photo_token in client.get(reverse("accounts:profile")).content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    client.logout()
    assert client.get(url).status_code == 302


@pytest.mark.parametrize("token", ["0" * 32, "not-a-token", "../" * 5])
def test_an_unknown_photo_token_is_a_404(client, person, token):
    person.photo = "photos/" + "0" * 31 + "1.jpg"
    person.save()
    assert person.photo_url() == "/profile/photo/" + "0" * 31 + "1/"
    assert client.get(f"/profile/photo/{token}/").status_code == 404


def test_the_form_shows_the_current_photo_by_its_guarded_url_not_its_file_name(client, person):
    client.post(reverse("accounts:profile"), profile_data(photo=upload(image_bytes())))
    person.refresh_from_db()
    page = client.get(reverse("accounts:profile")).content.decode()
    assert f'href="{person.photo_url()}"' in page
    assert "/media/" not in page
