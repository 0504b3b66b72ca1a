"""The enterprise registry (企业库): enterprises, contacts, yearly figures and projects.

Money is stored exactly as integer fen (分) in fields ending in ``_fen``; the UI and
Excel speak 万元.  Yearly figures and projects are the "facts" that the policy
engine and the per-mu evaluation read.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimestampedModel

from .validators import validate_credit_code, validate_industry_code


class SizeClass(models.TextChoices):
    """Enterprise size for industry (工信部联企业〔2011〕300号), derived from figures."""

    LARGE = "large", _("Large")
    MEDIUM = "medium", _("Medium")
    SMALL = "small", _("Small")
    MICRO = "micro", _("Micro")
    UNKNOWN = "unknown", _("Unknown")


class Enterprise(TimestampedModel):
    """An enterprise (企业), keyed by its unified social credit code (统一社会信用代码)."""

    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, validators=[validate_credit_code]
    )
    name = models.CharField(_("name"), max_length=200, db_index=True)
    name_initials = models.CharField(
        _("pinyin initials"), max_length=200, blank=True, db_index=True, editable=False
    )
    former_names = models.TextField(_("former names"), blank=True, help_text=_("One name per line."))
    legal_representative = models.CharField(_("legal representative"), max_length=50, blank=True)
    established_on = models.DateField(_("established on"), null=True, blank=True)
    town = models.ForeignKey("reference.Town", on_delete=models.PROTECT, verbose_name=_("town"))
    park = models.ForeignKey(
        "reference.Park", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("park")
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    industry_code = models.CharField(
        _("industry (GB/T 4754)"), max_length=5, blank=True, validators=[validate_industry_code]
    )
    industry_group = models.ForeignKey(
        "reference.IndustryGroup",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("industry group"),
    )
    size_class = models.CharField(
        _("size class"), max_length=10, choices=SizeClass.choices, default=SizeClass.UNKNOWN, editable=False
    )
    tags = models.ManyToManyField("reference.EnterpriseTag", blank=True, verbose_name=_("tags"))

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["town", "name"], name="ent_town_name"),
            models.Index(fields=["industry_group", "name"], name="ent_group_name"),
            models.Index(fields=["size_class", "name"], name="ent_size_name"),
            # Combined filters of the list page count from an index alone.
            models.Index(fields=["industry_group", "size_class", "name"], name="ent_group_size_name"),
            models.Index(fields=["town", "industry_group", "name"], name="ent_town_group_name"),
            models.Index(fields=["town", "size_class", "name"], name="ent_town_size_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_manufacturing(self) -> bool:
        """GB/T 4754 section C is manufacturing (制造业)."""
        return self.industry_code.startswith("C")


class Contact(TimestampedModel):
    """A contact person of an enterprise (企业联系人)."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("enterprise")
    )
    name = models.CharField(_("name"), max_length=50)
    title = models.CharField(_("position"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-is_primary", "id"]

    def __str__(self) -> str:
        return self.name


class YearFigures(TimestampedModel):
    """One enterprise's figures for one year (年度经济指标): the facts of policies.md."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="year_figures", verbose_name=_("enterprise")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    revenue_fen = models.BigIntegerField(_("revenue"), null=True, blank=True)
    tax_paid_fen = models.BigIntegerField(_("tax paid"), null=True, blank=True)
    value_added_fen = models.BigIntegerField(_("industrial value added"), null=True, blank=True)
    land_area_mu = models.DecimalField(_("land area (mu)"), max_digits=12, decimal_places=2, null=True, blank=True)
    energy_tce = models.DecimalField(
        _("energy use (tonnes of standard coal)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    emissions_t = models.DecimalField(
        _("pollutant emissions (tonnes equivalent)"), max_digits=14, decimal_places=3, null=True, blank=True
    )
    rd_spending_fen = models.BigIntegerField(_("R&D spending"), null=True, blank=True)
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    mlt_loan_avg_daily_balance_fen = models.BigIntegerField(
        _("average daily balance of medium/long-term loans"), null=True, blank=True
    )
    leasing_expenditure_fen = models.BigIntegerField(_("financial-leasing expenditure"), null=True, blank=True)
    leasing_interest_fen = models.BigIntegerField(_("financial-leasing interest paid"), null=True, blank=True)
    tech_service_spending_fen = models.BigIntegerField(_("tech-service spending"), null=True, blank=True)

    class Meta:
        verbose_name = _("yearly figures")
        verbose_name_plural = _("yearly figures")
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "year"], name="yearfigures_one_per_year")]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}"


class Project(TimestampedModel):
    """An investment project of an enterprise (技改、两化融合项目), subject of P1–P4."""

    class Kind(models.TextChoices):
        TECH_UPGRADE = "tech_upgrade", _("Technology upgrade")
        TWO_INTEGRATION = "two_integration", _("Informatisation (two-integration)")

    class IndustryClass(models.TextChoices):
        A = "A", _("Class A")
        B = "B", _("Class B")
        C = "C", _("Class C")

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="projects", verbose_name=_("enterprise")
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.TECH_UPGRADE)
    year = models.PositiveSmallIntegerField(_("year"))
    industry_class = models.CharField(
        _("Cixi reward class"), max_length=1, choices=IndustryClass.choices, blank=True
    )
    ningbo_tier = models.PositiveSmallIntegerField(_("Ningbo reward tier"), null=True, blank=True)
    completed = models.BooleanField(_("completed and in production"), default=False)
    is_smart_pilot = models.BooleanField(_("smart retrofit pilot"), default=False)
    is_special_project = models.BooleanField(_("special project"), default=False)
    fixed_asset_investment_fen = models.BigIntegerField(_("fixed-asset investment"), null=True, blank=True)
    equipment_investment_fen = models.BigIntegerField(_("equipment investment"), null=True, blank=True)
    tech_software_investment_fen = models.BigIntegerField(
        _("purchased technology and software"), null=True, blank=True
    )
    soft_investment_fen = models.BigIntegerField(_("soft investment"), null=True, blank=True)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-year", "id"]

    def __str__(self) -> str:
        return self.name


class ImportJob(TimestampedModel):
    """An Excel import run as a background job, with its progress and row report."""

    class Kind(models.TextChoices):
        ENTERPRISES = "enterprises", _("Enterprises")
        YEAR_FIGURES = "year_figures", _("Yearly figures")

    class Mode(models.TextChoices):
        ALL_OR_NOTHING = "all_or_nothing", _("Import nothing if any row is bad")
        GOOD_ROWS = "good_rows", _("Import the good rows, skip the bad ones")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        REJECTED = "rejected", _("Rejected: nothing imported")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    mode = models.CharField(_("mode"), max_length=20, choices=Mode.choices, default=Mode.ALL_OR_NOTHING)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("uploaded by")
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    error_count = models.PositiveIntegerField(_("bad rows"), default=0)
    errors = models.JSONField(_("row errors"), default=list, blank=True)
    message = models.TextField(_("message"), blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at"]

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.REJECTED, self.Status.FAILED)
