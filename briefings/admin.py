from django.contrib import admin

from .models import BriefingIssue, Recipient


@admin.register(Recipient)
class RecipientAdmin(admin.ModelAdmin):
    """The distribution list is edited here: an organisation or a group robot per row."""

    list_display = ("__str__", "kind", "organisation", "robot", "is_active")
    list_filter = ("kind", "is_active")
    autocomplete_fields = ()


@admin.register(BriefingIssue)
class BriefingIssueAdmin(admin.ModelAdmin):
    list_display = ("__str__", "kind", "period_start", "period_end", "status", "generated_at")
    list_filter = ("kind", "year", "status")
    readonly_fields = ("sections", "generated_at", "distributed_at", "error")
