"""manage.py import_publications: a dry run reports every row's problems; nothing is written unless every
row is sound; a sound file makes publications with their authors, SDGs, PDF and search text."""

import csv
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from hub.models import Publication
from submissions.demo_pdf import make_pdf
from tests.factories import EditionFactory, SeriesFactory

HEADER = [
    "title", "abstract", "language", "authors", "published_on", "pdf", "keywords", "sdgs", "key_messages",
    "licence", "doi", "call",
]  # fmt: skip


def write_csv(folder, rows):
    (folder / "paper.pdf").write_bytes(make_pdf(title="Imported"))
    (folder / "not-a.pdf").write_bytes(b"hello")
    path = folder / "papers.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


GOOD = [
    "Mutual aid in Dakar", "How savings groups insure their members.", "fr",
    "Awa Diop | Université Cheikh Anta Diop | SN | 0000-0002-1825-0097; ILO", "2019-05-20", "paper.pdf",
    "tontines; insurance", "1; 8", "Recognise savings groups.|Insure through them.", "", "10.5281/zenodo.9",
    "sse:2019",
]  # fmt: skip


@pytest.fixture
def call(db):
    return EditionFactory(series=SeriesFactory(slug="sse"), year=2019, title={"en": "SSE 2019"})


def run(path, *options):
    out, err = StringIO(), StringIO()
    call_command("import_publications", str(path), *options, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_sound_file_is_imported_with_everything(tmp_path, call):
    out, _err = run(write_csv(tmp_path, [GOOD]))
    assert "1 publication(s) imported: 1." in out
    publication = Publication.objects.get()
    assert (publication.title, publication.language, publication.edition, publication.doi) == (
        "Mutual aid in Dakar",
        "fr",
        call,
        "10.5281/zenodo.9",
    )
    assert [(a.name, a.country.code, a.orcid) for a in publication.authors.all()] == [
        ("Awa Diop", "SN", "0000-0002-1825-0097"),
        ("ILO", "", ""),
    ]
    assert sorted(t.sdg_number for t in publication.topics.all()) == [1, 8]
    assert publication.key_messages == ["Recognise savings groups.", "Insure through them."]
    assert (
        publication.current_file().file.read().startswith(b"%PDF") and "Awa Diop" in publication.authors_text
    )


def test_a_dry_run_checks_and_writes_nothing(tmp_path, call):
    out, _err = run(write_csv(tmp_path, [GOOD, GOOD]), "--dry-run")
    assert "2 row(s) can be imported (dry run" in out
    assert not Publication.objects.exists()


def test_every_problem_of_every_row_is_reported_and_nothing_is_written(tmp_path, call):
    bad = list(GOOD)
    bad[2], bad[4], bad[5], bad[7], bad[9], bad[11] = (
        "de",
        "20 May 2019",
        "not-a.pdf",
        "18",
        "CC0",
        "sse:1999",
    )
    worse = list(GOOD)
    worse[0], worse[3], worse[5] = "", "Ann | | XX | 1234", "missing.pdf"
    path = write_csv(tmp_path, [GOOD, bad, worse])
    with pytest.raises(CommandError, match="nothing was imported"):
        run(path, "--dry-run")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_publications", str(path), stderr=err)
    report = err.getvalue()
    expected_problems = [
        "row 3: language 'de'", "row 3: published_on '20 May 2019'",
        "row 3: pdf 'not-a.pdf': This file is not a PDF", "row 3: SDG '18'", "row 3: licence 'CC0'",
        "row 3: call 'sse:1999'", "row 4: title is empty", "row 4: country 'XX' of Ann",
        "row 4: ORCID iD '1234' of Ann", "row 4: pdf 'missing.pdf' is not a file",
    ]  # fmt: skip
    for expected in expected_problems:
        assert expected in report, report
    assert "row 2" not in report
    assert not Publication.objects.exists()


def test_a_file_without_the_required_columns_is_refused(tmp_path, db):
    path = tmp_path / "papers.csv"
    path.write_text("title,abstract\nA,B\n", encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_publications", str(path), stderr=err)
    assert "the header lacks the column(s): language, authors, published_on, pdf" in err.getvalue()
