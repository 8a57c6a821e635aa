"""Every URL the resolver knows, tried by every role, so that a new view cannot forget its check.

A URL must be classified here: public (with the reason), for signed-in people, or staff-only
(the admin). An unclassified URL, or a classification naming a URL that is gone, fails.
"""

import pytest
from django.urls import reverse

from conference.models import Role
from tests.factories import EditionFactory, SeriesFactory, StaffFactory, UserFactory
from tests.urls import all_url_patterns

PUBLIC = {
    "home": "the front page, with the open calls",
    "help": "the help pages are for everyone, before they have an account",
    "help_role": "the help page for one role; read before signing up or accepting an invitation",
    "conference:series": "a series and its editions are public once announced",
    "conference:edition": "the public call",
    "conference:invitation": "the personal link in an invitation mail works without an account",
    "set_language": "the language switcher works for everyone",
    "account_login": "sign-in",
    "account_logout": "signing out is harmless; it only acts on POST",
    "account_signup": "sign-up",
    "account_inactive": "explains a disabled account to someone who cannot sign in",
    "account_email_verification_sent": "shown after sign-up, before any session exists",
    "account_confirm_email": "the link in the verification mail works before sign-in",
    "account_confirm_login_code": "part of the sign-in flow; without a pending sign-in it sends you back",
    "account_reset_password": "a forgotten password is reset without a session",
    "account_reset_password_done": "shown after asking for a reset",
    "account_reset_password_from_key": "the link in the reset mail",
    "account_reset_password_from_key_done": "shown after a reset",
    "mfa_authenticate": "the second step of sign-in, before the session exists",
    "admin:login": "hands over to allauth's sign-in (two-factor, rate limit); refuses non-staff",
    "admin:logout": "the admin's sign-out, POST only",
    "submissions:claim": "the co-author's link works before sign-in, and sends them to sign in to claim",
    "hub:home": "the knowledge hub is public",
    "hub:search": "searching the hub is public",
    "hub:stats": "the hub's usage statistics are public (counts only)",
    "hub:policy_goal": "the key messages of published papers are public",
    "hub:policy_goal_brief": "the key messages of published papers are public",
    "hub:policy_call": "the key messages of published papers are public",
    "hub:policy_call_brief": "the key messages of published papers are public",
    "hub:api_publications": "the read-only JSON API of the hub is public",
    "hub:api_publication": "the read-only JSON API of the hub is public",
    "hub:api_openapi": "the API's description is public",
    "hub:oai": "OAI-PMH harvesting is public; it changes nothing, so POST needs no CSRF token",
    "hub:paper": "a published paper's landing page is public (410 once withdrawn)",
    "hub:paper_by_number": "redirects to the paper's address",
    "hub:pdf": "published papers are open access",
    "hub:cite": "a published paper's reference (BibTeX, RIS, CSL-JSON) is public",
    "hub:feed": "the Atom feed of new papers is public",
    "hub:feed_goal": "the Atom feed of one SDG's new papers is public",
    "hub:feed_call": "the Atom feed of one call's new papers is public",
    "sitemap": "the sitemap is for search engines",
    "events:list": "the events are announced publicly",
    "events:detail": "an event's page is public (its online link only for its registered participants)",
    "events:programme": "an event's programme is public (only papers whose acceptance is public)",
    "events:programme_ics": "the programme's calendar feed is public, as the programme is",
    "events:participants": "lists only participants who agreed to be listed, without their addresses",
    "events:banner": "an event's banner image is shown on its public page",
    "events:invitation": "a personal invitation's link works without an account (to read it, or decline)",
}

SIGNED_IN = {
    "accounts:profile",
    "conference:my_calls",
    "events:my_registrations",
    "accounts:photo",
    "accounts:export",
    "accounts:delete",
    "account_reauthenticate",
    "account_email",
    "account_change_password",
    "account_set_password",
    "mfa_index",
    "mfa_reauthenticate",
    "mfa_activate_totp",
    "mfa_deactivate_totp",
    "mfa_view_recovery_codes",
    "mfa_generate_recovery_codes",
    "mfa_download_recovery_codes",
    "submissions:mine",
    "submissions:new",
}

