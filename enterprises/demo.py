"""Deterministic demo data that looks like Cixi's enterprise registry (演示数据).

``generate(25_000, seed=2026)`` creates enterprises over the 19 towns, weighted by
each town's block industries (周巷 small appliances, 龙山 non-stick pans, 横河
bearings, 庵东 new materials …), with valid unified social credit codes, tags that
agree with the figures, yearly figures with skewed (lognormal) distributions and
year-over-year growth, contacts, and tech-upgrade projects.  Among the projects is
the seed-000 situation: 73 completed Cixi tech-upgrade projects in the latest year
whose P1 reward adds up to about 3,300万 against a 2,700万 budget.

Everything derives from one ``random.Random(seed)``: the same seed and arguments
give the same rows (only created_at/updated_at differ).  Rows are written with
bulk_create, so there are no operation-log entries: demo data is not an operation.
Money is integer fen (1万元 = 1,000,000 fen), as everywhere in the registry.
"""

from __future__ import annotations

import functools
import heapq
import itertools
import math
import random
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from auditlog.context import disable_auditlog
from django.db import transaction
from stdnum.cn import uscc

from reference.models import EnterpriseTag, IndustryGroup, Park, Town
from reference.seeding import load_yaml

from .models import Contact, Enterprise, Project, YearFigures
from .search import initials_of
from .sizes import size_class_for

WAN = 1_000_000  # fen in 1万元
DEFAULT_YEARS = (2023, 2024, 2025)
BATCH_SIZE = 2000

# --- Product lines: what a town makes, how it is classified and named.


@dataclass(frozen=True)
class Line:
    """A product line: GB/T 4754 classes, its "3+3" IndustryGroup code and name words.

    ``revenue`` is the median latest-year revenue in 万元 of its firms and ``tech``
    how likely (relative) they are to carry the technology tags.
    """

    group: str | None
    classes: tuple[str, ...]
    words: tuple[str, ...]
    products: tuple[str, ...]
    revenue: float
    tech: float
    productivity: float = 30  # median revenue per employee, 万元

    @property
    def is_manufacturing(self) -> bool:
        return self.classes[0].startswith("C")


# fmt: off
LINES: dict[str, Line] = {
    "appliances": Line(
        "home_appliances", ("C3854", "C3855", "C3856", "C3853", "C3857", "C3859"),
        ("电器", "电器科技", "家用电器", "小家电", "电子电器"),
        ("电暖器", "吸尘器", "电风扇", "咖啡机", "空气净化器", "加湿器", "电吹风", "破壁料理机"), 330, 1.5),
    "kitchenware": Line(
        "other_manufacturing", ("C3381", "C3382"), ("厨具", "炊具", "不粘锅", "厨房用品"),
        ("不粘锅", "压力锅", "炒锅", "汤锅"), 290, 0.6),
    "bearings": Line(
        "basic_parts", ("C3451", "C3452", "C3459"), ("轴承", "精密轴承", "轴承制造"),
        ("深沟球轴承", "圆锥滚子轴承", "微型轴承", "轴承套圈"), 310, 1.2),
    "parts": Line(
        "basic_parts", ("C3443", "C3484", "C3481", "C3453"), ("阀门", "机械", "密封件", "精密机械", "齿轮"),
        ("阀门", "精密零部件", "密封件", "齿轮箱"), 270, 1.2),
    "hardware": Line(
        "other_manufacturing", ("C3351", "C3389", "C3360"), ("五金", "金属制品", "五金制品"),
        ("五金件", "金属配件", "紧固件"), 200, 0.4),
    "auto_parts": Line(
        "auto_parts", ("C3670",), ("汽车部件", "汽车零部件", "汽配", "汽车配件"),
        ("汽车座椅调角器", "汽车空调管路", "制动总成", "雨刮器"), 390, 1.5),
    "new_materials": Line(
        "new_materials", ("C2651", "C2653", "C3985", "C2652"), ("新材料", "高分子材料", "材料科技"),
        ("改性塑料", "光学膜", "电子专用材料", "高分子复合材料"), 410, 3.0),
    "plastics": Line(
        "other_manufacturing", ("C2929", "C2927"), ("塑业", "塑料制品", "塑胶"), ("注塑件", "塑料制品"), 230, 0.3),
    "smart_equipment": Line(
        "smart_equipment", ("C3491", "C3421", "C3499"), ("智能装备", "自动化设备", "智能科技", "机器人"),
        ("工业机器人", "数控机床", "自动化生产线", "智能检测设备"), 310, 3.0),
    "electronics": Line(
        "other_manufacturing", ("C3823", "C3831", "C3899", "C3989"), ("电子", "电气", "电子科技", "电器"),
        ("开关插座", "电子元件", "电线电缆", "电源适配器"), 290, 2.5),
    "textiles": Line(
        "other_manufacturing", ("C1713", "C1761", "C1830", "C1811"), ("纺织", "针织", "服饰", "化纤"),
        ("针织面料", "化纤布", "毛衫", "纺织品"), 260, 0.3),
    "straw": Line(
        "other_manufacturing", ("C2049",), ("草制品", "工艺品", "草编"), ("草帽", "草编工艺品"), 120, 0.1),
    "food": Line("other_manufacturing", ("C1371", "C1469"), ("食品",), ("脱水蔬菜", "调味品"), 180, 0.2),
    "life_health": Line(
        "life_health", ("C2770", "C3586", "C3589", "C2740"), ("医疗器械", "生物科技", "健康科技", "医疗用品"),
        ("医用敷料", "康复器械", "体外诊断试剂"), 280, 3.0),
    "trade": Line(None, ("F5138", "F5135", "F5292"), ("贸易", "进出口", "商贸"), (), 250, 0.1, 150),
    "logistics": Line(None, ("G5431", "G5437", "L7224"), ("物流", "供应链管理", "货运"), (), 160, 0.1),
    "software": Line(None, ("I6513",), ("信息技术", "网络科技", "软件"), (), 90, 2.5, 25),
    "consulting": Line(None, ("L7243", "M7452"), ("企业管理咨询", "检测技术", "商务咨询"), (), 60, 0.5, 20),
    "pharma_trade": Line("life_health", ("F5151", "F5154"), ("医药", "医疗器械"), (), 220, 0.2, 120),
}

