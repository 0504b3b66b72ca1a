"""Per-mu evaluation (亩均论英雄), rankings (慈榜) and the enterprise zone (企业码专区).

* ``Scheme`` — one year's evaluation scheme (评价办法) as versioned data: groups,
  indicators with weight/benchmark/cap, class cut-offs, missing-data rules,
  deductions and the differentiated measures per class (see evaluation/schemes.py).
  A scheme version that has results is never changed: a change is a new version.
* ``Round`` — one evaluation run of a scheme, through data confirmation (一企一单),
  the public notice (公示) and final results; the transitions live in evaluation/workflow.py.
* ``Result`` — one enterprise's score and class with the whole calculation.
* ``Objection`` and ``RoundEvent`` — objections in the notice period and the log of the round.
* ``RankingTable`` — a configurable league table (慈榜).
* ``ZoneCode``, ``ZoneModule``, ``ModuleOpen`` — the enterprise code, the zone's modules and their use.
* ``AppointmentSlot``, ``Appointment`` — department appointments (政务码上约).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import ReferenceItem, TimestampedModel


class Scheme(TimestampedModel):
    """An evaluation scheme (亩均效益评价办法) of one year, in numbered versions."""

    year = models.PositiveSmallIntegerField(_("year"))
    version = models.PositiveSmallIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(_("published as"), max_length=300, blank=True)
    definition = models.JSONField(_("definition"), help_text=_("Groups, indicators, classes, deductions, measures."))
    change_note = models.CharField(_("change note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("evaluation scheme")
        verbose_name_plural = _("evaluation schemes")
        ordering = ["-year", "-version"]
        constraints = [models.UniqueConstraint(fields=["year", "version"], name="scheme_year_version")]

    def __str__(self) -> str:
        return f"{self.year} v{self.version}"

    def parsed(self):
        from .schemes import parse_scheme

        return parse_scheme(self.definition)


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("Computed, not sent")  # results computed; staff review them
    CONFIRMING = "confirming", _("Data confirmation")  # 一企一单: enterprises confirm or dispute their figures
    NOTICE = "notice", _("Public notice")  # 公示: objections may be raised until the notice ends
    FINAL = "final", _("Final")  # results in force; measures apply


class Round(TimestampedModel):
    """One evaluation of a year with a scheme version, through to final results."""

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("scheme"))
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=12, choices=RoundStatus.choices, default=RoundStatus.DRAFT)
    notice_starts_on = models.DateField(_("notice starts on"), null=True, blank=True)
    notice_ends_on = models.DateField(_("notice ends on"), null=True, blank=True)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    finalised_at = models.DateTimeField(_("finalised at"), null=True, blank=True)

    class Meta:
        verbose_name = _("evaluation round")
        verbose_name_plural = _("evaluation rounds")
        ordering = ["-year", "-id"]

    def __str__(self) -> str:
        return f"{self.year} ({self.scheme})"


class Confirmation(models.TextChoices):
    PENDING = "pending", _("Not yet confirmed")
    CONFIRMED = "confirmed", _("Confirmed")  # the enterprise agrees with its figures
    DISPUTED = "disputed", _("Disputed")  # the enterprise says a figure is wrong
    RESOLVED = "resolved", _("Dispute resolved")  # staff checked the figures and answered


class EvaluationClass(models.TextChoices):
    A = "A", _("Class A")
    B = "B", _("Class B")
    C = "C", _("Class C")
    D = "D", _("Class D")


class Result(models.Model):
    """One enterprise's result in a round, with its calculation (see evaluation/storing.py)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="results", verbose_name=_("round"))
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="evaluation_results",
        verbose_name=_("enterprise"),
    )
    town = models.ForeignKey("reference.Town", on_delete=models.PROTECT, verbose_name=_("town"))
    industry_group = models.ForeignKey(
        "reference.IndustryGroup", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("industry group")
    )
    group = models.CharField(_("evaluation group"), max_length=30)
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2)
    rank = models.PositiveIntegerField(_("rank in group"))
    group_size = models.PositiveIntegerField(_("enterprises in group"))
    klass = models.CharField(_("class"), max_length=1, choices=EvaluationClass.choices)
    tax_per_mu_wan = models.DecimalField(_("tax per mu (10,000 yuan)"), max_digits=14, decimal_places=4,
                                         null=True, blank=True)
    is_low_efficiency = models.BooleanField(_("low efficiency"), default=False)
    calculation = models.JSONField(_("calculation"), default=dict)
    confirmation = models.CharField(_("data confirmation"), max_length=10, choices=Confirmation.choices,
                                    default=Confirmation.PENDING)
    dispute_text = models.TextField(_("what the enterprise disputes"), blank=True)
    resolution_text = models.TextField(_("answer to the dispute"), blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("evaluation result")
        verbose_name_plural = _("evaluation results")
        ordering = ["group", "rank", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "enterprise"], name="result_one_per_round")]
        indexes = [
            models.Index(fields=["round", "town", "klass"], name="result_round_town_class"),
            models.Index(fields=["round", "klass"], name="result_round_class"),
            models.Index(fields=["enterprise", "round"], name="result_enterprise_round"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.round.year} {self.klass}"


class Objection(TimestampedModel):
    """An objection (异议) raised in the notice period, and how it was handled."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for an answer")  # waiting for staff
        UPHELD = "upheld", _("Upheld")  # the objection is right: figures or result corrected
        REJECTED = "rejected", _("Rejected")  # the result stands, with the reason

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="objections", verbose_name=_("result"))
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("raised by"))
    text = models.TextField(_("objection"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    response = models.TextField(_("response"), blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("handled by"))
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["-created_at"]


class RoundEvent(models.Model):
    """The log of a round: who did what, when, about which result (一企一单, 公示, 异议)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="events", verbose_name=_("round"))
    result = models.ForeignKey(Result, null=True, blank=True, on_delete=models.CASCADE, related_name="events",
                               verbose_name=_("result"))
    kind = models.CharField(_("event"), max_length=40)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("by"))
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("round event")
        verbose_name_plural = _("round events")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.created_at:%Y-%m-%d %H:%M}"


