import csv
import hashlib
import io
import random
import zipfile
from datetime import timedelta

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation
from conference.models import Role, SubmissionType, Topic, Track
from submissions import archives
from submissions.models import Archive, Conflict, StateChange, Submission
from tests.factories import (
    AuthorshipFactory,
    EditionFactory,
    OrganisationFactory,
    SubmissionFactory,
    UserFactory,
    add_document,
)

pytestmark = pytest.mark.django_db
State = Submission.State


def url(name, edition, *args):
    return reverse(f"submissions:{name}", args=[edition.series.slug, edition.year, *args])


@pytest.fixture
def chair_client(client, chair):
    client.force_login(chair)
    return client


def listed(client, edition, **params):
    response = client.get(url("chair_list", edition), params)
    assert response.status_code == 200
    return [row["submission"].number for row in response.context["papers"]]


def csv_rows(client, edition, **params):
    response = client.get(url("export", edition, "csv"), params)
    assert response.status_code == 200
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # for Excel
    return list(csv.reader(io.StringIO(text[1:])))


def xlsx_rows(client, edition, **params):
    response = client.get(url("export", edition, "xlsx"), params)
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]


def build_zip(client, edition, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("start_archive", edition))
    archive = Archive.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])
    archive.refresh_from_db()
    assert archive.state == Archive.State.DONE, archive.error
    download = client.get(url("archive_download", edition, archive.pk))
    assert download.status_code == 200
    return zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))


# --- The list --------------------------------------------------------------------------------------


def test_each_filter_narrows_the_list(chair_client, edition):
    other_track = Track.objects.create(edition=edition, name={"en": "Housing"})
    other_type = SubmissionType.objects.create(edition=edition, name={"en": "Short paper"})
    sdg1, sdg2 = Topic.objects.sdgs()[:2]
    plain = SubmissionFactory(edition=edition, authors=0, topics=1)
    AuthorshipFactory(submission=plain, country="FR")
    special = SubmissionFactory(
        edition=edition, state=State.UNDER_REVIEW, track=other_track, submission_type=other_type, authors=0
    )
    special.topics.set([sdg2])
    observer = UserFactory(organisation=OrganisationFactory(kind=Organisation.Kind.OBSERVER))
    AuthorshipFactory(submission=special, country="FR")
    AuthorshipFactory(submission=special, country="KE", user=observer)

    assert listed(chair_client, edition) == [plain.number, special.number]
    for params in [
        {"state": "under_review"},
        {"track": other_track.pk},
        {"type": other_type.pk},
        {"topic": sdg2.pk},
        {"country": "KE"},
        {"org_kind": "observer"},
    ]:
        assert listed(chair_client, edition, **params) == [special.number], params
    assert listed(chair_client, edition, topic=sdg1.pk) == [plain.number]
    # A paper matching through two authors shows once, with all its authors counted.
    response = chair_client.get(url("chair_list", edition), {"country": "FR"})
    rows = [row["submission"] for row in response.context["papers"]]
    assert [p.number for p in rows] == [plain.number, special.number]
    assert [p.author_count for p in rows] == [1, 2]
    # Nonsense is ignored rather than an error.
    assert listed(chair_client, edition, state="nonsense", track="x", sort="drop table") == [
        plain.number,
        special.number,
    ]


def test_search_finds_title_abstract_and_author(chair_client, edition):
    by_title = SubmissionFactory(edition=edition, title="Mutual aid in Dakar")
    by_abstract = SubmissionFactory(edition=edition, abstract="Platform cooperatives and GIG WORKERS.")
    by_author = SubmissionFactory(edition=edition, authors=0)
    AuthorshipFactory(submission=by_author, name="Wangari Muta", email="wm@coop.example")
    AuthorshipFactory(submission=by_author, name="Wangari Muta Jr", email="wmj@coop.example")
    SubmissionFactory(edition=edition)

    assert listed(chair_client, edition, q="mutual aid") == [by_title.number]
    assert listed(chair_client, edition, q="gig workers") == [by_abstract.number]
    assert listed(chair_client, edition, q="wangari") == [by_author.number]  # once, though two authors match
    assert listed(chair_client, edition, q="coop.example") == [by_author.number]


