from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BriefingsConfig(AppConfig):
    """The weekly 企情快报 and monthly 企服简报, generated from the data, and the leader dashboard."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "briefings"
    verbose_name = _("Briefings")

    def ready(self):
        from . import audit  # noqa: F401
