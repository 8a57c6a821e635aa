from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events and registration")

    def ready(self) -> None:
        from django.db.models import Q

        from accounts.personal_data import personal_data

        from . import demo_data, panels  # noqa: F401 - register the demo seeder and the dashboard panel
        from .models import Event, Invitation, Registration, SensitiveExport, VisaDetails

        # A person's registrations are theirs: exported, and deleted with the account. Organising an
        # event is a role, not personal data: erasure takes the person off the organisers' list.
        def cancel_then_delete(rows, user) -> None:
            from . import services

            mine = Registration.objects.filter(pk__in=list(rows.values_list("pk", flat=True)))
            for registration in mine.filter(status__in=Registration.ACTIVE):
                services.cancel(registration)  # the place goes to the next person waiting
            mine.delete()

        # Passport data first: its rows go with their stored letters (the registration's cascade would
        # leave the files behind).
        personal_data.register(
            VisaDetails, user_fields=[], also_matches=lambda user: Q(registration__user=user)
        )
        personal_data.register(Registration, erase=cancel_then_delete)
        # An invitation names a person by address, before any account exists.
        personal_data.register(
            Invitation, user_fields=[], also_matches=lambda user: Q(email__iexact=user.email)
        )

        # Who downloaded passport data stays logged (when, how many rows), without the person.
        def forget_exporter(rows, user) -> None:
            rows.update(user=None)

        personal_data.register(SensitiveExport, erase=forget_exporter)

        def leave_organisers(rows, user) -> None:
            user.organised_events.clear()

        personal_data.register(Event, user_fields=["organisers"], erase=leave_organisers)
