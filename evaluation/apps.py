from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    """Per-mu evaluation (亩均论英雄), rankings (慈榜) and the enterprise zone (企业码专区)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "evaluation"
    verbose_name = _("Per-mu evaluation and enterprise zone")

    def ready(self) -> None:
        from . import audit  # noqa: F401