# An edition's chair pages: for its chairs (and staff) only; everyone else gets 403 or 404.
CHAIR = {
    "conference:dashboard",
    "conference:people",
    "conference:settings",
    "conference:setup",
    "conference:start_next",
    "conference:invitation_action",
    "submissions:chair_list",
    "submissions:export",
    "submissions:start_archive",
    "submissions:archive",
    "submissions:archive_download",
    "reviews:conflicts",
    "reviews:assignment_board",
    "reviews:auto_assign",
    "reviews:auto_assign_run",
    "reviews:detect_conflicts",
    "reviews:dismiss_conflict",
    "reviews:settings",
    "reviews:form",
    "reviews:release",
    "reviews:decision_mails",
    "reviews:group_mail",
    "reviews:outcomes",
    "hub:publish",
    "hub:manage",
}
# The paper manager's page: the edition's paper manager only (a committee member here); 403 for the rest.
PAPER_MANAGER = {"reviews:managed"}
# A paper's pages: for its authors and the organisers who may see it (never in conflict); 404 for the rest.
PAPER = {
    "submissions:detail",
    "submissions:step",
    "submissions:confirm",
    "submissions:withdraw",
    "submissions:document",
    "submissions:answer_file",
    "submissions:desk_reject",
    "submissions:extension",
    "submissions:grant_withdrawal",
    "submissions:final",
    "submissions:final_check",
    "reviews:paper_reviews",
}
# A reviewer's pages in an edition: for its reviewers; 403 for everyone else.
REVIEWER = {"reviews:profile", "reviews:bids", "reviews:assignments"}
# A paper as its reviewer sees it: 200 for the reviewer it was assigned to, 404 for another reviewer,
# 403 for people who do not review in the edition.
REVIEW_PAPER = {"reviews:paper", "reviews:paper_pdf", "reviews:decline"}
# A paper's reviews and discussion: for organisers who may see the paper; 404 for everyone else, authors too.
FOR_ORGANISERS = {"reviews:paper_reviews"}
# Posting to a paper's discussion: its organisers and reviewers; 404 for everyone else.
DISCUSSION = {"reviews:comment"}
# The committee's ranking: the edition's chairs and committee; 403 for everyone else.
COMMITTEE = {"reviews:ranking", "reviews:ranking_csv"}
# Deciding, voting, meta-reviews on a paper: its organisers (the service says who may do what); else 404.
COMMITTEE_POSTS = {"reviews:decide", "reviews:vote", "reviews:meta_review"}
# A paper's released decision: its authors only, once released; 404 for everyone else (organisers too).
RELEASED_DECISION = {"reviews:decision"}
FOR_AUTHORS = {"submissions:step", "submissions:confirm", "submissions:withdraw", "submissions:final"}
FOR_CHAIRS = {
    "submissions:desk_reject",
    "submissions:extension",
    "submissions:grant_withdrawal",
    "submissions:final_check",
}
POST_ONLY = {
    "conference:invitation_action",
    "conference:start_next",
    "submissions:start_archive",
    "submissions:grant_withdrawal",
    "reviews:detect_conflicts",
    "reviews:dismiss_conflict",
    "reviews:decline",
    "reviews:comment",
    "events:cancel",
    "events:forget_passport",
    *COMMITTEE_POSTS,
}

