"""The chair's page for a published paper: corrections make versions and tell the authors, a stale
form saves nothing and keeps the chair's text, a withdrawal needs a reason and happens once."""

import io

import pytest
from django.core.exceptions import ValidationError

from hub import services
from hub.models import Publication
from notifications.models import OutboxMessage
from submissions.demo_pdf import make_pdf
from tests.factories import EditionFactory, UserFactory

from .conftest import camera_ready


@pytest.fixture
def published(edition, chair):
    return services.publish(submission=camera_ready(edition), by=chair)


def url(edition, publication):
    return f"/calls/{edition.series.slug}/{edition.year}/chair/publish/{publication.number}/"


def correction(publication, **changes):
    data = {"title": publication.title, "abstract": publication.abstract, "keywords": "cooperative banks",
            "key_messages": "Lend locally.", "doi": "", "note": "",
            "version": publication.version}  # fmt: skip
    data.update(changes)
    return data


def mails_to_authors(subject_start):
    return OutboxMessage.objects.filter(subject__startswith=subject_start).count()


def test_a_correction_makes_a_version_moves_the_address_and_tells_the_authors(
    client, edition, chair, published
):
    client.force_login(chair)
    data = correction(published, title="Solidarity finance in towns", doi="10.5281/zenodo.777",
                      note="The title named the wrong places.", keywords="banks, towns",
                      key_messages="Lend locally.\nGuarantee loans.")  # fmt: skip
    response = client.post(url(edition, published), data)
    assert response.status_code == 302
    published.refresh_from_db()
    assert (published.version, published.slug, published.doi) == (
        2,
        "solidarity-finance-in-towns",
        "10.5281/zenodo.777",
    )
    assert published.keywords == ["banks", "towns"] and published.key_messages == [
        "Lend locally.",
        "Guarantee loans.",
    ]
    assert client.get("/hub/papers/1/solidarity-finance-in-cities/").status_code == 301
    page = client.get(published.get_absolute_url()).content.decode()
    assert (
        "This is version 2" in page
        and "The title named the wrong places." in page
        and "10.5281/zenodo.777" in page
    )
    assert mails_to_authors("A correction to your published paper") == 2  # Ana Núñez and the ILO
    from hub.search import Search

    assert [p.number for p in Search.from_query({"q": "towns"}).results()] == [published.number]


def test_a_corrected_pdf_must_be_a_pdf_and_a_note_is_required(client, edition, chair, published):
    client.force_login(chair)
    data = correction(published, note="New figures.")
    data["pdf"] = io.BytesIO(b"not a pdf at all")
    data["pdf"].name = "paper.pdf"
    page = client.post(url(edition, published), data).content.decode()
    assert "This file is not a PDF" in page
    page = client.post(url(edition, published), correction(published, title="Changed")).content.decode()
    assert "This field is required." in page and 'value="Changed"' in page  # the chair's text stays
    published.refresh_from_db()
    assert published.version == 1 and published.title == "Solidarity finance in cities"
    good = correction(published, note="New figures.")
    good["pdf"] = io.BytesIO(make_pdf(title="Corrected"))
    good["pdf"].name = "paper.pdf"
    assert client.post(url(edition, published), good).status_code == 302
    assert published.files.count() == 2


def test_a_stale_form_saves_nothing_and_keeps_the_chairs_text(client, edition, chair, published):
    services.correct(publication=published, by=chair, note="Someone else's fix.", doi="10.5281/zenodo.1")
    client.force_login(chair)
    stale = correction(published, title="My own title", note="My fix.", version=1)
    page = client.post(url(edition, published), stale).content.decode()
    assert "Someone else corrected or withdrew this paper while you were editing" in page
    assert 'value="My own title"' in page and 'name="version" value="2"' in page
    published.refresh_from_db()
    assert (published.version, published.title, published.doi) == (
        2,
        "Solidarity finance in cities",
        "10.5281/zenodo.1",
    )


def test_a_withdrawal_needs_a_reason_happens_once_and_tells_the_authors(client, edition, chair, published):
    client.force_login(chair)
    page = client.post(url(edition, published), {"withdraw": "1", "reason": " "}).content.decode()
    assert "This field is required." in page
    for _click in range(2):  # a double click
        client.post(url(edition, published), {"withdraw": "1", "reason": "Published twice by mistake."})
    published.refresh_from_db()
    assert published.withdrawn_at and published.withdrawal_reason == "Published twice by mistake."
    assert mails_to_authors("Your paper was withdrawn from the hub") == 2
    assert client.get(published.get_absolute_url()).status_code == 410
    page = client.get(url(edition, published)).content.decode()
    assert "Withdrawn on" in page and "Save as a new version" not in page


def test_another_calls_chair_and_another_calls_paper_are_refused(client, edition, chair, published):
    other = EditionFactory()
    stranger = UserFactory()
    from conference.models import Role

    Role.objects.create(edition=other, user=stranger, kind=Role.Kind.CHAIR)
    client.force_login(stranger)
    assert client.get(url(edition, published)).status_code == 403
    assert client.post(url(edition, published), {"withdraw": "1", "reason": "No."}).status_code == 403
    Role.objects.create(edition=other, user=chair, kind=Role.Kind.CHAIR)
    client.force_login(chair)
    assert client.get(url(other, published)).status_code == 404  # the paper is not of that call
    assert Publication.objects.get().withdrawn_at is None


def test_a_chair_in_conflict_with_the_paper_can_neither_correct_nor_withdraw_it(client, edition, chair,
                                                                                  published):  # fmt: skip
    from submissions.models import Conflict

    Conflict.objects.create(submission=published.submission, user=chair, kind=Conflict.Kind.ADDED_BY_CHAIR)
    client.force_login(chair)
    assert client.get(url(edition, published)).status_code == 403
    assert client.post(url(edition, published), {"withdraw": "1", "reason": "Mine."}).status_code == 403
    with pytest.raises(ValidationError, match="not in conflict"):
        services.withdraw(publication=published, by=chair, reason="Mine.")
    published.refresh_from_db()
    assert published.withdrawn_at is None
