"""Two chairs acting on one published paper at once, on PostgreSQL in real threads: one correction
wins and the other is told; a paper is withdrawn once and its authors are told once."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from conference.models import Role
from hub import services
from hub.models import Publication
from notifications.models import OutboxMessage
from tests.factories import EditionFactory, SeriesFactory, UserFactory
from tests.hub.conftest import camera_ready
from tests.integration.threads import errors_in, race


@pytest.fixture
def scene(real_services):
    importlib.import_module("conference.migrations.0002_sustainable_development_goals").add_sdgs(apps, None)
    edition = EditionFactory(series=SeriesFactory(slug="sse"), year=2028)
    chairs = UserFactory.create_batch(2)
    for chair in chairs:
        Role.objects.create(edition=edition, user=chair, kind=Role.Kind.CHAIR)
    return chairs, services.publish(submission=camera_ready(edition), by=chairs[0])


def test_two_corrections_of_one_version_at_once_one_wins_the_other_is_told(scene):
    chairs, paper = scene

    def correct(by, doi: str):
        return services.correct(publication=paper, by=by, note=f"DOI {doi}.", doi=doi, version=1)

    dois = ("10.5281/zenodo.1", "10.5281/zenodo.2")
    outcomes = race(*[lambda by=by, doi=doi: correct(by, doi) for by, doi in zip(chairs, dois, strict=True)])
    (refusal,) = errors_in(outcomes)
    assert isinstance(refusal, services.StaleCorrection)
    paper.refresh_from_db()
    (winner,) = [outcome for outcome in outcomes if isinstance(outcome, Publication)]
    assert (paper.version, paper.doi) == (2, winner.doi) and paper.files.count() == 2


def test_two_withdrawals_at_once_withdraw_once_and_tell_the_authors_once(scene):
    chairs, paper = scene
    outcomes = race(*[
        lambda by=by: services.withdraw(publication=paper, by=by, reason=f"Duplicate, says {by.pk}.")
        for by in chairs
    ])  # fmt: skip
    assert errors_in(outcomes) == []
    paper.refresh_from_db()
    assert paper.withdrawn_at is not None
    assert (
        OutboxMessage.objects.filter(subject__startswith="Your paper was withdrawn").count() == 2
    )  # 2 authors


def test_an_import_and_publishing_at_once_take_different_numbers(scene, tmp_path):
    from tests.hub.test_import import GOOD, run, write_csv

    chairs, first = scene
    edition = first.edition
    papers = [camera_ready(edition, title=f"Paper {n}") for n in range(3)]
    path = write_csv(tmp_path, [[f"Imported {n}", *GOOD[1:-1], ""] for n in range(3)])

    outcomes = race(
        lambda: run(path),
        *[lambda paper=paper: services.publish(submission=paper, by=chairs[0]) for paper in papers],
    )
    assert errors_in(outcomes) == []
    numbers = sorted(Publication.objects.values_list("number", flat=True))
    assert numbers == list(range(1, 8))  # the first paper, three imported, three published
