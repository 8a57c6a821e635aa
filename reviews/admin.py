"""Staff screens for the review and decision data (chairs work in their own pages)."""

from django.contrib import admin

from .models import (
    Assignment,
    AssignmentRun,
    Criterion,
    Decision,
    DecisionMail,
    Outcome,
    Release,
    Review,
    ReviewerProfile,
    ReviewForm,
    ReviewSettings,
    Vote,
)


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(ReviewForm)
class ReviewFormAdmin(admin.ModelAdmin):
    list_display = ["edition"]
    inlines = [CriterionInline]


@admin.register(ReviewSettings)
class ReviewSettingsAdmin(admin.ModelAdmin):
    list_display = ["edition", "bid_weight", "topic_weight", "text_weight", "calibration"]


@admin.register(ReviewerProfile)
class ReviewerProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "edition", "max_load"]
    list_select_related = ["user", "edition__series"]
    raw_id_fields = ["user"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["submission", "reviewer", "state", "locked", "automatic"]
    list_filter = ["state", "locked", "automatic"]
    list_select_related = ["submission__edition__series", "reviewer"]
    raw_id_fields = ["submission", "reviewer", "assigned_by"]


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["assignment", "state", "recommendation", "late", "submitted_at"]
    list_filter = ["state", "late"]
    list_select_related = ["assignment__submission__edition__series", "assignment__reviewer"]
    raw_id_fields = ["assignment"]


@admin.register(AssignmentRun)
class AssignmentRunAdmin(admin.ModelAdmin):
    list_display = ["edition", "state", "progress", "requested_by", "created_at"]
    list_filter = ["state"]
    readonly_fields = ["proposal", "reasons", "error"]


class DecisionMailInline(admin.StackedInline):
    model = DecisionMail
    extra = 0


@admin.register(Outcome)
class OutcomeAdmin(admin.ModelAdmin):
    list_display = ["__str__", "edition", "maps_to", "position"]
    list_filter = ["maps_to"]
    inlines = [DecisionMailInline]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["submission", "outcome", "decided_by", "decided_at", "released_at"]
    list_select_related = ["submission__edition__series", "outcome", "decided_by"]
    raw_id_fields = ["submission", "decided_by"]

    def get_readonly_fields(self, request, obj=None):
        # Once sent, a decision is what the authors were told: it stays as it is.
        if obj and obj.released_at:
            return ["submission", "outcome", "note", "decided_by", "decided_at", "version", "released_at"]
        return ["version", "released_at"]


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):
    list_display = ["submission", "voter", "value", "updated_at"]
    list_select_related = ["submission__edition__series", "voter"]
    raw_id_fields = ["submission", "voter"]


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin):
    list_display = ["edition", "state", "released", "total", "created_at", "finished_at"]
    readonly_fields = ["problems"]
