"""Schemes, ranking tables, zone modules and appointment slots are edited in the admin."""

from django import forms
from django.contrib import admin
from django.db.models import Max

from . import models
from .schemes import SchemeError, parse_scheme


class SchemeForm(forms.ModelForm):
    class Meta:
        model = models.Scheme
        fields = ("year", "name", "source", "definition", "change_note")

    def clean_definition(self):
        definition = self.cleaned_data["definition"]
        try:
            parse_scheme(definition)
        except SchemeError as error:
            raise forms.ValidationError(str(error)) from None
        return definition


@admin.register(models.Scheme)
class SchemeAdmin(admin.ModelAdmin):
    form = SchemeForm
    list_display = ("year", "version", "name", "change_note")

    def save_model(self, request, obj, form, change):
        if not change:  # a new scheme is the next version of its year
            obj.version = (models.Scheme.objects.filter(year=obj.year).aggregate(top=Max("version"))["top"] or 0) + 1
        super().save_model(request, obj, form, change)

    def get_readonly_fields(self, request, obj=None):
        # A version that has results is kept as it was (re-running it must give the same results).
        if obj is not None and obj.rounds.exists():
            return ("year", "version", "definition")
        return ("version",) if obj is not None else ()


@admin.register(models.RankingTable)
class RankingTableAdmin(admin.ModelAdmin):
    list_display = ("code", "name_zh", "metric", "partition", "top_n", "is_active", "sort_order")
    list_editable = ("is_active", "sort_order")


@admin.register(models.ZoneModule)
class ZoneModuleAdmin(admin.ModelAdmin):
    list_display = ("code", "name_zh", "url_name", "is_active", "sort_order")
    list_editable = ("is_active", "sort_order")


@admin.register(models.AppointmentSlot)
class AppointmentSlotAdmin(admin.ModelAdmin):
    list_display = ("department", "starts_at", "ends_at", "place")
    list_filter = ("department",)


@admin.register(models.SubletDeclaration)
class SubletDeclarationAdmin(admin.ModelAdmin):
    list_display = ("enterprise", "year", "sublet_tenants")
    raw_id_fields = ("enterprise",)
