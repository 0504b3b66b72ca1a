"""Forms of the liaisons pages: visit log with its problems, assignments, condition items, filters."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from demands.forms import StyledForm, checked_period, parse_period
from demands.models import AppealType
from enterprises.models import Enterprise, ImportJob
from enterprises.validators import normalise_credit_code
from policies.models import Policy
from reference.models import Category, ConditionTag, Town

from . import access, tiers
from .models import Level

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input (the phone camera or gallery)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def resolve_enterprises(text: str, allowed) -> tuple[list[Enterprise], list[str]]:
    """Credit codes or exact names, one per line, within ``allowed``; (found, not found)."""
    found, missing = [], []
    for line in (text or "").replace("，", "\n").replace(",", "\n").splitlines():
        line = line.strip()
        if not line:
            continue
        code = normalise_credit_code(line)
        match = allowed.filter(credit_code=code).first() or allowed.filter(name=line).first()
        (found.append(match) if match else missing.append(line))
    return found, missing


class VisitForm(StyledForm):
    visited_on = forms.DateField(label=_("Visit date"), widget=DATE)
    enterprises = forms.ModelMultipleChoiceField(
        Enterprise.objects.none(), label=_("Enterprises on this visit"), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_enterprises = forms.CharField(
        label=_("Other enterprises"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Credit codes or full names, one per line."),
    )
    cadres = forms.ModelMultipleChoiceField(
        access.cadres().none(), label=_("Who else went"), required=False,
        help_text=_("You are counted as going yourself."),
    )
    summary = forms.CharField(label=_("What was discussed"), widget=forms.Textarea(attrs={"rows": 4}),
                              max_length=5000)
    policies = forms.ModelMultipleChoiceField(Policy.objects.all(), label=_("Policies explained"), required=False)
    photos = MultipleFileField(label=_("Photos"), required=False)

    def __init__(self, *args, user, preselect=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        allowed = access.visit_enterprises(user)
        self.allowed = allowed
        # The checkboxes: the cadre's own enterprises, plus any picked by search (kept when the form comes back).
        picked = [getattr(p, "pk", p) for p in preselect]
        if self.is_bound:
            picked += [pk for pk in self.data.getlist(self.add_prefix("enterprises")) if str(pk).isdigit()]
        shown = list(access.my_enterprises(user).order_by("name")[:200]) + list(allowed.filter(pk__in=picked))
        self.shown = list(dict.fromkeys(shown))
        self.fields["enterprises"].queryset = allowed
        self.fields["enterprises"].widget.choices = [(e.pk, e.name) for e in self.shown]
        self.fields["enterprises"].widget.attrs["class"] = "form-check-input"
        self.fields["cadres"].queryset = access.cadres().exclude(pk=user.pk)
        self.fields["cadres"].widget.attrs["size"] = 4
        self.fields["visited_on"].initial = timezone.localdate()
        if preselect:
            self.initial["enterprises"] = [getattr(p, "pk", p) for p in preselect]

    def clean(self):
        data = super().clean()
        chosen = list(data.get("enterprises") or [])
        extra, missing = resolve_enterprises(data.get("other_enterprises", ""), self.allowed)
        if missing:
            self.add_error("other_enterprises", _("Not found in your scope: %(names)s") % {"names": "、".join(missing)})
        data["all_enterprises"] = list(dict.fromkeys(chosen + extra))
        if not data["all_enterprises"] and not missing:
            self.add_error("enterprises", _("Choose at least one enterprise that was visited."))
        return data


class ProblemForm(StyledForm):
    """One problem found on the visit; filled in, it becomes a demand."""

    text = forms.CharField(label=_("Problem found"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                           max_length=5000)
    enterprise = forms.ModelChoiceField(Enterprise.objects.none(), label=_("Which enterprise"), required=False)
    appeal_type = forms.ChoiceField(label=_("Appeal type"), choices=AppealType.choices, initial=AppealType.REQUEST)
    category = forms.ModelChoiceField(Category.objects.filter(is_active=True), label=_("Category"), required=False)
    condition_tags = forms.ModelMultipleChoiceField(
        ConditionTag.objects.filter(is_active=True), label=_("Four-new tags"), required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, allowed=None, shown=(), **kwargs):
        super().__init__(*args, **kwargs)
        if allowed is not None:
            self.fields["enterprise"].queryset = allowed
            self.fields["enterprise"].widget.choices = [("", _("The (first) enterprise visited"))] + [
                (e.pk, e.name) for e in shown
            ]

    def has_problem(self) -> bool:
        return bool(self.is_valid() and self.cleaned_data.get("text", "").strip())


ProblemFormSet = forms.formset_factory(ProblemForm, extra=2, max_num=20)


class AddProblemForm(ProblemForm):
    """A problem added later on the visit's page: the enterprise is one of the visit's."""

    def __init__(self, *args, visit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = visit.enterprises.all()
        self.fields["enterprise"].empty_label = None
        self.fields["enterprise"].required = True
        self.fields["text"].required = True


class PhotoForm(StyledForm):
    photos = MultipleFileField(label=_("Photos"))


class PeriodFilterForm(StyledForm):
    period = forms.CharField(label=_("Period"), required=False, max_length=30,
                             help_text=_("2025, 2025-03, 2025-Q1 or 2025-03-01..2025-03-20"))

    def clean_period(self):
        return checked_period(self.cleaned_data["period"])

    def dates(self):
        period = self.cleaned_data.get("period") if self.is_valid() else ""
        return parse_period(period) if period else (None, None)


class VisitFilterForm(PeriodFilterForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    cadre = forms.IntegerField(required=False, widget=forms.HiddenInput)
    department = forms.ModelChoiceField(Organisation.objects.all(), to_field_name="code", required=False,
                                        label=_("Department"))
    town = forms.ModelChoiceField(Town.objects.filter(is_active=True), to_field_name="code", required=False,
                                  label=_("Town"), empty_label=_("All towns"))
    resolved = forms.NullBooleanField(required=False, widget=forms.HiddenInput)

    def filters(self) -> dict:
        start, end = self.dates()
        data = self.cleaned_data if self.is_valid() else {}
        return {"start": start, "end": end, "cadre": data.get("cadre"), "department": data.get("department"),
                "town": data.get("town")}


class CoverageForm(StyledForm):
    period = forms.CharField(label=_("Visits in"), required=False, max_length=30,
                             help_text=_("2025, 2025-03, 2025-Q1 or 2025-03-01..2025-03-20"))

    def clean_period(self):
        return checked_period(self.cleaned_data["period"]) or str(timezone.localdate().year)

    def chosen(self) -> str:
        return self.cleaned_data["period"] if self.is_valid() else str(timezone.localdate().year)


class UnvisitedFilterForm(StyledForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    days = forms.IntegerField(label=_("Not visited for (days)"), required=False, min_value=1, max_value=3650)
    town = forms.ModelChoiceField(Town.objects.filter(is_active=True), to_field_name="code", required=False,
                                  label=_("Town"), empty_label=_("All towns"))
    level = forms.ChoiceField(label=_("Level"), required=False, choices=[("", _("Both levels")), *Level.choices])
    cadre = forms.ModelChoiceField(access.cadres(), required=False, label=_("Liaison cadre"),
                                   empty_label=_("Everyone in my scope"))


class ConditionForm(StyledForm):
    text = forms.CharField(label=_("What was noticed"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    tags = forms.ModelMultipleChoiceField(ConditionTag.objects.filter(is_active=True), label=_("Four-new tags"),
                                          widget=forms.CheckboxSelectMultiple)
    enterprise_name = forms.CharField(label=_("About an enterprise (optional)"), required=False, max_length=200,
                                      help_text=_("Credit code or full name."))
    noted_on = forms.DateField(label=_("Date"), widget=DATE, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.allowed = access.visit_enterprises(user)
        self.fields["noted_on"].initial = timezone.localdate()
        self.fields["enterprise_name"].widget.attrs.update({"autocomplete": "off", "data-search-input": ""})

    def clean_enterprise_name(self):
        text = self.cleaned_data["enterprise_name"].strip()
        if not text:
            return None
        found, missing = resolve_enterprises(text, self.allowed)
        if missing or len(found) != 1:
            raise forms.ValidationError(_("No such enterprise in your scope."))
        return found[0]


class ConditionFilterForm(PeriodFilterForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    tag = forms.ModelChoiceField(ConditionTag.objects.filter(is_active=True), to_field_name="code", required=False,
                                 label=_("Tag"), empty_label=_("All tags"))
    town = forms.ModelChoiceField(Town.objects.filter(is_active=True), to_field_name="code", required=False,
                                  label=_("Town"), empty_label=_("All towns"))


class AssignForm(StyledForm):
    """By hand: the enterprises ticked on the filtered list get this cadre."""

    cadre = forms.ModelChoiceField(access.cadres(), label=_("Liaison cadre"))
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    enterprises = forms.ModelMultipleChoiceField(Enterprise.objects.none(), required=False,
                                                 widget=forms.MultipleHiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprises"].queryset = access.assignable_enterprises(user)
        self.fields["level"].choices = [(v, Level(v).label) for v in access.assignable_levels(user)]


class RuleAssignForm(StyledForm):
    """By tier rule: every enterprise of a tier (in a town) gets this cadre."""

    tier = forms.ChoiceField(label=_("Service tier"), choices=())
    town = forms.ModelChoiceField(Town.objects.filter(is_active=True), to_field_name="code", required=False,
                                  label=_("Town"), empty_label=_("All towns"))
    cadre = forms.ModelChoiceField(access.cadres(), label=_("Liaison cadre"))
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    only_unassigned = forms.BooleanField(label=_("Only enterprises without a liaison at this level"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tier"].choices = tiers.tier_choices()
        self.fields["level"].choices = [(v, Level(v).label) for v in access.assignable_levels(user)]


class AssignmentImportForm(StyledForm):
    mode = forms.ChoiceField(label=_("If some rows are bad"), choices=ImportJob.Mode.choices,
                             initial=ImportJob.Mode.ALL_OR_NOTHING, widget=forms.RadioSelect)
    file = forms.FileField(label=_("Excel file (.xlsx)"))
