"""Cixi demo data of the evaluation and the zone (idempotent: what exists is left alone).

* the 2024 scheme and its final round, and the 2025 scheme (evaluation/data/cixi_2025.yaml)
  with its round in the public notice: the demo contact has confirmed its figures and a
  town window has raised one objection for an enterprise of 周巷;
* sub-letting declarations for a few enterprises (the deduction shows on their page);
* an enterprise code for every enterprise, the zone's modules and the league tables;
* appointment slots of four departments over the next two weeks, a few booked;
* sixty days of module opens, so the usage page has something to retire.
"""

from __future__ import annotations

import copy
import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from enterprises.models import Enterprise, YearFigures
from reference.models import Department

from . import actions
from .models import (
    AppointmentSlot,
    ModuleOpen,
    Result,
    Round,
    Scheme,
    SubletDeclaration,
    ZoneCode,
    ZoneModule,
    new_token,
)
from .seeding import load, seed_zone

SLOT_DEPARTMENTS = ("kjj", "jxj", "zgj", "rsj")
SLOT_TIMES = ((9, 0), (9, 30), (10, 0), (14, 30))
# Relative popularity of the modules (opens per day, on average); talent is little used.
POPULARITY = {"my_policies": 40, "my_demands": 25, "my_evaluation": 18, "rankings": 12, "financing": 9,
              "factory_space": 6, "appointments": 5, "talent": 0.3}


def seed(stdout=None) -> dict:
    say = stdout.write if stdout else (lambda _text: None)
    manager = _manager()
    counts = {"modules_and_tables": seed_zone()}
    if not Enterprise.objects.exists():
        say("No enterprises: run seed_demo first; only the zone modules and league tables were loaded.")
        return counts
    counts["sublet"] = _sublet_declarations()
    counts["codes"] = _zone_codes()
    if manager is None:
        say("No supervisor account: the schemes are loaded but not evaluated (run seed_demo for the demo users).")
    counts["rounds"] = _rounds(manager, say)
    counts["slots"], counts["appointments"] = _appointments()
    counts["opens"] = _module_opens()
    return counts


def _manager() -> User | None:
    return (User.objects.filter(username="jiandu").first()
            or User.objects.filter(roles__code=Role.Code.SUPERVISOR).order_by("id").first())


def _scheme(manager, year: int, benchmarks_scale: float = 1.0) -> Scheme:
    existing = Scheme.objects.filter(year=year).order_by("version").first()
    if existing:
        return existing
    data = load("cixi_2025.yaml")
    definition = copy.deepcopy(data["definition"])
    for group in definition["groups"]:
        for indicator in group["indicators"]:
            indicator["benchmark"] = round(indicator["benchmark"] * benchmarks_scale, 2)
    name = data["name"].replace("2025", str(year))
    return actions.do_create_scheme(acting_user=manager, year=year, name=name, definition=definition,
                                    source=data["source"].replace("2025", str(year)))


def _rounds(manager, say) -> int:
    made = 0
    last_year = _scheme(manager, 2024, benchmarks_scale=0.92)  # the county raises its benchmarks each year
    this_year = _scheme(manager, 2025)
    if manager is None:
        return 0
    if not Round.objects.filter(year=2024).exists() and YearFigures.objects.filter(year=2024).exists():
        round_ = actions.do_start_round(last_year, acting_user=manager)
        actions.do_open_confirmation(round_, acting_user=manager)
        actions.do_start_notice(round_, acting_user=manager, starts_on=dt.date(2025, 5, 12))
        actions.do_finalise(round_, acting_user=manager)
        made += 1
        say(f"2024: {round_.results.count()} enterprises evaluated, results final.")
    if not Round.objects.filter(year=2025).exists() and YearFigures.objects.filter(year=2025).exists():
        round_ = actions.do_start_round(this_year, acting_user=manager)
        actions.do_open_confirmation(round_, acting_user=manager)
        _confirm_demo_contact(round_)
        actions.do_start_notice(round_, acting_user=manager)
        _town_objection(round_)
        made += 1
        say(f"2025: {round_.results.count()} enterprises evaluated, in the public notice until {round_.notice_ends_on}.")
    return made