# Registered enterprises per town (relative), then each town's product-line mix:
# a city-wide base plus the town's block industries (块状经济) named in the seeds.
TOWN_WEIGHTS = {
    "hushan": 1500, "baishalu": 1700, "gutang": 1500, "kandun": 1500, "zonghan": 1700, "zhouxiang": 2900,
    "henghe": 1500, "longshan": 1300, "guanhaiwei": 2600, "xiaolin": 900, "zhangqi": 1100, "changhe": 1000,
    "fuhai": 900, "xinpu": 1000, "qiaotou": 700, "kuangyan": 500, "shengshan": 800, "chongshou": 600,
    "andong": 1900,
}
BASE_MIX = {
    "appliances": 12, "kitchenware": 2, "bearings": 3, "parts": 7, "hardware": 8, "auto_parts": 7,
    "new_materials": 3, "plastics": 8, "smart_equipment": 5, "electronics": 7, "textiles": 7, "straw": 1,
    "food": 2, "life_health": 2, "trade": 12, "logistics": 5, "software": 3, "consulting": 4, "pharma_trade": 2,
}
TOWN_SPECIALTIES = {
    "zhouxiang": {"appliances": 60, "electronics": 10},
    "longshan": {"kitchenware": 40, "hardware": 15, "parts": 8},
    "henghe": {"bearings": 55, "parts": 10},
    "guanhaiwei": {"appliances": 40, "electronics": 12, "plastics": 5},
    "fuhai": {"appliances": 35, "electronics": 10},
    "xinpu": {"appliances": 30, "hardware": 8},
    "zonghan": {"textiles": 25, "auto_parts": 22},
    "kandun": {"textiles": 20, "auto_parts": 25},
    "andong": {"new_materials": 25, "auto_parts": 20, "smart_equipment": 25},
    "changhe": {"straw": 20, "textiles": 22},
    "zhangqi": {"appliances": 25, "electronics": 25},
    "hushan": {"trade": 35, "software": 12, "consulting": 15, "logistics": 8, "life_health": 8, "pharma_trade": 8},
    "baishalu": {"trade": 30, "software": 15, "consulting": 15, "life_health": 14, "smart_equipment": 8,
                 "pharma_trade": 6},
    "gutang": {"trade": 30, "logistics": 12, "consulting": 10, "life_health": 10, "pharma_trade": 6},
    "xiaolin": {"hardware": 15, "auto_parts": 10, "parts": 8},
    "qiaotou": {"plastics": 15, "appliances": 12},
    "kuangyan": {"food": 15, "plastics": 5},
    "shengshan": {"food": 8, "parts": 10, "hardware": 8},
    "chongshou": {"food": 8, "plastics": 8, "textiles": 6},
}
# fmt: on
DEFAULT_TOWN_WEIGHT = 800  # a town added to the taxonomy later still gets firms
REVENUE_SCALE = 1.3  # calibrates the medians so that ~9% reach 2000万 (规上)

# --- Names, people, places.

BRAND_CHARS = tuple(
    dict.fromkeys(
        "宏达华盛鑫隆兴泰恒嘉瑞祥丰源新海润昌博浩锦诚信宇天佳合福金利永安美康顺通力凯远腾飞星光明辉东方德正中伟"
        "创科银峰振旭升欣亿广富益豪卓越帆晨俊雅乐捷迪特威普奥联众环球亚欧杰意舒宝赛诺迈雷亨骏"
    )
)
SURNAMES = "陈王胡孙徐沈叶周罗张李杨施岑马黄吴俞钱戚蒋朱刘郑许潘余韩应龚严"
GIVEN_CHARS = "建国伟军华明海燕丽娟红英芳平勇杰涛波斌峰磊静敏霞强志刚文辉晓东林玲洁超颖佳宇浩鑫"
TITLES = ("总经理", "董事长", "财务经理", "办公室主任", "行政主管", "生产副总", "技术总监")
MOBILE_PREFIXES = "138 139 137 135 136 158 159 188 187 177 133 153 180 186 150 151 152 189".split()
ROADS = ("兴业路", "开发路", "环城北路", "新兴大道", "创业路", "建设路", "发展大道", "科技路", "振兴路", "工业园路")
REGION = "91330282"  # 9 = registered by market supervision, 1 = company, 330282 = 慈溪市


