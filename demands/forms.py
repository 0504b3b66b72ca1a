"""Demand forms: intake (staff and enterprise), one form per workflow action, list filters."""

from __future__ import annotations

import datetime as dt
import re
import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from enterprises.access import visible_enterprises
from enterprises.search import search_enterprises
from reference.models import Category, Channel, ConditionTag, Town

from . import actions, attachments, figures, search, suggestions
from .access import visible_demands
from .models import AppealType, Demand, ExtensionRequest, Priority, Satisfaction, Status
from .workflow import Side, action_label

# Channels a member of staff records by hand (the enterprise's own channels are separate).
STAFF_CHANNELS = ("front_desk", "hotline", "wechat_group", "visit")
ENTERPRISE_CHANNELS = ("portal", "enterprise_code")
UNIT_KINDS = (Organisation.Kind.DEPARTMENT, Organisation.Kind.TOWN_WINDOW, Organisation.Kind.MARKET_PROVIDER)
MAX_FILES = 10


# --- Building blocks -------------------------------------------------------------------------


class StyledForm(forms.Form):
    """Bootstrap classes on every widget, so templates can render fields generically."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", _css_class(field.widget))

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["class"] += " is-invalid"

    def flat_errors(self) -> list[str]:
        return [str(e) for errors in self.errors.values() for e in errors]


def _css_class(widget) -> str:
    if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
        return "form-check-input"
    if isinstance(widget, forms.Select | forms.SelectMultiple):
        return "form-select"
    return "form-control"


class MultiFileInput(forms.FileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Several files in one input; each is checked by its content (attachments.sniff).

    The errors name each rejected file, so the person can see which one to leave out.
    """

    widget = MultiFileInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Photos or documents"))
        kwargs.setdefault("help_text", _("Photos, PDF or office documents; several files at once."))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        uploads = [u for u in (data if isinstance(data, list | tuple) else [data]) if u]
        if self.required and not uploads:
            raise ValidationError(self.error_messages["required"], code="required")
        if len(uploads) > MAX_FILES:
            raise ValidationError(_("At most %(count)d files at a time."), params={"count": MAX_FILES})
        errors = []
        for upload in uploads:
            try:
                attachments.sniff(upload)
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return uploads


def attach_all(demand, uploads, *, user, internal=False) -> None:
    for upload in uploads:
        attachments.do_attach(demand, upload, acting_user=user, internal=internal)


def _text_area(rows=4, **attrs):
    return forms.Textarea(attrs={"rows": rows, **attrs})


def unit_queryset():
    return Organisation.objects.filter(kind__in=UNIT_KINDS, is_active=True).order_by("kind", "sort_order", "code")


def grouped_unit_choices(blank=True) -> list:
    """Units grouped by kind (departments, town windows, market providers) for the picker."""
    groups: dict[str, list] = {}
    for unit in unit_queryset():
        groups.setdefault(unit.get_kind_display(), []).append((unit.pk, unit.name))
    return ([("", "---------")] if blank else []) + list(groups.items())


def suggested_unit(demand: Demand) -> Organisation | None:
    """The category's default department (``dept_<code>``), or the town's window for town matters."""
    if demand.category_id is None:
        return None
    return suggestions.unit_for(demand.category.default_department.code, demand)


# --- Intake ----------------------------------------------------------------------------------


class _IntakeForm(StyledForm):
    contact_name = forms.CharField(label=_("Contact person"), max_length=50, required=False)
    contact_phone = forms.CharField(
        label=_("Contact phone"),
        max_length=20,
        required=False,
        validators=[RegexValidator(r"^[0-9+\- ]{5,20}$", _("Enter a phone number."))],
    )
    appeal_type = forms.ChoiceField(label=_("Type"), choices=AppealType.choices, initial=AppealType.REQUEST)
    title = forms.CharField(
        label=_("Title"),
        max_length=120,
        required=False,
        help_text=_("A short summary; left empty, the start of the description is used."),
    )
    text = forms.CharField(label=_("Description"), max_length=settings.QIFU_DEMAND_TEXT_MAX, widget=_text_area(6))
    files = FilesField()
    idempotency_key = forms.CharField(widget=forms.HiddenInput, validators=[RegexValidator(r"^[0-9a-f]{32}$")])

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("idempotency_key", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)
        self.user = user

    def submit(self, *, enterprise, channel, **extra) -> Demand:
        """Record the demand and store its files, once per idempotency key."""
        data = self.cleaned_data
        with transaction.atomic():
            demand = actions.do_submit_demand(
                acting_user=self.user,
                enterprise=enterprise,
                channel=channel,
                appeal_type=data["appeal_type"],
                title=data["title"],
                text=data["text"],
                contact_name=data["contact_name"],
                contact_phone=data["contact_phone"],
                idempotency_key=data["idempotency_key"],
                **extra,
            )
            # A retry of a request that already stored its files gets the first demand back: keep
            # its files, do not add the same ones again.
            if not demand.attachments.exists():
                attach_all(demand, data["files"], user=self.user)
        return demand


