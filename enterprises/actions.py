"""All writes to the registry.  Each runs in a transaction and is attributed in the
operation log (django-auditlog records before/after for every save and delete)."""

from __future__ import annotations

from django.db import transaction

from core.audit import acting_as

from .models import Contact, Enterprise, ImportJob, YearFigures
from .search import initials_of
from .sizes import size_class_for


def _prepare(enterprise: Enterprise) -> None:
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
        enterprise = existing.get(values["credit_code"])
        if enterprise is None:
            enterprise = Enterprise(credit_code=values["credit_code"])
            to_create.append((enterprise, values))
        changes = _apply_fields(enterprise, values)
        if enterprise.pk and changes:
            to_update.append(enterprise)
            log_rows.append((enterprise, LogEntry.Action.UPDATE, changes))
    with transaction.atomic():
        Enterprise.objects.bulk_create([e for e, _v in to_create], batch_size=1000)
        created = [e for e, _v in to_create]
        log_rows += [(e, LogEntry.Action.CREATE, _apply_fields(Enterprise(), v)) for e, v in to_create]
        Enterprise.objects.bulk_update(to_update, [*_ENTERPRISE_FIELDS, "name_initials", "former_names"], 1000)
        _import_tags(created + [existing[r["credit_code"]] for r in rows if r["credit_code"] in existing], rows)
        _import_contacts(rows)
        log_bulk_changes(Enterprise, log_rows, acting_user)
    return len(to_create), len(to_update)


def _existing_by_code(codes: list[str]) -> dict[str, Enterprise]:
    found = {}
    for start in range(0, len(codes), 900):
        chunk = codes[start : start + 900]
        found.update({e.credit_code: e for e in Enterprise.objects.filter(credit_code__in=chunk)})
    return found


def _apply_fields(enterprise: Enterprise, values: dict) -> dict:
    """Set the imported fields; return {field: [before, after]} for those that changed."""
    changes = {}
    for field in _ENTERPRISE_FIELDS:
        if field not in values:
            continue
        new = values[field]
        old = getattr(enterprise, field, None) if (enterprise.pk or field != "town") else None
        if _audit_value(old) != _audit_value(new):
            changes[field] = [_audit_value(old), _audit_value(new)]
            if field == "name" and enterprise.pk and enterprise.name:
                former = [n for n in enterprise.former_names.splitlines() if n]
                enterprise.former_names = "\n".join([*former, enterprise.name])
            setattr(enterprise, field, new)
    _prepare(enterprise)
    return changes


def _import_tags(enterprises: list[Enterprise], rows: list[dict]) -> None:
    by_code = {e.credit_code: e for e in enterprises}
    through = Enterprise.tags.through
    tagged = [(by_code[r["credit_code"]], r["tags"]) for r in rows if r.get("tags") is not None and r["tags"] != []]
    through.objects.filter(enterprise_id__in=[e.pk for e, _t in tagged]).delete()
    through.objects.bulk_create(
        [through(enterprise_id=e.pk, enterprisetag_id=t.pk) for e, tags in tagged for t in tags], batch_size=1000
    )


def _import_contacts(rows: list[dict]) -> None:
    wanted = {r["credit_code"]: r for r in rows if r.get("contact_name")}
    if not wanted:
        return
    enterprises = _existing_by_code(list(wanted))
    primaries = {
        c.enterprise_id: c
        for c in Contact.objects.filter(enterprise__in=enterprises.values(), is_primary=True)
    }
    new, changed = [], []
    for code, row in wanted.items():
        enterprise = enterprises[code]
        contact = primaries.get(enterprise.pk)
        if contact is None:
            new.append(Contact(enterprise=enterprise, name=row["contact_name"], phone=row.get("contact_phone", ""), is_primary=True))
        else:
            contact.name, contact.phone = row["contact_name"], row.get("contact_phone", "")
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

    ids = [e.pk for e in enterprises.values()]
    existing = {(f.enterprise_id, f.year): f for f in YearFigures.objects.filter(enterprise_id__in=ids)}
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
        for enterprise in enterprises.values():
            refresh_size_class(enterprise)
    return len(to_create), len(to_update)
