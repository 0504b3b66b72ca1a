from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from reference.models import EnterpriseTag, IndustryGroup, Town

from .models import ImportJob, SizeClass


class EnterpriseFilterForm(forms.Form):
    """The filter bar above the enterprise list."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    town = forms.ModelChoiceField(Town.objects.filter(is_active=True), label=_("Town"), required=False,
                                  to_field_name="code", empty_label=_("All towns"))
    group = forms.ModelChoiceField(IndustryGroup.objects.filter(is_active=True), label=_("Industry group"),
                                   required=False, to_field_name="code", empty_label=_("All industry groups"))
    tag = forms.ModelChoiceField(EnterpriseTag.objects.filter(is_active=True), label=_("Tag"), required=False,
                                 to_field_name="code", empty_label=_("All tags"))
    size = forms.ChoiceField(label=_("Size"), required=False, choices=[("", _("All sizes")), *SizeClass.choices])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select form-select-sm" if isinstance(field.widget, forms.Select) else "form-control form-control-sm"
            field.widget.attrs["class"] = css
        self.fields["q"].widget.attrs["placeholder"] = _("Name, credit code or pinyin initials")

    def apply(self, qs):
        """Filter a queryset that is already limited to the user's scope."""
        from .search import search_enterprises

        if not self.is_valid():
            return qs.none()
        data = self.cleaned_data
        if data["town"]:
            qs = qs.filter(town=data["town"])
        if data["group"]:
            qs = qs.filter(industry_group=data["group"])
        if data["tag"]:
            qs = qs.filter(tags=data["tag"])
        if data["size"]:
            qs = qs.filter(size_class=data["size"])
        return search_enterprises(qs, data["q"])


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What to import"), choices=ImportJob.Kind.choices, widget=forms.RadioSelect)
    mode = forms.ChoiceField(
        label=_("If some rows are bad"),
        choices=ImportJob.Mode.choices,
        initial=ImportJob.Mode.ALL_OR_NOTHING,
        widget=forms.RadioSelect,
    )
    file = forms.FileField(label=_("Excel file (.xlsx)"))

    def clean_file(self):
        from django.conf import settings

        upload = self.cleaned_data["file"]
        if upload.size > settings.QIFU_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is too large (%(size)s); the limit is %(limit)s."),
                params={"size": filesizeformat(upload.size), "limit": filesizeformat(settings.QIFU_IMPORT_MAX_BYTES)},
            )
        head = upload.read(4)
        upload.seek(0)
        if head != b"PK\x03\x04":
            raise forms.ValidationError(_("This is not an Excel (.xlsx) file. Save it as .xlsx and try again."))
        return upload
