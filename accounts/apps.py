from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("People and organisations")

    def ready(self) -> None:
        from allauth.account.models import EmailAddress
        from allauth.mfa.models import Authenticator
        from django.contrib.admin.models import LogEntry

        from notifications.models import OutboxMessage

        from . import demo_data  # noqa: F401 - registers the demo seeders
        from .models import User
        from .personal_data import personal_data

        personal_data.register(User, user_fields=["pk"], secret_fields=["password"])
        personal_data.register(EmailAddress)
        # An authenticator's data holds the TOTP secret and recovery codes: never exported.
        personal_data.register(Authenticator, secret_fields=["data"])
        personal_data.register(LogEntry)
        personal_data.register(OutboxMessage)