def test_the_list_sorts(chair_client, edition):
    b = SubmissionFactory(edition=edition, title="Banks")
    a = SubmissionFactory(edition=edition, title="Associations")
    c = SubmissionFactory(edition=edition, title="Credit unions", state=State.UNDER_REVIEW)
    assert listed(chair_client, edition, sort="title") == [a.number, b.number, c.number]
    assert listed(chair_client, edition, sort="-title") == [c.number, b.number, a.number]
    assert listed(chair_client, edition, sort="-number") == [c.number, a.number, b.number]
    assert listed(chair_client, edition, sort="state") == [b.number, a.number, c.number]


def test_pages_keep_the_filters(chair_client, edition):
    SubmissionFactory.create_batch(55, edition=edition)
    SubmissionFactory.create_batch(3, edition=edition, state=State.UNDER_REVIEW)
    response = chair_client.get(url("chair_list", edition), {"state": "submitted", "sort": "-number"})
    page = response.content.decode()
    assert response.context["page"].paginator.count == 55
    assert len(response.context["papers"]) == 50
    assert "?state=submitted&amp;sort=-number&amp;page=2" in page
    assert "55 papers" in page
    second = chair_client.get(
        url("chair_list", edition), {"state": "submitted", "sort": "-number", "page": 2}
    )
    assert len(second.context["papers"]) == 5
    assert "page=2&amp;page" not in second.content.decode()


def test_empty_states_say_why(chair_client, edition):
    page = chair_client.get(url("chair_list", edition)).content.decode()
    assert "No papers have been submitted yet." in page
    SubmissionFactory(edition=edition)
    page = chair_client.get(url("chair_list", edition), {"q": "nothing like this"}).content.decode()
    assert "No submissions match these filters." in page


def test_the_list_shows_a_rows_details(chair_client, edition):
    paper = SubmissionFactory(
        edition=edition, title="Zakat and microfinance", authors=2, topics=1, document=1
    )
    page = chair_client.get(url("chair_list", edition)).content.decode()
    names = ", ".join(a.name for a in paper.sorted_authors())
    assert f'<a href="{paper.get_absolute_url()}">Zakat and microfinance</a>' in page
    assert names in page
    assert "Care economy" in page and "Research paper" in page and "SDG 1" in page
    assert '<span class="badge text-bg-secondary">Submitted</span>' in page
    assert "<caption>" in page and 'scope="col"' in page


def test_the_list_costs_the_same_for_20_or_200_papers(chair_client, edition, django_assert_num_queries):
    chance = random.Random(7)

    def fill(n):
        for _i in range(n):
            SubmissionFactory(edition=edition, authors=chance.randint(1, 8), topics=chance.randint(1, 5))

    fill(20)
    for paper in Submission.objects.filter(edition=edition)[:5]:
        add_document(paper, version=1)
    with django_assert_num_queries(QUERIES_FOR_THE_LIST):
        assert chair_client.get(url("chair_list", edition)).status_code == 200
    fill(180)
    for paper in Submission.objects.filter(edition=edition).order_by("-number")[:30]:
        add_document(paper, version=1)
    with django_assert_num_queries(QUERIES_FOR_THE_LIST):
        response = chair_client.get(url("chair_list", edition), {"page": 2, "country": "FR", "q": "paper"})
    assert response.status_code == 200


# Measured with 20 papers: session, user, edition, chair role; count, rows, then their authors, topics
# and documents; the authors' countries, the chair's last archive, tracks, types and topics for the form.
QUERIES_FOR_THE_LIST = 14


def test_exports_cost_the_same_for_5_or_50_papers(chair_client, edition, django_assert_num_queries):
    SubmissionFactory.create_batch(5, edition=edition, authors=3, topics=2, document=True)
    for file_format in ("csv", "xlsx"):
        with django_assert_num_queries(QUERIES_FOR_AN_EXPORT):
            chair_client.get(url("export", edition, file_format))
    SubmissionFactory.create_batch(45, edition=edition, authors=5, topics=4)
    for file_format in ("csv", "xlsx"):
        with django_assert_num_queries(QUERIES_FOR_AN_EXPORT):
            chair_client.get(url("export", edition, file_format))


