from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from conference.models import Topic
from notifications.models import OutboxMessage
from submissions import services
from submissions.demo_pdf import make_pdf
from submissions.models import Document, Submission

State = Submission.State


@pytest.fixture
def accepted(draft, author, chair):
    services.submit(submission=draft, by=author)
    services.set_submission_state(draft, State.UNDER_REVIEW, by=chair)
    services.set_submission_state(draft, State.ACCEPTED, by=chair)
    draft.refresh_from_db()
    return draft


def final_data(submission, **extra):
    return {
        "revision": submission.revision,
        "language": "en",
        "title": "Solidarity finance in cities (final)",
        "abstract": "The final abstract.",
        "topics": [Topic.objects.sdgs()[7].pk],
        "keywords_text": "finance, cooperatives",
        "key_message_0": "Let cooperative banks lend to social enterprises on equal terms.",
        "key_message_1": "Count SSE employment in national statistics.",
        "licence": "on",
        "file": SimpleUploadedFile("final.pdf", make_pdf(title="Final", pages=4)),
        **extra,
    }


def test_an_author_delivers_the_final_version_with_the_metadata_to_publish(client, accepted, author, chair):
    client.force_login(author)
    response = client.post(accepted.url("final"), final_data(accepted))
    assert response.status_code == 302, response.context["form"].errors
    accepted.refresh_from_db()
    assert accepted.state == State.FINAL_SUBMITTED
    assert accepted.title == "Solidarity finance in cities (final)"
    assert accepted.key_messages == [
        "Let cooperative banks lend to social enterprises on equal terms.",
        "Count SSE employment in national statistics.",
    ]
    assert accepted.licence_accepted_at is not None
    final = accepted.documents.get(kind=Document.Kind.FINAL)
    receipt = OutboxMessage.objects.get(subject__contains="final version of paper", recipient=author.email)
    assert final.sha256 in receipt.body_text
    assert OutboxMessage.objects.filter(
        recipient=chair.email, subject__contains="ready for your check"
    ).exists()


def test_without_the_licence_or_a_key_message_nothing_is_sent(client, accepted, author):
    client.force_login(author)
    response = client.post(accepted.url("final"), final_data(accepted, licence="", key_message_0=""))
    assert set(response.context["form"].errors) == {"licence", "key_message_0"}
    accepted.refresh_from_db()
    assert accepted.state == State.ACCEPTED and not accepted.documents.filter(kind="final").exists()


def test_a_broken_final_pdf_is_refused_and_the_typed_metadata_stays_on_the_form(client, accepted, author):
    client.force_login(author)
    data = final_data(accepted, file=SimpleUploadedFile("final.pdf", b"%PDF-1.7 nothing else"))
    response = client.post(accepted.url("final"), data)
    assert "damaged" in str(response.context["form"].errors["file"])
    assert "The final abstract." in response.content.decode()
    assert Submission.objects.get(pk=accepted.pk).state == State.ACCEPTED


def test_after_the_final_deadline_the_form_is_closed(client, accepted, author, edition):
    with time_machine.travel(edition.camera_ready_deadline + timedelta(seconds=1)):
        client.force_login(author)
        response = client.post(accepted.url("final"), final_data(accepted))
    assert response.status_code == 200 and response.context["form"] is None
    assert Submission.objects.get(pk=accepted.pk).state == State.ACCEPTED


def test_the_chair_sends_it_back_with_a_comment_then_approves_the_next_one(client, accepted, author, chair):
    client.force_login(author)
    client.post(accepted.url("final"), final_data(accepted))
    client.force_login(chair)
    assert client.get(accepted.url("final_check")).status_code == 200
    response = client.post(accepted.url("final_check"), {"action": "send_back", "note": ""})
    assert Submission.objects.get(pk=accepted.pk).state == State.FINAL_SUBMITTED  # a note is required
    client.post(accepted.url("final_check"), {"action": "send_back", "note": "Use the template's fonts."})
    assert Submission.objects.get(pk=accepted.pk).state == State.ACCEPTED
    mail = OutboxMessage.objects.get(recipient=author.email, subject__contains="needs a change")
    assert "Use the template's fonts." in mail.body_text
    client.force_login(author)
    accepted.refresh_from_db()
    assert "Use the template" in client.get(accepted.url("final")).content.decode()
    client.post(accepted.url("final"), final_data(accepted))
    client.force_login(chair)
    response = client.post(accepted.url("final_check"), {"action": "approve"})
    assert response.status_code == 302
    accepted.refresh_from_db()
    assert accepted.state == State.CAMERA_READY
    assert list(accepted.documents.filter(kind="final").values_list("version", flat=True)) == [2, 1]
    assert OutboxMessage.objects.filter(recipient=author.email, subject__contains="is approved").exists()


def test_an_author_cannot_approve_their_own_final_version(client, accepted, author):
    client.force_login(author)
    client.post(accepted.url("final"), final_data(accepted))
    assert client.post(accepted.url("final_check"), {"action": "approve"}).status_code == 403
    assert Submission.objects.get(pk=accepted.pk).state == State.FINAL_SUBMITTED
