"""The policy library (政策库): policies, their versioned rules and the test cases beside them.

A policy (政策) carries what a guide shows (who may apply, materials, where, by when);
its rule lives in versions (PolicyVersion): named conditions, an amount formula and an
optional cap, written in the rule language of ``policies.rules``.  A version is never
edited once published; a change makes a new version, and publishing is refused unless
every test case (PolicyTestCase) of the version passes.
"""

from __future__ import annotations

import json
from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimestampedModel


class Level(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCE = "province", _("Provincial")
    CITY = "city", _("City (Ningbo)")
    COUNTY = "county", _("County (Cixi)")


class SubjectKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    PROJECT = "project", _("Project")


class Window(models.TextChoices):
    """Where a policy's application window stands on a given day (check-up)."""

    OPEN = "open", _("Applications open")  # today is inside the window
    UPCOMING = "upcoming", _("Opens later")  # the window opens after today
    CLOSED = "closed", _("Applications closed")  # the window closed before today: nothing to apply for
    NOT_ANNOUNCED = "not_announced", _("Window not yet announced")  # no dates on file
    AUTOMATIC = "automatic", _("Paid without application")  # 免申即享: no window applies


class Policy(TimestampedModel):
    """A policy (政策) with a stable code, its source document and its application guide."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=200)
    issuing_body = models.CharField(_("issuing body"), max_length=200, blank=True)
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    source = models.CharField(_("source document"), max_length=300, blank=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.COUNTY)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    application_opens_on = models.DateField(_("application window opens"), null=True, blank=True)
    application_closes_on = models.DateField(_("application window closes"), null=True, blank=True)
    subject_kind = models.CharField(_("subject"), max_length=10, choices=SubjectKind.choices)
    budget_fen = models.BigIntegerField(_("budget"), null=True, blank=True)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    exclusive_group = models.SlugField(
        _("exclusive group"), max_length=60, blank=True,
        help_text=_("Policies in one group are not paid together: the higher amount wins."),
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    beneficiaries = models.TextField(_("who may apply"), blank=True)
    conditions_text = models.TextField(_("conditions (as published)"), blank=True)
    materials = models.TextField(_("application materials"), blank=True)
    payout_time_limit = models.CharField(_("payout time limit"), max_length=200, blank=True)
    where_to_apply = models.CharField(_("where to apply"), max_length=300, blank=True)
    enquiry_phone = models.CharField(_("enquiry phone"), max_length=50, blank=True)
    auto_payout = models.BooleanField(_("payout without application"), default=False)  # 免申即享
    department = models.ForeignKey(
        "reference.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="policies",
        verbose_name=_("responsible department"),
        help_text=_("Its policy administrators review the payouts without application."),
    )
    is_monetary = models.BooleanField(_("pays money"), default=True)

    class Meta:
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.title

    def is_in_force(self, today: date) -> bool:
        """False once the validity has ended (a policy not yet valid is still shown, as opening later)."""
        return self.valid_to is None or self.valid_to >= today

    def window(self, today: date) -> str:
        """The state of the application window on ``today`` (a Window value)."""
        if self.auto_payout:
            return Window.AUTOMATIC
        if self.application_closes_on and self.application_closes_on < today:
            return Window.CLOSED
        if self.application_opens_on and self.application_opens_on > today:
            return Window.UPCOMING
        if self.application_opens_on or self.application_closes_on:
            return Window.OPEN
        return Window.NOT_ANNOUNCED

    def published_version(self) -> PolicyVersion | None:
        return self.versions.filter(status=PolicyVersion.Status.PUBLISHED).order_by("-number").first()


class PolicyVersion(TimestampedModel):
    """One version of a policy's rule; published versions are the ones evaluated."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")  # being written, not evaluated
        PUBLISHED = "published", _("Published")  # the version in force (one per policy)
        RETIRED = "retired", _("Retired")  # replaced by a later version, kept for reproducibility

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="versions", verbose_name=_("policy"))
    number = models.PositiveIntegerField(_("version"))
    conditions = models.JSONField(
        _("conditions"), default=list, blank=True,
        help_text=_("An ordered list of {name, label, expression}; all must hold."),
    )
    amount_formula = models.TextField(_("amount formula"), blank=True)
    cap_expression = models.TextField(_("cap"), blank=True)
    change_note = models.CharField(_("what changed"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("published by"),
    )

    class Meta:
        verbose_name = _("policy version")
        verbose_name_plural = _("policy versions")
        ordering = ["policy", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "number"], name="policyversion_unique_number"),
            models.UniqueConstraint(
                fields=["policy"], condition=models.Q(status="published"), name="policyversion_one_published"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.policy.code} v{self.number}"

    def compile(self):
        """The executable rule of this version (raises RuleError if it does not read); compiled once per text."""
        from .rules.compiled import compile_cached

        return compile_cached(
            self.policy.code, json.dumps(self.conditions, sort_keys=True, ensure_ascii=False),
            self.amount_formula or None, self.cap_expression or None, self.policy.exclusive_group or "",
            self.number, self.policy.subject_kind or "",
        )


