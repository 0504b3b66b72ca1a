"""All writes to the registry.  Each runs in a transaction and is attributed in the
operation log (django-auditlog records before/after for every save and delete)."""

from __future__ import annotations

from django.db import transaction

from core.audit import acting_as

from .models import Contact, Enterprise, ImportJob, YearFigures
from .search import initials_of
from .sizes import size_class_for
from .validators import normalise_credit_code


def _prepare(enterprise: Enterprise) -> None:
    enterprise.credit_code = normalise_credit_code(enterprise.credit_code)
    enterprise.name_initials = initials_of(enterprise.name)


def do_create_enterprise(*, acting_user, tags=(), **fields) -> Enterprise:
    """Create an enterprise after full validation (credit code, industry code …)."""
    enterprise = Enterprise(**fields)
    _prepare(enterprise)
    enterprise.full_clean()
    with transaction.atomic(), acting_as(acting_user):
        enterprise.save()
        if tags:
            enterprise.tags.set(tags)
    return enterprise


def do_update_enterprise(enterprise: Enterprise, *, acting_user, tags=None, **changes) -> Enterprise:
    """Change fields; a renamed enterprise keeps its old name among the former names."""
    new_name = changes.get("name")
    if new_name and new_name != enterprise.name:
        former = [n for n in enterprise.former_names.splitlines() if n]
        if enterprise.name not in former:
            former.append(enterprise.name)
        enterprise.former_names = "\n".join(former)
    for field, value in changes.items():
        setattr(enterprise, field, value)
    _prepare(enterprise)
    enterprise.full_clean()
    with transaction.atomic(), acting_as(acting_user):
        enterprise.save()
        if tags is not None:
            enterprise.tags.set(tags)
    return enterprise


def do_set_year_figures(enterprise: Enterprise, year: int, *, acting_user, **values) -> YearFigures:
    """Create or update one year's figures and refresh the derived size class."""
    with transaction.atomic(), acting_as(acting_user):
        figures, _created = YearFigures.objects.get_or_create(enterprise=enterprise, year=year)
        for field, value in values.items():
            setattr(figures, field, value)
        figures.full_clean()
        figures.save()
        refresh_size_class(enterprise)
    return figures


def do_add_contact(enterprise: Enterprise, *, acting_user, **fields) -> Contact:
    contact = Contact(enterprise=enterprise, **fields)
    contact.full_clean()
    with transaction.atomic(), acting_as(acting_user):
        contact.save()
    return contact


def refresh_size_class(enterprise: Enterprise) -> None:
    """Derive the size class from the latest year with both employees and revenue."""
    latest = (
        enterprise.year_figures.filter(employees__isnull=False, revenue_fen__isnull=False).order_by("-year").first()
    )
    size = size_class_for(latest.employees, latest.revenue_fen) if latest else size_class_for(None, None)
    if size != enterprise.size_class:
        enterprise.size_class = size
        enterprise.save(update_fields=["size_class", "updated_at"])


def refresh_size_classes(enterprise_ids: list[int]) -> None:
    """The bulk form of refresh_size_class, a few queries per 900 enterprises."""
    for ids in _chunked(enterprise_ids):
        latest: dict[int, str] = {}
        figures = (
            YearFigures.objects.filter(enterprise_id__in=ids, employees__isnull=False, revenue_fen__isnull=False)
            .order_by("enterprise_id", "-year")
            .values_list("enterprise_id", "employees", "revenue_fen")
        )
        for enterprise_id, employees, revenue in figures:
            latest.setdefault(enterprise_id, size_class_for(employees, revenue))
        stale = [e for e in Enterprise.objects.filter(pk__in=ids).only("pk", "size_class")
                 if e.size_class != latest.get(e.pk, size_class_for(None, None))]
        for enterprise in stale:
            enterprise.size_class = latest.get(enterprise.pk, size_class_for(None, None))
        Enterprise.objects.bulk_update(stale, ["size_class"], batch_size=1000)