@dataclass
class Profile:
    """One enterprise as generated, before it becomes rows."""

    town: str
    line: Line
    industry_code: str
    established: date
    revenue_wan: float  # latest-year revenue: the anchor every figure derives from
    reports: bool  # files yearly figures at all (a few new or dormant firms do not)
    name: str = ""
    credit_code: str = ""
    park: str | None = None
    traits: set[str] = field(default_factory=set)  # tags chosen before the figures
    tags: set[str] = field(default_factory=set)
    figures: dict[int, dict] = field(default_factory=dict)
    contacts: list[dict] = field(default_factory=list)
    legal_representative: str = ""
    address: str = ""


@dataclass
class Plan:
    """Everything to write: the profiles, their projects and what was calibrated."""

    profiles: list[Profile]
    projects: list[tuple[Profile, dict]] = field(default_factory=list)
    p1_projects: int = 0
    p1_reward_fen: int = 0


# --- The entry point.


def generate(
    n_enterprises: int = 25_000,
    seed: int = 2026,
    years: Iterable[int] = DEFAULT_YEARS,
    *,
    contacts: bool = True,
    projects: bool = True,
) -> dict[str, int | float]:
    """Create ``n_enterprises`` demo enterprises with their rows; return counts and seconds.

    Reference data must exist (``reference.seeding.seed_reference``).  Existing
    enterprises are left alone; names and codes of the new ones are unique among
    themselves, so call it on an empty registry (``seed_demo --reset``).
    """
    started = time.perf_counter()
    plan = build_plan(n_enterprises, seed, sorted(set(years)), contacts=contacts, projects=projects)
    planned = time.perf_counter()
    counts = write_plan(plan, sorted(set(years)))
    counts.update(p1_projects=plan.p1_projects, p1_reward_fen=plan.p1_reward_fen)
    counts.update(plan_seconds=round(planned - started, 2), seconds=round(time.perf_counter() - started, 2))
    return counts


def build_plan(n: int, seed: int, years: list[int], *, contacts: bool = True, projects: bool = True) -> Plan:
    """All the data in memory, drawn from ``random.Random(seed)`` in a fixed order."""
    rng, geo, latest = random.Random(seed), Geography.load(), years[-1]
    profiles = [_profile(rng, geo, latest) for _ in range(n)]
    _assign_traits(rng, profiles, latest)
    _name_all(rng, profiles, geo)
    for profile in profiles:
        profile.figures = _figures(rng, profile, years)
    _assign_figure_tags(profiles, latest)
    for profile in profiles:
        _place(rng, profile, geo)
        _add_people(rng, profile, contacts)
    plan = Plan(profiles)
    if projects:
        _plan_projects(rng, plan, years)
    return plan


# --- Profiles: town, line, age and size.


@dataclass(frozen=True)
class Geography:
    """Towns, their product-line mixes and parks, from the shipped YAML.

    The YAML, not the database, because administrators may rename rows and the
    same seed must keep giving the same data.  Weights are cumulative, ready for
    ``random.choices``.
    """

    towns: tuple[str, ...]
    town_weights: tuple[float, ...]
    town_names: dict[str, str]
    lines: dict[str, tuple[tuple[Line, ...], tuple[float, ...]]]
    parks: dict[str, list[tuple[str, str]]]

    @classmethod
    def load(cls) -> Geography:
        towns = {code: item["zh"] for code, item in load_yaml("taxonomy.yaml")["towns"].items()}
        parks: dict[str, list[tuple[str, str]]] = {}
        for code, item in load_yaml("cixi.yaml")["parks"].items():
            parks.setdefault(item["town"], []).append((code, item["kind"]))
        return cls(
            towns=tuple(towns),
            town_weights=tuple(itertools.accumulate(TOWN_WEIGHTS.get(t, DEFAULT_TOWN_WEIGHT) for t in towns)),
            town_names=towns,
            lines={town: _line_mix(town) for town in towns},
            parks=parks,
        )


def _line_mix(town: str) -> tuple[tuple[Line, ...], tuple[float, ...]]:
    mix = dict(BASE_MIX)
    for code, extra in TOWN_SPECIALTIES.get(town, {}).items():
        mix[code] += extra
    return tuple(LINES[code] for code in mix), tuple(itertools.accumulate(mix.values()))


def _profile(rng: random.Random, geo: Geography, latest: int) -> Profile:
    """Town, product line, founding date and latest revenue of one enterprise."""
    town = rng.choices(geo.towns, cum_weights=geo.town_weights)[0]
    lines, weights = geo.lines[town]
    line = rng.choices(lines, cum_weights=weights)[0]
    age = min(int(rng.expovariate(1 / 11)), latest - 1984)
    return Profile(
        town=town,
        line=line,
        industry_code=rng.choice(line.classes),
        established=date(latest - age, rng.randint(1, 12), rng.randint(1, 28)),
        revenue_wan=_latest_revenue(rng, line, age),
        reports=rng.random() >= 0.02,
    )


