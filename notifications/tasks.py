from celery import shared_task
from django.db import transaction

from . import services


@shared_task(bind=True, max_retries=None, ignore_result=True)
def send_outbox_message(self, message_pk: int) -> None:
    """Send one outbox row. Safe to run twice: only the worker that claims the row sends it."""
    message = services.claim(message_pk)
    if message is None:
        return
    try:
        services.deliver(message)
    except services.DeliveryUncertain as exc:
        services.mark_unknown(message, exc)
        return
    except services.TRANSIENT_ERRORS as exc:
        if services.release_after_failure(message, exc):
            raise self.retry(countdown=services.retry_delay(message.attempts), exc=exc) from exc
        return
    services.mark_sent(message)


@shared_task(ignore_result=True)
def sweep_outbox() -> None:
    with transaction.atomic():
        services.sweep_outbox()
