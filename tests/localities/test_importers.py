"""The importers' small helpers: decoding, names, dates, the summary."""

from datetime import date

import pytest

from localities.importers import ImportSummary, RowProblem, open_text, parse_ods_date, title_case


@pytest.mark.parametrize(
    ("ods", "readable"),
    [
        ("THE WYCLIFFE MEDICAL PRACTICE", "The Wycliffe Medical Practice"),
        ("MARKET HARBOROUGH MED.CTR", "Market Harborough Med.Ctr"),
        ("MARKET OVERTON & SOMERBY SURGERIES", "Market Overton & Somerby Surgeries"),
        ("NHS CENTRAL NOTTS OOH SERVICE", "NHS Central Notts OOH Service"),
        ("ST JOHN'S SURGERY", "St John's Surgery"),
        ("HOUSE OF THE PEOPLE", "House of the People"),
        ("2A STATION STREET", "2A Station Street"),
    ],
)
def test_title_case_turns_ods_capitals_into_names(ods, readable):
    assert title_case(ods) == readable
    assert title_case(title_case(ods)) == readable


def test_open_text_reads_utf8_with_a_bom_and_falls_back_to_windows_1252():
    assert open_text("\ufeffA,B".encode()).read() == "A,B"
    assert open_text("Caf\xe9 \xa3".encode("cp1252")).read() == "Café £"


def test_ods_dates():
    assert parse_ods_date("19740401") == date(1974, 4, 1)
    assert parse_ods_date("  ") is None
    with pytest.raises(ValueError):
        parse_ods_date("1974-04-01")


def test_summary_lines_for_a_dry_run():
    summary = ImportSummary(rows=5, created=2, unchanged=1, dry_run=True)
    summary.skipped["blank line"] += 2
    summary.rejected.append(RowProblem(4, "C8201 is not a GP practice ODS code"))

    assert summary.lines() == [
        "rows read: 5",
        "created: 2 (would be created)",
        "updated: 0",
        "unchanged: 1",
        "skipped: 2",
        "  2 blank line",
        "rejected: 1",
        "  line 4: C8201 is not a GP practice ODS code",
    ]
    assert summary.as_dict()["skipped_total"] == 2


def test_the_summary_counts_and_names_the_y_codes_it_imported():
    # given an import of twelve setting-4 Y-codes
    summary = ImportSummary(created=12, y_codes=[f"Y0{n:04d} Service {n}" for n in range(12)])

    # then its last line counts them and names the first ten
    assert summary.lines()[-1] == (
        "12 Y-codes imported (setting 4, not practices in the usual sense): "
        + ", ".join(f"Y0{n:04d} Service {n}" for n in range(10))
        + " and 2 more"
    )
    assert summary.as_dict()["y_code_note"] == summary.lines()[-1]
