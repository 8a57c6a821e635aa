from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConferenceConfig(AppConfig):
    name = "conference"
    verbose_name = _("Calls for papers")

    def ready(self) -> None:
        from . import demo_data, next_edition  # noqa: F401 - register the demo seeders and carry-overs
