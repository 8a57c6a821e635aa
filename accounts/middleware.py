from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.translation import gettext as _


class PreferredLanguageMiddleware:
    """Speak a signed-in person's preferred language unless they picked another one in the switcher."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
            and user.preferred_language
        ):
            translation.activate(user.preferred_language)
            request.LANGUAGE_CODE = user.preferred_language
        return self.get_response(request)


class StaffTwoFactorMiddleware:
    """Staff may do nothing but set up two-factor authentication until they have it."""

    # allauth's own pages (sign-out, re-authentication, two-factor set-up) and the language switcher.
    ALLOWED_NAME_PREFIXES = ("account_", "mfa_")
    ALLOWED_NAMES = {"set_language"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.STAFF_REQUIRE_TWO_FACTOR
            and user is not None
            and user.is_authenticated
            and user.is_staff
            and not self._allowed(request.path_info)
            and not user.has_two_factor()
        ):
            messages.warning(
                request,
                _("Staff accounts need two-factor authentication. Please set up an authenticator app."),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    def _allowed(self, path: str) -> bool:
        try:
            name = resolve(path).url_name or ""
        except Resolver404:
            return True  # a 404 reveals nothing; let it be one
        return name.startswith(self.ALLOWED_NAME_PREFIXES) or name in self.ALLOWED_NAMES
