from celery import shared_task
from django.db import transaction

from . import services


@shared_task(bind=True, max_retries=None, ignore_result=True)
def send_outbox_message(self, message_pk: int) -> None:
    """Send one outbox row. Safe to run twice: only the worker that claims the row sends it."""
    message = services.claim(message_pk=message_pk)
    if message is None:
        return
    try:
        services.deliver(message=message)
    except services.DeliveryUncertain as exc:
        services.mark_unknown(message=message, error=exc)
        return
    except services.TRANSIENT_ERRORS as exc:
        if services.release_after_failure(message=message, error=exc):
            raise self.retry(countdown=services.retry_delay(message.attempts), exc=exc) from exc
        return
    except Exception as exc:
        # A mail that cannot even be built (a bug, a bad header) fails now, with its reason, rather
        # than waiting in `sending` for the sweeper to call it unknown. Raised again to be logged.
        services.mark_failed(message=message, error=exc)
        raise
    services.mark_sent(message=message)


@shared_task(ignore_result=True)
def sweep_outbox() -> None:
    with transaction.atomic():
        services.sweep_outbox()