# A participant's own registration: theirs only; 404 for anyone else (organisers use the admin for now).
PARTICIPANT = {"events:mine", "events:cancel", "events:certificate", "events:edit", "events:visa_letter"}
# An event's registrations: its organisers (and staff) only; 403 for everyone else.
EVENT_ORGANISER = {
    "events:organise", "events:badges", "events:check_in", "events:certificates", "events:export",
    "events:invitations", "events:group_mail",
}  # fmt: skip
# Passport data: an organiser also needs its own permission and two-factor sign-in; 403 otherwise.
PASSPORT_DATA = {"events:export_visa"}
# One registration, for its event's organisers: 404 for anyone else (another participant, an organiser
# of another event, a stranger), as if it did not exist. Its letter also needs the passport permission.
ORGANISER_REGISTRATION = {"events:registration", "events:registration_letter", "events:forget_passport"}
# At the door: badges, check-in and certificates, for the event's organisers (and staff) like its list.
AT_THE_DOOR = {"events:badges", "events:check_in", "events:certificates"}
# Registering: any signed-in person (the service checks the window and the mode).
REGISTERING = {"events:register"}

# The Django admin checks is_staff itself; every admin URL not in PUBLIC is staff-only.
STAFF_NAMESPACE = "admin:"

SAMPLE_KWARGS = {
    "object_id": "1",
    "id": "1",
    "app_label": "accounts",
    "content_type_id": "1",
    "key": "not-a-real-key",
    "uidb36": "1",
    "token": "0123456789abcdef0123456789abcdef",
    "slug": "demo-series",
    "year": 2028,
    "action": "resend",
    "number": 1,
    "step": "paper",
    "kind": "paper",
    "version": 1,
    "file_format": "csv",
    "goal": 8,
    "role": "author",
}


CLASSIFIED = (
    set(PUBLIC)
    | SIGNED_IN
    | CHAIR
    | PAPER
    | REVIEWER
    | REVIEW_PAPER
    | DISCUSSION
    | PAPER_MANAGER
    | COMMITTEE
    | COMMITTEE_POSTS
    | RELEASED_DECISION
    | PARTICIPANT
    | REGISTERING
    | EVENT_ORGANISER
    | PASSPORT_DATA
    | ORGANISER_REGISTRATION
)


ALL = all_url_patterns()
NAMES = [name for name, _pattern in ALL]
GUARDED = [n for n in NAMES if n not in PUBLIC]


def url_for(name: str, people, **overrides) -> str:
    _name, pattern = next(item for item in ALL if item[0] == name)
    wanted = set(pattern.pattern.regex.groupindex)
    # Objects made by the fixture: the person's own pk, the paper's question, the chair's archive.
    made = {"pk": people["archive"].pk if "archive" in name else people["run"].pk if "auto_assign" in name
            else people["registration"].pk if name in ORGANISER_REGISTRATION else people["person"].pk,
            "question": people["question"].pk}  # fmt: skip
    kwargs = {k: overrides.get(k, made.get(k, SAMPLE_KWARGS.get(k))) for k in wanted}
    return reverse(name, kwargs=kwargs)


def test_every_url_is_classified():
    unclassified = [n for n in NAMES if n not in CLASSIFIED and not n.startswith(STAFF_NAMESPACE)]
    assert unclassified == [], "Classify these URLs in tests/test_url_permissions.py"


def test_every_classification_still_names_a_url():
    assert CLASSIFIED - set(NAMES) == set()


@pytest.fixture(scope="module")
def module_media(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _media_root(settings, module_media):
    # The world below is built once for the module, its files with it (overrides conftest's per-test root).
    settings.MEDIA_ROOT = module_media


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, module_media):
    """Built once: each test runs inside its own transaction within this one, which is rolled back last."""
    from django.db import transaction
    from django.test import override_settings

    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=module_media), transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


@pytest.fixture
def people(db, world):
    return world


