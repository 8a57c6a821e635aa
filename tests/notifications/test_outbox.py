from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from notifications import services
from notifications.models import OutboxMessage
from notifications.tasks import send_outbox_message
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
State = OutboxMessage.State


def queue(key="k1", **kwargs):
    defaults = {"to": "ana@example.org", "subject": "Receipt", "text": "Thank you.", "key": key}
    defaults.update(kwargs)
    return services.queue_mail(**defaults)


def test_nothing_is_sent_before_the_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        row = queue()
    assert row.state == State.QUEUED
    assert mail.outbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    row.refresh_from_db()
    assert row.state == State.SENT
    assert row.attempts == 1
    assert row.sent_at is not None
    assert [m.extra_headers["Message-ID"] for m in mail.outbox] == [row.message_id]


def test_the_same_key_queued_twice_is_one_row_and_one_mail(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = queue(key="receipt:42:ana")
        second = queue(key="receipt:42:ana", subject="A changed subject")
    assert first.pk == second.pk
    assert len(callbacks) == 1
    assert OutboxMessage.objects.count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Receipt"


def test_each_row_has_its_own_stable_message_id():
    ids = {queue(key=f"k{n}").message_id for n in range(20)}
    assert len(ids) == 20
    assert all(i.startswith("<") and i.endswith(">") for i in ids)


def test_a_task_run_twice_sends_once():
    row = queue()
    send_outbox_message.apply(args=[row.pk])
    send_outbox_message.apply(args=[row.pk])
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert (row.state, row.attempts) == (State.SENT, 1)


def test_only_one_claim_wins():
    row = queue()
    assert services.claim(row.pk) is not None
    assert services.claim(row.pk) is None
    row.refresh_from_db()
    assert row.state == State.SENDING


def test_html_and_language_travel_with_the_mail():
    row = queue(html="<p>Merci.</p>", language="fr")
    send_outbox_message.apply(args=[row.pk])
    sent = mail.outbox[0]
    assert sent.alternatives[0].content == "<p>Merci.</p>"
    assert sent.extra_headers["Content-Language"] == "fr"


def test_an_unreachable_smtp_server_leaves_the_row_to_retry_then_failed(settings):
    settings.EMAIL_BACKEND = "tests.notifications.backends.UnreachableSMTPBackend"
    settings.OUTBOX_MAX_ATTEMPTS = 3
    row = queue()
    # Eager mode runs Celery's retries at once, so the task gives up after the last allowed attempt.
    send_outbox_message.apply(args=[row.pk])
    row.refresh_from_db()
    assert row.state == State.FAILED
    assert row.attempts == 3
    assert "Service not available" in row.last_error


def test_a_failed_send_goes_back_to_the_queue_with_its_error(settings):
    settings.OUTBOX_MAX_ATTEMPTS = 5
    row = queue()
    claimed = services.claim(row.pk)
    assert services.release_after_failure(claimed, OSError("Connection refused")) is True
    row.refresh_from_db()
    assert (row.state, row.attempts) == (State.QUEUED, 1)
    assert row.last_error == "OSError: Connection refused"


def test_retry_delays_grow(settings):
    settings.OUTBOX_RETRY_BASE_SECONDS = 30
    assert [services.retry_delay(n) for n in (1, 2, 3)] == [30, 60, 120]


def test_the_sweeper_requeues_stuck_queued_rows_and_marks_stuck_sending_rows_unknown(
    settings, django_capture_on_commit_callbacks
):
    settings.OUTBOX_QUEUED_STALE_SECONDS = 300
    settings.OUTBOX_SENDING_STALE_SECONDS = 900
    with time_machine.travel(timezone.now() - timedelta(hours=1), tick=False):
        stuck_queued = queue(key="stuck-queued")
        stuck_sending = queue(key="stuck-sending")
        services.claim(stuck_sending.pk)
    fresh_sending = queue(key="fresh-sending")
    services.claim(fresh_sending.pk)
    fresh_queued = queue(key="fresh-queued")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = services.sweep_outbox()

    assert result == {"requeued": 1, "unknown": 1}
    assert len(callbacks) == 1
    states = dict(OutboxMessage.objects.values_list("idempotency_key", "state"))
    assert states == {
        "stuck-queued": State.SENT,
        "stuck-sending": State.UNKNOWN,
        "fresh-sending": State.SENDING,
        "fresh-queued": State.QUEUED,
    }
    assert [m.extra_headers["Message-ID"] for m in mail.outbox] == [stuck_queued.message_id]
    assert fresh_queued.pk


def test_a_slow_send_that_succeeds_after_being_marked_unknown_is_recorded_as_sent():
    row = queue()
    claimed = services.claim(row.pk)
    OutboxMessage.objects.filter(pk=row.pk).update(state=State.UNKNOWN)
    services.mark_sent(claimed)
    row.refresh_from_db()
    assert row.state == State.SENT


@pytest.fixture
def staff_client(client):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    staff = UserFactory(is_staff=True, is_superuser=True)
    TOTP.activate(staff, generate_totp_secret())
    client.force_login(staff)
    return client


def test_staff_resend_failed_and_unknown_mail_on_purpose_but_never_sent_mail(
    staff_client, django_capture_on_commit_callbacks
):
    failed = queue(key="failed")
    unknown = queue(key="unknown")
    sent = queue(key="sent")
    OutboxMessage.objects.filter(pk=failed.pk).update(state=State.FAILED, attempts=8, last_error="boom")
    OutboxMessage.objects.filter(pk=unknown.pk).update(state=State.UNKNOWN)
    OutboxMessage.objects.filter(pk=sent.pk).update(state=State.SENT)

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("admin:notifications_outboxmessage_changelist"),
            {"action": "resend_selected", "_selected_action": [failed.pk, unknown.pk, sent.pk]},
            follow=True,
        )
    assert response.status_code == 200
    page = response.content.decode()
    assert "2 mails queued again." in page
    assert "1 mail was skipped" in page
    assert sorted(m.extra_headers["Message-ID"] for m in mail.outbox) == sorted(
        [failed.message_id, unknown.message_id]
    )
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {State.SENT}


def test_the_outbox_list_costs_the_same_for_20_or_200_rows(staff_client, django_assert_max_num_queries):
    people = UserFactory.create_batch(5)

    def fill(count, start):
        for n in range(start, start + count):
            queue(
                key=f"bulk-{n}", to=people[n % 5].email, user=people[n % 5], subject=f"Mail {n}" * (n % 4 + 1)
            )

    url = reverse("admin:notifications_outboxmessage_changelist")
    fill(20, 0)
    with django_assert_max_num_queries(12):
        assert staff_client.get(url).status_code == 200
    fill(180, 20)
    with django_assert_max_num_queries(12):
        response = staff_client.get(url)
    assert response.context["cl"].result_count == 200


TEMPLATES_IN_MEMORY = {
    "mail/receipt_subject.txt": "{% load i18n %}{% translate 'Log in' %}:\n {{ title }}",
    "mail/receipt_message.txt": "Paper {{ title }}",
    "mail/receipt_message.html": "<p>Paper {{ title }}</p>",
    "mail/plain_subject.txt": "Plain",
    "mail/plain_message.txt": "Only text",
}


@pytest.fixture
def mail_templates(settings):
    settings.TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {"loaders": [("django.template.loaders.locmem.Loader", TEMPLATES_IN_MEMORY)]},
        }
    ]


def test_templated_mail_is_rendered_in_the_recipients_language(mail_templates):
    person = UserFactory(preferred_language="fr")
    row = services.queue_templated_mail(
        to=person.email,
        template="mail/receipt",
        context={"title": "SSE & SDGs"},
        key="receipt:1",
        user=person,
    )
    assert row.language == "fr"
    assert row.subject == "Connexion: SSE & SDGs"  # one line, translated, not HTML-escaped
    assert row.body_text == "Paper SSE & SDGs"
    assert row.body_html == "<p>Paper SSE &amp; SDGs</p>"


def test_templated_mail_without_an_html_template_is_text_only(mail_templates):
    row = services.queue_templated_mail(to="a@example.org", template="mail/plain", context={}, key="plain")
    assert (row.subject, row.body_text, row.body_html) == ("Plain", "Only text", "")


def test_a_send_whose_answer_was_lost_is_marked_unknown_and_never_retried(settings):
    settings.EMAIL_BACKEND = "tests.notifications.backends.AnswerLostBackend"
    row = queue()
    send_outbox_message.apply(args=[row.pk])
    row.refresh_from_db()
    assert row.state == State.UNKNOWN
    assert row.attempts == 1
    assert "may or may not have been sent" in row.last_error


def test_a_refused_send_is_retried_because_nothing_went_out(settings):
    settings.EMAIL_BACKEND = "tests.notifications.backends.RefusingBackend"
    settings.OUTBOX_MAX_ATTEMPTS = 2
    row = queue()
    send_outbox_message.apply(args=[row.pk])
    row.refresh_from_db()
    assert (row.state, row.attempts) == (State.FAILED, 2)
    assert "Try again later" in row.last_error


def test_a_permanent_refusal_fails_at_once_instead_of_retrying(settings):
    settings.EMAIL_BACKEND = "tests.notifications.backends.UnknownMailboxBackend"
    settings.OUTBOX_MAX_ATTEMPTS = 5
    row = queue()
    send_outbox_message.apply(args=[row.pk])
    row.refresh_from_db()
    assert (row.state, row.attempts) == (State.FAILED, 1)
    assert "No such user" in row.last_error


def test_the_sweeper_leaves_a_retry_alone_until_its_backoff_is_over(
    settings, django_capture_on_commit_callbacks
):
    settings.OUTBOX_QUEUED_STALE_SECONDS = 300
    settings.OUTBOX_RETRY_BASE_SECONDS = 600
    row = queue()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        services.release_after_failure(services.claim(row.pk), OSError("Connection refused"))
    with time_machine.travel(start + timedelta(seconds=400), tick=False):
        assert services.sweep_outbox() == {"requeued": 0, "unknown": 0}
    later = start + timedelta(seconds=600 + 301)
    with (
        time_machine.travel(later, tick=False),
        django_capture_on_commit_callbacks(execute=False) as callbacks,
    ):
        assert services.sweep_outbox() == {"requeued": 1, "unknown": 0}
    assert len(callbacks) == 1
