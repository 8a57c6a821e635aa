from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from conference.models import SubmissionType, Topic, Track
from tests.factories import EditionFactory, SeriesFactory

pytestmark = pytest.mark.django_db


def fill(edition, n):
    for i in range(n):
        Track.objects.create(edition=edition, name={"en": f"Track {i}", "fr": f"Piste {i}" * (i % 2)})
        SubmissionType.objects.create(edition=edition, name={"en": f"Type {i}"}, page_limit=i + 1)
        Topic.objects.create(edition=edition, name={"en": f"Keyword {i}"})


def test_the_call_page_costs_the_same_for_2_or_40_tracks_types_and_keywords(
    client, django_assert_max_num_queries
):
    small, large = EditionFactory(year=2028), EditionFactory(year=2031)
    fill(small, 2)
    fill(large, 40)
    for edition in (small, large):
        with django_assert_max_num_queries(5):
            response = client.get(edition.get_absolute_url())
        assert response.status_code == 200
    assert "Track 39" in response.content.decode()


def test_the_call_page_shows_text_topics_tracks_and_dates_in_the_calls_zone(client):
    edition = EditionFactory(
        cfp_opens_at=datetime(2028, 1, 1, tzinfo=UTC),
        submission_deadline=datetime(2028, 4, 1, 12, tzinfo=UTC),
        time_zone="AoE",
    )
    Track.objects.create(edition=edition, name={"en": "Local development"})
    with time_machine.travel(datetime(2028, 3, 30, 12, tzinfo=UTC), tick=False):
        page = client.get(edition.get_absolute_url()).content.decode()
    assert "Send us your papers." in page
    assert "Local development" in page
    assert "SDG 4: Quality education" in page
    assert "April 1, 2028, midnight" in page  # the deadline, in AoE
    assert "UTC−12:00, Anywhere on Earth" in page
    assert "2 days and 0 h left to submit" in page


def test_a_visitor_can_see_the_dates_in_their_own_zone(client):
    edition = EditionFactory(
        cfp_opens_at=datetime(2028, 3, 1, tzinfo=UTC),
        submission_deadline=datetime(2028, 7, 1, 12, tzinfo=UTC),
    )
    page = client.get(edition.get_absolute_url(), {"tz": "Europe/Paris"}).content.decode()
    assert "July 1, 2028, 2 p.m." in page
    assert "UTC+02:00" in page
    page = client.get(edition.get_absolute_url(), {"tz": "Not/AZone"}).content.decode()
    assert "July 1, 2028, midnight" in page  # an unknown zone falls back to the call's own


def test_a_french_visitor_reads_the_french_call_and_the_english_one_where_french_is_missing(client):
    edition = EditionFactory(
        title={"en": "Call 2028", "fr": "Appel 2028"}, call_text={"en": "<p>English only text.</p>"}
    )
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    page = client.get(edition.get_absolute_url()).content.decode()
    assert "Appel 2028" in page
    assert "English only text." in page
    assert "Éducation de qualité" in page


def test_call_text_is_sanitised_when_saved():
    edition = EditionFactory(
        call_text={"en": '<p onclick="steal()">Hi <script>alert(1)</script><a href="javascript:x">x</a></p>'}
    )
    edition.refresh_from_db()
    text = edition.call_text["en"]
    assert "<script" not in text and "onclick" not in text and "javascript:" not in text
    assert text.startswith("<p>Hi")


def test_the_series_page_lists_the_current_and_the_earlier_editions(client, django_assert_max_num_queries):
    series = SeriesFactory()
    now = timezone.now()
    for year, offset in [(2022, 6), (2025, 3), (2028, 0)]:
        EditionFactory(series=series, year=year, cfp_opens_at=now - timedelta(days=365 * offset + 10))
    with django_assert_max_num_queries(3):
        page = client.get(series.get_absolute_url()).content.decode()
    assert page.index("Call 2028") < page.index("Earlier editions") < page.index("2025: Call 2025")


def test_an_unannounced_edition_is_not_public(client):
    edition = EditionFactory(announced=False)
    assert client.get(edition.get_absolute_url()).status_code == 404
    assert client.get(edition.series.get_absolute_url()).status_code == 404


def test_the_home_page_lists_open_calls_only(client, django_assert_max_num_queries):
    now = timezone.now()
    open_call = EditionFactory(title={"en": "Open call"}, cfp_opens_at=now - timedelta(days=1))
    EditionFactory(title={"en": "Old call"}, cfp_opens_at=now - timedelta(days=1000))
    with django_assert_max_num_queries(2):
        page = client.get("/").content.decode()
    assert "Open call" in page and open_call.get_absolute_url() in page
    assert "Old call" not in page
