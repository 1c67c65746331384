"""The finance workbook: ``export_finance`` then ``import_finance`` changes
nothing; a changed amount changes every figure that depends on it; bad cells
are all reported by sheet, row and column and nothing is written; and staff
do the same from a page (upload, preview, confirm), never a 500."""

import io
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from fedportal import clock
from finance import selectors
from finance.models import Figure, FinanceImport, Kind, Line
from finance.workbook import HEADERS, SHEET, ImportFailed, export_workbook, import_figures
from tests.pages import error_beside
from tests.roles import FORBIDDEN, OK

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _events() -> int:
    return apps.get_model("finance", "FigureEvent").objects.count()


def _figures() -> list[tuple]:
    return list(
        Figure.objects.order_by("pk").values_list(
            "pk", "line_id", "year", "kind", "basis", "amount", "plan", "comment"
        )
    )


def _edit(data: bytes, changes: dict[tuple[int, str], object]) -> bytes:
    """The workbook with cells changed: {(row, header): value}."""
    book = load_workbook(io.BytesIO(data))
    sheet = book[SHEET]
    for (row, header), value in changes.items():
        sheet.cell(row=row, column=HEADERS.index(header) + 1, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _row_of(data: bytes, line: str, year: str, kind: str) -> int:
    sheet = load_workbook(io.BytesIO(data), read_only=True)[SHEET]
    for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
        if cells[1] == line and cells[3] == year and cells[4] == kind:
            return number
    raise AssertionError(f"no row for {line} {year} {kind}")


def test_the_export_is_the_documented_template_one_row_per_line_year_and_kind(world):
    world(years=3, lines=2)
    book = load_workbook(io.BytesIO(export_workbook()))
    assert book.sheetnames == [SHEET, "Read me"]
    rows = list(book[SHEET].iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    assert len(rows) - 1 == Figure.objects.count() == 3 * 2 * 2 + 3
    assert rows[1][:7] == (
        "Income stream",
        "Stream 0",
        "ELR CCG",
        "2016/17",
        "Gross contract value secured",
        "Forecast",
        5000,
    )
    documented = [r[0] for r in book["Read me"].iter_rows(min_row=5, values_only=True)]
    assert documented == HEADERS
    # Amounts, never totals: no row is a total.
    assert not any("total" in str(r[1]).lower() for r in rows[1:])


def test_export_then_import_changes_nothing(world, tmp_path):
    world(years=4, lines=5)
    before, events = _figures(), _events()
    path = tmp_path / "finance.xlsx"
    call_command("export_finance", str(path), stdout=io.StringIO())
    out = io.StringIO()
    call_command("import_finance", str(path), stdout=out)
    assert "0 new, 0 changed" in out.getvalue()
    assert _figures() == before and _events() == events


def test_a_changed_amount_changes_every_figure_that_depends_on_it(world, staff_user):
    world(years=3, lines=3)
    data = export_workbook()
    table = selectors.income_and_expenditure_table(user=staff_user)
    row = _row_of(data, "Stream 1", "2016/17", "Net income")
    changed = _edit(data, {(row, "Amount"): 4001.5, (row, "Comment"): "Revised"})
    summary = import_figures(changed, dry_run=False, today=clock.today(), user=staff_user)
    assert (summary.created, summary.updated) == (0, 1)
    after = selectors.income_and_expenditure_table(user=staff_user)
    assert after.income.totals[0] == table.income.totals[0] + Decimal("3000.50")
    assert after.surplus[0] == table.surplus[0] + Decimal("3000.50")
    assert after.income.totals[1:] == table.income.totals[1:]
    figure = Figure.objects.get(line__name="Stream 1", year=2016, kind=Kind.NET)
    assert figure.amount == Decimal("4001.50") and figure.comment == "Revised"
    # The history says who changed it.
    event = apps.get_model("finance", "FigureEvent").objects.filter(pgh_obj_id=figure.pk).latest("pgh_id")
    assert event.pgh_context.metadata["user"] == staff_user.pk


def test_new_lines_and_figures_are_added_and_nothing_is_deleted(world, staff_user):
    world(years=2, lines=1)
    data = export_workbook()
    count = Figure.objects.count()
    book = load_workbook(io.BytesIO(data))
    sheet = book[SHEET]
    sheet.append(
        ["Income stream", "New stream", "ELR CCG", "2019/20", "Net income", "Actual", "£1,200", None, "", ""]
    )
    sheet.delete_rows(2)  # a figure the file no longer mentions is left as it is
    out = io.BytesIO()
    book.save(out)
    summary = import_figures(out.getvalue(), dry_run=False, today=clock.today(), user=staff_user)
    assert (summary.lines_created, summary.created) == (1, 1)
    assert Figure.objects.count() == count + 1
    assert Figure.objects.get(line__name="New stream").amount == Decimal("1200.00")
    assert Line.objects.get(name="New stream").commissioner.name == "ELR CCG"


def test_every_bad_cell_is_reported_by_sheet_row_and_column_and_nothing_is_written(world, staff_user):
    world(years=3, lines=3)
    data = export_workbook()
    before, events = _figures(), _events()
    bad = _edit(
        data,
        {
            (2, "Amount"): "twelve pounds",
            (3, "Financial year"): "2019/21",
            (4, "Commissioner"): "Nobody CCG",
            (5, "Amount"): -10,
            (6, "Plan"): 1.234,
            (7, "Kind"): "Expenditure",
            (8, "Financial year"): "3001/02",
            (9, "Amount"): 5000.25,  # a good change, not written either
        },
    )
    with pytest.raises(ImportFailed) as failed:
        import_figures(bad, dry_run=False, today=clock.today(), user=staff_user)
    found = {(e.sheet, e.row, e.column.split()[0]): e.message for e in failed.value.summary.errors}
    assert set(found) == {
        (SHEET, 2, "G"),
        (SHEET, 3, "D"),
        (SHEET, 4, "C"),
        (SHEET, 5, "G"),
        (SHEET, 6, "H"),
        (SHEET, 7, "E"),
        (SHEET, 8, "D"),
    }
    assert "not an amount" in found[(SHEET, 2, "G")]
    assert "cannot be negative" in found[(SHEET, 5, "G")]
    assert "No organisation is called “Nobody CCG”" in found[(SHEET, 4, "C")]
    assert str(failed.value.summary.errors[0]).startswith("Figures, row 2, column G (Amount): ")
    assert _figures() == before and _events() == events


def test_a_current_year_figure_that_moves_past_the_threshold_needs_a_note_in_the_workbook(world, staff_user):
    world(years=3, lines=1)  # 2016 to 2018; today is in 2018/19
    data = export_workbook()
    row = _row_of(data, "Stream 0", "2018/19", "Net income")
    with pytest.raises(ImportFailed) as failed:
        import_figures(_edit(data, {(row, "Amount"): 9000}), dry_run=True, today=clock.today())
    [error] = failed.value.summary.errors
    assert error.column == "J (Movement note)" and "say why in a note" in error.message
    noted = _edit(data, {(row, "Amount"): 9000, (row, "Movement note"): "Contract extended"})
    assert import_figures(noted, dry_run=False, today=clock.today()).updated == 1


def test_the_command_says_what_is_wrong_and_fails(world, tmp_path):
    world()
    path = tmp_path / "finance.xlsx"
    path.write_bytes(_edit(export_workbook(), {(2, "Amount"): "abc"}))
    out = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_finance", str(path), stdout=out)
    assert "Figures, row 2, column G (Amount)" in out.getvalue()
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_finance", str(tmp_path / "missing.xlsx"))
    (tmp_path / "notes.xlsx").write_text("not a workbook")
    with pytest.raises(CommandError):
        call_command("import_finance", str(tmp_path / "notes.xlsx"), stdout=io.StringIO())


def test_a_dry_run_says_what_would_change_and_writes_nothing(world, tmp_path):
    world()
    data = export_workbook()
    path = tmp_path / "finance.xlsx"
    path.write_bytes(_edit(data, {(_row_of(data, "Stream 2", "2016/17", "Net income"), "Amount"): 1}))
    before = _figures()
    out = io.StringIO()
    call_command("import_finance", str(path), "--dry-run", stdout=out)
    assert "Dry run: nothing written." in out.getvalue() and "1 changed" in out.getvalue()
    assert "Stream 2 2016/17 Net income: changed £1,002.00" in out.getvalue()
    assert _figures() == before


# The page: upload, preview, confirm ---------------------------------------------------------


def _upload(data: bytes, name: str = "finance.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=XLSX)


@pytest.mark.parametrize(("role", "expected"), [("staff", OK), ("board", FORBIDDEN), ("practice", FORBIDDEN)])
def test_only_staff_import(world, client_as, role, expected):
    world()
    assert client_as(role).get("/finance/import/").status_code == expected


@pytest.mark.parametrize(("role", "expected"), [("staff", OK), ("board", OK), ("practice", FORBIDDEN)])
def test_staff_and_board_download_the_template(world, client_as, role, expected):
    world()
    response = client_as(role).get("/finance/export/")
    assert response.status_code == expected
    if expected == OK:
        assert load_workbook(io.BytesIO(response.content)).sheetnames == [SHEET, "Read me"]


def test_upload_preview_then_confirm(world, client_as, media_root):
    world()
    client = client_as("staff")
    data = export_workbook()
    row = _row_of(data, "Stream 0", "2016/17", "Net income")
    before = _figures()
    response = client.post("/finance/import/", {"file": _upload(_edit(data, {(row, "Amount"): 1500}))})
    assert response.status_code == 302
    run = FinanceImport.objects.get()
    assert response["Location"] == f"/finance/import/{run.pk}/"
    assert _figures() == before  # a preview writes nothing
    page = client.get(response["Location"]).content.decode()
    assert "What this import would do" in page and "£1,000.00 (forecast), plan £900.00" in page
    assert "£1,500.00 (forecast), plan £900.00" in page
    confirmed = client.post(response["Location"])
    assert confirmed.status_code == 302
    assert Figure.objects.get(line__name="Stream 0", year=2016, kind=Kind.NET).amount == Decimal("1500.00")
    run.refresh_from_db()
    assert run.status == "applied" and run.applied_by.username == "staff"
    # Confirmed at most once.
    again = client.post(response["Location"], follow=True)
    assert "already applied" in again.content.decode()


def test_a_workbook_with_bad_cells_is_shown_with_every_bad_cell_and_cannot_be_confirmed(
    world, client_as, media_root
):
    world()
    client = client_as("staff")
    bad = _edit(export_workbook(), {(2, "Amount"): "abc", (3, "Amount"): -1})
    response = client.post("/finance/import/", {"file": _upload(bad)}, follow=True)
    page = response.content.decode()
    assert "2 bad cells: nothing was imported" in page
    assert "Figures, row 2, column G (Amount)" in page and "Figures, row 3, column G (Amount)" in page
    assert "Confirm and import" not in page
    run = FinanceImport.objects.get()
    assert run.status == "failed"
    before = _figures()
    assert client.post(f"/finance/import/{run.pk}/").status_code == 302
    assert _figures() == before


def test_figures_changed_since_the_preview_are_checked_again_on_confirming(world, client_as, media_root):
    world()
    # The figures as January's board paper had them (recorded then).
    apps.get_model("finance", "FigureEvent").objects.update(
        pgh_created_at=datetime(2019, 1, 31, 12, tzinfo=UTC)
    )
    client = client_as("staff")
    data = export_workbook()
    row = _row_of(data, "Stream 0", "2018/19", "Net income")
    response = client.post("/finance/import/", {"file": _upload(_edit(data, {(row, "Amount"): 1200}))})
    # Meanwhile the threshold is lowered: the move now needs a note.
    from finance.models import FinanceSettings

    FinanceSettings.objects.update_or_create(pk=1, defaults={"movement_threshold": Decimal("100")})
    page = client.post(response["Location"], follow=True).content.decode()
    assert "The import failed; nothing was written" in page and "say why in a note" in page
    assert Figure.objects.get(line__name="Stream 0", year=2018, kind=Kind.NET).amount == Decimal("1000.00")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("figures.xlsx", b"Line,Amount\nStream 0,12\n", "must be an Excel workbook"),
        ("figures.xlsx", b"%PDF-1.4 not really", "must be an Excel workbook"),
        ("figures.xlsx", b"", "The submitted file is empty"),
    ],
)
def test_a_file_that_is_not_a_workbook_is_refused_beside_the_field(
    world, client_as, media_root, name, content, message
):
    world()
    response = client_as("staff").post("/finance/import/", {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    assert message in error_beside(response.content, "file")
    assert not FinanceImport.objects.exists()


def test_a_damaged_workbook_or_another_workbook_is_a_clear_message_not_a_500(world, client_as, media_root):
    world()
    import zipfile

    damaged = io.BytesIO()
    with zipfile.ZipFile(damaged, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<not-a-workbook")
    client = client_as("staff")
    page = client.post(
        "/finance/import/", {"file": _upload(damaged.getvalue())}, follow=True
    ).content.decode()
    assert "cannot be read as an Excel workbook" in page
    other = io.BytesIO()
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Budget"
    book.save(other)
    page = client.post("/finance/import/", {"file": _upload(other.getvalue())}, follow=True).content.decode()
    assert "has no sheet named “Figures”" in page


def test_the_import_pages_take_few_queries(world, client_as, media_root, django_assert_max_num_queries):
    world(years=10, lines=40)
    client = client_as("staff")
    data = export_workbook()
    with django_assert_max_num_queries(12):
        response = client.post("/finance/import/", {"file": _upload(data)})
    with django_assert_max_num_queries(12):
        assert client.get(response["Location"]).status_code == OK
    with django_assert_max_num_queries(12):
        assert client.get("/finance/import/").status_code == OK
    with django_assert_max_num_queries(12):
        assert client.post(response["Location"]).status_code == 302
