from django.contrib import admin

from . import models


class ReferenceAdmin(admin.ModelAdmin):
    list_display = ("code", "name_zh", "name_en", "sort_order", "is_active")
    list_editable = ("sort_order", "is_active")
    search_fields = ("code", "name_zh", "name_en")
    list_filter = ("is_active",)


for model in (models.Channel, models.ConditionTag, models.EnterpriseTag, models.IndustryGroup):
    admin.site.register(model, ReferenceAdmin)


@admin.register(models.Department)
class DepartmentAdmin(ReferenceAdmin):
    list_display = ("code", "name_zh", "kind", "sort_order", "is_active")
    list_filter = ("kind", "is_active")


@admin.register(models.Category)
class CategoryAdmin(ReferenceAdmin):
    list_display = ("code", "name_zh", "default_department", "sort_order", "is_active")


@admin.register(models.Town)
class TownAdmin(ReferenceAdmin):
    list_display = ("code", "name_zh", "kind", "sort_order", "is_active")


@admin.register(models.Park)
class ParkAdmin(ReferenceAdmin):
    list_display = ("code", "name_zh", "kind", "town", "sort_order", "is_active")
    list_filter = ("kind", "town", "is_active")
