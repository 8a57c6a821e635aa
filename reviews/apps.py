from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Review")

    def ready(self) -> None:
        from django.db.models import Q
        from django.utils.translation import gettext_lazy

        from accounts.personal_data import personal_data
        from conference.dashboard import register_chair_page, register_role_page
        from conference.next_edition import register_carry_over
        from submissions.links import register_paper_link
        from submissions.models import Submission

        from . import demo_data, panels, signals  # noqa: F401 - demo seeder, dashboard panel, conflict triggers
        from .models import (
            Assignment,
            AssignmentRun,
            Bid,
            Comment,
            Criterion,
            Decision,
            DecisionMail,
            GroupMail,
            MetaReview,
            Outcome,
            Release,
            ReminderLog,
            Review,
            ReviewerProfile,
            ReviewForm,
            ReviewSettings,
            Vote,
        )

        def unlink(field):
            def erase(rows, user) -> None:
                rows.model._default_manager.filter(**{field: user.pk}).update(**{field: None})

            return erase

        register_chair_page("reviews:conflicts", gettext_lazy("Conflicts of interest"), order=50)
        register_chair_page("reviews:assignment_board", gettext_lazy("Reviewers and assignments"), order=55)
        register_chair_page("reviews:auto_assign", gettext_lazy("Automatic assignment"), order=56)
        register_chair_page("reviews:form", gettext_lazy("Review form"), order=57)
        register_chair_page("reviews:settings", gettext_lazy("Review settings"), order=58)
        register_chair_page("reviews:ranking", gettext_lazy("Ranking and decisions"), order=60)
        register_role_page("committee", "reviews:ranking", gettext_lazy("Ranking and decisions"))
        register_chair_page("reviews:outcomes", gettext_lazy("Decision outcomes"), order=61)
        register_chair_page("reviews:decision_mails", gettext_lazy("Decision mails"), order=62)
        register_chair_page("reviews:release", gettext_lazy("Send the decisions"), order=64)
        register_chair_page("reviews:group_mail", gettext_lazy("Group mail"), order=66)
        register_paper_link(
            "reviews:decision",
            gettext_lazy("Decision and reviews"),
            shown_to=lambda submission, user: (
                Decision.objects.filter(submission=submission, released_at__isnull=False).exists()
                and submission.authorships.filter(user=user).exists()
            ),
        )
        register_role_page("reviewer", "reviews:assignments", gettext_lazy("Papers to review"))
        register_paper_link(
            "reviews:paper_reviews",
            gettext_lazy("Reviews and discussion"),
            shown_to=lambda submission, user: (
                Submission.objects.organised_by(user).filter(pk=submission.pk).exists()
            ),
        )
        register_role_page("reviewer", "reviews:bids", gettext_lazy("Bid on papers"))
        register_role_page("reviewer", "reviews:profile", gettext_lazy("Your reviewer profile"))
        # Not a role kind: the edition names its paper manager (conference.views._my_roles adds it).
        register_role_page("paper_manager", "reviews:managed", gettext_lazy("Papers you manage"))
        personal_data.register(ReviewerProfile)
        personal_data.register(Bid, user_fields=["reviewer"])
        personal_data.register(Assignment, user_fields=["reviewer", "assigned_by"])
        # A review is its reviewer's, found through the assignment (and erased with them).
        personal_data.register(
            Review, user_fields=[], also_matches=lambda user: Q(assignment__reviewer=user.pk)
        )
        personal_data.register(Comment, user_fields=["author"])
        personal_data.register(ReminderLog)
        personal_data.register(AssignmentRun, user_fields=["requested_by"], erase=unlink("requested_by"))
        personal_data.register(Vote, user_fields=["voter"])
        # A decision and a meta-review are the committee's record: erasure keeps them, without the name.
        personal_data.register(Decision, user_fields=["decided_by"], erase=unlink("decided_by"))
        personal_data.register(MetaReview, user_fields=["lead"], erase=unlink("lead"))
        personal_data.register(Release, user_fields=["requested_by"], erase=unlink("requested_by"))
        personal_data.register(GroupMail, user_fields=["sent_by"], erase=unlink("sent_by"))

        @register_carry_over("reviews")
        def carry_over_reviewing(previous, new) -> None:
            # How the committee weighs affinity, the criteria it scores on and the outcomes it decides
            # between carry on from call to call (the chair adjusts them); reviewers are per call.
            settings = ReviewSettings.objects.filter(edition=previous).first()
            if settings:
                settings.pk, settings.edition, settings.reviewing_closed_at = None, new, None
                settings.save()
            form = ReviewForm.objects.filter(edition=previous).first()
            if form:
                criteria = list(form.criteria.all())
                form.pk, form.edition = None, new
                form.save()
                for criterion in criteria:
                    criterion.pk, criterion.form = None, form
                Criterion.objects.bulk_create(criteria)
            for outcome in Outcome.objects.filter(edition=previous).prefetch_related("mails"):
                mails = list(outcome.mails.all())
                outcome.pk, outcome.edition = None, new
                outcome.save()
                for mail in mails:  # the chair's own decision mail texts go with their outcome
                    mail.pk, mail.outcome = None, outcome
                DecisionMail.objects.bulk_create(mails)
