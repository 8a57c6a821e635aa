from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events and registration")

    def ready(self) -> None:
        from accounts.personal_data import personal_data

        from . import demo_data  # noqa: F401 - registers the demo seeder
        from .models import Event, Registration

        # A person's registrations are theirs: exported, and deleted with the account. Organising an
        # event is a role, not personal data: erasure takes the person off the organisers' list.
        def cancel_then_delete(rows, user) -> None:
            from . import services

            mine = Registration.objects.filter(pk__in=list(rows.values_list("pk", flat=True)))
            for registration in mine.filter(status__in=Registration.ACTIVE):
                services.cancel(registration)  # the place goes to the next person waiting
            mine.delete()

        personal_data.register(Registration, erase=cancel_then_delete)

        def leave_organisers(rows, user) -> None:
            user.organised_events.clear()

        personal_data.register(Event, user_fields=["organisers"], erase=leave_organisers)
