from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from demands.models import Status

from .actions import LETTER_FIELDS
from .models import Kind, LetterStatus, ReplyLetter


def _bootstrap(form: forms.Form, small: bool = False) -> None:
    size = " form-control-sm" if small else ""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput):
            continue
        if isinstance(widget, forms.Select):
            widget.attrs["class"] = "form-select" + (" form-select-sm" if small else "")
        else:
            widget.attrs["class"] = "form-control" + size


class ProposalForm(forms.Form):
    """Register a proposal as the People's Congress or the CPPCC assigned it."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    session = forms.CharField(label=_("Session"), max_length=40,
                              help_text=_("As written in the letter, e.g. 市十七届人大五次会议."))
    number = forms.IntegerField(label=_("Number"), min_value=1, max_value=99999)
    title = forms.CharField(label=_("Title"), max_length=120, help_text=_("Without the book-title marks 《》."))
    proposer = forms.CharField(label=_("Proposer"), max_length=50)
    co_proposers = forms.CharField(label=_("Co-proposers"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 2}),
                                   help_text=_("Separate the names with 、 or new lines."))
    received_on = forms.DateField(label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"}))
    text = forms.CharField(label=_("Content of the proposal"), widget=forms.Textarea(attrs={"rows": 10}),
                           max_length=settings.QIFU_DEMAND_TEXT_MAX)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = timezone.localdate()
        _bootstrap(self)
        self.fields["session"].widget.attrs["list"] = "session-options"


class ProposalFilterForm(forms.Form):
    """The filter bar above the proposal list."""

    LETTER_NONE = "none"

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", "---------"), *Kind.choices])
    session = forms.ChoiceField(label=_("Session"), required=False)
    status = forms.ChoiceField(label=_("Handling status"), required=False,
                               choices=[("", "---------"), *Status.choices])
    letter = forms.ChoiceField(label=_("Reply letter"), required=False,
                               choices=[("", "---------"), (LETTER_NONE, _("Not started")), *LetterStatus.choices])

    def __init__(self, *args, sessions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].choices = [("", "---------"), *((s, s) for s in sessions)]
        _bootstrap(self, small=True)
        self.fields["q"].widget.attrs["placeholder"] = _("Title, proposer or number")

    def apply(self, qs):
        """Filter a queryset that is already limited to the user's scope."""
        if not self.is_valid():
            return qs.none()
        data = self.cleaned_data
        for field, lookup in (("kind", "kind"), ("session", "session"), ("status", "demand__status")):
            if data[field]:
                qs = qs.filter(**{lookup: data[field]})
        if data["letter"] == self.LETTER_NONE:
            qs = qs.filter(reply_letter__isnull=True)
        elif data["letter"]:
            qs = qs.filter(reply_letter__status=data["letter"])
        return _search(qs, data["q"].strip())


def _search(qs, text: str):
    if not text:
        return qs
    match = Q(title__icontains=text) | Q(proposer__icontains=text) | Q(co_proposers__icontains=text)
    match |= Q(demand__number__iexact=text) | Q(reply_letter__document_number__icontains=text)
    if text.isdigit():
        match |= Q(number=int(text))
    return qs.filter(match)


class ReplyLetterForm(forms.ModelForm):
    """The draft letter; ``version`` detects a concurrent edit."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ReplyLetter
        fields = LETTER_FIELDS
        widgets = {
            "body": forms.Textarea(attrs={"rows": 18}),
            "cc": forms.Textarea(attrs={"rows": 2}),
            "dated_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version if self.instance.pk else None
        _bootstrap(self)

    def _post_clean(self):
        # The actions validate the letter (they also check the document number is unused).
        pass

    def changes(self) -> dict:
        return {field: self.cleaned_data[field] for field in LETTER_FIELDS}
