from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketsConfig(AppConfig):
    """Matching markets: financing, factory space and parks, talent and capital."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "markets"
    verbose_name = _("Matching markets")

    def ready(self) -> None:
        from . import audit  # noqa: F401
