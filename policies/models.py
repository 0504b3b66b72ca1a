"""The policy library (政策库): policies, their versioned rules and the test cases beside them.

A policy (政策) carries what a guide shows (who may apply, materials, where, by when);
its rule lives in versions (PolicyVersion): named conditions, an amount formula and an
optional cap, written in the rule language of ``policies.rules``.  A version is never
edited once published; a change makes a new version, and publishing is refused unless
every test case (PolicyTestCase) of the version passes.
"""

from __future__ import annotations

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
    is_monetary = models.BooleanField(_("pays money"), default=True)

    class Meta:
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.title

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
        """The executable rule of this version (raises RuleError if it does not read)."""
        from .rules import compile_rule

        return compile_rule(
            self.policy.code, self.conditions, self.amount_formula or None, self.cap_expression or None,
            exclusive_group=self.policy.exclusive_group, version=self.number, subject_kind=self.policy.subject_kind,
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
    ``facts_hash`` is the sha256 of the subject's facts when it was evaluated, so the
    nightly refresh re-evaluates only subjects whose facts changed (policies.matching).
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
    facts_hash = models.CharField(_("facts hash"), max_length=64)
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
