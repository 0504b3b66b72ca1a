from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Organisation, Role, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "display_name", "organisation", "enterprise", "is_active", "last_login")
    list_filter = ("roles", "organisation__kind", "is_active")
    search_fields = ("username", "display_name", "phone", "organisation__name_zh")
    autocomplete_fields = ("organisation", "enterprise")
    filter_horizontal = ("roles", "groups", "user_permissions")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Qifu"), {"fields": ("display_name", "phone", "organisation", "enterprise", "roles")}),
    )


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("code", "name_zh", "kind", "department", "town", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "name_zh", "name_en")


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ("code", "name_zh", "name_en")
