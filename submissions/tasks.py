from celery import shared_task

from . import archives


@shared_task(ignore_result=True)
def build_archive(archive_id: int) -> None:
    """Build one requested ZIP of PDFs. Safe to run twice: only the run that claims the row builds it."""
    archives.build_archive(archive_id=archive_id)


@shared_task(ignore_result=True)
def purge_old_archives() -> None:
    archives.purge_old_archives()
