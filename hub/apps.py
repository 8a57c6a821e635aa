from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HubConfig(AppConfig):
    name = "hub"
    verbose_name = _("Knowledge hub")

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy

        from accounts.personal_data import personal_data
        from conference.dashboard import register_chair_page

        from . import demo_data  # noqa: F401 - registers the demo seeder
        from .models import PublicationFile

        register_chair_page("hub:publish", gettext_lazy("Publish to the hub"), order=80)

        # Erasure forgets who uploaded a version; the publication itself (the authors' names as
        # printed) is a public record and stays.
        def unlink_uploader(rows, user) -> None:
            rows.update(created_by=None)

        personal_data.register(PublicationFile, user_fields=["created_by"], erase=unlink_uploader)
