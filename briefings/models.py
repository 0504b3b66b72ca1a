"""Briefing issues (期刊): the weekly 企情快报 and the monthly 企服简报, frozen when generated.

An issue keeps what it said on the day it was made: the figures of every section as
JSON (:attr:`BriefingIssue.sections`) and, per figure, the ids of the records it
counted (:class:`RecordSet`), so its links still open exactly those records after the
data has moved on.  Who receives a new issue is data too (:class:`Recipient`).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimestampedModel


class Kind(models.TextChoices):
    WEEKLY = "weekly", _("Weekly bulletin")  # 企情快报
    MONTHLY = "monthly", _("Monthly briefing")  # 企服简报


class IssueStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")  # waiting for the worker
    GENERATING = "generating", _("Generating")  # the worker is computing the figures
    READY = "ready", _("Ready")  # figures frozen, files written, distributed
    FAILED = "failed", _("Failed")  # the worker gave up; ``error`` says why


class BriefingIssue(TimestampedModel):
    """One issue of a briefing for one period: a Mon–Sun week or a calendar month."""

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    period_start = models.DateField(_("first day"))
    period_end = models.DateField(_("last day"))
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveSmallIntegerField(_("number in the year"))
    status = models.CharField(_("status"), max_length=12, choices=IssueStatus.choices, default=IssueStatus.QUEUED)
    generated_at = models.DateTimeField(_("generated at"), null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("requested by"))
    sections = models.JSONField(_("frozen figures"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)
    word_file = models.FileField(_("Word file"), upload_to="briefings/%Y/", blank=True)
    pdf_file = models.FileField(_("PDF file"), upload_to="briefings/%Y/", blank=True)
    distributed_at = models.DateTimeField(_("distributed at"), null=True, blank=True)

    class Meta:
        ordering = ["-period_start", "kind"]
        verbose_name = _("briefing issue")
        verbose_name_plural = _("briefing issues")
        constraints = [
            models.UniqueConstraint(fields=["kind", "period_start"], name="briefing_one_per_period"),
            models.UniqueConstraint(fields=["kind", "year", "sequence"], name="briefing_number_unique"),
        ]
        indexes = [models.Index(fields=["kind", "year", "period_start"], name="briefing_archive")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    @property
    def number(self) -> str:
        """The printed issue number, e.g. 2026年第48期."""
        return _("%(year)d No. %(sequence)d") % {"year": self.year, "sequence": self.sequence}

    @property
    def end_exclusive(self) -> dt.date:
        return self.period_end + dt.timedelta(days=1)

    @property
    def period_query(self) -> str:
        """The period as the demand workbench and the visit lists write it."""
        return f"{self.period_start:%Y-%m-%d}..{self.period_end:%Y-%m-%d}"

    @property
    def is_ready(self) -> bool:
        return self.status == IssueStatus.READY


class RecordSet(models.Model):
    """The ids of the records one figure of an issue counted, in the order they are listed."""

    class Model(models.TextChoices):
        DEMAND = "demand", _("Demands")
        SUPERVISION = "supervision", _("Supervision orders")
        VISIT = "visit", _("Visits")
        ENTERPRISE = "enterprise", _("Enterprises")
        POLICY_PUSH = "policy_push", _("Policy pushes")
        FINANCING_NEED = "financing_need", _("Financing needs")

    issue = models.ForeignKey(BriefingIssue, on_delete=models.CASCADE, related_name="record_sets",
                              verbose_name=_("issue"))
    key = models.SlugField(_("figure"), max_length=80)
    label = models.CharField(_("label"), max_length=200, blank=True)
    model = models.CharField(_("record type"), max_length=20, choices=Model.choices)
    ids = models.JSONField(_("record ids"), default=list)

    class Meta:
        verbose_name = _("record set")
        verbose_name_plural = _("record sets")
        constraints = [models.UniqueConstraint(fields=["issue", "key"], name="recordset_one_per_figure")]

    def __str__(self) -> str:
        return f"{self.issue_id} {self.key} ({len(self.ids)})"


class Recipient(models.Model):
    """The distribution list (分发名单): who is told when an issue of a kind is ready.

    Either an organisation (an in-app message to each of its active staff) or a group
    robot (DingTalk / WeCom, through the notification outbox).
    """

    kind = models.CharField(_("briefing"), max_length=10, choices=Kind.choices, blank=True,
                            help_text=_("Empty: both briefings."))
    organisation = models.ForeignKey("accounts.Organisation", null=True, blank=True, on_delete=models.CASCADE,
                                     verbose_name=_("organisation"))
    robot = models.ForeignKey("notifications.RobotWebhook", null=True, blank=True, on_delete=models.CASCADE,
                              verbose_name=_("group robot"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("briefing recipient")
        verbose_name_plural = _("briefing recipients")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(organisation__isnull=False) | models.Q(robot__isnull=False),
                name="recipient_has_target",
            )
        ]

    def __str__(self) -> str:
        return str(self.organisation or self.robot)
