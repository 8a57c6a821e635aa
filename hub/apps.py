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

        # Cached search answers are forgotten whenever a publication, its authors or its topics change,
        # whichever way the change is made (services, the admin, an import, a shell).
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from .models import Publication, PublicationAuthor
        from .search import changed

        def forget_answers(**kwargs) -> None:
            changed()

        for model in (Publication, PublicationAuthor):
            post_save.connect(forget_answers, sender=model, dispatch_uid=f"hub-save-{model.__name__}")
            post_delete.connect(forget_answers, sender=model, dispatch_uid=f"hub-delete-{model.__name__}")
        m2m_changed.connect(forget_answers, sender=Publication.topics.through, dispatch_uid="hub-topics")
