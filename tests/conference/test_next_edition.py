import io
from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from conference.models import Edition, Question, SubmissionType, Topic, Track
from conference.next_edition import carry_overs, shift_years, start_next_edition
from conference.timezones import zone
from tests.factories import EditionFactory, SeriesFactory

pytestmark = pytest.mark.django_db

PARIS = zone("Europe/Paris")


@pytest.fixture
def edition_2025():
    # In Paris: opens in winter (UTC+1), deadline in summer (UTC+2): the DST change lies between.
    edition = EditionFactory(
        series=SeriesFactory(slug="sse", cadence_years=3),
        year=2025,
        title={"en": "Call for papers 2025", "fr": "Appel 2025"},
        time_zone="Europe/Paris",
        cfp_opens_at=datetime(2025, 1, 15, 9, 0, tzinfo=PARIS),
        submission_deadline=datetime(2025, 5, 31, 23, 59, 59, tzinfo=PARIS),
        review_deadline=datetime(2025, 8, 1, 12, 0, tzinfo=PARIS),
        notification_date=datetime(2025, 10, 1, 12, 0, tzinfo=PARIS),
        camera_ready_deadline=datetime(2025, 11, 30, 23, 59, tzinfo=PARIS),
        published_at=datetime(2026, 1, 10, tzinfo=UTC),
    )
    Track.objects.create(edition=edition, name={"en": "Education"}, position=1)
    Track.objects.create(edition=edition, name={"en": "Local development"}, position=2)
    SubmissionType.objects.create(edition=edition, name={"en": "Policy brief"}, page_limit=6)
    Topic.objects.create(edition=edition, name={"en": "Cooperatives"})
    Question.objects.create(
        edition=edition, text={"en": "Region?"}, kind=Question.Kind.CHOICE,
        options=[{"en": "Africa"}, {"en": "Europe"}], required=True,
    )  # fmt: skip
    return edition


def test_the_next_edition_comes_three_years_later_at_the_same_local_times(edition_2025):
    new = start_next_edition(edition=edition_2025)
    new.refresh_from_db()
    assert new.year == 2028
    assert new.title == {"en": "Call for papers 2028", "fr": "Appel 2028"}
    for name in Edition.TIMELINE:
        before, after = getattr(edition_2025, name).astimezone(PARIS), getattr(new, name).astimezone(PARIS)
        assert (after.year - before.year, after.month, after.day, after.hour, after.minute, after.second) == (
            3, before.month, before.day, before.hour, before.minute, before.second
        ), name  # fmt: skip
    # Same wall clock, though the UTC offsets differ between winter and summer.
    assert new.submission_deadline == datetime(2028, 5, 31, 21, 59, 59, tzinfo=UTC)
    assert new.cfp_opens_at == datetime(2028, 1, 15, 8, 0, tzinfo=UTC)
    assert (new.announced, new.published_at, new.closed_at) == (False, None, None)


def test_the_next_edition_carries_over_tracks_types_and_keywords_and_nothing_else(edition_2025):
    new = start_next_edition(edition=edition_2025)
    assert [str(t.name) for t in new.tracks.all()] == ["Education", "Local development"]
    assert [(str(t.name), t.page_limit) for t in new.submission_types.all()] == [("Policy brief", 6)]
    assert [str(k.name) for k in new.keywords.all()] == ["Cooperatives"]
    assert [(str(q.text), q.option_labels(), q.required) for q in new.questions.all()] == [
        ("Region?", ["Africa", "Europe"], True)
    ]
    assert Topic.objects.sdgs().count() == 17  # shared, not copied
    assert edition_2025.tracks.count() == 2  # the old edition keeps its own
    assert set(carry_overs()) == {"conference", "reviews"}  # what else may carry over is registered


def test_starting_an_edition_that_exists_is_refused_with_a_clear_message(edition_2025):
    start_next_edition(edition=edition_2025)
    with pytest.raises(ValidationError) as refusal:
        start_next_edition(edition=edition_2025)
    assert refusal.value.messages == [
        "The 2028 edition already exists: open it instead of starting it again."
    ]
    assert Edition.objects.filter(year=2028).count() == 1


def test_in_the_demo_the_open_2028_call_leads_to_2031():
    call_command("seed_demo", force=True, stdout=io.StringIO())
    new = start_next_edition(edition=Edition.objects.get(year=2028))
    assert new.year == 2031
    assert new.tracks.count() == 4


def test_29_february_moves_to_the_28th_in_a_common_year():
    moved = shift_years(datetime(2028, 2, 29, 18, 0, tzinfo=PARIS), 3, PARIS)
    assert (moved.year, moved.month, moved.day, moved.hour) == (2031, 2, 28, 18)


def test_staff_start_the_next_edition_from_the_admin(staff_client, edition_2025):
    response = staff_client.post(
        "/admin/conference/edition/",
        {"action": "start_next", "_selected_action": [edition_2025.pk]},
        follow=True,
    )
    assert "is ready as a draft" in response.content.decode()
    response = staff_client.post(
        "/admin/conference/edition/",
        {"action": "start_next", "_selected_action": [edition_2025.pk]},
        follow=True,
    )
    assert "The 2028 edition already exists" in response.content.decode()


def test_a_series_presets_the_settings_of_a_first_edition_added_in_the_admin(staff_client):
    series = SeriesFactory(slug="retreats", edition_defaults={"blind_mode": "open", "reviews_per_paper": 2})
    form = staff_client.get(f"/admin/conference/edition/add/?series={series.pk}").context["adminform"].form
    assert (form.initial["blind_mode"], form.initial["reviews_per_paper"]) == ("open", 2)


def test_a_series_default_that_is_not_an_edition_setting_is_refused():
    series = SeriesFactory.build(slug="x", name={"en": "X"}, edition_defaults={"colour": "blue"})
    with pytest.raises(ValidationError, match="Not an edition setting: colour"):
        series.full_clean()
