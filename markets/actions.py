"""Every change in the markets.  Each action runs in one transaction, attributed to the
person acting (operation log), re-matches the listing it changed and queues the notices
in the same transaction (outbox)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import acting_as

from . import matching, notifying, workflow
from .access import sides_of
from .models import (
    LIVE_LISTING,
    FinancialProduct,
    FinancingNeed,
    Investor,
    ListingStatus,
    Market,
    MarketEvent,
    Match,
    NeedEvent,
    NeedStatus,
    Registration,
    SpaceListing,
    TalentProject,
)
from .workflow import Side, TransitionNotAllowed

__all__ = ["TransitionNotAllowed"]

LISTING_DAYS = getattr(settings, "QIFU_MARKET_LISTING_DAYS", 90)


def _expiry() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=LISTING_DAYS)


def _temporary_number() -> str:
    """Unique until the row has its id and so its real number (20 characters, the column's width)."""
    return f"tmp-{uuid.uuid4().hex[:16]}"


def _number(prefix: str, obj) -> str:
    return f"{prefix}{timezone.localdate():%Y}{obj.pk:07d}"


# --- Financing needs ---------------------------------------------------------------------


def _event(need, kind, actor, before, after, *, note="", data=None) -> NeedEvent:
    return NeedEvent.objects.create(need=need, kind=kind, from_status=before, to_status=after, actor=actor,
                                    note=note, data=data or {})


def _validate_need(amount_fen: int, term_months: int) -> None:
    if amount_fen <= 0:
        raise ValidationError(_("Please give the amount needed."))
    if not 1 <= term_months <= 360:
        raise ValidationError(_("The term must be between 1 and 360 months."))


def do_post_need(*, acting_user, enterprise, amount_fen, term_months, purpose, collateral, urgency,
                 contact_name, contact_phone, description="", finance_day=None) -> FinancingNeed:
    """An enterprise (or a window clerk for it) posts a financing need; it is matched at once."""
    _validate_need(amount_fen, term_months)
    with transaction.atomic(), acting_as(acting_user):
        need = FinancingNeed.objects.create(
            number=_temporary_number(), enterprise=enterprise, amount_fen=amount_fen,
            term_months=term_months, purpose=purpose, collateral=collateral, urgency=urgency,
            description=description.strip(), contact_name=contact_name, contact_phone=contact_phone,
            finance_day=finance_day, expires_on=_expiry(), created_by=acting_user,
        )
        need.number = _number("RZ", need)
        need.save(update_fields=["number"])
        _event(need, "need_posted", acting_user, "", NeedStatus.POSTED, data={"amount_fen": amount_fen})
        if finance_day is not None:
            Registration.objects.get_or_create(event=finance_day, enterprise=enterprise)
        _rematch_need(need)
    need.refresh_from_db()
    return need


def do_update_need(need, *, acting_user, **fields) -> FinancingNeed:
    """Change what the need asks for; it is matched again (that need only)."""
    with transaction.atomic(), acting_as(acting_user):
        locked = FinancingNeed.objects.select_for_update().get(pk=need.pk)
        if Side.ENTERPRISE not in sides_of(acting_user, locked) or locked.status not in (
                NeedStatus.POSTED, NeedStatus.MATCHED):
            raise TransitionNotAllowed(_("This need can no longer be changed."))
        for name, value in fields.items():
            setattr(locked, name, value)
        _validate_need(locked.amount_fen, locked.term_months)
        locked.version += 1
        locked.save()
        _event(locked, "need_changed", acting_user, locked.status, locked.status, data={"fields": sorted(fields)})
        _rematch_need(locked)
    locked.refresh_from_db()
    return locked


def _rematch_need(need: FinancingNeed) -> None:
    new = matching.rematch_need(Market.FINANCE, need.pk)
    notifying.tell_new_matches(Market.FINANCE, new)
    _sync_matched(need)


def _sync_matched(need: FinancingNeed) -> None:
    """posted ↔ matched follows whether any product fits now."""
    has = Match.objects.filter(market=Market.FINANCE, need_id=need.pk, is_current=True).exists()
    need.refresh_from_db(fields=["status"])
    if has and need.status == NeedStatus.POSTED:
        _transition(need, "match", acting_user=None, system=True)
    elif not has and need.status == NeedStatus.MATCHED:
        _transition(need, "unmatch", acting_user=None, system=True)


def _transition(need, action, *, acting_user, system=False, change=None, note="") -> FinancingNeed:
    with transaction.atomic(), acting_as(acting_user):
        locked = FinancingNeed.objects.select_for_update().select_related("enterprise").get(pk=need.pk)
        sides = {Side.SYSTEM} if system else sides_of(acting_user, locked)
        transition = workflow.check(action, locked.status, sides)
        before = locked.status
        data = change(locked) if change else {}
        locked.status = transition.target or locked.status
        locked.version += 1
        locked.save()
        _event(locked, transition.event, acting_user, before, locked.status, note=note, data=data or {})
    return locked


def _bank_match(need, acting_user, product_id) -> Match:
    match = Match.objects.filter(market=Market.FINANCE, need_id=need.pk, offer_id=product_id, is_current=True).first()
    product = FinancialProduct.objects.filter(pk=product_id).first()
    if match is None or product is None or (
            acting_user.organisation_id != product.organisation_id and Side.STAFF not in sides_of(acting_user, need)):
        raise TransitionNotAllowed(_("This product does not match the need."))
    return match


def do_respond(need, *, acting_user, product_id, note="") -> FinancingNeed:
    """A bank takes the need up with one of its matched products (and agrees to share contacts)."""
    with transaction.atomic():
        match = _bank_match(need, acting_user, product_id)

        def change(locked):
            locked.bank_id = match_product(match).organisation_id
            locked.product_id = match.offer_id
            return {"product": match.offer_id}

        need = _transition(need, "respond", acting_user=acting_user, change=change, note=note)
        _consent(match, acting_user, offer_side=True)
        notifying.tell_enterprise(need, _("%(bank)s responded to your financing need %(number)s")
                                  % {"bank": need.bank.name, "number": need.number}, note)
    return need


def match_product(match: Match) -> FinancialProduct:
    return FinancialProduct.objects.get(pk=match.offer_id)


def _amount_step(need, action, *, acting_user, amount_fen, field, note="") -> FinancingNeed:
    if amount_fen is None or amount_fen <= 0:
        raise ValidationError(_("Please give the amount."))

    def change(locked):
        setattr(locked, field, amount_fen)
        return {field: amount_fen}

    with transaction.atomic():
        need = _transition(need, action, acting_user=acting_user, change=change, note=note)
        notifying.tell_enterprise(need, _("Your financing need %(number)s: %(status)s")
                                  % {"number": need.number, "status": need.get_status_display()}, note)
    return need


def do_record_intention(need, *, acting_user, amount_fen, note="") -> FinancingNeed:
    """达成合作意向: the bank and the enterprise agree in principle on an amount."""
    return _amount_step(need, "intend", acting_user=acting_user, amount_fen=amount_fen,
                        field="intended_amount_fen", note=note)


def do_grant(need, *, acting_user, amount_fen, note="") -> FinancingNeed:
    """融资成功: the loan was granted, with its amount."""
    return _amount_step(need, "grant", acting_user=acting_user, amount_fen=amount_fen,
                        field="granted_amount_fen", note=note)


def do_decline(need, *, acting_user, note="") -> FinancingNeed:
    with transaction.atomic():
        need = _transition(need, "decline", acting_user=acting_user, note=note)
        notifying.tell_enterprise(need, _("Your financing need %(number)s was declined") % {"number": need.number},
                                  note)
    return need


def do_withdraw_need(need, *, acting_user, note="") -> FinancingNeed:
    with transaction.atomic():
        need = _transition(need, "withdraw", acting_user=acting_user, note=note)
        if need.bank_id:
            notifying.tell_bank(need, need.bank_id, _("Financing need %(number)s was withdrawn")
                                % {"number": need.number})
    return need


# --- Consent to share contact details -----------------------------------------------------


def _consent(match: Match, acting_user, *, offer_side: bool) -> Match:
    field = "offer_consent" if offer_side else "need_consent"
    with transaction.atomic(), acting_as(acting_user):
        locked = Match.objects.select_for_update().get(pk=match.pk)
        if getattr(locked, f"{field}_at") is None:
            setattr(locked, f"{field}_at", timezone.now())
            setattr(locked, f"{field}_by", acting_user)
            locked.save(update_fields=[f"{field}_at", f"{field}_by", "updated_at"])
    return locked


def do_consent(match: Match, *, acting_user, offer_side: bool) -> Match:
    """One side agrees to show its contact details to the other (access checked by the caller)."""
    return _consent(match, acting_user, offer_side=offer_side)


# --- Financial products ----------------------------------------------------------------------


def do_save_product(*, acting_user, product=None, **fields) -> FinancialProduct:
    """Create or change a product; every need is matched against it again (that product only)."""
    if fields.get("min_amount_fen", 0) > fields.get("max_amount_fen", 0):
        raise ValidationError(_("The smallest amount is above the largest."))
    with transaction.atomic(), acting_as(acting_user):
        product = product or FinancialProduct()
        for name, value in fields.items():
            setattr(product, name, value)
        product.save()
        before = set(Match.objects.filter(market=Market.FINANCE, offer_id=product.pk, is_current=True)
                     .values_list("need_id", flat=True))
        new = matching.rematch_offer(Market.FINANCE, product.pk)
        notifying.tell_new_matches(Market.FINANCE, new)
        touched = before | {m.need_id for m in new}
        for need in FinancingNeed.objects.filter(pk__in=touched, status__in=(NeedStatus.POSTED, NeedStatus.MATCHED)):
            _sync_matched(need)
    return product


# --- Factory space -------------------------------------------------------------------------


def do_post_space(*, acting_user, **fields) -> SpaceListing:
    """A supply or demand listing; matched at once against the other side."""
    if fields["area_min_m2"] > fields["area_max_m2"]:
        raise ValidationError(_("The smallest area is above the largest."))
    with transaction.atomic(), acting_as(acting_user):
        listing = SpaceListing.objects.create(number=_temporary_number(), expires_on=_expiry(),
                                              created_by=acting_user, **fields)
        listing.number = _number("CF", listing)
        listing.save(update_fields=["number"])
        rematch_space(listing)
    return listing


def rematch_space(listing: SpaceListing) -> list[Match]:
    if listing.side == SpaceListing.Side.DEMAND:
        new = matching.rematch_need(Market.SPACE, listing.pk)
    else:
        new = matching.rematch_offer(Market.SPACE, listing.pk)
    notifying.tell_new_matches(Market.SPACE, new)
    return new


def do_set_space_status(listing, *, acting_user, status) -> SpaceListing:
    """In talks, deal done or withdrawn; a listing that leaves the market drops out of matching."""
    allowed = {ListingStatus.OPEN: {ListingStatus.IN_TALKS, ListingStatus.DEAL, ListingStatus.WITHDRAWN},
               ListingStatus.IN_TALKS: {ListingStatus.OPEN, ListingStatus.DEAL, ListingStatus.WITHDRAWN}}
    if status not in allowed.get(listing.status, set()):
        raise TransitionNotAllowed(_("This listing can no longer change to “%(status)s”.")
                                   % {"status": ListingStatus(status).label})
    with transaction.atomic(), acting_as(acting_user):
        listing.status = status
        listing.save(update_fields=["status", "updated_at"])
        rematch_space(listing)
    return listing


def do_publish_space(listing, *, acting_user) -> int:
    """Post the listing to its town's WeChat/DingTalk groups through the outbox."""
    with transaction.atomic(), acting_as(acting_user):
        sent = notifying.publish_to_town_groups(listing)
        listing.published_at = timezone.now()
        listing.save(update_fields=["published_at", "updated_at"])
    return sent


# --- Talent and capital ------------------------------------------------------------------


def do_post_project(*, acting_user, **fields) -> TalentProject:
    with transaction.atomic(), acting_as(acting_user):
        project = TalentProject.objects.create(number=_temporary_number(), expires_on=_expiry(),
                                               **fields)
        project.number = _number("RC", project)
        project.save(update_fields=["number"])
        notifying.tell_new_matches(Market.TALENT, matching.rematch_need(Market.TALENT, project.pk))
    return project


def do_save_investor(*, acting_user, investor=None, **fields) -> Investor:
    with transaction.atomic(), acting_as(acting_user):
        investor = investor or Investor(expires_on=_expiry())
        for name, value in fields.items():
            setattr(investor, name, value)
        investor.save()
        notifying.tell_new_matches(Market.TALENT, matching.rematch_offer(Market.TALENT, investor.pk))
    return investor


# --- Events: financing days and roadshows ---------------------------------------------------


def do_create_event(*, acting_user, kind, title, held_on, place="") -> MarketEvent:
    with transaction.atomic(), acting_as(acting_user):
        return MarketEvent.objects.create(kind=kind, title=title, held_on=held_on, place=place)


def do_register(event, *, acting_user, enterprise) -> Registration:
    """An enterprise signs up (again: nothing changes)."""
    if event.is_held:
        raise ValidationError(_("This event has already taken place."))
    with transaction.atomic(), acting_as(acting_user):
        registration, _created = Registration.objects.get_or_create(event=event, enterprise=enterprise)
    return registration


def do_record_attendance(registration, *, acting_user, attended: bool, outcome="") -> Registration:
    with transaction.atomic(), acting_as(acting_user):
        registration.attended = attended
        registration.outcome = outcome.strip()[:200]
        registration.save(update_fields=["attended", "outcome", "updated_at"])
        MarketEvent.objects.filter(pk=registration.event_id).update(is_held=True)
    return registration


# --- Scheduled work --------------------------------------------------------------------------


def expire_listings(today: dt.date | None = None) -> dict[str, int]:
    """Needs nobody acted on and listings past their date leave the market."""
    today = today or timezone.localdate()
    counts = {}
    with transaction.atomic(), acting_as(None):
        stale = FinancingNeed.objects.filter(status__in=workflow.TRANSITIONS["expire"].sources, expires_on__lt=today)
        counts["needs"] = 0
        for need in stale:
            _transition(need, "expire", acting_user=None, system=True)
            Match.objects.filter(market=Market.FINANCE, need_id=need.pk).update(is_current=False)
            counts["needs"] += 1
        for name, model, market in (("space", SpaceListing, Market.SPACE), ("projects", TalentProject, Market.TALENT),
                                    ("investors", Investor, Market.TALENT)):
            ids = list(model.objects.filter(status__in=LIVE_LISTING, expires_on__lt=today).values_list("pk", flat=True))
            model.objects.filter(pk__in=ids).update(status=ListingStatus.EXPIRED)
            side = "offer_id" if model is Investor or name == "space" else "need_id"
            Match.objects.filter(market=market, **{f"{side}__in": ids}).update(is_current=False)
            if name == "space":
                Match.objects.filter(market=market, need_id__in=ids).update(is_current=False)
            counts[name] = len(ids)
    return counts


def full_rematch(market: str) -> int:
    """Match a whole market again and tell both sides of every new pair; returns how many are new."""
    with transaction.atomic(), acting_as(None):
        new = matching.rematch_market(market)
        notifying.tell_new_matches(market, new)
        if market == Market.FINANCE:
            _sync_all_matched()
    return len(new)


def _sync_all_matched() -> None:
    """posted ↔ matched for every need at once (one event per need that changes)."""
    current = set(Match.objects.filter(market=Market.FINANCE, is_current=True).values_list("need_id", flat=True)
                  .distinct())
    statuses = FinancingNeed.objects.filter(status__in=(NeedStatus.POSTED, NeedStatus.MATCHED))
    to_match, to_unmatch = [], []
    for pk, status in statuses.values_list("pk", "status"):
        if status == NeedStatus.POSTED and pk in current:
            to_match.append(pk)
        elif status == NeedStatus.MATCHED and pk not in current:
            to_unmatch.append(pk)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    for ids, before, after, kind in ((to_match, NeedStatus.POSTED, NeedStatus.MATCHED, "need_matched"),
                                     (to_unmatch, NeedStatus.MATCHED, NeedStatus.POSTED, "need_unmatched")):
        for start in range(0, len(ids), 900):
            FinancingNeed.objects.filter(pk__in=ids[start:start + 900]).update(status=after)
        matching.bulk_insert(NeedEvent._meta.db_table,
                             ("need_id", "created_at", "kind", "from_status", "to_status", "note", "data"),
                             [(pk, now, kind, before, after, "", "{}") for pk in ids])
