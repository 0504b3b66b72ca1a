"""Forms of the market pages.  Amounts are typed in 万元 and stored in fen."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.money import FEN_PER_WAN, fen_to_wan
from enterprises.models import SizeClass
from reference.models import Park, Town

from .models import Collateral, FinancialProduct, MarketEvent, NeedStatus, Purpose, SpaceListing, Urgency


def wan_to_fen(value: Decimal | None) -> int | None:
    return None if value is None else int(value * FEN_PER_WAN)


class NeedForm(forms.Form):
    """What an enterprise asks for (phone-first: few fields, big buttons)."""

    amount_wan = forms.DecimalField(label=_("Amount needed (10,000 yuan)"), min_value=Decimal("1"),
                                    max_value=Decimal("100000"), decimal_places=2,
                                    widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}))
    term_months = forms.IntegerField(label=_("Term (months)"), min_value=1, max_value=360, initial=12)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)
    collateral = forms.ChoiceField(label=_("Collateral or guarantee"), choices=Collateral.choices)
    urgency = forms.ChoiceField(label=_("When is the money needed"), choices=Urgency.choices,
                                widget=forms.RadioSelect, initial=Urgency.NORMAL)
    description = forms.CharField(label=_("Anything the bank should know"), required=False, max_length=1000,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    contact_name = forms.CharField(label=_("Contact person"), max_length=50)
    contact_phone = forms.RegexField(label=_("Contact phone"), regex=r"^1\d{10}$|^0\d{2,3}-?\d{7,8}$", max_length=20,
                                     widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
                                     error_messages={"invalid": _("Enter a mobile or landline number.")})

    finance_day = forms.ModelChoiceField(label=_("Bring it to a financing day"), required=False, queryset=None,
                                         empty_label=_("No, online only"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["finance_day"].queryset = MarketEvent.objects.filter(
            kind=MarketEvent.Kind.FINANCE_DAY, is_held=False, held_on__gte=timezone.localdate()).order_by("held_on")
        for name, field in self.fields.items():
            if name != "urgency":
                css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
                field.widget.attrs.setdefault("class", f"{css} form-control-lg" if css == "form-control" else css)

    def action_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["amount_fen"] = wan_to_fen(data.pop("amount_wan"))
        return data


class AmountForm(forms.Form):
    amount_wan = forms.DecimalField(label=_("Amount (10,000 yuan)"), min_value=Decimal("0.01"), decimal_places=2,
                                    widget=forms.NumberInput(attrs={"class": "form-control", "step": "any"}))
    note = forms.CharField(label=_("Note"), required=False, max_length=500,
                           widget=forms.TextInput(attrs={"class": "form-control"}))


class NeedFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"class": "form-control",
                                                      "placeholder": _("Number or enterprise")}))
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All"))] + NeedStatus.choices,
                               widget=forms.Select(attrs={"class": "form-select"}))
    town = forms.ModelChoiceField(label=_("Town"), required=False, queryset=Town.objects.all(), to_field_name="code",
                                  empty_label=_("All"),
                                  widget=forms.Select(attrs={"class": "form-select"}))
    purpose = forms.ChoiceField(label=_("Purpose"), required=False, choices=[("", _("All"))] + Purpose.choices,
                                widget=forms.Select(attrs={"class": "form-select"}))

    def apply(self, qs):
        if not self.is_valid():
            return qs
        data = self.cleaned_data
        if data["q"]:
            qs = qs.filter(Q(number__icontains=data["q"]) | Q(enterprise__name__icontains=data["q"]))
        if data["status"]:
            qs = qs.filter(status=data["status"])
        if data["town"]:
            qs = qs.filter(enterprise__town=data["town"])
        if data["purpose"]:
            qs = qs.filter(purpose=data["purpose"])
        return qs


class SpaceForm(forms.ModelForm):
    price_yuan = forms.DecimalField(label=_("Price or lowest price (yuan per m²; a month when renting)"),
                                    required=False, min_value=Decimal("0"), decimal_places=2)
    price_max_yuan = forms.DecimalField(label=_("Highest price (yuan per m²)"), required=False,
                                        min_value=Decimal("0"), decimal_places=2, help_text=_("Wanted space only."))

    class Meta:
        model = SpaceListing
        fields = ["side", "deal", "title", "town", "park", "area_min_m2", "area_max_m2", "floor_min", "floor_max",
                  "height_m", "load_kg_m2", "power_kva", "available_from", "use", "contact_name", "contact_phone"]
        widgets = {"available_from": forms.DateInput(attrs={"type": "date"}),
                   "side": forms.RadioSelect(attrs={"class": "form-check-input"}),
                   "deal": forms.RadioSelect(attrs={"class": "form-check-input"})}

    field_order = ["side", "deal", "title", "town", "park", "area_min_m2", "area_max_m2", "price_yuan",
                   "price_max_yuan", "floor_min", "floor_max", "height_m", "load_kg_m2", "power_kva", "available_from",
                   "use", "contact_name", "contact_phone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["side"].choices = SpaceListing.Side.choices  # no empty radio button
        self.fields["deal"].choices = SpaceListing.Deal.choices
        self.fields["park"].queryset = Park.objects.all()
        for name, field in self.fields.items():
            if name not in ("side", "deal"):
                css = "form-select" if isinstance(field, forms.ModelChoiceField) else "form-control"
                field.widget.attrs.setdefault("class", css)

    def clean(self):
        data = super().clean()
        if data.get("side") == SpaceListing.Side.SUPPLY and not data.get("town"):
            self.add_error("town", _("Say in which town the space is."))
        return data

    def action_fields(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        # Prices are typed in yuan per m²; stored in fen.
        low, high = self.cleaned_data.get("price_yuan"), self.cleaned_data.get("price_max_yuan")
        data["price_min_fen"] = None if low is None else int(low * 100)
        data["price_max_fen"] = None if high is None else int(high * 100)
        if data["side"] == SpaceListing.Side.SUPPLY:
            data["area_max_m2"] = data["area_min_m2"] = max(data["area_min_m2"], data["area_max_m2"])
            data["price_max_fen"] = data["price_min_fen"]
        return data


class ProductForm(forms.ModelForm):
    """A bank's loan product; amounts in 万元, choices as check boxes."""

    min_amount_wan = forms.DecimalField(label=_("Smallest amount (10,000 yuan)"), min_value=Decimal("0.01"),
                                        decimal_places=2)
    max_amount_wan = forms.DecimalField(label=_("Largest amount (10,000 yuan)"), min_value=Decimal("0.01"),
                                        decimal_places=2)
    purposes = forms.MultipleChoiceField(label=_("Purposes"), choices=Purpose.choices, required=False,
                                         widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
                                         help_text=_("None ticked: any purpose."))
    collateral = forms.MultipleChoiceField(label=_("Accepted collateral or guarantee"), choices=Collateral.choices,
                                           widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}))
    sizes = forms.MultipleChoiceField(label=_("Enterprise sizes"), required=False,
                                      widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
                                      choices=[c for c in SizeClass.choices if c[0] != SizeClass.UNKNOWN],
                                      help_text=_("None ticked: every size qualifies."))

    class Meta:
        model = FinancialProduct
        fields = ["name", "kind", "min_term_months", "max_term_months", "min_rate_bp", "max_rate_bp", "qualifies",
                  "is_active"]
        widgets = {"qualifies": forms.Textarea(attrs={"rows": 2}),
                   "is_active": forms.CheckboxInput(attrs={"class": "form-check-input"})}

    field_order = ["name", "kind", "min_amount_wan", "max_amount_wan", "min_term_months", "max_term_months",
                   "min_rate_bp", "max_rate_bp", "purposes", "collateral", "sizes", "qualifies", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        product = self.instance
        if product.pk:
            self.initial.update(min_amount_wan=fen_to_wan(product.min_amount_fen),
                                max_amount_wan=fen_to_wan(product.max_amount_fen), purposes=product.purposes,
                                collateral=product.collateral, sizes=product.sizes)
        for field in self.fields.values():
            if not isinstance(field.widget, (forms.CheckboxSelectMultiple, forms.CheckboxInput)):
                css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
                field.widget.attrs.setdefault("class", css)

    def clean(self):
        data = super().clean()
        for low, high in (("min_amount_wan", "max_amount_wan"), ("min_term_months", "max_term_months"),
                          ("min_rate_bp", "max_rate_bp")):
            if data.get(low) is not None and data.get(high) is not None and data[low] > data[high]:
                self.add_error(high, _("This is below the lower bound."))
        return data

    def action_fields(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data.update(min_amount_fen=wan_to_fen(self.cleaned_data["min_amount_wan"]),
                    max_amount_fen=wan_to_fen(self.cleaned_data["max_amount_wan"]),
                    purposes=list(self.cleaned_data["purposes"]), collateral=list(self.cleaned_data["collateral"]),
                    sizes=list(self.cleaned_data["sizes"]))
        return data
