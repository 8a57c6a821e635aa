from django.contrib import admin

from . import search
from .models import MonthlyUsage, Publication, PublicationAuthor, PublicationFile


class AuthorInline(admin.TabularInline):
    model = PublicationAuthor
    extra = 0


class FileInline(admin.TabularInline):
    model = PublicationFile
    extra = 0
    fields = ["version", "size", "sha256", "note", "created_at"]
    readonly_fields = fields
    can_delete = False


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "edition", "published_on", "version", "withdrawn_at"]
    list_filter = ["licence", "language"]
    search_fields = ["title", "number", "doi"]
    readonly_fields = ["number", "slug", "version", "created_at", "modified_at"]
    raw_id_fields = ["submission"]
    inlines = [AuthorInline, FileInline]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a publication is withdrawn (a tombstone, a deleted OAI record), never deleted

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        search.index(form.instance)  # a corrected title or author must be found by search too


@admin.register(MonthlyUsage)
class MonthlyUsageAdmin(admin.ModelAdmin):
    """Counts only, kept by the hub as readers come: read, never edited by hand."""

    list_display = ["publication", "month", "views", "downloads"]
    list_filter = ["month"]
    search_fields = ["publication__title", "publication__number"]
    list_select_related = ["publication"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
