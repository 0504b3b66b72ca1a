"""Forms of the evaluation pages, the zone's usage page and appointments."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reference.models import Department, IndustryGroup, Town

from .models import HOLDING, AppointmentSlot, Confirmation, EvaluationClass

GROUP_LABELS = {
    "above_scale": _("Above-scale group"),
    "below_large": _("Below-scale, 3 mu or more"),
    "below_small": _("Below-scale, under 3 mu"),
    "tenant": _("Tenants without industrial land of their own"),
}


class ResultFilterForm(forms.Form):
    q = forms.CharField(label=_("Enterprise"), required=False,
                        widget=forms.TextInput(attrs={"class": "form-control form-control-sm", "type": "search"}))
    group = forms.ChoiceField(label=_("Evaluation group"), required=False)
    klass = forms.ChoiceField(label=_("Class"), required=False,
                              choices=[("", "—"), *EvaluationClass.choices])
    town = forms.ModelChoiceField(label=_("Town"), queryset=Town.objects.all(), required=False, to_field_name="code")
    industry_group = forms.ModelChoiceField(label=_("Industry group"), queryset=IndustryGroup.objects.all(),
                                            required=False, to_field_name="code")
    confirmation = forms.ChoiceField(label=_("Data confirmation"), required=False,
                                     choices=[("", "—"), *Confirmation.choices])
    low = forms.BooleanField(label=_("Low efficiency only"), required=False)

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", "—")] + [(g, GROUP_LABELS.get(g, g)) for g in groups]
        for name, field in self.fields.items():
            if name != "low" and name != "q":
                field.widget.attrs["class"] = "form-select form-select-sm"

    def apply(self, qs):
        if not self.is_valid():
            return qs
        data = self.cleaned_data
        if data["q"]:
            qs = qs.filter(Q(enterprise__name__icontains=data["q"]) | Q(enterprise__credit_code__startswith=data["q"]))
        for name, lookup in (("group", "group"), ("klass", "klass"), ("town", "town"),
                             ("industry_group", "industry_group"), ("confirmation", "confirmation")):
            if data[name]:
                qs = qs.filter(**{lookup: data[name]})
        if data["low"]:
            qs = qs.filter(is_low_efficiency=True)
        return qs


class TextForm(forms.Form):
    text = forms.CharField(label=_("Text"), max_length=2000,
                           widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}))


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False,
                            widget=forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}))
    end = forms.DateField(label=_("To"), required=False,
                          widget=forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}))

    def period(self) -> tuple[dt.date, dt.date]:
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        end = data.get("end") or today
        return data.get("start") or end - dt.timedelta(days=29), end


class BookingForm(forms.Form):
    """Pick a department's free slot and say what it is about."""

    slot = forms.ModelChoiceField(label=_("Department and time"), queryset=AppointmentSlot.objects.none(),
                                  widget=forms.Select(attrs={"class": "form-select"}))
    topic = forms.CharField(label=_("Topic"), max_length=200, widget=forms.TextInput(attrs={"class": "form-control"}))

    def __init__(self, *args, department: Department | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        slots = free_slots()
        if department is not None:
            slots = slots.filter(department=department)
        self.fields["slot"].queryset = slots
        self.fields["slot"].label_from_instance = lambda s: (
            f"{s.department.name} · {timezone.localtime(s.starts_at):%Y-%m-%d %H:%M}"
            f"–{timezone.localtime(s.ends_at):%H:%M}" + (f" · {s.place}" if s.place else ""))


def free_slots():
    """Future slots with no live appointment."""
    return (AppointmentSlot.objects.filter(starts_at__gt=timezone.now())
            .exclude(appointments__status__in=HOLDING).select_related("department").order_by("starts_at", "id"))


class SlotForm(forms.Form):
    """A department offers a time for appointments."""

    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}))
    start = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time", "class": "form-control"}))
    end = forms.TimeField(label=_("To"), widget=forms.TimeInput(attrs={"type": "time", "class": "form-control"}))
    place = forms.CharField(label=_("Place"), max_length=200, required=False,
                            widget=forms.TextInput(attrs={"class": "form-control"}))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            raise forms.ValidationError(_("The slot must end after it starts."))
        return data

    def times(self) -> tuple[dt.datetime, dt.datetime]:
        tz = timezone.get_current_timezone()
        data = self.cleaned_data
        return dt.datetime.combine(data["day"], data["start"], tz), dt.datetime.combine(data["day"], data["end"], tz)
