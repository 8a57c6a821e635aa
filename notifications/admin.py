from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "subject", "state", "attempts", "sent_at"]
    list_filter = ["state", "language", "created_at"]
    search_fields = ["recipient", "subject", "message_id", "idempotency_key"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"
    actions = ["resend_selected"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send again (failed or unknown mail only)"), permissions=["change"])
    def resend_selected(self, request, queryset):
        resent = sum(services.resend(message=message) for message in queryset)
        skipped = queryset.count() - resent
        if resent:
            self.message_user(
                request,
                ngettext("%(count)d mail queued again.", "%(count)d mails queued again.", resent)
                % {"count": resent},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d mail was skipped: only failed or unknown mail can be sent again.",
                    "%(count)d mails were skipped: only failed or unknown mail can be sent again.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )
