from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntelligenceConfig(AppConfig):
    """Demand intelligence (诉求智能): classification, routing suggestions, similar demands, clusters."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "intelligence"
    verbose_name = _("Demand intelligence")
