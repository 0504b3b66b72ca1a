"""The logs are read-only everywhere in the application, the admin included."""

from auditlog.models import LogEntry
from django.contrib import admin

from accounts.models import LoginLog

if admin.site.is_registered(LogEntry):
    admin.site.unregister(LogEntry)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LogEntry)
class OperationLogAdmin(ReadOnlyAdmin):
    list_display = ("timestamp", "actor", "remote_addr", "action", "content_type", "object_repr")
    list_filter = ("action", "content_type")
    search_fields = ("object_repr", "actor__username", "remote_addr")
    date_hierarchy = "timestamp"


@admin.register(LoginLog)
class LoginLogAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "username", "event", "ip_address")
    list_filter = ("event",)
    search_fields = ("username", "ip_address")
