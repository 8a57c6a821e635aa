from celery import shared_task

from . import invitations


@shared_task(ignore_result=True)
def remind_unanswered_invitations() -> None:
    invitations.remind_unanswered()
