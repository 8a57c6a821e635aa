from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from conference.models import Edition
from conference.timezones import utc_offset, zone
from tests.factories import EditionFactory

pytestmark = pytest.mark.django_db
Phase = Edition.Phase


def aoe(*args) -> datetime:
    return datetime(*args, tzinfo=zone("AoE"))


def test_an_anywhere_on_earth_deadline_closes_at_noon_utc_the_next_day():
    # "Submit by 31 March AoE": until the end of 31 March, UTC-12, which is 1 April 12:00 UTC.
    deadline = aoe(2028, 3, 31) + timedelta(days=1)
    edition = EditionFactory(cfp_opens_at=aoe(2028, 1, 1), submission_deadline=deadline)
    edition.refresh_from_db()
    assert edition.submission_deadline == datetime(2028, 4, 1, 12, 0, tzinfo=UTC)
    with time_machine.travel(datetime(2028, 4, 1, 11, 59, 59, tzinfo=UTC), tick=False):
        assert edition.is_open
        assert edition.phase == Phase.OPEN
    with time_machine.travel(datetime(2028, 4, 1, 12, 0, 1, tzinfo=UTC), tick=False):
        assert not edition.is_open
        assert edition.phase == Phase.REVIEWING
    assert not edition.accepts_submissions_at(datetime(2028, 4, 1, 12, 0, 0, tzinfo=UTC))


def test_the_phase_follows_the_timeline_then_the_chairs_actions():
    opens = datetime(2028, 1, 10, 9, tzinfo=UTC)
    edition = EditionFactory(cfp_opens_at=opens)
    moments = [
        (opens - timedelta(seconds=1), Phase.UPCOMING),
        (opens, Phase.OPEN),
        (edition.submission_deadline, Phase.REVIEWING),
        (edition.review_deadline, Phase.DECIDING),
        (edition.notification_date, Phase.NOTIFIED),
        (edition.camera_ready_deadline, Phase.CAMERA_READY),
    ]
    assert [edition.phase_at(moment) for moment, _phase in moments] == [phase for _moment, phase in moments]
    edition.published_at = edition.camera_ready_deadline + timedelta(days=10)
    assert edition.phase_at(edition.published_at) == Phase.PUBLISHED
    assert edition.phase_at(edition.published_at - timedelta(seconds=1)) == Phase.CAMERA_READY
    edition.closed_at = edition.published_at + timedelta(days=400)
    assert edition.phase_at(edition.closed_at) == Phase.CLOSED


def test_a_timeline_out_of_order_is_refused_with_the_field_named():
    edition = EditionFactory.build(cfp_opens_at=datetime(2028, 1, 1, tzinfo=UTC))
    edition.series.save()
    edition.series_id = edition.series.pk
    edition.review_deadline = edition.submission_deadline - timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        edition.full_clean()
    assert "review_deadline" in error.value.message_dict
    assert "submission deadline" in error.value.message_dict["review_deadline"][0]


def test_the_database_refuses_a_timeline_out_of_order_too():
    with pytest.raises(IntegrityError):
        EditionFactory(
            cfp_opens_at=datetime(2028, 1, 1, tzinfo=UTC),
            submission_deadline=datetime(2027, 1, 1, tzinfo=UTC),
        )


def test_two_editions_of_a_series_cannot_share_a_year():
    edition = EditionFactory(year=2028)
    with pytest.raises(IntegrityError):
        EditionFactory(series=edition.series, year=2028)


@pytest.mark.parametrize(
    "moment, name, expected",
    [
        (datetime(2028, 1, 15, 12, tzinfo=UTC), "Europe/Paris", "UTC+01:00"),
        (datetime(2028, 7, 15, 12, tzinfo=UTC), "Europe/Paris", "UTC+02:00"),
        (datetime(2028, 7, 15, 12, tzinfo=UTC), "AoE", "UTC−12:00"),
        (datetime(2028, 7, 15, 12, tzinfo=UTC), "America/Bogota", "UTC−05:00"),
        (datetime(2028, 7, 15, 12, tzinfo=UTC), "Asia/Kolkata", "UTC+05:30"),
    ],
)
def test_dates_show_the_utc_offset_of_their_own_moment(moment, name, expected):
    assert utc_offset(moment, name) == expected
