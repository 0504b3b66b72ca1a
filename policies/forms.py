"""Forms of the policy pages: the library filter and the what-if facts of a check-up or calculator."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.template.defaultfilters import filesizeformat
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.money import FEN_PER_WAN
from enterprises.models import Project
from reference.models import Town

from .models import Level, PayoutLine, PolicyVersion, SubjectKind
from .rules import Fact, Type

YES_NO = [("yes", _("Yes")), ("no", _("No")), ("", _("Not known"))]
CHOICES = {
    "industry_class": Project.IndustryClass.choices,
    "ningbo_tier": [(1, _("Tier 1")), (2, _("Tier 2")), (3, _("Tier 3"))],
}


class PolicyFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Title or code"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm", "type": "search"}),
    )
    level = forms.ChoiceField(
        label=_("Level"),
        required=False,
        choices=[("", _("All"))] + Level.choices,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    subject_kind = forms.ChoiceField(
        label=_("Subject"),
        required=False,
        choices=[("", _("All"))] + SubjectKind.choices,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("published", _("In force")), ("unpublished", _("Not yet published"))],
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    def apply(self, qs):
        """The policies matching the filter (all of them when the form does not validate)."""
        if not self.is_valid():
            return qs
        data = self.cleaned_data
        if data["q"].strip():
            qs = qs.filter(Q(title__icontains=data["q"].strip()) | Q(code__icontains=data["q"].strip()))
        for name in ("level", "subject_kind"):
            if data[name]:
                qs = qs.filter(**{name: data[name]})
        published = Exists(PolicyVersion.objects.filter(policy=OuterRef("pk"), status=PolicyVersion.Status.PUBLISHED))
        if data["status"]:
            qs = qs.filter(published) if data["status"] == "published" else qs.exclude(published)
        return qs


def fact_field(fact: Fact) -> forms.Field:
    """A form field for one fact: money in 万元, yes/no, class A/B/C, tier 1/2/3, or a number."""
    label = capfirst(fact.label)
    if fact.type is Type.BOOL:
        return forms.TypedChoiceField(
            label=label,
            required=False,
            choices=YES_NO,
            empty_value=None,
            coerce=lambda value: value == "yes",
            widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        )
    if fact.name in CHOICES:
        choices = [("", _("Not known"))] + list(CHOICES[fact.name])
        coerce = int if fact.type is Type.NUMBER else str
        return forms.TypedChoiceField(
            label=label,
            required=False,
            choices=choices,
            coerce=coerce,
            empty_value=None,
            widget=forms.Select(attrs={"class": "form-select"}),
        )
    if fact.type is Type.MONEY:
        # Six decimals of 万元 are exactly one fen.
        return forms.DecimalField(
            label=label,
            required=False,
            min_value=Decimal(0),
            max_digits=16,
            decimal_places=6,
            help_text=_("In units of 10,000 yuan."),
            widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "decimal"}),
        )
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=Decimal(0),
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "decimal"}),
    )


def field_name(key: str, fact: Fact) -> str:
    return f"{key.replace(':', '-')}__{fact.column}"


class FactsForm(forms.Form):
    """What-if facts, one field per (subject key, fact); nothing typed in here is saved."""

    def __init__(self, data=None, *, fields: list[tuple[str, Fact]]):
        super().__init__(data)
        self.facts = {}
        for key, fact in fields:
            name = field_name(key, fact)
            self.fields[name] = fact_field(fact)
            self.facts[name] = (key, fact)

    def extra_facts(self) -> dict[str, dict]:
        """{subject key: {column: value}} of the fields filled in, money in fen."""
        extra: dict[str, dict] = {}
        for name, value in self.cleaned_data.items():
            if value is None:
                continue
            key, fact = self.facts[name]
            if fact.type is Type.MONEY:
                value = int(value * FEN_PER_WAN)
            extra.setdefault(key, {})[fact.column] = value
        return extra


class VersionForm(forms.Form):
    """A new rule version as policy staff write it: one condition per line, "name | label | rule"."""

    conditions = forms.CharField(
        label=_("Conditions"), widget=forms.Textarea(attrs={"rows": 6, "class": "form-control font-monospace"}),
        help_text=_("One per line: name | label | rule, e.g. equipment_threshold | 设备投资500万元以上 | "
                    "equipment_investment >= 500万"),
    )
    amount_formula = forms.CharField(
        label=_("Amount"), required=False, widget=forms.TextInput(attrs={"class": "form-control font-monospace"}),
    )
    cap_expression = forms.CharField(
        label=_("Cap"), required=False, widget=forms.TextInput(attrs={"class": "form-control font-monospace"}),
    )
    change_note = forms.CharField(
        label=_("What changed"), max_length=200, widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    @staticmethod
    def initial_from(version) -> dict:
        lines = [" | ".join((c["name"], c.get("label", ""), c["expression"])) for c in version.conditions]
        return {"conditions": "\n".join(lines), "amount_formula": version.amount_formula,
                "cap_expression": version.cap_expression}

    def clean_conditions(self) -> list[dict]:
        conditions = []
        for number, line in enumerate(self.cleaned_data["conditions"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split("|")]
            if len(parts) != 3 or not parts[0] or not parts[2]:
                raise ValidationError(_("Line %(number)d: write name | label | rule.") % {"number": number})
            conditions.append({"name": parts[0], "label": parts[1], "expression": parts[2]})
        return conditions


class PayoutLineFilterForm(forms.Form):
    """Filter and search the lines of a payout list."""

    q = forms.CharField(
        label=_("Enterprise name or credit code"), required=False, max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm", "type": "search"}),
    )
    status = forms.ChoiceField(
        label=_("Decision"), required=False, choices=[("", _("All"))] + PayoutLine.Status.choices,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    town = forms.ModelChoiceField(
        label=_("Town"), required=False, queryset=Town.objects.all(), empty_label=_("All"),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    def apply(self, qs):
        """The lines matching the filter (all of them when the form does not validate)."""
        if not self.is_valid():
            return qs
        data = self.cleaned_data
        text = data["q"].strip()
        if text:
            qs = qs.filter(Q(enterprise__name__icontains=text) | Q(enterprise__credit_code__icontains=text))
        if data["status"]:
            qs = qs.filter(status=data["status"])
        if data["town"]:
            qs = qs.filter(enterprise__town=data["town"])
        return qs


class PayoutDecisionForm(forms.Form):
    """Approve or reject one line; a rejection needs a reason (checked by the action)."""

    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    reason = forms.CharField(label=_("Reason"), required=False, max_length=300)


class FactsUploadForm(forms.Form):
    """A facts file (policies.md format) to import into the registry's figures and projects."""

    file = forms.FileField(label=_("Facts file (.parquet, .csv or .xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".parquet,.csv,.xlsx"}))
    mode = forms.ChoiceField(
        label=_("If some rows are bad"),
        choices=[("all-or-nothing", _("Import nothing")), ("valid-only", _("Import the good rows"))],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    year = forms.IntegerField(label=_("Year (for a file without a year column)"), required=False,
                              min_value=1900, max_value=2200,
                              widget=forms.NumberInput(attrs={"class": "form-control"}))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.QIFU_IMPORT_MAX_BYTES:
            raise ValidationError(_("The file is larger than %(size)s.") % {"size": filesizeformat(settings.QIFU_IMPORT_MAX_BYTES)})
        if Path(upload.name).suffix.lower() not in (".parquet", ".csv", ".xlsx"):
            raise ValidationError(_("A facts file must be .parquet, .csv or .xlsx."))
        return upload
