"""Load the reference data and the organisation tree from reference/data/*.yaml.

Existing rows are left as administrators edited them unless ``refresh`` is set;
missing rows are created.  Codes are the keys, so running it twice is harmless.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from django.db import transaction

from . import models

DATA_DIR = Path(__file__).resolve().parent / "data"


def load_yaml(name: str) -> dict:
    with open(DATA_DIR / name, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _upsert(model, code: str, order: int, refresh: bool, **fields):
    obj, created = model.objects.get_or_create(code=code, defaults={"sort_order": order, **fields})
    if refresh and not created:
        for name, value in fields.items():
            setattr(obj, name, value)
        obj.save()
    return obj


@transaction.atomic
def seed_reference(refresh: bool = False) -> dict[str, int]:
    """Create every reference row; return how many rows each table now has."""
    taxonomy, cixi = load_yaml("taxonomy.yaml"), load_yaml("cixi.yaml")
    simple = (
        (models.Channel, taxonomy["channels"]),
        (models.ConditionTag, taxonomy["condition_tags"]),
        (models.EnterpriseTag, cixi["enterprise_tags"]),
    )
    for model, items in simple:
        for order, (code, item) in enumerate(items.items()):
            _upsert(model, code, order, refresh, name_zh=item["zh"], name_en=item.get("en", ""))
    for order, (code, item) in enumerate(taxonomy["departments"].items()):
        _upsert(models.Department, code, order, refresh, name_zh=item["zh"], name_en=item["en"], kind=item["kind"])
    for order, (code, item) in enumerate(taxonomy["categories"].items()):
        department = models.Department.objects.get(code=item["default_department"])
        _upsert(models.Category, code, order, refresh, name_zh=item["zh"], name_en=item["en"],
                default_department=department)
    for order, (code, item) in enumerate(taxonomy["towns"].items()):
        english = item.get("en") or f"{code.capitalize()} {'Street' if item['kind'] == 'street' else 'Town'}"
        _upsert(models.Town, code, order, refresh, name_zh=item["zh"], name_en=english, kind=item["kind"])
    for order, (code, item) in enumerate(taxonomy["industry_groups"].items()):
        english = item.get("en") or code.replace("_", " ").capitalize()
        _upsert(models.IndustryGroup, code, order, refresh, name_zh=item["zh"], name_en=english, group=item["group"])
    for order, (code, item) in enumerate(cixi["parks"].items()):
        town = models.Town.objects.get(code=item["town"])
        _upsert(models.Park, code, order, refresh, name_zh=item["zh"], name_en=item["en"], kind=item["kind"],
                town=town)
    _seed_organisations(taxonomy, cixi, refresh)
    _seed_deadline_rules()
    return {m._meta.model_name: m.objects.count() for m in (
        models.Channel, models.ConditionTag, models.Department, models.Category, models.Town,
        models.IndustryGroup, models.EnterpriseTag, models.Park)}


def _seed_deadline_rules() -> None:
    """The channel-specific deadline rules need the channels, so they are seeded here."""
    from demands.models import DeadlineRule

    proposal = models.Channel.objects.get(code="proposal")
    DeadlineRule.objects.get_or_create(channel=proposal, category=None, priority="", appeal_type="",
                                       defaults={"accept_days": 5, "answer_days": 60})


def _seed_organisations(taxonomy: dict, cixi: dict, refresh: bool) -> None:
    from accounts.models import Organisation, Role

    for order, code in enumerate(Role.Code.values):
        label = Role.Code(code).label
        _upsert(Role, code, order, refresh, name_zh=_ROLE_ZH[code], name_en=str(label))
    kinds = Organisation.Kind
    _upsert(Organisation, "service_office", 0, refresh, name_zh="慈溪市企业服务办公室（企服办）",
            name_en="Cixi Enterprise Service Office", kind=kinds.SERVICE_OFFICE,
            department=models.Department.objects.get(code="qfb"))
    _upsert(Organisation, "platform", 1, refresh, name_zh="慈溪市企业发展服务平台（8718慈溪平台）",
            name_en="Cixi Enterprise Service Platform (8718)", kind=kinds.PLATFORM)
    for order, department in enumerate(models.Department.objects.filter(kind=models.Department.Kind.GOVERNMENT)):
        _upsert(Organisation, f"dept_{department.code}", 10 + order, refresh, name_zh=department.name_zh,
                name_en=department.name_en, kind=kinds.DEPARTMENT, department=department)
    for order, town in enumerate(models.Town.objects.all()):
        _upsert(Organisation, f"window_{town.code}", 100 + order, refresh, name_zh=f"{town.name_zh}企服窗口",
                name_en=f"{town.name_en} service window", kind=kinds.TOWN_WINDOW, town=town)
    for order, park in enumerate(models.Park.objects.all()):
        _upsert(Organisation, f"park_{park.code}", 200 + order, refresh, name_zh=park.name_zh,
                name_en=park.name_en, kind=kinds.PARK, park=park, town=park.town)
    for order, (code, item) in enumerate(cixi["banks"].items()):
        _upsert(Organisation, f"bank_{code}", 300 + order, refresh, name_zh=item["zh"], name_en=item["en"],
                kind=kinds.BANK)
    for order, (code, item) in enumerate(cixi["market_providers"].items()):
        _upsert(Organisation, f"market_{code}", 400 + order, refresh, name_zh=item["zh"], name_en=item["en"],
                kind=kinds.MARKET_PROVIDER, department=models.Department.objects.get(code="market"))


_ROLE_ZH = {
    "enterprise_contact": "企业联系人",
    "window_staff": "窗口工作人员",
    "department_handler": "部门承办人",
    "liaison": "企服责任人",
    "supervisor": "督办领导",
    "policy_admin": "政策管理员",
    "system_admin": "系统管理员",
    "bank_staff": "银行工作人员",
}