# Session, user, edition, chair role; the rows, then their authors, topics and documents.
QUERIES_FOR_AN_EXPORT = 8


# --- Who sees what ---------------------------------------------------------------------------------


@pytest.fixture
def hidden_and_shown(edition, chair):
    """Three papers: one shown, one the chair is in conflict with, one draft."""
    shown = SubmissionFactory(edition=edition, title="Shown paper", document=True)
    conflicted = SubmissionFactory(edition=edition, title="Conflicted paper", document=True)
    Conflict.objects.create(submission=conflicted, user=chair, kind=Conflict.Kind.ADDED_BY_CHAIR)
    draft = SubmissionFactory(edition=edition, state=State.DRAFT, title="Draft paper", document=True)
    return shown, conflicted, draft


def test_conflicts_and_drafts_are_left_out_everywhere(
    chair_client, edition, hidden_and_shown, django_capture_on_commit_callbacks
):
    shown, _conflicted, _draft = hidden_and_shown
    assert listed(chair_client, edition) == [shown.number]
    page = chair_client.get(url("chair_list", edition)).content.decode()
    assert "Conflicted paper" not in page and "Draft paper" not in page
    assert [row[1] for row in csv_rows(chair_client, edition)[1:]] == ["Shown paper"]
    assert [row[1] for row in xlsx_rows(chair_client, edition)[1:]] == ["Shown paper"]
    bundle = build_zip(chair_client, edition, django_capture_on_commit_callbacks)
    assert bundle.namelist() == [f"{shown.number:03d}-shown-paper.pdf", "manifest.csv"]


def test_a_chairs_own_draft_stays_out_of_the_list(chair_client, edition, chair):
    draft = SubmissionFactory(edition=edition, state=State.DRAFT, authors=0)
    AuthorshipFactory(submission=draft, user=chair, email=chair.email)
    assert listed(chair_client, edition) == []


@pytest.mark.parametrize(
    "name,args,method",
    [
        ("chair_list", [], "get"),
        ("chair_list", [], "post"),
        ("export", ["csv"], "get"),
        ("export", ["xlsx"], "get"),
        ("start_archive", [], "post"),
        ("archive", [1], "get"),
    ],
)
def test_who_is_not_a_chair_gets_403(client, edition, name, args, method):
    committee = UserFactory()
    Role.objects.create(edition=edition, user=committee, kind=Role.Kind.COMMITTEE)
    client.force_login(committee)
    assert getattr(client, method)(url(name, edition, *args)).status_code == 403


def test_a_chair_of_another_edition_gets_403(client, edition):
    stranger = UserFactory()
    Role.objects.create(edition=EditionFactory(), user=stranger, kind=Role.Kind.CHAIR)
    client.force_login(stranger)
    assert client.get(url("chair_list", edition)).status_code == 403


def test_visitors_are_sent_to_sign_in(client, edition):
    assert client.get(url("chair_list", edition))["Location"].startswith("/accounts/login/")


def test_an_unknown_export_format_is_404(chair_client, edition):
    assert chair_client.get(url("export", edition, "pdf")).status_code == 404


# --- Bulk action -------------------------------------------------------------------------------------