def _build_world():
    """One person per role, around the edition the sample URLs point at (demo-series 2028)."""
    edition = EditionFactory(series=SeriesFactory(slug="demo-series"), year=2028)
    other_edition = EditionFactory(series=SeriesFactory(slug="another-series"), year=2028)
    world = {
        "visitor": None,
        "person": UserFactory(name="Plain Person"),
        "staff": StaffFactory(),
        "reviewer": UserFactory(),
        "committee": UserFactory(),
        "chair": UserFactory(),
        "other_chair": UserFactory(),
        "author": UserFactory(),
        "other_author": UserFactory(),
        "conflicted_chair": UserFactory(),
        "conflicted_committee": UserFactory(),
        "assigned_reviewer": UserFactory(),
        "paper_manager": UserFactory(),
    }
    for role, kind, where in [
        ("reviewer", Role.Kind.REVIEWER, edition),
        ("committee", Role.Kind.COMMITTEE, edition),
        ("chair", Role.Kind.CHAIR, edition),
        ("other_chair", Role.Kind.CHAIR, other_edition),
        ("conflicted_chair", Role.Kind.CHAIR, edition),
        ("conflicted_committee", Role.Kind.COMMITTEE, edition),
        ("assigned_reviewer", Role.Kind.REVIEWER, edition),
        ("paper_manager", Role.Kind.COMMITTEE, edition),
    ]:
        Role.objects.create(edition=where, user=world[role], kind=kind)
    edition.paper_manager = world["paper_manager"]
    edition.save()
    world.update(_paper_world(edition, world))
    return world


def _paper_world(edition, world) -> dict:
    """Paper 1 of the sample edition, submitted with two PDF versions and a file answer; paper 2 by someone
    else; two organisers in conflict with paper 1; a finished ZIP the chair asked for."""
    from django.core.files.base import ContentFile

    from conference.models import Question, SubmissionType
    from submissions.demo_pdf import make_pdf
    from submissions.models import Answer, Archive, Conflict, Document, Submission
    from tests.factories import AuthorshipFactory, SubmissionFactory

    SubmissionType.objects.create(edition=edition, name={"en": "Paper"})
    paper = SubmissionFactory(edition=edition, number=1, state=Submission.State.SUBMITTED, authors=0)
    AuthorshipFactory(submission=paper, user=world["author"], email=world["author"].email)
    for version in (1, 2):
        document = Document(submission=paper, version=version, original_name="p.pdf", sha256="0" * 64,
                            size=10, pages=1)  # fmt: skip
        document.file.save("p.pdf", ContentFile(make_pdf(title="Paper")), save=False)
        document.reviewer_file.save("p.pdf", ContentFile(make_pdf(title="Paper")), save=True)
    question = Question.objects.create(edition=edition, text={"en": "Data"}, kind=Question.Kind.FILE)
    answer = Answer(submission=paper, question=question, file_name="data.csv")
    answer.file.save("a", ContentFile(b"a,b"), save=True)
    other = SubmissionFactory(edition=edition, number=2, state=Submission.State.SUBMITTED, authors=0)
    AuthorshipFactory(submission=other, user=world["other_author"], email=world["other_author"].email)
    for role in ("conflicted_chair", "conflicted_committee"):
        Conflict.objects.create(submission=paper, user=world[role], kind=Conflict.Kind.ADDED_BY_CHAIR)
    from reviews.models import Assignment

    Assignment.objects.create(submission=paper, reviewer=world["assigned_reviewer"])
    archive = Archive.objects.create(edition=edition, requested_by=world["chair"], state=Archive.State.DONE)
    archive.file.save("a.zip", ContentFile(b"PK"), save=True)
    from reviews.models import AssignmentRun

    run = AssignmentRun.objects.create(edition=edition, requested_by=world["chair"], state="ready")
    import datetime

    from hub.models import Publication

    Publication.objects.create(
        number=1, edition=edition, title="A published paper", abstract="Abstract.", language="en",
        licence="CC-BY-4.0", published_on=datetime.date(2028, 6, 1),
    )  # fmt: skip
    from events import services as event_services
    from tests.events.helpers import make_event

    event = make_event(slug="demo-series", quotas={"Observer": 10})
    registration = event_services.register(
        event=event, user=world["author"], participant_type=event.participant_types.get()
    )
    event_services.check_in(event, registration)  # came to the event: their certificate is there
    event.organisers.add(world["committee"])
    from events.models import VisaDetails

    visa = VisaDetails.objects.create(
        registration=registration, passport_name="A. Author", nationality="IT", passport_number="X1",
        date_of_birth=datetime.date(1980, 1, 1),
    )  # fmt: skip
    visa.letter.save("letter.pdf", ContentFile(b"%PDF-1.4 letter"), save=True)
    # Another participant of the event, and the organiser of another event.
    event_services.register(
        event=event, user=world["other_author"], participant_type=event.participant_types.get()
    )
    make_event(slug="other-event").organisers.add(world["other_chair"])
    return {"question": question, "archive": archive, "run": run, "registration": registration}


