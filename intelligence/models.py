"""Trained classifier versions and the staff corrections that feed the next training."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ClassifierModel(models.Model):
    """One trained version of the demand classifier (诉求分类模型).

    The fitted pipeline lives in a joblib file under ``VAR_DIR/intelligence/``
    (``path`` is relative to VAR_DIR): a model of a 100,000-demand training set is
    tens of megabytes, which would bloat every database backup and every query that
    touches the row; the file is written once, never changed, and checked against
    ``sha256`` when loaded.  The newest row whose file exists is the live model.
    """

    version = models.PositiveIntegerField(_("version"), unique=True)
    trained_at = models.DateTimeField(_("trained at"), auto_now_add=True)
    n_examples = models.PositiveIntegerField(_("training examples"))
    metrics = models.JSONField(_("metrics"), default=dict, blank=True)
    path = models.CharField(_("file"), max_length=255)
    sha256 = models.CharField(max_length=64, editable=False)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("classifier model")
        verbose_name_plural = _("classifier models")

    def __str__(self) -> str:
        return f"v{self.version}"


class Correction(models.Model):
    """A staff member's change to a suggestion (人工纠正); counts extra in the next training."""

    class Field(models.TextChoices):
        CATEGORY = "category", _("Category")
        DEPARTMENT = "department", _("Department")

    demand = models.ForeignKey("demands.Demand", on_delete=models.CASCADE, related_name="corrections",
                               verbose_name=_("demand"))
    field = models.CharField(_("field"), max_length=20, choices=Field.choices)
    suggested = models.CharField(_("suggested code"), max_length=40, blank=True)
    chosen = models.CharField(_("chosen code"), max_length=40)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                             verbose_name=_("corrected by"))
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")

    def __str__(self) -> str:
        return f"{self.field}: {self.suggested or '-'} → {self.chosen}"
