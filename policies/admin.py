from django.contrib import admin

from .models import Policy, PolicyTestCase, PolicyVersion


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