def test_move_to_review_moves_only_submitted_papers_the_chair_sees(chair_client, edition, chair):
    first, second = SubmissionFactory.create_batch(2, edition=edition)
    accepted = SubmissionFactory(edition=edition, state=State.ACCEPTED)
    conflicted = SubmissionFactory(edition=edition)
    Conflict.objects.create(submission=conflicted, user=chair, kind=Conflict.Kind.ADDED_BY_CHAIR)
    elsewhere = SubmissionFactory(edition=EditionFactory())
    chosen = [first, second, accepted, conflicted, elsewhere]

    response = chair_client.post(
        url("chair_list", edition) + "?state=submitted",
        {"action": "move_to_review", "submissions": [p.pk for p in chosen] + ["junk"]},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == url("chair_list", edition) + "?state=submitted"
    states = dict(Submission.objects.values_list("pk", "state"))
    assert [states[p.pk] for p in chosen] == [
        State.UNDER_REVIEW, State.UNDER_REVIEW, State.ACCEPTED, State.SUBMITTED, State.SUBMITTED,
    ]  # fmt: skip
    assert StateChange.objects.filter(new=State.UNDER_REVIEW, by=chair).count() == 2
    assert "Moved to review: 2. Skipped: 3" in response.content.decode()


def test_move_to_review_without_a_selection_moves_nothing(chair_client, edition):
    paper = SubmissionFactory(edition=edition)
    response = chair_client.post(url("chair_list", edition), {"action": "move_to_review"}, follow=True)
    assert "Select the papers to move to review first." in response.content.decode()
    paper.refresh_from_db()
    assert paper.state == State.SUBMITTED


# --- Exports -------------------------------------------------------------------------------------------


def test_csv_and_xlsx_hold_one_row_per_visible_paper(chair_client, edition):
    papers = [SubmissionFactory(edition=edition, authors=n, topics=n, document=True) for n in (1, 3)]
    papers.append(SubmissionFactory(edition=edition, state=State.UNDER_REVIEW, title="Les coopératives"))
    with_csv = csv_rows(chair_client, edition)
    with_xlsx = xlsx_rows(chair_client, edition)

    assert with_csv[0][:3] == ["Number", "Title", "State"]
    assert len(with_csv) == 1 + len(papers)
    # The same rows in both files (the spreadsheet keeps numbers as numbers).
    assert [[str(v) for v in row] for row in with_xlsx] == with_csv
    first = dict(zip(with_csv[0], with_csv[1], strict=True))
    author = papers[0].sorted_authors()[0]
    document = papers[0].current_document()
    assert first["Number"] == str(papers[0].number)
    assert first["Authors"] == f"{author.name} <{author.email}> ({author.affiliation}, {author.country.name})"
    assert first["Corresponding authors"] == author.email
    assert first["Pages"] == str(document.pages) and first["SHA-256"] == document.sha256
    assert first["URL"] == "http://127.0.0.1:8000" + papers[0].get_absolute_url()
    assert first["Submitted"].endswith("-12:00")  # in the edition's zone, Anywhere on Earth
    assert first["Keywords"] == "cooperatives; finance"
    assert with_csv[3][1] == "Les coopératives"
    assert len(with_csv[2][6].split("; ")) == 3


def test_exports_follow_the_filters_and_name_the_file(chair_client, edition):
    SubmissionFactory(edition=edition)
    review = SubmissionFactory(edition=edition, state=State.UNDER_REVIEW)
    response = chair_client.get(url("export", edition, "xlsx"), {"state": "under_review"})
    assert response["Content-Disposition"] == 'attachment; filename="sse-2028-submissions.xlsx"'
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert [row[0] for row in xlsx_rows(chair_client, edition, state="under_review")[1:]] == [review.number]
    response = chair_client.get(url("export", edition, "csv"), {"state": "under_review"})
    assert response["Content-Disposition"] == 'attachment; filename="sse-2028-submissions.csv"'


@pytest.mark.parametrize("title", ['=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_exports_neutralise_formulas(chair_client, edition, title):
    SubmissionFactory(edition=edition, title=title)
    assert csv_rows(chair_client, edition)[1][1] == "'" + title
    # XML may turn a bare \r into \n (openpyxl with lxml escapes it and keeps it): either way, neutralised.
    assert xlsx_rows(chair_client, edition)[1][1].replace("\r", "\n") == "'" + title.replace("\r", "\n")


def test_xlsx_drops_control_characters_without_making_a_formula(chair_client, edition):
    SubmissionFactory(edition=edition, title="\x01=1+1")
    assert xlsx_rows(chair_client, edition)[1][1] == "'=1+1"


def test_the_xlsx_header_is_bold_and_frozen(chair_client, edition):
    SubmissionFactory(edition=edition)
    response = chair_client.get(url("export", edition, "xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold and not sheet["A2"].font.bold


# --- The ZIP of PDFs ------------------------------------------------------------------------------------


def test_the_zip_holds_every_current_pdf_under_a_readable_name(
    chair_client, edition, django_capture_on_commit_callbacks
):
    title = "Économie sociale et solidaire : un état des lieux"
    one = SubmissionFactory(edition=edition, title=title, document=2)
    two = SubmissionFactory(edition=edition, title="x" * 100, document=1, state=State.ACCEPTED)
    untitled = SubmissionFactory(edition=edition, title="", document=1, state=State.WITHDRAWN)
    SubmissionFactory(edition=edition)  # no PDF: nothing to add
    add_document(two, version=1, kind="final")  # a final version is not the paper

    bundle = build_zip(chair_client, edition, django_capture_on_commit_callbacks)

    names = {
        one: f"{one.number:03d}-economie-sociale-et-solidaire-un-etat-des-lieux.pdf",
        two: f"{two.number:03d}-{'x' * 60}.pdf",
        untitled: f"{untitled.number:03d}-paper.pdf",
    }
    assert sorted(bundle.namelist()) == sorted([*names.values(), "manifest.csv"])
    for paper, name in names.items():
        current = paper.documents.get(kind="paper", version=2 if paper == one else 1)
        assert hashlib.sha256(bundle.read(name)).hexdigest() == current.sha256
    older = one.documents.get(version=1)
    assert older.sha256 not in {hashlib.sha256(bundle.read(n)).hexdigest() for n in names.values()}
    manifest = list(csv.reader(io.StringIO(bundle.read("manifest.csv").decode("utf-8-sig"))))
    assert manifest[0] == ["number", "title", "file", "sha256"]
    assert [row[2] for row in manifest[1:]] == [names[one], names[two], names[untitled]]
    assert manifest[1][3] == one.documents.get(version=2).sha256
    archive = Archive.objects.get()
    assert (archive.done, archive.total, archive.finished_at is not None) == (3, 3, True)


def test_the_archive_page_shows_progress_and_the_download(chair_client, edition, chair):
    archive = Archive.objects.create(edition=edition, requested_by=chair, state=Archive.State.RUNNING,
                                     total=40, done=12)  # fmt: skip
    page = chair_client.get(url("archive", edition, archive.pk)).content.decode()
    assert 'id="archive-progress" data-refresh="2"' in page  # convene.js polls while it is built
    assert 'aria-valuenow="12" aria-valuemin="0" aria-valuemax="40"' in page
    assert "12 of 40 papers" in page
    assert page.count('class="flex-fill progress-bar') == 6  # 30 % in steps of 5
    assert url("archive_download", edition, archive.pk) not in page

    Archive.objects.filter(pk=archive.pk).update(state=Archive.State.DONE, done=40)
    page = chair_client.get(url("archive", edition, archive.pk)).content.decode()
    assert 'http-equiv="refresh"' not in page
    assert url("archive_download", edition, archive.pk) in page


def test_a_failed_archive_says_so_without_the_error(chair_client, edition, chair):
    archive = Archive.objects.create(edition=edition, requested_by=chair, state=Archive.State.FAILED,
                                     error="OSError: /srv/media/papers/secret.pdf")  # fmt: skip
    page = chair_client.get(url("archive", edition, archive.pk)).content.decode()
    assert "could not be built" in page
    assert "secret.pdf" not in page
    assert chair_client.get(url("archive_download", edition, archive.pk)).status_code == 404


def test_an_error_while_building_marks_the_archive_failed(edition, chair):
    paper = SubmissionFactory(edition=edition, document=True)
    paper.documents.get().file.delete(save=False)  # the file is gone from the disk
    archive = Archive.objects.create(edition=edition, requested_by=chair)
    archives.build_archive(archive_id=archive.pk)
    archive.refresh_from_db()
    assert archive.state == Archive.State.FAILED
    assert archive.error and archive.finished_at and not archive.file


def test_building_twice_builds_once(edition, chair):
    SubmissionFactory(edition=edition, document=True)
    archive = Archive.objects.create(edition=edition, requested_by=chair)
    archives.build_archive(archive_id=archive.pk)
    archive.refresh_from_db()
    built = (archive.file.name, archive.finished_at)
    archives.build_archive(archive_id=archive.pk)
    archive.refresh_from_db()
    assert (archive.state, archive.file.name, archive.finished_at) == (Archive.State.DONE, *built)
    # Running (a worker has it): another delivery of the task leaves it alone.
    running = Archive.objects.create(edition=edition, requested_by=chair, state=Archive.State.RUNNING)
    archives.build_archive(archive_id=running.pk)
    running.refresh_from_db()
    assert running.state == Archive.State.RUNNING


def test_an_archive_whose_worker_was_lost_is_built_again_later(edition, chair):
    SubmissionFactory(edition=edition, document=True)
    lost = Archive.objects.create(edition=edition, requested_by=chair, state=Archive.State.RUNNING, done=4)
    Archive.objects.filter(pk=lost.pk).update(created_at=timezone.now() - timedelta(hours=3))
    assert archives.request_archive(edition=edition, by=chair) != lost  # a new one, not the stuck one
    archives.build_archive(archive_id=lost.pk)
    lost.refresh_from_db()
    assert (lost.state, lost.done, lost.total) == (Archive.State.DONE, 1, 1)


def test_a_double_click_queues_one_archive(chair_client, edition):
    # No on-commit execution here: the first archive is still queued when the second click comes.
    first = chair_client.post(url("start_archive", edition))
    second = chair_client.post(url("start_archive", edition))
    assert first["Location"] == second["Location"]
    assert Archive.objects.count() == 1


def test_starting_an_archive_needs_post(chair_client, edition):
    assert chair_client.get(url("start_archive", edition)).status_code == 405


def test_only_the_chair_who_asked_may_download(
    client, chair_client, edition, chair, django_capture_on_commit_callbacks
):
    SubmissionFactory(edition=edition, document=True)
    build_zip(chair_client, edition, django_capture_on_commit_callbacks)
    archive = Archive.objects.get()
    response = chair_client.get(url("archive_download", edition, archive.pk))
    assert response["Content-Disposition"] == 'attachment; filename="sse-2028-papers.zip"'
    assert "no-store" in response["Cache-Control"]

    other_chair = UserFactory()
    Role.objects.create(edition=edition, user=other_chair, kind=Role.Kind.CHAIR)
    client.force_login(other_chair)
    assert client.get(url("archive_download", edition, archive.pk)).status_code == 404
    assert client.get(url("archive", edition, archive.pk)).status_code == 404

    Role.objects.filter(user=chair).delete()  # no longer a chair
    client.force_login(chair)
    assert client.get(url("archive_download", edition, archive.pk)).status_code == 404


# --- The dashboard panel --------------------------------------------------------------------------------


def test_the_dashboard_panel_counts_by_state_and_links_to_the_list(chair_client, edition):
    SubmissionFactory.create_batch(2, edition=edition)
    SubmissionFactory(edition=edition, state=State.UNDER_REVIEW)
    page = chair_client.get(reverse("conference:dashboard", args=[edition.series.slug, edition.year]))
    html = page.content.decode()
    assert f'<a href="{url("chair_list", edition)}?state=submitted">Submitted</a>' in html
    assert f'<a href="{url("chair_list", edition)}?state=under_review">Under review</a>' in html


def test_archives_older_than_a_week_are_purged_with_their_files(edition, chair):
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from submissions.archives import purge_old_archives

    old = Archive.objects.create(edition=edition, requested_by=chair, state=Archive.State.DONE)
    old.file.save("a.zip", ContentFile(b"PK"), save=True)
    Archive.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    recent = Archive.objects.create(edition=edition, requested_by=chair, state=Archive.State.DONE)
    assert purge_old_archives() == 1
    assert list(Archive.objects.all()) == [recent]
    assert not old.file.storage.exists(old.file.name)
