from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubmissionsConfig(AppConfig):
    name = "submissions"
    verbose_name = _("Submissions")

    def ready(self) -> None:
        from django.db.models import Q

        from accounts.personal_data import delete_rows, personal_data

        from . import demo_data, panels  # noqa: F401 - register the demo seeder and the dashboard panel
        from .models import Answer, Archive, Authorship, Conflict, Document, StateChange, Submission

        def unlink(*fields):
            def erase(rows, user) -> None:
                for name in fields:
                    rows.model._default_manager.filter(**{name: user.pk}).update(**{name: None})

            return erase

        def erase_authorships(rows, user) -> None:
            # A paper with co-authors stays theirs, without this person; a paper of their own goes.
            for authorship in rows.select_related("submission"):
                submission = authorship.submission
                if submission.authorships.exclude(pk=authorship.pk).exists():
                    authorship.delete()
                else:
                    delete_rows(Document.objects.filter(submission=submission), user)
                    delete_rows(Answer.objects.filter(submission=submission), user)
                    submission.delete()

        def erase_conflicts(rows, user) -> None:
            Conflict.objects.filter(user=user.pk).delete()
            unlink("created_by", "dismissed_by")(rows, user)

        personal_data.register(
            Authorship,
            # Named by their address and not yet claimed (a row someone else claimed is theirs).
            also_matches=lambda user: Q(user__isnull=True, email__iexact=user.email),
            erase=erase_authorships,
        )
        personal_data.register(
            Submission,
            user_fields=["created_by"],
            # The papers they are an author of, claimed or only named by address.
            also_matches=lambda user: (
                Q(authorships__user=user.pk)
                | Q(authorships__user__isnull=True, authorships__email__iexact=user.email)
            ),
            erase=unlink("created_by"),
        )
        personal_data.register(Document, user_fields=["uploaded_by"], erase=unlink("uploaded_by"))
        personal_data.register(StateChange, user_fields=["by"], erase=unlink("by"))
        personal_data.register(
            Conflict, user_fields=["user", "created_by", "dismissed_by"], erase=erase_conflicts
        )
        personal_data.register(Archive, user_fields=["requested_by"], erase=unlink("requested_by"))