def get_as(client, people, role, name, **overrides):
    if people[role]:
        client.force_login(people[role])
    url = url_for(name, people, **overrides)
    return client.post(url) if name in POST_ONLY else client.get(url)


@pytest.mark.parametrize("name", GUARDED)
def test_a_visitor_is_sent_to_sign_in(client, people, name):
    response = get_as(client, people, "visitor", name)
    assert response.status_code == 302, f"{name} answered {response.status_code} to a visitor"
    login = "/admin/login/" if name.startswith(STAFF_NAMESPACE) else reverse("account_login")
    assert response["Location"].startswith(login)


@pytest.mark.parametrize("name", [n for n in GUARDED if n.startswith(STAFF_NAMESPACE)])
def test_a_signed_in_person_who_is_not_staff_cannot_open_the_admin(client, people, name):
    response = get_as(client, people, "person", name)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("role", ["person", "reviewer", "committee", "other_chair"])
@pytest.mark.parametrize("name", sorted(CHAIR))
def test_only_the_editions_chairs_open_its_chair_pages(client, people, role, name):
    response = get_as(client, people, role, name)
    assert response.status_code in {403, 404}, f"{name} answered {response.status_code} to {role}"


@pytest.mark.parametrize("name", sorted(CHAIR - POST_ONLY))
def test_the_editions_chair_opens_its_chair_pages(client, people, name):
    assert get_as(client, people, "chair", name).status_code == 200


@pytest.mark.parametrize("role", ["visitor", "person", "chair", "staff"])
@pytest.mark.parametrize("name", NAMES)
def test_no_url_crashes_for_any_role(client, people, role, name):
    response = get_as(client, people, role, name)
    assert response.status_code < 500


# The pages a signed-in person opens directly; the others redirect (re-authentication) or need a POST.
OPEN_FOR_OWNER = {
    "accounts:profile",
    "conference:my_calls",
    "events:my_registrations",
    "accounts:export",
    "account_email",
    "account_change_password",
    "mfa_index",
}


@pytest.mark.parametrize("name", sorted(SIGNED_IN))
def test_signed_in_pages_open_for_their_owner(client, people, name):
    response = get_as(client, people, "person", name)
    if name in OPEN_FOR_OWNER:
        assert response.status_code == 200, name
    elif response.status_code == 302:
        # Sensitive pages ask for the password again; none may bounce a signed-in person to sign-in.
        assert not response["Location"].startswith(reverse("account_login")), name
    else:
        assert response.status_code in {200, 404, 405}, name


@pytest.mark.parametrize("name", sorted(PARTICIPANT))
def test_a_registration_is_its_participants_only(client, people, name):
    assert get_as(client, people, "person", name).status_code == 404
    assert get_as(client, people, "chair", name).status_code == 404
    if name not in POST_ONLY:
        assert get_as(client, people, "author", name).status_code == 200


@pytest.mark.parametrize("role", ["person", "reviewer", "author", "chair", "other_chair"])
@pytest.mark.parametrize("name", sorted(EVENT_ORGANISER - AT_THE_DOOR))
def test_only_an_events_organisers_see_its_registrations(client, people, role, name):
    assert get_as(client, people, role, name).status_code == 403
    assert get_as(client, people, "committee", name).status_code == 200
    assert get_as(client, people, "staff", name).status_code == 200


@pytest.mark.parametrize("role", ["person", "author", "other_chair", "committee"])
def test_passport_data_needs_more_than_organising_the_event(client, people, role):
    # The committee member organises the event but has neither the permission nor two-factor sign-in.
    assert get_as(client, people, role, "events:export_visa").status_code == 403
    assert get_as(client, people, "staff", "events:export_visa").status_code == 200  # superuser, with 2FA


