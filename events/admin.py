from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from submissions.models import Submission

from . import services
from .banners import make_banner
from .models import (
    Event,
    Invitation,
    InvitationCode,
    ParticipantType,
    Question,
    Registration,
    SensitiveExport,
    Session,
)


class ParticipantTypeInline(admin.TabularInline):
    model = ParticipantType
    extra = 0


class InvitationCodeInline(admin.TabularInline):
    model = InvitationCode
    extra = 0


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 0
    fields = ["text", "kind", "choices", "required", "position"]


class SessionInline(admin.StackedInline):
    """The programme: sessions with their papers, chosen by title or author."""

    model = Session
    extra = 0
    fields = ["title", "description", ("starts_at", "ends_at"), ("room", "chairs"), "papers"]
    autocomplete_fields = ["papers"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "papers":
            # The programme is public: only papers whose acceptance is public may be linked.
            kwargs["queryset"] = Submission.objects.filter(state__in=Submission.ACCEPTED_STATES)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class EventForm(forms.ModelForm):
    # A plain file field: Django's ImageField would first open the upload with every Pillow decoder.
    banner = forms.FileField(
        label=_("Banner image"), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}),
        help_text=_("JPEG, PNG, GIF or WebP, up to 10 MB; kept as a JPEG of at most 1600 x 500 pixels."),
    )  # fmt: skip

    def clean_banner(self):
        banner = self.cleaned_data.get("banner")
        return make_banner(banner) if isinstance(banner, UploadedFile) else banner


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    form = EventForm
    list_display = ["__str__", "kind", "starts_at", "capacity", "mode", "edition"]
    list_filter = ["kind", "mode"]
    search_fields = ["slug", "title"]
    filter_horizontal = ["organisers"]
    # A map or meeting link pasted without its scheme is read as https (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [ParticipantTypeInline, QuestionInline, InvitationCodeInline, SessionInline]

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        # More places, or a larger quota: the people waiting get them first, before any newcomer.
        promoted = services.fill_places(form.instance)
        if promoted:
            self.message_user(
                request,
                ngettext("%(count)d person waiting got a place.", "%(count)d people waiting got a place.",
                         len(promoted)) % {"count": len(promoted)},
            )  # fmt: skip

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if change and services.WHEN_AND_WHERE & set(form.changed_data):
            told = services.event_changed(obj)
            self.message_user(
                request,
                ngettext("%(count)d registered participant was sent the updated invite.",
                         "%(count)d registered participants were sent the updated invite.", told)
                % {"count": told},
            )  # fmt: skip


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    """Places are taken and given back through the services, so capacity and the waitlist hold."""

    list_display = ["user", "event", "participant_type", "status", "created_at"]
    list_filter = ["status", "event"]
    search_fields = ["user__email", "user__name", "organisation"]
    list_select_related = ["user", "event", "participant_type"]
    readonly_fields = ["event", "user", "participant_type", "status", "waitlisted_at", "check_in_code",
                       "sequence", "created_at", "invitation", "code", "checked_in_at"]  # fmt: skip
    actions = ["approve", "reject", "cancel"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description=_("Approve the selected requests"))
    def approve(self, request, queryset) -> None:
        for registration in queryset:
            services.approve(registration)

    @admin.action(description=_("Reject the selected requests"))
    def reject(self, request, queryset) -> None:
        for registration in queryset:
            services.reject(registration)

    @admin.action(description=_("Cancel the selected registrations (people waiting get the places)"))
    def cancel(self, request, queryset) -> None:
        for registration in queryset:
            services.cancel(registration)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Organisers invite from the event's invitations page (which mails the link); here to look up."""

    list_display = ["name", "email", "organisation", "event", "status", "reminders_sent"]
    list_filter = ["status", "event"]
    search_fields = ["name", "email", "organisation"]
    list_select_related = ["event"]
    readonly_fields = ["token", "status", "answered_at", "reminders_sent", "last_sent_at"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(SensitiveExport)
class SensitiveExportAdmin(admin.ModelAdmin):
    """The log of passport-data downloads: read only, for whoever audits them."""

    list_display = ["created_at", "user", "event", "rows"]
    list_filter = ["event"]
    list_select_related = ["user", "event"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
