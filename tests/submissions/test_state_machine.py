from datetime import timedelta

import pytest
import time_machine

from notifications.models import OutboxMessage
from submissions import services
from submissions.models import StateChange, Submission
from tests.factories import UserFactory

from .conftest import complete_draft

State = Submission.State


def test_submitting_a_complete_draft_logs_it_and_sends_every_author_a_receipt(draft, author):
    services.submit(submission=draft, by=author)
    draft.refresh_from_db()
    assert draft.state == State.SUBMITTED
    change = StateChange.objects.get(submission=draft)
    assert (change.old, change.new, change.by) == (State.DRAFT, State.SUBMITTED, author)
    receipt = OutboxMessage.objects.get(recipient=author.email)
    assert draft.documents.get().sha256 in receipt.body_text
    assert str(draft.number) in receipt.subject


def test_a_second_submit_does_nothing_more(draft, author):
    services.submit(submission=draft, by=author)
    services.submit(submission=draft, by=author)
    assert StateChange.objects.filter(submission=draft).count() == 1
    assert OutboxMessage.objects.count() == 1


def test_an_incomplete_draft_is_refused_with_what_is_missing(edition, author):
    submission = services.start_draft(edition=edition, by=author)
    with pytest.raises(services.TransitionNotAllowed) as refusal:
        services.submit(submission=submission, by=author)
    assert "Give the paper a title." in refusal.value.messages
    assert "Upload the paper as PDF." in refusal.value.messages


def test_a_submit_one_second_after_the_deadline_is_refused_and_the_text_kept(draft, author, edition):
    late = edition.submission_deadline + timedelta(seconds=1)
    with time_machine.travel(late), pytest.raises(services.TransitionNotAllowed, match="deadline"):
        services.submit(submission=draft, by=author)
    draft.refresh_from_db()
    assert draft.state == State.DRAFT
    assert draft.title == "Solidarity finance in cities"


def test_a_submit_one_second_before_the_deadline_goes_through(draft, author, edition):
    with time_machine.travel(edition.submission_deadline - timedelta(seconds=1)):
        services.submit(submission=draft, by=author)
    assert Submission.objects.get(pk=draft.pk).state == State.SUBMITTED


def test_a_chair_extension_lets_one_paper_in_late(draft, author, edition, chair):
    services.grant_extension(
        submission=draft, by=chair, until=edition.submission_deadline + timedelta(days=2)
    )
    with time_machine.travel(edition.submission_deadline + timedelta(days=1)):
        services.submit(submission=Submission.objects.get(pk=draft.pk), by=author)
    assert Submission.objects.get(pk=draft.pk).state == State.SUBMITTED


def test_only_a_chair_grants_an_extension(draft, author, edition):
    with pytest.raises(Exception, match="chair"):
        services.grant_extension(
            submission=draft, by=author, until=edition.submission_deadline + timedelta(days=2)
        )


def test_more_papers_than_the_per_author_limit_are_refused(edition, author):
    edition.submissions_per_author = 2
    edition.save()
    for title in ["One", "Two"]:
        services.submit(submission=complete_draft(edition, author, title=title), by=author)
    third = complete_draft(edition, author, title="Three")
    with pytest.raises(services.TransitionNotAllowed, match="already an author of 2 papers"):
        services.submit(submission=third, by=author)
    assert Submission.objects.get(pk=third.pk).state == State.DRAFT


def test_withdrawn_papers_do_not_count_against_the_limit(edition, author):
    edition.submissions_per_author = 1
    edition.save()
    first = complete_draft(edition, author, title="One")
    services.submit(submission=first, by=author)
    services.withdraw(submission=first, by=author)
    services.submit(submission=complete_draft(edition, author, title="Two"), by=author)


def test_withdrawing_mails_every_author_and_the_chairs(draft, author, chair):
    services.submit(submission=draft, by=author)
    services.withdraw(submission=draft, by=author, note="Found an error.")
    assert Submission.objects.get(pk=draft.pk).state == State.WITHDRAWN
    recipients = set(
        OutboxMessage.objects.filter(subject__contains="withdrawn").values_list("recipient", flat=True)
    )
    assert recipients == {author.email, chair.email}


def test_after_acceptance_an_author_can_only_ask_to_withdraw(draft, author, chair):
    services.submit(submission=draft, by=author)
    services.set_submission_state(draft, State.UNDER_REVIEW, by=chair)
    services.set_submission_state(draft, State.ACCEPTED, by=chair)
    services.withdraw(submission=draft, by=author, note="Published elsewhere.")
    draft.refresh_from_db()
    assert draft.state == State.ACCEPTED
    assert draft.withdrawal_requested_at is not None
    assert OutboxMessage.objects.filter(recipient=chair.email, subject__contains="ask to withdraw").exists()
    services.set_submission_state(draft, State.WITHDRAWN, by=chair)
    assert Submission.objects.get(pk=draft.pk).state == State.WITHDRAWN


def test_an_author_cannot_move_a_paper_where_only_a_chair_may(draft, author):
    services.submit(submission=draft, by=author)
    with pytest.raises(services.TransitionNotAllowed, match="Only a chair"):
        services.set_submission_state(draft, State.UNDER_REVIEW, by=author)


def test_a_stranger_cannot_withdraw_a_paper(draft):
    with pytest.raises(services.TransitionNotAllowed):
        services.withdraw(submission=draft, by=UserFactory())


def test_impossible_moves_say_so(draft, chair):
    with pytest.raises(services.TransitionNotAllowed, match="cannot become"):
        services.set_submission_state(draft, State.PUBLISHED, by=chair)


def test_desk_reject_needs_a_note_and_mails_it(draft, author, chair):
    services.submit(submission=draft, by=author)
    with pytest.raises(Exception, match="note"):
        services.desk_reject(submission=draft, by=chair, note=" ")
    services.desk_reject(submission=draft, by=chair, note="Out of scope for this call.")
    assert Submission.objects.get(pk=draft.pk).state == State.REJECTED
    mail = OutboxMessage.objects.get(recipient=author.email, subject__contains="will not be reviewed")
    assert "Out of scope for this call." in mail.body_text


def test_a_state_written_anywhere_else_is_refused(draft):
    paper = Submission.objects.get(pk=draft.pk)
    paper.state = State.SUBMITTED
    with pytest.raises(RuntimeError, match="set_submission_state"):
        paper.save()
    assert Submission.objects.get(pk=draft.pk).state == State.DRAFT


def test_no_code_updates_a_papers_state_in_bulk():
    # QuerySet.update() skips save(): nothing outside the state function may write `state` that way.
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[2]
    writers = []
    for path in root.glob("[a-z]*/**/*.py"):
        if ".venv" in path.parts or "tests" in path.parts or "migrations" in path.parts:
            continue
        if re.search(r"Submission\.objects[^\n]*\.update\([^)]*\bstate=", path.read_text()):
            writers.append(path.relative_to(root).as_posix())
    assert writers == []
