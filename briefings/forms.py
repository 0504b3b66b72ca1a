"""Briefing forms: the archive filter, "generate now", the dashboard filter."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from demands.forms import StyledForm, checked_period, unit_queryset
from reference.models import Town

from . import periods
from .models import Kind


class ArchiveFilterForm(StyledForm):
    kind = forms.ChoiceField(label=_("Briefing"), required=False, choices=[("", _("Both briefings")), *Kind.choices])
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)


class GenerateForm(StyledForm):
    kind = forms.ChoiceField(label=_("Briefing"), choices=Kind.choices)
    day = forms.DateField(label=_("A day in the period"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                          help_text=_("The week (Monday to Sunday) or the month that contains this day."))

    def clean(self):
        data = super().clean()
        if data.get("kind") and data.get("day") and data["day"] > timezone.localdate():
            raise ValidationError(_("Choose a day that has passed."))
        return data

    def period(self) -> periods.Period:
        return periods.period_of(self.cleaned_data["kind"], self.cleaned_data["day"])


class DashboardForm(StyledForm):
    period = forms.CharField(label=_("Period"), required=False, max_length=30,
                             help_text=_("2025, 2025-03, 2025-Q1 or 2025-03-01..2025-03-20"))
    town = forms.ModelChoiceField(Town.objects.filter(is_active=True), to_field_name="code", required=False,
                                  label=_("Town"), empty_label=_("All towns"))
    unit = forms.ModelChoiceField(Organisation.objects.none(), to_field_name="code", required=False,
                                  label=_("Department"), empty_label=_("All departments"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_queryset()

    def clean_period(self):
        return checked_period(self.cleaned_data["period"]) or timezone.localdate().strftime("%Y-%m")

    def chosen(self) -> dict:
        if self.is_valid():
            return self.cleaned_data
        return {"period": timezone.localdate().strftime("%Y-%m"), "town": None, "unit": None}
