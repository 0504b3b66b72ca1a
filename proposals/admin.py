"""Proposals in the admin are for looking up only: every change goes through proposals.actions,
which keeps the demand, the letter and the history consistent."""

from django.contrib import admin

from . import models


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ProposalEventInline(admin.TabularInline):
    model = models.ProposalEvent
    extra = 0
    fields = ("created_at", "kind", "actor", "note")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(models.Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ("session", "number", "kind", "title", "proposer", "received_on", "demand")
    list_filter = ("kind", "session")
    search_fields = ("title", "proposer", "co_proposers", "demand__number")
    raw_id_fields = ("demand",)
    inlines = [ProposalEventInline]


@admin.register(models.ReplyLetter)
class ReplyLetterAdmin(ReadOnlyAdmin):
    list_display = ("document_number", "title", "status", "dated_on", "issued_at", "issued_by")
    list_filter = ("status", "class_mark")
    search_fields = ("document_number", "title", "addressee")
