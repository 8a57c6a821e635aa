from django.contrib import admin

from .models import Publication, PublicationAuthor, PublicationFile


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