@pytest.mark.parametrize("role", ["person", "author", "other_author", "other_chair", "chair"])
@pytest.mark.parametrize("name", sorted(ORGANISER_REGISTRATION))
def test_a_registration_is_not_found_by_anyone_but_its_events_organisers(client, people, role, name):
    # A participant (even the one registered), another participant, an organiser of another event.
    assert get_as(client, people, role, name).status_code == 404
    if name == "events:registration":
        assert get_as(client, people, "committee", name).status_code == 200
    assert get_as(client, people, "staff", name).status_code in {200, 302}


@pytest.mark.parametrize("role", ["person", "reviewer", "author", "chair", "other_chair"])
@pytest.mark.parametrize("name", sorted(AT_THE_DOOR))
def test_only_an_events_organisers_work_at_its_door(client, people, role, name):
    assert get_as(client, people, role, name).status_code == 403
    assert get_as(client, people, "committee", name).status_code == 200
    assert get_as(client, people, "staff", name).status_code == 200


@pytest.mark.parametrize("role", ["person", "reviewer", "author"])
def test_any_signed_in_person_reaches_the_registration_form(client, people, role):
    assert get_as(client, people, role, "events:register").status_code in {200, 302}


OUTSIDERS = ["person", "other_author", "reviewer", "other_chair", "conflicted_chair", "conflicted_committee"]


@pytest.mark.parametrize("role", OUTSIDERS)
@pytest.mark.parametrize("name", sorted(PAPER))
def test_a_paper_is_not_found_by_anyone_who_may_not_see_it(client, people, role, name):
    # Another author, an unassigned reviewer, and organisers in conflict: 404, as if it did not exist.
    response = get_as(client, people, role, name)
    assert response.status_code == 404, f"{name} answered {response.status_code} to {role}"


@pytest.mark.parametrize("role", OUTSIDERS)
@pytest.mark.parametrize("version", [1, 2])
def test_no_version_of_the_pdf_reaches_anyone_who_may_not_see_the_paper(client, people, role, version):
    assert get_as(client, people, role, "submissions:document", version=version).status_code == 404


@pytest.mark.parametrize("name", sorted(PAPER - FOR_CHAIRS - FOR_ORGANISERS))
def test_the_author_opens_their_paper(client, people, name):
    assert get_as(client, people, "author", name).status_code == 200


@pytest.mark.parametrize("name", sorted(FOR_CHAIRS))
def test_the_author_cannot_act_as_a_chair(client, people, name):
    assert get_as(client, people, "author", name).status_code == 403


@pytest.mark.parametrize("role", ["chair", "committee", "staff"])
@pytest.mark.parametrize("name", sorted(PAPER - FOR_AUTHORS - FOR_CHAIRS))
def test_organisers_who_are_not_in_conflict_open_the_paper(client, people, role, name):
    assert get_as(client, people, role, name).status_code == 200


@pytest.mark.parametrize("name", sorted(FOR_AUTHORS))
def test_organisers_do_not_edit_a_paper_for_its_authors(client, people, name):
    assert get_as(client, people, "chair", name).status_code == 404


@pytest.mark.parametrize("name", sorted(FOR_CHAIRS - POST_ONLY))
def test_a_chair_acts_on_the_paper_and_a_committee_member_cannot(client, people, name):
    assert get_as(client, people, "chair", name).status_code == 200
    client.logout()
    assert get_as(client, people, "committee", name).status_code == 403


@pytest.mark.parametrize("name", sorted(REVIEWER))
def test_the_editions_reviewers_open_their_pages_and_nobody_else(client, people, name):
    assert get_as(client, people, "reviewer", name).status_code == 200
    for role in ["person", "committee", "chair", "other_chair", "author"]:
        client.logout()
        assert get_as(client, people, role, name).status_code == 403, role


