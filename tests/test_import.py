"""Excel import of enterprises and yearly figures: whole-file checks, the row report, both modes."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse

from enterprises import importing
from enterprises.models import Enterprise, ImportJob, SizeClass, YearFigures

from .factories import HONGDA_NAME, credit_code, read_xlsx, sheet, xlsx_file

pytestmark = pytest.mark.django_db

ALL_OR_NOTHING = ImportJob.Mode.ALL_OR_NOTHING
GOOD_ROWS = ImportJob.Mode.GOOD_ROWS
NOT_XLSX = "This is not an Excel (.xlsx) file. Save it as .xlsx and try again."
REQUIRED = "This cell is required."


def enterprise(serial: int, name: str, town: str = "周巷镇", **cells) -> dict:
    return {"credit_code": credit_code(serial), "name": name, "town": town, **cells}


@pytest.fixture
def importer(client, platform_clerk, in_english):
    """The city platform clerk, logged in, maintains the registry."""
    client.force_login(platform_clerk)
    return platform_clerk


def form_errors(response) -> list[str]:
    return response.context["form"].errors["file"]


# --- The file as a whole ----------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, id="png-renamed"),
        pytest.param("统一社会信用代码,企业名称\n913302820000000011,宏达\n".encode(), id="csv-renamed"),
    ],
)
def test_a_file_that_is_not_a_spreadsheet_is_refused_with_a_clear_message(importer, upload, content):
    response, job = upload(content, name="企业名单.xlsx")

    assert response.status_code == 200
    assert job is None
    assert ImportJob.objects.count() == 0
    assert Enterprise.objects.count() == 0
    assert form_errors(response) == [NOT_XLSX]


def test_a_zip_that_is_not_a_workbook_is_rejected_by_the_job(importer, upload):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")

    _response, job = upload(buffer.getvalue())

    assert job.status == ImportJob.Status.REJECTED
    assert job.message == NOT_XLSX
    assert Enterprise.objects.count() == 0


def test_wrong_headers_name_the_missing_and_unknown_columns(importer, upload):
    content = xlsx_file(["统一社会信用代码", "企业名", "镇街", "备注"], [[credit_code(1), "宏达", "周巷镇", "x"]])

    _response, job = upload(content)

    assert job.status == ImportJob.Status.REJECTED
    assert "missing required columns: 企业名称" in job.message
    assert "unknown columns: 企业名、备注" in job.message
    assert Enterprise.objects.count() == 0


def test_headers_without_the_required_star_and_in_another_order_are_accepted(importer, upload):
    content = xlsx_file(["镇街", "企业名称", "统一社会信用代码"], [["周巷镇", HONGDA_NAME, credit_code(1)]])

    _response, job = upload(content)

    assert job.status == ImportJob.Status.DONE
    assert Enterprise.objects.get(credit_code=credit_code(1)).name == HONGDA_NAME


def test_a_file_over_the_size_limit_is_refused(importer, upload, settings):
    settings.QIFU_IMPORT_MAX_BYTES = 1024
    content = sheet("enterprises", [enterprise(1, HONGDA_NAME)])
    assert len(content) > 1024

    response, job = upload(content)

    assert job is None
    assert any("The file is too large" in error for error in form_errors(response))
    assert Enterprise.objects.count() == 0


def test_the_job_itself_also_refuses_an_oversized_file(settings, in_english):
    settings.QIFU_IMPORT_MAX_BYTES = 1024
    with pytest.raises(importing.ImportFileError, match="too large"):
        importing.read_rows("enterprises", sheet("enterprises", [enterprise(1, HONGDA_NAME)]))


def test_a_sheet_with_headers_only_is_rejected(importer, upload):
    _response, job = upload(sheet("enterprises", []))

    assert job.status == ImportJob.Status.REJECTED
    assert job.message == "The sheet has no data rows."


def test_too_many_rows_are_rejected(importer, upload, settings):
    settings.QIFU_IMPORT_MAX_ROWS = 2
    rows = [enterprise(serial, f"慈溪市第{serial}厂") for serial in (1, 2, 3)]

    _response, job = upload(sheet("enterprises", rows))

    assert job.status == ImportJob.Status.REJECTED
    assert "at most 2 can be imported at once" in job.message
    assert Enterprise.objects.count() == 0


# --- Row checks and the report ---------------------------------------------------------

GOOD_CODE_12 = credit_code(12)
BAD_CODE_12 = GOOD_CODE_12[:17] + ("1" if GOOD_CODE_12[-1] != "1" else "2")

MIXED_ROWS = [
    enterprise(11, "慈溪市甲电器有限公司"),  # row 2: good
    {**enterprise(12, "慈溪市乙有限公司"), "credit_code": BAD_CODE_12},  # row 3: wrong check digit
    enterprise(13, ""),  # row 4: no name
    enterprise(14, "慈溪市丁有限公司", town="火星镇"),  # row 5: unknown town
    enterprise(15, "慈溪市戊电器有限公司", town="longshan", industry_code="C3854"),  # row 6: good (town by code)
    enterprise(16, "慈溪市己有限公司", industry_code="X99", established_on="2020-13-45"),  # row 7: two problems
]


def expected_report() -> list[list]:
    return [
        [
            3,
            "统一社会信用代码",
            f"The check digit (last character) of the credit code is wrong: expected {GOOD_CODE_12[-1]}.",
        ],
        [4, "企业名称", REQUIRED],
        [5, "镇街", "Unknown value “火星镇”."],
        [7, "行业代码", "The industry code must follow GB/T 4754, such as C or C3854."],
        [7, "成立日期", "Not a date; write it as 2020-05-31."],
    ]


def test_every_bad_row_is_reported_with_row_column_and_reason(importer, upload, client):
    _response, job = upload(sheet("enterprises", MIXED_ROWS), mode=ALL_OR_NOTHING)

    assert job.errors == expected_report()
    assert job.error_count == 4
    assert job.total_rows == 6

    # The job page lists the problems, and the report downloads as Excel
    page = client.get(reverse("enterprises-import-job", args=[job.pk]))
    assert page.status_code == 200
    assert "Unknown value “火星镇”." in page.content.decode()
    report = client.get(reverse("enterprises-import-report", args=[job.pk]))
    assert read_xlsx(report.content)[1:] == expected_report()


def test_all_or_nothing_imports_nothing_when_a_row_is_bad(importer, upload, client):
    _response, job = upload(sheet("enterprises", MIXED_ROWS), mode=ALL_OR_NOTHING)

    assert job.status == ImportJob.Status.REJECTED
    assert job.message == "4 rows have errors, so nothing was imported."
    assert Enterprise.objects.count() == 0
    status = client.get(reverse("enterprises-import-status", args=[job.pk])).json()
    assert status["finished"] is True
    assert status["progress"] == 100
    assert status["error_count"] == 4


def test_good_rows_mode_imports_the_good_rows_and_skips_the_bad(importer, upload):
    _response, job = upload(sheet("enterprises", MIXED_ROWS), mode=GOOD_ROWS)

    assert job.status == ImportJob.Status.DONE
    assert job.created_count == 2
    assert job.message == "Imported 2 rows, skipped 4 bad rows."
    assert set(Enterprise.objects.values_list("name", flat=True)) == {"慈溪市甲电器有限公司", "慈溪市戊电器有限公司"}
    wu = Enterprise.objects.get(name="慈溪市戊电器有限公司")
    assert (wu.town.code, wu.industry_code, wu.name_initials) == ("longshan", "C3854", "cxswdqyxgs")
    assert job.errors == expected_report()


def test_the_same_credit_code_twice_in_one_file_is_reported(importer, upload):
    rows = [enterprise(1, "慈溪市甲厂"), enterprise(2, "慈溪市乙厂"), enterprise(1, "慈溪市甲厂二")]

    _response, job = upload(sheet("enterprises", rows), mode=GOOD_ROWS)

    assert job.errors == [[4, "统一社会信用代码", "Repeats row 2."]]
    assert Enterprise.objects.get(credit_code=credit_code(1)).name == "慈溪市甲厂"


def test_tags_park_and_contact_are_imported(importer, upload):
    row = enterprise(
        1,
        "慈溪市甲厂",
        park="周巷小家电小微企业园",
        tags="above_scale",
        contact_name="陈明",
        contact_phone="13900001111",
    )

    _response, job = upload(sheet("enterprises", [row]))

    assert job.status == ImportJob.Status.DONE, job.errors
    imported = Enterprise.objects.get(credit_code=credit_code(1))
    assert imported.park.code == "zhouxiang_micro"
    assert list(imported.tags.values_list("code", flat=True)) == ["above_scale"]
    assert [(c.name, c.phone, c.is_primary) for c in imported.contacts.all()] == [("陈明", "13900001111", True)]


# --- Re-import ------------------------------------------------------------------------------


def test_reimport_updates_by_credit_code_and_never_duplicates(importer, upload, hongda):
    # Given 宏达 is registered, when a sheet renames it (code typed lower-case with spaces) and adds a new one
    pasted_code = " ".join([hongda.credit_code[:8], hongda.credit_code[8:]]).lower()
    rows = [
        {"credit_code": pasted_code, "name": "慈溪市宏达智能科技有限公司", "town": "周巷镇"},
        enterprise(50, "慈溪市新光照明有限公司"),
    ]
    _response, job = upload(sheet("enterprises", rows))

    # Then one is updated and keeps its old name, one is created
    assert (job.status, job.created_count, job.updated_count) == (ImportJob.Status.DONE, 1, 1)
    hongda.refresh_from_db()
    assert hongda.name == "慈溪市宏达智能科技有限公司"
    assert hongda.former_names.splitlines() == [HONGDA_NAME]
    assert hongda.name_initials == "cxshdznkjyxgs"
    assert Enterprise.objects.count() == 2

    # When the same sheet is imported again, nothing is created and nothing changes
    _response, again = upload(sheet("enterprises", rows))
    assert (again.created_count, again.updated_count) == (0, 0)
    assert Enterprise.objects.count() == 2
    hongda.refresh_from_db()
    assert hongda.former_names.splitlines() == [HONGDA_NAME]


# --- Yearly figures ----------------------------------------------------------------------------


def test_yearly_figures_for_an_unknown_credit_code_are_reported(importer, upload, hongda):
    rows = [
        {"credit_code": hongda.credit_code, "year": 2023, "revenue_fen": "5000", "employees": 320},
        {"credit_code": credit_code(999), "year": 2023, "revenue_fen": "100"},
    ]

    _response, job = upload(sheet("year_figures", rows), kind="year_figures", mode=GOOD_ROWS)

    assert job.errors == [[3, "统一社会信用代码", "No enterprise with this credit code is registered."]]
    assert job.created_count == 1
    figures = YearFigures.objects.get(enterprise=hongda, year=2023)
    assert (figures.revenue_fen, figures.employees) == (5_000_000_000, 320)
    hongda.refresh_from_db()
    assert hongda.size_class == SizeClass.MEDIUM


def test_money_in_wan_keeps_six_decimals_and_refuses_a_seventh(importer, upload, hongda):
    rows = [
        {"credit_code": hongda.credit_code, "year": 2022, "revenue_fen": "1234.567891", "tax_paid_fen": 12.5},
        {"credit_code": hongda.credit_code, "year": 2023, "revenue_fen": "0.1234567"},
    ]

    _response, job = upload(sheet("year_figures", rows), kind="year_figures", mode=GOOD_ROWS)

    assert job.errors == [[3, "营业收入（万元）", "Amounts in 万元 can have at most 6 decimals (one fen)."]]
    figures = YearFigures.objects.get(enterprise=hongda, year=2022)
    assert (figures.revenue_fen, figures.tax_paid_fen) == (1_234_567_891, 12_500_000)
    assert not YearFigures.objects.filter(year=2023).exists()


def test_reimported_yearly_figures_update_the_same_year(importer, upload, hongda):
    first = [{"credit_code": hongda.credit_code, "year": 2023, "revenue_fen": "100", "employees": 10}]
    second = [{"credit_code": hongda.credit_code, "year": 2023, "revenue_fen": "400", "employees": 25}]

    upload(sheet("year_figures", first), kind="year_figures")
    _response, job = upload(sheet("year_figures", second), kind="year_figures")

    assert (job.created_count, job.updated_count) == (0, 1)
    assert YearFigures.objects.filter(enterprise=hongda).count() == 1
    hongda.refresh_from_db()
    assert hongda.size_class == SizeClass.SMALL


@pytest.mark.parametrize(
    ("cells", "column", "reason"),
    [
        ({"year": 1989}, "年份", "The year must be between 1990 and this year."),
        ({"year": None}, "年份", REQUIRED),
        ({"employees": "12.5"}, "从业人员（人）", "Must be a whole number."),
        ({"revenue_fen": "-1"}, "营业收入（万元）", "Must not be negative."),
        ({"revenue_fen": "abc"}, "营业收入（万元）", "Not a number."),
        ({"land_area_mu": "1.234"}, "用地面积（亩）", "At most 2 decimals."),
    ],
)
def test_bad_yearly_cells_are_explained(importer, upload, hongda, cells, column, reason):
    row = {"credit_code": hongda.credit_code, "year": 2023, **cells}

    _response, job = upload(sheet("year_figures", [row]), kind="year_figures")

    assert job.errors == [[2, column, reason]]
    assert not YearFigures.objects.exists()


# --- Who may import -----------------------------------------------------------------------------


def test_templates_download_with_the_import_headers(importer, client):
    response = client.get(reverse("enterprises-import-template", args=["enterprises"]))

    assert response.status_code == 200
    assert read_xlsx(response.content)[0][:3] == ["统一社会信用代码*", "企业名称*", "镇街*"]
    assert client.get(reverse("enterprises-import-template", args=["nonsense"])).status_code == 404


@pytest.mark.parametrize("persona", ["department_handler", "hongda_contact", "outsider"])
def test_only_registry_staff_may_import(client, request, persona):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("enterprises-import")).status_code == 404
    assert client.get(reverse("enterprises-import-template", args=["enterprises"])).status_code == 404


def test_a_job_is_visible_only_to_whoever_uploaded_it(importer, upload, client, zhouxiang_clerk):
    _response, job = upload(sheet("enterprises", [enterprise(1, "慈溪市甲厂")]))

    client.force_login(zhouxiang_clerk)
    for name in ("enterprises-import-job", "enterprises-import-status", "enterprises-import-report"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
