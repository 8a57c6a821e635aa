"""Holes a review found: chairs judging their own papers, typo'd co-author links, leaking mail,
account probing, lost edits. Each test names the behaviour that closes one."""

import pytest

from conference.models import Role
from notifications.models import OutboxMessage
from submissions import services
from submissions.models import Authorship, Conflict, Submission
from tests.factories import AuthorshipFactory, UserFactory

from .conftest import complete_draft

State = Submission.State


def authors_data(submission, rows):
    data = {"revision": submission.revision, "authors-TOTAL_FORMS": str(len(rows)),
            "authors-INITIAL_FORMS": str(sum(1 for r in rows if "id" in r))}  # fmt: skip
    for index, row in enumerate(rows):
        data.update({f"authors-{index}-{key}": value for key, value in row.items()})
    return data


def test_a_chair_who_is_an_author_cannot_act_as_chair_on_their_own_paper(client, edition, chair):
    paper = complete_draft(edition, chair)
    services.submit(submission=paper, by=chair)
    with pytest.raises(services.TransitionNotAllowed):
        services.desk_reject(submission=paper, by=chair, note="Mine, and out of scope.")
    with pytest.raises(Exception, match="chair"):
        services.grant_extension(submission=paper, by=chair, until=None)
    client.force_login(chair)
    for action in ("desk_reject", "extension", "final_check"):
        assert client.get(paper.url(action)).status_code == 404
    assert client.get(paper.get_absolute_url()).status_code == 200  # as its author
    listing = client.get(f"/calls/{edition.series.slug}/{edition.year}/chair/submissions/")
    assert paper.title not in listing.content.decode()


def test_correcting_a_coauthors_address_sends_a_new_link_and_kills_the_old_one(client, edition, author):
    paper = complete_draft(edition, author)
    me = paper.authorships.get()
    client.force_login(author)
    me_row = {"id": me.pk, "name": me.name, "email": me.email, "corresponding": "on", "ORDER": "1"}
    typo = {"name": "Ben", "email": "ben@typo.example", "ORDER": "2"}
    client.post(paper.url("step", "authors"), authors_data(paper, [me_row, typo]))
    ben = Authorship.objects.get(email="ben@typo.example")
    old_link = ben.get_claim_url()
    paper.refresh_from_db()
    response = client.post(
        paper.url("step", "authors"),
        authors_data(
            paper, [me_row, {"id": ben.pk, "name": "Ben", "email": "ben@coop.example", "ORDER": "2"}]
        ),
    )
    assert response.status_code == 302
    ben.refresh_from_db()
    assert ben.email == "ben@coop.example" and ben.get_claim_url() != old_link
    assert OutboxMessage.objects.filter(
        recipient="ben@coop.example", idempotency_key__startswith="coauthor:"
    ).exists()
    client.force_login(UserFactory())
    assert client.get(old_link).status_code == 410


def test_withdrawing_a_draft_mails_no_chair_and_a_conflicted_chair_never_hears(edition, author, chair):
    draft = complete_draft(edition, author, title="Draft only")
    services.withdraw(submission=draft, by=author)
    assert not OutboxMessage.objects.filter(recipient=chair.email).exists()
    other_chair = UserFactory()
    Role.objects.create(edition=edition, user=other_chair, kind=Role.Kind.CHAIR)
    paper = complete_draft(edition, author, title="Submitted one")
    services.submit(submission=paper, by=author)
    Conflict.objects.create(submission=paper, user=other_chair, kind=Conflict.Kind.ADDED_BY_CHAIR)
    services.withdraw(submission=paper, by=author)
    assert OutboxMessage.objects.filter(recipient=chair.email, subject__contains="withdrawn").exists()
    assert not OutboxMessage.objects.filter(recipient=other_chair.email).exists()


def test_the_conflicts_step_never_says_whether_an_address_has_an_account(client, edition, author):
    paper = complete_draft(edition, author)
    UserFactory(email="Known.Person@Example.org")
    client.force_login(author)
    response = client.post(
        paper.url("step", "conflicts"),
        {"revision": paper.revision, "people": "known.person@example.org\nstranger@nowhere.example"},
    )
    assert response.status_code == 302
    kinds = {(c.user.email if c.user else c.email) for c in paper.conflicts.all()}
    assert kinds == {"Known.Person@Example.org", "stranger@nowhere.example"}


def test_a_conflict_named_by_address_holds_once_that_person_signs_up(client, edition, author, chair):
    paper = complete_draft(edition, author)
    services.submit(submission=paper, by=author)
    Conflict.objects.create(
        submission=paper, email="later@committee.example", kind=Conflict.Kind.DECLARED_BY_AUTHOR
    )
    member = UserFactory(email="later@committee.example")
    Role.objects.create(edition=edition, user=member, kind=Role.Kind.COMMITTEE)
    assert not Submission.objects.visible_to(member).filter(pk=paper.pk).exists()
    assert Submission.objects.visible_to(chair).filter(pk=paper.pk).exists()


def test_a_second_click_after_a_stale_authors_save_is_refused_again(client, edition, author):
    paper = complete_draft(edition, author)
    me = paper.authorships.get()
    client.force_login(author)
    stale = paper.revision
    services.change_submission(submission=paper, by=author, revision=None, change=lambda s: None)
    row = {"id": me.pk, "name": "Renamed", "email": me.email, "corresponding": "on", "ORDER": "1"}
    data = authors_data(paper, [row])
    data["revision"] = stale
    first = client.post(paper.url("step", "authors"), data)
    assert "co-author changed this paper" in first.content.decode()
    assert f'name="revision" value="{stale}"' in first.content.decode()
    client.post(paper.url("step", "authors"), data)  # the same stale form, sent again
    assert Authorship.objects.get(pk=me.pk).name == me.name


def test_a_malformed_revision_is_refused_not_a_crash(client, edition, author):
    paper = complete_draft(edition, author)
    client.force_login(author)
    response = client.post(paper.url("step", "paper"), {"revision": "abc", "title": "X", "abstract": "Y"})
    assert response.status_code == 200


def test_erasing_an_account_leaves_an_authorship_another_account_claimed(edition, author):
    from accounts.services import delete_account

    paper = complete_draft(edition, author)
    claimer = UserFactory()
    AuthorshipFactory(submission=paper, user=claimer, email="shared@example.org", position=1)
    same_address = UserFactory(email="shared@example.org")
    delete_account(user=same_address)
    assert paper.authorships.filter(user=claimer).exists()


def test_a_paper_has_at_most_twenty_authors(client, edition, author):
    paper = complete_draft(edition, author)
    me = paper.authorships.get()
    client.force_login(author)
    rows = [{"id": me.pk, "name": me.name, "email": me.email, "corresponding": "on", "ORDER": "1"}]
    rows += [{"name": f"P{n}", "email": f"p{n}@example.org", "ORDER": str(n + 2)} for n in range(20)]
    response = client.post(paper.url("step", "authors"), authors_data(paper, rows))
    assert response.status_code == 200
    assert paper.authorships.count() == 1
    assert not OutboxMessage.objects.filter(idempotency_key__startswith="coauthor:").exists()