def _confirm_demo_contact(round_: Round) -> None:
    contact = User.objects.filter(username="qiye", enterprise__isnull=False).first()
    result = Result.objects.filter(round=round_, enterprise_id=contact.enterprise_id).first() if contact else None
    if result is not None:
        actions.do_confirm_data(result, acting_user=contact)


def _town_objection(round_: Round) -> None:
    window = User.objects.filter(username="zhouxiang").first()
    result = (Result.objects.filter(round=round_, town__code="zhouxiang", klass="D").order_by("enterprise_id").first())
    if window is not None and result is not None:
        actions.do_raise_objection(result, acting_user=window, text="企业反映2025年新增厂房已投产，用地面积含未投产地块，申请核减。")


def _sublet_declarations() -> int:
    if SubletDeclaration.objects.exists():
        return 0
    rng = random.Random(2026)
    landed = list(YearFigures.objects.filter(year__in=(2024, 2025), land_area_mu__gte=5)
                  .values_list("enterprise_id", "year").order_by("enterprise_id", "year"))
    rows = [SubletDeclaration(enterprise_id=e, year=y, sublet_tenants=rng.choice((1, 1, 2, 3, 5)))
            for e, y in landed if rng.random() < 0.03]
    SubletDeclaration.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _zone_codes() -> int:
    missing = Enterprise.objects.filter(zone_code__isnull=True).values_list("id", flat=True)
    rows = [ZoneCode(enterprise_id=pk, token=new_token()) for pk in missing.iterator()]
    ZoneCode.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _appointments() -> tuple[int, int]:
    if AppointmentSlot.objects.exists():
        return 0, 0
    today = timezone.localdate()
    days = [today + dt.timedelta(days=n) for n in range(1, 15) if (today + dt.timedelta(days=n)).weekday() < 5]
    departments = list(Department.objects.filter(code__in=SLOT_DEPARTMENTS))
    tz = timezone.get_current_timezone()
    slots = [AppointmentSlot(department=d, place=f"市民中心{d.sort_order % 5 + 2}楼{d.name}窗口",
                             starts_at=dt.datetime.combine(day, dt.time(h, m), tz),
                             ends_at=dt.datetime.combine(day, dt.time(h, m), tz) + dt.timedelta(minutes=30))
             for day in days for d in departments for h, m in SLOT_TIMES]
    AppointmentSlot.objects.bulk_create(slots)
    return len(slots), _book_some()


def _book_some() -> int:
    contact = User.objects.filter(username="qiye", enterprise__isnull=False).first()
    handler = User.objects.filter(username="bumen").first()
    if contact is None:
        return 0
    topics = [("kjj", "高新技术企业认定材料咨询"), ("zgj", "厂区扩建用地指标"), ("jxj", "亩均评价结果解读")]
    booked = 0
    for code, topic in topics:
        slot = AppointmentSlot.objects.filter(department__code=code).order_by("starts_at").first()
        if slot is None:
            continue
        appointment = actions.do_book_appointment(slot, acting_user=contact, enterprise=contact.enterprise,
                                                  topic=topic)
        booked += 1
        if code == "kjj" and handler is not None:
            actions.do_answer_appointment(appointment, acting_user=handler, confirm=True,
                                          answer="请携带近两年研发费用明细")
    return booked


def _module_opens() -> int:
    if ModuleOpen.objects.exists():
        return 0
    rng = random.Random(2026)
    today = timezone.localdate()
    rows = []
    for module in ZoneModule.objects.all():
        rate = POPULARITY.get(module.code, 1)
        for n in range(60):
            count = max(0, round(rng.gauss(rate, rate / 3)))
            if count:
                rows.append(ModuleOpen(module=module, day=today - dt.timedelta(days=n), count=count))
    with transaction.atomic():
        ModuleOpen.objects.bulk_create(rows)
    return len(rows)

