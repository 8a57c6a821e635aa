from django.contrib import admin

from .models import Archive, Authorship, Conflict, Document, StateChange, Submission


class AuthorshipInline(admin.TabularInline):
    model = Authorship
    extra = 0
    fields = ["position", "name", "email", "affiliation", "country", "orcid", "corresponding", "user"]
    raw_id_fields = ["user"]


class DocumentInline(admin.TabularInline):
    model = Document
    extra = 0
    fields = ["kind", "version", "original_name", "pages", "size", "sha256", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    can_delete = False


class StateChangeInline(admin.TabularInline):
    model = StateChange
    extra = 0
    fields = ["at", "old", "new", "by", "note"]
    readonly_fields = fields
    can_delete = False


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "edition", "state", "submission_type", "updated_at"]
    list_filter = ["edition", "state", "submission_type", "track"]
    search_fields = ["title", "abstract", "authorships__name", "authorships__email"]
    list_select_related = ["edition__series", "submission_type"]
    # The state changes only through the state function (the paper's page), never by hand here.
    readonly_fields = ["state", "number", "edition", "revision", "submitted_at", "created_by"]
    filter_horizontal = ["topics"]
    inlines = [AuthorshipInline, DocumentInline, StateChangeInline]


@admin.register(Conflict)
class ConflictAdmin(admin.ModelAdmin):
    list_display = ["submission", "kind", "user", "organisation", "dismissed_at"]
    list_filter = ["kind", "submission__edition"]
    raw_id_fields = ["submission", "user", "created_by", "dismissed_by"]
    search_fields = ["submission__title", "user__email", "organisation__name"]


@admin.register(Archive)
class ArchiveAdmin(admin.ModelAdmin):
    list_display = ["edition", "state", "done", "total", "requested_by", "created_at"]
    readonly_fields = ["edition", "state", "done", "total", "file", "error", "requested_by", "finished_at"]
