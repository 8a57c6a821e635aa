from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConferenceConfig(AppConfig):
    name = "conference"
    verbose_name = _("Calls for papers")

    def ready(self) -> None:
        from django.db.models import Q

        from accounts.personal_data import personal_data

        from . import demo_data, next_edition  # noqa: F401 - register the demo seeders and carry-overs
        from .models import Edition, Invitation, Role

        def erase_invitations(rows, user) -> None:
            # Invitations a chair sent stay with the edition, without the chair; those to the person go.
            Invitation.objects.filter(invited_by=user.pk).update(invited_by=None)
            Invitation.objects.filter(answered_by=user.pk).update(answered_by=None)
            Invitation.objects.filter(email__iexact=user.email).delete()

        def unlink_paper_manager(rows, user) -> None:
            Edition.objects.filter(paper_manager=user.pk).update(paper_manager=None)

        personal_data.register(Role)
        personal_data.register(Edition, user_fields=["paper_manager"], erase=unlink_paper_manager)
        personal_data.register(
            Invitation,
            user_fields=["invited_by", "answered_by"],
            also_matches=lambda user: Q(email__iexact=user.email),
            erase=erase_invitations,
        )
