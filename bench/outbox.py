"""How fast the outbox takes mail in and pushes it through the worker's path.

Run: `make bench` (or `python -m bench.outbox`). Uses a scratch database unless DATABASE_URL is set.
"""

import os
import sys
import tempfile
import time

# A decision release for a large call (1,000 authors) must queue within two seconds, and the
# worker must add no more than 5 ms a mail to what the SMTP server itself takes.
QUEUE_TARGET_PER_SECOND = 500
SEND_TARGET_PER_SECOND = 200
COUNT = 1000


def main() -> int:
    handle, scratch = tempfile.mkstemp(suffix=".sqlite3")
    os.close(handle)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch}")
    if not os.environ["DATABASE_URL"].endswith(("bench", ".sqlite3")):
        # It empties the outbox: never against a database that matters.
        sys.exit("Point DATABASE_URL at a database whose name ends in 'bench', or leave it unset.")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import transaction

    from notifications import services
    from notifications.models import OutboxMessage

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("migrate", verbosity=0)
    OutboxMessage.objects.all().delete()

    started = time.perf_counter()
    with transaction.atomic():
        rows = [
            services.queue_mail(
                to=f"person{n}@example.org",
                subject=f"Receipt {n}",
                text="Thank you." * 50,
                key=f"bench:{n}",
                html="<p>Thank you.</p>" * 50,
            )
            for n in range(COUNT)
        ]
        # The commit would enqueue a task per row; the benchmark drives the worker's path itself.
        transaction.get_connection().run_on_commit.clear()
    queue_rate = COUNT / (time.perf_counter() - started)

    started = time.perf_counter()
    for row in rows:
        claimed = services.claim(message_pk=row.pk)
        services.deliver(message=claimed)
        services.mark_sent(message=claimed)
    send_rate = COUNT / (time.perf_counter() - started)

    assert OutboxMessage.objects.filter(state=OutboxMessage.State.SENT).count() == COUNT
    results = [
        ("queue mail", queue_rate, QUEUE_TARGET_PER_SECOND),
        ("claim, send, mark sent", send_rate, SEND_TARGET_PER_SECOND),
    ]
    print(f"outbox on {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}, {COUNT} mails")
    missed = False
    for name, rate, target in results:
        ok = rate >= target
        missed |= not ok
        print(f"  {name:<24} {rate:8.0f}/s   target ≥ {target}/s   {'ok' if ok else 'MISSED'}")
    os.unlink(scratch)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
