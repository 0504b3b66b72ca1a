from django.contrib import admin

from . import actions, models


class ContactInline(admin.TabularInline):
    model = models.Contact
    extra = 0


@admin.register(models.Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ("name", "credit_code", "town", "industry_group", "size_class")
    list_filter = ("town", "industry_group", "size_class", "tags")
    search_fields = ("name", "credit_code", "name_initials")
    filter_horizontal = ("tags",)
    inlines = [ContactInline]

    def save_model(self, request, obj, form, change):
        # Keep the derived search field right even for edits made here.
        actions._prepare(obj)
        super().save_model(request, obj, form, change)


@admin.register(models.YearFigures)
class YearFiguresAdmin(admin.ModelAdmin):
    list_display = ("enterprise", "year", "revenue_fen", "tax_paid_fen", "employees")
    list_filter = ("year",)
    search_fields = ("enterprise__name", "enterprise__credit_code")
    raw_id_fields = ("enterprise",)


@admin.register(models.Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ("name", "enterprise", "kind", "year", "completed")
    list_filter = ("kind", "year", "completed")
    search_fields = ("name", "enterprise__name")
    raw_id_fields = ("enterprise",)


@admin.register(models.ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ("created_at", "kind", "original_name", "status", "created_by", "error_count")
    readonly_fields = [f.name for f in models.ImportJob._meta.fields]

    def has_add_permission(self, request):
        return False
