from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("People and organisations")

    def ready(self) -> None:
        from allauth.account.models import EmailAddress
        from allauth.mfa.models import Authenticator
        from django.contrib.admin.models import LogEntry
        from django.db.models import Q

        from notifications.models import OutboxMessage

        from . import demo_data  # noqa: F401 - registers the demo seeders
        from .models import User
        from .personal_data import personal_data

        def mail_to_their_addresses(user) -> Q:
            addresses = EmailAddress.objects.filter(user=user.pk).values("email")
            return Q(recipient__iexact=user.email) | Q(recipient__in=addresses)

        personal_data.register(User, user_fields=["pk"], secret_fields=["password"])
        # Mail bodies may hold live sign-in and reset links: the export lists the mail, not its text.
        # Registered before EmailAddress, whose rows it needs to find mail sent to every address.
        personal_data.register(
            OutboxMessage, secret_fields=["body_text", "body_html"], also_matches=mail_to_their_addresses
        )
        personal_data.register(EmailAddress)
        # An authenticator's data holds the TOTP secret and recovery codes: never exported.
        personal_data.register(Authenticator, secret_fields=["data"])
        personal_data.register(LogEntry)
