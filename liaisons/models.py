"""Liaison cadres (企服责任人), their assignments, visits (走访) and enterprise-condition items (企情).

The service tiers (重点服务对象) are rules over enterprise data kept in liaisons/data/tiers.yaml
(see liaisons/tiers.py), not rows here.  Person-trips (人次) are not stored: they are the
visits times the cadres who went, counted from VisitCadre rows (see liaisons/figures.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    """Which tier of government the liaison comes from (市镇两级干部联系企业)."""

    CITY = "city", _("City level")  # a city department or the service office
    TOWN = "town", _("Town level")  # the enterprise's own town or street


class Assignment(models.Model):
    """One cadre responsible for one enterprise (企服责任人) at one level, for a span of days.

    An enterprise has at most one current cadre per level; a new assignment ends the
    previous one the day before it starts (the history keeps both).
    """

    class Via(models.TextChoices):
        HAND = "hand", _("By hand")
        RULE = "rule", _("By tier rule")
        IMPORT = "import", _("Excel import")

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="liaison_assignments",
        verbose_name=_("enterprise"),
    )
    cadre = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="liaison_assignments",
        verbose_name=_("liaison cadre"),
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    via = models.CharField(_("assigned"), max_length=10, choices=Via.choices, default=Via.HAND)
    rule = models.CharField(_("tier rule"), max_length=40, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("assigned by")
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("ended by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("liaison assignment")
        verbose_name_plural = _("liaison assignments")
        ordering = ["-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "level"], condition=Q(ended_on__isnull=True), name="assignment_one_current"
            )
        ]
        indexes = [models.Index(fields=["cadre", "ended_on"], name="assignment_cadre_current")]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.cadre} ({self.get_level_display()})"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


class Visit(models.Model):
    """A visit (走访) by one or more cadres to one or more enterprises on one day."""

    visited_on = models.DateField(_("visit date"), db_index=True)
    summary = models.TextField(_("what was discussed"))
    enterprises = models.ManyToManyField(
        "enterprises.Enterprise", through="VisitEnterprise", related_name="visits", verbose_name=_("enterprises")
    )
    cadres = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="VisitCadre", related_name="visits", verbose_name=_("cadres who went")
    )
    policies = models.ManyToManyField("policies.Policy", blank=True, related_name="+",
                                      verbose_name=_("policies explained"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_on", "-id"]

    def __str__(self) -> str:
        return f"{self.visited_on:%Y-%m-%d} #{self.pk}"


class VisitEnterprise(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="enterprise_rows")
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["visit", "enterprise"], name="visit_enterprise_once")]
        indexes = [models.Index(fields=["enterprise", "visit"], name="visit_ent_enterprise")]

    def __str__(self) -> str:
        return f"{self.visit_id} → {self.enterprise_id}"


class VisitCadre(models.Model):
    """One cadre on one visit: one person-trip (人次)."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="cadre_rows")
    cadre = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["visit", "cadre"], name="visit_cadre_once")]
        indexes = [models.Index(fields=["cadre", "visit"], name="visit_cadre_cadre")]

    def __str__(self) -> str:
        return f"{self.visit_id} ← {self.cadre_id}"


class VisitProblem(models.Model):
    """A problem found on a visit, recorded as a demand (channel ``visit``) in the same step."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="problems", verbose_name=_("visit"))
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="+", verbose_name=_("enterprise")
    )
    demand = models.OneToOneField(
        "demands.Demand", on_delete=models.PROTECT, related_name="visit_problem", verbose_name=_("demand")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("problem found on a visit")
        verbose_name_plural = _("problems found on visits")
        ordering = ["id"]

    def __str__(self) -> str:
        return str(self.demand)


def photo_path(photo: VisitPhoto, filename: str) -> str:
    # The stored name never comes from the upload (the original name is kept in a field).
    return f"visits/{photo.visit.visited_on:%Y/%m}/{photo.visit_id}-{photo.digest[:16]}"


class VisitPhoto(models.Model):
    """A photo taken on a visit, checked by its content (see liaisons/photos.py)."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="photos", verbose_name=_("visit"))
    file = models.FileField(_("file"), upload_to=photo_path)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    digest = models.CharField(max_length=64, editable=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("visit photo")
        verbose_name_plural = _("visit photos")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


class ConditionItem(models.Model):
    """An enterprise-condition item (企情): a short daily note tagged with the four-new tags."""

    noted_on = models.DateField(_("date"), db_index=True)
    text = models.TextField(_("what was noticed"))
    tags = models.ManyToManyField("reference.ConditionTag", related_name="+", verbose_name=_("four-new tags"))
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", null=True, blank=True, on_delete=models.SET_NULL, related_name="condition_items",
        verbose_name=_("enterprise"),
    )
    town = models.ForeignKey(
        "reference.Town", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("town"),
        help_text=_("The enterprise's town, else the author's."),
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("noted by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("enterprise-condition item")
        verbose_name_plural = _("enterprise-condition items")
        ordering = ["-noted_on", "-id"]
        indexes = [models.Index(fields=["town", "noted_on"], name="condition_town_date")]

    def __str__(self) -> str:
        return self.text[:40]


def visit_of(demand) -> Visit | None:
    """The visit on which this demand was found, if it came from one (for the demand page)."""
    problem = VisitProblem.objects.filter(demand_id=getattr(demand, "pk", demand)).select_related("visit").first()
    return problem.visit if problem else None
