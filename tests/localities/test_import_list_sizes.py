"""`manage.py import_list_sizes` on small "Patients Registered at a GP
Practice" files in every header and date variant NHS Digital has published."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from pghistory.models import Events

from localities.importers import ImportFailed, import_list_sizes, parse_extract_date
from localities.models import ListSize, Practice
from tests.localities.conftest import (
    LIST_SIZE_HEADER_2017,
    LIST_SIZE_HEADER_2019,
    LIST_SIZE_HEADER_2022,
    list_size_line,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def practices(db):
    """Two practices in the portal, neither with a list size yet."""
    return [
        Practice.objects.create(ods_code="C82001", name="South Leicestershire Medical Partnership"),
        Practice.objects.create(ods_code="C82002", name="Countesthorpe Health Centre"),
    ]


def run(path, **options) -> str:
    out = StringIO()
    call_command("import_list_sizes", str(path), stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


def figures() -> list[tuple[str, date, int]]:
    return list(
        ListSize.objects.order_by("practice__ods_code", "as_at").values_list(
            "practice__ods_code", "as_at", "registered_patients"
        )
    )


@pytest.mark.parametrize(
    ("header", "extract_date", "as_at"),
    [
        pytest.param(LIST_SIZE_HEADER_2019, "01JAN2021", date(2021, 1, 1), id="2019-22 CCG columns"),
        pytest.param(LIST_SIZE_HEADER_2022, "01May2022", date(2022, 5, 1), id="July 2022+ sub-ICB columns"),
        pytest.param(LIST_SIZE_HEADER_2022, "2026-04-01", date(2026, 4, 1), id="2026 ISO dates"),
        pytest.param(LIST_SIZE_HEADER_2017, "01APR2018", date(2018, 4, 1), id="2017-18 ORG_ columns"),
    ],
)
def test_every_header_variant_and_date_format_is_read(write_file, practices, header, extract_date, as_at):
    # given a file in one of the published shapes
    text = (
        header
        + "\n"
        + list_size_line("C82001", 34535, extract_date=extract_date)
        + list_size_line("C82002", 10809, extract_date=extract_date)
    )
    path = write_file("gp-reg-pat-prac-all.csv", text)

    # when it is imported
    output = run(path)

    # then each practice has its figure at the extract date, with the file as its source
    assert figures() == [("C82001", as_at, 34535), ("C82002", as_at, 10809)]
    assert set(ListSize.objects.values_list("source", flat=True)) == {"gp-reg-pat-prac-all.csv"}
    assert "created: 2" in output


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("01JAN2021", date(2021, 1, 1)),
        ("01May2022", date(2022, 5, 1)),
        ("2026-04-01", date(2026, 4, 1)),
        (" 01jan2019 ", date(2019, 1, 1)),
    ],
)
def test_extract_dates_in_each_published_format(text, expected):
    assert parse_extract_date(text) == expected


def test_practices_not_in_the_portal_and_non_total_rows_are_skipped(write_file, practices):
    # given a file with breakdowns by sex and age and a practice the portal does not hold
    text = (
        LIST_SIZE_HEADER_2019
        + "\n"
        + list_size_line("C82001", 34535)
        + list_size_line("C82001", 17000, sex="MALE")
        + list_size_line("C82001", 2100, age="0_4")
        + list_size_line("C82001", 1000, sex="FEMALE", age="0_4")
        + list_size_line("A84002", 5903)
        + list_size_line("A84003", 14738)
    )

    output = run(write_file("list.csv", text))

    assert figures() == [("C82001", date(2021, 1, 1), 34535)]
    assert "created: 1" in output
    assert "skipped: 5" in output
    assert "3 not a practice total (TYPE=GP, SEX=ALL, AGE=ALL)" in output
    assert "2 practice not in the portal" in output
    assert "rejected: 0" in output


def test_running_the_same_file_again_changes_nothing(write_file, practices):
    # given a file imported once
    text = LIST_SIZE_HEADER_2019 + "\n" + list_size_line("C82001", 34535) + list_size_line("C82002", 10809)
    path = write_file("list.csv", text)
    run(path)
    before = (ListSize.objects.count(), Events.objects.count())

    # when it is imported again
    output = run(path)

    # then nothing is created and no history is written
    assert "created: 0" in output
    assert "unchanged: 2" in output
    assert (ListSize.objects.count(), Events.objects.count()) == before


def test_a_different_figure_for_a_recorded_date_is_rejected_never_overwritten(write_file, practices):
    # given C82001 already has 34,535 patients at 1 January 2021
    ListSize.objects.create(practice=practices[0], as_at=date(2021, 1, 1), registered_patients=34535)

    # when a file says otherwise, beside a new figure for C82002
    text = LIST_SIZE_HEADER_2019 + "\n" + list_size_line("C82001", 34600) + list_size_line("C82002", 10809)
    output = run(write_file("list.csv", text))

    # then the recorded figure stands, the conflict is reported with its line, and the rest goes in
    assert figures() == [("C82001", date(2021, 1, 1), 34535), ("C82002", date(2021, 1, 1), 10809)]
    assert "rejected: 1" in output
    assert (
        "line 2: C82001 at 01/01/2021 is already recorded as 34,535; the file says 34,600 "
        "(figures are never overwritten)" in output
    )
    assert "created: 1" in output


def test_a_practice_twice_in_one_file_with_different_figures_is_rejected(write_file, practices):
    text = LIST_SIZE_HEADER_2019 + "\n" + list_size_line("C82001", 34535) + list_size_line("C82001", 1)

    summary = import_list_sizes(StringIO(text))

    assert [(p.line, p.reason) for p in summary.rejected] == [
        (3, "C82001 at 01/01/2021 appears twice with different figures")
    ]
    assert figures() == [("C82001", date(2021, 1, 1), 34535)]


@pytest.mark.parametrize(
    ("bad_line", "reason"),
    [
        pytest.param(
            "GP_PRAC_PAT_LIST,01JAN2021,GP,03W\n", "expected 10 fields, found 4", id="too few fields"
        ),
        pytest.param(
            "GP_PRAC_PAT_LIST,01JAN2021,GP,03W,E38000051,C82002,LE8,5QJ,ALL,ALL,10809\n",
            "expected 10 fields, found 11",
            id="too many fields",
        ),
        pytest.param(
            list_size_line("C82002", 10809, extract_date="32JAN2021"),
            "C82002: unrecognised extract date",
            id="bad date",
        ),
        pytest.param(
            list_size_line("C82002", "1080x"),
            "C82002: NUMBER_OF_PATIENTS '1080x' is not a whole number",
            id="not a number",
        ),
        pytest.param(
            list_size_line("C82002", -5),
            "C82002: NUMBER_OF_PATIENTS '-5' is not a whole number",
            id="negative",
        ),
        pytest.param(
            list_size_line("C82002", "\u00b2"),
            "C82002: NUMBER_OF_PATIENTS '\u00b2' is not a whole number from 0 to 999,999,999",
            id="superscript digit",
        ),
        pytest.param(
            list_size_line("C82002", 3_000_000_000),
            "C82002: NUMBER_OF_PATIENTS '3000000000' is not a whole number from 0 to 999,999,999",
            id="beyond the database column",
        ),
        pytest.param(
            'GP_PRAC_PAT_LIST,01JAN2021,GP,03W,E38000051,"C82002,LE8 5QJ,ALL,ALL,10809\n',
            "a quoted field starting on this line is never closed",
            id="unclosed quote",
        ),
    ],
)
def test_a_malformed_row_stops_the_import_with_its_line_number(write_file, practices, bad_line, reason):
    # given a file whose fourth line is malformed, and one figure already recorded
    ListSize.objects.create(practice=practices[0], as_at=date(2020, 1, 1), registered_patients=34000)
    text = (
        LIST_SIZE_HEADER_2019
        + "\n"
        + list_size_line("C82001", 34535)
        + list_size_line("C82001", 17000, sex="MALE")
        + bad_line
        + list_size_line("C82002", 10809, extract_date="01FEB2021")
    )
    path = write_file("list.csv", text)
    before = (figures(), Events.objects.count())

    # when it is imported
    out = StringIO()
    with pytest.raises(CommandError, match="malformed rows; nothing was imported"):
        call_command("import_list_sizes", str(path), stdout=out, stderr=StringIO())

    # then the line is reported and nothing was written, not even the good rows before it
    assert f"line 4: {reason}" in out.getvalue()
    assert (figures(), Events.objects.count()) == before


def test_a_file_that_is_not_a_list_size_file_is_refused_at_line_1(write_file, practices):
    path = write_file("epraccur.csv", '"C82001","SOUTH LEICESTERSHIRE MEDICAL PARTNERSHIP"\n')

    with pytest.raises(ImportFailed) as failure:
        import_list_sizes(path.open())

    assert failure.value.summary.malformed[0].line == 1
    assert "missing column" in failure.value.summary.malformed[0].reason
    assert ListSize.objects.count() == 0


def test_a_quoted_count_with_a_thousands_separator_is_read(write_file, practices):
    text = LIST_SIZE_HEADER_2019 + "\n" + list_size_line("C82001", '"34,535"')

    run(write_file("list.csv", text))

    assert figures() == [("C82001", date(2021, 1, 1), 34535)]


def test_dry_run_writes_nothing(write_file, practices):
    text = LIST_SIZE_HEADER_2019 + "\n" + list_size_line("C82001", 34535) + list_size_line("C82002", 10809)

    output = run(write_file("list.csv", text), dry_run=True)

    assert ListSize.objects.count() == 0
    assert "Dry run: nothing written." in output
    assert "created: 2 (would be created)" in output


def test_a_windows_1252_file_with_a_byte_order_mark_header_is_read(tmp_path, practices):
    # given a UTF-8 file with a byte-order mark (as Excel saves it)
    path = tmp_path / "list.csv"
    path.write_bytes(
        ("\ufeff" + LIST_SIZE_HEADER_2019 + "\n" + list_size_line("C82001", 34535)).encode("utf-8")
    )

    run(path)

    assert figures() == [("C82001", date(2021, 1, 1), 34535)]
