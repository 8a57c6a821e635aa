from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import Event, ParticipantType, Registration


class ParticipantTypeInline(admin.TabularInline):
    model = ParticipantType
    extra = 0


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "starts_at", "capacity", "mode", "edition"]
    list_filter = ["kind", "mode"]
    search_fields = ["slug", "title"]
    filter_horizontal = ["organisers"]
    # A map or meeting link pasted without its scheme is read as https (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [ParticipantTypeInline]

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
                       "sequence", "created_at"]  # fmt: skip
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
