from datetime import UTC, datetime

import pytest
from django.urls import reverse

from conference.forms import EditionSettingsForm
from conference.models import Edition, Role
from tests.factories import EditionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    return EditionFactory(
        year=2028, languages=["en", "fr"], time_zone="AoE", cfp_opens_at=datetime(2028, 1, 1, 12, tzinfo=UTC)
    )


@pytest.fixture
def chair_client(client, edition):
    chair = UserFactory()
    Role.objects.create(edition=edition, user=chair, kind=Role.Kind.CHAIR)
    client.force_login(chair)
    return client


def form_data(edition, **changes):
    """What the settings page posts back when nothing is changed, plus `changes`."""
    form = EditionSettingsForm(instance=edition)
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        widget_data = field.widget.format_value(value) if hasattr(field.widget, "format_value") else value
        if isinstance(value, dict) or name in ("title", "call_text"):
            for i, text in enumerate(field.widget.decompress(value)):
                data[f"{name}_{i}"] = text
        elif isinstance(value, list):
            data[name] = value
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = widget_data if widget_data is not None else ""
    data.update(changes)
    return data


def url(edition):
    return reverse("conference:settings", args=[edition.series.slug, edition.year])


def test_the_settings_page_shows_dates_in_the_calls_zone(chair_client, edition):
    page = chair_client.get(url(edition)).content.decode()
    # 2028-01-01 12:00 UTC is midnight Anywhere on Earth.
    assert 'value="2028-01-01T00:00"' in page
    assert "Anywhere on Earth" in page


def test_a_chair_changes_title_languages_and_a_deadline_typed_in_the_calls_zone(chair_client, edition):
    data = form_data(
        edition,
        title_0="Call for papers 2028",
        title_1="Appel à communications 2028",
        other_languages=["fr", "es"],
        submission_deadline="2028-04-01T00:00",
    )
    response = chair_client.post(url(edition), data, follow=True)
    assert "The settings are saved." in response.content.decode()
    edition.refresh_from_db()
    assert edition.title == {"en": "Call for papers 2028", "fr": "Appel à communications 2028"}
    assert edition.languages == ["en", "fr", "es"]
    assert edition.submission_deadline == datetime(2028, 4, 1, 12, tzinfo=UTC)


def test_a_timeline_out_of_order_is_refused_and_the_typed_values_kept(chair_client, edition):
    data = form_data(edition, review_deadline="2027-12-01T00:00", title_0="Kept title")
    page = chair_client.post(url(edition), data).content.decode()
    assert "This must not come before" in page
    assert 'value="Kept title"' in page
    edition.refresh_from_db()
    assert edition.title == {"en": "Call 2028"}


def test_a_save_over_another_chairs_newer_settings_is_refused(chair_client, edition):
    data = form_data(edition, title_0="Mine")
    Edition.objects.filter(pk=edition.pk).update(
        title={"en": "Theirs"}, updated_at=datetime(2030, 1, 1, tzinfo=UTC)
    )
    page = chair_client.post(url(edition), data).content.decode()
    assert "Another chair changed these settings while you were editing them." in page
    edition.refresh_from_db()
    assert edition.title == {"en": "Theirs"}
