"""Inviting people into an edition's roles: the chair invites, the person answers once, by their link."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from notifications.services import queue_templated_mail

from .models import Edition, Invitation, Role

State = Invitation.State


class InvitationClosed(ValidationError):
    """The link cannot be used any more; the message says why, in words a person understands."""


def _mail(invitation: Invitation, *, template: str, key: str) -> None:
    person = get_user_model().objects.filter(email__iexact=invitation.email).first()
    edition = invitation.edition
    queue_templated_mail(
        to=invitation.email,
        template=f"conference/mail/{template}",
        # Rendered in the recipient's language: the template translates the role and the title.
        context={
            "invitation": invitation,
            "edition": edition,
            "inviter": invitation.invited_by,
            "link": settings.SITE_URL + invitation.get_absolute_url(),
            "expires": invitation.expires_at.astimezone(edition.zone),
        },
        key=key,
        language=person.preferred_language if person else edition.main_language,
        user=person,
    )


def _deadline() -> datetime:
    return timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)


@transaction.atomic
def invite(*, edition: Edition, email: str, kind: str, by, name: str = "", message: str = "") -> Invitation:
    """Invite `email` into the role `kind` and mail them their personal link."""
    email = email.strip().lower()
    if Role.objects.filter(edition=edition, kind=kind, user__email__iexact=email).exists():
        raise ValidationError(_("%(email)s already has this role.") % {"email": email}, code="has_role")
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                edition=edition, email=email, kind=kind, name=name, message=message, invited_by=by,
                expires_at=_deadline(), sent_count=1,
            )  # fmt: skip
    except IntegrityError as duplicate:
        raise ValidationError(
            _("%(email)s is already invited and has not answered yet: send the invitation again instead.")
            % {"email": email},
            code="already_invited",
        ) from duplicate
    _mail(invitation, template="invitation", key=f"invitation:{invitation.pk}:1")
    return invitation


@transaction.atomic
def resend(*, invitation: Invitation) -> Invitation:
    """Send the same link again, valid for a new period. Only an unanswered invitation can be resent."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.state != State.PENDING:
        raise ValidationError(_("This invitation was answered or withdrawn: invite the person again."))
    invitation.expires_at = _deadline()
    invitation.sent_count += 1
    invitation.save(update_fields=["expires_at", "sent_count"])
    _mail(invitation, template="invitation", key=f"invitation:{invitation.pk}:{invitation.sent_count}")
    return invitation


@transaction.atomic
def revoke(*, invitation: Invitation) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.state == State.PENDING:
        invitation.state = State.REVOKED
        invitation.save(update_fields=["state"])
    return invitation


def closed_reason(invitation: Invitation, now: datetime | None = None) -> str:
    """Why this link can no longer be used, or '' while it can."""
    now = now or timezone.now()
    if invitation.state in (State.ACCEPTED, State.DECLINED):
        return _("This invitation was already answered on %(date)s.") % {
            "date": formats.date_format(invitation.answered_at, "DATE_FORMAT")
        }
    if invitation.state == State.REVOKED:
        return _("The chair has withdrawn this invitation.")
    if invitation.is_expired_at(now):
        return _("This invitation expired on %(date)s. Ask the chair to send it again.") % {
            "date": formats.date_format(invitation.expires_at, "DATE_FORMAT")
        }
    return ""


def _answer(token: str, user, state: str) -> Invitation:
    invitation = Invitation.objects.select_for_update().select_related("edition").get(token=token)
    reason = closed_reason(invitation)
    if reason:
        raise InvitationClosed(reason, code="closed")
    invitation.state = state
    invitation.answered_at = timezone.now()
    invitation.answered_by = user if user and user.is_authenticated else None
    invitation.save(update_fields=["state", "answered_at", "answered_by"])
    return invitation


@transaction.atomic
def accept(*, token: str, user) -> Role:
    """Give `user` the invited role. A second answer, an expired or withdrawn link raise InvitationClosed."""
    invitation = _answer(token, user, State.ACCEPTED)
    role, _created = Role.objects.get_or_create(edition=invitation.edition, user=user, kind=invitation.kind)
    return role


@transaction.atomic
def decline(*, token: str, user=None) -> Invitation:
    return _answer(token, user, State.DECLINED)


def remind_unanswered(*, now: datetime | None = None) -> int:
    """One reminder per invitation left unanswered for INVITATION_REMIND_AFTER_DAYS, before it expires."""
    now = now or timezone.now()
    due = Invitation.objects.pending(now).filter(
        reminded_at__isnull=True, created_at__lte=now - timedelta(days=settings.INVITATION_REMIND_AFTER_DAYS)
    )
    count = 0
    for invitation in due.select_related("edition", "invited_by"):
        with transaction.atomic():
            # Claim the reminder first: two sweeps at once remind once.
            if Invitation.objects.filter(pk=invitation.pk, reminded_at__isnull=True).update(reminded_at=now):
                _mail(invitation, template="invitation_reminder", key=f"invitation:{invitation.pk}:reminder")
                count += 1
    return count
