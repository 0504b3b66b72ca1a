from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from . import actions
from .models import DeliveryAttempt, Notification, RobotWebhook


class DeliveryAttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    readonly_fields = ("created_at", "succeeded", "detail")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Administrators see every delivery, failed ones first, and can retry them."""

    list_display = ("created_at", "channel", "recipient", "address", "subject", "status", "attempts", "last_error")
    list_filter = ("status", "channel")
    search_fields = ("subject", "address", "recipient__username")
    readonly_fields = [f.name for f in Notification._meta.fields]
    inlines = [DeliveryAttemptInline]
    actions = ["retry_now"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Retry now"))
    def retry_now(self, request, queryset):
        for notification in queryset.exclude(status=Notification.Status.SENT):
            actions.do_retry_now(notification)
        messages.success(request, _("The selected notifications will be retried."))


@admin.register(RobotWebhook)
class RobotWebhookAdmin(admin.ModelAdmin):
    list_display = ("name", "channel", "is_active")
