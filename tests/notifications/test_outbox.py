import contextlib
import smtplib
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
    assert services.claim(message_pk=row.pk) is not None
    assert services.claim(message_pk=row.pk) is None
    row.refresh_from_db()
    assert row.state == State.SENDING


def test_html_and_language_travel_with_the_mail():
    row = queue(html="<p>Merci.</p>", language="fr")
    send_outbox_message.apply(args=[row.pk])
    sent = mail.outbox[0]
    assert sent.alternatives[0].content == "<p>Merci.</p>"
    assert sent.extra_headers["Content-Language"] == "fr"


@pytest.mark.parametrize(
    "backend, outcome, error",
    [
        # Nothing went out: retried until the last allowed attempt, then failed.
        ("UnreachableSMTPBackend", (State.FAILED, 3), "Service not available"),
        ("RefusingBackend", (State.FAILED, 3), "Try again later"),
        # A configuration mistake staff can fix: retried too, not taken for a refused recipient.
        ("WrongPasswordBackend", (State.FAILED, 3), "SMTPAuthenticationError"),
        # The mailbox does not exist: it will be refused again, so it fails at once.
        ("UnknownMailboxBackend", (State.FAILED, 1), "No such user"),
        # The server may have accepted it: never sent again, left for staff to check.
        ("AnswerLostBackend", (State.UNKNOWN, 1), "may or may not have been sent"),
    ],
)
def test_what_a_failed_send_leaves_behind(settings, backend, outcome, error):
    settings.EMAIL_BACKEND = f"tests.notifications.backends.{backend}"
    settings.OUTBOX_MAX_ATTEMPTS = 3
    row = queue()
    # Eager mode runs Celery's retries at once, so the task ends after its last allowed attempt.
    send_outbox_message.apply(args=[row.pk])
    row.refresh_from_db()
    assert (row.state, row.attempts) == outcome
    assert error in row.last_error


def test_a_failed_send_goes_back_to_the_queue_with_its_error(settings):
    settings.OUTBOX_MAX_ATTEMPTS = 5
    row = queue()
    claimed = services.claim(message_pk=row.pk)
    assert services.release_after_failure(message=claimed, error=OSError("Connection refused")) is True
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
        services.claim(message_pk=stuck_sending.pk)
    fresh_sending = queue(key="fresh-sending")
    services.claim(message_pk=fresh_sending.pk)
    queue(key="fresh-queued")

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


def test_a_slow_send_that_succeeds_after_being_marked_unknown_is_recorded_as_sent():
    row = queue()
    claimed = services.claim(message_pk=row.pk)
    OutboxMessage.objects.filter(pk=row.pk).update(state=State.UNKNOWN)
    services.mark_sent(message=claimed)
    row.refresh_from_db()
    assert row.state == State.SENT


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


def test_the_sweeper_leaves_a_retry_alone_until_its_backoff_is_over(
    settings, django_capture_on_commit_callbacks
):
    settings.OUTBOX_QUEUED_STALE_SECONDS = 300
    settings.OUTBOX_RETRY_BASE_SECONDS = 600
    row = queue()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        services.release_after_failure(
            message=services.claim(message_pk=row.pk), error=OSError("Connection refused")
        )
    with time_machine.travel(start + timedelta(seconds=400), tick=False):
        assert services.sweep_outbox() == {"requeued": 0, "unknown": 0}
    later = start + timedelta(seconds=600 + 301)
    with (
        time_machine.travel(later, tick=False),
        django_capture_on_commit_callbacks(execute=False) as callbacks,
    ):
        assert services.sweep_outbox() == {"requeued": 1, "unknown": 0}
    assert len(callbacks) == 1


@pytest.mark.parametrize(
    ("error", "permanent"),
    [
        (smtplib.SMTPRecipientsRefused({"a@example.org": (550, b"No such user")}), True),
        (
            smtplib.SMTPRecipientsRefused({"a@example.org": (550, b"No"), "b@example.org": (451, b"Later")}),
            False,
        ),
        (smtplib.SMTPDataError(554, b"Message rejected as spam"), True),
        (smtplib.SMTPDataError(451, b"Try again later"), False),
        (smtplib.SMTPAuthenticationError(535, b"Authentication credentials invalid"), False),
        (smtplib.SMTPSenderRefused(553, b"Sender not allowed", "noreply@convene.localhost"), False),
        (smtplib.SMTPConnectError(421, "Service not available"), False),
        (OSError("Connection refused"), False),
    ],
    ids=["unknown-mailbox", "one-recipient-later", "spam", "data-later", "login", "sender", "connect", "os"],
)
def test_only_a_refusal_of_the_recipient_or_the_content_is_permanent(error, permanent):
    assert services.is_permanent(error) is permanent


