from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiaisonsConfig(AppConfig):
    """Service tiers, liaison cadres (企服责任人), visits (走访) and enterprise-condition items (企情)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "liaisons"
    verbose_name = _("Liaisons and visits")

    def ready(self) -> None:
        from . import audit  # noqa: F401
