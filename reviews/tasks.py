from celery import shared_task

from conference.models import Edition

from . import conflicts


@shared_task(ignore_result=True)
def detect_conflicts(edition_id: int) -> None:
    """Find the edition's conflicts again; safe to run twice (it only adds and removes what changed)."""
    edition = Edition.objects.filter(pk=edition_id).first()
    if edition:
        conflicts.detect_conflicts(edition=edition)


@shared_task(ignore_result=True)
def build_assignment_run(run_id: int) -> None:
    """Compute one automatic assignment; a duplicate delivery finds the row claimed and does nothing."""
    from .auto_assign import build_run

    build_run(run_id=run_id)


@shared_task(ignore_result=True)
def send_review_reminders() -> None:
    from .reminders import send_review_reminders as send

    send()


@shared_task(ignore_result=True)
def release_decisions(release_id: int) -> None:
    """Send an edition's decisions; a duplicate delivery finds the release claimed and does nothing."""
    from .release import run_release

    run_release(release_id)


@shared_task(ignore_result=True)
def resume_stalled_releases() -> None:
    from .release import resume_stalled_releases as resume

    resume()