def test_a_mail_that_cannot_be_built_fails_with_its_reason_instead_of_hanging_in_sending():
    row = queue()
    # A row written before subjects were put on one line.
    OutboxMessage.objects.filter(pk=row.pk).update(subject="Receipt\nBcc: eve@example.org")
    result = send_outbox_message.apply(args=[row.pk])
    assert result.failed()  # raised again, so that the worker logs it
    row.refresh_from_db()
    assert (row.state, row.attempts) == (State.FAILED, 1)
    assert row.last_error.startswith("BadHeaderError: Header values can't contain newlines")
    assert mail.outbox == []


def test_a_subject_is_put_on_one_line(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        row = queue(subject="Your paper\r\n  was  accepted\n")
    row.refresh_from_db()
    assert (row.subject, row.state) == ("Your paper was accepted", State.SENT)
    assert mail.outbox[0].subject == "Your paper was accepted"


@pytest.mark.parametrize("to", ["ana@example.org\nBcc: eve@example.org", "Ana <ana@example.org>", "ana", ""])
def test_an_invalid_recipient_is_refused_before_a_row_is_written(to):
    with pytest.raises(ValueError, match="Not a valid e-mail address"):
        queue(to=to)
    assert not OutboxMessage.objects.exists()


def test_a_key_too_long_for_its_column_is_shortened_and_still_sends_once(django_capture_on_commit_callbacks):
    address = "a" * 64 + "@" + ("d" * 60 + ".") * 3 + "org"  # 250 characters, a valid address
    key = f"account:account/email/email_confirmation_signup:{address}:0123abcd"
    with django_capture_on_commit_callbacks(execute=True):
        first = queue(key=key, to=address)
        second = queue(key=key, to=address)
        other = queue(key=key.replace("0123abcd", "4567ef01"), to=address)
    assert first.pk == second.pk != other.pk
    assert len(first.idempotency_key) == len(other.idempotency_key) == 255
    assert first.idempotency_key.startswith("account:account/email/email_confirmation_signup:aaaa")
    assert len(mail.outbox) == 2


def test_a_key_queued_again_for_another_recipient_is_refused_rather_than_lost():
    queue(key="decision:7", to="Ana@Example.org")
    assert queue(key="decision:7", to="ana@example.org").recipient == "Ana@Example.org"
    with pytest.raises(ValueError, match="'decision:7'"):
        queue(key="decision:7", to="bea@example.org")
    assert OutboxMessage.objects.count() == 1


def test_the_sweeper_requeues_the_longest_waiting_rows_first(settings, django_capture_on_commit_callbacks):
    settings.OUTBOX_QUEUED_STALE_SECONDS = 300
    now = timezone.now()
    rows = []
    for hours in (3, 2, 1):
        with time_machine.travel(now - timedelta(hours=hours), tick=False):
            rows.append(queue(key=f"stuck-{hours}h"))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.sweep_outbox() == {"requeued": 3, "unknown": 0}
    assert [m.extra_headers["Message-ID"] for m in mail.outbox] == [row.message_id for row in rows]


@contextlib.contextmanager
def broker_down():
    """Celery publishes for real, to a broker that refuses every connection, as when Redis is down."""
    from config.celery import app

    down = {
        "task_always_eager": False,
        "broker_url": "redis://127.0.0.1:1/0",
        # Fail at once: Celery's and kombu's own reconnection attempts would take seconds.
        "task_publish_retry": False,
        "broker_transport_options": {"max_retries": 0},
    }
    saved = {name: app.conf[name] for name in down}
    # Celery keeps the connection pools it made for its first publish (eager mode makes them too):
    # set them aside, so that this publish goes to the dead broker and later ones where they went.
    # The dead broker's pools keep no connection open: none could be made.
    saved_pools = app._pool, app.amqp._producer_pool
    app._pool = app.amqp._producer_pool = None
    app.conf.update(down)
    try:
        yield
    finally:
        app.conf.update(saved)
        app._pool, app.amqp._producer_pool = saved_pools


def test_a_broker_that_is_down_leaves_the_mail_queued_for_the_sweeper(
    settings, django_capture_on_commit_callbacks, caplog
):
    settings.OUTBOX_QUEUED_STALE_SECONDS = 300
    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        row = queue()  # as sign-up does: the request must not fail once the row is committed
    row.refresh_from_db()
    assert row.state == State.QUEUED
    assert [(r.levelname, r.name) for r in caplog.records] == [("WARNING", "notifications.services")]
    assert "stays queued for the sweeper" in caplog.text

    with (
        time_machine.travel(timezone.now() + timedelta(minutes=10), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.sweep_outbox()
    row.refresh_from_db()
    assert row.state == State.SENT
    assert [m.extra_headers["Message-ID"] for m in mail.outbox] == [row.message_id]
