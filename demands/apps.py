from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemandsConfig(AppConfig):
    name = "demands"
    verbose_name = _("Enterprise demands")

    def ready(self) -> None:
        from . import audit  # noqa: F401
