from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferenceConfig(AppConfig):
    name = "reference"
    verbose_name = _("Reference data")

    def ready(self) -> None:
        from . import audit  # noqa: F401  registers the models with the operation log
