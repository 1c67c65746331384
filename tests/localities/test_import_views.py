"""The staff import page: upload, preview (a dry run that writes nothing),
confirm once; bad uploads get a message beside the field."""

import hashlib
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from localities.models import ImportRun, ImportStatus, ListSize, Practice
from tests.conftest import stored_files
from tests.localities.conftest import LIST_SIZE_HEADER_2019, epraccur_line, list_size_line
from tests.pages import error_beside

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

EPRACCUR = (
    epraccur_line("C82001", "SOUTH LEICESTERSHIRE MEDICAL PARTNERSHIP")
    + epraccur_line("C82002", "COUNTESTHORPE HEALTH CENTRE")
    + epraccur_line("C82036", "TWO SHIRES MEDICAL PRACTICE", status="D")
    + epraccur_line("C82620", "OUT OF HOURS", setting="2")
    + epraccur_line("C83001", "ABBEY MEDICAL PRACTICE", commissioner="04C")
)


def imported() -> list[str]:
    """Codes of practices that came from an epraccur file (the fixtures' have no commissioner)."""
    return sorted(Practice.objects.exclude(commissioner_code="").values_list("ods_code", flat=True))


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def count(body: str, what: str) -> int:
    match = re.search(rf'data-count="{what}">([\d,]+)', body)
    assert match, f"no {what} count"
    return int(match.group(1).replace(",", ""))


def test_upload_preview_confirm_and_a_second_confirm_is_refused(client_as):
    client = client_as("staff")

    # when staff upload an epraccur file for 03W
    response = client.post(
        "/imports/",
        {"kind": "practices", "file": upload("epraccur.csv", EPRACCUR.encode()), "commissioner": "03w"},
    )

    # then they are shown the preview: what would change, with nothing written yet
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/imports/{run.pk}/"
    preview = client.get(response["Location"]).content.decode()
    assert (count(preview, "created"), count(preview, "updated"), count(preview, "skipped")) == (3, 0, 2)
    assert "Would be created" in preview
    assert "new practice C82036 Two Shires Medical Practice (dormant)" in preview
    assert "Confirm and import" in preview
    assert imported() == []
    assert (run.status, run.commissioner, run.sha256) == (
        ImportStatus.PREVIEWED,
        "03W",
        hashlib.sha256(EPRACCUR.encode()).hexdigest(),
    )

    # when they confirm
    confirmed = client.post(f"/imports/{run.pk}/", follow=True)

    # then the practices are written and the page says so
    assert imported() == ["C82001", "C82002", "C82036"]
    body = confirmed.content.decode()
    assert "Import applied: 3 created, 0 updated, 0 unchanged." in body
    assert "Confirm and import" not in body
    run.refresh_from_db()
    assert run.status == ImportStatus.APPLIED
    assert run.applied_by.username == "staff"

    # when they confirm again (another tab, say)
    again = client.post(f"/imports/{run.pk}/", follow=True)

    # then it is refused with a message and nothing more is written
    assert "This import was already applied." in again.content.decode()
    assert imported() == ["C82001", "C82002", "C82036"]


def test_a_list_size_upload_previews_then_applies(client_as, practice):
    client = client_as("staff")
    text = LIST_SIZE_HEADER_2019 + "\n" + list_size_line("C82009", 21700) + list_size_line("A84002", 5903)

    response = client.post("/imports/", {"kind": "list_sizes", "file": upload("gp-reg.csv", text.encode())})
    preview = client.get(response["Location"]).content.decode()

    assert (count(preview, "created"), count(preview, "skipped")) == (1, 1)
    assert ListSize.objects.count() == 1

    client.post(response["Location"])

    assert sorted(practice.list_sizes.values_list("registered_patients", flat=True)) == [21627, 21700]


def test_a_malformed_upload_shows_its_lines_and_cannot_be_confirmed(client_as):
    client = client_as("staff")
    text = EPRACCUR + '"C82003","SHORT"\n'

    response = client.post("/imports/", {"kind": "practices", "file": upload("bad.csv", text.encode())})
    page = client.get(response["Location"]).content.decode()

    assert "Line 6: expected 27 fields, found 2" in page
    assert "Confirm and import" not in page
    assert ImportRun.objects.get().status == ImportStatus.FAILED
    # and a confirmation posted anyway is refused
    client.post(response["Location"])
    assert imported() == []


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        pytest.param(
            EPRACCUR + '"C82003","UNCLOSED QUOTE\n' + "x" * 140_000 + "\n",
            "Line 6: a field is longer than 131,072 characters (is a closing quote missing?)",
            id="field over the csv limit",
        ),
        # The form looks at the first 4 KB only; these come later in the file.
        pytest.param(
            EPRACCUR * 20 + epraccur_line("C82003", "NUL\x00SURGERY"),
            "Line 101: a NUL byte: the file is not CSV text",
            id="NUL byte",
        ),
        pytest.param(
            EPRACCUR * 20 + epraccur_line("C82003", "\x81 SURGERY"),
            "Line 101: byte 0x81 is neither UTF-8 nor Windows-1252: the file is not CSV text",
            id="neither UTF-8 nor Windows-1252",
        ),
    ],
)
def test_a_file_that_cannot_be_read_shows_the_line_and_why(client_as, text, problem):
    client = client_as("staff")

    # when staff upload a file the importer cannot read
    content = text.encode("latin-1")
    response = client.post("/imports/", {"kind": "practices", "file": upload("bad.csv", content)})

    # then the preview page says which line and why, and it cannot be confirmed
    page = client.get(response["Location"])
    body = page.content.decode()
    assert page.status_code == 200
    assert problem in body
    assert "Confirm and import" not in body
    assert ImportRun.objects.get().status == ImportStatus.FAILED
    assert imported() == []


