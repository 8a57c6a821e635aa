from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import BaseUserCreationForm, UserChangeForm
from django.db import models
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Organisation, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "acronym", "kind", "country", "website"]
    list_filter = ["kind"]
    search_fields = ["name", "acronym", "email_domains"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class UserCreationForm(BaseUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "name"]


class PersonChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    add_form = UserCreationForm
    form = PersonChangeForm
    ordering = ["email"]
    list_display = ["email", "name", "organisation", "country", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "preferred_language", "organisation__kind"]
    list_select_related = ["organisation"]
    search_fields = ["email", "name", "affiliation", "organisation__name", "orcid"]
    autocomplete_fields = ["organisation"]
    # Photos go through the profile page, which strips EXIF and resizes; the admin may only look.
    readonly_fields = ["photo_link", "last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            _("Profile"),
            {
                "fields": [
                    "name",
                    "organisation",
                    "affiliation",
                    "country",
                    "orcid",
                    "preferred_language",
                    "photo_link",
                ]
            },
        ),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]

    @admin.display(description=_("profile photo"))
    def photo_link(self, person: User) -> str:
        if not person.photo:
            return "—"
        return format_html('<a href="{}">{}</a>', person.photo_url(), _("view"))

    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "name", "password1", "password2"]})]
