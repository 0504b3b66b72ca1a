from django.contrib import admin

from .models import ClassifierModel, Correction


@admin.register(ClassifierModel)
class ClassifierModelAdmin(admin.ModelAdmin):
    list_display = ["version", "trained_at", "n_examples"]
    readonly_fields = ["version", "trained_at", "n_examples", "metrics", "path", "sha256"]


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    list_display = ["demand", "field", "suggested", "chosen", "user", "created_at"]
    list_filter = ["field"]
    raw_id_fields = ["demand"]
