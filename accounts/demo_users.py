"""One demo login per persona (演示账号), for trying the platform and for screenshots.

``create_demo_users`` is idempotent: it creates missing users and re-links existing
ones to their role, organisation and enterprise (a ``seed_demo --reset`` deletes the
enterprise the enterprise contact was attached to), but never changes the password
of a user that already exists.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import password_validation
from django.db import transaction

from core.audit import acting_as

from .models import Organisation, Role, User

DEMO_PASSWORD = "Qifu@2026demo"  # published demo password; meets the password policy


@dataclass(frozen=True)
class Persona:
    """A demo login: who it is, what role it has, where it works and where it lands."""

    username: str
    display_name: str
    role: str
    organisation: str | None
    lands_on: str  # for the table seed_demo prints; developers read it, users never do
    is_admin: bool = False


PERSONAS = (
    Persona("admin", "王立新", Role.Code.SYSTEM_ADMIN, "service_office", "/ admin home; /admin/", is_admin=True),
    Persona("jiandu", "陈国华", Role.Code.SUPERVISOR, "service_office", "/ supervisor home, city-wide"),
    Persona("chuangkou", "孙丽娟", Role.Code.WINDOW_STAFF, "platform", "/ window home, city-wide"),
    Persona("zhouxiang", "施海燕", Role.Code.WINDOW_STAFF, "window_zhouxiang", "/ window home, 周巷镇 only"),
    Persona("bumen", "胡志强", Role.Code.DEPARTMENT_HANDLER, "dept_kjj", "/ department home, 市科技局"),
    Persona("ganbu", "徐建军", Role.Code.LIAISON, "window_zhouxiang", "/ liaison home, 周巷镇"),
    Persona("jingxin", "钱建英", Role.Code.DEPARTMENT_HANDLER, "dept_jxj", "/ department home, 市经信局 (proposals)"),
    Persona("zhengce", "沈晓红", Role.Code.POLICY_ADMIN, "dept_jxj", "/ policy admin home"),
    Persona("qiye", "叶伟东", Role.Code.ENTERPRISE_CONTACT, None, "/enterprises/mine/ own enterprise"),
    Persona("yinhang", "李慧敏", Role.Code.BANK_STAFF, "bank_cxrcb", "/markets/finance/ needs matched to its bank"),
)


def create_demo_users(password: str = DEMO_PASSWORD) -> list[tuple[str, str, str, str]]:
    """Make sure every persona can log in; return (username, role, organisation, lands on).

    Needs the roles and organisations of ``reference.seeding.seed_reference``.  The
    enterprise contact is attached to :func:`demo_enterprise`, if there is one.
    """
    password_validation.validate_password(password)
    roles = {role.code: role for role in Role.objects.all()}
    organisations = {org.code: org for org in Organisation.objects.all()}
    enterprise = demo_enterprise()
    logins = []
    with transaction.atomic(), acting_as(None):
        for persona in PERSONAS:
            user = _ensure_user(persona, password, roles[persona.role], organisations.get(persona.organisation or ""))
            if persona.role == Role.Code.ENTERPRISE_CONTACT:
                _attach(user, enterprise)
            logins.append(_login_row(persona, user))
    return logins


def demo_enterprise():
    """The enterprise the demo contact acts for: a 周巷 appliance maker (电器), preferring
    one with projects on file; the lowest id makes the choice the same on every run."""
    from enterprises.models import Enterprise

    candidates = Enterprise.objects.filter(town__code="zhouxiang", name__contains="电器").order_by("id")
    return candidates.filter(projects__isnull=False).first() or candidates.first()


def _ensure_user(persona: Persona, password: str, role: Role, organisation: Organisation | None) -> User:
    user = User.objects.filter(username=persona.username).first()
    if user is None:
        user = User(username=persona.username)
        user.set_password(password)
    user.display_name = persona.display_name
    user.organisation = organisation
    user.is_active = True
    user.is_staff = user.is_superuser = persona.is_admin
    user.save()
    user.roles.set([role])
    return user


def _attach(user: User, enterprise) -> None:
    if user.enterprise_id != getattr(enterprise, "pk", None):
        user.enterprise = enterprise
        user.save(update_fields=["enterprise"])


def _login_row(persona: Persona, user: User) -> tuple[str, str, str, str]:
    role = user.roles.get()
    place = str(user.organisation) if user.organisation else str(user.enterprise or "-")
    return persona.username, role.name, place, persona.lands_on