def do_queue_import(*, acting_user, kind: str, mode: str, uploaded_file) -> ImportJob:
    """Store the upload and hand it to the worker; the job page shows its progress."""
    from django.utils import translation

    from .tasks import run_import

    language = translation.get_language() or "zh-hans"
    with transaction.atomic():
        job = ImportJob.objects.create(
            kind=kind,
            mode=mode,
            file=uploaded_file,
            original_name=uploaded_file.name[:200],
            created_by=acting_user,
        )
        transaction.on_commit(lambda: run_import.enqueue(job.pk, language))
    return job


# --- Bulk writes used by the Excel import.  Each writes its own operation-log rows
# because bulk_create/bulk_update bypass the per-save audit signals.

_ENTERPRISE_FIELDS = (
    "name",
    "town",
    "park",
    "address",
    "industry_code",
    "industry_group",
    "legal_representative",
    "established_on",
)


def _audit_value(value):
    if value is None:
        return "None"
    return str(getattr(value, "pk", value))


def do_import_enterprise_rows(rows: list[dict], *, acting_user) -> tuple[int, int]:
    """Create or update enterprises by credit code; returns (created, updated)."""
    from auditlog.models import LogEntry

    from core.audit import log_bulk_changes

    existing = _existing_by_code([r["credit_code"] for r in rows])
    to_create, to_update, log_rows = [], [], []
    for values in rows:
        enterprise = existing.get(values["credit_code"]) or Enterprise(credit_code=values["credit_code"])
        changes = _apply_fields(enterprise, values)
        if enterprise.pk is None:
            to_create.append(enterprise)
            log_rows.append((enterprise, LogEntry.Action.CREATE, changes))
        elif changes:
            to_update.append(enterprise)
            log_rows.append((enterprise, LogEntry.Action.UPDATE, changes))
    with transaction.atomic():
        Enterprise.objects.bulk_create(to_create, batch_size=1000)
        Enterprise.objects.bulk_update(to_update, [*_ENTERPRISE_FIELDS, "name_initials", "former_names"], 1000)
        _import_tags([*to_create, *existing.values()], rows)
        _import_contacts(rows)
        log_bulk_changes(Enterprise, log_rows, acting_user)
    return len(to_create), len(to_update)


def _existing_by_code(codes: list[str]) -> dict[str, Enterprise]:
    found = {}
    for chunk in _chunked(codes):
        found.update({e.credit_code: e for e in Enterprise.objects.filter(credit_code__in=chunk)})
    return found


_FOREIGN_KEYS = {"town", "park", "industry_group"}


def _current(enterprise: Enterprise, field: str):
    """The stored value, as a primary key for foreign keys (no query per row)."""
    if field in _FOREIGN_KEYS:
        return getattr(enterprise, f"{field}_id")
    return getattr(enterprise, field)


def _apply_fields(enterprise: Enterprise, values: dict) -> dict:
    """Set the imported fields; return {field: [before, after]} for those that changed."""
    changes = {}
    for field in _ENTERPRISE_FIELDS:
        if field not in values:
            continue
        new = values[field]
        old = _current(enterprise, field)
        if _audit_value(old) != _audit_value(new):
            changes[field] = [_audit_value(old), _audit_value(new)]
            if field == "name" and enterprise.pk and enterprise.name:
                former = [n for n in enterprise.former_names.splitlines() if n]
                enterprise.former_names = "\n".join([*former, enterprise.name])
            setattr(enterprise, field, new)
    if "name" in changes or not enterprise.name_initials:
        _prepare(enterprise)
    return changes


