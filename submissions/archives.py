"""The ZIP of an edition's current PDFs: a row first (the chair watches it fill), then a worker builds it."""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import tempfile
import zipfile
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerError

from conference.models import Edition

from .exports import neutralised
from .models import Archive, Document, Submission
from .selectors import edition_submissions
from .services import is_chair

logger = logging.getLogger(__name__)
State = Archive.State

# A "running" archive older than this lost its worker (a restart, a killed process): it may be built again.
STALE_AFTER = timedelta(hours=2)
# Progress is saved after every few files: the chair sees it move without a write per small PDF.
PROGRESS_EVERY = 5
CHUNK = 1024 * 1024


def file_name(submission: Submission) -> str:
    """`007-solidarity-finance-in-cities.pdf`: the number keeps it unique, the title makes it readable."""
    title = slugify(submission.title)[:60].strip("-") or "paper"
    return f"{submission.number:03d}-{title}.pdf"


@transaction.atomic
def request_archive(*, edition: Edition, by) -> Archive:
    """A queued archive of the current PDFs of the papers `by` sees in the edition, built once this commits.

    Only a chair of the edition (or staff) may ask. Asking again while one of theirs is still
    waiting or being built (and not stale) returns that one: a double click builds one ZIP.
    """
    if not is_chair(edition, by):
        raise ValidationError(_("Only a chair of this edition can do this."), code="actor")
    Edition.objects.select_for_update().only("pk").get(pk=edition.pk)  # two clicks queue up here, in turn
    pending = Archive.objects.filter(
        edition=edition,
        requested_by=by,
        state__in=[State.QUEUED, State.RUNNING],
        created_at__gte=timezone.now() - STALE_AFTER,  # one whose worker was lost must not block a new one
    ).first()
    if pending is not None:
        return pending
    archive = Archive.objects.create(edition=edition, requested_by=by)
    transaction.on_commit(lambda: _enqueue(archive.pk), robust=True)
    return archive


def _enqueue(archive_id: int) -> None:
    from .tasks import build_archive as build_archive_task

    try:
        build_archive_task.delay(archive_id)
    except BrokerError as exc:
        # The row stays queued and the page says so; the request that asked must not fail.
        logger.warning("Archive %s could not be handed to the broker (%s).", archive_id, exc)


def _claim(archive_id: int) -> Archive | None:
    """queued -> running (or a stale running one again), atomically: of two workers, one builds."""
    now = timezone.now()
    claimed = Archive.objects.filter(
        Q(state=State.QUEUED) | Q(state=State.RUNNING, created_at__lt=now - STALE_AFTER), pk=archive_id
    ).update(state=State.RUNNING, done=0, error="")
    if not claimed:
        return None
    return Archive.objects.select_related("edition__series", "requested_by").get(pk=archive_id)


def build_archive(*, archive_id: int) -> None:
    """Build the ZIP of one archive row; does nothing if another run has it or it is already finished.

    The ZIP holds each visible paper's current PDF (its highest "paper" version) as
    `<number>-<title>.pdf`, and a manifest.csv of number, title, file name and SHA-256. `done` and
    `total` follow the work. Any error marks the archive failed with its text (for staff; the page
    shows a generic message) and is logged, not raised.
    """
    archive = _claim(archive_id)
    if archive is None:
        return
    try:
        _build(archive)
    except Exception as exc:
        logger.exception("Archive %s failed.", archive_id)
        Archive.objects.filter(pk=archive_id).update(
            state=State.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000], finished_at=timezone.now()
        )


def _build(archive: Archive) -> None:
    person = archive.requested_by
    # The rule of the moment, not of the request: someone no longer chairing gets nothing.
    if person is None or not is_chair(archive.edition, person):
        raise PermissionError("The person who asked for this archive no longer chairs the edition.")
    papers = (
        edition_submissions(edition=archive.edition, user=person)
        .prefetch_related(Prefetch("documents", queryset=Document.objects.filter(kind=Document.Kind.PAPER)))
        .order_by("number")
    )
    with_pdf = [(paper, paper.current_document()) for paper in papers]
    with_pdf = [(paper, document) for paper, document in with_pdf if document is not None]
    archive.total = len(with_pdf)
    archive.save(update_fields=["total"])
    manifest = io.StringIO()
    writer = csv.writer(manifest)
    writer.writerow(["number", "title", "file", "sha256"])
    with tempfile.TemporaryFile(suffix=".zip") as spool:
        with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as bundle:
            for index, (paper, document) in enumerate(with_pdf, start=1):
                name = file_name(paper)
                digest = hashlib.sha256()
                # PDFs are compressed already: stored as they are, the ZIP is built at disk speed.
                with document.file.open("rb") as source, bundle.open(name, "w", force_zip64=True) as target:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        target.write(chunk)
                writer.writerow([paper.number, neutralised(paper.title), name, digest.hexdigest()])
                archive.done = index
                if index % PROGRESS_EVERY == 0:
                    archive.save(update_fields=["done"])
            bundle.writestr("manifest.csv", manifest.getvalue().encode("utf-8-sig"), zipfile.ZIP_DEFLATED)
        spool.seek(0)
        edition = archive.edition
        archive.file.save(f"{edition.series.slug}-{edition.year}-papers.zip", File(spool), save=False)
    archive.state = State.DONE
    archive.finished_at = timezone.now()
    archive.save(update_fields=["file", "state", "done", "finished_at"])


# A ZIP holds every paper of a call: it is kept long enough to download, not for ever.
KEEP_FOR = timedelta(days=7)


def purge_old_archives(*, now=None) -> int:
    """Delete archives (row and file) finished or failed more than KEEP_FOR ago; returns how many."""
    cutoff = (now or timezone.now()) - KEEP_FOR
    old = Archive.objects.filter(created_at__lt=cutoff).exclude(state__in=[State.QUEUED, State.RUNNING])
    count = 0
    for archive in old:
        if archive.file:
            archive.file.delete(save=False)
        archive.delete()
        count += 1
    return count
