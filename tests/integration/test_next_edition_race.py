"""Two chairs start the next edition at the same moment, on PostgreSQL, in real threads."""

import threading
from datetime import UTC, datetime

from django.core.exceptions import ValidationError
from django.db import connection

from conference.models import Edition, Track
from conference.next_edition import start_next_edition
from tests.factories import EditionFactory

ATTEMPTS = 4


def test_simultaneous_starts_make_one_next_edition_and_tell_the_others(real_services):
    edition = EditionFactory(year=2025, cfp_opens_at=datetime(2025, 1, 15, tzinfo=UTC))
    Track.objects.create(edition=edition, name={"en": "Education"})
    barrier = threading.Barrier(ATTEMPTS)
    outcomes: list[str] = []

    def start():
        try:
            barrier.wait(timeout=30)
            start_next_edition(edition=Edition.objects.get(pk=edition.pk))
            outcomes.append("created")
        except ValidationError as refusal:
            outcomes.append(refusal.code)
        except BaseException as exc:  # noqa: BLE001 - reported below
            outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=start) for _ in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == ["created"] + ["edition_exists"] * (ATTEMPTS - 1), outcomes
    new = Edition.objects.get(series=edition.series, year=2028)
    assert new.tracks.count() == 1  # the winner's carry-over, not one per attempt
