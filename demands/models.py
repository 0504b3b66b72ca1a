"""Enterprise demands (诉求) handled in a closed loop, with their event history.

The workflow (which action moves a demand from which status to which) lives in
demands/workflow.py; deadlines in Chinese working days in demands/calendar.py.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import TimestampedModel


class AppealType(models.TextChoices):
    CONSULTATION = "consultation", _("Consultation")  # 咨询
    REQUEST = "request", _("Request for help")  # 求助
    SUGGESTION = "suggestion", _("Suggestion")  # 建议
    COMPLAINT = "complaint", _("Complaint")  # 投诉


class Priority(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")  # 接件: submitted or recorded, not yet accepted
    ACCEPTED = "accepted", _("Accepted")  # 受理: accepted and classified by a window
    ROUTED = "routed", _("Routed")  # 流转: sent to a handling unit, not yet started
    IN_PROGRESS = "in_progress", _("In progress")  # 办理中
    WAITING_INFO = "waiting_info", _("Waiting for the enterprise")  # 待补充: the clock pauses
    ANSWERED = "answered", _("Answered")  # 已答复: the unit answered the window
    FEEDBACK_GIVEN = "feedback_given", _("Feedback given")  # 已反馈: the window told the enterprise
    RATED = "rated", _("Rated")  # 已评价: rated by the enterprise or at a follow-up call
    CLOSED = "closed", _("Closed")  # 销号
    MERGED = "merged", _("Merged")  # merged into another demand
    WITHDRAWN = "withdrawn", _("Withdrawn")  # withdrawn by the enterprise


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")  # 满意
    BASICALLY_SATISFIED = "basically_satisfied", _("Basically satisfied")  # 基本满意
    DISSATISFIED = "dissatisfied", _("Dissatisfied")  # 不满意


class Demand(TimestampedModel):
    """An enterprise demand (诉求) with its handling units and deadlines."""

    number = models.CharField(_("number"), max_length=20, unique=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", null=True, blank=True, on_delete=models.PROTECT, related_name="demands",
        verbose_name=_("enterprise"), help_text=_("Empty only for a deputy's proposal."),
    )
    contact_name = models.CharField(_("contact"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    channel = models.ForeignKey("reference.Channel", on_delete=models.PROTECT, verbose_name=_("channel"))
    appeal_type = models.CharField(_("appeal type"), max_length=20, choices=AppealType.choices)
    title = models.CharField(_("title"), max_length=120)
    text = models.TextField(_("description"))
    category = models.ForeignKey(
        "reference.Category", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("category")
    )
    condition_tags = models.ManyToManyField("reference.ConditionTag", blank=True, verbose_name=_("four-new tags"))
    town = models.ForeignKey("reference.Town", null=True, blank=True, on_delete=models.PROTECT,
                             verbose_name=_("town"), db_index=False)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    lead_unit = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        db_index=False,
        related_name="led_demands",
        verbose_name=_("lead unit"),
    )
    co_handlers = models.ManyToManyField(
        "accounts.Organisation", blank=True, related_name="co_handled_demands", verbose_name=_("co-handlers")
    )
    received_at = models.DateTimeField(_("received at"))
    accept_due_on = models.DateField(_("accept by"), null=True, blank=True)
    answer_due_on = models.DateField(_("answer by"), null=True, blank=True)
    paused_since = models.DateField(_("clock paused since"), null=True, blank=True)
    status_before_pause = models.CharField(max_length=20, blank=True, editable=False)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    answered_late = models.BooleanField(_("answered late"), null=True, blank=True)
    calendar_unknown = models.BooleanField(
        _("deadline in a year without a holiday calendar"), default=False,
        help_text=_("The deadline was computed with weekdays only; enter the year's holidays in the calendar."),
    )
    answer = models.TextField(_("answer to the enterprise"), blank=True)
    satisfaction = models.CharField(_("satisfaction"), max_length=20, choices=Satisfaction.choices, blank=True)
    solved = models.BooleanField(_("solved"), null=True, blank=True)
    rating_comment = models.TextField(_("rating comment"), blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_demands",
        verbose_name=_("merged into"),
    )
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("demand")
        verbose_name_plural = _("demands")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["status", "answer_due_on"], name="demand_status_due"),
            # answered_late last: the "late" / "on time" counts of a town or unit read only the index.
            models.Index(fields=["town", "status", "received_at", "answered_late"], name="demand_town_status"),
            models.Index(fields=["lead_unit", "status", "received_at", "answered_late"], name="demand_unit_status"),
            # A town's or a unit's demands newest first (the workbench's "all" pages); these also
            # serve the foreign keys, which therefore have no single-column index of their own.
            models.Index(fields=["town", "received_at"], name="demand_town_received"),
            models.Index(fields=["lead_unit", "received_at"], name="demand_unit_received"),
            # A town window's demands led outside its town (usually none): found without reading
            # the thousands it leads in its own town.
            models.Index(fields=["lead_unit", "town"], name="demand_unit_town"),
            models.Index(fields=["received_at"], name="demand_received"),
            models.Index(fields=["category", "received_at"], name="demand_category_received"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


def event_time():
    """Now, looked up at call time (so a test's frozen clock applies)."""
    return timezone.now()


class DemandEvent(models.Model):
    """One step in a demand's history; also its audit trail (who, when, what, why)."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="events", verbose_name=_("demand"))
    # A default, not auto_now_add: imported and generated histories keep their own times.
    created_at = models.DateTimeField(_("time"), default=event_time, editable=False, db_index=True)
    kind = models.CharField(_("event"), max_length=40)
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("by")
    )
    unit = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("unit"),
    )
    note = models.TextField(_("note"), blank=True)
    is_internal = models.BooleanField(_("internal"), default=False, help_text=_("Not shown to the enterprise."))
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("demand event")
        verbose_name_plural = _("demand events")

    def __str__(self) -> str:
        return f"{self.demand.number} {self.kind}"


class DeadlineRule(models.Model):
    """Working days allowed to accept and to answer, most specific rule wins.

    Empty channel / category / priority / appeal type mean "any".
    """

    channel = models.ForeignKey("reference.Channel", null=True, blank=True, on_delete=models.CASCADE,
                                verbose_name=_("channel"), help_text=_("E.g. deputies' proposals have months, not days."))
    category = models.ForeignKey("reference.Category", null=True, blank=True, on_delete=models.CASCADE,
                                 verbose_name=_("category"))
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, blank=True)
    appeal_type = models.CharField(_("appeal type"), max_length=20, choices=AppealType.choices, blank=True)
    accept_days = models.PositiveSmallIntegerField(_("working days to accept"), default=1)
    answer_days = models.PositiveSmallIntegerField(_("working days to answer"), default=5)

    class Meta:
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        constraints = [
            models.UniqueConstraint(fields=["channel", "category", "priority", "appeal_type"],
                                    name="deadline_rule_unique_channel")
        ]

    def __str__(self) -> str:
        return f"{self.channel or '*'} / {self.category or '*'} / {self.priority or '*'} / {self.appeal_type or '*'}"


class CalendarDay(models.Model):
    """A day whose working status the administrator sets by hand (调休, a new year's holidays)."""

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=100, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("working-day calendar")

    def __str__(self) -> str:
        return f"{self.date} {'workday' if self.is_workday else 'holiday'}"


class SupervisionOrder(TimestampedModel):
    """A supervision order (督办单) issued on an overdue or stuck demand."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="supervision_orders",
                               verbose_name=_("demand"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  verbose_name=_("issued by"))
    unit = models.ForeignKey("accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT,
                             verbose_name=_("supervised unit"))
    reason = models.TextField(_("reason"))
    respond_by = models.DateField(_("respond by"))
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("supervision order")
        verbose_name_plural = _("supervision orders")

    def __str__(self) -> str:
        return f"{self.demand_id} {self.respond_by}"


class ExtensionRequest(TimestampedModel):
    """A handler's request for more time (延期申请), decided by a supervisor."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="extension_requests",
                               verbose_name=_("demand"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("requested by"))
    working_days = models.PositiveSmallIntegerField(_("extra working days"))
    reason = models.TextField(_("reason"))
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("decided by"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")

    def __str__(self) -> str:
        return f"{self.demand_id} +{self.working_days}"


def attachment_path(instance, filename: str) -> str:
    # Never keep the user's file name on disk: it may carry a path or a script extension.
    return f"demands/{instance.demand_id}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A photo or file attached to a demand; its type is decided from its content."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="attachments",
                               verbose_name=_("demand"))
    file = models.FileField(_("file"), upload_to=attachment_path)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    is_internal = models.BooleanField(_("internal"), default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("uploaded by"))
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class MonthFigures(models.Model):
    """The dashboard's measures of the demands received in one month, per (lead unit, town, category).

    Derived data kept by demands/cube.py: rebuilt a month at a time from the demands,
    never edited.  Each count is one named set of ``figures.STATES`` (the same column
    names), so the dashboard adds rows up instead of scanning a year of demands.
    """

    class Level(models.TextChoices):
        CELL = "cell", _("lead unit × town × category")
        UNIT = "unit", _("lead unit")
        TOWN = "town", _("town")
        CATEGORY = "category", _("category")

    month = models.DateField(_("month"))  # the first day of the month, Asia/Shanghai
    # "cell" rows carry all three keys; the others the one dimension's total (other keys empty),
    # so a city-wide year is a few hundred rows instead of tens of thousands of cells.
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.CELL)
    lead_unit = models.ForeignKey("accounts.Organisation", null=True, on_delete=models.CASCADE, related_name="+")
    town = models.ForeignKey("reference.Town", null=True, on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey("reference.Category", null=True, on_delete=models.CASCADE, related_name="+")
    total = models.PositiveIntegerField(default=0)
    routed = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    late = models.PositiveIntegerField(default=0)
    rated = models.PositiveIntegerField(default=0)
    satisfied = models.PositiveIntegerField(default=0)
    dissatisfied = models.PositiveIntegerField(default=0)
    fed_back = models.PositiveIntegerField(default=0)
    reopened = models.PositiveIntegerField(default=0)
    handled = models.PositiveIntegerField(default=0)
    handling_sum = models.FloatField(null=True)  # days from receipt to answer, summed over "handled"

    class Meta:
        verbose_name = _("monthly demand figures")
        verbose_name_plural = _("monthly demand figures")
        indexes = [
            models.Index(fields=["month", "town"], name="month_figures_town"),
            models.Index(fields=["month", "lead_unit"], name="month_figures_unit"),
            models.Index(fields=["level", "month"], name="month_figures_level"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.lead_unit_id}/{self.town_id}/{self.category_id}: {self.total}"


class StaleMonth(models.Model):
    """A mark that a month's :class:`MonthFigures` no longer match its demands.

    Every demand change adds a mark in the same transaction — an insert, so concurrent
    intakes never wait on one another's row.  The refresh job rebuilds a month and removes
    only the marks it had seen (ids up to the highest it read), so a change made while it
    ran leaves its mark.  Until then the dashboard counts that month from the demands.
    """

    month = models.DateField(_("month"), db_index=True)

    class Meta:
        verbose_name = _("stale month")
        verbose_name_plural = _("stale months")

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} (mark {self.pk})"
