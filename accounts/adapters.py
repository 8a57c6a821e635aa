import uuid

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from django.contrib.auth import get_user_model
from django.contrib.sites.shortcuts import get_current_site
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme

from notifications.services import queue_mail

RETURN_AFTER_SIGN_IN = "return_after_sign_in"


def remember_return(request, path: str) -> None:
    """Someone on a personal link (an invitation, a co-author's claim) who must sign up or in first
    comes back to `path` afterwards, even after verifying their address in another tab."""
    request.session[RETURN_AFTER_SIGN_IN] = path


def forget_return(request) -> None:
    request.session.pop(RETURN_AFTER_SIGN_IN, None)


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        """A double-clicked sign-up loses the race for the address: answer it like the first one."""
        try:
            with transaction.atomic():
                return super().save_user(request, user, form, commit=commit)
        except IntegrityError:
            if not get_user_model().objects.filter(email__iexact=user.email).exists():
                raise
            raise ImmediateHttpResponse(self.respond_email_verification_sent(request, None)) from None

    def get_login_redirect_url(self, request) -> str:
        # Back to the personal link that sent them to sign up or in (see remember_return).
        path = request.session.get(RETURN_AFTER_SIGN_IN)
        if path and url_has_allowed_host_and_scheme(path, allowed_hosts=None):
            return path
        return super().get_login_redirect_url(request)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Sign-up, verification and password mail go through the outbox like every other mail."""
        user = context.get("user") or get_user_model().objects.filter(email__iexact=email).first()
        user = user if getattr(user, "pk", None) else None
        # In the person's own language, whatever the language of the page that triggered it.
        language = user.preferred_language if user else translation.get_language()
        ctx = {"email": email, "current_site": get_current_site(self.request), **context}
        with translation.override(language):
            message = self.render_mail(template_prefix, email, ctx)
        html = next(
            (body for body, mimetype in getattr(message, "alternatives", []) if mimetype == "text/html"), ""
        )
        queue_mail(
            to=email,
            subject=message.subject,
            text=message.body,
            html=html,
            # Each verification or reset mail is its own message: a second request sends a second mail.
            key=f"account:{template_prefix}:{uuid.uuid4().hex}",
            language=language,
            user=user,
        )