class PolicyTestCase(TimestampedModel):
    """A worked example a version must reproduce before it may be published."""

    class Expected(models.TextChoices):
        ELIGIBLE = "eligible", _("Eligible")
        INELIGIBLE = "ineligible", _("Ineligible")
        UNKNOWN = "unknown", _("Unknown: a fact is missing")

    version = models.ForeignKey(
        PolicyVersion, on_delete=models.CASCADE, related_name="test_cases", verbose_name=_("policy version")
    )
    name = models.CharField(_("name"), max_length=200)
    facts = models.JSONField(_("facts"), default=dict, help_text=_("Columns of the facts format; money in fen."))
    expected_status = models.CharField(_("expected result"), max_length=10, choices=Expected.choices)
    expected_amount_fen = models.BigIntegerField(_("expected amount"), null=True, blank=True)

    class Meta:
        verbose_name = _("policy test case")
        verbose_name_plural = _("policy test cases")
        ordering = ["version", "id"]

    def __str__(self) -> str:
        return self.name


class PolicyMatch(models.Model):
    """One subject's standing under one published version (政策帮享 match table).

    Only eligible and unknown results are stored; an ineligible subject has no row.
    The rows are derived data, written in bulk by the refresh (policies.matching);
    the facts they were computed from are identified by PolicySubjectFacts.
    """

    class Status(models.TextChoices):
        ELIGIBLE = "eligible", _("Eligible")  # every condition holds
        UNKNOWN = "unknown", _("Might qualify")  # a fact is missing

    version = models.ForeignKey(
        PolicyVersion, on_delete=models.CASCADE, related_name="matches", verbose_name=_("policy version")
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="policy_matches",
        verbose_name=_("enterprise"),
    )
    project = models.ForeignKey(
        "enterprises.Project", null=True, blank=True, on_delete=models.CASCADE, related_name="policy_matches",
        verbose_name=_("project"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    amount_fen = models.BigIntegerField(_("amount"), null=True, blank=True)
    evaluated_at = models.DateTimeField(_("evaluated at"))

    class Meta:
        verbose_name = _("policy match")
        verbose_name_plural = _("policy matches")
        ordering = ["version", "enterprise", "project"]
        constraints = [
            # (version, enterprise, project) is unique; NULL projects are not distinct, hence two constraints.
            models.UniqueConstraint(
                fields=["version", "enterprise"], condition=models.Q(project__isnull=True),
                name="policymatch_unique_enterprise",
            ),
            models.UniqueConstraint(
                fields=["version", "enterprise", "project"], condition=models.Q(project__isnull=False),
                name="policymatch_unique_project",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version} {self.enterprise_id}/{self.project_id or '-'} {self.status}"


class PolicySubjectFacts(models.Model):
    """The facts of one subject at its last evaluation, as a sha256 of its facts row.

    The nightly refresh re-evaluates only the subjects whose hash changed (one row per
    enterprise or project, so a subject ineligible everywhere is not evaluated again).
    """

    subject = models.CharField(_("subject"), max_length=40, unique=True)  # enterprise:<id> / project:<id>
    facts_hash = models.CharField(_("facts hash"), max_length=64)
    evaluated_at = models.DateTimeField(_("evaluated at"))

    class Meta:
        verbose_name = _("facts of a matched subject")
        verbose_name_plural = _("facts of matched subjects")

    def __str__(self) -> str:
        return self.subject


class PolicyMatchRun(models.Model):
    """One refresh of the match table: the year's facts and the versions it covered."""

    year = models.PositiveIntegerField(_("year"))
    finished_at = models.DateTimeField(_("finished at"))
    version_ids = models.JSONField(_("versions evaluated"), default=list)
    counts = models.JSONField(_("counts"), default=dict)

    class Meta:
        verbose_name = _("policy match run")
        verbose_name_plural = _("policy match runs")
        ordering = ["-finished_at", "-id"]

    def __str__(self) -> str:
        return f"{self.year} {self.finished_at:%Y-%m-%d %H:%M}"


class PolicyPush(models.Model):
    """The weekly "opening next week" (下周申报) push to one enterprise: what was sent and when."""

    week_start = models.DateField(_("week starting"))
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="policy_pushes",
        verbose_name=_("enterprise"),
    )
    policies = models.JSONField(_("policies"), default=list)
    sent_at = models.DateTimeField(_("sent at"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("sent by"),
    )
    notifications = models.ManyToManyField(
        "notifications.Notification", blank=True, related_name="+", verbose_name=_("notifications")
    )

    class Meta:
        verbose_name = _("policy push")
        verbose_name_plural = _("policy pushes")
        ordering = ["-week_start", "-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["week_start", "enterprise"], name="policypush_once_a_week"),
        ]

    def __str__(self) -> str:
        return f"{self.week_start} {self.enterprise_id}"


class PayoutBatch(TimestampedModel):
    """A no-application payout list (免申即享兑付清单): one policy version's eligible subjects of one match run.

    The policy's department reviews it line by line and then approves it as a whole;
    approval closes the batch and tells each enterprise its result.  A subject is put
    on a list once per policy and year, so a nightly run adds only newcomers.
    """

    class Status(models.TextChoices):
        UNDER_REVIEW = "under_review", _("Under review")  # lines may still be approved or rejected
        APPROVED = "approved", _("Approved")  # closed: enterprises were notified; nothing changes any more

    version = models.ForeignKey(
        PolicyVersion, on_delete=models.PROTECT, related_name="payout_batches", verbose_name=_("policy version")
    )
    run = models.ForeignKey(
        PolicyMatchRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="payout_batches",
        verbose_name=_("match run"),
    )
    year = models.PositiveIntegerField(_("year of the facts"))
    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default=Status.UNDER_REVIEW)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("generated by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("approved by"),
    )

    class Meta:
        verbose_name = _("payout batch")
        verbose_name_plural = _("payout batches")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["version", "run"], name="payoutbatch_one_per_run")]

    def __str__(self) -> str:
        return f"{self.version} {self.year} #{self.pk}"


