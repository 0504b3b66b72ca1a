"""Reference data (基础数据) with stable codes, seeded from reference/data/taxonomy.yaml."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import ReferenceItem


class Channel(ReferenceItem):
    """Where a demand (诉求) can come from: hotline, front desk, WeChat group …"""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("channel")
        verbose_name_plural = _("channels")


class ConditionTag(ReferenceItem):
    """The "four new" enterprise-condition tags (四新企情)."""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("condition tag")
        verbose_name_plural = _("condition tags")


class Department(ReferenceItem):
    """A unit that can handle a demand: a government department, the town, or the market."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("Government department")
        TOWN = "town", _("Town or street")
        MARKET = "market", _("Market service provider")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)

    class Meta(ReferenceItem.Meta):
        verbose_name = _("department")
        verbose_name_plural = _("departments")


class Category(ReferenceItem):
    """Demand category (诉求分类) with the department that handles it by default."""

    default_department = models.ForeignKey(
        Department, on_delete=models.PROTECT, verbose_name=_("default department")
    )

    class Meta(ReferenceItem.Meta):
        verbose_name = _("category")
        verbose_name_plural = _("categories")


class Town(ReferenceItem):
    """A town (镇) or street (街道) with its own service window."""

    class Kind(models.TextChoices):
        TOWN = "town", _("Town")
        STREET = "street", _("Street")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)

    class Meta(ReferenceItem.Meta):
        verbose_name = _("town or street")
        verbose_name_plural = _("towns and streets")


class IndustryGroup(ReferenceItem):
    """The "3+3" industry groups (三大战略性新兴产业 + 三大特色优势产业)."""

    class Group(models.TextChoices):
        STRATEGIC = "strategic", _("Strategic emerging")
        CHARACTERISTIC = "characteristic", _("Characteristic advantage")
        OTHER = "other", _("Other")

    group = models.CharField(_("group"), max_length=20, choices=Group.choices)

    class Meta(ReferenceItem.Meta):
        verbose_name = _("industry group")
        verbose_name_plural = _("industry groups")


class EnterpriseTag(ReferenceItem):
    """A label on an enterprise (规上, 高新技术企业, 专精特新 …)."""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("enterprise tag")
        verbose_name_plural = _("enterprise tags")


class Park(ReferenceItem):
    """An industrial park or small-micro enterprise park (园区 / 小微企业园)."""

    class Kind(models.TextChoices):
        PLATFORM = "platform", _("Industrial platform")
        MICRO_PARK = "micro_park", _("Small-micro enterprise park")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    town = models.ForeignKey(Town, on_delete=models.PROTECT, verbose_name=_("town"))

    class Meta(ReferenceItem.Meta):
        verbose_name = _("park")
        verbose_name_plural = _("parks")
