"""`manage.py import_practices` on small epraccur files in the real format:
GP practices only, statuses, commissioners, re-runs, malformed rows."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from pghistory.models import Events

from localities.importers import ImportFailed, import_practices
from localities.models import Practice, PracticeStatus
from tests.localities.conftest import epraccur_line

pytestmark = pytest.mark.django_db

ELR_FILE = "".join(
    [
        epraccur_line("C82001", "SOUTH LEICESTERSHIRE MEDICAL PARTNERSHIP"),
        epraccur_line(
            "C82002",
            "COUNTESTHORPE HEALTH CENTRE",
            address=("COUNTESTHORPE HEALTH CTR.", "CENTRAL STREET", "COUNTESTHORPE", "LEICESTERSHIRE", ""),
            postcode="LE8 5QJ",
        ),
        # Dormant, no close date (Two Shires at the end of 2019).
        epraccur_line("C82036", "TWO SHIRES MEDICAL PRACTICE", status="D"),
        # Closed, with its close date.
        epraccur_line("C82108", "LONG STREET SURGERY", status="C", close_date="20180131"),
        # Not GP practices: out of hours (2) and community health (9).
        epraccur_line("C82620", "CENTRAL NOTTS OOH SERVICE", setting="2"),
        epraccur_line("Y02827", "MELTON COMMUNITY CLINIC", setting="9"),
        # A Y-code with setting 4: a GP practice as far as ODS says.
        epraccur_line("Y05412", "SOUTH WIGSTON ASYLUM SERVICE", open_date="20160516"),
        # Another commissioner's practice.
        epraccur_line("C83001", "ABBEY MEDICAL PRACTICE", commissioner="04C"),
    ]
)


def run(path, **options) -> str:
    out = StringIO()
    call_command("import_practices", str(path), stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


def test_only_gp_practices_of_the_commissioner_go_in_with_their_status(write_file):
    # given an ELR epraccur extract with dormant, closed, non-practice and other-CCG rows
    path = write_file("epraccur.csv", ELR_FILE)

    # when it is imported for 03W
    output = run(path, commissioner="03w")

    # then the five setting-4 rows of 03W are practices, with the status ODS gives them
    practices = {p.ods_code: p for p in Practice.objects.all()}
    assert sorted(practices) == ["C82001", "C82002", "C82036", "C82108", "Y05412"]
    assert practices["C82001"].status == PracticeStatus.OPEN
    assert practices["C82036"].status == PracticeStatus.DORMANT
    assert practices["C82036"].close_date is None
    assert practices["C82108"].status == PracticeStatus.CLOSED
    assert practices["C82108"].close_date == date(2018, 1, 31)
    assert practices["Y05412"].open_date == date(2016, 5, 16)
    # and ODS capitals are turned into names and addresses people read
    assert practices["C82002"].name == "Countesthorpe Health Centre"
    assert practices["C82002"].address_lines == [
        "Countesthorpe Health Ctr.",
        "Central Street",
        "Countesthorpe",
        "Leicestershire",
    ]
    assert practices["C82002"].postcode == "LE8 5QJ"
    assert practices["C82002"].commissioner_code == "03W"
    # and the summary counts what was skipped, and why
    assert "created: 5" in output
    assert "skipped: 3" in output
    assert "1 not a GP practice (out of hours)" in output
    assert "1 not a GP practice (community health service)" in output
    assert "1 commissioner other than 03W" in output
    assert "rejected: 0" in output


def test_without_a_commissioner_every_gp_practice_goes_in(write_file):
    path = write_file("epraccur.csv", ELR_FILE)

    summary = import_practices(path.open())

    assert summary.created == 6
    assert dict(summary.skipped) == {
        "not a GP practice (out of hours)": 1,
        "not a GP practice (community health service)": 1,
    }
    assert Practice.objects.filter(ods_code="C83001").exists()


def test_running_the_same_file_again_changes_nothing(write_file):
    # given the file was imported once
    path = write_file("epraccur.csv", ELR_FILE)
    run(path, commissioner="03W")
    before = (Practice.objects.count(), Events.objects.count())
    stamps = dict(Practice.objects.values_list("ods_code", "updated_at"))

    # when it is imported again
    output = run(path, commissioner="03W")

    # then nothing is created or updated, and no history event is written
    assert "created: 0" in output
    assert "updated: 0" in output
    assert "unchanged: 5" in output
    assert (Practice.objects.count(), Events.objects.count()) == before
    assert dict(Practice.objects.values_list("ods_code", "updated_at")) == stamps


def test_a_practice_that_closes_is_updated_with_history(write_file):
    # given an open practice in the portal
    run(
        write_file("2019.csv", epraccur_line("C82001", "SOUTH LEICESTERSHIRE MEDICAL PARTNERSHIP")),
        commissioner="03W",
    )

    # when a later file says it closed
    later = epraccur_line(
        "C82001", "SOUTH LEICESTERSHIRE MEDICAL PARTNERSHIP", status="C", close_date="20200331"
    )
    output = run(write_file("2020.csv", later), commissioner="03W")

    # then it is updated, and the change is in its history, made by the command
    practice = Practice.objects.get(ods_code="C82001")
    assert (practice.status, practice.close_date) == (PracticeStatus.CLOSED, date(2020, 3, 31))
    assert "updated: 1" in output
    events = Events.objects.references(practice).filter(pgh_label__endswith="update")
    assert [e.pgh_diff["status"] for e in events] == [["open", "closed"]]
    assert events[0].pgh_context["command"] == "import_practices"


def test_dry_run_writes_nothing_and_says_what_it_would_do(write_file):
    path = write_file("epraccur.csv", ELR_FILE)

    output = run(path, commissioner="03W", dry_run=True)

    assert Practice.objects.count() == 0
    assert "Dry run: nothing written." in output
    assert "created: 5 (would be created)" in output


@pytest.mark.parametrize(
    ("bad_line", "reason"),
    [
        ('"C82003","TOO FEW FIELDS","Y60"\n', "expected 27 fields, found 3"),
        (epraccur_line("C82003", "BAD DATE", open_date="1974-04-01"), "C82003: a date is not YYYYMMDD"),
        (epraccur_line("C82003", "BAD STATUS", status="X"), "C82003: unknown status code 'X'"),
    ],
)
def test_a_malformed_row_stops_the_import_with_its_line_number(write_file, practice, bad_line, reason):
    # given a file whose third line is malformed, and a portal with one practice
    lines = ELR_FILE.splitlines(keepends=True)
    path = write_file("epraccur.csv", "".join([*lines[:2], bad_line, *lines[2:]]))
    before = (Practice.objects.count(), Events.objects.count())

    # when it is imported
    out = StringIO()
    with pytest.raises(CommandError, match="malformed rows; nothing was imported"):
        call_command("import_practices", str(path), stdout=out, stderr=StringIO())

    # then the line and the reason are reported, and nothing at all was written
    assert f"line 3: {reason}" in out.getvalue()
    assert (Practice.objects.count(), Events.objects.count()) == before


LONG_FIELD = "x" * 140_000


@pytest.mark.parametrize(
    ("bad_line", "reason"),
    [
        pytest.param(
            '"C82003","UNCLOSED QUOTE,"Y60"\n',
            'a quote is out of place: a closing quote is missing, or a quote inside a field is not doubled ("")',
            id="unclosed quote",
        ),
        pytest.param(
            epraccur_line("C82003", 'THE "OLD" SURGERY'),
            'a quote is out of place: a closing quote is missing, or a quote inside a field is not doubled ("")',
            id="quote not doubled",
        ),
        pytest.param(
            epraccur_line("C82003", LONG_FIELD),
            "a field is longer than 131,072 characters (is a closing quote missing?)",
            id="field over the csv limit",
        ),
    ],
)
def test_a_row_the_csv_reader_cannot_read_stops_the_import_with_its_line_number(
    write_file, practice, bad_line, reason
):
    # given a file whose third line the csv module cannot read
    lines = ELR_FILE.splitlines(keepends=True)
    path = write_file("epraccur.csv", "".join([*lines[:2], bad_line, *lines[2:]]))
    before = (Practice.objects.count(), Events.objects.count())

    # when it is imported
    out = StringIO()
    with pytest.raises(CommandError, match="malformed rows; nothing was imported"):
        call_command("import_practices", str(path), stdout=out, stderr=StringIO())

    # then the command fails with the line and a plain reason, having written nothing
    assert f"line 3: {reason}" in out.getvalue()
    assert (Practice.objects.count(), Events.objects.count()) == before


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        pytest.param(
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
            "line 1: the file is a PDF document, not a CSV file; save it as CSV first",
            id="pdf",
        ),
        pytest.param(
            b"PK\x03\x04\x14\x00\x06\x00",
            "line 1: the file is a zip file (an Excel .xlsx workbook, say), not a CSV file",
            id="xlsx",
        ),
        pytest.param(
            ELR_FILE.encode() + b'"C82003",\x00\x00\n',
            "line 9: a NUL byte: the file is not CSV text",
            id="NUL byte",
        ),
        pytest.param(
            epraccur_line("C82001", "GOOD").encode() + b'"C82003","\x81\x8d"\n',
            "line 2: byte 0x81 is neither UTF-8 nor Windows-1252: the file is not CSV text",
            id="neither UTF-8 nor Windows-1252",
        ),
    ],
)
def test_a_file_that_is_not_csv_text_is_refused_with_a_message(tmp_path, content, reason):
    # given a file that is not CSV text
    path = tmp_path / "epraccur.csv"
    path.write_bytes(content)

    # when it is imported
    out = StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_practices", str(path), stdout=out, stderr=StringIO())

    # then the command says what is wrong with it, and writes nothing
    assert reason in out.getvalue()
    assert Practice.objects.count() == 0


def test_an_updated_practice_gets_a_new_updated_time(write_file):
    # given a practice imported long ago
    run(write_file("2019.csv", epraccur_line("C82001", "SOUTH LEICESTERSHIRE MEDICAL PARTNERSHIP")))
    Practice.objects.update(updated_at=timezone.now() - timedelta(days=400))
    started = timezone.now()

    # when a later file renames it
    run(write_file("2020.csv", epraccur_line("C82001", "SOUTH LEICS MEDICAL PARTNERSHIP")))

    # then its updated time is the import's
    practice = Practice.objects.get()
    assert practice.name == "South Leics Medical Partnership"
    assert practice.updated_at >= started


def test_y_codes_with_setting_4_go_in_and_are_named_in_the_summary(write_file):
    # given a file with a practice, two setting-4 Y-codes and a Y-code clinic
    text = (
        epraccur_line("C82001", "SOUTH LEICESTERSHIRE MEDICAL PARTNERSHIP")
        + epraccur_line("Y02725", "OADBY AND WIGSTON WALK IN CENTRE")
        + epraccur_line("Y02827", "MELTON COMMUNITY CLINIC", setting="9")
        + epraccur_line("Y05412", "SOUTH WIGSTON ASYLUM SERVICE")
    )
    path = write_file("epraccur.csv", text)

    # when it is dry-run, then imported
    dry = run(path, dry_run=True)
    output = run(path)

    # then the Y-codes go in as practices, and the summary counts and names them
    assert sorted(Practice.objects.values_list("ods_code", flat=True)) == ["C82001", "Y02725", "Y05412"]
    note = (
        "(setting 4, not practices in the usual sense): "
        "Y02725 Oadby and Wigston Walk in Centre, Y05412 South Wigston Asylum Service"
    )
    assert f"2 Y-codes would be imported {note}" in dry
    assert f"2 Y-codes imported {note}" in output


def test_malformed_rows_are_all_listed_by_the_importer(write_file):
    text = (
        epraccur_line("C82001", "GOOD")
        + '"C82002","SHORT"\n'
        + epraccur_line("C82003", "X", close_date="2019")
    )

    with pytest.raises(ImportFailed) as failure:
        import_practices(StringIO(text))

    assert [(p.line, p.reason[:22]) for p in failure.value.summary.malformed] == [
        (2, "expected 27 fields, fo"),
        (3, "C82003: a date is not "),
    ]
    assert Practice.objects.count() == 0


def test_rows_the_portal_refuses_are_rejected_with_reasons_and_the_rest_go_in(write_file):
    # given a file with a code of the wrong shape, a practice closing before it opens, and a repeat
    text = (
        epraccur_line("C82001", "GOOD")
        + epraccur_line("C8201", "SHORT CODE")
        + epraccur_line("C82002", "BACKWARDS", open_date="20200101", close_date="20190101", status="C")
        + epraccur_line("C82001", "GOOD AGAIN")
    )

    summary = import_practices(StringIO(text))

    assert [(p.line, p.reason) for p in summary.rejected] == [
        (2, "'C8201' is not a GP practice ODS code"),
        (3, "C82002: closes before it opens"),
        (4, "C82001 appears twice (first at line 1)"),
    ]
    assert list(Practice.objects.values_list("ods_code", "name")) == [("C82001", "Good")]


def test_a_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_practices", str(tmp_path / "absent.csv"), stdout=StringIO())