class PayoutLine(TimestampedModel):
    """One subject on a payout list: the amount, the facts it was computed from and the decision."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")  # not yet decided
        APPROVED = "approved", _("Approved")  # to be paid
        REJECTED = "rejected", _("Rejected")  # not paid; the reason says why

    batch = models.ForeignKey(PayoutBatch, on_delete=models.CASCADE, related_name="lines", verbose_name=_("batch"))
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="payout_lines", verbose_name=_("enterprise")
    )
    project = models.ForeignKey(
        "enterprises.Project", null=True, blank=True, on_delete=models.PROTECT, related_name="payout_lines",
        verbose_name=_("project"),
    )
    amount_fen = models.BigIntegerField(_("amount"))
    facts = models.JSONField(_("facts used"), default=dict)
    facts_hash = models.CharField(_("facts hash"), max_length=64, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("decided by"),
    )

    class Meta:
        verbose_name = _("payout line")
        verbose_name_plural = _("payout lines")
        ordering = ["batch", "-amount_fen", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "enterprise"], condition=models.Q(project__isnull=True),
                name="payoutline_unique_enterprise",
            ),
            models.UniqueConstraint(
                fields=["batch", "project"], condition=models.Q(project__isnull=False),
                name="payoutline_unique_project",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.batch_id} {self.enterprise_id}/{self.project_id or '-'} {self.amount_fen}"
