"""Organisations (组织机构), roles (角色), people (用户) and the login log (登录日志)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import ReferenceItem


class Organisation(ReferenceItem):
    """An organisation unit of the 1+N service network.

    The kind decides the data scope of its staff (see accounts/access.py): a town
    window is tied to a town, a department to a reference Department, a park to a Park.
    """

    class Kind(models.TextChoices):
        SERVICE_OFFICE = "service_office", _("Enterprise service office")  # 企服办
        PLATFORM = "platform", _("City service platform")  # 市企业发展服务平台（8718）
        DEPARTMENT = "department", _("Government department")
        TOWN_WINDOW = "town_window", _("Town service window")
        PARK = "park", _("Park")
        BANK = "bank", _("Bank or guarantee company")
        MARKET_PROVIDER = "market_provider", _("Market service provider")
        ENTERPRISE = "enterprise", _("Enterprise")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    department = models.ForeignKey(
        "reference.Department", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("department")
    )
    town = models.ForeignKey(
        "reference.Town", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("town")
    )
    park = models.ForeignKey(
        "reference.Park", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("park")
    )

    class Meta(ReferenceItem.Meta):
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")


class Role(ReferenceItem):
    """A role (角色); the codes are fixed in Role.Code and used by access rules."""

    class Code(models.TextChoices):
        ENTERPRISE_CONTACT = "enterprise_contact", _("Enterprise contact")
        WINDOW_STAFF = "window_staff", _("Window staff")
        DEPARTMENT_HANDLER = "department_handler", _("Department handler")
        LIAISON = "liaison", _("Liaison cadre")
        SUPERVISOR = "supervisor", _("Supervisor")
        POLICY_ADMIN = "policy_admin", _("Policy administrator")
        SYSTEM_ADMIN = "system_admin", _("System administrator")
        BANK_STAFF = "bank_staff", _("Bank staff")

    class Meta(ReferenceItem.Meta):
        verbose_name = _("role")
        verbose_name_plural = _("roles")


class User(AbstractUser):
    """A person who logs in: government staff, bank staff or an enterprise contact."""

    display_name = models.CharField(_("display name"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("organisation")
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="users",
        verbose_name=_("enterprise"),
        help_text=_("Only for enterprise contacts: the enterprise they act for."),
    )
    roles = models.ManyToManyField(Role, blank=True, verbose_name=_("roles"))

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.username

    def role_codes(self) -> frozenset[str]:
        """The codes of this user's roles, cached on the instance for one request."""
        if not hasattr(self, "_role_codes"):
            self._role_codes = frozenset(self.roles.values_list("code", flat=True))
        return self._role_codes

    def has_role(self, *codes: str) -> bool:
        return bool(self.role_codes() & set(codes))


class LoginLog(models.Model):
    """One login attempt, success or failure, or a logout (登录日志)."""

    class Event(models.TextChoices):
        LOGIN = "login", _("Logged in")
        FAILED = "failed", _("Login failed")
        LOGOUT = "logout", _("Logged out")
        LOCKED = "locked", _("Locked out")

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    event = models.CharField(_("event"), max_length=10, choices=Event.choices)
    username = models.CharField(_("user name"), max_length=150, db_index=True)
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("user"))
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("login log entry")
        verbose_name_plural = _("login log")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.username} {self.event}"
