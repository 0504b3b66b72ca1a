"""Cixi demo data for the markets, from the seeds.

* Seed 004: in 2020 nine financing days (每月9号, none in February–April during the
  epidemic) brought together needs of over 2.1亿 from more than a hundred enterprises that
  reached an intention with a bank, and 930万 of loans granted; about 30 enterprises seek
  factory space and 20 offer it, five pairs are in talks.
* Seed 002: 15 small-micro enterprise parks built (2013.9 mu, over 1000 enterprises), 8 under
  construction (1231.6 mu, 193万 m²), 5 planned (about 370 mu).
* Seed 003: 才·富对接 — talent projects, enterprises willing to invest, roadshows.

``seed_markets`` is idempotent: products and parks are upserted by their names and codes;
the history (financing days, needs, listings) is only created when no financing day exists.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation
from core.audit import acting_as
from enterprises.models import Enterprise
from reference.models import IndustryGroup, Park, Town

from . import actions
from .models import (
    Collateral,
    FinancialProduct,
    FinancingNeed,
    MarketEvent,
    MicroPark,
    NeedEvent,
    NeedStatus,
    ProductKind,
    Purpose,
    Registration,
    SpaceListing,
    Stage,
    TalentProject,
    Urgency,
)

WAN = 1_000_000
P, C = Purpose, Collateral

# bank code, name, kind, amount 万 (low, high), term months, rate 0.01%, purposes, collateral, sizes, who qualifies
PRODUCTS = [
    ("bank_cxrcb", "小微信用贷", ProductKind.CREDIT, (10, 300), (1, 36), (385, 550),
     [P.WORKING_CAPITAL, P.ORDERS], [C.NONE, C.TAX_RECORD], ["small", "micro"], "慈溪本地小微企业，经营满两年，无不良记录"),
    ("bank_cxrcb", "厂房按揭贷", ProductKind.MORTGAGE, (100, 2000), (12, 120), (360, 480),
     [P.EXPANSION, P.EQUIPMENT], [C.PROPERTY], [], "购置小微企业园厂房的企业"),
    ("bank_icbc_cixi", "经营快贷", ProductKind.CREDIT, (50, 1000), (1, 12), (350, 450),
     [P.WORKING_CAPITAL], [C.NONE], ["medium", "small"], "纳税信用B级以上"),
    ("bank_icbc_cixi", "技改设备抵押贷", ProductKind.MORTGAGE, (200, 5000), (12, 60), (360, 460),
     [P.EQUIPMENT], [C.EQUIPMENT, C.PROPERTY], [], "技改项目已备案的制造业企业"),
    ("bank_abc_cixi", "银税互动·税易贷", ProductKind.TAX_CREDIT, (10, 500), (1, 36), (380, 520),
     [P.WORKING_CAPITAL, P.ORDERS], [C.TAX_RECORD, C.NONE], [], "纳税信用A、B级，年纳税额5万元以上"),
    ("bank_ccb_cixi", "供应链·e信通", ProductKind.SUPPLY_CHAIN, (20, 2000), (1, 12), (340, 450),
     [P.ORDERS, P.WORKING_CAPITAL], [C.RECEIVABLES], [], "公牛、方太等核心家电企业的上下游供应商"),
    ("bank_czbank_cixi", "智能制造产融贷", ProductKind.MORTGAGE, (300, 5000), (12, 84), (370, 490),
     [P.EQUIPMENT, P.EXPANSION], [C.PROPERTY, C.EQUIPMENT, C.GUARANTEE], [], "智能化改造项目企业"),
    ("bank_guarantee", "政策性融资担保", ProductKind.GUARANTEE, (50, 1000), (6, 36), (400, 600),
     [P.WORKING_CAPITAL, P.EQUIPMENT, P.ORDERS], [C.GUARANTEE, C.NONE], ["small", "micro", "medium"],
     "担保费率不高于1%，支农支小"),
    ("bank_guarantee", "转贷资金过桥", ProductKind.BRIDGE, (50, 3000), (1, 1), (0, 10),
     [P.TURNOVER], [C.NONE, C.GUARANTEE, C.PROPERTY], [], "银行已同意续贷、贷款即将到期的企业"),
]

# Seed 002: 15 built (2013.9 mu), 8 under construction (1231.6 mu, 193万 m²), 5 planned (~370 mu).
PARKS = [
    # code, name, town, stage, land mu, floor m², enterprises, occupancy %, reference park code
    ("zhangqi_wanyang", "掌起万洋众创城", "zhangqi", "built", "105.0", 230000, 142, 96, "zhangqi_wanyang"),
    ("zhouxiang_micro", "周巷小家电小微企业园", "zhouxiang", "built", "168.5", 196000, 97, 93, "zhouxiang_micro"),
    ("henghe_micro", "横河轴承小微企业园", "henghe", "built", "142.0", 151000, 81, 90, "henghe_micro"),
    ("longshan_micro", "龙山五金小微企业园", "longshan", "built", "156.3", 162000, 76, 88, "longshan_micro"),
    ("guanhaiwei_micro", "观海卫智能家电小微企业园", "guanhaiwei", "built", "181.2", 205000, 88, 91,
     "guanhaiwei_micro"),
    ("xinpu_micro", "新浦小微企业园", "xinpu", "built", "98.4", 104000, 52, 85, "xinpu_micro"),
    ("xiaolin_micro", "逍林电器小微企业园", "xiaolin", "built", "126.7", 138000, 63, 89, None),
    ("changhe_micro", "长河五金小微企业园", "changhe", "built", "118.9", 121000, 58, 87, None),
    ("fuhai_micro", "附海电器小微企业园", "fuhai", "built", "132.6", 140000, 66, 92, None),
    ("qiaotou_micro", "桥头模具小微企业园", "qiaotou", "built", "109.8", 112000, 54, 84, None),
    ("kuangyan_micro", "匡堰小微企业园", "kuangyan", "built", "87.5", 90000, 41, 80, None),
    ("shengshan_micro", "胜山汽配小微企业园", "shengshan", "built", "121.4", 128000, 60, 86, None),
    ("chongshou_micro", "崇寿小微企业园", "chongshou", "built", "96.2", 98000, 44, 82, None),
    ("andong_micro", "庵东滨海小微企业园", "andong", "built", "173.8", 188000, 79, 88, None),
    ("zhouxiang_micro2", "周巷智能家电产业园二期", "zhouxiang", "built", "195.6", 210000, 92, 90, None),
    ("longshan_b", "龙山滨海智造园", "longshan", "building", "176.4", 276000, 0, 0, None),
    ("guanhaiwei_b", "观海卫小家电创业园", "guanhaiwei", "building", "152.8", 241000, 0, 0, None),
    ("henghe_b", "横河精密制造小微园", "henghe", "building", "138.5", 216000, 0, 0, None),
    ("xiaolin_b", "逍林智能装备小微园", "xiaolin", "building", "161.2", 252000, 0, 0, None),
    ("zhangqi_b", "掌起新材料小微园", "zhangqi", "building", "149.7", 235000, 0, 0, None),
    ("fuhai_b", "附海汽配小微园", "fuhai", "building", "143.6", 226000, 0, 0, None),
    ("kandun_b", "坎墩小微企业园", "kandun", "building", "157.9", 247000, 0, 0, None),
    ("xinpu_b", "新浦生命健康小微园", "xinpu", "building", "151.5", 237000, 0, 0, None),
    ("qiaotou_p", "桥头小微企业园（谋划）", "qiaotou", "planned", "72.0", 110000, 0, 0, None),
    ("changhe_p", "长河小微企业园（谋划）", "changhe", "planned", "68.5", 105000, 0, 0, None),
    ("shengshan_p", "胜山小微企业园（谋划）", "shengshan", "planned", "81.0", 124000, 0, 0, None),
    ("chongshou_p", "崇寿小微企业园（谋划）", "chongshou", "planned", "75.5", 115000, 0, 0, None),
    ("andong_p", "庵东小微企业园（谋划）", "andong", "planned", "73.0", 112000, 0, 0, None),
]

FINANCE_DAY_MONTHS_2020 = (1, 5, 6, 7, 8, 9, 10, 11, 12)  # none in February–April (epidemic)
GRANTED_2020_WAN = (200, 150, 180, 100, 120, 180)  # 930万 in all
NEEDS_2020 = 118  # one per enterprise; needs 21,350万 in all
INTENTIONS_2020 = 98  # with the six granted: 104 enterprises reached an intention


def seed_markets(seed: int = 2026) -> dict[str, int]:
    """Create the demo markets; return the row counts."""
    with transaction.atomic(), acting_as(None):
        products = _seed_products()
        _seed_parks()
        if not MarketEvent.objects.exists():
            enterprises = list(Enterprise.objects.order_by("id")[:400])
            rng = random.Random(seed)
            if enterprises:
                _seed_2020_financing(rng, enterprises, products)
                _seed_current(rng, enterprises)
            _seed_coming_days()
    for market in ("finance", "space", "talent"):
        actions.full_rematch(market)
    return {"products": FinancialProduct.objects.count(), "parks": MicroPark.objects.count(),
            "needs": FinancingNeed.objects.count(), "finance days": MarketEvent.objects.count(),
            "space listings": SpaceListing.objects.count(), "talent projects": TalentProject.objects.count()}


def _seed_products() -> list[FinancialProduct]:
    banks = {o.code: o for o in Organisation.objects.filter(kind=Organisation.Kind.BANK)}
    if "bank_cxrcb" not in banks:  # the reference seed normally has it
        banks["bank_cxrcb"] = Organisation.objects.create(code="bank_cxrcb", name_zh="慈溪农村商业银行",
                                                          name_en="Cixi Rural Commercial Bank",
                                                          kind=Organisation.Kind.BANK)
    products = []
    for code, name, kind, (low, high), (t_low, t_high), (r_low, r_high), purposes, collateral, sizes, who in PRODUCTS:
        if code not in banks:
            continue
        product, _created = FinancialProduct.objects.update_or_create(organisation=banks[code], name=name, defaults={
            "kind": kind, "min_amount_fen": low * WAN, "max_amount_fen": high * WAN, "min_term_months": t_low,
            "max_term_months": t_high, "min_rate_bp": r_low, "max_rate_bp": r_high, "purposes": list(purposes),
            "collateral": list(collateral), "sizes": sizes, "qualifies": who})
        products.append(product)
    return products


def _seed_parks() -> None:
    towns = {t.code: t for t in Town.objects.all()}
    parks = {p.code: p for p in Park.objects.all()}
    for code, name, town, stage, land, floor, enterprises, occupancy, ref in PARKS:
        if town not in towns:
            continue
        MicroPark.objects.update_or_create(code=code, defaults={
            "name": name, "town": towns[town], "stage": stage, "land_area_mu": Decimal(land),
            "floor_area_m2": floor, "enterprises": enterprises, "occupancy_pct": occupancy,
            "park": parks.get(ref) if ref else None})


def _amounts_2020(rng: random.Random) -> list[int]:
    """118 amounts in 万 adding up to 21,350 (seed 004: over 2.1亿)."""
    amounts = [rng.choice((50, 80, 100, 120, 150, 180, 200, 250, 300)) for _ in range(NEEDS_2020)]
    amounts[: len(GRANTED_2020_WAN)] = [a + 50 for a in GRANTED_2020_WAN]
    amounts[-1] += 21_350 - sum(amounts)
    return amounts


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _seed_2020_financing(rng, enterprises, products) -> None:
    days = [MarketEvent.objects.create(kind=MarketEvent.Kind.FINANCE_DAY, title=f"2020年{m}月融资对接会",
                                       held_on=dt.date(2020, m, 9), place="8718慈溪平台服务大厅", is_held=True)
            for m in FINANCE_DAY_MONTHS_2020]
    credit = [p for p in products if p.kind in (ProductKind.CREDIT, ProductKind.TAX_CREDIT, ProductKind.GUARANTEE)]
    for i, amount in enumerate(_amounts_2020(rng)):
        enterprise, day = enterprises[i % len(enterprises)], days[i % len(days)]
        product = credit[i % len(credit)]
        if i < len(GRANTED_2020_WAN):
            status, granted, intended = NeedStatus.GRANTED, GRANTED_2020_WAN[i] * WAN, GRANTED_2020_WAN[i] * WAN
        elif i < len(GRANTED_2020_WAN) + INTENTIONS_2020:
            status, granted, intended = NeedStatus.INTENTION, None, amount * WAN * 8 // 10
        else:
            status, granted, intended = rng.choice((NeedStatus.DECLINED, NeedStatus.IN_TALKS)), None, None
        need = FinancingNeed.objects.create(
            number=f"RZ2020{i + 1:07d}", enterprise=enterprise, amount_fen=amount * WAN, term_months=12,
            purpose=rng.choice((P.WORKING_CAPITAL, P.ORDERS, P.EQUIPMENT)), collateral=C.NONE,
            urgency=Urgency.SOON, contact_name="财务负责人", contact_phone=f"1390574{i:04d}", status=status,
            bank=product.organisation, product=product, intended_amount_fen=intended, granted_amount_fen=granted,
            finance_day=day, expires_on=day.held_on + dt.timedelta(days=90))
        FinancingNeed.objects.filter(pk=need.pk).update(created_at=_at(day.held_on - dt.timedelta(days=5)))
        NeedEvent.objects.create(need=need, kind="need_posted", to_status=NeedStatus.POSTED)
        NeedEvent.objects.create(need=need, kind=f"need_{_event_of(status)}", from_status=NeedStatus.IN_TALKS,
                                 to_status=status)
        Registration.objects.get_or_create(event=day, enterprise=enterprise,
                                           defaults={"attended": True, "outcome": str(NeedStatus(status).label)})


def _event_of(status: str) -> str:
    return {"intention": "intention", "granted": "granted", "declined": "declined", "in_talks": "responded"}[status]


def _seed_current(rng, enterprises) -> None:
    """Needs of this year still open, space listings and the talent library."""
    from accounts.demo_users import demo_enterprise

    mine = demo_enterprise()
    current = ([mine] if mine else []) + enterprises[200:240]
    for i, enterprise in enumerate(current):
        amount = 200 if i == 0 else rng.choice((30, 60, 100, 150, 200, 300, 500, 800))
        collateral = C.NONE if i == 0 else rng.choice((C.NONE, C.NONE, C.TAX_RECORD, C.PROPERTY, C.GUARANTEE))
        actions.do_post_need(
            acting_user=None, enterprise=enterprise, amount_fen=amount * WAN, term_months=rng.choice((6, 12, 24, 36)),
            purpose=P.WORKING_CAPITAL if i == 0 else rng.choice(P.values), collateral=collateral,
            urgency=rng.choice(Urgency.values), contact_name="财务负责人", contact_phone=f"1380574{i:04d}")
    _seed_space(rng, enterprises[240:300])
    _seed_talent(rng, enterprises[300:320])


def _seed_space(rng, enterprises) -> None:
    towns = list(Town.objects.filter(code__in=[p[2] for p in PARKS]))
    parks = {p.town_id: p for p in Park.objects.filter(kind=Park.Kind.MICRO_PARK)}
    for i, enterprise in enumerate(enterprises[:52]):
        supply = i < 22
        town = enterprise.town if supply or i % 3 else None
        area = rng.choice((500, 800, 1200, 1500, 2000, 3000, 5000))
        price = rng.choice((1200, 1500, 1800, 2200))  # fen per m² per month
        fields = dict(
            side="supply" if supply else "demand", deal="rent" if i % 5 else "sale", enterprise=enterprise,
            title=("标准厂房出租" if i % 5 else "厂房出售") if supply else ("求租厂房" if i % 5 else "求购厂房"),
            town=town, park=parks.get(town.pk) if supply and town else None,
            area_min_m2=area if supply else area // 2, area_max_m2=area, floor_min=1, floor_max=1 if supply else 3,
            height_m=Decimal(rng.choice(("6.0", "7.5", "8.0", "9.0"))) if supply else Decimal("6.0"),
            load_kg_m2=rng.choice((800, 1000, 1500)), power_kva=rng.choice((200, 315, 630)),
            price_min_fen=price if supply else None, price_max_fen=price if supply else 2000,
            use="小家电装配" if i % 2 else "五金机加工", contact_name="厂长", contact_phone=f"1370574{i:04d}")
        if town is None and towns and supply:
            fields["town"] = towns[0]
        listing = actions.do_post_space(acting_user=None, **fields)
        if supply and i < 5:
            actions.do_set_space_status(listing, acting_user=None, status="in_talks")


TALENT = [
    ("高精度谐波减速器研发及产业化", "smart_equipment", Stage.PILOT, 800),
    ("家电用石墨烯导热膜", "new_materials", Stage.PROTOTYPE, 500),
    ("智能马桶盖节能加热模块", "home_appliances", Stage.MARKET, 300),
    ("医用可降解缝合材料", "life_health", Stage.PILOT, 1200),
    ("新能源汽车电机轴承", "auto_parts", Stage.PROTOTYPE, 1000),
    ("工业视觉缺陷检测系统", "smart_equipment", Stage.MARKET, 600),
    ("低噪声小家电无刷电机", "home_appliances", Stage.PILOT, 400),
    ("高强度轻量化汽车紧固件", "auto_parts", Stage.IDEA, 200),
]


def _seed_talent(rng, enterprises) -> None:
    groups = {g.code: g for g in IndustryGroup.objects.all()}
    leaders = ("李博士", "王教授", "陈博士", "张研究员", "刘博士", "周教授", "吴博士", "赵博士")
    for (title, group, stage, funding), leader in zip(TALENT, leaders, strict=False):
        if group in groups:
            actions.do_post_project(acting_user=None, title=title, leader=leader, industry=groups[group], stage=stage,
                                    funding_fen=funding * WAN, contact_phone="13600000000",
                                    summary="上林英才计划申报项目")
    codes = list(groups)
    for i, enterprise in enumerate(enterprises[:10]):
        actions.do_save_investor(acting_user=None, enterprise=enterprise, industries=rng.sample(codes, 2),
                                 stages=[], min_amount_fen=100 * WAN,
                                 max_amount_fen=rng.choice((500, 1000, 2000)) * WAN,
                                 contact_name="投资负责人", contact_phone=f"1350574{i:04d}")
    today = timezone.localdate()
    MarketEvent.objects.create(kind=MarketEvent.Kind.ROADSHOW, title="上林英才项目路演（智能装备专场）",
                               held_on=today + dt.timedelta(days=20), place="慈溪智慧谷")


def _seed_coming_days() -> None:
    """The next two financing days (the 9th of the coming months), open for sign-up."""
    today = timezone.localdate()
    first = today.replace(day=9) if today.day < 9 else (today.replace(day=1) + dt.timedelta(days=32)).replace(day=9)
    second = (first.replace(day=1) + dt.timedelta(days=32)).replace(day=9)
    for day in (first, second):
        MarketEvent.objects.get_or_create(kind=MarketEvent.Kind.FINANCE_DAY, held_on=day,
                                          defaults={"title": f"{day.year}年{day.month}月融资对接会",
                                                    "place": "8718慈溪平台服务大厅"})