@pytest.mark.parametrize("name", sorted(REVIEW_PAPER))
def test_a_paper_opens_for_its_reviewer_only(client, people, name):
    expected = 302 if name in POST_ONLY else 200  # declining without a reason sends them back
    assert get_as(client, people, "assigned_reviewer", name).status_code == expected
    client.logout()
    assert get_as(client, people, "reviewer", name).status_code == 404  # another reviewer
    for role in ["person", "committee", "chair", "author", "other_chair"]:
        client.logout()
        assert get_as(client, people, role, name).status_code == 403, role


@pytest.mark.parametrize("name", sorted(FOR_ORGANISERS))
def test_an_author_never_reaches_their_papers_reviews_page(client, people, name):
    assert get_as(client, people, "author", name).status_code == 404


@pytest.mark.parametrize("name", sorted(DISCUSSION))
def test_only_organisers_and_reviewers_of_the_paper_post_to_its_discussion(client, people, name):
    for role in ["person", "other_author", "reviewer", "other_chair", "conflicted_chair", "author"]:
        client.logout()
        assert get_as(client, people, role, name).status_code == 404, role
    for role in ["assigned_reviewer", "chair", "committee"]:
        client.logout()
        assert get_as(client, people, role, name).status_code == 302, role  # back to the page, with a message


@pytest.mark.parametrize("name", sorted(PAPER_MANAGER))
def test_only_the_paper_manager_opens_their_page(client, people, name):
    assert get_as(client, people, "paper_manager", name).status_code == 200
    for role in ["person", "reviewer", "committee", "chair", "other_chair", "author"]:
        client.logout()
        assert get_as(client, people, role, name).status_code == 403, role


@pytest.mark.parametrize("name", sorted(FOR_CHAIRS - POST_ONLY))
def test_the_paper_manager_acts_as_chair_only_on_papers_a_chair_is_in_conflict_with(client, people, name):
    # Paper 1 has a chair in conflict: its manager stands in. Paper 2 has none: a committee member.
    assert get_as(client, people, "paper_manager", name).status_code == 200
    assert get_as(client, people, "paper_manager", name, number=2).status_code == 403


@pytest.mark.parametrize("name", sorted(COMMITTEE))
def test_the_ranking_opens_for_the_committee_only(client, people, name):
    for role in ["chair", "committee", "staff"]:
        client.logout()
        assert get_as(client, people, role, name).status_code == 200, role
    for role in ["person", "reviewer", "assigned_reviewer", "other_chair", "author"]:
        client.logout()
        assert get_as(client, people, role, name).status_code == 403, role


@pytest.mark.parametrize("name", sorted(COMMITTEE_POSTS))
def test_only_the_papers_organisers_post_decisions_votes_and_meta_reviews(client, people, name):
    for role in OUTSIDERS + ["author", "assigned_reviewer"]:
        client.logout()
        assert get_as(client, people, role, name).status_code == 404, role
    for role in ["chair", "committee"]:
        client.logout()
        assert get_as(client, people, role, name).status_code == 302, (
            role
        )  # back to the paper, with a message


@pytest.mark.parametrize("name", sorted(RELEASED_DECISION))
def test_a_decision_reaches_its_authors_once_released_and_nobody_else(client, people, name):
    from django.utils import timezone

    from reviews.decisions import outcomes_for
    from reviews.models import Decision
    from submissions.models import Submission

    paper = Submission.objects.get(edition__series__slug="demo-series", number=1)
    outcome = outcomes_for(paper.edition)[0]
    decision = Decision.objects.create(submission=paper, outcome=outcome, decided_at=timezone.now())
    assert get_as(client, people, "author", name).status_code == 404  # internal until released
    decision.released_at = timezone.now()
    decision.save()
    client.logout()
    assert get_as(client, people, "author", name).status_code == 200
    for role in ["person", "other_author", "reviewer", "assigned_reviewer", "committee", "chair", "staff"]:
        client.logout()
        assert get_as(client, people, role, name).status_code == 404, role
