from django.contrib import admin

from . import models


@admin.register(models.FinancialProduct)
class FinancialProductAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "kind", "min_amount_fen", "max_amount_fen", "is_active"]
    list_filter = ["kind", "organisation", "is_active"]
    search_fields = ["name"]


@admin.register(models.MicroPark)
class MicroParkAdmin(admin.ModelAdmin):
    list_display = ["name", "town", "stage", "land_area_mu", "floor_area_m2", "enterprises", "occupancy_pct"]
    list_filter = ["stage", "town"]
    search_fields = ["name"]


@admin.register(models.MarketEvent)
class MarketEventAdmin(admin.ModelAdmin):
    list_display = ["held_on", "title", "kind", "is_held"]
    list_filter = ["kind", "is_held"]


@admin.register(models.Match)
class MatchAdmin(admin.ModelAdmin):
    list_display = ["market", "need_id", "offer_id", "score", "is_current", "need_consent_at", "offer_consent_at"]
    list_filter = ["market", "is_current"]
    readonly_fields = ["states"]
