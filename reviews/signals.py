"""Conflicts are found again whenever someone takes a role in an edition or a paper is submitted."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from conference.models import Role
from submissions.models import StateChange, Submission


def _detect_later(edition_id: int) -> None:
    from .tasks import detect_conflicts

    transaction.on_commit(lambda: detect_conflicts.delay(edition_id))


@receiver(post_save, sender=Role, dispatch_uid="reviews.role_conflicts")
def role_taken(sender, instance: Role, created: bool, **kwargs) -> None:
    if created and not kwargs.get("raw"):
        _detect_later(instance.edition_id)


@receiver(post_save, sender=StateChange, dispatch_uid="reviews.submitted_conflicts")
def paper_submitted(sender, instance: StateChange, created: bool, **kwargs) -> None:
    if created and instance.new == Submission.State.SUBMITTED and not kwargs.get("raw"):
        _detect_later(instance.submission.edition_id)
