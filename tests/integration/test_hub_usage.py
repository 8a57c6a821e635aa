"""Readers arriving at once on PostgreSQL, in real threads: every view is counted, including the
ones that race to create a month's first row."""

from __future__ import annotations

import datetime

from django.test import Client

from hub.models import MonthlyUsage, Publication
from hub.statistics import DOWNLOAD, VIEW, add
from tests.integration.threads import errors_in, race

READERS = 16


def publication() -> Publication:
    return Publication.objects.create(
        number=1, title="Solidarity finance in cities", abstract="Lending locally.", language="en",
        licence="CC-BY-4.0", published_on=datetime.date(2026, 1, 15),
    )  # fmt: skip


def test_readers_racing_for_a_months_first_row_are_all_counted(real_services):
    paper = publication()
    month = datetime.date(2026, 2, 1)
    outcomes = race(*[lambda what=what: add(paper.pk, month, what) for what in [VIEW, DOWNLOAD] * READERS])
    assert errors_in(outcomes) == []
    row = MonthlyUsage.objects.get(publication=paper, month=month)
    assert (row.views, row.downloads) == (READERS, READERS)


def test_readers_on_the_landing_page_at_once_are_each_counted(real_services):
    paper = publication()

    def read(address: str) -> int:
        return Client().get(paper.get_absolute_url(), HTTP_USER_AGENT="Mozilla/5.0 Firefox/130.0",
                            REMOTE_ADDR=address).status_code  # fmt: skip

    outcomes = race(*[lambda n=n: read(f"198.51.100.{n}") for n in range(READERS)])
    assert outcomes == [200] * READERS
    assert sum(MonthlyUsage.objects.filter(publication=paper).values_list("views", flat=True)) == READERS
