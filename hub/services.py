"""Publishing into the hub: a camera-ready paper becomes a Publication with frozen metadata and a
number of its own; corrections make new versions; a withdrawal leaves a tombstone."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from conference.models import Edition
from notifications.services import queue_templated_mail
from submissions.models import Submission
from submissions.services import chairs_paper, set_submission_state

from . import search
from .models import Publication, PublicationAuthor, PublicationFile


def publishable(edition: Edition, user):
    """Papers the chair may publish now: approved final versions they may act on."""
    return (
        Submission.objects.organised_by(user)
        .filter(edition=edition, state=Submission.State.CAMERA_READY)
        .order_by("number")
    )


NUMBERING_LOCK = 0x4855_4231  # "HUB1": the advisory lock that hands out publication numbers


def next_number() -> int:
    """The next free publication number, to be taken in the caller's transaction. On PostgreSQL a
    transaction-scoped advisory lock makes anyone else publishing or importing at that moment wait for
    this transaction to end, so no two papers take one number (SQLite writes one at a time anyway)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [NUMBERING_LOCK])
    return (Publication.objects.aggregate(top=Max("number"))["top"] or 0) + 1


@transaction.atomic
def publish(*, submission: Submission, by) -> Publication:
    """Publish one camera-ready paper; its number is the next free one in the hub."""
    paper = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("edition__series", "submission_type")
        .get(pk=submission.pk)
    )
    if paper.state != Submission.State.CAMERA_READY:
        raise ValidationError(
            _("Paper %(number)d is not an approved final version: it cannot be published.")
            % {"number": paper.number},
            code="state",
        )
    if not chairs_paper(paper, by):
        raise ValidationError(
            _("Only a chair who is not in conflict with the paper can publish it."), code="actor"
        )
    final = paper.current_document("final")
    if final is None:
        raise ValidationError(
            _("Paper %(number)d has no final PDF to publish.") % {"number": paper.number}, code="file"
        )
    with final.file.open("rb") as handle:
        publication = freeze(paper, pdf=handle.read(), published_on=timezone.localdate(), by=by)
    set_submission_state(paper, Submission.State.PUBLISHED, by=by)
    _tell_authors(paper, publication)
    return publication


def _tell_authors(paper: Submission | None, publication: Publication, *, what: str = "published",
                  extra: dict | None = None) -> None:  # fmt: skip
    """Mail each author of the paper (an imported publication has no one to tell)."""
    if paper is None:
        return
    link = settings.SITE_URL + publication.get_absolute_url()
    for authorship in paper.authorships.select_related("user"):
        queue_templated_mail(
            to=authorship.email, template=f"hub/mail/{what}", user=authorship.user,
            language=(authorship.user.preferred_language if authorship.user_id else "") or paper.language,
            context={"name": authorship.name, "publication": publication, "link": link, **(extra or {})},
            key=f"{what}:{publication.pk}:{publication.version}:{authorship.pk}",
        )  # fmt: skip


def freeze(paper: Submission, *, pdf: bytes, published_on, by=None) -> Publication:
    """The paper's metadata as it is now, copied into a new publication with the next number."""
    edition = paper.edition
    number = next_number()
    publication = Publication.objects.create(
        number=number, submission=paper, edition=edition, title=paper.title, abstract=paper.abstract,
        language=paper.language, translation_language=paper.translation_language,
        translated_title=paper.translated_title, translated_abstract=paper.translated_abstract,
        keywords=paper.keywords, key_messages=paper.key_messages,
        paper_type=paper.submission_type.name if paper.submission_type else {},
        venue=edition.title, licence=edition.licence, published_on=published_on,
    )  # fmt: skip
    publication.topics.set(paper.topics.all())
    PublicationAuthor.objects.bulk_create(
        PublicationAuthor(publication=publication, position=position, name=a.name, affiliation=a.affiliation,
                          country=a.country, orcid=a.orcid)
        for position, a in enumerate(paper.sorted_authors())
    )  # fmt: skip
    _add_file(publication, pdf, by=by, note="")
    search.index(publication)
    return publication


def publish_edition(*, edition: Edition, by) -> tuple[list[Publication], list[str]]:
    """Publish every approved final version the chair may act on; one refusal stops none of the others."""
    published, problems = [], []
    for paper in publishable(edition, by):
        try:
            published.append(publish(submission=paper, by=by))
        except ValidationError as refusal:
            problems.extend(refusal.messages)
    return published, problems


def _add_file(publication: Publication, data: bytes, *, by, note: str) -> PublicationFile:
    version = (publication.files.aggregate(top=Max("version"))["top"] or 0) + 1
    stored = PublicationFile(
        publication=publication, version=version, size=len(data), sha256=hashlib.sha256(data).hexdigest(),
        note=note, created_by=by,
    )  # fmt: skip
    stored.file.save("paper.pdf", ContentFile(data), save=True)
    return stored


def _check_actor(publication: Publication, by) -> None:
    """Only someone who may act as chair on the paper corrects or withdraws it (never its author, nor
    a chair in conflict with it). `by=None` is the system itself (the demo, an import)."""
    if by is not None and publication.submission and not chairs_paper(publication.submission, by):
        raise ValidationError(
            _("Only a chair who is not in conflict with the paper can correct or withdraw it."), code="actor"
        )


class StaleCorrection(ValidationError):
    """Someone corrected or withdrew the publication since the form was opened."""


@transaction.atomic
def correct(*, publication: Publication, by, note: str, data: bytes | None = None, version: int | None = None,
            **changes) -> Publication:  # fmt: skip
    """A correction makes a new version (a new PDF and/or corrected metadata); the landing page says
    what changed and the authors are told. The address stays; a new title gives a new slug and the
    old one redirects. `version` is the one the corrector saw: a later one refuses the correction."""
    if not note.strip():
        raise ValidationError(_("Say what the correction changes: readers see it."), code="note")
    locked = (
        Publication.objects.select_for_update(of=("self",))
        .select_related("submission")
        .get(pk=publication.pk)
    )
    _check_actor(locked, by)
    if locked.withdrawn_at and version is None:
        raise ValidationError(_("A withdrawn paper cannot be corrected."), code="withdrawn")
    if version is not None and (locked.version != version or locked.withdrawn_at):
        raise StaleCorrection(
            _("Someone else corrected or withdrew this paper while you were editing: nothing was saved."),
            code="stale",
        )  # fmt: skip
    if data is None:  # a metadata correction: the same PDF, as the new version
        with locked.current_file().file.open("rb") as handle:
            data = handle.read()
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.version = _add_file(locked, data, by=by, note=note.strip()).version
    locked.save()
    search.index(locked)
    _tell_authors(locked.submission, locked, what="corrected", extra={"note": note.strip()})
    return locked


@transaction.atomic
def withdraw(*, publication: Publication, by, reason: str) -> Publication:
    """Take a publication down; its page stays, as a tombstone (410) with the citation and the reason."""
    if not reason.strip():
        raise ValidationError(
            _("Say why the paper is withdrawn: the tombstone page shows it."), code="reason"
        )
    locked = (
        Publication.objects.select_for_update(of=("self",))
        .select_related("submission")
        .get(pk=publication.pk)
    )
    _check_actor(locked, by)
    if locked.withdrawn_at:  # a second click, or two chairs at once: withdrawn once, told once
        return locked
    locked.withdrawn_at = timezone.now()
    locked.withdrawal_reason = reason.strip()
    locked.save(update_fields=["withdrawn_at", "withdrawal_reason", "modified_at"])
    _tell_authors(locked.submission, locked, what="withdrawn", extra={"reason": locked.withdrawal_reason})
    return locked
