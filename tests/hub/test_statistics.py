"""Usage statistics: views and downloads per paper and month, robots left out, double clicks counted
once, and nothing about the reader kept."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hub import services
from hub.models import MonthlyUsage
from tests.factories import AuthorshipFactory

from .conftest import camera_ready

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:130.0) Gecko/20100101 Firefox/130.0"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


@pytest.fixture
def paper(edition, chair):
    return services.publish(submission=camera_ready(edition), by=chair)


def visit(client, url, *, agent=BROWSER, address="198.51.100.7", **headers):
    response = client.get(url, HTTP_USER_AGENT=agent, REMOTE_ADDR=address, **headers)
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    return response


def counts(paper):
    return list(MonthlyUsage.objects.filter(publication=paper).values_list("month", "views", "downloads"))


def pdf_url(paper):
    return f"/hub/papers/{paper.number}/pdf/"


def test_a_reader_is_counted_once_per_visit_and_again_after_thirty_seconds(client, paper):
    with time_machine.travel(datetime.datetime(2026, 3, 14, 10, 0, tzinfo=datetime.UTC), tick=False) as clock:
        visit(client, paper.get_absolute_url())
        visit(client, paper.get_absolute_url())  # a double click
        visit(client, paper.get_absolute_url(), address="203.0.113.9")  # someone else
        clock.shift(31)
        visit(client, paper.get_absolute_url())
        visit(client, pdf_url(paper))
        visit(client, pdf_url(paper) + "?download=1")  # the same reader, within 30 seconds
    assert counts(paper) == [(datetime.date(2026, 3, 1), 3, 1)]


def test_robots_empty_agents_head_requests_and_later_ranges_are_not_counted(client, paper):
    visit(client, paper.get_absolute_url(), agent=GOOGLEBOT)
    visit(client, pdf_url(paper), agent="python-requests/2.32.3")
    visit(client, pdf_url(paper), agent="")
    client.head(paper.get_absolute_url(), HTTP_USER_AGENT=BROWSER)
    visit(client, pdf_url(paper), HTTP_RANGE="bytes=5000-9999")  # a PDF viewer fetching more of the file
    assert counts(paper) == []
    visit(client, pdf_url(paper), HTTP_RANGE="bytes=0-")
    assert [row[1:] for row in counts(paper)] == [(0, 1)]


def test_each_month_has_its_own_count_and_the_landing_page_shows_the_total(client, paper):
    for day in (datetime.datetime(2026, 1, 31, 23, 0), datetime.datetime(2026, 2, 1, 9, 0)):
        with time_machine.travel(day.replace(tzinfo=datetime.UTC), tick=False):
            visit(client, paper.get_absolute_url())
            visit(client, pdf_url(paper))
    with time_machine.travel(datetime.datetime(2026, 2, 2, 9, 0, tzinfo=datetime.UTC), tick=False):
        page = visit(client, paper.get_absolute_url()).content.decode()
    assert counts(paper) == [(datetime.date(2026, 1, 1), 1, 1), (datetime.date(2026, 2, 1), 2, 1)]
    assert "3 views · 2 downloads" in page


def test_a_withdrawn_paper_is_not_counted(client, chair, paper):
    services.withdraw(publication=paper, by=chair, reason="A duplicate.")
    assert visit(client, paper.get_absolute_url()).status_code == 410
    assert visit(client, pdf_url(paper)).status_code == 410
    assert counts(paper) == []


def test_nothing_about_the_reader_is_stored(client, paper):
    agent = "Mozilla/5.0 (Convene-reader-7c1f) Gecko/20100101 Firefox/130.0"
    visit(client, paper.get_absolute_url(), agent=agent, address="192.0.2.146")
    visit(client, pdf_url(paper), agent=agent, address="192.0.2.146")
    assert counts(paper) != []
    dump = io.StringIO()
    call_command("dumpdata", stdout=dump)
    assert "192.0.2.146" not in dump.getvalue() and "Convene-reader-7c1f" not in dump.getvalue()


def test_the_statistics_page_charts_the_months_and_lists_the_most_read(client, edition, chair, paper):
    quiet = services.publish(submission=camera_ready(edition, title="Nobody reads this"), by=chair)
    popular = services.publish(submission=camera_ready(edition, title="Everybody reads this"), by=chair)
    with time_machine.travel(datetime.datetime(2026, 5, 20, 12, 0, tzinfo=datetime.UTC), tick=False):
        for publication, month, seen, fetched in [
            (popular, datetime.date(2026, 5, 1), 40, 9),
            (paper, datetime.date(2026, 4, 1), 12, 3),
            (paper, datetime.date(2024, 4, 1), 500, 1),
        ]:
            MonthlyUsage.objects.create(publication=publication, month=month, views=seen, downloads=fetched)
        page = client.get("/hub/statistics/").content.decode()
    assert "read 552 times and downloaded 13 times" in page
    assert "<title>May 2026: 40 views</title>" in page and "<title>April 2026: 3 downloads</title>" in page
    assert "June 2025" in page and "May 2025" not in page  # twelve months, this one last
    most_read = page[page.index("Most read papers") :]
    assert most_read.index("Everybody reads this") < most_read.index(paper.title)
    assert "Nobody reads this" not in most_read
    assert "9 downloads" in most_read and "12 views" in most_read  # April 2024 is out of the window
    assert quiet.pk


def test_the_statistics_page_says_so_when_nothing_was_read(client, db):
    page = client.get("/hub/statistics/").content.decode()
    assert "Nobody has read a paper in these months yet." in page and "read 0 times" in page


def test_statistics_and_a_counted_landing_page_cost_the_same_for_few_or_many(client, edition, chair, paper):
    def cost(url, address):
        with CaptureQueriesContext(connection) as queries:
            assert visit(client, url, address=address).status_code == 200
        return len(queries)

    services.publish(submission=camera_ready(edition, title="A neighbour"), by=chair)  # one related paper
    this_month = datetime.date.today().replace(day=1)
    MonthlyUsage.objects.create(publication=paper, month=this_month, views=1)
    few = cost("/hub/statistics/", "a"), cost(paper.get_absolute_url(), "192.0.2.1")
    crowded = camera_ready(edition, title="Many authors")
    for position in range(2, 9):
        AuthorshipFactory(submission=crowded, position=position)
    many = services.publish(submission=crowded, by=chair)
    MonthlyUsage.objects.create(publication=many, month=this_month, views=5)
    for n in range(12):
        other = services.publish(submission=camera_ready(edition, title=f"Paper {n}"), by=chair)
        MonthlyUsage.objects.create(publication=other, month=this_month, downloads=n)
    assert (cost("/hub/statistics/", "a"), cost(many.get_absolute_url(), "192.0.2.1")) == few
