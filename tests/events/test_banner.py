"""An event's banner: uploaded in the admin, kept as a small JPEG without its metadata, shown on the event's
page and in the list, and served publicly with a validator so that browsers never keep an old one."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from lxml import html
from PIL import Image

from .helpers import make_event

BANNER = "/events/trento-2026/banner.jpg"


def photo(size=(3200, 2000), format="JPEG") -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"  # Make
    exif[0x8825] = {2: (46.0, 4.0, 3.0)}  # GPS latitude
    out = io.BytesIO()
    Image.new("RGB", size, (29, 78, 137)).save(out, format=format, exif=exif.tobytes())
    return out.getvalue()


def upload_in_the_admin(staff_client, event, upload) -> str:
    url = f"/admin/events/event/{event.pk}/change/"
    form = html.fromstring(staff_client.get(url).content).xpath('//form[@id="event_form"]')[0]
    data = dict(form.form_values())
    data["banner"] = upload
    return staff_client.post(url, data, follow=True).content.decode()


@pytest.fixture
def event(db):
    return make_event()


def test_an_uploaded_banner_is_kept_small_and_without_its_metadata(staff_client, event):
    upload_in_the_admin(staff_client, event, SimpleUploadedFile("banner.jpg", photo(), "image/jpeg"))
    event.refresh_from_db()
    assert event.banner.name.startswith("events/banners/") and event.banner.name.endswith(".jpg")
    with Image.open(event.banner.open("rb")) as stored:
        assert (stored.format, stored.size) == ("JPEG", (800, 500))
        assert not stored.getexif() and "exif" not in stored.info


def test_a_wide_png_is_shrunk_to_1600_pixels_wide(staff_client, event):
    upload_in_the_admin(
        staff_client, event, SimpleUploadedFile("b.png", photo((4000, 500), "PNG"), "image/png")
    )
    event.refresh_from_db()
    with Image.open(event.banner.open("rb")) as stored:
        assert (stored.format, stored.size) == ("JPEG", (1600, 200))


def test_a_file_that_is_not_an_image_is_refused(staff_client, event):
    fake = SimpleUploadedFile("banner.jpg", b"%!PS-Adobe-3.0 EPSF-3.0\n", "image/jpeg")
    page = upload_in_the_admin(staff_client, event, fake)
    assert "This file is not an image we can read." in page
    event.refresh_from_db()
    assert not event.banner


def test_the_banner_shows_on_the_event_page_and_the_list_and_is_served_to_anyone(client, event):
    assert client.get(BANNER).status_code == 404
    assert "banner.jpg" not in client.get("/events/").content.decode()
    event.banner.save("banner.jpg", io.BytesIO(photo((1600, 500))), save=True)
    detail = html.fromstring(client.get("/events/trento-2026/").content)
    (image,) = detail.xpath('//img[@src="/events/trento-2026/banner.jpg"]')
    assert image.get("alt") == "Technical symposium, Trento"
    listed = html.fromstring(client.get("/events/").content)
    assert listed.xpath('//img[@src="/events/trento-2026/banner.jpg"][@alt=""]')  # the title link follows

    response = client.get(BANNER)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8")
    etag = response["ETag"]
    assert client.get(BANNER, headers={"If-None-Match": etag}).status_code == 304
    event.banner.save("banner.jpg", io.BytesIO(photo((1600, 500))), save=True)  # a new banner: a new ETag
    assert client.get(BANNER, headers={"If-None-Match": etag}).status_code == 200
