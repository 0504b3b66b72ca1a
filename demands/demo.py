"""Demo and benchmark demands: realistic texts, channels, units, statuses and history.

Deterministic from a seed.  ``generate(n)`` bulk-creates demands for existing
enterprises; with ``events=True`` each demand also gets the event history its
status implies, so the timeline and the figures look like a year of real work.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation
from enterprises.models import Enterprise
from reference.models import Category, Channel

from . import cube
from .calendar import WorkCalendar
from .models import Demand, DemandEvent, Satisfaction, Status

# (category code, appeal type, text) — texts as enterprises and staff actually write them.
TEXTS = {
    "policy": [
        ("consultation", "去年技改项目设备投入{n}百万，想咨询慈溪技改奖励怎么申报，需要哪些材料？"),
        ("request", "两化融合项目补助已公示三个月，资金还没到账，请帮忙问一下财政拨付进度。"),
        ("consultation", "我们是科技型中小企业，创新券能不能用在检测费用上？"),
    ],
    "finance": [
        ("request", "银行贷款下月到期，续贷审批还没下来，想申请转贷资金过桥，额度约{n}百万。"),
        ("consultation", "想了解银税互动信用贷，纳税信用A级企业最高能贷多少？"),
        ("request", "订单增加需要流动资金{n}百万，没有抵押物，希望对接担保公司。"),
    ],
    "land": [
        ("request", "企业扩产需要新增用地约{n}0亩，希望了解镇里有没有可出让的工业用地。"),
        ("request", "想在小微企业园租一层标准厂房，面积两千平方左右，层高要六米以上。"),
        ("suggestion", "园区周边闲置厂房较多，建议统一盘活，给我们这样的小企业租用。"),
    ],
    "approval": [
        ("request", "新厂房施工许可在住建局卡了一个多月，请帮忙协调加快审批。"),
        ("consultation", "技改项目备案需要走哪些流程？能不能在网上办？"),
    ],
    "property_cert": [
        ("request", "老厂房一直没有产权证，想按补办方案申请，不知道从哪一步开始。"),
        ("request", "厂房产权证补办需要消防验收，但老房子图纸找不到了，怎么办？"),
    ],
    "talent": [
        ("request", "年底订单多，缺普工{n}十人左右，希望帮忙对接劳务招聘。"),
        ("consultation", "新引进的硕士研究生能享受哪些人才补贴和住房政策？"),
        ("request", "外地员工子女入学名额紧张，希望协调附近学校。"),
    ],
    "innovation": [
        ("consultation", "准备申报高新技术企业，研发费用归集有什么要求？"),
        ("request", "我们的专利被外地企业仿冒，希望知识产权部门帮助维权。"),
    ],
    "tax": [
        ("consultation", "研发费用加计扣除今年比例有没有变化？"),
        ("request", "出口退税申报后迟迟没有到账，影响资金周转。"),
    ],
    "utilities": [
        ("complaint", "厂区这个月已经停电{n}次，都没有提前通知，设备损坏严重。"),
        ("request", "新增两台注塑机，需要变压器增容，申请已提交，请帮助加快。"),
        ("request", "园区天然气管道还没接通，能不能协调燃气公司尽快施工？"),
    ],
    "environment": [
        ("consultation", "喷涂车间要做环评变更，需要准备哪些材料？"),
        ("request", "安全生产标准化复审时间紧，希望有专家上门指导。"),
    ],
    "trade": [
        ("request", "海外客户要求提供原产地证明，办理流程不熟悉，请指导。"),
        ("consultation", "想参加广交会，市里对展位费有没有补贴？"),
    ],
    "logistics": [
        ("complaint", "厂门口道路施工封闭，货车进不来，已经影响发货一周了。"),
        ("request", "集装箱车辆夜间限行，希望给出口企业办理通行证。"),
    ],
    "legal": [
        ("request", "有一家客户拖欠货款{n}十万元，想请法律服务中心帮忙出律师函。"),
        ("consultation", "劳动合同到期不续签需要支付补偿金吗？"),
    ],
    "digital": [
        ("consultation", "想做数字化车间改造，市里有没有服务公司可以来诊断？"),
        ("request", "企业上云补助怎么申请？我们已经买了云服务。"),
    ],
    "surroundings": [
        ("complaint", "厂区周边夜间有人偷倒建筑垃圾，多次反映没人管。"),
        ("request", "工业区路灯坏了一大半，晚上下班员工不安全。"),
    ],
    "other": [
        ("suggestion", "建议企服平台增加政策申报提醒功能，每周推送一次。"),
        ("consultation", "想了解企业码专区有哪些功能，怎么领码？"),
    ],
}
CHANNEL_WEIGHTS = {"hotline": 25, "wechat_group": 25, "front_desk": 15, "visit": 15, "portal": 8,
                   "enterprise_code": 8, "wechat_mp": 4}


@dataclass
class Context:
    rng: random.Random
    calendar: WorkCalendar
    enterprises: list
    categories: dict
    channels: dict
    units: dict
    windows: dict
    now: dt.datetime


def _context(seed: int) -> Context:
    units = {o.department.code: o for o in Organisation.objects.filter(kind="department").select_related("department")}
    windows = {o.town_id: o for o in Organisation.objects.filter(kind="town_window")}
    return Context(
        rng=random.Random(seed), calendar=WorkCalendar.load(), now=timezone.now(),
        enterprises=list(Enterprise.objects.values_list("pk", "town_id", "name")),
        categories={c.code: c for c in Category.objects.select_related("default_department")},
        channels={c.code: c for c in Channel.objects.all()}, units=units, windows=windows,
    )


def _unit(ctx: Context, category, town_id):
    roll = ctx.rng.random()
    if roll < 0.12:
        return ctx.windows.get(town_id)
    if roll < 0.25:
        return ctx.rng.choice(list(ctx.units.values()))
    return ctx.units.get(category.default_department.code) or ctx.units["jxj"]


def _status(ctx: Context, age_days: float) -> str:
    """Older demands are further along the loop, as in a real year."""
    r = ctx.rng.random()
    if age_days > 30:  # a few stuck ones remain: the overdue and supervision queues are never empty
        return Status.CLOSED if r < 0.97 else ctx.rng.choice([Status.RATED, Status.FEEDBACK_GIVEN, Status.IN_PROGRESS])
    if age_days > 7:
        return ctx.rng.choices([Status.CLOSED, Status.RATED, Status.FEEDBACK_GIVEN, Status.ANSWERED,
                                Status.IN_PROGRESS, Status.WAITING_INFO], weights=[50, 15, 12, 8, 10, 5])[0]
    return ctx.rng.choice([Status.RECEIVED, Status.ACCEPTED, Status.ROUTED, Status.IN_PROGRESS, Status.ANSWERED])


def _demand(ctx: Context, index: int, days_back: int, received: dt.datetime | None = None) -> Demand:
    rng = ctx.rng
    enterprise_id, town_id, _name = rng.choice(ctx.enterprises)
    code = rng.choice(list(TEXTS))
    appeal, template = rng.choice(TEXTS[code])
    text = template.format(n=rng.randint(2, 9))
    if received is None:
        received = ctx.now - dt.timedelta(days=rng.random() * days_back, hours=rng.random() * 8)
    age = (ctx.now - received).days
    status = _status(ctx, age)
    category = ctx.categories[code]
    channel = ctx.channels[rng.choices(list(CHANNEL_WEIGHTS), weights=list(CHANNEL_WEIGHTS.values()))[0]]
    day = timezone.localdate(received)
    demand = Demand(
        number=f"SQ{received:%Y}D{index:07d}", enterprise_id=enterprise_id, town_id=town_id, channel=channel,
        appeal_type=appeal, title=text[:30], text=text, received_at=received,
        accept_due_on=ctx.calendar.add_working_days(day, 1), status=status,
        contact_name=rng.choice("王李张陈周徐胡孙") + rng.choice(["先生", "女士", "经理", "总"]),
    )
    if status != Status.RECEIVED:
        demand.category = category
    if status not in (Status.RECEIVED, Status.ACCEPTED):
        _handled(ctx, demand, category, day, status)
    return demand


def _handled(ctx: Context, demand: Demand, category, day: dt.date, status: str) -> None:
    rng = ctx.rng
    demand.lead_unit = _unit(ctx, category, demand.town_id)
    answer_days = {"consultation": 3, "complaint": 13}.get(demand.appeal_type, 5)
    demand.answer_due_on = ctx.calendar.add_working_days(day, answer_days)
    if status in (Status.ANSWERED, Status.FEEDBACK_GIVEN, Status.RATED, Status.CLOSED):
        took = max(0.2, rng.lognormvariate(1.0, 0.8))
        demand.answered_at = min(ctx.now, demand.received_at + dt.timedelta(days=took))
        demand.answered_late = timezone.localdate(demand.answered_at) > demand.answer_due_on
        demand.answer = "已联系企业并协调相关部门办理，具体情况已电话告知企业负责人。"
    if status in (Status.RATED, Status.CLOSED):
        demand.satisfaction = rng.choices(Satisfaction.values, weights=[78, 17, 5])[0]
        demand.solved = demand.satisfaction != Satisfaction.DISSATISFIED or rng.random() < 0.3
        # 重办: about one in twenty-five was reopened once after a dissatisfied first answer.
        demand.reopen_count = 1 if rng.random() < REOPENED_SHARE else 0
    if status == Status.CLOSED:
        demand.closed_at = min(ctx.now, demand.answered_at + dt.timedelta(days=rng.uniform(0.5, 6)))
    if status == Status.WAITING_INFO:
        demand.paused_since = timezone.localdate(ctx.now) - dt.timedelta(days=rng.randint(0, 3))


_STEPS = [
    (Status.ACCEPTED, "demand_accepted"), (Status.ROUTED, "demand_routed"), (Status.IN_PROGRESS, "demand_started"),
    (Status.ANSWERED, "demand_answered"), (Status.FEEDBACK_GIVEN, "demand_feedback_given"),
    (Status.RATED, "demand_rated"), (Status.CLOSED, "demand_closed"),
]


REOPENED_SHARE = 0.04
# The detour of a reopened demand, between its first feedback and its (second) rating.
_REDO = [
    ("demand_reopened", Status.FEEDBACK_GIVEN, Status.IN_PROGRESS, None, "答复没有解决实际问题，希望重新协调办理。"),
    ("demand_answered", Status.IN_PROGRESS, Status.ANSWERED, None, ""),
    ("demand_feedback_given", Status.ANSWERED, Status.FEEDBACK_GIVEN, None, ""),
]


def history(demand: Demand) -> list[tuple]:
    """The steps its status implies, as (kind, from, to, unit id, note, time), times in order."""
    steps = [("demand_received", "", Status.RECEIVED, None, "")]
    order = [s for s, _e in _STEPS]
    target = Status.IN_PROGRESS if demand.status == Status.WAITING_INFO else demand.status
    if target in order:
        previous = Status.RECEIVED
        for step, kind in _STEPS[: order.index(target) + 1]:
            if step == Status.RATED and demand.reopen_count:
                steps += _REDO
            steps.append((kind, previous, step, demand.lead_unit_id if step == Status.ROUTED else None, ""))
            previous = step
    if demand.status == Status.WAITING_INFO:
        steps.append(("demand_info_requested", Status.IN_PROGRESS, Status.WAITING_INFO, None, "请补充提供相关证明材料。"))
    end = demand.closed_at or demand.answered_at or timezone.now()
    span = max((end - demand.received_at).total_seconds(), 60)
    return [(*step, demand.received_at + dt.timedelta(seconds=span * i / len(steps))) for i, step in enumerate(steps)]


def _events(demand: Demand) -> list[DemandEvent]:
    return [
        DemandEvent(demand=demand, kind=kind, from_status=before, to_status=after, unit_id=unit, note=note,
                    created_at=at)
        for kind, before, after, unit, note, at in history(demand)
    ]


def generate(count: int, *, seed: int = 2026, days_back: int = 365, events: bool = True,
             batch: int = 5000, start_index: int = 0) -> int:
    """Bulk-create ``count`` demands (and their histories); returns the number created."""
    ctx = _context(seed)
    if not ctx.enterprises:
        return 0
    created = 0
    while created < count:
        size = min(batch, count - created)
        demands = [_demand(ctx, start_index + created + i + 1, days_back) for i in range(size)]
        with transaction.atomic():
            Demand.objects.bulk_create(demands, batch_size=1000)
            if events:
                timelines = [event for demand in demands for event in _events(demand)]
                DemandEvent.objects.bulk_create(timelines, batch_size=2000)
        created += size
    cube.rebuild_all()  # bulk_create bypasses the actions that keep the monthly figures
    return created