def _chunked(items: list, size: int = 900):
    """Slices small enough for any database's limit on query parameters."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _import_tags(enterprises: list[Enterprise], rows: list[dict]) -> None:
    """Replace the tags of rows that name tags, touching only what changed."""
    by_code = {e.credit_code: e for e in enterprises}
    wanted = {by_code[r["credit_code"]].pk: {t.pk for t in r["tags"]} for r in rows if r.get("tags")}
    through = Enterprise.tags.through
    current: dict[int, set[int]] = {}
    for ids in _chunked(list(wanted)):
        for enterprise_id, tag_id in through.objects.filter(enterprise_id__in=ids).values_list(
            "enterprise_id", "enterprisetag_id"
        ):
            current.setdefault(enterprise_id, set()).add(tag_id)
    changed = [pk for pk, tags in wanted.items() if current.get(pk, set()) != tags]
    for ids in _chunked(changed):
        through.objects.filter(enterprise_id__in=ids).delete()
    through.objects.bulk_create(
        [through(enterprise_id=pk, enterprisetag_id=t) for pk in changed for t in wanted[pk]], batch_size=1000
    )


def _import_contacts(rows: list[dict]) -> None:
    wanted = {r["credit_code"]: r for r in rows if r.get("contact_name")}
    if not wanted:
        return
    enterprises = _existing_by_code(list(wanted))
    primaries = {}
    for ids in _chunked([e.pk for e in enterprises.values()]):
        primaries.update({c.enterprise_id: c for c in Contact.objects.filter(enterprise_id__in=ids, is_primary=True)})
    new, changed = [], []
    for code, row in wanted.items():
        enterprise, phone = enterprises[code], row.get("contact_phone", "")
        contact = primaries.get(enterprise.pk)
        if contact is None:
            new.append(Contact(enterprise=enterprise, name=row["contact_name"], phone=phone, is_primary=True))
        elif (contact.name, contact.phone) != (row["contact_name"], phone):
            contact.name, contact.phone = row["contact_name"], phone
            changed.append(contact)
    Contact.objects.bulk_create(new, batch_size=1000)
    Contact.objects.bulk_update(changed, ["name", "phone"], batch_size=1000)


_FIGURE_FIELDS = (
    "revenue_fen",
    "tax_paid_fen",
    "value_added_fen",
    "land_area_mu",
    "energy_tce",
    "emissions_t",
    "rd_spending_fen",
    "employees",
    "mlt_loan_avg_daily_balance_fen",
    "leasing_expenditure_fen",
    "leasing_interest_fen",
    "tech_service_spending_fen",
)


def do_import_year_rows(rows: list[dict], enterprises: dict[str, Enterprise], *, acting_user) -> tuple[int, int]:
    """Create or update yearly figures keyed by (credit code, year)."""
    from auditlog.models import LogEntry

    from core.audit import log_bulk_changes

    existing = {}
    for ids in _chunked([e.pk for e in enterprises.values()]):
        existing.update({(f.enterprise_id, f.year): f for f in YearFigures.objects.filter(enterprise_id__in=ids)})
    to_create, to_update, log_rows = [], [], []
    for values in rows:
        enterprise = enterprises[values["credit_code"]]
        figures = existing.get((enterprise.pk, values["year"]))
        if figures is None:
            figures = YearFigures(enterprise=enterprise, year=values["year"])
            to_create.append(figures)
        changes = {}
        for field in _FIGURE_FIELDS:
            if field in values and _audit_value(getattr(figures, field)) != _audit_value(values[field]):
                changes[field] = [_audit_value(getattr(figures, field)), _audit_value(values[field])]
                setattr(figures, field, values[field])
        if figures.pk and changes:
            to_update.append(figures)
        log_rows.append((figures, LogEntry.Action.UPDATE if figures.pk else LogEntry.Action.CREATE, changes))
    with transaction.atomic():
        YearFigures.objects.bulk_create(to_create, batch_size=1000)
        YearFigures.objects.bulk_update(to_update, list(_FIGURE_FIELDS), batch_size=1000)
        log_bulk_changes(YearFigures, [r for r in log_rows if r[2]], acting_user)
        refresh_size_classes([e.pk for e in enterprises.values()])
    return len(to_create), len(to_update)
