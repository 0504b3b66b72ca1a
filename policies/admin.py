from django.contrib import admin

from .models import Policy, PolicyMatch, PolicyPush, PolicyTestCase, PolicyVersion


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "level", "subject_kind", "exclusive_group"]
    search_fields = ["code", "title"]


class TestCaseInline(admin.TabularInline):
    model = PolicyTestCase
    extra = 0


@admin.register(PolicyVersion)
class PolicyVersionAdmin(admin.ModelAdmin):
    list_display = ["policy", "number", "status", "published_at"]
    list_filter = ["status"]
    readonly_fields = ["status", "published_at", "published_by"]
    inlines = [TestCaseInline]

    def get_readonly_fields(self, request, obj=None):
        # A published or retired version is never edited: a change is a new version.
        if obj is not None and obj.status != PolicyVersion.Status.DRAFT:
            return [field.name for field in obj._meta.fields]
        return self.readonly_fields


@admin.register(PolicyMatch)
class PolicyMatchAdmin(admin.ModelAdmin):
    """Read-only: the table is written by the nightly refresh (policies.matching)."""

    list_display = ["version", "enterprise", "project", "status", "amount_fen", "evaluated_at"]
    list_filter = ["status"]
    list_select_related = ["version__policy", "enterprise", "project"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PolicyPush)
class PolicyPushAdmin(admin.ModelAdmin):
    list_display = ["week_start", "enterprise", "sent_at", "sent_by"]
    list_select_related = ["enterprise", "sent_by"]
    readonly_fields = ["week_start", "enterprise", "policies", "sent_at", "sent_by", "notifications"]