def _latest_revenue(rng: random.Random, line: Line, age: int) -> float:
    """Lognormal around the line's median; young firms are small, a few leaders huge."""
    revenue = line.revenue * REVENUE_SCALE * math.exp(rng.gauss(0, 1.45))
    if age < 3:
        revenue *= 0.35
    if rng.random() < 0.004:  # the long tail: Cixi's 10亿-and-more leaders
        revenue *= rng.uniform(10, 60)
    return max(revenue, 5.0)


# --- Tags chosen from the profile (before the figures, which they shape).


def pick_weighted(rng: random.Random, items: Sequence, weight: Callable[[object], float], k: int) -> list:
    """``k`` items drawn without replacement with probability proportional to weight.

    Efraimidis–Spirakis keys (u ** (1/w)): one pass, deterministic for the rng.
    Items of weight 0 are never drawn; fewer than ``k`` come back if too few qualify.
    """
    keyed = []
    for index, item in enumerate(items):
        w = weight(item)
        if w > 0:
            keyed.append((rng.random() ** (1.0 / w), index))
    return [items[index] for _key, index in heapq.nlargest(k, keyed)]


def _quota(rate: float, n: int) -> int:
    return round(rate * n)


def _fixed_quota(count: int, n: int) -> int:
    """A named list (top 100, 30 listed firms) keeps its size unless the registry is tiny."""
    return min(count, max(1, n // 20))


def _assign_traits(rng: random.Random, profiles: list[Profile], latest: int) -> None:
    """Tags that describe the firm rather than one year's figures."""
    reporting = [p for p in profiles if p.reports]
    by_size = sorted(reporting, key=lambda p: -p.revenue_wan)
    rank = {id(p): i for i, p in enumerate(by_size)}
    n = len(profiles)
    # fmt: off
    choices = (
        ("listed", _fixed_quota(30, n), by_size[:300],
         lambda p: (3 if p.line.is_manufacturing else 1) / (rank[id(p)] + 30)),
        ("pre_listing", _fixed_quota(40, n), by_size[20:1000],
         lambda p: 0 if "listed" in p.traits else 1 / (rank[id(p)] + 100)),
        ("high_tech", _quota(0.04, n), reporting, lambda p: p.line.tech * min(p.revenue_wan, 20_000) ** 0.5),
        ("tech_sme", _quota(0.08, n), reporting, lambda p: p.line.tech * (p.revenue_wan < 20_000)),
        ("specialised", _quota(0.015, n), reporting,
         lambda p: p.line.tech * p.line.is_manufacturing * (1_000 <= p.revenue_wan <= 40_000)),
        ("startup", _quota(0.03, n), reporting, lambda p: (p.line.tech + 0.2) * (p.established.year >= latest - 2)),
    )
    # fmt: on
    for code, k, candidates, weight in choices:
        for profile in pick_weighted(rng, candidates, weight, k):
            profile.traits.add(code)
            profile.tags.add(code)


# --- Names and credit codes.


def _name_all(rng: random.Random, profiles: list[Profile], geo: Geography) -> None:
    """Unique names and unique valid credit codes, in profile order."""
    towns = geo.town_names
    names: set[str] = set()
    codes: set[str] = set()
    for profile in profiles:
        profile.name = _unique(names, functools.partial(_name, rng, profile, towns))
        profile.credit_code = _unique(codes, functools.partial(credit_code, rng, profile.established.year))


def _unique(taken: set[str], make: Callable[[], str]) -> str:
    while (value := make()) in taken:
        pass
    taken.add(value)
    return value


def _name(rng: random.Random, profile: Profile, towns: dict[str, str]) -> str:
    """慈溪市 / 宁波 (sometimes with the town) + 2-character brand + product word + form."""
    brand = "".join(rng.sample(BRAND_CHARS, 2))
    if rng.random() < 0.02:  # keeps names unique when a huge registry exhausts the pairs
        brand += rng.choice(BRAND_CHARS)
    roll = rng.random()
    if roll < 0.25:
        prefix = "宁波"
    elif roll < 0.37:
        prefix = "慈溪市" + _short_town(towns[profile.town])
    else:
        prefix = "慈溪市"
    return prefix + brand + rng.choice(profile.line.words) + _legal_form(rng, profile)


def _short_town(name: str) -> str:
    """周巷镇 → 周巷, 白沙路街道 → 白沙路, as firms put their town in their names."""
    return name.removesuffix("街道").removesuffix("镇")


def _legal_form(rng: random.Random, profile: Profile) -> str:
    if profile.traits & {"listed", "pre_listing"} or (profile.revenue_wan >= 50_000 and rng.random() < 0.5):
        return "股份有限公司"
    if profile.line.is_manufacturing and profile.revenue_wan < 500 and rng.random() < 0.15:
        return "厂"
    return "有限公司"


USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def organisation_check_digit(body: str) -> str:
    """Check character of an 8-character organisation code (GB 11714)."""
    total = sum(int(ch, 36) * w for ch, w in zip(body, _ORG_WEIGHTS, strict=True))
    digit = 11 - total % 11
    return "X" if digit == 10 else "0" if digit == 11 else str(digit)


def credit_code(rng: random.Random, established_year: int) -> str:
    """A valid Cixi unified social credit code.

    Firms registered before 2016 carry their old 8-digit organisation code; newer
    ones the ``MA`` codes issued since.  Both organisation-code and USCC check
    characters are real, so the code passes ``stdnum.cn.uscc.validate``.
    """
    if established_year < 2016:
        body = rng.choice("1234567") + "".join(rng.choices("0123456789", k=7))
    else:
        body = "MA2" + "".join(rng.choices(USCC_ALPHABET[:-1], k=5))  # any USCC character but Y
    first17 = REGION + body + organisation_check_digit(body)
    return first17 + uscc.calc_check_digit(first17)


# --- Yearly figures.


@dataclass(frozen=True)
class Constants:
    """Per-firm ratios that stay put from year to year."""

    tax_rate: float
    value_added_rate: float | None
    rd_rate: float
    land_mu: Decimal
    energy_per_wan: float
    emission_per_tce: float | None
    revenue_per_employee_wan: float
    loan_ratio: float
    leasing_wan: float
    tech_service_wan: float


def _constants(rng: random.Random, p: Profile) -> Constants:
    manufacturing = p.line.is_manufacturing
    return Constants(
        tax_rate=rng.uniform(0.02, 0.06),
        value_added_rate=rng.uniform(0.18, 0.28) if manufacturing else None,
        rd_rate=_rd_rate(rng, p),
        land_mu=_land_mu(rng, p),
        energy_per_wan=rng.lognormvariate(math.log(0.03 if manufacturing else 0.004), 0.7),
        emission_per_tce=rng.lognormvariate(math.log(0.02), 0.8) if manufacturing else None,
        revenue_per_employee_wan=_productivity(rng, p),
        loan_ratio=rng.uniform(0.05, 0.35) if rng.random() < (0.45 if p.revenue_wan >= 1000 else 0.2) else 0.0,
        leasing_wan=_leasing_wan(rng, p),
        tech_service_wan=_tech_service_wan(rng, p),
    )


def _rd_rate(rng: random.Random, p: Profile) -> float:
    """Share of revenue spent on R&D: 3–6% for high-tech firms, often none for the rest."""
    if "high_tech" in p.traits:
        return rng.uniform(0.03, 0.06)
    if p.traits & {"specialised", "tech_sme"}:
        return rng.uniform(0.02, 0.05)
    return 0.0 if rng.random() < 0.5 else rng.uniform(0.002, 0.03)


def _land_mu(rng: random.Random, p: Profile) -> Decimal:
    """0 for the ~30% who rent, otherwise 2–200 mu roughly in line with revenue."""
    if rng.random() < 0.3 or not p.line.is_manufacturing and rng.random() < 0.6:
        return Decimal("0.00")
    mu = p.revenue_wan / rng.lognormvariate(math.log(250), 0.7)
    return _decimal(min(max(mu, 2.0), 200.0), 2)


def _productivity(rng: random.Random, p: Profile) -> float:
    """Revenue per employee in 万元; bigger firms are more productive."""
    return rng.lognormvariate(math.log(p.line.productivity), 0.4) * max(p.revenue_wan / 1000, 1) ** 0.1


def _leasing_wan(rng: random.Random, p: Profile) -> float:
    if not p.line.is_manufacturing or p.revenue_wan < 1000 or rng.random() >= 0.08:
        return 0.0
    return rng.lognormvariate(math.log(150), 0.8)


def _tech_service_wan(rng: random.Random, p: Profile) -> float:
    share = 0.4 if "tech_sme" in p.traits else 0.3 if "high_tech" in p.traits else 0.03
    return min(rng.lognormvariate(math.log(8), 0.8), 100.0) if rng.random() < share else 0.0


def _figures(rng: random.Random, p: Profile, years: list[int]) -> dict[int, dict]:
    """Figures from the latest year backwards; revenue shrinks by each year's growth."""
    if not p.reports:
        return {}
    k = _constants(rng, p)
    revenue, out = p.revenue_wan, {}
    for year in reversed(years):
        if year < p.established.year:
            break
        out[year] = _one_year(rng, p, k, revenue, latest=year == years[-1])
        revenue /= math.exp(rng.gauss(0.06, 0.15))
    return out


def _one_year(rng: random.Random, p: Profile, k: Constants, revenue: float, *, latest: bool) -> dict:
    """One year's figures.  Real returns have gaps, so some values are None; the
    latest revenue never is, because tags and size are derived from it."""
    tax = revenue * k.tax_rate * rng.uniform(0.85, 1.15)
    employees = max(1, round(p.revenue_wan / k.revenue_per_employee_wan * (revenue / p.revenue_wan) ** 0.5))
    energy = revenue * k.energy_per_wan * rng.uniform(0.9, 1.1)
    return {
        "revenue_fen": _fen(revenue) if latest else _gap(rng, _fen(revenue), 0.02),
        "tax_paid_fen": _gap(rng, _fen(tax), 0.02),
        "value_added_fen": _fen(revenue * k.value_added_rate * rng.uniform(0.95, 1.05)) if k.value_added_rate else None,
        "land_area_mu": _gap(rng, k.land_mu, 0.04),
        "energy_tce": _gap(rng, _decimal(energy, 2), 0.04),
        "emissions_t": _gap(rng, _decimal(energy * k.emission_per_tce, 3), 0.05) if k.emission_per_tce else None,
        "rd_spending_fen": _fen(revenue * k.rd_rate * rng.uniform(0.9, 1.1)),
        "employees": _gap(rng, employees, 0.02),
        "mlt_loan_avg_daily_balance_fen": _gap(rng, _fen(revenue * k.loan_ratio * rng.uniform(0.8, 1.2)), 0.03),
        "leasing_expenditure_fen": _fen(k.leasing_wan * rng.uniform(0.7, 1.3)),
        "leasing_interest_fen": _fen(k.leasing_wan * rng.uniform(0.05, 0.09)),
        "tech_service_spending_fen": _fen(k.tech_service_wan * rng.uniform(0.6, 1.4)),
    }


def _fen(wan: float) -> int:
    """万元 to fen, rounded to whole hundreds of yuan as statistical returns are."""
    return round(wan * 100) * 10_000


def _decimal(value: float, places: int) -> Decimal:
    return Decimal(round(value * 10**places)).scaleb(-places)


def _gap(rng: random.Random, value, missing_rate: float):
    return None if rng.random() < missing_rate else value


def latest_value(profile: Profile, key: str):
    """The value of the most recent year that has it, or None."""
    for year in sorted(profile.figures, reverse=True):
        if profile.figures[year][key] is not None:
            return profile.figures[year][key]
    return None


def _assign_figure_tags(profiles: list[Profile], latest: int) -> None:
    """规上 from revenue >= 2000万; the two top-100 lists by revenue and by tax."""
    for profile in profiles:
        revenue = profile.figures.get(latest, {}).get("revenue_fen")
        if revenue is not None and revenue >= 2_000 * WAN:
            profile.tags.add("above_scale")
    top = _fixed_quota(100, len(profiles))
    for code, key in (("top100", "revenue_fen"), ("top_taxpayer", "tax_paid_fen")):
        ranked = sorted(enumerate(profiles), key=lambda item, key=key: (-(latest_value(item[1], key) or 0), item[0]))
        for _index, profile in ranked[:top]:
            profile.tags.add(code)


def size_class_of(profile: Profile) -> str:
    """As enterprises.actions.refresh_size_class: the latest year with both figures."""
    for year in sorted(profile.figures, reverse=True):
        row = profile.figures[year]
        if row["employees"] is not None and row["revenue_fen"] is not None:
            return size_class_for(row["employees"], row["revenue_fen"])
    return size_class_for(None, None)


# --- Parks, contacts, addresses.


def _place(rng: random.Random, profile: Profile, geo: Geography) -> None:
    """Address, and a park for ~10% of the firms in a town that has one (micro parks
    take makers only)."""
    town = geo.town_names[profile.town]
    profile.address = f"浙江省慈溪市{town}{rng.choice(ROADS)}{rng.randint(1, 999)}号"
    parks = geo.parks.get(profile.town, ())
    fitting = [code for code, kind in parks if kind == "platform" or profile.line.is_manufacturing]
    if fitting and rng.random() < 0.10:
        profile.park = rng.choice(fitting)


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choices(GIVEN_CHARS, k=rng.choice((1, 2, 2))))


def mobile_number(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def _add_people(rng: random.Random, profile: Profile, with_contacts: bool) -> None:
    """Legal representative and (optionally) one or two contacts, the first primary."""
    boss = person_name(rng)
    profile.legal_representative = boss
    if not with_contacts:
        return
    first = {"name": boss if rng.random() < 0.4 else person_name(rng), "title": rng.choice(TITLES)}
    people = [first] if rng.random() < 0.6 else [first, {"name": person_name(rng), "title": rng.choice(TITLES)}]
    for position, person in enumerate(people):
        email = f"{rng.randrange(10**7, 3 * 10**9)}@qq.com" if rng.random() < 0.3 else ""
        profile.contacts.append({**person, "phone": mobile_number(rng), "email": email, "is_primary": position == 0})


# --- Projects: ordinary ones over the years, and the seed-000 batch in the latest.

P1_PROJECTS = 73  # seed 000: "申报待验收慈溪市本级项目73个"
P1_TARGET_FEN = 3_300 * WAN  # "预计奖励资金约3300万元" (the budget was 2,700万)
P1_MIN_EQUIPMENT_FEN = 500 * WAN
P1_RATES = {"A": (8, 400 * WAN), "B": (6, 300 * WAN), "C": (4, 200 * WAN)}  # percent, cap
PROJECT_SHARE = 0.04  # ~1,000 of 25,000 firms have a project on file


def p1_reward(equipment_fen: int, industry_class: str) -> int:
    """Cixi tech-upgrade reward (P1) of a qualifying project, floored to the fen, then capped."""
    percent, cap = P1_RATES[industry_class]
    return min(equipment_fen * percent // 100, cap)


def _industry_class(line: Line) -> str:
    """Strategic emerging lines are class A, the characteristic 3+3 lines B, the rest C."""
    if line.group in ("smart_equipment", "new_materials", "life_health"):
        return "A"
    return "B" if line.group in ("home_appliances", "basic_parts", "auto_parts") else "C"


def _plan_projects(rng: random.Random, plan: Plan, years: list[int]) -> None:
    makers = [p for p in plan.profiles if p.line.is_manufacturing and p.figures and p.revenue_wan >= 500]
    seed000 = pick_weighted(rng, makers, lambda p: (p.revenue_wan >= 2_000) * p.revenue_wan**0.5, P1_PROJECTS)
    _plan_seed000(rng, plan, seed000, years[-1])
    chosen = {id(p) for p in seed000}
    wanted = max(_quota(PROJECT_SHARE, len(plan.profiles)) - len(seed000), 0)
    others = pick_weighted(rng, makers, lambda p: 0 if id(p) in chosen else math.log10(p.revenue_wan), wanted)
    for profile in others:
        for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
            plan.projects.append((profile, _ordinary_project(rng, profile, years)))


def _plan_seed000(rng: random.Random, plan: Plan, firms: list[Profile], year: int) -> None:
    """Completed projects whose P1 rewards add up to the seed's 3,300万 (scaled if fewer)."""
    classes = [_industry_class(p.line) for p in firms]
    excess = [round(rng.lognormvariate(math.log(250 * WAN), 1.0)) for _ in firms]
    target = P1_TARGET_FEN * len(firms) // P1_PROJECTS
    equipment = calibrate_equipment(excess, classes, target)
    for profile, cls, amount in zip(firms, classes, equipment, strict=True):
        plan.projects.append((profile, _seed000_project(rng, profile, cls, amount, year)))
        plan.p1_reward_fen += p1_reward(amount, cls)
    plan.p1_projects = len(firms)


def calibrate_equipment(excess: list[int], classes: list[str], target_fen: int) -> list[int]:
    """Equipment amounts of 500万 + f × excess, with f found by bisection so that the
    P1 rewards add up to just over ``target_fen``.  Amounts are whole hundreds of yuan."""

    def amounts(f: float) -> list[int]:
        return [P1_MIN_EQUIPMENT_FEN + int(f * e) // 10_000 * 10_000 for e in excess]

    def total(f: float) -> int:
        return sum(p1_reward(a, c) for a, c in zip(amounts(f), classes, strict=True))

    low, high = 0.0, 64.0
    for _ in range(60):
        middle = (low + high) / 2
        low, high = (middle, high) if total(middle) < target_fen else (low, middle)
    return amounts(high)


_TECH_UPGRADE_NAMES = (
    "{product}智能化技术改造项目",
    "年产{count}万台（件）{product}技改项目",
    "{product}自动化生产线建设项目",
    "{product}数字化车间改造项目",
)
_INTEGRATION_NAMES = (
    "ERP与MES系统集成项目",
    "数字化工厂信息系统建设项目",
    "供应链协同管理平台项目",
    "PLM研发设计平台项目",
)


def _tech_upgrade_name(rng: random.Random, line: Line) -> str:
    template = rng.choice(_TECH_UPGRADE_NAMES)
    return template.format(product=rng.choice(line.products), count=rng.choice((50, 100, 200, 300, 500)))


def _ningbo_tier(rng: random.Random, fixed_asset: int, equipment_and_software: int) -> int | None:
    """Only projects that meet the Ningbo thresholds (P3) are given a tier."""
    if fixed_asset >= 1_000 * WAN and equipment_and_software >= 700 * WAN:
        return rng.choices((1, 2, 3), weights=(15, 35, 50))[0]
    return None


_PROJECT_DEFAULTS = {
    "kind": Project.Kind.TECH_UPGRADE,
    "ningbo_tier": None,
    "is_smart_pilot": False,
    "is_special_project": False,
    "fixed_asset_investment_fen": None,
    "tech_software_investment_fen": None,
    "soft_investment_fen": None,
}


def _tech_upgrade(rng: random.Random, p: Profile, year: int, equipment: int, fixed_asset_ratio: tuple, **fields):
    """A tech-upgrade project around its equipment investment (whole hundreds of yuan)."""
    fixed_asset = round(equipment * rng.uniform(*fixed_asset_ratio)) // 10_000 * 10_000
    software = round(equipment * rng.uniform(0, 0.12)) // 10_000 * 10_000
    return {
        **_PROJECT_DEFAULTS,
        "name": _tech_upgrade_name(rng, p.line),
        "year": year,
        "industry_class": _industry_class(p.line),
        "ningbo_tier": _ningbo_tier(rng, fixed_asset, equipment + software),
        "fixed_asset_investment_fen": fixed_asset,
        "equipment_investment_fen": equipment,
        "tech_software_investment_fen": software,
        **fields,
    }


def _seed000_project(rng: random.Random, p: Profile, cls: str, equipment: int, year: int) -> dict:
    """Completed, not a smart pilot (P2 would then compete with P1), class as calibrated."""
    project = _tech_upgrade(rng, p, year, equipment, (1.2, 1.9), completed=True, industry_class=cls)
    project["is_special_project"] = rng.random() < 0.05
    return project


def _ordinary_project(rng: random.Random, p: Profile, years: list[int]) -> dict:
    """A project in any year.  In the latest year none qualifies for P1, so that year's
    P1 total stays the seed-000 figure: big ones there are still being built."""
    year = rng.choice(years)
    if rng.random() < 0.2:
        return _integration_project(rng, p, year)
    equipment = max(_fen(min(rng.lognormvariate(math.log(300), 0.9), p.revenue_wan * 0.6, 20_000)), 20 * WAN)
    building = year == years[-1] and equipment >= P1_MIN_EQUIPMENT_FEN
    project = _tech_upgrade(rng, p, year, equipment, (1.1, 1.8), completed=not building and rng.random() < 0.7)
    project.update(is_smart_pilot=rng.random() < 0.04, is_special_project=rng.random() < 0.03)
    return project


def _integration_project(rng: random.Random, p: Profile, year: int) -> dict:
    """Two-integration (两化融合) projects are software and services: no equipment."""
    return {
        **_PROJECT_DEFAULTS,
        "name": rng.choice(_INTEGRATION_NAMES),
        "kind": Project.Kind.TWO_INTEGRATION,
        "year": year,
        "industry_class": _industry_class(p.line),
        "completed": rng.random() < 0.7,
        "equipment_investment_fen": 0,
        "soft_investment_fen": _fen(rng.lognormvariate(math.log(80), 0.7)),
    }


# --- Writing.


@dataclass(frozen=True)
class References:
    """Database ids of the reference rows, by code."""

    towns: dict[str, int]
    groups: dict[str, int]
    parks: dict[str, int]
    tags: dict[str, int]

    @classmethod
    def load(cls) -> References:
        refs = cls(
            *(dict(model.objects.values_list("code", "id")) for model in (Town, IndustryGroup, Park, EnterpriseTag))
        )
        if not refs.towns or not refs.tags:
            raise RuntimeError("Reference data is missing: run `manage.py seed_reference` first.")
        return refs


def write_plan(plan: Plan, years: list[int]) -> dict[str, int]:
    """Insert the plan in one transaction with bulk_create; return rows per table."""
    refs = References.load()
    with transaction.atomic():
        enterprises = [_enterprise(p, refs) for p in plan.profiles]
        Enterprise.objects.bulk_create(enterprises, batch_size=BATCH_SIZE)
        pairs = list(zip(plan.profiles, enterprises, strict=True))
        counts = {
            "enterprises": len(enterprises),
            "tags": _bulk(Enterprise.tags.through, _tag_rows(pairs, refs)),
            "year_figures": _bulk(YearFigures, _figure_rows(pairs)),
            "contacts": _bulk(Contact, _contact_rows(pairs)),
        }
        by_profile = {id(p): e for p, e in pairs}
        counts["projects"] = _bulk(Project, (Project(enterprise=by_profile[id(p)], **row) for p, row in plan.projects))
    return counts


def _bulk(model, rows: Iterable) -> int:
    rows = list(rows)
    model.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    return len(rows)


def _enterprise(p: Profile, refs: References) -> Enterprise:
    return Enterprise(
        credit_code=p.credit_code,
        name=p.name,
        name_initials=initials_of(p.name),
        legal_representative=p.legal_representative,
        established_on=p.established,
        town_id=refs.towns[p.town],
        park_id=refs.parks.get(p.park) if p.park else None,
        address=p.address,
        industry_code=p.industry_code,
        industry_group_id=refs.groups.get(p.line.group) if p.line.group else None,
        size_class=size_class_of(p),
    )


def _tag_rows(pairs, refs: References):
    through = Enterprise.tags.through
    for profile, enterprise in pairs:
        for code in sorted(profile.tags):
            if code in refs.tags:
                yield through(enterprise_id=enterprise.pk, enterprisetag_id=refs.tags[code])


def _figure_rows(pairs):
    for profile, enterprise in pairs:
        for year, values in sorted(profile.figures.items()):
            yield YearFigures(enterprise_id=enterprise.pk, year=year, **values)


def _contact_rows(pairs):
    for profile, enterprise in pairs:
        for values in profile.contacts:
            yield Contact(enterprise_id=enterprise.pk, **values)


def delete_all() -> dict[str, int]:
    """Delete every enterprise with its figures, contacts, projects and tags.

    Children go first so each delete is one simple statement per batch; the
    operation log is switched off because wiping demo data is not an operation
    anyone needs to audit entry by entry.  Rows of other apps that point at
    enterprises follow their own on_delete rules.
    """
    counts = {}
    with transaction.atomic(), disable_auditlog():
        for model in (Project, Contact, YearFigures, Enterprise.tags.through, Enterprise):
            counts[model._meta.model_name] = model.objects.all().delete()[1].get(model._meta.label, 0)
    return counts
