import uuid

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from django.contrib.auth import get_user_model
from django.contrib.sites.shortcuts import get_current_site
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from notifications.services import queue_mail


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
        # Someone who opened an invitation, then signed up or in (perhaps after verifying their
        # address), goes back to answer it.
        token = request.session.get("pending_invitation")
        if token:
            return reverse("conference:invitation", args=[token])
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