class SubletDeclaration(TimestampedModel):
    """How many tenants an enterprise sub-lets its industrial land to in a year (转租), for deductions."""

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.CASCADE, related_name="+",
                                   verbose_name=_("enterprise"))
    year = models.PositiveSmallIntegerField(_("year"))
    sublet_tenants = models.PositiveIntegerField(_("sub-let tenants"), default=0)

    class Meta:
        verbose_name = _("sub-letting declaration")
        verbose_name_plural = _("sub-letting declarations")
        constraints = [models.UniqueConstraint(fields=["enterprise", "year"], name="sublet_one_per_year")]


class RankingTable(TimestampedModel):
    """A league table of 慈榜: one metric, ranked city-wide, per town or per industry group."""

    class Metric(models.TextChoices):
        TAX_PER_MU = "tax_per_mu", _("Tax per mu")
        VALUE_ADDED_PER_MU = "value_added_per_mu", _("Value added per mu")
        TAX_GROWTH = "tax_growth", _("Tax growth")
        REVENUE_GROWTH = "revenue_growth", _("Revenue growth")
        RD_INTENSITY = "rd_intensity", _("R&D intensity")
        SCORE = "score", _("Evaluation score")

    class Partition(models.TextChoices):
        CITY = "city", _("City-wide")
        TOWN = "town", _("Per town")
        INDUSTRY_GROUP = "industry_group", _("Per industry group")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=150, blank=True)
    metric = models.CharField(_("metric"), max_length=30, choices=Metric.choices)
    partition = models.CharField(_("ranked"), max_length=20, choices=Partition.choices, default=Partition.CITY)
    top_n = models.PositiveSmallIntegerField(_("places shown"), default=10)
    above_scale_only = models.BooleanField(_("above-scale enterprises only"), default=False)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("ranking table")
        verbose_name_plural = _("ranking tables")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        from django.utils import translation

        return self.name_en if translation.get_language() == "en" and self.name_en else self.name_zh


def new_token() -> str:
    return secrets.token_urlsafe(18)


class ZoneCode(TimestampedModel):
    """The enterprise code (企业码): an unguessable token in the URL its QR code opens."""

    enterprise = models.OneToOneField("enterprises.Enterprise", on_delete=models.CASCADE, related_name="zone_code",
                                      verbose_name=_("enterprise"))
    token = models.CharField(_("token"), max_length=40, unique=True, default=new_token)

    class Meta:
        verbose_name = _("enterprise code")
        verbose_name_plural = _("enterprise codes")


class ZoneModule(ReferenceItem):
    """A module of the enterprise zone (专区模块): where it links, whether it is shown and in which order."""

    url_name = models.CharField(_("URL name"), max_length=80)
    icon = models.CharField(_("icon"), max_length=40, default="grid")

    class Meta(ReferenceItem.Meta):
        verbose_name = _("zone module")
        verbose_name_plural = _("zone modules")


class ModuleOpen(models.Model):
    """How often a zone module was opened on a day (the usage that decides which modules stay)."""

    module = models.ForeignKey(ZoneModule, on_delete=models.CASCADE, related_name="opens", verbose_name=_("module"))
    day = models.DateField(_("day"))
    count = models.PositiveIntegerField(_("opens"), default=0)

    class Meta:
        verbose_name = _("module opens")
        verbose_name_plural = _("module opens")
        constraints = [models.UniqueConstraint(fields=["module", "day"], name="moduleopen_one_per_day")]

    def __str__(self) -> str:
        return f"{self.module} {self.day} {self.count}"


class AppointmentSlot(TimestampedModel):
    """A time a department offers for appointments (政务码上约)."""

    department = models.ForeignKey("reference.Department", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("department"))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("appointment slot")
        verbose_name_plural = _("appointment slots")
        ordering = ["starts_at", "id"]

    def __str__(self) -> str:
        return f"{self.department} {self.starts_at:%Y-%m-%d %H:%M}"


class AppointmentStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")  # booked by the enterprise, the department has not answered
    CONFIRMED = "confirmed", _("Confirmed")  # the department confirmed
    DECLINED = "declined", _("Declined")  # the department declined; the slot is free again
    CANCELLED = "cancelled", _("Cancelled")  # the enterprise cancelled; the slot is free again


HOLDING = (AppointmentStatus.REQUESTED, AppointmentStatus.CONFIRMED)


class Appointment(TimestampedModel):
    """An enterprise's appointment with a department in a slot, about a topic."""

    slot = models.ForeignKey(AppointmentSlot, on_delete=models.PROTECT, related_name="appointments",
                             verbose_name=_("slot"))
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.CASCADE, related_name="appointments",
                                   verbose_name=_("enterprise"))
    topic = models.CharField(_("topic"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=AppointmentStatus.choices,
                              default=AppointmentStatus.REQUESTED)
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("booked by"))
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("answered by"))
    answer = models.CharField(_("answer"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["slot__starts_at", "id"]
        constraints = [
            # One live appointment per slot: the database refuses a double booking even in a race.
            models.UniqueConstraint(fields=["slot"], condition=Q(status__in=HOLDING), name="appointment_one_per_slot"),
        ]
