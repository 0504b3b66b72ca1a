"""Matching markets (对接市场): financing (帮企贷), factory space (厂房码上租) and parks
(小微企业园), talent and capital (才·富对接).

Every market has a *need* side (a financing need, a space demand, a talent project)
and an *offer* side (a financial product, a space supply, an investor); markets/criteria.py
says how the two are compared and markets/matching.py stores the result in :class:`Match`.
Money is integer fen; areas are square metres.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimestampedModel


class Market(models.TextChoices):
    FINANCE = "finance", _("Financing")  # 帮企贷
    SPACE = "space", _("Factory space")  # 厂房码上租
    TALENT = "talent", _("Talent and capital")  # 才·富对接


class ListingStatus(models.TextChoices):
    """The life of a space listing, a talent project or an investor."""

    OPEN = "open", _("Listed")  # published, taking part in matching
    IN_TALKS = "in_talks", _("In talks")  # a match is being discussed
    DEAL = "deal", _("Deal done")  # the end of the line: rented, sold, invested
    WITHDRAWN = "withdrawn", _("Withdrawn")  # taken back by whoever posted it
    EXPIRED = "expired", _("Expired")  # not renewed before its expiry date


LIVE_LISTING = (ListingStatus.OPEN, ListingStatus.IN_TALKS)


# --- Financing (融资对接, 8718帮企贷) --------------------------------------------------------


class ProductKind(models.TextChoices):
    CREDIT = "credit", _("Credit loan")  # 信用贷
    MORTGAGE = "mortgage", _("Mortgage loan")  # 抵押贷
    GUARANTEE = "guarantee", _("Guaranteed loan")  # 担保贷
    SUPPLY_CHAIN = "supply_chain", _("Supply-chain finance")  # 供应链金融
    BRIDGE = "bridge", _("Bridge loan")  # 转贷
    TAX_CREDIT = "tax_credit", _("Tax-credit loan")  # 银税互动


class Purpose(models.TextChoices):
    WORKING_CAPITAL = "working_capital", _("Working capital")
    EQUIPMENT = "equipment", _("Equipment and technical upgrade")
    EXPANSION = "expansion", _("New plant or expansion")
    TURNOVER = "turnover", _("Repaying a maturing loan")  # 续贷周转 (转贷)
    ORDERS = "orders", _("Financing an order")


class Collateral(models.TextChoices):
    NONE = "none", _("None (credit only)")
    PROPERTY = "property", _("Property mortgage")
    EQUIPMENT = "equipment", _("Equipment mortgage")
    GUARANTEE = "guarantee", _("Guarantee company")
    RECEIVABLES = "receivables", _("Receivables pledge")
    TAX_RECORD = "tax_record", _("Tax payment record")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Within three months")
    SOON = "soon", _("Within a month")
    URGENT = "urgent", _("Within a week")


class FinancialProduct(TimestampedModel):
    """A loan product of a bank or of the government guarantee company (金融产品)."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="financial_products",
        verbose_name=_("bank"), limit_choices_to={"kind": "bank"},
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=ProductKind.choices)
    min_amount_fen = models.BigIntegerField(_("smallest amount"))
    max_amount_fen = models.BigIntegerField(_("largest amount"))
    min_term_months = models.PositiveSmallIntegerField(_("shortest term (months)"), default=1)
    max_term_months = models.PositiveSmallIntegerField(_("longest term (months)"), default=36)
    min_rate_bp = models.PositiveIntegerField(_("lowest annual rate (0.01%)"))
    max_rate_bp = models.PositiveIntegerField(_("highest annual rate (0.01%)"))
    purposes = models.JSONField(_("purposes"), default=list, help_text=_("Purpose codes the product finances."))
    collateral = models.JSONField(_("accepted collateral"), default=list)
    sizes = models.JSONField(_("enterprise sizes"), default=list, help_text=_("Empty: every size qualifies."))
    qualifies = models.TextField(_("who qualifies"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["organisation__sort_order", "name"]
        verbose_name = _("financial product")
        verbose_name_plural = _("financial products")

    def __str__(self) -> str:
        return f"{self.organisation} · {self.name}"


class NeedStatus(models.TextChoices):
    """The financing need's way to a loan; markets/workflow.py holds the transitions."""

    POSTED = "posted", _("Posted")  # the enterprise posted it, no product matches yet
    MATCHED = "matched", _("Matched")  # at least one product matches
    IN_TALKS = "in_talks", _("In talks")  # a bank responded and talks with the enterprise
    INTENTION = "intention", _("Intention reached")  # 达成合作意向, with the intended amount
    GRANTED = "granted", _("Loan granted")  # 融资成功, with the amount granted
    DECLINED = "declined", _("Declined")  # the bank declined after talks
    WITHDRAWN = "withdrawn", _("Withdrawn")  # the enterprise took it back
    EXPIRED = "expired", _("Expired")  # nobody acted before its expiry date


OPEN_NEED = (NeedStatus.POSTED, NeedStatus.MATCHED, NeedStatus.IN_TALKS, NeedStatus.INTENTION)


class FinancingNeed(TimestampedModel):
    """A financing need posted by an enterprise (融资需求)."""

    number = models.CharField(_("number"), max_length=20, unique=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="financing_needs",
        verbose_name=_("enterprise"),
    )
    amount_fen = models.BigIntegerField(_("amount needed"))
    term_months = models.PositiveSmallIntegerField(_("term (months)"))
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    collateral = models.CharField(_("collateral or guarantee"), max_length=20, choices=Collateral.choices)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    description = models.TextField(_("details of the need"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50)
    contact_phone = models.CharField(_("contact phone"), max_length=20)
    status = models.CharField(_("status"), max_length=12, choices=NeedStatus.choices, default=NeedStatus.POSTED,
                              db_index=True)
    bank = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("bank in talks"),
    )
    product = models.ForeignKey(FinancialProduct, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name=_("product"))
    intended_amount_fen = models.BigIntegerField(_("intended amount"), null=True, blank=True)
    granted_amount_fen = models.BigIntegerField(_("amount granted"), null=True, blank=True)
    finance_day = models.ForeignKey("MarketEvent", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="needs", verbose_name=_("financing day"))
    expires_on = models.DateField(_("expires on"))
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("posted by"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("financing need")
        verbose_name_plural = _("financing needs")

    def __str__(self) -> str:
        return self.number


NEED_EVENT_LABELS = {
    "need_posted": _("Need posted"),
    "need_changed": _("Need changed"),
    "need_matched": _("Products matched"),
    "need_unmatched": _("No product matches any more"),
    "need_responded": _("A bank responded"),
    "need_intention": _("Intention reached"),
    "need_granted": _("Loan granted"),
    "need_declined": _("Declined"),
    "need_withdrawn": _("Withdrawn"),
    "need_expired": _("Expired"),
}


class NeedEvent(models.Model):
    """One step of a financing need: who, when, what, why (the need's history)."""

    need = models.ForeignKey(FinancingNeed, on_delete=models.CASCADE, related_name="events")
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    kind = models.CharField(_("event"), max_length=40)
    from_status = models.CharField(_("from"), max_length=12, blank=True)
    to_status = models.CharField(_("to"), max_length=12, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              verbose_name=_("by"))
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("financing need event")
        verbose_name_plural = _("financing need events")

    def __str__(self) -> str:
        return f"{self.need_id} {self.kind}"

    @property
    def label(self) -> str:
        return str(NEED_EVENT_LABELS.get(self.kind, self.kind))


# --- Events: the monthly financing day (每月9号融资服务日) and roadshows (路演) --------------------


class MarketEvent(TimestampedModel):
    class Kind(models.TextChoices):
        FINANCE_DAY = "finance_day", _("Financing day")  # 融资对接会, the 9th of each month
        ROADSHOW = "roadshow", _("Talent project roadshow")  # 人才项目路演

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=120)
    held_on = models.DateField(_("date"), db_index=True)
    place = models.CharField(_("place"), max_length=120, blank=True)
    is_held = models.BooleanField(_("held"), default=False, help_text=_("Ticked once the event took place."))

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("market event")
        verbose_name_plural = _("market events")

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"


class Registration(TimestampedModel):
    """An enterprise's sign-up for an event, its attendance and the outcome."""

    event = models.ForeignKey(MarketEvent, on_delete=models.CASCADE, related_name="registrations")
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.CASCADE, related_name="+",
                                   verbose_name=_("enterprise"))
    attended = models.BooleanField(_("attended"), default=False)
    outcome = models.CharField(_("outcome"), max_length=200, blank=True)

    class Meta:
        ordering = ["event", "id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [models.UniqueConstraint(fields=["event", "enterprise"], name="registration_once")]

    def __str__(self) -> str:
        return f"{self.event_id} {self.enterprise_id}"


# --- Factory space (厂房码上租) and small-micro parks (小微企业园) -----------------------------


class SpaceListing(TimestampedModel):
    """A factory-space supply (出租/出售) or demand (求租/求购) listing.

    Supply gives one value per attribute (minimum = maximum); demand gives ranges or
    minimums.  Prices are fen per m² per month to rent, fen per m² to buy.
    """

    class Side(models.TextChoices):
        SUPPLY = "supply", _("Offered")
        DEMAND = "demand", _("Wanted")

    class Deal(models.TextChoices):
        RENT = "rent", _("Rent")
        SALE = "sale", _("Sale")

    number = models.CharField(_("number"), max_length=20, unique=True)
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    deal = models.CharField(_("rent or sale"), max_length=10, choices=Deal.choices)
    enterprise = models.ForeignKey("enterprises.Enterprise", null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="space_listings", verbose_name=_("enterprise"))
    title = models.CharField(_("title"), max_length=120)
    town = models.ForeignKey("reference.Town", null=True, blank=True, on_delete=models.PROTECT,
                             verbose_name=_("town"), help_text=_("Wanted space: leave empty for any town."))
    park = models.ForeignKey("reference.Park", null=True, blank=True, on_delete=models.PROTECT,
                             verbose_name=_("park"))
    area_min_m2 = models.PositiveIntegerField(_("area from (m²)"))
    area_max_m2 = models.PositiveIntegerField(_("area to (m²)"))
    floor_min = models.SmallIntegerField(_("floor from"), default=1)
    floor_max = models.SmallIntegerField(_("floor to"), default=1)
    height_m = models.DecimalField(_("clear height (m)"), max_digits=4, decimal_places=1, null=True, blank=True)
    load_kg_m2 = models.PositiveIntegerField(_("floor load (kg/m²)"), null=True, blank=True)
    power_kva = models.PositiveIntegerField(_("power capacity (kVA)"), null=True, blank=True)
    price_min_fen = models.BigIntegerField(_("price from"), null=True, blank=True)
    price_max_fen = models.BigIntegerField(_("price to"), null=True, blank=True)
    available_from = models.DateField(_("available from"), null=True, blank=True)
    use = models.CharField(_("use"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50)
    contact_phone = models.CharField(_("contact phone"), max_length=20)
    status = models.CharField(_("status"), max_length=12, choices=ListingStatus.choices, default=ListingStatus.OPEN,
                              db_index=True)
    expires_on = models.DateField(_("expires on"))
    published_at = models.DateTimeField(_("published to the town group"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("space listing")
        verbose_name_plural = _("space listings")

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class MicroPark(TimestampedModel):
    """A small-micro enterprise park (小微企业园) in the directory."""

    class Stage(models.TextChoices):
        BUILT = "built", _("Built")
        BUILDING = "building", _("Under construction")
        PLANNED = "planned", _("Planned")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    town = models.ForeignKey("reference.Town", on_delete=models.PROTECT, verbose_name=_("town"))
    park = models.OneToOneField("reference.Park", null=True, blank=True, on_delete=models.SET_NULL,
                                verbose_name=_("park in the reference data"))
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    land_area_mu = models.DecimalField(_("land area (mu)"), max_digits=8, decimal_places=1)
    floor_area_m2 = models.PositiveIntegerField(_("floor area (m²)"))
    enterprises = models.PositiveIntegerField(_("enterprises"), default=0)
    occupancy_pct = models.PositiveSmallIntegerField(_("occupancy (%)"), default=0)
    operator = models.CharField(_("operator"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        ordering = ["stage", "town__sort_order", "name"]
        verbose_name = _("small-micro enterprise park")
        verbose_name_plural = _("small-micro enterprise parks")

    def __str__(self) -> str:
        return self.name


# --- Talent and capital (才·富对接) -----------------------------------------------------------


class Stage(models.TextChoices):
    IDEA = "idea", _("Idea")
    PROTOTYPE = "prototype", _("Prototype")
    PILOT = "pilot", _("Pilot production")
    MARKET = "market", _("On the market")


class TalentProject(TimestampedModel):
    """A talent's project seeking capital (人才项目)."""

    number = models.CharField(_("number"), max_length=20, unique=True)
    title = models.CharField(_("project"), max_length=120)
    leader = models.CharField(_("leader"), max_length=50)
    industry = models.ForeignKey("reference.IndustryGroup", on_delete=models.PROTECT,
                                 verbose_name=_("field of the project"))
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices)
    funding_fen = models.BigIntegerField(_("funding sought"))
    summary = models.TextField(_("summary"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20)
    status = models.CharField(_("status"), max_length=12, choices=ListingStatus.choices, default=ListingStatus.OPEN)
    expires_on = models.DateField(_("expires on"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("talent project")
        verbose_name_plural = _("talent projects")

    def __str__(self) -> str:
        return self.title


class Investor(TimestampedModel):
    """An enterprise willing to invest in new industries (意向投资企业)."""

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.CASCADE, related_name="+",
                                   verbose_name=_("enterprise"))
    industries = models.JSONField(_("industries"), default=list, help_text=_("Industry group codes."))
    stages = models.JSONField(_("stages"), default=list, help_text=_("Empty: any stage."))
    min_amount_fen = models.BigIntegerField(_("smallest investment"))
    max_amount_fen = models.BigIntegerField(_("largest investment"))
    note = models.TextField(_("note"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50)
    contact_phone = models.CharField(_("contact phone"), max_length=20)
    status = models.CharField(_("status"), max_length=12, choices=ListingStatus.choices, default=ListingStatus.OPEN)
    expires_on = models.DateField(_("expires on"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("investor")
        verbose_name_plural = _("investors")

    def __str__(self) -> str:
        return str(self.enterprise)


# --- Matches ------------------------------------------------------------------------------


class Match(TimestampedModel):
    """A need and an offer of one market that fit, with the score and its reasons.

    ``need_id``/``offer_id`` are the primary keys on the market's two sides (see
    markets/criteria.py), so one table serves every market.  ``states`` encodes how far
    each criterion is met (1 met, 0.5 partly, 0 not; ``reasons`` decodes it).  Contact
    details are shown to either side only once both consented.
    """

    market = models.CharField(_("market"), max_length=10, choices=Market.choices)
    need_id = models.BigIntegerField(_("need"))
    offer_id = models.BigIntegerField(_("offer"))
    score = models.PositiveSmallIntegerField(_("score"))
    states = models.PositiveIntegerField(_("reasons"), default=0,
                                         help_text=_("How far each criterion is met (see markets/criteria.py)."))
    is_current = models.BooleanField(_("current"), default=True,
                                     help_text=_("False once a re-match no longer finds the pair."))
    need_consent_at = models.DateTimeField(_("need side agreed"), null=True, blank=True)
    # No index on who consented: nothing looks matches up by it, and each index costs every
    # one of the 100,000 inserts of a full re-match.
    need_consent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+", db_index=False)
    offer_consent_at = models.DateTimeField(_("offer side agreed"), null=True, blank=True)
    offer_consent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                         on_delete=models.SET_NULL, related_name="+", db_index=False)

    class Meta:
        ordering = ["-score", "id"]
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        constraints = [models.UniqueConstraint(fields=["market", "need_id", "offer_id"], name="match_once")]
        indexes = [models.Index(fields=["market", "offer_id"], name="match_offer")]

    def __str__(self) -> str:
        return f"{self.market} {self.need_id}↔{self.offer_id} {self.score}"

    @property
    def reasons(self) -> dict[str, float]:
        from .criteria import decode_states

        return decode_states(self.market, self.states)

    @property
    def contacts_shared(self) -> bool:
        return bool(self.need_consent_at and self.offer_consent_at)
