"""Demo liaison data for Cixi: cadres, assignments of the key tiers, a year of visits whose
problems became demands (through the actions), and daily condition items.

Deterministic from a seed and idempotent: cadres and assignments are made only when missing;
visits and condition items only when there are none yet.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, Role, User
from core.audit import acting_as
from demands import actions as demand_actions
from demands import cube
from demands.models import Demand
from enterprises.demo import person_name
from enterprises.models import Enterprise
from policies.models import Policy
from reference.models import Category, ConditionTag, Town

from . import actions, tiers
from .access import current_assignments
from .models import ConditionItem, Level, Visit

CITY_UNITS = ("dept_jxj", "dept_fgj", "dept_kjj", "dept_swj", "dept_rsj", "service_office")
TOWN_TIERS = ("listed", "pre_listing", "top100", "top_taxpayers", "above_scale", "startup")
CITY_TIERS = ("listed", "pre_listing", "top100", "top_taxpayers")

SUMMARIES = [
    "了解企业一季度订单和产能利用情况，企业反映海外订单回暖，国内市场竞争激烈。",
    "走访生产车间，了解技改项目进展，新生产线预计下月投产。",
    "宣讲慈溪市技术改造和两化融合扶持政策，企业有意向申报明年技改项目。",
    "了解企业用工情况，一线普工缺口较大，春节后返岗率约八成。",
    "座谈企业融资需求，企业计划扩产，需要中长期贷款支持。",
    "了解企业上市筹备进度，已完成股改，正在辅导备案。",
    "走访了解企业用电用气保障情况，迎峰度夏期间生产基本正常。",
    "了解原材料价格波动对企业经营的影响，铜、铝价格上涨挤压利润。",
    "现场查看厂房安全生产和消防整改落实情况。",
    "了解企业研发投入和专利申报情况，企业准备申报高新技术企业。",
]
PROBLEMS = [
    ("talent", "年底订单多，一线普工缺口约{n}十人，希望帮助对接劳务招聘渠道。"),
    ("finance", "计划新增设备投资，流动资金紧张，希望对接银行中长期贷款约{n}百万元。"),
    ("land", "企业扩产需要新增用地约{n}0亩，希望了解周边可出让工业用地。"),
    ("property_cert", "老厂房一直没有产权证，想按补办方案申请，需要相关部门指导。"),
    ("policy", "去年技改项目补助已公示，资金尚未到账，请帮助了解拨付进度。"),
    ("utilities", "厂区变压器容量不足，新生产线投产需要增容，希望供电部门加快办理。"),
    ("logistics", "厂区门口道路破损，大货车进出困难，希望协调修复。"),
    ("innovation", "准备申报高新技术企业，对研发费用归集有疑问，希望安排辅导。"),
    ("environment", "环评审批周期较长，影响新项目开工，希望协调加快。"),
    ("trade", "外贸订单结汇和出口退税到账慢，希望了解加快办理的办法。"),
]
CONDITIONS = [
    ("new_burden", "多家小家电企业反映铜、塑料粒子等原材料价格上涨，利润空间被压缩。"),
    ("new_burden", "物流运费上涨，出口海运集装箱一箱难求，交货周期拉长。"),
    ("new_obstacle", "企业反映技改补助申报材料要求多次变化，基层理解不一致。"),
    ("new_obstacle", "厂房产权证补办需要消防验收，老厂房图纸缺失，补办推进困难。"),
    ("new_need", "企业有意向开展数字化车间改造，希望对接服务商和政策支持。"),
    ("new_need", "企业计划引进研发人才，关注人才公寓和子女入学政策。"),
    ("new_risk", "个别企业应收账款回款周期明显拉长，存在资金链风险。"),
    ("new_risk", "部分企业反映海外客户订单减少，下季度开工率可能下降。"),
]


def _cadre(username: str, name: str, org: Organisation, role: Role) -> User:
    user, created = User.objects.get_or_create(username=username, defaults={"display_name": name,
                                                                           "organisation": org})
    if created:
        user.set_unusable_password()  # demo cadres are data; the persona ganbu is the one to log in as
        user.save(update_fields=["password"])
    user.roles.add(role)
    return user


def ensure_cadres(rng: random.Random) -> tuple[dict[int, list[User]], list[User]]:
    """Two town cadres per town (ganbu is one of 周巷's) and one cadre per city unit."""
    role = Role.objects.get(code=Role.Code.LIAISON)
    town_cadres: dict[int, list[User]] = defaultdict(list)
    ganbu = User.objects.filter(username="ganbu").first()
    for town in Town.objects.filter(is_active=True):
        org = Organisation.objects.filter(code=f"window_{town.code}").first()
        if org is None:
            continue
        if ganbu is not None and town.code == "zhouxiang":
            town_cadres[town.pk].append(ganbu)
        for n in range(1, 3 - len(town_cadres[town.pk])):
            town_cadres[town.pk].append(_cadre(f"gb_{town.code}_{n}", person_name(rng), org, role))
    city = [
        _cadre(f"gb_{code}", person_name(rng), org, role)
        for code in CITY_UNITS
        if (org := Organisation.objects.filter(code=code).first())
    ]
    return town_cadres, city


def assign_key_tiers(acting_user, town_cadres, city_cadres) -> int:
    """Town cadres for every key-tier enterprise of their town; city cadres for the top tiers."""
    changed = 0
    town_q = tiers.tier_q(TOWN_TIERS[0])
    for code in TOWN_TIERS[1:]:
        town_q |= tiers.tier_q(code)
    city_q = tiers.tier_q(CITY_TIERS[0])
    for code in CITY_TIERS[1:]:
        city_q |= tiers.tier_q(code)
    assigned = set(current_assignments().values_list("enterprise_id", "level"))
    town_pairs, city_pairs = [], []
    for index, enterprise in enumerate(Enterprise.objects.filter(town_q).order_by("id")):
        people = town_cadres.get(enterprise.town_id)
        if people and (enterprise.pk, Level.TOWN) not in assigned:
            town_pairs.append((enterprise, people[index % len(people)], Level.TOWN))
    for index, enterprise in enumerate(Enterprise.objects.filter(city_q).order_by("id")):
        if city_cadres and (enterprise.pk, Level.CITY) not in assigned:
            city_pairs.append((enterprise, city_cadres[index % len(city_cadres)], Level.CITY))
    for pairs in (town_pairs, city_pairs):
        changed += actions.do_assign_many(pairs, acting_user=acting_user, via="rule",
                                          started_on=timezone.localdate() - dt.timedelta(days=400))
    return changed


def _problems(rng, enterprise) -> list[actions.ProblemInput]:
    categories = {c.code: c for c in Category.objects.all()}
    chosen = rng.sample(PROBLEMS, k=rng.choice((1, 1, 2)))
    return [actions.ProblemInput(enterprise=enterprise, text=text.format(n=rng.randint(2, 9)),
                                 category=categories.get(code)) for code, text in chosen]


def create_visits(rng: random.Random, count: int) -> int:
    """Visits over the past year by the cadres to their enterprises; a third find problems."""
    assignments = list(current_assignments().select_related("enterprise", "cadre__organisation").order_by("id"))
    if not assignments:
        return 0
    by_org: dict[int, list[User]] = defaultdict(list)
    charge: dict[int, list[Enterprise]] = defaultdict(list)
    for a in assignments:
        if a.cadre not in by_org[a.cadre.organisation_id]:
            by_org[a.cadre.organisation_id].append(a.cadre)
        charge[a.cadre_id].append(a.enterprise)
    policies = list(Policy.objects.all()[:20])
    today = timezone.localdate()
    for _ in range(count):
        a = rng.choice(assignments)
        colleagues = [c for c in by_org[a.cadre.organisation_id] if c != a.cadre]
        others = rng.sample(colleagues, k=min(len(colleagues), rng.choice((0, 0, 1))))
        day = today - dt.timedelta(days=rng.randint(1, 360))
        problems = _problems(rng, a.enterprise) if rng.random() < 0.35 else []
        where = [a.enterprise]
        if rng.random() < 0.1 and len(charge[a.cadre_id]) > 1:  # two neighbours on one trip
            where.append(rng.choice([e for e in charge[a.cadre_id] if e != a.enterprise]))
        visit = actions.do_log_visit(
            acting_user=a.cadre, visited_on=day, enterprises=where, cadres=others,
            summary=rng.choice(SUMMARIES), policies=rng.sample(policies, k=min(len(policies), rng.choice((0, 1, 2)))),
            problems=problems,
        )
        _date_demands(visit)
    return count


def _date_demands(visit: Visit) -> None:
    """A demand found on a visit was received on the visit's day (demo data is back-dated)."""
    received = timezone.make_aware(dt.datetime.combine(visit.visited_on, dt.time(16, 30)))
    ids = list(visit.problems.values_list("demand_id", flat=True))
    if ids:
        Demand.objects.filter(pk__in=ids).update(received_at=received)
        cube.mark_stale(received)


def resolve_some(rng: random.Random, share: float = 0.6) -> int:
    """Take part of the visit demands through the real workflow up to the answer."""
    window = User.objects.filter(username="chuangkou").first()
    handler = User.objects.filter(username="bumen").first()
    if window is None or handler is None or handler.organisation is None:
        return 0
    done = 0
    for demand in Demand.objects.filter(channel__code="visit", status="received").order_by("id"):
        if rng.random() > share:
            continue
        category = demand.category or Category.objects.get(code="other")
        d = demand_actions.do_accept(demand, acting_user=window, version=demand.version, category=category)
        d = demand_actions.do_route(d, acting_user=window, version=d.version, lead_unit=handler.organisation)
        d = demand_actions.do_start(d, acting_user=handler, version=d.version)
        demand_actions.do_answer(d, acting_user=handler, version=d.version,
                                 answer="已联系企业，按政策和流程予以协调办理。")
        done += 1
    return done


def create_conditions(rng: random.Random, count: int, people: list[User]) -> int:
    tags = {t.code: t for t in ConditionTag.objects.all()}
    enterprises = list(current_assignments().values_list("enterprise_id", flat=True)[:500])
    today = timezone.localdate()
    for _ in range(count):
        code, text = rng.choice(CONDITIONS)
        author = rng.choice(people)
        enterprise = Enterprise.objects.get(pk=rng.choice(enterprises)) if enterprises and rng.random() < 0.5 else None
        actions.do_note_condition(acting_user=author, text=text, tags=[tags[code]], enterprise=enterprise,
                                  noted_on=today - dt.timedelta(days=rng.randint(0, 120)))
    return count


def seed(*, seed: int = 2026, visits: int = 300, conditions: int = 150) -> dict[str, int]:
    """The whole demo; returns what was made."""
    rng = random.Random(seed)
    admin = User.objects.filter(username="admin").first()
    made = {}
    with transaction.atomic(), acting_as(admin):
        town_cadres, city_cadres = ensure_cadres(rng)
        made["cadres"] = sum(len(v) for v in town_cadres.values()) + len(city_cadres)
        made["assignments"] = assign_key_tiers(admin, town_cadres, city_cadres)
    if not Visit.objects.exists():
        with transaction.atomic():
            made["visits"] = create_visits(rng, visits)
            made["answered"] = resolve_some(rng)
    if not ConditionItem.objects.exists():
        people = [c for cs in town_cadres.values() for c in cs] + city_cadres
        with transaction.atomic():
            made["conditions"] = create_conditions(rng, conditions, people) if people else 0
    return made
