from celery import shared_task


@shared_task(ignore_result=True)
def send_event_reminders() -> None:
    """Hourly: the reminders due now, each registration's once however often it runs."""
    from .reminders import send_event_reminders as send

    send()


@shared_task(ignore_result=True)
def erase_expired_passport_data() -> None:
    """Daily: passport details and visa letters past their event's erasure delay."""
    from .privacy import erase_expired

    erase_expired()