class StaffIntakeForm(_IntakeForm):
    """接件 by a window clerk or a liaison: hotline, front desk, WeChat group, visit."""

    channel = forms.ModelChoiceField(Channel.objects.none(), label=_("Channel"), to_field_name="code")
    enterprise_query = forms.CharField(
        label=_("Enterprise"), max_length=200, required=False, help_text=_("Name, credit code or pinyin initials.")
    )
    enterprise = forms.IntegerField(widget=forms.HiddenInput, required=False)
    category = forms.ModelChoiceField(
        Category.objects.filter(is_active=True),
        label=_("Category"),
        required=False,
        to_field_name="code",
        help_text=_("Optional now; set when accepting."),
    )
    priority = forms.ChoiceField(
        label=_("Priority"), choices=Priority.choices, initial=Priority.NORMAL, widget=forms.RadioSelect
    )
    condition_tags = forms.ModelMultipleChoiceField(
        ConditionTag.objects.filter(is_active=True),
        label=_("Four-new tags"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    field_order = [
        "channel",
        "enterprise_query",
        "enterprise",
        "contact_name",
        "contact_phone",
        "appeal_type",
        "priority",
        "category",
        "title",
        "text",
        "condition_tags",
        "files",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].queryset = Channel.objects.filter(code__in=STAFF_CHANNELS, is_active=True)
        self.fields["enterprise_query"].widget.attrs.update(
            {"autocomplete": "off", "role": "combobox", "aria-autocomplete": "list"}
        )

    def clean(self):
        """The picked enterprise, or the only one the typed text finds (works without JavaScript)."""
        data = super().clean()
        scoped = visible_enterprises(self.user)
        picked, query = data.get("enterprise"), (data.get("enterprise_query") or "").strip()
        matches = scoped.filter(pk=picked) if picked else search_enterprises(scoped, query) if query else None
        found = list(matches[:2]) if matches is not None else []
        if len(found) == 1:
            data["enterprise"] = found[0]
            data["enterprise_query"] = found[0].name
        elif not query and not picked:
            self.add_error("enterprise_query", _("Find the enterprise by name, credit code or pinyin initials."))
        elif not found:
            self.add_error("enterprise_query", _("No enterprise in your area matches “%(text)s”.") % {"text": query})
        else:
            self.add_error("enterprise_query", _("Several enterprises match; choose one from the list."))
        return data

    def save(self) -> Demand:
        data = self.cleaned_data
        return self.submit(
            enterprise=data["enterprise"],
            channel=data["channel"],
            category=data["category"],
            priority=data["priority"],
            condition_tags=list(data["condition_tags"]),
        )


class EnterpriseSubmitForm(_IntakeForm):
    """An enterprise contact submits a demand for its own enterprise (phone first)."""

    field_order = ["appeal_type", "title", "text", "files", "contact_name", "contact_phone"]

    def __init__(self, *args, user, **kwargs):
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("contact_name", user.display_name or "")
        initial.setdefault("contact_phone", user.phone or "")
        super().__init__(*args, user=user, **kwargs)
        self.fields["text"].widget.attrs["placeholder"] = _("What do you need? Where, since when, what have you tried?")

    def save(self, *, via_code: bool) -> Demand:
        channel = Channel.objects.get(code="enterprise_code" if via_code else "portal")
        return self.submit(enterprise=self.user.enterprise, channel=channel)


# --- One form per workflow action ---------------------------------------------------------


class ActionForm(StyledForm):
    """Posts the version the person saw, so a concurrent change is refused, not overwritten."""

    action = ""
    button = "primary"  # the Bootstrap style of the submit button
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, demand: Demand, user, sides=frozenset(), **kwargs):
        kwargs["prefix"] = self.action
        kwargs["initial"] = {"version": demand.version, **self.initial_for(demand)}
        super().__init__(*args, **kwargs)
        self.demand, self.user, self.sides = demand, user, sides

    def initial_for(self, demand: Demand) -> dict:
        return {}

    @property
    def label(self) -> str:
        return action_label(self.action)

    def save(self):
        data = dict(self.cleaned_data)
        version = data.pop("version")
        return self.run(version=version, **data)

    def run(self, *, version, **data):
        raise NotImplementedError


def _call(action_function, form: ActionForm, **kwargs):
    return action_function(form.demand, acting_user=form.user, **kwargs)


class AcceptForm(ActionForm):
    action = "accept"
    category = forms.ModelChoiceField(
        Category.objects.filter(is_active=True), label=_("Category"), to_field_name="code"
    )
    appeal_type = forms.ChoiceField(label=_("Type"), choices=AppealType.choices)
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, widget=forms.RadioSelect)
    condition_tags = forms.ModelMultipleChoiceField(
        ConditionTag.objects.filter(is_active=True),
        label=_("Four-new tags"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(label=_("Note"), required=False, widget=_text_area(2))
    suggested_category = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        pairs = suggestions.for_demand(self.demand).categories
        self.fields["category"].help_text = _("Suggested: %(choices)s") % {
            "choices": suggestions.help_text(pairs, suggestions.category_names())}

    def initial_for(self, demand):
        tags = list(demand.condition_tags.values_list("pk", flat=True)) if demand.pk else []
        suggested = suggestions.for_demand(demand).category
        return {
            "category": demand.category.code if demand.category_id else suggested,
            "appeal_type": demand.appeal_type,
            "priority": demand.priority,
            "condition_tags": tags,
            "suggested_category": suggested,
        }

    def run(self, *, version, condition_tags, suggested_category, **data):
        demand = _call(actions.do_accept, self, version=version, condition_tags=list(condition_tags), **data)
        suggestions.record_category(demand, suggested_category, data["category"].code, acting_user=self.user)
        return demand


class RouteForm(ActionForm):
    action = "route"
    lead_unit = forms.ModelChoiceField(Organisation.objects.none(), label=_("Lead unit"))
    co_handlers = forms.ModelMultipleChoiceField(
        Organisation.objects.none(),
        label=_("Co-handlers"),
        required=False,
        help_text=_("Optional; hold Ctrl to choose several."),
    )
    note = forms.CharField(label=_("Note to the unit"), required=False, widget=_text_area(2))
    suggested_department = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("lead_unit", "co_handlers"):
            self.fields[name].queryset = unit_queryset()
            self.fields[name].choices = grouped_unit_choices(blank=name == "lead_unit")
        self.fields["co_handlers"].widget.attrs["size"] = 6
        pairs = suggestions.for_demand(self.demand).departments
        self.fields["lead_unit"].help_text = _("Suggested: %(choices)s") % {
            "choices": suggestions.help_text(pairs, suggestions.department_names())}

    def initial_for(self, demand):
        unit = suggested_unit(demand) if self.action == "route" else None
        return {"lead_unit": unit.pk if unit else None,
                "suggested_department": suggestions.for_demand(demand).department}

    def run(self, *, version, suggested_department, **data):
        demand = _call(actions.do_route, self, version=version, **data)
        suggestions.record_department(demand, suggested_department, data["lead_unit"], acting_user=self.user)
        return demand


class TransferForm(RouteForm):
    action = "transfer"
    button = "outline-primary"

    def run(self, *, version, suggested_department, **data):
        return _call(actions.do_transfer, self, version=version, **data)


class SendBackForm(ActionForm):
    action = "send_back"
    button = "outline-danger"
    reason = forms.CharField(label=_("Why is the routing wrong?"), widget=_text_area(3))

    def run(self, *, version, reason):
        return _call(actions.do_send_back, self, version=version, reason=reason)


class StartForm(ActionForm):
    action = "start"

    def run(self, *, version):
        return _call(actions.do_start, self, version=version)


class RequestInfoForm(ActionForm):
    action = "request_info"
    button = "outline-primary"
    question = forms.CharField(
        label=_("What information is needed?"),
        widget=_text_area(3),
        help_text=_("The enterprise sees this question; the answer clock pauses."),
    )

    def run(self, *, version, question):
        return _call(actions.do_request_info, self, version=version, question=question)


class SupplyInfoForm(ActionForm):
    action = "supply_info"
    text = forms.CharField(label=_("The information asked for"), widget=_text_area(4))
    files = FilesField()

    def run(self, *, version, text, files):
        demand = _call(actions.do_supply_info, self, version=version, text=text)
        attach_all(demand, files, user=self.user)
        return demand


class RequestExtensionForm(ActionForm):
    action = "request_extension"
    button = "outline-primary"
    working_days = forms.IntegerField(label=_("Extra working days"), min_value=1, max_value=30, initial=5)
    reason = forms.CharField(label=_("Why is more time needed?"), widget=_text_area(3))

    def run(self, *, version, working_days, reason):
        return _call(actions.do_request_extension, self, version=version, working_days=working_days, reason=reason)


class ExtensionDecisionForm(ActionForm):
    action = "decide_extension"
    extension = forms.ModelChoiceField(ExtensionRequest.objects.none(), widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("refuse", _("Refuse"))], widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["extension"].queryset = self.pending()

    def pending(self):
        return self.demand.extension_requests.filter(decision=ExtensionRequest.Decision.PENDING).select_related(
            "requested_by"
        )

    def run(self, *, version, extension, decision, note):
        extension.demand = self.demand
        return actions.do_decide_extension(extension, acting_user=self.user, approve=decision == "approve", note=note)


class AnswerForm(ActionForm):
    action = "answer"
    answer = forms.CharField(
        label=_("Answer to the enterprise"),
        widget=_text_area(6),
        help_text=_("The window passes this answer on to the enterprise."),
    )
    internal_note = forms.CharField(
        label=_("Internal note"), required=False, widget=_text_area(2), help_text=_("Seen by staff only.")
    )

    def initial_for(self, demand):
        return {"answer": demand.answer}

    def run(self, *, version, answer, internal_note):
        return _call(actions.do_answer, self, version=version, answer=answer, internal_note=internal_note)


class GiveFeedbackForm(ActionForm):
    action = "give_feedback"
    reply = forms.CharField(
        label=_("Reply to the enterprise"),
        widget=_text_area(6),
        help_text=_("The unit's answer; reword it if the enterprise needs it plainer."),
    )

    def initial_for(self, demand):
        return {"reply": demand.answer}

    def run(self, *, version, reply):
        return _call(actions.do_give_feedback, self, version=version, reply=reply)


class RateForm(ActionForm):
    action = "rate"
    satisfaction = forms.ChoiceField(
        label=_("How satisfied are you?"), choices=Satisfaction.choices, widget=forms.RadioSelect
    )
    solved = forms.TypedChoiceField(
        label=_("Is the problem solved?"),
        widget=forms.RadioSelect,
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: v == "yes",
    )
    comment = forms.CharField(label=_("Comment"), required=False, widget=_text_area(3), max_length=2000)

    def run(self, *, version, **data):
        # Staff record a rating heard on the follow-up call (回访).
        return _call(actions.do_rate, self, version=version, follow_up=Side.ENTERPRISE not in self.sides, **data)


class ReopenForm(ActionForm):
    action = "reopen"
    button = "outline-primary"
    comment = forms.CharField(label=_("What is still unresolved?"), widget=_text_area(3), max_length=2000)

    def run(self, *, version, comment):
        return _call(actions.do_reopen, self, version=version, comment=comment)


class CloseForm(ActionForm):
    action = "close"
    note = forms.CharField(label=_("Note"), required=False, widget=_text_area(2))

    def run(self, *, version, note):
        return _call(actions.do_close, self, version=version, note=note)


class MergeForm(ActionForm):
    action = "merge"
    button = "outline-secondary"
    into = forms.CharField(
        label=_("Number of the demand to keep"), max_length=20, help_text=_("This demand is a duplicate of that one.")
    )
    note = forms.CharField(label=_("Note"), required=False, widget=_text_area(2))

    def clean_into(self):
        number = self.cleaned_data["into"].strip().upper()
        target = visible_demands(self.user).filter(number=number).first()
        if target is None:
            raise ValidationError(_("No demand %(number)s in your area."), params={"number": number})
        return target

    def run(self, *, version, into, note):
        return _call(actions.do_merge, self, version=version, into=into, note=note)


class WithdrawForm(ActionForm):
    action = "withdraw"
    button = "outline-danger"
    reason = forms.CharField(label=_("Why (optional)"), required=False, widget=_text_area(2), max_length=1000)

    def run(self, *, version, reason):
        return _call(actions.do_withdraw, self, version=version, reason=reason)


class SuperviseForm(ActionForm):
    action = "supervise"
    button = "warning"
    reason = forms.CharField(label=_("Reason"), widget=_text_area(3))
    respond_days = forms.IntegerField(label=_("Respond within (working days)"), min_value=1, max_value=10, initial=2)

    def run(self, *, version, reason, respond_days):
        return _call(actions.do_supervise, self, reason=reason, respond_days=respond_days)


class AddNoteForm(ActionForm):
    action = "add_note"
    button = "outline-secondary"
    note = forms.CharField(label=_("Note"), widget=_text_area(3))
    public = forms.BooleanField(label=_("Show this note to the enterprise"), required=False)

    def run(self, *, version, note, public):
        return _call(actions.do_add_note, self, note=note, internal=not public)


ACTION_FORMS: dict[str, type[ActionForm]] = {
    form.action: form
    for form in (
        AcceptForm,
        RouteForm,
        TransferForm,
        SendBackForm,
        StartForm,
        RequestInfoForm,
        SupplyInfoForm,
        RequestExtensionForm,
        ExtensionDecisionForm,
        AnswerForm,
        GiveFeedbackForm,
        RateForm,
        ReopenForm,
        CloseForm,
        MergeForm,
        WithdrawForm,
        SuperviseForm,
        AddNoteForm,
    )
}


class AttachForm(StyledForm):
    """More files on an existing demand; staff may keep them internal."""

    files = FilesField(required=True)
    internal = forms.BooleanField(label=_("Internal (not shown to the enterprise)"), required=False, initial=True)


class BulkRouteForm(StyledForm):
    """Route several accepted demands to one unit; each is posted as ``id:version``."""

    selected = forms.Field(required=False, widget=forms.MultipleHiddenInput)
    lead_unit = forms.ModelChoiceField(Organisation.objects.none(), label=_("Route the selected demands to"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = unit_queryset()
        self.fields["lead_unit"].choices = grouped_unit_choices()
        self.fields["lead_unit"].widget.attrs["class"] = "form-select form-select-sm"

    def clean_selected(self):
        pairs = []
        for value in self.cleaned_data["selected"] or []:
            match = re.fullmatch(r"(\d+):(\d+)", value)
            if match:
                pairs.append((int(match[1]), int(match[2])))
        if not pairs:
            raise ValidationError(_("Select at least one demand."))
        return pairs


# --- Lists -------------------------------------------------------------------------------


def parse_period(text: str) -> tuple[dt.date, dt.date]:
    """``2025``, ``2025-03``, ``2025-Q1`` or ``2025-03-01..2025-03-20`` → [start, end) dates."""
    text = (text or "").strip()
    if m := re.fullmatch(r"(\d{4})", text):
        year = int(m[1])
        return dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})", text):
        return month_range(int(m[1]), int(m[2]))
    if m := re.fullmatch(r"(\d{4})-[Qq]([1-4])", text):
        start, _end = month_range(int(m[1]), 3 * int(m[2]) - 2)
        return start, month_range(int(m[1]), 3 * int(m[2]))[1]
    if m := re.fullmatch(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})", text):
        start, last = dt.date.fromisoformat(m[1]), dt.date.fromisoformat(m[2])
        if last >= start:
            return start, last + dt.timedelta(days=1)
    raise ValueError(text)


def checked_period(text: str) -> str:
    """The period text as typed, if :func:`parse_period` understands it (empty stays empty)."""
    text = (text or "").strip()
    if text:
        try:
            parse_period(text)
        except ValueError:
            raise ValidationError(_("Write the period as 2025, 2025-03, 2025-Q1 or 2025-03-01..2025-03-20.")) from None
    return text


def month_range(year: int, month: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, month, 1)
    return start, (dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1))


def aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _code_choices(items, none_label=None) -> list:
    choices = [("", "---------")]
    if none_label:
        choices.append(("none", none_label))
    return choices + [(item.code, item.name) for item in items]


class DemandFilterForm(StyledForm):
    """The filter bar of the workbench; the figures dashboard links into it with the same names."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", "---------"), *Status.choices])
    town = forms.ChoiceField(label=_("Town"), required=False)
    unit = forms.ChoiceField(label=_("Lead unit"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    appeal_type = forms.ChoiceField(label=_("Type"), required=False, choices=[("", "---------"), *AppealType.choices])
    period = forms.CharField(
        label=_("Received in"),
        required=False,
        max_length=30,
        help_text=_("2025, 2025-03, 2025-Q1 or 2025-03-01..2025-03-20"),
    )
    state = forms.ChoiceField(label=_("Figure"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        not_set = _("(not set)")
        self.fields["town"].choices = _code_choices(Town.objects.all(), not_set)
        units = Organisation.objects.exclude(kind__in=(Organisation.Kind.BANK, Organisation.Kind.ENTERPRISE))
        self.fields["unit"].choices = _code_choices(units.order_by("kind", "sort_order", "code"), not_set)
        self.fields["category"].choices = _code_choices(Category.objects.all(), not_set)
        self.fields["channel"].choices = _code_choices(Channel.objects.all())
        self.fields["state"].choices = [("", "---------"), *((k, v[0]) for k, v in figures.STATES.items())]
        self.fields["q"].widget.attrs["placeholder"] = _("Number, title or enterprise")
        self.fields["period"].widget.attrs["placeholder"] = _("YYYY-MM")
        for field in self.fields.values():
            css = field.widget.attrs["class"]
            field.widget.attrs["class"] = f"{css} {css}-sm"

    def clean_period(self):
        return checked_period(self.cleaned_data["period"])

    def apply(self, qs):
        """Filter a queryset that is already limited to the user's scope."""
        if not self.is_valid():
            return qs.none()
        data = self.cleaned_data
        for name, fk in (("town", "town"), ("unit", "lead_unit"), ("category", "category"), ("channel", "channel")):
            if data[name] == "none":
                qs = qs.filter(**{f"{fk}__isnull": True})
            elif data[name]:
                qs = qs.filter(**{f"{fk}__code": data[name]})
        for name in ("status", "appeal_type"):
            if data[name]:
                qs = qs.filter(**{name: data[name]})
        if data["state"]:
            qs = qs.filter(figures.state_condition(data["state"]))
        if data["period"]:
            start, end = parse_period(data["period"])
            qs = qs.filter(received_at__gte=aware(start), received_at__lt=aware(end))
        if text := data["q"].strip():
            qs = qs.filter(search.text_condition(text))
        return qs


class MonthForm(StyledForm):
    """The month of the tracking list and the close-out list."""

    month = forms.CharField(label=_("Month"), max_length=7, widget=forms.TextInput(attrs={"type": "month"}))

    def clean_month(self):
        text = self.cleaned_data["month"].strip()
        if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", text):
            raise ValidationError(_("Choose a month."))
        return text

    def range(self) -> tuple[dt.datetime, dt.datetime]:
        """[start, end) of the chosen month (this month if the input is not valid)."""
        text = self.cleaned_data["month"] if self.is_valid() else timezone.localdate().strftime("%Y-%m")
        start, end = month_range(int(text[:4]), int(text[5:]))
        return aware(start), aware(end)


class FiguresForm(StyledForm):
    period = forms.CharField(
        label=_("Received in"),
        required=False,
        max_length=30,
        help_text=_("2025, 2025-03, 2025-Q1 or 2025-03-01..2025-03-20"),
    )

    def clean_period(self):
        return checked_period(self.cleaned_data["period"]) or str(timezone.localdate().year)

    def chosen(self) -> str:
        return self.cleaned_data["period"] if self.is_valid() else str(timezone.localdate().year)
