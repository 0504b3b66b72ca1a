"""Time the Excel import of N enterprises (default 30,000), then a re-import of the same file.

Runs on a fresh temporary SQLite database unless DATABASE_URL is set:
    .venv/bin/python bench/import_rows.py [--rows 30000]
Prints seconds for building the workbook, the first import (all creates) and the
re-import (all updates, nothing duplicated).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=30_000)
    args = parser.parse_args()
    os.environ.setdefault("QIFU_VAR_DIR", tempfile.mkdtemp(prefix="qifu-bench-import-"))
    os.environ["TASKS_BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("seed_reference", verbosity=0)
    run(args.rows)


def workbook(rows: int) -> bytes:
    import io

    from openpyxl import Workbook
    from stdnum.cn import uscc

    from enterprises.importing import ENTERPRISE_COLUMNS
    from reference.models import Town

    towns = list(Town.objects.values_list("code", flat=True))
    book = Workbook(write_only=True)
    sheet = book.create_sheet("data")
    sheet.append([c.header for c in ENTERPRISE_COLUMNS])
    for i in range(rows):
        base = f"91330282{i:09d}"
        sheet.append(
            [
                base + uscc.calc_check_digit(base),
                f"慈溪市测试{i}电器有限公司",
                towns[i % len(towns)],
                None,
                "",
                "C3854",
                "home_appliances",
                "规上企业",
                "",
                "",
                "",
                "",
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def run(rows: int) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction

    from accounts.models import User
    from enterprises import actions
    from enterprises.models import Enterprise, ImportJob

    user = User.objects.create(username="bench")
    started = time.perf_counter()
    data = workbook(rows)
    print(f"workbook of {rows} rows: {len(data) / 2**20:.1f} MB in {time.perf_counter() - started:.1f} s")
    for label in ("first import (creates)", "re-import (updates)"):
        started = time.perf_counter()
        with transaction.atomic():
            job = actions.do_queue_import(
                acting_user=user,
                kind=ImportJob.Kind.ENTERPRISES,
                mode=ImportJob.Mode.ALL_OR_NOTHING,
                uploaded_file=SimpleUploadedFile("bench.xlsx", data),
            )
        job.refresh_from_db()
        print(
            f"{label}: {time.perf_counter() - started:.1f} s, status={job.status}, created={job.created_count}, "
            f"updated={job.updated_count}, enterprises now {Enterprise.objects.count()}"
        )


if __name__ == "__main__":
    main()
