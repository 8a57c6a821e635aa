from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Edition, Question, Series, SubmissionType, Topic, Track
from .next_edition import start_next_edition


class TrackInline(admin.TabularInline):
    model = Track
    extra = 0


class SubmissionTypeInline(admin.TabularInline):
    model = SubmissionType
    extra = 0


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 0


class KeywordInline(admin.TabularInline):
    model = Topic
    fk_name = "edition"
    fields = ["name"]
    extra = 0


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["__str__", "slug", "cadence_years"]
    search_fields = ["slug"]


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "year", "time_zone", "blind_mode", "submission_deadline", "announced"]
    list_filter = ["series", "blind_mode", "announced"]
    list_select_related = ["series"]
    inlines = [TrackInline, SubmissionTypeInline, KeywordInline, QuestionInline]

    def get_changeform_initial_data(self, request):
        # "Add edition" from a series starts from the series' defaults.
        initial = super().get_changeform_initial_data(request)
        series = Series.objects.filter(pk=request.GET.get("series") or None).first()
        return {**(series.edition_defaults if series else {}), **initial}

    actions = ["start_next"]

    @admin.action(description=_("Start the next edition from this one"), permissions=["add"])
    def start_next(self, request, queryset):
        for edition in queryset.select_related("series"):
            try:
                new = start_next_edition(edition=edition)
            except ValidationError as refusal:
                self.message_user(request, " ".join(refusal.messages), messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("%(edition)s is ready as a draft: check its dates, then announce it.")
                    % {"edition": new},
                    messages.SUCCESS,
                )


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["__str__", "sdg_number", "edition"]
    list_filter = ["edition"]
    list_select_related = ["edition__series"]
