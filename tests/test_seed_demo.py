import io

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command

from accounts.demo import DEMO_PASSWORD
from accounts.models import Organisation, User

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", force=True, stdout=out)  # pytest runs with DEBUG off
    return out.getvalue()


def test_seed_demo_prints_logins_that_work(client):
    output = seed()
    assert DEMO_PASSWORD in output
    assert "author@unige.ch" in output
    response = client.post("/accounts/login/", {"login": "author@unige.ch", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_seed_demo_creates_the_networks_members_and_observers():
    seed()
    members = set(Organisation.objects.filter(kind="member").values_list("acronym", flat=True))
    observers = set(Organisation.objects.filter(kind="observer").values_list("acronym", flat=True))
    assert {"ILO", "OECD", "UNCTAD", "UNDESA", "UNDP", "UNRISD"} <= members
    assert {"CIRIEC", "EURICSE", "GSEF", "ICA", "RIPESS"} <= observers
    assert Organisation.objects.get(acronym="ILO").email_domains == ["ilo.org", "itcilo.org"]


def test_seed_demo_twice_duplicates_nothing_and_keeps_changes():
    seed()
    counts = (User.objects.count(), Organisation.objects.count(), EmailAddress.objects.count())
    User.objects.filter(email="author@unige.ch").update(name="Renamed by the author")
    seed()
    assert (User.objects.count(), Organisation.objects.count(), EmailAddress.objects.count()) == counts
    assert User.objects.get(email="author@unige.ch").name == "Renamed by the author"


def test_seed_demo_refuses_to_run_with_debug_off_unless_forced(settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="published password"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not User.objects.exists()
    call_command("seed_demo", "--force", stdout=io.StringIO())
    assert User.objects.filter(email="admin@convene.example").exists()


def test_seed_demo_brings_papers_in_every_state_with_real_pdfs():
    import hashlib

    from submissions.models import Document, Submission
    from submissions.pdf import inspect_pdf

    seed()
    assert 55 <= Submission.objects.count() <= 70
    assert set(Submission.objects.values_list("state", flat=True)) == set(Submission.State.values)
    document = Document.objects.order_by("?").first()
    with document.file.open("rb") as handle:
        data = handle.read()
    assert hashlib.sha256(data).hexdigest() == document.sha256
    assert inspect_pdf(io.BytesIO(data), max_bytes=len(data) + 1, page_limit=None).pages == document.pages
    # The demo author sees a submitted paper and a draft of their own.
    mine = Submission.objects.filter(authorships__user__email="author@unige.ch", edition__year=2028)
    assert set(mine.values_list("state", flat=True)) == {"submitted", "draft"}
    count = Submission.objects.count()
    seed()
    assert Submission.objects.count() == count  # a second run adds nothing


def test_seed_demo_sets_up_reviewers_with_profiles_bids_and_conflicts():
    from reviews.models import Bid, ReviewerProfile
    from submissions.models import Conflict

    seed()
    assert ReviewerProfile.objects.filter(edition__year=2028).count() == 10
    assert Bid.objects.exists()
    assert not Bid.objects.filter(reviewer__email="reviewer@euricse.eu").exists()  # left for the newcomer
    # Reviewers from the same organisations as authors are found in conflict, with a reason.
    assert Conflict.objects.filter(kind=Conflict.Kind.SAME_ORGANISATION).exclude(reason="").exists()


def test_seed_demo_names_a_paper_manager_with_a_paper_to_manage():
    from accounts.models import User
    from submissions.models import Submission

    seed()
    manager = User.objects.get(email="committee@ilo.org")
    assert Submission.objects.managed_by(manager).count() == 1


def test_seed_demo_reviews_and_decides_the_2025_call_leaving_two_papers_to_decide(client):
    from accounts.models import User
    from reviews.models import Decision, Review

    seed()
    assert Review.objects.filter(assignment__submission__edition__year=2025, state="submitted").count() >= 40
    decided = Decision.objects.filter(submission__edition__year=2025)
    assert decided.count() == decided.filter(released_at__isnull=False).count() >= 15
    client.force_login(User.objects.get(email="chair@unrisd.org"))
    page = client.get("/calls/sse-knowledge-hub/2025/committee/ranking/?flag=undecided").content.decode()
    assert "2 papers" in page and "Calibrated" in page


def test_seed_demo_fills_the_hub_and_leaves_final_versions_to_publish(client):
    from accounts.models import User
    from hub.models import Publication
    from submissions.models import Submission

    seed()
    assert Publication.objects.count() == Submission.objects.filter(state="published").count() >= 14
    assert client.get(Publication.objects.first().get_absolute_url()).status_code == 200
    client.force_login(User.objects.get(email="chair@unrisd.org"))
    page = client.get("/calls/sse-knowledge-hub/2025/chair/publish/").content.decode()
    assert "Publish all 2 papers" in page