def test_an_upload_the_import_fails_on_unexpectedly_is_not_left_stored(client_as, media_root, monkeypatch):
    # given an importer that breaks in a way nobody foresaw
    def broken(*args, **kwargs):
        raise RuntimeError("unforeseen")

    monkeypatch.setattr("localities.services.import_practices", broken)

    # when staff upload a file
    with pytest.raises(RuntimeError):
        client_as("staff").post(
            "/imports/", {"kind": "practices", "file": upload("e.csv", EPRACCUR.encode())}
        )

    # then neither the run nor its file is kept
    assert ImportRun.objects.count() == 0
    assert stored_files(media_root) == []


def test_y_codes_are_named_on_the_preview_and_after_confirming(client_as):
    client = client_as("staff")
    text = EPRACCUR + epraccur_line("Y05412", "SOUTH WIGSTON ASYLUM SERVICE")

    # when staff upload an epraccur file with a setting-4 Y-code
    response = client.post("/imports/", {"kind": "practices", "file": upload("e.csv", text.encode())})
    preview = client.get(response["Location"]).content.decode()
    confirmed = client.post(response["Location"], follow=True).content.decode()

    # then the preview and the result name it as not a practice in the usual sense
    note = "(setting 4, not practices in the usual sense): Y05412 South Wigston Asylum Service"
    assert f"1 Y-code would be imported {note}" in preview
    assert f"1 Y-code imported {note}" in confirmed
    assert "Y05412" in imported()


@pytest.mark.parametrize(
    ("file", "message"),
    [
        pytest.param(upload("empty.csv", b""), "The submitted file is empty.", id="empty"),
        pytest.param(
            upload("report.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"),
            "The file must be CSV or Excel (.xlsx), as NHS Digital and ODS publish it.",
            id="pdf",
        ),
        pytest.param(
            upload("renamed.csv", b"\x00\x01\x02binary\x00" * 20),
            "The file must be CSV or Excel (.xlsx), as NHS Digital and ODS publish it.",
            id="binary named .csv",
        ),
        pytest.param(None, "Choose the file to upload.", id="missing"),
    ],
)
def test_a_bad_upload_gets_a_message_beside_the_file_field(client_as, file, message):
    # when staff upload something that is not a CSV file (or nothing)
    data = {"kind": "practices", "commissioner": "03W"}
    if file is not None:
        data["file"] = file
    response = client_as("staff").post("/imports/", data)

    # then the page says why beside the field, in the summary, and nothing is stored
    body = response.content.decode()
    assert response.status_code == 400
    assert error_beside(body, "file") == message
    assert 'class="nhsuk-error-summary"' in body
    assert 'value="03W"' in body
    assert ImportRun.objects.count() == 0


@pytest.mark.parametrize("role", ["board", "practice"])
def test_board_and_practice_users_cannot_upload_or_confirm(client_as, staff_user, role):
    # given an import staff previewed
    staff = client_as("staff")
    staff.post("/imports/", {"kind": "practices", "file": upload("epraccur.csv", EPRACCUR.encode())})
    run = ImportRun.objects.get()
    client = client_as(role)

    # when another role uploads or confirms
    uploaded = client.post("/imports/", {"kind": "practices", "file": upload("x.csv", EPRACCUR.encode())})
    confirmed = client.post(f"/imports/{run.pk}/")

    # then both are refused and nothing is written
    assert (uploaded.status_code, confirmed.status_code) == (403, 403)
    assert ImportRun.objects.count() == 1
    assert imported() == []


def test_a_confirmed_import_is_in_the_practice_history_naming_who_confirmed(client_as, staff_user):
    client = client_as("staff")
    response = client.post("/imports/", {"kind": "practices", "file": upload("e.csv", EPRACCUR.encode())})
    client.post(response["Location"])

    page = client.get("/practices/C82001/").content.decode()

    history = page[page.index('id="history"') :]
    assert "Helen Parker added this practice to the portal" in history
